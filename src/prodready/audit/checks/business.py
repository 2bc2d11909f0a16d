"""Business case: a KPI with a baseline and a target, a decision date, kill criteria (BUS001-BUS002)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...core.answers import is_placeholder
from ..repo import Failure, Repo, as_date
from .base import Check, Result, YamlFile, every, fixture, mapping, skip_unreadable

#: Answers that name no process at all: a POC that retires nothing has no case.
NOTHING = ("nothing", "none")


@dataclass(frozen=True)
class BusinessCase:
    """The business section of ownership.yaml (``section`` is None when it is not a mapping)."""

    ownership: YamlFile
    section: dict[str, Any] | None

    def fail(self, message: str, where: list[str | int]) -> Failure:
        """A failure at a path inside the business section."""
        return self.ownership.fail(message, ["business", *where])


@fixture
def business(ownership: YamlFile | Failure) -> BusinessCase | Failure:
    """The business case stated in ownership.yaml (or why ownership.yaml cannot be read)."""
    if isinstance(ownership, Failure):
        return ownership
    section = ownership.data.get("business")
    return BusinessCase(ownership, section if isinstance(section, dict) else None)


class BUS001(Check, family="business", requires={"OWN001"}):
    """The business case is stated: problem, KPI with baseline and target, process retired, kill criteria

    A POC measured on model accuracy instead of a business KPI cannot be judged, and one
    that retires nothing has no case. Fix: fill in business.problem, kpi.name,
    kpi.baseline and kpi.target (different numbers), process_retired and kill_criteria
    in ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(business: BusinessCase) -> Result:
        if business.section is None:
            return business.ownership.fail("the business section is missing", [])
        return every([*_unstated(business, business.section), *_kpi_problems(business)], "problems")


def _unstated(business: BusinessCase, section: dict[str, Any]) -> list[Failure]:
    """Every statement of the case that is empty, a placeholder, or "nothing"."""
    kpi = mapping(section.get("kpi"))
    stated: list[tuple[list[str | int], Any]] = [
        (["problem"], section.get("problem")),
        (["kpi", "name"], kpi.get("name")),
        (["process_retired"], section.get("process_retired")),
        (["kill_criteria"], section.get("kill_criteria")),
    ]
    return [
        business.fail(f"business.{'.'.join(map(str, where))} is empty or a placeholder", where)
        for where, value in stated
        if is_placeholder(str(value or "")) or str(value).strip().lower() in NOTHING
    ]


def _kpi_problems(business: BusinessCase) -> list[Failure]:
    """The KPI's baseline and target: two different numbers."""
    kpi = mapping((business.section or {}).get("kpi"))
    try:
        baseline, target = float(str(kpi.get("baseline"))), float(str(kpi.get("target")))
    except ValueError:  # not a number, or an integer too long to read
        baseline = target = math.nan
    if not (math.isfinite(baseline) and math.isfinite(target)):
        return [business.fail("the KPI's baseline and target must be numbers", ["kpi"])]
    if baseline == target:
        return [business.fail("the KPI's target equals its baseline", ["kpi", "target"])]
    return []


class BUS002(Check, family="business", requires={"OWN001"}):
    """The go/no-go decision is not overdue (no zombie POC)

    A POC still at stage poc after its decision date is a zombie: it consumes people and
    budget without anyone deciding. Fix: take the decision: move [tool.prodready] stage
    to pilot, or invoke the kill criteria and decommission; or set a new decision date
    with the kill authority's agreement.
    """

    @staticmethod
    @skip_unreadable
    def check(business: BusinessCase, prodready: Repo) -> Result:
        raw = (business.section or {}).get("decision_date")
        decision = as_date(raw)
        if decision is None:
            return business.fail(f"decision_date is {raw!r}, not a date", ["decision_date"])
        if prodready.stage == "poc" and decision < prodready.today:
            days = (prodready.today - decision).days
            return business.fail(
                f"decision overdue: still a poc {days} days after its decision date {decision}", ["decision_date"]
            )
        return True
