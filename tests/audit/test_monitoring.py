"""MON001-MON004 on an inline monitoring.yaml (and the ownership.yaml it must agree with)."""

from __future__ import annotations

import pytest

from prodready.audit.checks import monitoring_findings
from prodready.io.yamlio import load_yaml

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run

FILE = "monitoring/monitoring.yaml"

MONITORING = """
    schema_version: 1
    service: ticket-triage
    slos:
      window_days: 28
      latency_p95_seconds: 0.3
      availability: 0.99
      error_rate: 0.02
    drift:
      reference_profile: monitoring/profile.json
      psi_warn: 0.1
      psi_alert: 0.25
      js_distance_alert: 0.1
      dataset_drift_share: 0.5
    kpi:
      name: Median time to first response (hours)
      owner: lucas.bernard@acme.io
      source: The ticketing system.
      cadence: weekly
    alerts:
      route: Platform-Oncall@acme.io
    fallback:
      behaviour: Hand the ticket to an agent.
      latency_budget_seconds: 1.0
    retraining:
      trigger: Dataset drift.
      owner: jonas.berg@acme.io
    """

OWNERSHIP = """
    roles:
      technical_lead: {name: Mei Tanaka, email: mei.tanaka@acme.io}
    oncall:
      team: Customer Platform SRE
      email: platform-oncall@acme.io
    data:
      tickets: {owner_email: Jonas.Berg@acme.io}
    """


def monitoring(old: str, new: str) -> str:
    assert old in MONITORING, old
    return MONITORING.replace(old, new, 1)


# -- MON001 ---------------------------------------------------------------------------------


def test_mon001_passes_on_a_valid_file(make_repo: MakeRepo) -> None:
    assert outcome(run("MON001", make_repo({FILE: MONITORING}))) == PASSED


def test_mon001_fails_at_the_first_schema_violation(make_repo: MakeRepo) -> None:
    damaged = monitoring("window_days: 28", "window_days: many")
    finding = run("MON001", make_repo({FILE: damaged}))
    message = 'slos/window_days: "many" is not of type "integer"'
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "window_days"))


def test_mon001_names_every_violation_at_the_first(make_repo: MakeRepo) -> None:
    damaged = monitoring("window_days: 28", "window_days: many").replace("psi_warn: 0.1", "psi_warn: 0.3")
    finding = run("MON001", make_repo({FILE: damaged}))
    window, warn = line_of(damaged, "window_days"), line_of(damaged, "psi_warn")
    message = (
        f'2 problems: line {window}: slos/window_days: "many" is not of type "integer"; '
        f"line {warn}: drift.psi_warn must be below drift.psi_alert"
    )
    assert outcome(finding) == ("failed", message, FILE, window)


def test_mon001_fails_when_the_warning_is_above_the_alert(make_repo: MakeRepo) -> None:
    damaged = monitoring("psi_warn: 0.1", "psi_warn: 0.3")
    finding = run("MON001", make_repo({FILE: damaged}))
    message = "drift.psi_warn must be below drift.psi_alert"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "psi_warn"))


def test_mon001_fails_when_missing(make_repo: MakeRepo) -> None:
    assert outcome(run("MON001", make_repo({}))) == ("failed", f"`{FILE}` is missing", FILE, None)


def test_monitoring_findings_lists_every_violation_of_any_file(make_repo: MakeRepo) -> None:
    damaged = monitoring("window_days: 28", "window_days: many").replace("psi_warn: 0.1", "psi_warn: 0.3")
    repo = make_repo({"elsewhere.yaml": damaged})
    found = monitoring_findings(load_yaml(repo.root / "elsewhere.yaml"), "elsewhere.yaml")
    assert [(str(f), f.file, f.line) for f in found] == [
        ('slos/window_days: "many" is not of type "integer"', "elsewhere.yaml", line_of(damaged, "window_days")),
        ("drift.psi_warn must be below drift.psi_alert", "elsewhere.yaml", line_of(damaged, "psi_warn")),
    ]


# -- MON002 ---------------------------------------------------------------------------------


def test_mon002_passes_when_alerts_reach_oncall(make_repo: MakeRepo) -> None:
    assert outcome(run("MON002", make_repo({FILE: MONITORING, "ownership.yaml": OWNERSHIP}))) == PASSED


def test_mon002_fails_when_alerts_go_elsewhere(make_repo: MakeRepo) -> None:
    damaged = monitoring("route: Platform-Oncall@acme.io", "route: nobody@acme.io")
    finding = run("MON002", make_repo({FILE: damaged, "ownership.yaml": OWNERSHIP}))
    message = "alerts.route is 'nobody@acme.io', the on-call contact is 'platform-oncall@acme.io'"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "route:"))


def test_mon002_has_nothing_to_say_without_ownership(make_repo: MakeRepo) -> None:
    assert outcome(run("MON002", make_repo({FILE: MONITORING}))) == NOT_APPLICABLE


# -- MON003 ---------------------------------------------------------------------------------


def test_mon003_passes_when_the_profile_exists(make_repo: MakeRepo) -> None:
    assert outcome(run("MON003", make_repo({FILE: MONITORING, "monitoring/profile.json": "{}"}))) == PASSED


def test_mon003_fails_without_the_profile(make_repo: MakeRepo) -> None:
    finding = run("MON003", make_repo({FILE: MONITORING}))
    message = "the reference profile monitoring/profile.json does not exist"
    assert outcome(finding) == ("failed", message, FILE, line_of(MONITORING, "reference_profile"))


def test_mon003_looks_for_the_default_profile_when_none_is_named(make_repo: MakeRepo) -> None:
    damaged = monitoring("      reference_profile: monitoring/profile.json\n", "")
    assert outcome(run("MON003", make_repo({FILE: damaged, "monitoring/reference_profile.json": "{}"}))) == PASSED
    finding = run("MON003", make_repo({FILE: damaged}))
    message = "the reference profile monitoring/reference_profile.json does not exist"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "drift:"))


def test_mon003_fails_on_the_templates_placeholder_profile(make_repo: MakeRepo) -> None:
    placeholder = '{"version": 2, "placeholder": "the template\'s profile of its synthetic sample"}'
    finding = run("MON003", make_repo({FILE: MONITORING, "monitoring/profile.json": placeholder}))
    assert finding.status == "failed" and finding.line == line_of(MONITORING, "reference_profile")
    assert "still the template's profile of its synthetic sample" in finding.message


@pytest.mark.parametrize("text", ["[" * 100_000, "not json", '["placeholder"]'])
def test_mon003_leaves_an_unreadable_profile_to_drift_check(make_repo: MakeRepo, text: str) -> None:
    assert outcome(run("MON003", make_repo({FILE: MONITORING, "monitoring/profile.json": text}))) == PASSED


# -- MON004 ---------------------------------------------------------------------------------


def test_mon004_passes_when_a_person_of_ownership_retrains(make_repo: MakeRepo) -> None:
    assert outcome(run("MON004", make_repo({FILE: MONITORING, "ownership.yaml": OWNERSHIP}))) == PASSED


def test_mon004_fails_when_the_retraining_owner_is_unknown(make_repo: MakeRepo) -> None:
    damaged = monitoring("owner: jonas.berg@acme.io", "owner: someone.else@acme.io")
    finding = run("MON004", make_repo({FILE: damaged, "ownership.yaml": OWNERSHIP}))
    message = "retraining.owner 'someone.else@acme.io' is not a person of ownership.yaml"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "someone.else"))


def test_mon004_fails_when_ownership_names_nobody(make_repo: MakeRepo) -> None:
    finding = run("MON004", make_repo({FILE: MONITORING}))
    assert finding.status == "failed" and "'jonas.berg@acme.io' is not a person of ownership.yaml" in finding.message


@pytest.mark.parametrize(
    ("profile", "reason"),
    [
        ("../outside/profile.json", "`../outside/profile.json` climbs out of the repository with `..`"),
        ("/etc/hostname", "`/etc/hostname` is an absolute path"),
        ("monitoring/linked.json", "`monitoring/linked.json` is a symbolic link leaving the repository"),
    ],
)
def test_mon003_fails_on_a_profile_outside_the_repository(make_repo: MakeRepo, profile: str, reason: str) -> None:
    damaged = monitoring("reference_profile: monitoring/profile.json", f"reference_profile: {profile}")
    repo = make_repo({FILE: damaged})
    (repo.root / "monitoring" / "linked.json").symlink_to("/etc/hostname")
    finding = run("MON003", repo)
    assert (finding.status, finding.line) == ("failed", line_of(damaged, "reference_profile"))
    assert finding.message.startswith(f"the reference profile {reason}")


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("psi_alert: .inf", "drift/psi_alert: "),
        ("psi_alert: .nan", "drift/psi_alert: "),
        ("psi_alert: 1" + "0" * 400, "drift/psi_alert: is too large a number"),
    ],
)
def test_mon001_fails_on_thresholds_drift_cannot_use(make_repo: MakeRepo, threshold: str, message: str) -> None:
    damaged = monitoring("psi_alert: 0.25", threshold)
    finding = run("MON001", make_repo({FILE: damaged}))
    assert (finding.status, finding.line) == ("failed", line_of(damaged, "psi_alert"))
    assert finding.message.startswith(message), finding.message


def test_mon001_reads_yaml_values_json_has_not(make_repo: MakeRepo) -> None:
    """Dates and non-text keys reach the schema validator as text, never as an exception."""
    damaged = monitoring("service: ticket-triage", "service: 2026-01-01\n    1: 2")
    assert outcome(run("MON001", make_repo({FILE: damaged}))) == PASSED
