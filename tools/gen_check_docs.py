"""Write docs/checks.md from the audit's check classes (the check reference).

The checks' docstrings are the single source of their titles and explanations; a test
fails when the committed reference differs from what this script writes. Each check's
heading carries an explicit anchor (``{#own001}``, mkdocs.yml enables attr_list), the
one its link in every report points at, so a new title does not break old links.
"""

from __future__ import annotations

import sys
from pathlib import Path

from prodready.audit.checks import CHECKS, FAMILIES
from prodready.audit.checks.base import anchor

ROOT = Path(__file__).resolve().parent.parent


def render() -> str:
    lines = [
        "# Check reference",
        "",
        "Generated from the checks themselves by `tools/gen_check_docs.py` (`nox -s docs_checks`).",
        "Each check belongs to a family and to the lowest stage that requires it; a repository",
        "reaches a stage when that stage's checks and every lower stage's pass.",
        "",
    ]
    for family, info in sorted(FAMILIES.items(), key=lambda item: item[1]["order"]):
        lines += [f"## {info['name']}", "", str(info["description"]), ""]
        for check_id, check in CHECKS.items():
            if check.family != family:
                continue
            lines += [
                f"### {check_id}: {check.title()} {{#{anchor(check_id)}}}",
                "",
                f"Required from stage **{check.stage}**.",
                "",
                check.explanation(),
                "",
            ]
    return "\n".join(lines)


def main() -> int:
    (ROOT / "docs" / "checks.md").write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
