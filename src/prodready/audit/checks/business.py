"""Business case: a KPI with a baseline and a target, a decision date, kill criteria, KPI actuals (BUS001-BUS003)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ...core.answers import KILL_CRITERIA_EXAMPLE, is_placeholder, kill_criteria_problem
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

    A POC measured on model accuracy instead of a business KPI cannot be judged, one
    that retires nothing has no case, and kill criteria without a threshold ("we will
    see") can never be met. Fix: fill in business.problem, kpi.name, kpi.baseline and
    kpi.target (different numbers), process_retired and kill_criteria (the KPI, or
    another measured quantity, and the value that stops the POC) in ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(business: BusinessCase) -> Result:
        if business.section is None:
            return business.ownership.fail("the business section is missing", [])
        found = [*_unstated(business, business.section), *_kpi_problems(business), *_unmeasurable(business)]
        return every(found, "problems")


def _unmeasurable(business: BusinessCase) -> list[Failure]:
    """Kill criteria that stated something, but nothing anyone could measure against a threshold."""
    section = business.section or {}
    criteria, kpi = str(section.get("kill_criteria") or ""), str(mapping(section.get("kpi")).get("name") or "")
    if is_placeholder(criteria):
        return []  # _unstated says so
    problem = kill_criteria_problem(criteria, kpi)
    if problem is None:
        return []
    return [business.fail(f"business.kill_criteria {problem}: such as {KILL_CRITERIA_EXAMPLE}", ["kill_criteria"])]


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


ACTUALS = "kpi/actuals.csv"
#: How many days a KPI cadence (monitoring.yaml kpi.cadence) spans.
CADENCE_DAYS = {"daily": 1, "weekly": 7, "fortnightly": 14, "biweekly": 14, "monthly": 31, "quarterly": 92}
#: The newest actual may be this many cadences old before the KPI counts as unmeasured.
STALE_CADENCES = 2


class BUS003(Check, family="business", stage="pilot"):
    """The business KPI is measured: kpi/actuals.csv holds a value no older than two cadences

    A POC judged on demos instead of its business KPI cannot be killed or scaled on
    evidence: by the pilot, its KPI is measured at the cadence monitoring.yaml sets
    (kpi.cadence). Fix: add a row to kpi/actuals.csv for each measurement: date (ISO),
    value (a number), source (where it was read).
    """

    @staticmethod
    def check(prodready: Repo, monitoring: YamlFile | Failure) -> Result:
        cadence = mapping(monitoring.data.get("kpi")).get("cadence") if isinstance(monitoring, YamlFile) else None
        days = CADENCE_DAYS.get(str(cadence).lower()) if cadence else CADENCE_DAYS["monthly"]
        if days is None:
            known = ", ".join(CADENCE_DAYS)
            return Failure(f"kpi.cadence is {cadence!r}, not one of {known}", "monitoring/monitoring.yaml", None)
        text = prodready.read(ACTUALS)
        if isinstance(text, Failure):
            return text
        rows, found = actuals(text, prodready)
        if found:
            return every(found, "rows are not measurements")
        if not rows:
            return Failure(f"no KPI value is recorded yet: add a date,value,source row every {days} days", ACTUALS, 1)
        newest, line = max((when, number) for number, when, _ in rows)
        if prodready.today - newest > timedelta(days=STALE_CADENCES * days):
            age, limit = (prodready.today - newest).days, STALE_CADENCES * days
            message = f"the newest KPI value is from {newest}, {age} days ago: older than two cadences ({limit} days)"
            return Failure(message, ACTUALS, line)
        return True


def actuals(text: str, repo: Repo) -> tuple[list[tuple[int, Any, float]], list[Failure]]:
    """The rows of kpi/actuals.csv as (line, date, value), and a Failure for each row that is not one."""
    rows: list[tuple[int, Any, float]] = []
    found: list[Failure] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if header[:3] != ["date", "value", "source"]:
            return [], [Failure("the header must be date,value,source", ACTUALS, 1)]
        listed = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        return [], [Failure(f"not CSV: {error}", ACTUALS, reader.line_num)]
    for line, row in listed:
        if not any(cell.strip() for cell in row):
            continue
        when = as_date(row[0].strip()) if row else None
        try:
            value = float(row[1]) if len(row) > 1 else math.nan
        except ValueError:
            value = math.nan
        if when is None:
            found.append(Failure(f"{row[0][:40]!r} is not an ISO date", ACTUALS, line))
        elif when > repo.today:
            found.append(Failure(f"{when} is after today", ACTUALS, line))
        elif not math.isfinite(value):
            found.append(Failure("the value is not a number", ACTUALS, line))
        elif len(row) < 3 or is_placeholder(row[2]):
            found.append(Failure("the source is missing: say where the value was read", ACTUALS, line))
        else:
            rows.append((line, when, value))
    return rows, found
