"""Run the predictor so that every decision is measured, recorded and fail-safe.

* Prometheus metrics with conventional names: predictions by model version and
  outcome, errors by reason, fallbacks, inference duration in seconds, model info.
* One JSON-lines audit record per decision (UTC time, request id, model and contract
  versions, a SHA-256 of the input instead of the input itself, the output, who
  decided, latency): record-keeping evidence in the sense of EU AI Act Article 12,
  without copying personal data into logs.
* A fallback when the predictor raises, exceeds its latency budget, or is switched
  off by the operator (``<PACKAGE>_FORCE_FALLBACK=1``), counted and logged.
* Metering: tokens in and out per decision (the provider's usage), counted and logged,
  so that the cost model's tokens per request can be checked against real use.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    Info,
    start_http_server,
)

from .predictor import Predictor, Reply

NAMESPACE = "{{ cookiecutter.package_name }}"
FORCE_FALLBACK_ENV = NAMESPACE.upper() + "_FORCE_FALLBACK"


#: A decision as the POC writes it back to the system of record: the columns of
#: contracts/decisions.odcs.yaml, in its order (the batch job and `nox -s integration` write it).
WRITE_BACK = ("request_id", "output", "decided_by", "model_version")


@dataclass(frozen=True)
class Decision:
    """The outcome of one request, as returned to the caller and written to the audit log."""

    request_id: str
    output: str
    decided_by: str  # "model" or "fallback"
    model_version: str
    latency_seconds: float
    reason: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    citations: tuple[str, ...] = ()

    def write_back(self) -> list[str]:
        """The decision's record for the system of record, column by column (``WRITE_BACK``)."""
        return [str(getattr(self, column)) for column in WRITE_BACK]


class Metrics:
    """The wrapper's Prometheus metrics, registered on one registry."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.predictions = Counter(
            f"{NAMESPACE}_predictions",
            "Decisions returned, by model version and outcome.",
            ["model_version", "outcome"],
            registry=registry,
        )
        self.errors = Counter(
            f"{NAMESPACE}_errors", "Predictor failures, by reason.", ["reason"], registry=registry
        )
        self.fallbacks = Counter(
            f"{NAMESPACE}_fallbacks", "Decisions made by the fallback.", registry=registry
        )
        self.duration = Histogram(
            f"{NAMESPACE}_inference_duration_seconds",
            "Time to a decision, fallback included.",
            registry=registry,
        )
        self.tokens = Counter(
            f"{NAMESPACE}_tokens",
            "Model tokens used, by direction (in: prompt, out: completion).",
            ["direction"],
            registry=registry,
        )
        self.feedback = Counter(
            f"{NAMESPACE}_feedback",
            "Feedback received on decisions, by verdict.",
            ["verdict"],
            registry=registry,
        )
        self.model = Info(
            f"{NAMESPACE}_model", "The model version being served.", registry=registry
        )


def serve_metrics(
    port: int, address: str = "127.0.0.1", registry: CollectorRegistry = REGISTRY
) -> None:
    """Expose the metrics for Prometheus to scrape at http://ADDRESS:PORT/metrics."""
    start_http_server(port, addr=address, registry=registry)


def latency_budget(monitoring_file: Path) -> float:
    """Read the fallback latency budget (seconds) from monitoring/monitoring.yaml."""
    config = yaml.safe_load(monitoring_file.read_text(encoding="utf-8"))
    return float(config["fallback"]["latency_budget_seconds"])


def write_whole(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file renamed over the old one (evidence files)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def git_commit(root: Path) -> str | None:
    """The commit the repository is at (None outside git): results record what they measured."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def contract_version(contract_file: Path) -> str:
    """The version of the input contract, recorded with every decision."""
    contract = yaml.safe_load(contract_file.read_text(encoding="utf-8"))
    return str(contract.get("version", "unknown"))


def input_digest(features: Mapping[str, Any]) -> str:
    """A stable SHA-256 of the input: proves what was decided on without storing it."""
    canonical = json.dumps(features, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class GuardedPredictor:
    """Wrap a predictor with metrics, an audit trail and a fallback."""

    def __init__(
        self,
        predictor: Predictor,
        fallback: Callable[[Mapping[str, Any]], str],
        *,
        latency_budget_seconds: float,
        audit_path: Path,
        contract_version: str,
        metrics: Metrics | None = None,
    ) -> None:
        self.predictor = predictor
        self.fallback = fallback
        self.latency_budget_seconds = latency_budget_seconds
        self.audit_path = audit_path
        self.contract_version = contract_version
        self.metrics = metrics or Metrics()
        self.metrics.model.info({"version": predictor.version})
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix=NAMESPACE)
        self._audit_lock = threading.Lock()

    def decide(self, features: Mapping[str, Any], request_id: str | None = None) -> Decision:
        """Return the model's decision, or the fallback's when the model cannot answer."""
        request_id = request_id or str(uuid.uuid4())
        started = time.perf_counter()
        reason = self._refusal_reason()
        output: str | None = None
        reply = Reply("")
        labelled = True  # a label is its own outcome; free text is counted as "reply"
        if reason is None:
            future = self._pool.submit(self.predictor.predict, features)
            try:
                answer = future.result(timeout=self.latency_budget_seconds)
                labelled = not isinstance(answer, Reply)
                reply = Reply(str(answer)) if labelled else answer
                output = reply.text
            except FutureTimeout:
                reason = "timeout"
            except Exception as error:  # the fallback exists for any failure of the model
                reason = type(error).__name__
        decided_by = "model"
        if reason is not None:
            self.metrics.errors.labels(reason=reason).inc()
            self.metrics.fallbacks.inc()
            output = self.fallback(features)
            decided_by = "fallback"
            reply, labelled = Reply(output), True
        assert output is not None
        latency = time.perf_counter() - started
        self.metrics.duration.observe(latency)
        version = self.predictor.version
        outcome = output if labelled else "reply"
        self.metrics.predictions.labels(model_version=version, outcome=outcome).inc()
        self.metrics.tokens.labels(direction="in").inc(reply.tokens_in)
        self.metrics.tokens.labels(direction="out").inc(reply.tokens_out)
        decision = Decision(
            request_id,
            output,
            decided_by,
            version,
            latency,
            reason,
            reply.tokens_in,
            reply.tokens_out,
            reply.citations,
        )
        self._audit(decision, features)
        return decision

    def _refusal_reason(self) -> str | None:
        return "forced" if os.environ.get(FORCE_FALLBACK_ENV) == "1" else None

    def _audit(self, decision: Decision, features: Mapping[str, Any]) -> None:
        record = {
            "timestamp": datetime.now(UTC).isoformat(),
            "request_id": decision.request_id,
            "model_version": decision.model_version,
            "contract_version": self.contract_version,
            "input_sha256": input_digest(features),
            "output": decision.output,
            "decided_by": decision.decided_by,
            "reason": decision.reason,
            "latency_seconds": round(decision.latency_seconds, 6),
            "tokens_in": decision.tokens_in,
            "tokens_out": decision.tokens_out,
            "citations": list(decision.citations),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._audit_lock, self.audit_path.open("a", encoding="utf-8") as handle:
            handle.write(line)

    def close(self) -> None:
        """Stop the worker threads (a timed-out prediction is left to finish on its own)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
