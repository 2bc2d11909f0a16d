"""Plan: milestones to production in order, consistent, and honest once passed (PLN001-PLN003).

plan/milestones.yaml dates the path from POC to production: the decision, a sandbox for
every integration, the load test, the pilot's start, production. The audit keeps the
plan in order and consistent with the decision date (ownership.yaml) and the cost
model's pilot phase, fails a milestone that passed with nothing to show for it, and by
the pilot asks why a plan promises production sooner than the reference eight months.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from ...core.costing import Projection
from ...core.plan import DAYS_PER_MONTH, MILESTONES, PHASE_TOLERANCE_DAYS, REFERENCE_MONTHS, months_to_days
from ...core.stages import STAGES
from ..decisions import Decision
from ..repo import Failure, Repo, as_date
from .base import Check, Result, YamlFile, every, fixture, load, load_json, stated
from .business import BusinessCase

PLAN = "plan/milestones.yaml"
#: The stage a milestone starts, when it starts one.
STARTS = {"pilot-start": "pilot", "production": "production"}
#: The evidence a milestone leaves in the repository, when it is not a stage.
EVIDENCE = {"integration-sandbox": "integration/results.json", "load-test": "load/results.json"}


@fixture
def milestones(prodready: Repo) -> YamlFile | Failure:
    """plan/milestones.yaml."""
    return load(prodready, PLAN)


def dated(plan: YamlFile) -> dict[str, tuple[int, date | None]]:
    """Each milestone by name: (its index in the list, its date or None)."""
    listed = plan.data.get("milestones")
    found: dict[str, tuple[int, date | None]] = {}
    for index, entry in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            found.setdefault(entry["name"], (index, as_date(entry.get("date"))))
    return found


def _order_problems(plan: YamlFile, dates: dict[str, tuple[int, date | None]]) -> list[Failure]:
    found = []
    for name in MILESTONES:
        if name not in dates:
            found.append(plan.fail(f"the milestone {name} is missing", ["milestones"]))
        elif dates[name][1] is None:
            found.append(plan.fail(f"{name} has no ISO date", ["milestones", dates[name][0], "date"]))
    known = [(name, dates[name]) for name in MILESTONES if name in dates and dates[name][1] is not None]
    for (before, (_, earlier)), (after, (index, later)) in itertools.pairwise(known):
        if earlier is not None and later is not None and later < earlier:
            found.append(
                plan.fail(f"{after} ({later}) comes before {before} ({earlier}): out of order", ["milestones", index])
            )
    return found


class PLN001(Check, family="plan", requires={"OWN001"}):
    """The milestones to production are in order, on the decision date and the cost model's pilot phase

    A plan whose dates contradict the decision date or the budgeted phases is two
    plans. Fix: keep poc-start, decision, integration-sandbox, load-test, pilot-start and
    production in plan/milestones.yaml in that order; while a POC, the decision on
    ownership.yaml's decision_date (`prodready decide extend` moves both); production
    about timeline.pilot_months after pilot-start (or change the cost model with it).
    """

    @staticmethod
    def check(
        milestones: YamlFile | Failure,
        business: BusinessCase | Failure,
        projection: Projection | Failure,
        prodready: Repo,
    ) -> Result:
        if isinstance(milestones, Failure):
            return milestones
        dates = dated(milestones)
        found = _order_problems(milestones, dates)
        # The decision milestone is the POC's go/no-go: once decided, decision_date is the next review's.
        poc = prodready.stage == STAGES[0]
        decision = (
            as_date((business.section or {}).get("decision_date"))
            if poc and isinstance(business, BusinessCase)
            else None
        )
        index, planned = dates.get("decision", (0, None))
        if decision is not None and planned is not None and planned != decision:
            found.append(
                milestones.fail(
                    f"decision is {planned}, but ownership.yaml's decision_date is {decision}: keep them the same",
                    ["milestones", index, "date"],
                )
            )
        (_, start), (index, end) = dates.get("pilot-start", (0, None)), dates.get("production", (0, None))
        if isinstance(projection, Projection) and start is not None and end is not None and end >= start:
            months = projection.model.pilot_months
            expected = months_to_days(float(months))
            if abs((end - start).days - expected) > PHASE_TOLERANCE_DAYS:
                found.append(
                    milestones.fail(
                        f"the pilot runs {(end - start).days} days (pilot-start to production), but "
                        f"cost/cost_model.yaml budgets timeline.pilot_months {months} (about {expected} days)",
                        ["milestones", index, "date"],
                    )
                )
        return every(found, "problems in the plan")


def _evidence(prodready: Repo, name: str) -> bool:
    """Whether a milestone that is not a stage left its evidence (a verified sandbox, a load test)."""
    file = EVIDENCE.get(name)
    if file is None:
        return False
    results = load_json(prodready, file)
    if isinstance(results, Failure):
        return False
    if name == "integration-sandbox":
        systems: Any = results.get("systems")
        return isinstance(systems, list) and any(
            isinstance(s, dict) and s.get("environment") in ("sandbox", "live") for s in systems
        )
    return True


def _kept(name: str, when: date, prodready: Repo, records: list[Decision]) -> bool:
    """Whether a passed milestone shows: its stage reached, its evidence, or a decision taken on or after it."""
    if name == "poc-start":
        return True
    if name in STARTS and STAGES.index(prodready.stage) >= STAGES.index(STARTS[name]):
        return True
    if name == "decision" and records:
        return True
    return _evidence(prodready, name) or any(record.taken_on >= when for record in records)


class PLN002(Check, family="plan", requires={"PLN001"}):
    """No milestone passed without its stage, its evidence or a decision

    A date that passes silently is how a POC becomes a zombie: the pilot that did not
    start, the sandbox nobody reached. Fix: reach the milestone (the stage it starts,
    recorded by `prodready decide`; a sandbox verified by `nox -s integration`; a load
    test's results), or record a decision (`prodready decide extend`, `kill`) and move
    the dates.
    """

    @staticmethod
    def check(milestones: YamlFile, prodready: Repo, decisions: tuple[list[Decision], list[Failure]]) -> Result:
        records = decisions[0]
        if records and records[-1].kind == "kill":
            return True
        found = []
        for name, (index, when) in dated(milestones).items():
            passed = name in MILESTONES and when is not None and when < prodready.today
            if passed and when is not None and not _kept(name, when, prodready, records):
                found.append(
                    milestones.fail(
                        f"{name} passed on {when} with nothing to show: no {STARTS.get(name, 'evidence')}, "
                        "no decision since",
                        ["milestones", index],
                    )
                )
        return every(found, "milestones passed unmet")


class PLN003(Check, family="plan", stage="pilot", requires={"PLN001"}):
    """The plan gives production the reference eight months, or says why not

    Going from AI prototype to production takes about eight months on average; a plan
    that promises less without a reason is the usual surprise, and its budget with it.
    Fix: move production (and the cost model's phases) to at least eight months after
    poc-start, or write in `rationale` why this POC can go faster.
    """

    @staticmethod
    def check(milestones: YamlFile) -> Result:
        dates = dated(milestones)
        (_, start), (index, end) = dates.get("poc-start", (0, None)), dates.get("production", (0, None))
        if start is None or end is None or stated(milestones.data.get("rationale")):
            return True
        days, reference = (end - start).days, months_to_days(REFERENCE_MONTHS)
        if days < reference:
            return milestones.fail(
                f"production is planned {days} days ({days / DAYS_PER_MONTH:.1f} months) after poc-start, sooner "
                f"than the {REFERENCE_MONTHS}-month reference ({reference} days), with no rationale",
                ["milestones", index, "date"],
            )
        return True
