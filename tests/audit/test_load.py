"""LOD001-LOD003: the load test declared, its committed results judged again, the cost model compared."""

from __future__ import annotations

import json

import pytest

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run
from .poc import COST_MODEL, MONITORING, WORKFLOW

RESULTS = "load/results.json"
FILES = {"monitoring/monitoring.yaml": MONITORING, "cost/cost_model.yaml": COST_MODEL}
# 400,000 requests a month over 220 business hours, times 3: 1.51515 requests a second.
MEASURED = {
    "date": "2026-05-20T10:00:00+00:00",
    "peak_rate": 1.5152,
    "requests_per_second": 1.6,
    "replicas": 1,
    "p95_seconds": 0.2,
    "error_rate": 0.0,
    "fallback_rate": 0.0,
    "tokens_in_per_request": 1400,
    "tokens_out_per_request": 420,
}


def results(**changes: object) -> str:
    return json.dumps({**MEASURED, **changes})


def test_lod001_wants_the_load_section_and_the_ci_step(make_repo: MakeRepo) -> None:
    workflow = {".github/workflows/ci.yml": WORKFLOW}
    assert outcome(run("LOD001", make_repo({**FILES, **workflow}))) == PASSED
    without = {".github/workflows/ci.yml": WORKFLOW.replace("          - run: nox -s load\n", "")}
    bare = MONITORING.replace("    load: {business_hours_per_month: 220, peak_factor: 3, duration_seconds: 15}\n", "")
    finding = run("LOD001", make_repo({"monitoring/monitoring.yaml": bare, **without}))
    assert finding.status == "failed" and finding.message.startswith("3 gaps in the load test's declaration")
    assert "no CI step runs the load test (`nox -s load`)" in finding.message


def test_lod002_passes_fresh_results_within_the_slos(make_repo: MakeRepo) -> None:
    assert outcome(run("LOD002", make_repo({**FILES, RESULTS: results()}))) == PASSED


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"p95_seconds": 0.5}, "p95_seconds 0.5 is above the SLO of 0.3"),
        ({"error_rate": 0.1}, "error_rate 0.1 is above the SLO of 0.02"),
        ({"peak_rate": 0.5}, "it was run at 0.5 requests per second, below today's production peak of 1.515"),
        ({"date": "2025-12-01"}, "it is 182 days old (at most 90)"),
        ({"date": None}, "it has no date"),
    ],
)
def test_lod002_judges_the_results_again(make_repo: MakeRepo, changes: dict, problem: str) -> None:
    finding = run("LOD002", make_repo({**FILES, RESULTS: results(**changes)}))
    assert finding.status == "failed" and problem in finding.message and finding.file == RESULTS


def test_lod002_fails_without_results_and_on_a_batch_over_its_window(make_repo: MakeRepo) -> None:
    finding = run("LOD002", make_repo(FILES))
    assert outcome(finding) == ("failed", f"`{RESULTS}` is missing: run `nox -s load` and commit it", RESULTS, None)
    batch = MONITORING.replace(
        "slos: {window_days: 28, latency_p95_seconds: 0.3, availability: 0.99, error_rate: 0.02}",
        "slos: {window_days: 28, batch_window_hours: 1, schedule: weekly, error_rate: 0.02}",
    )
    over = results(projected_batch_seconds=7200.0, window_seconds=3600.0)
    finding = run(
        "LOD002", make_repo({"monitoring/monitoring.yaml": batch, "cost/cost_model.yaml": COST_MODEL, RESULTS: over})
    )
    assert "the production batch would take 7200.0 s, beyond its window" in finding.message


def test_lod003_compares_the_cost_model_with_the_measurement(make_repo: MakeRepo) -> None:
    # 1500 assumed against 1400 measured is 7% off; 400 against 420, 5%: within 20%.
    assert outcome(run("LOD003", make_repo({**FILES, RESULTS: results()}))) == PASSED
    finding = run("LOD003", make_repo({**FILES, RESULTS: results(tokens_in_per_request=1000)}))
    # 1500 against 1000 measured: 50% away.
    message = "input_tokens_per_request is 1500, 50% away from the measured 1000 (load/results.json)"
    assert outcome(finding) == (
        "failed",
        message,
        "cost/cost_model.yaml",
        line_of(COST_MODEL, "input_tokens_per_request"),
    )


def test_lod003_is_not_applicable_without_results(make_repo: MakeRepo) -> None:
    assert outcome(run("LOD003", make_repo(FILES))) == NOT_APPLICABLE
