"""Monitoring: SLOs, drift thresholds, alerts, fallback and retraining (MON001-MON004)."""

from __future__ import annotations

import json

from ...drift.thresholds import threshold_problems
from ...io.schemas import schema_errors
from ...io.yamlio import YamlDocument
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, load, skip_unreadable

MONITORING = "monitoring/monitoring.yaml"
DEFAULT_PROFILE = "monitoring/reference_profile.json"


@fixture
def monitoring(prodready: Repo) -> YamlFile | Failure:
    """monitoring/monitoring.yaml (or why it cannot be read)."""
    return load(prodready, MONITORING)


def problems(monitoring: YamlFile | Failure) -> list[Failure]:
    """Every schema violation of a monitoring file, located; the Failure itself when it cannot be read."""

    if isinstance(monitoring, Failure):
        return [monitoring]
    failures = [
        monitoring.fail(f"{'/'.join(map(str, path)) or '(top level)'}: {message}", list(path))
        for path, message in schema_errors("monitoring", monitoring.data)
    ]
    reported = {failure.line for failure in failures}
    if "drift" in monitoring.data:  # what the schema lets through: infinities, numbers too large for a float
        for where, problem in threshold_problems(monitoring.data["drift"]):
            failure = monitoring.fail(f"{'/'.join(map(str, where))}: {problem}", where)
            if failure.line not in reported:
                failures.append(failure)
    drift = monitoring.section("drift")
    warn, alert = drift.get("psi_warn"), drift.get("psi_alert")
    if isinstance(warn, int | float) and isinstance(alert, int | float) and warn >= alert:
        failures.append(monitoring.fail("drift.psi_warn must be below drift.psi_alert", ["drift", "psi_warn"]))
    return failures


def monitoring_findings(document: YamlDocument, file: str = MONITORING) -> list[Failure]:
    """Every schema violation of a parsed monitoring.yaml, located (`prodready monitoring lint`)."""
    if not isinstance(document.data, dict):
        return [Failure(f"`{file}` is not a mapping of keys to values", file, 1)]
    return problems(YamlFile(file, document.data, document))


class MON001(Check, family="monitoring"):
    """monitoring.yaml is valid

    SLOs, drift thresholds and the fallback are read by the runtime wrapper and by
    `prodready drift`; an invalid file silently disables them. Fix: run
    `prodready monitoring lint` and correct what it reports.
    """

    @staticmethod
    def check(monitoring: YamlFile | Failure) -> Result:
        return every(problems(monitoring), "problems")


class MON002(Check, family="monitoring", requires={"MON001", "OWN001"}):
    """Alerts go to the on-call contact of ownership.yaml

    An alert route that is not the on-call team's pages nobody. Fix: set alerts.route
    to oncall.email of ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(monitoring: YamlFile, ownership: YamlFile) -> Result:
        route = str(monitoring.data["alerts"]["route"]).lower()
        oncall = str(ownership.section("oncall").get("email", "")).lower()
        if route != oncall:
            return monitoring.fail(f"alerts.route is {route!r}, the on-call contact is {oncall!r}", ["alerts", "route"])
        return True


class MON003(Check, family="monitoring", stage="pilot", requires={"MON001"}):
    """A drift reference profile of the POC's own data exists

    Drift can only be measured against a reference, and the template's profile of its
    synthetic sample (marked `placeholder`) is not one. Fix: run `prodready drift
    profile` on the data the model was built on and commit the profile at
    drift.reference_profile.
    """

    @staticmethod
    @skip_unreadable
    def check(monitoring: YamlFile, prodready: Repo) -> Result:
        profile = str(monitoring.data["drift"].get("reference_profile") or DEFAULT_PROFILE)
        located = prodready.locate(profile)
        if isinstance(located, Failure):
            return monitoring.fail(f"the reference profile {located}", ["drift", "reference_profile"])
        if located is None or not located.is_file():
            return monitoring.fail(f"the reference profile {profile} does not exist", ["drift", "reference_profile"])
        if _placeholder(prodready.text(profile)):
            return monitoring.fail(
                f"the reference profile {profile} is still the template's profile of its synthetic sample; fix: "
                "`prodready drift profile` the data the model is built on and commit it there",
                ["drift", "reference_profile"],
            )
        return True


def _placeholder(text: str | None) -> bool:
    """Whether a profile carries the template's ``placeholder`` key (which no drift profile writes).

    A profile that cannot be read as JSON is drift check's to refuse, not this check's.
    """
    if text is None:
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "placeholder" in data


class MON004(Check, family="monitoring", stage="pilot", requires={"MON001", "OWN001"}):
    """Retraining has a trigger and an owner named in ownership.yaml

    Models degrade; someone must be responsible for noticing and retraining. Fix: set
    retraining.trigger and retraining.owner to a person of ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(monitoring: YamlFile, owner_emails: frozenset[str]) -> Result:
        owner = str(monitoring.data["retraining"]["owner"]).lower()
        if owner not in owner_emails:
            return monitoring.fail(
                f"retraining.owner {owner!r} is not a person of ownership.yaml", ["retraining", "owner"]
            )
        return True
