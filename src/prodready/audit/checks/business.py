"""Business case: KPI, baseline and target, kill criteria, decisions taken in time, KPI actuals (BUS001-BUS004)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ...core.answers import KILL_CRITERIA_EXAMPLE, is_placeholder, kill_criteria_problem
from ...core.people import normalise
from ...core.signoffs import DECIDERS, MAX_EXTENSION_DAYS
from ...core.stages import STAGES
from ..decisions import Decision, first_decision_date, read_decisions
from ..repo import PYPROJECT, Failure, Repo, as_date
from .base import Check, Result, YamlFile, every, fixture, mapping, skip_unreadable
from .signatures import Person, commit_problem

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


@fixture
def decisions(prodready: Repo) -> tuple[list[Decision], list[Failure]]:
    """The decision records of decisions/, oldest first, and why each unreadable one is not a record."""
    return read_decisions(prodready)


def extension_limit(repo: Repo) -> int | Failure:
    """How many days past a stage's first decision date extensions may reach ([tool.prodready] max_extension_days)."""
    limit = repo.settings.get("max_extension_days", MAX_EXTENSION_DAYS)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        return Failure(f"[tool.prodready] max_extension_days is {limit!r}, not a number of days", PYPROJECT, None)
    return limit


class BUS002(Check, family="business", requires={"OWN001"}):
    """The go/no-go decision is not overdue, and only a recorded decision moves its date (no zombie POC)

    A POC still undecided after its decision date is a zombie, and so is a pilot or a
    production system past its review date: it consumes people and budget without anyone
    deciding. The date moves only with a decision the kill authority records in
    decisions/: an extension reaches at most max_extension_days (183) past the stage's
    first date; a pilot or production decision sets the next review. Fix: take the
    decision with `prodready decide go|extend|pilot|production|kill` and commit its record.
    """

    @staticmethod
    @skip_unreadable
    def check(business: BusinessCase, prodready: Repo, decisions: tuple[list[Decision], list[Failure]]) -> Result:
        raw = (business.section or {}).get("decision_date")
        decision = as_date(raw)
        if decision is None:
            return business.fail(f"decision_date is {raw!r}, not a date", ["decision_date"])
        records = decisions[0]
        if records and records[-1].kind == "kill":
            return True  # decided: GOV006 follows the decommission steps
        latest = records[-1] if records else None
        expected = latest.decision_date if latest else first_decision_date(prodready)
        if expected is not None and decision != expected:
            source = latest.file if latest else "the template's answers file (the date answered at generation)"
            return business.fail(
                f"decision_date {decision} is not {expected}, the date {source} set: only a recorded decision "
                f"moves it (`prodready decide extend --until {decision} --reason ...`, by the kill authority)",
                ["decision_date"],
            )
        overlong = _overlong_extension(prodready, records)
        if overlong is not None:
            return overlong
        if decision < prodready.today:
            days, stage = (prodready.today - decision).days, prodready.stage
            what = "decision" if stage == "poc" else "review"
            return business.fail(
                f"{what} overdue: still a {stage} {days} days after its {what} date {decision}", ["decision_date"]
            )
        return True


def _overlong_extension(repo: Repo, records: list[Decision]) -> Failure | None:
    """The extension that reaches further past its stage's first date than max_extension_days allows."""
    limit = extension_limit(repo)
    if isinstance(limit, Failure):
        return limit
    start = first_decision_date(repo)
    for record in records:
        if record.kind != "extend":
            start = record.decision_date
        elif start is not None and record.decision_date is not None and (record.decision_date - start).days > limit:
            days = (record.decision_date - start).days
            return record.fail(
                f"extends the decision to {record.decision_date}, {days} days past the stage's first date "
                f"{start}: extensions reach at most {limit} days (max_extension_days); decide instead",
                "decision_date",
            )
    return None


class BUS004(Check, family="business", stage="pilot", requires={"OWN001"}):
    """Every decision is recorded by the kill authority, and the declared stage is the one decided

    A stage typed into pyproject.toml or a decision record written by anyone is no
    decision. Each record in decisions/ names the role that may take it (the kill
    authority) and that role's person of ownership.yaml, and was committed by them
    (signed, where ownership.yaml holds their signing_key); [tool.prodready] stage is
    the stage the last decision set. Fix: have the kill authority run `prodready decide`
    and commit the record themselves; CI needs the whole history (fetch-depth: 0).
    """

    @staticmethod
    def check(
        prodready: Repo, decisions: tuple[list[Decision], list[Failure]], people: dict[str, list[Person]]
    ) -> Result:
        records, found = decisions
        found = list(found)
        for record in records:
            roles = DECIDERS[record.kind]
            holders = [p for p in people.get(record.role, []) if normalise(p.name) == normalise(record.name)]
            if record.role not in roles:
                problem: str | None = f"a {record.kind} is decided by {' or '.join(roles)}, not {record.role}"
            elif not holders:
                problem = f"is decided by {record.name!r}, who is not the {record.role} of ownership.yaml"
            else:
                problem = commit_problem(prodready, record.file, set(record.lines), holders[0], people)
                problem = None if problem is None else f"the decision {problem}"
            if problem is not None:
                found.append(record.fail(problem, "decided_by"))
        decided = next((r.stage for r in reversed(records) if r.kind != "kill"), STAGES[0])
        if prodready.stage != decided:
            source = records[-1].file if records else "no decision record"
            found.append(
                Failure(
                    f"[tool.prodready] stage is {prodready.stage}, but {source} leaves it at {decided}: "
                    f"record the decision with `prodready decide {prodready.stage}`",
                    PYPROJECT,
                    prodready.stage_line,
                )
            )
        return every(found, "decisions are not recorded by who may take them")


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
        return measured(prodready, monitoring, ACTUALS, "KPI")


def cadence_days(monitoring: YamlFile | Failure) -> int | Failure:
    """The days between two measurements, by monitoring.yaml kpi.cadence (monthly when unset)."""
    cadence = mapping(monitoring.data.get("kpi")).get("cadence") if isinstance(monitoring, YamlFile) else None
    days = CADENCE_DAYS.get(str(cadence).lower()) if cadence else CADENCE_DAYS["monthly"]
    if days is None:
        known = ", ".join(CADENCE_DAYS)
        return Failure(f"kpi.cadence is {cadence!r}, not one of {known}", "monitoring/monitoring.yaml", None)
    return days


def measured(prodready: Repo, monitoring: YamlFile | Failure, file: str, what: str) -> Result:
    """A measurement file (date,value,source rows) holds a value no older than two cadences."""
    days = cadence_days(monitoring)
    if isinstance(days, Failure):
        return days
    text = prodready.read(file)
    if isinstance(text, Failure):
        return text
    rows, found = actuals(text, prodready, file)
    if found:
        return every(found, "rows are not measurements")
    if not rows:
        return Failure(f"no {what} value is recorded yet: add a date,value,source row every {days} days", file, 1)
    newest, line = max((when, number) for number, when, _, _ in rows)
    if prodready.today - newest > timedelta(days=STALE_CADENCES * days):
        age, limit = (prodready.today - newest).days, STALE_CADENCES * days
        message = f"the newest {what} value is from {newest}, {age} days ago: older than two cadences ({limit} days)"
        return Failure(message, file, line)
    return True


def actuals(text: str, repo: Repo, file: str = ACTUALS) -> tuple[list[tuple[int, date, float, str]], list[Failure]]:
    """The rows of a measurement file (kpi/actuals.csv) as (line, date, value, source).

    Each row that is not a measurement is a Failure at its line instead.
    """
    rows: list[tuple[int, date, float, str]] = []
    found: list[Failure] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if header[:3] != ["date", "value", "source"]:
            return [], [Failure("the header must be date,value,source", file, 1)]
        listed = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        return [], [Failure(f"not CSV: {error}", file, reader.line_num)]
    for line, row in listed:
        if not any(cell.strip() for cell in row):
            continue
        when = as_date(row[0].strip()) if row else None
        try:
            value = float(row[1]) if len(row) > 1 else math.nan
        except ValueError:
            value = math.nan
        if when is None:
            found.append(Failure(f"{row[0][:40]!r} is not an ISO date", file, line))
        elif when > repo.today:
            found.append(Failure(f"{when} is after today", file, line))
        elif not math.isfinite(value):
            found.append(Failure("the value is not a number", file, line))
        elif len(row) < 3 or is_placeholder(row[2]):
            found.append(Failure("the source is missing: say where the value was read", file, line))
        else:
            rows.append((line, when, value, row[2].strip()))
    return rows, found
