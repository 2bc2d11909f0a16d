"""Governance: the checklist mapped to the EU AI Act, NIST AI RMF and ISO/IEC 42001 (GOV001-GOV006)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.answers import is_placeholder
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, load, mapping

CHECKLIST = "governance/checklist.yaml"
HIGH_RISK_ARTICLES = tuple(f"Article {n}" for n in range(9, 16))
#: Every system's checklist has an item whose title mentions each of these.
ALWAYS_COVERED = ("roles", "risk assessment", "decommission")
#: The statuses of an item that is no longer due.
SETTLED = ("done", "not-applicable")


@dataclass(frozen=True)
class Checklist:
    """governance/checklist.yaml: its risk tier and its items (mappings), with their positions."""

    source: YamlFile
    items: list[tuple[int, dict[str, Any]]]

    @property
    def risk_tier(self) -> Any:
        return self.source.data.get("risk_tier")

    def fail(self, message: str, where: list[str | int]) -> Failure:
        return self.source.fail(message, where)


@fixture
def checklist(prodready: Repo) -> Checklist | Failure:
    """The governance checklist (or why it cannot be read, or why its items are not a list)."""
    loaded = load(prodready, CHECKLIST)
    if isinstance(loaded, Failure):
        return loaded
    items = loaded.data.get("items")
    if not isinstance(items, list):
        return loaded.fail("items is not a list", ["items"])
    return Checklist(loaded, [(i, item) for i, item in enumerate(items) if isinstance(item, dict)])


class GOV001(Check, family="governance"):
    """The governance checklist holds every item the risk tier requires

    High-risk systems under the EU AI Act must cover Articles 9 to 15 (risk management,
    data governance, technical documentation, record-keeping, transparency, human
    oversight, accuracy and robustness); every system needs owners, a risk assessment
    and a decommission plan. Fix: add the missing items (the template's checklist lists
    them) with their framework references.
    """

    @staticmethod
    def check(checklist: Checklist | Failure) -> Result:
        if isinstance(checklist, Failure):
            return checklist
        found = []
        articles = {str(mapping(item.get("frameworks")).get("eu_ai_act")) for _, item in checklist.items}
        absent = [a for a in HIGH_RISK_ARTICLES if a not in articles]
        if checklist.risk_tier == "high" and absent:
            found.append(checklist.fail(f"high-risk system: no item for EU AI Act {', '.join(absent)}", ["items"]))
        titles = " ".join(str(item.get("title", "")).lower() for _, item in checklist.items)
        uncovered = [needed for needed in ALWAYS_COVERED if needed not in titles]
        if uncovered:
            found.append(checklist.fail(f"no checklist item about {', '.join(uncovered)}", ["items"]))
        return every(found, "problems")


def _item_problem(repo: Repo, item: dict[str, Any], stage: str) -> tuple[str, str] | None:
    """(problem, key) for an item due at ``stage`` that is not settled with evidence and a sign-off."""
    name = item.get("id")
    if item.get("status") not in SETTLED:
        return f"{name} ({item.get('title')}) is {item.get('status')!r}, required at {stage}", "status"
    sign_off = mapping(item.get("sign_off"))
    if not item.get("evidence"):
        return f"{name} is done without evidence", "evidence"
    if is_placeholder(str(sign_off.get("name") or "")) or not sign_off.get("date"):
        return f"{name} has no sign-off (name and date)", "sign_off"
    evidence = str(item["evidence"])
    if "://" in evidence:
        return None  # a link: the audit never fetches it
    located = repo.locate(evidence)
    if isinstance(located, Failure):
        return f"{name}'s evidence {located}", "evidence"
    if located is None or not located.is_file():
        return f"{name}'s evidence {evidence} does not exist", "evidence"
    return None


def stage_items_done(checklist: Checklist | Failure, repo: Repo, stage: str) -> Result:
    """Every item required at ``stage`` is settled, with evidence and a sign-off; else every one that is not."""
    if isinstance(checklist, Failure):
        return checklist
    found = []
    for index, item in checklist.items:
        if item.get("required_stage") != stage:
            continue
        problem = _item_problem(repo, item, stage)
        if problem is not None:
            message, key = problem
            found.append(checklist.fail(message, ["items", index, key]))
    return every(found, f"items required at {stage} are not done")


class GOV002(Check, family="governance"):
    """Checklist items required at poc are done, with evidence and sign-off

    Governance found at the end kills projects; items due now are due now. Fix: set
    status done, evidence (a file or a link) and sign_off name and date for each.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo) -> Result:
        return stage_items_done(checklist, prodready, "poc")


class GOV003(Check, family="governance", stage="pilot"):
    """Checklist items required at pilot are done, with evidence and sign-off

    Real users bring real obligations: AI literacy, transparency, risk assessment, data
    protection. Fix: complete each pilot item with evidence and a sign-off.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo) -> Result:
        return stage_items_done(checklist, prodready, "pilot")


class GOV004(Check, family="governance", stage="production"):
    """Checklist items required at production are done, with evidence and sign-off

    Scaled deployment needs an agreed runbook and decommission plan. Fix: complete each
    production item with evidence and a sign-off.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo) -> Result:
        return stage_items_done(checklist, prodready, "production")


def todos(repo: Repo, file: str) -> Result:
    """A document that must be filled in: a Failure naming every line that still says TODO, at the first."""
    text = repo.read(file)
    if isinstance(text, Failure):
        return text
    found = [
        Failure(line.strip()[:80], file, number)
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line
    ]
    if len(found) == 1:
        return Failure(f"still says TODO: {found[0]}", file, found[0].line)
    return every(found, "lines still say TODO")


class GOV005(Check, family="governance", stage="pilot"):
    """The model card is filled in

    Before real users, the intended use, data, evaluation and limitations must be
    written down. Fix: replace every TODO in governance/model_card.md.
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        return todos(prodready, "governance/model_card.md")


class GOV006(Check, family="governance", stage="production"):
    """The decommission plan is complete

    A system that cannot be switched off cleanly cannot be trusted at scale. Fix:
    complete governance/decommission_plan.md (no TODO left).
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        return todos(prodready, "governance/decommission_plan.md")
