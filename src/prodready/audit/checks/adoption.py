"""Adoption: whose work changes, who is retrained or reassigned, and whether it is used (ADO001-ADO004).

A POC that works is not a POC that is used: production changes how people work, and
the question "who is retrained or reassigned when this goes live?" is answered by a
plan, not by the launch. docs/adoption_plan.md holds that plan; its front matter is
the structured part the audit reads, and kpi/adoption.csv its measured metric.
"""

from __future__ import annotations

from typing import Any

from ...core.answers import email_problem
from ..decisions import parsed_front_matter
from ..repo import Failure, Repo, as_date
from .base import Check, Result, YamlFile, every, fixture, mapping, number, stated
from .business import actuals, measured

PLAN = "docs/adoption_plan.md"
#: The keys of the plan's structured part.
SECTIONS = ("change_owner", "affected_roles", "training", "adoption_metric")
ACTUALS = "kpi/adoption.csv"
DIRECTIONS = ("up", "down")


@fixture
def adoption_plan(prodready: Repo) -> YamlFile | Failure:
    """The structured part (front matter) of docs/adoption_plan.md, with the file's own line numbers."""
    parsed = parsed_front_matter(prodready, PLAN, "keep the structured part of the template's plan")
    if isinstance(parsed, Failure):
        return parsed
    document = parsed[0]
    return YamlFile(PLAN, document.data, document)


def metric(plan: YamlFile | Failure) -> dict[str, Any]:
    return plan.section("adoption_metric") if isinstance(plan, YamlFile) else {}


def actuals_file(plan: YamlFile | Failure) -> str:
    """Where the adoption metric's measurements are kept (the plan may name another file)."""
    named = metric(plan).get("actuals")
    return named if isinstance(named, str) and named else ACTUALS


class ADO001(Check, family="adoption"):
    """An adoption plan is declared

    Who changes how they work, who is retrained or reassigned, and how adoption is
    measured are decided with the teams affected, long before launch. Fix: keep
    docs/adoption_plan.md with its front matter (change_owner, affected_roles,
    training, adoption_metric); fill it in by the pilot.
    """

    @staticmethod
    def check(adoption_plan: YamlFile | Failure) -> Result:
        if isinstance(adoption_plan, Failure):
            return adoption_plan
        absent = [key for key in SECTIONS if key not in adoption_plan.data]
        if absent:
            return adoption_plan.fail(f"the front matter lacks {', '.join(absent)}", [])
        return True


def _said(value: Any) -> bool:
    """A count (0 or more) or a sentence: what was decided about retraining or reassignment."""
    count = number(value)
    return (count is not None and count >= 0) or stated(value)


def plan_gaps(plan: YamlFile) -> list[Failure]:
    """What the plan leaves unsaid, each at its place in docs/adoption_plan.md."""
    found = []
    owner = plan.section("change_owner")
    email = str(owner.get("email") or "")
    if not stated(owner.get("name")) or email_problem(email) is not None:
        found.append(plan.fail("change_owner needs the name and e-mail of who owns the change", ["change_owner"]))
    roles = plan.data.get("affected_roles")
    if not isinstance(roles, list) or not roles:
        found.append(plan.fail("affected_roles lists nobody: name each group whose work changes", ["affected_roles"]))
    for index, role in enumerate(roles if isinstance(roles, list) else []):
        role = mapping(role)
        at: list[str | int] = ["affected_roles", index]
        headcount = number(role.get("headcount"))
        unsaid = [] if stated(role.get("role")) else ["role"]
        unsaid += [] if headcount is not None and headcount >= 1 else ["headcount"]
        unsaid += [] if stated(role.get("change")) else ["change"]
        unsaid += [key for key in ("retrained", "reassigned") if not _said(role.get(key))]
        if unsaid:
            found.append(plan.fail(f"affected_roles[{index}]: {', '.join(unsaid)} not stated", at))
    dates = mapping(plan.data.get("training")).get("dates")
    if not isinstance(dates, list) or not dates or any(as_date(d) is None for d in dates):
        found.append(plan.fail("training.dates needs the training dates (ISO)", ["training"]))
    target = metric(plan)
    if not stated(target.get("name")) or number(target.get("target")) is None:
        found.append(plan.fail("adoption_metric needs a name and a numeric target", ["adoption_metric"]))
    if target.get("direction") not in DIRECTIONS:
        found.append(plan.fail("adoption_metric.direction must be up or down", ["adoption_metric"]))
    return found


class ADO002(Check, family="adoption", stage="pilot", requires={"ADO001"}):
    """The adoption plan is complete

    Before real users depend on the POC, its plan names who owns the change, every
    group whose work changes (headcount, what changes, how many are retrained and
    reassigned), the training dates, and the adoption metric with its target. Fix: fill
    in the front matter of docs/adoption_plan.md with the affected teams' leads.
    """

    @staticmethod
    def check(adoption_plan: YamlFile) -> Result:
        return every(plan_gaps(adoption_plan), "gaps in the adoption plan")


class ADO003(Check, family="adoption", stage="pilot", requires={"ADO001"}):
    """The adoption metric is measured, like the KPI

    From the pilot, adoption (usage share, override rate) is measured at the KPI's
    cadence: a POC nobody uses is a POC to kill. Fix: add a date,value,source row to
    kpi/adoption.csv (or the file adoption_metric.actuals names) at every cadence.
    """

    @staticmethod
    def check(prodready: Repo, adoption_plan: YamlFile, monitoring: YamlFile | Failure) -> Result:
        return measured(prodready, monitoring, actuals_file(adoption_plan), "adoption")


class ADO004(Check, family="adoption", stage="production", requires={"ADO003"}):
    """The adoption metric is at its target

    Scaling a system its users do not adopt scales its cost, not its value. Fix: reach
    the target adoption_metric.target sets (or revise it with the business owner) and
    record the measurement in kpi/adoption.csv.
    """

    @staticmethod
    def check(prodready: Repo, adoption_plan: YamlFile) -> Result:
        target, direction = number(metric(adoption_plan).get("target")), metric(adoption_plan).get("direction")
        if target is None or direction not in DIRECTIONS:
            return adoption_plan.fail("adoption_metric has no target and direction", ["adoption_metric"])
        file = actuals_file(adoption_plan)
        text = prodready.read(file)
        rows = actuals(text, prodready, file)[0] if isinstance(text, str) else []
        if not rows:
            return Failure("no adoption value is recorded", file, 1)
        line, _, value, _ = max(rows, key=lambda row: (row[1], row[0]))
        reached = value >= target if direction == "up" else value <= target
        if not reached:
            return Failure(f"adoption is {value:g}, short of its target {target:g} ({direction})", file, line)
        return True
