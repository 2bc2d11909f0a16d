"""ADO001-ADO004: the adoption plan declared, complete by the pilot, measured, at target by production."""

from __future__ import annotations

from .conftest import MakeRepo
from .helpers import PASSED, line_of, outcome, run
from .poc import ADOPTION_PLAN, MONITORING

PLAN = "docs/adoption_plan.md"
ACTUALS = "kpi/adoption.csv"
COMPLETE = """---
schema_version: 1
change_owner: {name: Nadia Haddad, email: nadia.haddad@acme.io}
affected_roles:
  - role: Tier-1 agents who route tickets by hand
    headcount: 24
    change: They review routed tickets instead of routing them.
    retrained: 24, on reviewing and overriding the routing
    reassigned: 0
training: {literacy_item: GOV-010, dates: ["2026-07-01", "2026-07-15"]}
adoption_metric: {name: share of tickets routed without override, target: 0.8, direction: up, actuals: kpi/adoption.csv}
---
# Adoption plan
"""


def test_ado001_wants_the_structured_part(make_repo: MakeRepo) -> None:
    assert outcome(run("ADO001", make_repo({PLAN: ADOPTION_PLAN}))) == PASSED
    assert run("ADO001", make_repo({})).message == f"`{PLAN}` is missing"
    prose = run("ADO001", make_repo({PLAN: "# Adoption plan\n\nWe will train people.\n"}))
    assert prose.status == "failed" and "has no front matter" in prose.message and prose.line == 1
    broken = run("ADO001", make_repo({PLAN: "---\nchange_owner: [\n---\n"}))
    assert broken.status == "failed" and broken.file == PLAN and broken.line is not None
    partial = run("ADO001", make_repo({PLAN: "---\nchange_owner: {name: null}\n---\n"}))
    assert partial.message == "the front matter lacks affected_roles, training, adoption_metric"


def test_ado002_names_every_gap_at_its_line(make_repo: MakeRepo) -> None:
    assert outcome(run("ADO002", make_repo({PLAN: COMPLETE}))) == PASSED
    finding = run("ADO002", make_repo({PLAN: ADOPTION_PLAN}))
    assert finding.status == "failed" and finding.message.startswith("5 gaps in the adoption plan")
    assert (
        f"line {line_of(ADOPTION_PLAN, '  - role:')}: affected_roles[0]: headcount, change, retrained, reassigned not stated"
        in finding.message
    )
    assert finding.line == line_of(ADOPTION_PLAN, "change_owner:")
    for gap in ("change_owner needs the name and e-mail", "training.dates needs", "adoption_metric needs a name"):
        assert gap in finding.message


def test_ado003_and_ado004_track_the_metric_like_the_kpi(make_repo: MakeRepo) -> None:
    files = {PLAN: COMPLETE, "monitoring/monitoring.yaml": MONITORING}
    empty = run("ADO003", make_repo({**files, ACTUALS: "date,value,source\n"}))
    assert empty.status == "failed" and empty.message.startswith("no adoption value is recorded yet")
    measured = {**files, ACTUALS: "date,value,source\n2026-05-28,0.62,CRM override report\n"}
    assert outcome(run("ADO003", make_repo(measured))) == PASSED
    short = run("ADO004", make_repo(measured))
    assert short.status == "failed" and short.message == "adoption is 0.62, short of its target 0.8 (up)"
    assert short.file == ACTUALS and short.line == 2
    reached = {**files, ACTUALS: "date,value,source\n2026-05-28,0.83,CRM override report\n"}
    assert outcome(run("ADO004", make_repo(reached))) == PASSED
