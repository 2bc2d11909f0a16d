"""``nox -s load``: the POC at its production peak, gated on the SLOs in monitoring.yaml.

The peak is the production volume (cost/cost_model.yaml) spread over business hours,
times a peak factor (both assumptions, in monitoring.yaml's ``load`` section, and
written into the results). An online POC's service runs locally and locust sends the
peak rate for ``load.duration_seconds``; a batch POC's job scores a synthetic batch
made from the committed sample, and the production batch's run time is projected
from the records per second against the batch window. Either way this writes load/results.json (throughput,
latency percentiles, error and fallback rates, tokens per request, the date and the
commit), which `prodready cost --measured load/results.json` reads, and exits non-zero
naming the figure that breached its SLO.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .runtime import git_commit, write_whole

MONITORING = "monitoring/monitoring.yaml"
COST_MODEL = "cost/cost_model.yaml"
RESULTS = "load/results.json"
LOCUSTFILE = "load/locustfile.py"
#: How long the service may take to answer /health before the test gives up.
START_TIMEOUT = 30.0


def _yaml(root: Path, relative: str) -> dict[str, Any]:
    return yaml.safe_load((root / relative).read_text(encoding="utf-8")) or {}


def settings(root: Path) -> dict[str, Any]:
    """The load section of monitoring.yaml, the SLOs, and the production peak rate it implies."""
    monitoring = _yaml(root, MONITORING)
    load = monitoring.get("load") or {}
    hours, factor = float(load["business_hours_per_month"]), float(load["peak_factor"])
    monthly = float(_yaml(root, COST_MODEL)["volumes"]["production"]["requests_per_month"])
    return {
        "duration_seconds": float(load.get("duration_seconds", 15)),
        "batch_records": int(load.get("batch_records", 2000)),
        "business_hours_per_month": hours,
        "peak_factor": factor,
        "production_requests_per_month": monthly,
        "peak_rate": monthly / (hours * 3600) * factor,
        "slos": monitoring.get("slos") or {},
        "max_fallback_rate": float(
            (monitoring.get("fallback") or {}).get("max_fallback_rate", 1.0)
        ),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, service: subprocess.Popen[bytes]) -> str:
    """The model version the service reports, once it answers /health."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if service.poll() is not None:
            raise RuntimeError("the service stopped before it answered /health")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as answer:  # noqa: S310 - loopback
                return str(json.loads(answer.read()).get("model_version"))
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the service did not answer /health within {START_TIMEOUT:.0f} s")


def _decisions(audit_log: Path) -> list[dict[str, Any]]:
    if not audit_log.is_file():
        return []
    return [
        json.loads(line)
        for line in audit_log.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _percentiles(stats_csv: Path) -> dict[str, float]:
    """locust's aggregated row: requests, failures, throughput, and percentiles in seconds."""
    with stats_csv.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "requests_per_second": float(row["Requests/s"]),
        "p50_seconds": float(row["50%"]) / 1000,
        "p95_seconds": float(row["95%"]) / 1000,
        "p99_seconds": float(row["99%"]) / 1000,
    }


def online(root: Path, config: dict[str, Any], duration: float) -> dict[str, Any]:
    """Serve locally, send the peak rate with locust, and measure."""
    users = max(1, math.ceil(config["peak_rate"]))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="load-") as scratch:
        records = Path(scratch)
        service = subprocess.Popen(  # noqa: S603 - this interpreter, this package
            [
                sys.executable,
                "-m",
                f"{__package__}.service",
                "--port",
                str(port),
                "--root",
                str(root),
                "--audit-log",
                str(records / "audit.jsonl"),
                "--feedback-log",
                str(records / "feedback.jsonl"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            model = _wait_for(url, service)
            env = {**os.environ, "LOAD_RATE_PER_USER": str(config["peak_rate"] / users)}
            command = [
                sys.executable, "-m", "locust", "-f", str(root / LOCUSTFILE), "--headless",
                "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{duration:g}s",
                "--host", url, "--csv", str(records / "stats"), "--only-summary", "--exit-code-on-error", "0",
            ]  # fmt: skip
            done = subprocess.run(
                command, env=env, timeout=duration + 60, capture_output=True, text=True
            )  # noqa: S603
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise RuntimeError(f"locust stopped with exit status {done.returncode}: {last}")
        finally:
            service.terminate()
            service.wait(timeout=10)
        measured = _percentiles(records / "stats_stats.csv")
        decisions = _decisions(records / "audit.jsonl")
    count = len(decisions) or 1
    return {
        **measured,
        "error_rate": measured["failures"] / measured["requests"] if measured["requests"] else 1.0,
        "fallback_rate": sum(d.get("decided_by") == "fallback" for d in decisions) / count,
        "tokens_in_per_request": sum(d.get("tokens_in", 0) for d in decisions) / count,
        "tokens_out_per_request": sum(d.get("tokens_out", 0) for d in decisions) / count,
        "replicas": 1,
        "model": model,
    }


def batch(root: Path, config: dict[str, Any], records: int) -> dict[str, Any]:
    """Score a synthetic batch (the committed sample, repeated) and project the production batch's run time."""
    from . import app
    from .batch import run

    data = app.Data.load(root)
    with (root / data.path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{data.path} has no rows to make a batch from")
    with tempfile.TemporaryDirectory(prefix="load-") as scratch:
        source = Path(scratch) / "batch.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows[i % len(rows)] for i in range(records))
        report = run(root, source, Path(scratch) / "decisions.csv")
    runs_per_month = {"daily": 30.0, "weekly": 52 / 12, "monthly": 1.0}.get(
        str(config["slos"].get("schedule")), 1.0
    )
    per_run = config["production_requests_per_month"] / runs_per_month
    return {
        "records": report["records"],
        "requests_per_second": report["records_per_second"],
        "error_rate": 0.0,
        "fallback_rate": report["fallback_rate"],
        "tokens_in_per_request": 0,
        "tokens_out_per_request": 0,
        "replicas": 1,
        "production_batch_records": round(per_run),
        "projected_batch_seconds": round(per_run / report["records_per_second"], 1),
        "window_seconds": report["window_seconds"],
        "model": app.model(root).version,
    }


def breaches(results: dict[str, Any], config: dict[str, Any]) -> list[str]:
    """The SLOs the measurement breaks, each with its figure (empty: within every SLO)."""
    slos, found = config["slos"], []
    if "projected_batch_seconds" in results:
        if results["projected_batch_seconds"] > results["window_seconds"]:
            found.append(
                f"the production batch ({results['production_batch_records']} records) would take "
                f"{results['projected_batch_seconds']} s, beyond its window of {results['window_seconds']:.0f} s"
            )
        if results["fallback_rate"] > config["max_fallback_rate"]:
            found.append(
                f"fallback rate {results['fallback_rate']:.3f} is above {config['max_fallback_rate']}"
            )
        return found
    if "latency_p95_seconds" in slos and results["p95_seconds"] > float(
        slos["latency_p95_seconds"]
    ):
        found.append(
            f"p95 {results['p95_seconds']:.3f} s is above the SLO of {slos['latency_p95_seconds']} s"
        )
    if results["error_rate"] > float(slos.get("error_rate", 1.0)):
        found.append(
            f"error rate {results['error_rate']:.3f} is above the SLO of {slos['error_rate']}"
        )
    if results["fallback_rate"] > config["max_fallback_rate"]:
        found.append(
            f"fallback rate {results['fallback_rate']:.3f} is above {config['max_fallback_rate']}"
        )
    if results["requests_per_second"] < 0.8 * config["peak_rate"]:
        found.append(
            f"{results['requests_per_second']:.2f} requests per second sustained, "
            f"below the peak of {config['peak_rate']:.2f}"
        )
    return found


def _plain(number: float) -> float | int:
    """A whole number as an integer (220, not 220.0), as monitoring.yaml wrote it."""
    return int(number) if number.is_integer() else number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument(
        "--duration",
        type=float,
        help="seconds of load (default: monitoring.yaml load.duration_seconds)",
    )
    args = parser.parse_args(argv)
    root = args.root
    try:
        config = settings(root)
        if "batch_window_hours" in config["slos"]:
            measured = batch(root, config, int(config["batch_records"]))
        else:
            measured = online(root, config, args.duration or config["duration_seconds"])
    except (OSError, KeyError, ValueError, RuntimeError, subprocess.SubprocessError) as error:
        print(f"load: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(root),
        "peak_rate": round(config["peak_rate"], 4),
        "business_hours_per_month": _plain(config["business_hours_per_month"]),
        "peak_factor": _plain(config["peak_factor"]),
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in measured.items()},
    }
    results["breaches"] = breaches(results, config)
    path = root / RESULTS
    path.parent.mkdir(exist_ok=True)
    write_whole(path, json.dumps(results, indent=2) + "\n")
    if results["breaches"]:
        print(f"load: failed: {results['breaches'][0]}", file=sys.stderr)
        return 1
    if "projected_batch_seconds" in results:
        print(
            f"load: passed: {results['requests_per_second']} records per second; the production batch "
            f"of {results['production_batch_records']} records in {results['projected_batch_seconds']} s "
            f"of its {results['window_seconds']:.0f} s window"
        )
    else:
        print(
            f"load: passed: {results['requests_per_second']} requests per second at a peak of "
            f"{results['peak_rate']}, p95 {results['p95_seconds']} s, error rate {results['error_rate']}, "
            f"fallback rate {results['fallback_rate']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
