"""The path from POC to production as dated milestones (plan/milestones.yaml).

A decision date alone says when to decide, not how long production will take: moving a
POC to production takes about eight months on average, and a plan that promises less
without saying why is the usual surprise. The template writes the milestones from the
answers and the cost model's phases; the audit (PLN001-PLN003) keeps them in order,
consistent with the decision date and the cost model, and honest once passed.

Standard library only: the template's hooks load this module by path.
"""

from __future__ import annotations

from datetime import date, timedelta

#: The milestones of every plan, in the order they must fall.
MILESTONES: tuple[str, ...] = ("poc-start", "decision", "integration-sandbox", "load-test", "pilot-start", "production")
#: What each milestone means, for the generated file and the docs.
MEANINGS: dict[str, str] = {
    "poc-start": "the POC began (the repository was generated)",
    "decision": "the go/no-go decision (ownership.yaml business_case.decision_date)",
    "integration-sandbox": "every system of integration/systems.yaml reachable in a sandbox and verified in CI",
    "load-test": "`nox -s load` green at the production peak against the real (or sandbox) dependencies",
    "pilot-start": "real users depend on the POC (stage pilot)",
    "production": "the POC runs at production scale (stage production)",
}
#: The months from AI prototype to production on average (the reference a shorter plan must argue with).
REFERENCE_MONTHS = 8
DAYS_PER_MONTH = 30.44
#: Default gaps after the decision, in days: the sandbox, the load test, the pilot's start.
AFTER_DECISION = {"integration-sandbox": 30, "load-test": 45, "pilot-start": 61}
#: How far (days) the pilot phase of the plan may differ from the cost model's pilot_months.
PHASE_TOLERANCE_DAYS = 31


def months_to_days(months: float) -> int:
    return round(float(months) * DAYS_PER_MONTH)


def milestones(decision: date, pilot_months: float, start: date) -> dict[str, date]:
    """The dates a new POC's plan starts with: from its start, its decision date and the pilot's length."""
    dates = {"poc-start": start, "decision": decision}
    dates.update({name: decision + timedelta(days=days) for name, days in AFTER_DECISION.items()})
    dates["production"] = dates["pilot-start"] + timedelta(days=months_to_days(pilot_months))
    return dates


def from_answers(decision_date: str, pilot_months: float, today: str) -> dict[str, str]:
    """``milestones`` for the template: ISO strings in, ISO strings out."""
    planned = milestones(date.fromisoformat(decision_date), pilot_months, date.fromisoformat(today))
    return {name: day.isoformat() for name, day in planned.items()}
