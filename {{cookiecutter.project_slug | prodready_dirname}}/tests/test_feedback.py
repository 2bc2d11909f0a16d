"""Feedback keyed by request id, counted by verdict, joined with the audit log into the proxy metric."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from {{ cookiecutter.package_name }}.feedback import Feedback, FeedbackStore, parse, proxy
from {{ cookiecutter.package_name }}.runtime import NAMESPACE, Metrics


def audit_log(path: Path, *request_ids: str) -> Path:
    path.write_text(
        "".join(
            json.dumps({"request_id": r, "timestamp": f"2026-01-0{i + 1}"}) + "\n"
            for i, r in enumerate(request_ids)
        )
    )
    return path


def test_verdicts_are_counted_and_joined_into_the_proxy_metric(tmp_path: Path) -> None:
    registry = CollectorRegistry()
    store = FeedbackStore(tmp_path / "feedback.jsonl", Metrics(registry))
    log = audit_log(tmp_path / "audit.jsonl", "a", "b", "c", "d")
    store.record(Feedback("a", "accepted"))
    store.record(Feedback("b", "rejected"))
    store.record(
        Feedback("b", "corrected", correction="the right answer")
    )  # the latest verdict counts
    store.record(Feedback("zzz", "accepted"))  # not a decision of the audit log
    assert registry.get_sample_value(f"{NAMESPACE}_feedback_total", {"verdict": "accepted"}) == 2
    result = proxy(log, tmp_path / "feedback.jsonl")
    assert result["decisions"] == 4 and result["with_feedback"] == 2
    assert result["feedback_rate"] == 0.5 and result["acceptance_rate"] == 0.5
    assert result["verdicts"] == {"accepted": 1, "corrected": 1, "rejected": 0}
    assert result["unmatched_feedback"] == 1


def test_no_feedback_yet_is_a_rate_of_zero_not_an_error(tmp_path: Path) -> None:
    result = proxy(audit_log(tmp_path / "audit.jsonl", "a"), tmp_path / "none.jsonl")
    assert result["feedback_rate"] == 0.0 and result["acceptance_rate"] is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "JSON object"),
        ({"verdict": "accepted"}, "request_id"),
        ({"request_id": "a", "verdict": "maybe"}, "verdict must be one of"),
        ({"request_id": "a", "verdict": "corrected"}, "needs the correction"),
        ({"request_id": "a", "verdict": "accepted", "outcome": "x" * 5000}, "at most"),
    ],
)
def test_malformed_feedback_is_refused(payload: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(payload)
