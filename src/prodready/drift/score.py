"""Drift: score a current window against a reference profile, in one aggregate query.

``check`` buckets the current window with the profile's edges (``profile``) and scores
it: the Population Stability Index for numeric columns, the Jensen-Shannon distance
(base 2, so between 0 and 1) for categorical ones, the hash buckets of protected ones
(and the PSI of their text lengths) and the weekday and hour shares of calendar ones,
null-rate jumps and unseen categories (values the reference never had). The query
runs where the data lives (DuckDB or the database), so a 100-million-row window is
aggregated there and never loaded into Python.
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
from .profile import (
    CALENDAR_LABELS,
    HASH_BUCKETS,
    HEX,
    TAIL_DIGITS,
    bucket_counts,
    calendar_counts,
    calendar_shares,
    hashed_counts,
    md5_prefix,
    shares,
    validate_profile,
)
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
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def alert(self) -> bool:
        return self.dataset_drift or any(c.status == "alert" for c in self.columns)


def _category_counts(col: exp.Expr, categories: list[str], tail: list[str] | None) -> list[exp.Expr]:
    """COUNT per reference category, of the other values, and of distinct unseen values.

    A value is unseen when it is outside the categories and its hash is not in the
    reference's ``tail``; with no tail (more values than it lists) none is counted.
    """
    text = as_text(col)
    counts = [count_where(exp.EQ(this=text, expression=exp.Literal.string(c))) for c in categories]
    other: exp.Expr = not_null(col)
    if categories:
        listed = exp.In(this=text, expressions=[exp.Literal.string(c) for c in categories])
        other = exp.and_(other, exp.Not(this=listed))
    counts.append(count_where(other))
    unseen: exp.Expr = other if tail is not None else exp.false()
    if tail:
        seen = exp.In(this=md5_prefix(col, TAIL_DIGITS), expressions=[exp.Literal.string(h) for h in tail])
        unseen = exp.and_(unseen, exp.Not(this=seen))
    counts.append(exp.Count(this=exp.Distinct(expressions=[exp.Case(ifs=[exp.If(this=unseen, true=text)])])))
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
            elif spec["kind"] == "hashed":
                aggregates += hashed_counts(col, [float(e) for e in spec["length_edges"]])
            elif spec["kind"] == "calendar":
                aggregates += calendar_counts(col)
            else:
                aggregates += _category_counts(col, list(spec["categories"]), spec["tail"])
        (row,) = run(opened.engine, opened.relation, scan(*aggregates))
    return row


SEVERITY = {"ok": 0, "warn": 1, "alert": 2}


def _psi_status(score: float, warn: float, alert: float) -> str:
    return "alert" if score >= alert else "warn" if score >= warn else "ok"


def _numeric_labels(edges: list[float]) -> list[str]:
    return [f"≤ {e:g}" for e in edges] + [f"> {edges[-1]:g}" if edges else "all"]


def _counts(values: Iterator[Any], n: int) -> list[int]:
    return [int(next(values) or 0) for _ in range(n)]


def _column(name: str, spec: dict[str, Any], values: Iterator[Any], rows: int, thresholds: Thresholds) -> ColumnDrift:
    """A column's drift, from its part of the window's row: non-null count, then bucket or category counts."""
    present = int(next(values) or 0)
    warn, alert, js_alert, ignored = thresholds.for_column(name)
    kind, reference, unseen = spec["kind"], spec["shares"], 0
    if kind == "numeric":
        current = shares(_counts(values, len(spec["edges"]) + 1))
        metric, score = "psi", psi(reference, current)
        status, labels = _psi_status(score, warn, alert), _numeric_labels(spec["edges"])
    else:
        if kind == "calendar":
            current, labels = calendar_shares(_counts(values, len(CALENDAR_LABELS))), CALENDAR_LABELS
        elif kind == "hashed":
            current, labels = shares(_counts(values, HASH_BUCKETS)), [f"#{h}" for h in HEX[:HASH_BUCKETS]]
        else:
            current, labels = shares(_counts(values, len(spec["categories"]) + 1)), [*spec["categories"], "other"]
            unseen = int(next(values) or 0)
        metric, score = "js_distance", js_distance(reference, current)
        status = "alert" if score >= js_alert else "ok"
        if kind == "hashed":  # and the text lengths, when they moved more than the buckets
            lengths = shares(_counts(values, len(spec["length_edges"]) + 1))
            length_psi = psi(spec["length_shares"], lengths)
            if SEVERITY[_psi_status(length_psi, warn, alert)] > SEVERITY[status]:
                metric, score, status = "length_psi", length_psi, _psi_status(length_psi, warn, alert)
                reference, current = spec["length_shares"], lengths
                labels = [f"len {label}" for label in _numeric_labels(spec["length_edges"])]
    null_rate = 1 - present / rows if rows else 0.0
    if abs(null_rate - spec["null_rate"]) >= thresholds.null_jump and status == "ok":
        status = "warn"
    return ColumnDrift(
        name,
        kind,
        metric,
        score,
        "ignored" if ignored else status,
        spec["null_rate"],
        null_rate,
        unseen,
        reference,
        current,
        list(labels),
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
    excluded = reference.get("excluded")
    return DriftReport(
        rows,
        results,
        share >= thresholds.dataset_share and drifted > 0,
        share,
        thresholds,
        {str(k): str(v) for k, v in excluded.items()} if isinstance(excluded, dict) else {},
    )
