"""How the benchmarks run a tool: its own process, wall time and peak memory from wait4.

Installed packages normally carry compiled bytecode (pip compiles on install); an
environment with PYTHONDONTWRITEBYTECODE would recompile every module on every run and
measure the compiler, not the tools, so it is removed from the tools' environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak RSS in MiB, and its standard output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, output


def ratios(results: dict[str, dict[str, Any]], baseline: str = "floor") -> dict[str, dict[str, float]]:
    """Each tool's median wall time and peak memory as ratios to the baseline's."""
    base = results[baseline]
    return {
        name: {
            "wall": round(r["wall_seconds"] / base["wall_seconds"], 2),
            "peak_rss": round(r["peak_rss_mib"] / base["peak_rss_mib"], 2),
        }
        for name, r in results.items()
    }


def wall_ratio(results: dict[str, dict[str, Any]], tool: str, other: str, digits: int = 2) -> float:
    """How many times ``tool``'s median wall time is ``other``'s (the figure the docs quote)."""
    return round(results[tool]["wall_seconds"] / results[other]["wall_seconds"], digits)


def publish(summary: dict[str, Any], output: Path | None) -> None:
    """Print the summary as JSON and, when asked, write it to ``output``."""
    text = json.dumps(summary, indent=2, default=str)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    print(text)
