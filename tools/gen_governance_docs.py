"""Write docs/governance.md from the governance catalogue (src/prodready/core/obligations.toml).

The catalogue is the single source of the checklist's items, their references, who owes
them, when the law applies them and at which stage prodready requires them; a test
fails when the committed page differs from what this script writes.

    python tools/gen_governance_docs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from prodready.core.escape import md
from prodready.core.obligations import FRAMEWORKS, TIERS, Item, catalogue

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "governance.md"
CONDITIONS = {
    "personal_data": "personal data is processed",
    "generative": "a generative system (llm-api, llm-self-hosted, rag)",
    "transparency": "Article 50 applies (a generative system, or people interact with it: limited risk)",
    "workers": "used at the workplace (workers_affected)",
    "impact_assessment": "Annex III point 5 (credit, insurance, essential services)",
    "article_6_3": "an Annex III system documented as not high-risk (Article 6(3))",
}

INTRO = """\
# Governance: the obligations catalogue

Generated from `src/prodready/core/obligations.toml` by `tools/gen_governance_docs.py`:
the same catalogue the template assembles each POC's `governance/checklist.yaml` from
and the audit (GOV001) checks it against. Which items a POC owes follows from its
answers: the risk tier, the organisation's role under the EU AI Act (`ai_act_role`:
provider, deployer or both; an organisation that builds and uses its own system is
both), the Annex III area, whether it processes personal data, whether it is
generative and whether a high-risk system is used at the workplace.

References are a starting map, not legal advice: have them reviewed for your context.
Summaries are ours; read the texts themselves: Regulation (EU) 2024/1689 (the EU AI
Act), NIST AI 100-1 (AI RMF 1.0), NIST AI 600-1 (the Generative AI Profile) and
ISO/IEC 42001:2023 Annex A. "Applies from" is the date the EU AI Act applies the cited
articles (Article 113): Articles 4 and 5 since 2 February 2025, Article 50 since 2
August 2026, and the high-risk obligations of Annex III systems from 2 December 2027,
as Regulation (EU) 2026/1744 postponed them from 2 August 2026; check the current
dates against the Official Journal. The stage is when prodready requires the item:
often earlier than the law, because a POC that reaches production without it is late.
"""


def _references(item: Item) -> str:
    parts = [f"{label}: {', '.join(item.references[key])}" for key, label in FRAMEWORKS if item.references[key]]
    return "; ".join(parts) or "—"


def _applies_to(item: Item) -> str:
    tiers = ", ".join(tier for tier in TIERS if tier in item.tiers)
    text = f"{' and '.join(sorted(item.owed_by, reverse=True))}; {tiers}"
    if item.when:
        text += "; when " + " and ".join(CONDITIONS[c] for c in sorted(item.when))
    return text


def render() -> str:
    lines = [
        INTRO,
        "| item | obligation | source | owed by; tiers | applies from | required at | signed by |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in catalogue():
        lines.append(
            f"| {item.id} | {md(item.title)}<br>*{md(item.summary)}* | {md(_references(item))} "
            f"| {md(_applies_to(item))} | {item.applies_from or '—'} | {item.stage} | {', '.join(item.signers)} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
