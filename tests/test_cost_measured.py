"""``prodready cost --measured``: the cost model with a load test's figures, the arithmetic written out."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from prodready.cli import main
from prodready.core.cost_model import parse
from prodready.cost.measured import load_measurement, measured_cost

from .test_cost import HOSTED, SELF_HOSTED

D = Decimal
RESULTS = {
    "requests_per_second": 12.0,
    "replicas": 2,
    "tokens_in_per_request": 600,
    "tokens_out_per_request": 250,
    "p95_seconds": 0.9,
    "error_rate": 0.0,
    "fallback_rate": 0.01,
    "date": "2026-12-07",
    "business_hours_per_month": 200,
    "peak_factor": 3,
}


def results_file(tmp_path: Path, **changes: object) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({**RESULTS, **changes}), encoding="utf-8")
    return path


def test_hosted_tokens_by_hand(tmp_path: Path) -> None:
    result = measured_cost(parse(HOSTED), load_measurement(results_file(tmp_path)))
    # Assumed, per request: 1000 input tokens at 0.8 x 3.00 + 0.2 x 1.50 = 2.70/M, and 500
    # output tokens at 15.00/M: 0.0027 + 0.0075 = 0.0102; measured: 600 x 2.70/M + 250 x
    # 15.00/M = 0.00162 + 0.00375 = 0.00537. Production: 100,000 requests a month, plus
    # 0.10 of transfer (0.01 GB per thousand at 0.1).
    assert result.assumed.stages["production"].monthly.variable == D("1020.10")
    assert result.measured.stages["production"].monthly.variable == D("537.10")
    # Fixed and people costs do not move: the difference is the tokens alone.
    assert result.assumed.stages["production"].monthly.total - result.measured.stages["production"].monthly.total == D(
        "483.00"
    )
    rows = {row.name: (row.assumed, row.measured) for row in result.rows}
    assert rows["input_tokens_per_request"] == (D(1000), D(600))
    assert rows["output_tokens_per_request"] == (D(500), D(250))
    assert rows["throughput_per_replica"] == (None, D(6))


def test_peak_replicas_and_quota_by_hand(tmp_path: Path) -> None:
    measurement = load_measurement(results_file(tmp_path))
    result = measured_cost(parse(HOSTED), measurement, D(25_000))
    # 100,000 requests over 200 business hours (720,000 s) is 0.13889 a second; three-fold
    # peak 0.41667. At 6 requests a second per replica (12 over 2), one replica serves it.
    assert result.peak_rate.quantize(D("0.00001")) == D("0.41667")
    assert result.replicas == 1
    # 0.41667 requests a second x 60 x 850 tokens = 21,250 tokens a minute: within 25,000.
    assert result.peak_tokens_per_minute.quantize(D("1")) == D("21250")
    assert not result.quota_exceeded
    assert measured_cost(parse(HOSTED), measurement, D(20_000)).quota_exceeded


def test_replicas_follow_the_measured_throughput(tmp_path: Path) -> None:
    # 0.41667 a second at 0.1 a second per replica (0.2 over 2) needs ceil(4.17) = 5 replicas.
    slow = load_measurement(results_file(tmp_path, requests_per_second=0.2))
    assert measured_cost(parse(HOSTED), slow).replicas == 5


def test_doubling_the_measured_tokens_doubles_the_inference_cost(tmp_path: Path) -> None:
    once = measured_cost(parse(HOSTED), load_measurement(results_file(tmp_path)))
    doubled = results_file(tmp_path, tokens_in_per_request=1200, tokens_out_per_request=500)
    twice = measured_cost(parse(HOSTED), load_measurement(doubled))
    transfer = D("0.10")
    inference = once.measured.stages["production"].monthly.variable - transfer
    assert twice.measured.stages["production"].monthly.variable - transfer == 2 * inference
    assert twice.measured.year_one_total > once.measured.year_one_total
    assert twice.peak_tokens_per_minute == 2 * once.peak_tokens_per_minute


def test_self_hosted_throughput_and_utilisation_by_hand(tmp_path: Path) -> None:
    path = results_file(tmp_path, requests_per_second=4, replicas=2, utilisation=0.8)
    result = measured_cost(parse(SELF_HOSTED), load_measurement(path))
    # Assumed: 3.6M requests at 1 a second and 50% utilisation need 2000 GPU-hours, 730 of
    # them always on (fixed): 1270 x 2 = 2540. Measured: 2 a second per replica at 80%:
    # 3.6M / (2 x 3600 x 0.8) = 625 GPU-hours, below the 730 always on: no variable cost.
    assert result.assumed.stages["production"].monthly.variable == D("2540.00")
    assert result.measured.stages["production"].monthly.variable == D("0.00")
    rows = {row.name: (row.assumed, row.measured) for row in result.rows}
    assert rows["throughput_requests_per_second"] == (D(1), D(2))
    assert rows["utilisation"] == (D("0.5"), D("0.8"))


def test_the_command_shows_assumed_beside_measured_and_fails_over_quota(tmp_path: Path) -> None:
    model = tmp_path / "cost_model.yaml"
    model.write_text(yaml.safe_dump(HOSTED), encoding="utf-8")
    path = results_file(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(main, ["cost", str(model), "--measured", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "| input_tokens_per_request | 1000 | 600 |" in shown.output
    assert "| production, per month | 8,675.10 | 8,192.10 |" in shown.output
    assert "1 replica(s)" in shown.output and "21,250 tokens per minute" in shown.output
    over = runner.invoke(main, ["cost", str(model), "--measured", str(path), "--quota-tokens-per-minute", "20000"])
    assert over.exit_code == 1 and "exceeds the provider quota of 20000" in over.output
    data = json.loads(runner.invoke(main, ["cost", str(model), "--measured", str(path), "--format", "json"]).output)
    assert data["measured"]["production_monthly"] == "8,192.10" and data["peak"]["replicas"] == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requests_per_second": None}, "no requests_per_second"),
        ({"requests_per_second": 0}, "requests_per_second is 0"),
        ({"replicas": 1.5}, "replicas is 1.5"),
        ({"tokens_in_per_request": "many"}, "tokens_in_per_request is 'many', not a number"),
        ({"utilisation": 2}, "utilisation is 2"),
        ({"peak_factor": 0.5}, "peak_factor is 0 or below 1"),
    ],
)
def test_bad_results_are_one_line_naming_the_key(tmp_path: Path, changes: dict, message: str) -> None:
    model = tmp_path / "cost_model.yaml"
    model.write_text(yaml.safe_dump(HOSTED), encoding="utf-8")
    path = results_file(tmp_path, **changes)
    result = CliRunner().invoke(main, ["cost", str(model), "--measured", str(path)])
    assert result.exit_code == 2 and message in result.output and "results.json" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_not_json_and_quota_without_results(tmp_path: Path) -> None:
    model = tmp_path / "cost_model.yaml"
    model.write_text(yaml.safe_dump(HOSTED), encoding="utf-8")
    broken = tmp_path / "results.json"
    broken.write_text("{broken", encoding="utf-8")
    result = CliRunner().invoke(main, ["cost", str(model), "--measured", str(broken)])
    assert result.exit_code == 2 and "not JSON" in result.output
    result = CliRunner().invoke(main, ["cost", str(model), "--quota-tokens-per-minute", "10"])
    assert result.exit_code == 2 and "needs --measured" in result.output


def test_a_measured_stub_is_said_to_be_one(tmp_path: Path) -> None:
    model = tmp_path / "cost_model.yaml"
    model.write_text(yaml.safe_dump(HOSTED), encoding="utf-8")
    path = results_file(tmp_path, model="stub:openai-compatible:gpt-4o-mini:answer-v1")
    shown = CliRunner().invoke(main, ["cost", str(model), "--measured", str(path)])
    assert shown.exit_code == 0 and "measured the offline stub" in shown.output
    real = CliRunner().invoke(main, ["cost", str(model), "--measured", str(results_file(tmp_path, model="gpt-4o"))])
    assert "offline stub" not in real.output
