"""The runtime wrapper: metrics, audit trail and fallback behave as the runbook says."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from {{ cookiecutter.package_name }} import GuardedPredictor, MajorityClassPredictor, Metrics
from {{ cookiecutter.package_name }}.runtime import (
    FORCE_FALLBACK_ENV,
    NAMESPACE,
    latency_budget,
    serve_metrics,
)

ROOT = Path(__file__).resolve().parent.parent


class Broken:
    version = "broken-1"

    def predict(self, features):
        raise RuntimeError("model server unreachable")


class Slow:
    version = "slow-1"

    def predict(self, features):
        time.sleep(1.0)
        return "late"


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


def guarded(predictor, tmp_path: Path, registry: CollectorRegistry, budget: float = 0.5):
    return GuardedPredictor(
        predictor,
        fallback=lambda features: "manual_review",
        latency_budget_seconds=budget,
        audit_path=tmp_path / "audit.jsonl",
        contract_version="0.1.0",
        metrics=Metrics(registry),
    )


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(f"{NAMESPACE}_{name}", labels) or 0.0


def audit_records(tmp_path: Path) -> list[dict]:
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_model_decision_is_counted_and_audited(tmp_path, registry):
    # Labels of its own, not the sample's: the sample's columns are the data set's.
    baseline = MajorityClassPredictor.fit(["approve", "review", "approve"])
    assert baseline.label == "approve"
    wrapper = guarded(baseline, tmp_path, registry)
    decision = wrapper.decide({"record_id": 1}, request_id="req-1")
    assert decision.decided_by == "model"
    assert decision.output == baseline.label
    labels = {"model_version": "baseline-0", "outcome": baseline.label}
    assert sample(registry, "predictions_total", **labels) == 1
    assert sample(registry, "inference_duration_seconds_count") == 1
    assert sample(registry, "model_info", version="baseline-0") == 1
    (record,) = audit_records(tmp_path)
    assert record["request_id"] == "req-1"
    assert record["decided_by"] == "model"
    assert record["contract_version"] == "0.1.0"
    assert len(record["input_sha256"]) == 64


def test_baseline_fits_from_a_labelled_csv(tmp_path):
    labelled = tmp_path / "labelled.csv"
    rows = ["text,label", "parcel,billing", "login,technical", "refund,billing"]
    labelled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert MajorityClassPredictor.from_csv(labelled).label == "billing"


def test_failing_predictor_falls_back(tmp_path, registry):
    decision = guarded(Broken(), tmp_path, registry).decide({"record_id": 2})
    assert (decision.decided_by, decision.output, decision.reason) == (
        "fallback",
        "manual_review",
        "RuntimeError",
    )
    assert sample(registry, "errors_total", reason="RuntimeError") == 1
    assert sample(registry, "fallbacks_total") == 1
    assert audit_records(tmp_path)[0]["decided_by"] == "fallback"


def test_slow_predictor_falls_back_within_budget(tmp_path, registry):
    started = time.perf_counter()
    decision = guarded(Slow(), tmp_path, registry, budget=0.1).decide({"record_id": 3})
    assert decision.reason == "timeout"
    assert time.perf_counter() - started < 0.9
    assert sample(registry, "errors_total", reason="timeout") == 1


def test_operator_can_force_the_fallback(tmp_path, registry, monkeypatch):
    monkeypatch.setenv(FORCE_FALLBACK_ENV, "1")
    decision = guarded(MajorityClassPredictor("x"), tmp_path, registry).decide({})
    assert (decision.decided_by, decision.reason) == ("fallback", "forced")


def test_audit_log_holds_a_digest_not_the_input(tmp_path, registry):
    features = {"customer_email": "amara.okafor@example.org", "text": "my invoice"}
    guarded(MajorityClassPredictor("billing"), tmp_path, registry).decide(features)
    raw = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert "amara.okafor" not in raw
    assert "my invoice" not in raw


def test_latency_budget_comes_from_monitoring_config():
    assert latency_budget(ROOT / "monitoring" / "monitoring.yaml") > 0


def test_metrics_are_served_for_scraping(tmp_path, registry):
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    guarded(MajorityClassPredictor("billing"), tmp_path, registry).decide({})
    serve_metrics(port, registry=registry)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        body = response.read().decode()
    assert f"{NAMESPACE}_predictions_total" in body
    assert f"{NAMESPACE}_inference_duration_seconds_bucket" in body
