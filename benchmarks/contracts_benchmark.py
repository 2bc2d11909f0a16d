"""Benchmark `prodready contracts check` against datacontract-cli and a hand-written DuckDB scan.

    python benchmarks/contracts_benchmark.py --rows 10000000 [--repeat 3] [--skip-datacontract]

It generates (once, under benchmarks/data/, never committed) an 8-column Parquet file
with known defects and an ODCS contract with 17 metric checks plus uniqueness, then
runs, each in its own process and each --repeat times:

* prodready:              prodready contracts check (default settings, samples included)
* prodready --samples 0:  the same, counts only
* datacontract:           datacontract test (datacontract-cli with its DuckDB backend, same contract)
* floor:                  the same numbers by hand-written DuckDB queries (contracts_floor.py)
* floor with samples:     those, and the samples prodready reports by default

and reports the median wall time and the peak resident memory (from wait4) of each,
as ratios to the floor, plus the violation counts each tool found. Like is compared
with like: prodready's default run with the floor with samples, its counts-only run
with the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import yaml
from measure import measured, publish, ratios, wall_ratio

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

GENERATE = """
COPY (
  SELECT
    CASE WHEN i % 10000 = 7 THEN i - 1 ELSE i END AS id,
    CASE WHEN i % 2003 = 0 THEN NULL ELSE (i * 7919) % 1000003 END AS customer_id,
    CASE WHEN i % 5003 = 0 THEN NULL WHEN i % 4001 = 0 THEN 'broken-email' ELSE 'user' || (i % 100000) || '@example.org' END AS email,
    CASE WHEN i % 6007 = 0 THEN 'XX' ELSE ['DE','FR','GB','US','NL','ES','IT','SE'][1 + i % 8] END AS country,
    CASE WHEN i % 12007 = 0 THEN NULL WHEN i % 14009 = 0 THEN -1.0 - (i % 100) ELSE ((i * 37) % 1000000) / 100.0 END AS amount,
    CASE WHEN i % 25013 = 0 THEN 0 ELSE 1 + i % 100 END AS quantity,
    CASE WHEN i % 16001 = 0 THEN '' WHEN i % 20011 = 0 THEN 'lost' ELSE ['new','paid','shipped','delivered'][1 + i % 4] END AS status,
    CASE WHEN i % 100003 = 0 THEN NULL ELSE TIMESTAMP '2026-01-01' + to_seconds(i % 31536000) END AS created_at
  FROM range({rows}) t(i)
) TO '{path}' (FORMAT parquet)
"""


def contract(path: Path) -> dict:
    def q(metric: str, **kw: object) -> dict:
        return {"metric": metric, **kw}

    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "orders-benchmark",
        "version": "1.0.0",
        "status": "active",
        "servers": [{"server": "bench", "type": "local", "format": "parquet", "path": str(path)}],
        "schema": [
            {
                "name": "orders",
                "physicalName": "orders",
                "logicalType": "object",
                "properties": [
                    {"name": "id", "logicalType": "integer", "required": True, "unique": True},
                    {"name": "customer_id", "logicalType": "integer", "quality": [q("nullValues", mustBe=0)]},
                    {
                        "name": "email",
                        "logicalType": "string",
                        "classification": "restricted",
                        "quality": [
                            q("nullValues", mustBe=0),
                            q("invalidValues", arguments={"pattern": "^[^@]+@[^@]+$"}, mustBe=0),
                            q(
                                "missingValues",
                                arguments={"missingValues": [None]},
                                mustBeLessOrEqualTo=1,
                                unit="percent",
                            ),
                        ],
                    },
                    {
                        "name": "country",
                        "logicalType": "string",
                        "quality": [
                            q(
                                "invalidValues",
                                arguments={"validValues": ["DE", "FR", "GB", "US", "NL", "ES", "IT", "SE"]},
                                mustBe=0,
                            )
                        ],
                    },
                    {
                        "name": "amount",
                        "logicalType": "number",
                        "logicalTypeOptions": {"minimum": 0, "maximum": 10000},
                        "quality": [q("nullValues", mustBe=0)],
                    },
                    {
                        "name": "quantity",
                        "logicalType": "integer",
                        "logicalTypeOptions": {"minimum": 1, "maximum": 100},
                    },
                    {
                        "name": "status",
                        "logicalType": "string",
                        "quality": [
                            q("missingValues", arguments={"missingValues": [None, ""]}, mustBe=0),
                            q(
                                "invalidValues",
                                arguments={"validValues": ["new", "paid", "shipped", "delivered"]},
                                mustBe=0,
                            ),
                        ],
                    },
                    {"name": "created_at", "logicalType": "timestamp", "quality": [q("nullValues", mustBe=0)]},
                ],
                "quality": [
                    q("rowCount", mustBeGreaterThan=0),
                    q("duplicateValues", arguments={"properties": ["id"]}, mustBe=0),
                ],
            }
        ],
    }


def prodready_counts(report: dict) -> dict[str, int]:
    counts = {}
    for r in report["results"]:
        if r["failed_rows"]:
            counts[f"{r['property'] or r['object']}: {r['check']}"] = r["failed_rows"]
    return counts


def datacontract_counts(report: dict) -> dict[str, int]:
    counts = {}
    for check in report.get("checks", []):
        diagnostics = check.get("diagnostics") or {}
        value = diagnostics.get("value")
        if check.get("result") == "failed" and isinstance(value, int) and value:
            counts[f"{check.get('field') or check.get('model')}: {check.get('type')}"] = value
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-datacontract", action="store_true")
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    args = parser.parse_args()

    import duckdb

    DATA.mkdir(exist_ok=True)
    parquet = DATA / f"orders-{args.rows}.parquet"
    if not parquet.exists():
        started = time.perf_counter()
        duckdb.connect().execute(GENERATE.format(rows=args.rows, path=parquet))
        print(
            f"generated {parquet.name} ({parquet.stat().st_size / 2**20:.0f} MiB) in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    contract_path = DATA / f"orders-{args.rows}.odcs.yaml"
    contract_path.write_text(yaml.safe_dump(contract(parquet), sort_keys=False), encoding="utf-8")
    prodready = shutil.which("prodready") or str(Path(sys.executable).parent / "prodready")
    check = [prodready, "contracts", "check", str(contract_path), "--format", "json"]
    floor = [sys.executable, str(HERE / "contracts_floor.py"), str(parquet)]
    tools: dict[str, list[str]] = {
        "floor": floor,
        "floor with samples": [*floor, "--samples", "5"],
        "prodready": check,
        "prodready --samples 0": [*check, "--samples", "0"],
    }
    if not args.skip_datacontract:
        report = DATA / "datacontract.json"
        uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
        tools["datacontract-cli"] = [
            uv,
            "tool",
            "run",
            "--from",
            "datacontract-cli[duckdb]>=1.2",
            "datacontract",
            "test",
            str(contract_path),
            "--output-format",
            "json",
            "--output",
            str(report),
        ]
    for command in tools.values():
        measured(command)  # warm-up: bytecode, uv's tool cache, the file in the page cache
    # Round-robin, so that a machine that speeds up or slows down during the benchmark
    # affects every tool alike.
    all_runs: dict[str, list[tuple[float, int, str]]] = {name: [] for name in tools}
    for _ in range(args.repeat):
        for name, command in tools.items():
            all_runs[name].append(measured(command))
    results: dict[str, dict] = {}
    for name, runs in all_runs.items():
        results[name] = {
            "wall_seconds": statistics.median(r[0] for r in runs),
            "peak_rss_mib": max(r[1] for r in runs),
            "runs": [round(r[0], 3) for r in runs],
        }
        output = runs[-1][2]
        if name.startswith("floor"):
            results[name]["counts"] = {k: v for k, v in json.loads(output).items() if isinstance(v, int) and v}
        elif name.startswith("prodready"):
            results[name]["counts"] = prodready_counts(json.loads(output))
        else:
            results[name]["counts"] = datacontract_counts(json.loads((DATA / "datacontract.json").read_text()))
        print(f"{name}: {results[name]['wall_seconds']:.2f} s, {results[name]['peak_rss_mib']} MiB", file=sys.stderr)
    summary = {
        "rows": args.rows,
        "parquet_mib": round(parquet.stat().st_size / 2**20, 1),
        "cpus": os.cpu_count(),
        "tools": results,
        "ratios_to_floor": ratios(results),
        # Like for like: the default check reports samples, as the floor with samples does.
        "prodready_over_floor_with_samples": wall_ratio(results, "prodready", "floor with samples"),
        "prodready_samples_0_over_floor": wall_ratio(results, "prodready --samples 0", "floor"),
    }
    if "datacontract-cli" in results:
        summary["datacontract_over_prodready_wall"] = wall_ratio(results, "datacontract-cli", "prodready")
    publish(summary, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
