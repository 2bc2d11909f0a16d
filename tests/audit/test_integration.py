"""INT001-INT004: the integration map declared, its systems described, verified and named."""

from __future__ import annotations

import json

from .conftest import MakeRepo
from .helpers import PASSED, line_of, outcome, run, text
from .poc import SYSTEMS, WORKFLOW

MAP = "integration/systems.yaml"
RESULTS = "integration/results.json"
CONTRACT = {
    "contracts/tickets.odcs.yaml": "kind: DataContract\n",
    "contracts/decisions.odcs.yaml": "kind: x\n",
    # The developer portal lists both systems, as the template writes them from the map.
    "catalog-info.yaml": "spec:\n  dependsOn: [resource:default/tickets, resource:default/decisions]\n",
}
#: Both systems described in full and reached in a sandbox.
READY = """
    schema_version: 1
    systems:
      - name: tickets
        direction: in
        protocol: postgresql
        owner: {team: Support Data, contact: jonas.berg@acme.io}
        auth: service account (vault)
        environment: sandbox
        failure: retry
        contract: contracts/tickets.odcs.yaml
      - name: decisions
        direction: out
        protocol: https (CRM API)
        owner: {team: CRM Platform, contact: crm@acme.io}
        auth: OAuth client credentials
        environment: sandbox
        failure: dead-letter
        contract: contracts/decisions.odcs.yaml
    """


def verified(environment: str = "sandbox", date: str = "2026-05-30", **failed: str) -> str:
    systems = [
        {
            "name": name,
            "environment": environment,
            "checks": {"consumer": None, "provider": failed.get(name)},
            "passed": name not in failed,
        }
        for name in ("tickets", "decisions")
    ]
    return json.dumps({"date": date, "systems": systems})


def test_int001_passes_the_generated_shape(make_repo: MakeRepo) -> None:
    assert outcome(run("INT001", make_repo({MAP: SYSTEMS, **CONTRACT}))) == PASSED


def test_int001_fails_without_an_outbound_system_at_its_line(make_repo: MakeRepo) -> None:
    """Removing the outbound system fails INT001, at the systems list."""
    inbound_only = text(SYSTEMS).split("  - name: decisions")[0]
    finding = run("INT001", make_repo({MAP: inbound_only, **CONTRACT}))
    assert finding.status == "failed" and finding.file == MAP
    assert "no outbound (direction: out) system with an owner" in finding.message
    assert finding.line == line_of(inbound_only, "systems:")


def test_int001_names_each_malformed_system(make_repo: MakeRepo) -> None:
    broken = (
        text(SYSTEMS)
        .replace("direction: in", "direction: sideways")
        .replace("environment: mocked", "environment: prod", 1)
    )
    broken = broken.replace("contract: contracts/tickets.odcs.yaml", "contract: ../../etc/passwd")
    finding = run("INT001", make_repo({MAP: broken, **CONTRACT}))
    assert finding.status == "failed" and finding.message.startswith("4 problems in the integration map")
    for problem in (
        "tickets: direction is 'sideways', not one of in, out, both",
        "tickets: environment is 'prod', not one of mocked, sandbox, live",
        "tickets: contract '../../etc/passwd' is not a file of the repository",
        "no inbound (direction: in) system with an owner",
    ):
        assert problem in finding.message


def test_int001_reports_a_missing_or_empty_map(make_repo: MakeRepo) -> None:
    assert run("INT001", make_repo({})).message == f"`{MAP}` is missing"
    assert "no systems are listed" in run("INT001", make_repo({MAP: "systems: []\n"})).message


def test_int002_wants_the_ci_step(make_repo: MakeRepo) -> None:
    assert outcome(run("INT002", make_repo({".github/workflows/ci.yml": WORKFLOW}))) == PASSED
    without = WORKFLOW.replace("          - run: nox -s integration\n", "")
    finding = run("INT002", make_repo({".github/workflows/ci.yml": without}))
    assert finding.status == "failed" and "`nox -s integration`" in finding.message


def test_int003_wants_every_system_described_in_a_sandbox_and_verified(make_repo: MakeRepo) -> None:
    assert outcome(run("INT003", make_repo({MAP: READY, RESULTS: verified(), **CONTRACT}))) == PASSED
    finding = run("INT003", make_repo({MAP: SYSTEMS, **CONTRACT}))
    assert finding.status == "failed" and finding.message.startswith("3 systems not ready for the pilot")
    assert "run `nox -s integration` and commit it" in finding.message
    assert f"{MAP}:{line_of(text(SYSTEMS), 'name: tickets')}: tickets: auth not stated" in finding.message
    assert finding.file == MAP
    assert "decisions: owner.team, protocol, auth, contract not stated" in finding.message


def test_int003_judges_the_committed_results(make_repo: MakeRepo) -> None:
    failing = run("INT003", make_repo({MAP: READY, RESULTS: verified(decisions="403 from the sandbox"), **CONTRACT}))
    assert failing.status == "failed" and "decisions did not pass: provider: 403 from the sandbox" in failing.message
    assert failing.file == MAP and failing.line == line_of(text(READY), "name: decisions")
    stale = run("INT003", make_repo({MAP: READY, RESULTS: verified(date="2025-01-01"), **CONTRACT}))
    assert stale.status == "failed" and "is not from the last 90 days" in stale.message
    mocked = run("INT003", make_repo({MAP: READY, RESULTS: verified(environment="mocked"), **CONTRACT}))
    assert mocked.status == "failed" and "was tested 'mocked', not 'sandbox'" in mocked.message


def test_int003_wants_every_system_in_the_catalog(make_repo: MakeRepo) -> None:
    files = {MAP: READY, RESULTS: verified(), **CONTRACT}
    catalog = "spec:\n  dependsOn: [resource:default/tickets]\n  consumesApis: []\n"
    finding = run("INT003", make_repo({**files, "catalog-info.yaml": catalog}))
    assert finding.message == "decisions is not in catalog-info.yaml's spec.dependsOn (or consumesApis)"
    assert finding.line == line_of(text(READY), "name: decisions")
    api = "spec:\n  dependsOn: [resource:default/tickets]\n  consumesApis: [api:default/decisions]\n"
    assert outcome(run("INT003", make_repo({**files, "catalog-info.yaml": api}))) == PASSED


def test_int004_wants_outbound_systems_live_verified_and_in_the_runbook(make_repo: MakeRepo) -> None:
    live = READY.replace("environment: sandbox", "environment: live")
    runbook = {"docs/runbook.md": "# Runbook\n\n- Downstream: `decisions`, the CRM.\n"}
    files = {MAP: live, RESULTS: verified("live"), **CONTRACT}
    assert outcome(run("INT004", make_repo({**files, **runbook}))) == PASSED
    finding = run("INT004", make_repo(files))
    assert finding.status == "failed" and finding.message == "decisions is not named in docs/runbook.md"
    sandbox = run("INT004", make_repo({MAP: READY, RESULTS: verified(), **CONTRACT, **runbook}))
    assert sandbox.status == "failed" and sandbox.message == "decisions is sandbox, not live"
