"""Benchmark `prodready drift` against Evidently's DataDriftPreset and the tightest hand-written DuckDB queries.

    python benchmarks/drift_benchmark.py --rows 1000000 [--repeat 3]
    python benchmarks/drift_benchmark.py --rows 10000000 --repeat 3 --skip-evidently

Two windows of --rows rows and 10 columns (7 numeric, 3 categorical) are generated
under benchmarks/data/ (never committed); three columns are shifted in the current
window (n0 by location, n1 by scale, c0 by category mix). Each run is a process of its
own, after a warm-up, in round-robin rounds:

* prodready: `prodready drift check --reference REFERENCE CURRENT` (profile and check);
* evidently: DataDriftPreset on both windows loaded as pandas frames (Evidently runs in
  an isolated environment made by `uv`, with pandas<3, which it needs);
* floor: the tightest hand-written DuckDB script for the same statistics: one pass for
  the reference's decile edges (``approx_quantile``, the t-digest prodready uses), then
  one ``histogram()`` pass per window (bucket counts of the numeric columns with those
  edges, value counts of the categorical ones, non-null counts), PSI and Jensen-Shannon
  in Python.

Reported: median wall time, peak RSS (wait4), the columns each flags, ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from measure import measured, publish, ratios, wall_ratio

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

GENERATE = """
COPY (
  SELECT
    {n0} AS n0, {n1} AS n1,
    (hash(i, 2) % 1000)::DOUBLE / 10 AS n2, (hash(i, 3) % 500)::DOUBLE AS n3, (hash(i, 4) % 10000)::DOUBLE / 100 AS n4,
    (hash(i, 5) % 100)::BIGINT AS n5, (hash(i, 6) % 2000)::DOUBLE / 20 AS n6,
    {c0} AS c0, ['a','b','c','d'][1 + (hash(i, 8) % 4)::BIGINT] AS c1, ['u','v','w'][1 + (hash(i, 9) % 3)::BIGINT] AS c2
  FROM range({rows}) t(i)
) TO '{path}' (FORMAT parquet)
"""
REFERENCE = {
    "n0": "(hash(i, 0) % 1000)::DOUBLE / 10",
    "n1": "(hash(i, 1) % 1000)::DOUBLE / 10",
    "c0": "['x','y','z'][1 + (hash(i, 7) % 3)::BIGINT]",
}
CURRENT = {
    "n0": "(hash(i, 0) % 1000)::DOUBLE / 10 + 30",
    "n1": "(hash(i, 1) % 1000)::DOUBLE / 5",
    "c0": "['x','x','w'][1 + (hash(i, 7) % 3)::BIGINT]",
}
NUMERIC = ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]
CATEGORICAL = ["c0", "c1", "c2"]

FLOOR = r"""
import duckdb, json, math, sys
ref, cur = sys.argv[1], sys.argv[2]
con = duckdb.connect()
numeric = {numeric!r}; categorical = {categorical!r}
deciles = "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]"
# The reference's decile edges: one pass, the same t-digest estimate prodready uses.
row = con.execute(
    "SELECT " + ", ".join(f"approx_quantile({{c}}, {{deciles}})" for c in numeric) + f" FROM read_parquet('{{ref}}')"
).fetchone()
edges = [sorted(set(e)) for e in row]
# Per window, histogram() passes: bucket counts of the numeric columns, then value counts
# of the categorical ones apart (0.90 s against 1.29 s in one query on 10M rows).
numbers = ["COUNT(*)", *(f"COUNT({{c}})" for c in numeric)] + [f"histogram({{c}}, {{e}})" for c, e in zip(numeric, edges)]
values = [f"COUNT({{c}})" for c in categorical] + [f"histogram({{c}})" for c in categorical]
def window(path):
    counts = [con.execute(f"SELECT {{', '.join(part)}} FROM read_parquet('{{path}}')").fetchone() for part in (numbers, values)]
    return counts[0][1 + len(numeric):] + counts[1][len(categorical):]
r, k = window(ref), window(cur)
def psi(a, b):
    a, b = [max(x / sum(a), 1e-4) for x in a], [max(y / sum(b), 1e-4) for y in b]
    return sum((y - x) * math.log(y / x) for x, y in zip(a, b))
def js(a, b):
    p, q = [x / sum(a) for x in a], [y / sum(b) for y in b]
    m = [(x + y) / 2 for x, y in zip(p, q)]
    d = 0.5 * sum(x * math.log2(x / z) for x, z in zip(p, m) if x) + 0.5 * sum(y * math.log2(y / z) for y, z in zip(q, m) if y)
    return math.sqrt(max(d, 0))
out = {{}}
for i, (c, e) in enumerate(zip(numeric, edges)):
    bins = [*e, math.inf]
    out[c] = psi([r[i].get(b, 0) for b in bins], [k[i].get(b, 0) for b in bins])
for i, c in enumerate(categorical, len(numeric)):
    top = sorted(r[i], key=lambda v: (-r[i][v], v))[:10]
    a = [r[i][v] for v in top] + [sum(r[i].values()) - sum(r[i][v] for v in top)]
    b = [k[i].get(v, 0) for v in top] + [sum(k[i].values()) - sum(k[i].get(v, 0) for v in top)]
    out[c] = js(a, b)
print(json.dumps(out))
"""

EVIDENTLY = r"""
import json, sys
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
ref = pd.read_parquet(sys.argv[1]); cur = pd.read_parquet(sys.argv[2])
snapshot = Report([DataDriftPreset()]).run(reference_data=ref, current_data=cur)
out = {}
for metric in snapshot.dict()["metrics"]:
    name = str(metric.get("metric_name", ""))
    if name.startswith("ValueDrift(column="):
        column = name.split("column=", 1)[1].split(",", 1)[0]
        threshold = float(name.rsplit("threshold=", 1)[1].rstrip(")"))
        value = float(metric.get("value"))
        out[column] = {"score": value, "drift": bool(value >= threshold), "method": name}
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-evidently", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    import duckdb

    DATA.mkdir(exist_ok=True)
    windows = {}
    for name, columns in (("reference", REFERENCE), ("current", CURRENT)):
        windows[name] = DATA / f"drift-{name}-{args.rows}.parquet"
        if not windows[name].exists():
            duckdb.connect().execute(GENERATE.format(rows=args.rows, path=windows[name], **columns))
    floor_script = DATA / "drift_floor.py"
    floor_script.write_text(FLOOR.format(numeric=NUMERIC, categorical=CATEGORICAL), encoding="utf-8")
    bindir = Path(sys.executable).parent
    prodready = shutil.which("prodready") or str(bindir / "prodready")
    tools: dict[str, list[list[str]]] = {
        "floor": [[sys.executable, str(floor_script), str(windows["reference"]), str(windows["current"])]],
        "prodready": [
            [
                prodready,
                "drift",
                "check",
                "--reference",
                str(windows["reference"]),
                str(windows["current"]),
                "--format",
                "json",
            ],
        ],
    }
    if not args.skip_evidently:
        uv = shutil.which("uv") or str(bindir / "uv")
        venv = DATA / "evidently-venv"
        if not (venv / "bin" / "python").exists():
            subprocess.run([uv, "venv", "--quiet", str(venv)], check=True)
            packages = ["evidently>=0.7", "pandas<3", "pyarrow"]
            subprocess.run(
                [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *packages], check=True
            )
        python = str(venv / "bin" / "python")
        script = DATA / "drift_evidently.py"
        script.write_text(EVIDENTLY, encoding="utf-8")
        tools["evidently"] = [[python, str(script), str(windows["reference"]), str(windows["current"])]]
    for steps in tools.values():
        for step in steps:
            measured(step)
    runs: dict[str, list[tuple[float, int, str]]] = {name: [] for name in tools}
    for _ in range(args.repeat):
        for name, steps in tools.items():
            results = [measured(step) for step in steps]
            runs[name].append((sum(r[0] for r in results), max(r[1] for r in results), results[-1][2]))
    flags: dict[str, list[str]] = {}
    for name, rs in runs.items():
        output = json.loads(rs[-1][2]) if rs[-1][2].strip().startswith("{") else {}
        if name == "floor":
            flags[name] = sorted(c for c, score in output.items() if score >= (0.25 if c in NUMERIC else 0.1))
        elif name == "prodready":
            flags[name] = sorted(c["column"] for c in output.get("columns", []) if c["status"] == "alert")
        else:
            flags[name] = sorted(c for c, v in output.items() if v["drift"])
    results_summary = {
        name: {
            "wall_seconds": round(statistics.median(r[0] for r in rs), 3),
            "peak_rss_mib": max(r[1] for r in rs),
            "flagged": flags[name],
        }
        for name, rs in runs.items()
    }
    summary = {
        "rows_per_window": args.rows,
        "cpus": os.cpu_count(),
        "tools": results_summary,
        "ratios_to_floor": ratios(results_summary),
    }
    if "evidently" in results_summary:
        summary["evidently_over_prodready_wall"] = wall_ratio(results_summary, "evidently", "prodready", digits=1)
    publish(summary, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
