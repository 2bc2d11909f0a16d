"""Feedback from the first user: verdicts on decisions, and the proxy metric they make.

Every decision has a request id (the audit log's); feedback names it and says whether
the user accepted the decision, corrected it (with the correction) or rejected it, and
optionally the outcome seen later. ``proxy`` joins the audit log and the feedback into
the proxy metric that evaluation/eval.yaml's ``kpi_link`` names: the share of
decisions with feedback, and the share of those accepted as they were. Where the
records live, who owns them and how long they are kept is monitoring.yaml's
``records`` section.

    python -m {{ cookiecutter.package_name }}.feedback record REQUEST_ID accepted
    python -m {{ cookiecutter.package_name }}.feedback proxy --output evaluation/proxy.json
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .runtime import Metrics, write_whole

VERDICTS = ("accepted", "corrected", "rejected")
MONITORING = "monitoring/monitoring.yaml"
#: The longest correction or outcome kept: feedback is a verdict, not a document store.
MAX_TEXT = 2000


@dataclass(frozen=True)
class Feedback:
    request_id: str
    verdict: str
    correction: str | None = None
    outcome: str | None = None


def parse(payload: Any) -> Feedback:
    """Feedback from a request body; ValueError naming the field that is wrong."""
    if not isinstance(payload, Mapping):
        raise ValueError("the body must be a JSON object")
    request_id, verdict = payload.get("request_id"), payload.get("verdict")
    if not isinstance(request_id, str) or not 0 < len(request_id) <= 128:
        raise ValueError("request_id must be the decision's request id (1 to 128 characters)")
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
    texts = {}
    for key in ("correction", "outcome"):
        value = payload.get(key)
        if key in payload and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise ValueError(f"{key} must be text of at most {MAX_TEXT} characters")
        texts[key] = value
    if verdict == "corrected" and not texts["correction"]:
        raise ValueError("a corrected verdict needs the correction")
    return Feedback(request_id, verdict, texts["correction"], texts["outcome"])


class FeedbackStore:
    """Append-only JSON lines, one per verdict, counted by verdict in the metrics."""

    def __init__(self, path: Path, metrics: Metrics | None = None) -> None:
        self.path = path
        self.metrics = metrics
        self._lock = threading.Lock()

    def record(self, feedback: Feedback) -> None:
        line = json.dumps(
            {"timestamp": datetime.now(UTC).isoformat(), **asdict(feedback)}, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        if self.metrics is not None:
            self.metrics.feedback.labels(verdict=feedback.verdict).inc()


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON lines of a log; an unreadable line is skipped (a torn write), never fatal."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def proxy(audit_log: Path, feedback_log: Path) -> dict[str, Any]:
    """The proxy metric from real use: feedback rate and acceptance rate, by request id.

    The latest verdict on a request counts; feedback on a request id the audit log does
    not hold is counted apart (``unmatched``), never in the rates.
    """
    decisions = {
        r["request_id"]: r for r in _records(audit_log) if isinstance(r.get("request_id"), str)
    }
    latest: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    unmatched = 0
    for record in _records(feedback_log):
        request_id = record.get("request_id")
        if request_id in decisions and record.get("verdict") in VERDICTS:
            latest[request_id] = record["verdict"]
            if isinstance(record.get("outcome"), str) and record["outcome"]:
                outcomes[request_id] = record["outcome"]
        else:
            unmatched += 1
    counts = {verdict: sum(v == verdict for v in latest.values()) for verdict in VERDICTS}
    with_feedback = len(latest)
    times = sorted(str(r.get("timestamp", "")) for r in decisions.values())
    return {
        "decisions": len(decisions),
        "with_feedback": with_feedback,
        "feedback_rate": round(with_feedback / len(decisions), 4) if decisions else 0.0,
        "acceptance_rate": round(counts["accepted"] / with_feedback, 4) if with_feedback else None,
        "verdicts": counts,
        # Decisions whose later outcome is known, and the share the decision got right
        # (a churn flag followed by churn, a routed ticket resolved where it was sent).
        "with_outcome": len(outcomes),
        "outcome_match_rate": round(
            sum(outcomes[r] == str(decisions[r].get("output")) for r in outcomes) / len(outcomes), 4
        )
        if outcomes
        else None,
        "unmatched_feedback": unmatched,
        "from": times[0] if times else None,
        "to": times[-1] if times else None,
    }


def record_paths(root: Path) -> tuple[Path, Path]:
    """(audit log, feedback log) as monitoring.yaml's records section names them."""
    records = (yaml.safe_load((root / MONITORING).read_text(encoding="utf-8")) or {}).get(
        "records"
    ) or {}
    return root / str(records.get("audit_log", "var/audit.jsonl")), root / str(
        records.get("feedback", "var/feedback.jsonl")
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Record feedback, or compute the proxy metric from it."
    )
    parser.add_argument("--root", type=Path, default=Path("."))
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="record a verdict on a decision")
    record.add_argument("request_id")
    record.add_argument("verdict", choices=VERDICTS)
    record.add_argument("--correction")
    record.add_argument("--outcome")
    report = commands.add_parser(
        "proxy", help="join the audit log and the feedback into the proxy metric"
    )
    report.add_argument(
        "--output", type=Path, help="also write it here as JSON (e.g. evaluation/proxy.json)"
    )
    args = parser.parse_args(argv)
    audit_log, feedback_log = record_paths(args.root)
    try:
        if args.command == "record":
            given = {"correction": args.correction, "outcome": args.outcome}
            payload = {"request_id": args.request_id, "verdict": args.verdict}
            payload.update({key: value for key, value in given.items() if value is not None})
            FeedbackStore(feedback_log).record(parse(payload))
            return 0
        result = proxy(audit_log, feedback_log)
    except (ValueError, OSError) as error:
        print(f"feedback: {error}", file=sys.stderr)
        return 2
    text = json.dumps(result, indent=2)
    if args.output:
        write_whole(args.output, text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
