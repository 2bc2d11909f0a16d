"""EVL001-EVL007 on inline evaluation files: the gate is read, judged again, and tied to the KPI."""

from __future__ import annotations

import json

import pytest

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run
from .poc import EVALUATION, OPENAPI, WORKFLOW

FILE = "evaluation/eval.yaml"
RESULTS = "evaluation/results.json"
DATA = {"tests/data/tickets.csv": "id,label\n1,a\n"}
OWNERSHIP = """
    roles:
      business_owner: {name: Lucas Bernard, email: lucas.bernard@acme.io}
    """
MONITORING = """
    slos: {latency_p95_seconds: 0.3, availability: 0.99, error_rate: 0.02}
    records: {owner: lucas.bernard@acme.io, retention_days: 90}
    """


def results(**changes: object) -> str:
    base = {
        "date": "2026-05-28T09:00:00+00:00",
        "model": "gbm-3",
        "placeholder": False,
        "cases": 40,
        "metric": "recall",
        "value": 0.8,
        "threshold": 0.5,
        "baseline": {"name": "majority-class", "value": 0.0},
        "min_margin": 0.2,
        "passed": True,
    }
    return json.dumps({**base, **changes})


def evaluation(old: str, new: str) -> str:
    assert old in EVALUATION, old
    return EVALUATION.replace(old, new, 1)


# -- EVL001 ---------------------------------------------------------------------------------


def test_evl001_passes_on_the_poc_file(make_repo: MakeRepo) -> None:
    assert outcome(run("EVL001", make_repo({FILE: EVALUATION, **DATA}))) == PASSED


def test_evl001_names_every_problem(make_repo: MakeRepo) -> None:
    damaged = evaluation("metric: recall", "metric: bleu").replace("pilot_design: ab", "pilot_design: vibes")
    finding = run("EVL001", make_repo({FILE: damaged, **DATA}))
    assert finding.status == "failed" and finding.message.startswith("2 problems in evaluation/eval.yaml")
    assert 'kpi_link/pilot_design: "vibes" is not one of' in finding.message
    assert 'metric: "bleu" is not one of' in finding.message
    assert finding.line == line_of(damaged, "pilot_design")


def test_evl001_refuses_a_golden_set_outside_the_repository(make_repo: MakeRepo) -> None:
    damaged = evaluation("golden_set: tests/data/tickets.csv", "golden_set: ../../etc/passwd")
    finding = run("EVL001", make_repo({FILE: damaged}))
    assert finding.status == "failed" and "golden_set `../../etc/passwd`" in finding.message
    assert finding.line == line_of(damaged, "golden_set")


def test_evl001_fails_when_missing(make_repo: MakeRepo) -> None:
    assert outcome(run("EVL001", make_repo({}))) == ("failed", f"`{FILE}` is missing", FILE, None)


# -- EVL002 and EVL003 ------------------------------------------------------------------------


def test_evl002_wants_the_evaluation_in_ci(make_repo: MakeRepo) -> None:
    assert outcome(run("EVL002", make_repo({".github/workflows/ci.yml": WORKFLOW}))) == PASSED
    without = WORKFLOW.replace("          - run: nox -s eval\n", "")
    finding = run("EVL002", make_repo({".github/workflows/ci.yml": without}))
    assert outcome(finding) == (
        "failed",
        "no CI step runs the evaluation (`nox -s eval`)",
        ".github/workflows/ci.yml",
        None,
    )


def test_evl003_wants_the_service_described_or_a_batch_window(make_repo: MakeRepo) -> None:
    online = {"monitoring/monitoring.yaml": MONITORING}
    assert outcome(run("EVL003", make_repo({**online, "api/openapi.json": OPENAPI}))) == PASSED
    partial = json.loads(OPENAPI)
    del partial["paths"]["/feedback"]
    finding = run("EVL003", make_repo({**online, "api/openapi.json": json.dumps(partial)}))
    assert outcome(finding) == (
        "failed",
        "`api/openapi.json` does not describe POST /feedback",
        "api/openapi.json",
        None,
    )
    assert run("EVL003", make_repo({**online, "api/openapi.json": "{not json"})).message.startswith(
        "`api/openapi.json` is not JSON"
    )
    batch = {"monitoring/monitoring.yaml": "slos: {batch_window_hours: 4, error_rate: 0.02}\n"}
    assert outcome(run("EVL003", make_repo(batch))) == PASSED


# -- EVL004: results judged again against eval.yaml -------------------------------------------


def test_evl004_passes_results_that_meet_every_bound(make_repo: MakeRepo) -> None:
    assert outcome(run("EVL004", make_repo({FILE: EVALUATION, RESULTS: results()}))) == PASSED


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"placeholder": True}, "they are the template's placeholder model's"),
        ({"value": 0.4}, "recall 0.4 is below the threshold 0.5"),
        ({"value": 0.55, "baseline": {"name": "rules", "value": 0.5}}, "does not beat the baseline's 0.5 by 0.2"),
        ({"cases": 3}, "3 case(s), fewer than min_cases 10"),
        ({"metric": "accuracy"}, "they measure 'accuracy', eval.yaml gates on 'recall'"),
        ({"value": "high"}, "value, cases or baseline.value is missing"),
        ({"model": "stub:openai-compatible:gpt:answer-v1"}, "they are the template's placeholder model's"),
        ({"date": "2025-12-01"}, "they are 182 days old (at most 90)"),
        ({"date": None}, "they have no date"),
        (
            {"baseline": {"name": "rules", "value": 0.0}},
            "the baseline they ran is 'rules', eval.yaml names 'majority-class'",
        ),
    ],
)
def test_evl004_names_what_the_evaluation_lacks(make_repo: MakeRepo, changes: dict, problem: str) -> None:
    finding = run("EVL004", make_repo({FILE: EVALUATION, RESULTS: results(**changes)}))
    assert finding.status == "failed" and problem in finding.message and finding.file == RESULTS


def test_evl004_does_not_take_passed_on_trust(make_repo: MakeRepo) -> None:
    """A results file claiming it passed is judged again: the bounds are eval.yaml's, now."""
    finding = run("EVL004", make_repo({FILE: evaluation("threshold: 0.5", "threshold: 0.9"), RESULTS: results()}))
    assert finding.status == "failed" and "below the threshold 0.9" in finding.message


def test_evl004_lower_is_better_for_cost(make_repo: MakeRepo) -> None:
    cost = evaluation("metric: recall", "metric: cost_per_case").replace("threshold: 0.5", "threshold: 30")
    good = results(metric="cost_per_case", value=20, baseline={"name": "majority-class", "value": 45})
    assert outcome(run("EVL004", make_repo({FILE: cost, RESULTS: good}))) == PASSED
    bad = results(metric="cost_per_case", value=44.9, baseline={"name": "majority-class", "value": 45})
    assert "does not beat the baseline" in run("EVL004", make_repo({FILE: cost, RESULTS: bad})).message


def test_evl004_fails_without_results(make_repo: MakeRepo) -> None:
    finding = run("EVL004", make_repo({FILE: EVALUATION}))
    assert outcome(finding) == (
        "failed",
        f"`{RESULTS}` is missing: run `nox -s eval` and commit it",
        RESULTS,
        None,
    )


# -- EVL005-EVL007 ---------------------------------------------------------------------------


def test_evl005_wants_a_person_to_own_the_bounds(make_repo: MakeRepo) -> None:
    finding = run("EVL005", make_repo({FILE: EVALUATION, "ownership.yaml": OWNERSHIP}))
    assert finding.status == "failed" and "the bounds are still the template's" in finding.message
    stranger = evaluation("thresholds_set_by: null", "thresholds_set_by: someone@elsewhere.io")
    assert "holds no role" in run("EVL005", make_repo({FILE: stranger, "ownership.yaml": OWNERSHIP})).message
    owner = evaluation("thresholds_set_by: null", "thresholds_set_by: Lucas.Bernard@acme.io")
    assert outcome(run("EVL005", make_repo({FILE: owner, "ownership.yaml": OWNERSHIP}))) == PASSED


def test_evl006_wants_a_feedback_rate_from_real_use(make_repo: MakeRepo) -> None:
    monitoring = {"monitoring/monitoring.yaml": MONITORING}
    proxy = {"decisions": 120, "with_feedback": 30, "feedback_rate": 0.25, "acceptance_rate": 0.8, "to": "2026-05-30"}
    assert outcome(run("EVL006", make_repo({**monitoring, "evaluation/proxy.json": json.dumps(proxy)}))) == PASSED
    none = {**proxy, "decisions": 0}
    finding = run("EVL006", make_repo({**monitoring, "evaluation/proxy.json": json.dumps(none)}))
    assert "counts no decision" in finding.message
    old = {**proxy, "to": "2025-11-01"}
    finding = run("EVL006", make_repo({**monitoring, "evaluation/proxy.json": json.dumps(old)}))
    assert "its newest decision is 212 days old (at most 90)" in finding.message
    finding = run("EVL006", make_repo({"monitoring/monitoring.yaml": "slos: {}\n"}))
    assert finding.message.startswith("3 gaps in the feedback from real use")


def test_evl007_wants_the_kpi_measured_with_the_pilot_design(make_repo: MakeRepo) -> None:
    assert "never measured" in run("EVL007", make_repo({FILE: EVALUATION})).message
    measured = (
        EVALUATION.rstrip(" ")
        + "      pilot_result: {design: ab, measured_effect: -1.8 hours, report: docs/pilot.md}\n"
    )
    assert "not a readable file" in run("EVL007", make_repo({FILE: measured})).message
    assert outcome(run("EVL007", make_repo({FILE: measured, "docs/pilot.md": "# Pilot\n"}))) == PASSED
    other = measured.replace("design: ab,", "design: before-after,")
    finding = run("EVL007", make_repo({FILE: other, "docs/pilot.md": "# Pilot\n"}))
    assert "not the design it named ('ab')" in finding.message


def test_evl007_is_not_applicable_without_the_file(make_repo: MakeRepo) -> None:
    assert outcome(run("EVL007", make_repo({}))) == NOT_APPLICABLE
