"""PLN001-PLN003: milestones in order and consistent, kept once passed, no shorter than the reference."""

from __future__ import annotations

from .conftest import MakeRepo
from .helpers import PASSED, line_of, outcome, run, text
from .poc import COST_MODEL, MILESTONES, OWNERSHIP

PLAN = "plan/milestones.yaml"
FILES = {"ownership.yaml": OWNERSHIP, "cost/cost_model.yaml": COST_MODEL}


def test_pln001_passes_a_plan_in_order(make_repo: MakeRepo) -> None:
    assert outcome(run("PLN001", make_repo({**FILES, PLAN: MILESTONES}))) == PASSED


def test_pln001_fails_milestones_out_of_order_at_the_line(make_repo: MakeRepo) -> None:
    swapped = text(MILESTONES).replace('load-test, date: "2099-02-15"', 'load-test, date: "2099-01-10"')
    finding = run("PLN001", make_repo({**FILES, PLAN: swapped}))
    assert finding.status == "failed" and finding.file == PLAN
    assert finding.message == "load-test (2099-01-10) comes before integration-sandbox (2099-01-31): out of order"
    assert finding.line == line_of(swapped, "name: load-test")


def test_pln001_ties_the_plan_to_the_decision_date_and_the_pilot_phase(make_repo: MakeRepo) -> None:
    moved = text(MILESTONES).replace('decision, date: "2099-01-01"', 'decision, date: "2098-12-01"')
    finding = run("PLN001", make_repo({**FILES, PLAN: moved}))
    assert "decision is 2098-12-01, but ownership.yaml's decision_date is 2099-01-01" in finding.message
    long = text(MILESTONES).replace('production, date: "2099-06-02"', 'production, date: "2099-12-01"')
    finding = run("PLN001", make_repo({**FILES, PLAN: long}))
    assert "the pilot runs 273 days (pilot-start to production), but cost/cost_model.yaml budgets" in finding.message
    missing = text(MILESTONES).replace('  - {name: load-test, date: "2099-02-15"}\n', "")
    assert run("PLN001", make_repo({**FILES, PLAN: missing})).message == "the milestone load-test is missing"


def test_pln002_fails_a_passed_milestone_with_nothing_to_show(make_repo: MakeRepo) -> None:
    passed = text(MILESTONES).replace(
        'integration-sandbox, date: "2099-01-31"', 'integration-sandbox, date: "2026-05-15"'
    )
    passed = passed.replace('decision, date: "2099-01-01"', 'decision, date: "2026-05-10"')
    finding = run("PLN002", make_repo({PLAN: passed}))
    assert finding.status == "failed" and finding.message.startswith("2 milestones passed unmet")
    assert "integration-sandbox passed on 2026-05-15 with nothing to show" in finding.message
    sandbox = '{"systems": [{"name": "tickets", "environment": "sandbox"}]}'
    evidence = run("PLN002", make_repo({PLAN: passed, "integration/results.json": sandbox}))
    assert evidence.message == "decision passed on 2026-05-10 with nothing to show: no evidence, no decision since"
    assert evidence.line == line_of(passed, "name: decision")
    assert outcome(run("PLN002", make_repo({PLAN: MILESTONES}))) == PASSED


def test_pln003_asks_why_production_comes_before_eight_months(make_repo: MakeRepo) -> None:
    assert outcome(run("PLN003", make_repo({PLAN: MILESTONES}))) == PASSED
    short = text(MILESTONES).replace('poc-start, date: "2026-05-01"', 'poc-start, date: "2098-12-01"')
    finding = run("PLN003", make_repo({PLAN: short}))
    assert (
        finding.status == "failed"
        and "sooner than the 8-month reference (244 days), with no rationale" in finding.message
    )
    argued = short.replace("rationale: null", "rationale: The system of record already has a sandbox and an API.")
    assert outcome(run("PLN003", make_repo({PLAN: argued}))) == PASSED
