"""Drift: score a current window against a reference profile, in one aggregate query.

``check`` buckets the current window with the profile's edges (``profile``) and scores
it: the Population Stability Index for numeric columns, the Jensen-Shannon distance
(base 2, so between 0 and 1) for categorical ones, null-rate jumps and unseen
categories. The query runs where the data lives (DuckDB or the database), so a
100-million-row window is aggregated there and never loaded into Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from ..data.sources import open_source
from ..data.sql import as_text, column, count_where, not_null, run, scan
from ..errors import InputError
from .profile import bucket_counts, shares, validate_profile
from .thresholds import Thresholds

EPSILON = 1e-4  # share given to an empty bucket, so PSI stays finite


def psi(expected: list[float], actual: list[float]) -> float:
    """Population Stability Index: sum of (a - e) * ln(a / e) over buckets."""
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        e, a = max(e, EPSILON), max(a, EPSILON)
        total += (a - e) * math.log(a / e)
    return total


def js_distance(p: list[float], q: list[float]) -> float:
    """Jensen-Shannon distance (square root of the divergence, log base 2)."""
    divergence = 0.0
    for pi, qi in zip(p, q, strict=True):
        m = (pi + qi) / 2
        if pi > 0:
            divergence += 0.5 * pi * math.log2(pi / m)
        if qi > 0:
            divergence += 0.5 * qi * math.log2(qi / m)
    return math.sqrt(max(divergence, 0.0))


@dataclass
class ColumnDrift:
    column: str
    kind: str
    metric: str
    score: float
    status: str  # ok, warn, alert, ignored
    null_rate_reference: float
    null_rate_current: float
    unseen_categories: int = 0
    reference: list[float] = field(default_factory=list)
    current: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@dataclass
class DriftReport:
    rows: int
    columns: list[ColumnDrift]
    dataset_drift: bool
    share_drifted: float
    thresholds: Thresholds

    @property
    def alert(self) -> bool:
        return self.dataset_drift or any(c.status == "alert" for c in self.columns)


def _category_counts(col: exp.Expr, categories: list[str]) -> list[exp.Expr]:
    """COUNT per reference category, of the other values, and of distinct unseen values."""
    text = as_text(col)
    counts = [count_where(exp.EQ(this=text, expression=exp.Literal.string(c))) for c in categories]
    other: exp.Expr = not_null(col)
    if categories:
        listed = exp.In(this=text, expressions=[exp.Literal.string(c) for c in categories])
        other = exp.and_(other, exp.Not(this=listed))
    counts.append(count_where(other))
    counts.append(exp.Count(this=exp.Distinct(expressions=[exp.Case(ifs=[exp.If(this=other, true=text)])])))
    return counts


def _window(columns: dict[str, Any], source: str, table: str | None) -> tuple[Any, ...]:
    """One aggregate scan of the current window: rows, and per column its non-null and bucket counts."""
    with open_source(source, table) as opened:
        types = opened.engine.columns(opened.relation)
        absent = [c for c in columns if c not in types]
        if absent:
            raise InputError(
                opened.label,
                f"column {absent[0]!r} of the profile is not in the current data",
                "check the data, or profile the columns it has",
            )
        aggregates: list[exp.Expr] = [exp.func("COUNT", exp.Star())]
        for name, spec in columns.items():
            col = column(name)
            aggregates.append(exp.func("COUNT", col))
            if spec["kind"] == "numeric":
                aggregates += bucket_counts(col, [float(e) for e in spec["edges"]])
            else:
                aggregates += _category_counts(col, list(spec["categories"]))
        (row,) = run(opened.engine, opened.relation, scan(*aggregates))
    return row


def _column(name: str, spec: dict[str, Any], values: Iterator[Any], rows: int, thresholds: Thresholds) -> ColumnDrift:
    """A column's drift, from its part of the window's row: non-null count, then bucket or category counts."""
    present = int(next(values) or 0)
    warn, alert, js_alert, ignored = thresholds.for_column(name)
    numeric = spec["kind"] == "numeric"
    counts = [int(next(values) or 0) for _ in range(len(spec["edges"] if numeric else spec["categories"]) + 1)]
    current = shares(counts)
    unseen = 0
    if numeric:
        score = psi(spec["shares"], current)
        status = "alert" if score >= alert else "warn" if score >= warn else "ok"
        edges = spec["edges"]
        labels = [f"≤ {e:g}" for e in edges] + [f"> {edges[-1]:g}" if edges else "all"]
    else:
        score = js_distance(spec["shares"], current)
        status = "alert" if score >= js_alert else "ok"
        labels = [*spec["categories"], "other"]
        unseen = int(next(values) or 0)
    null_rate = 1 - present / rows if rows else 0.0
    if abs(null_rate - spec["null_rate"]) >= thresholds.null_jump and status == "ok":
        status = "warn"
    return ColumnDrift(
        name,
        spec["kind"],
        "psi" if numeric else "js_distance",
        score,
        "ignored" if ignored else status,
        spec["null_rate"],
        null_rate,
        unseen,
        spec["shares"],
        current,
        labels,
    )


def check(
    reference: dict[str, Any],
    source: str,
    table: str | None = None,
    thresholds: Thresholds | None = None,
    origin: str = "profile",
) -> DriftReport:
    """Score a current window against a reference profile, in one aggregate query.

    The profile is validated first (``validate_profile``; ``origin`` names it in errors).
    """
    thresholds = thresholds or Thresholds()
    columns = validate_profile(reference, origin)
    row = _window(columns, source, table)
    rows = int(row[0])
    values = iter(row[1:])
    results = [_column(name, spec, values, rows, thresholds) for name, spec in columns.items()]
    scored = [r for r in results if r.status != "ignored"]
    drifted = sum(r.status == "alert" for r in scored)
    share = drifted / len(scored) if scored else 0.0
    return DriftReport(rows, results, share >= thresholds.dataset_share and drifted > 0, share, thresholds)
