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
from dataclasses import dataclass, field
from typing import Any

from ..data.build import SQL, Expr, builder_for
from ..data.sources import open_source
from ..errors import InputError
from .profile import (
    CALENDAR_LABELS,
    HASH_BUCKETS,
    HEX,
    TAIL_DIGITS,
    calendar_shares,
    calendar_tallies,
    hashed_tallies,
    md5_prefix,
    shares,
    validate_profile,
)
from .tally import Tally, bins, distinct_where, keyed, scans
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


def _category_tallies(sql: SQL, col: Expr, categories: list[str], tail: list[str] | None) -> list[Tally]:
    """Counts per reference category, then of the distinct unseen values (the "other" count is
    the non-null count less the categories').

    A value is unseen when it is outside the categories and its hash is not in the
    reference's ``tail``; with no tail (more values than it lists) none is counted.
    """
    text = sql.as_text(col)
    unseen: Expr = sql.not_(sql.is_null(col)) if tail is not None else sql.false()
    if categories and tail is not None:
        listed = sql.in_(text, [sql.string(c) for c in categories])
        unseen = sql.and_(unseen, sql.not_(listed))
    if tail:
        seen = sql.in_(md5_prefix(sql, col, TAIL_DIGITS), [sql.string(h) for h in tail])
        unseen = sql.and_(unseen, sql.not_(seen))
    distinct = distinct_where(sql, text, unseen)
    return [keyed(sql, text, categories, others=True), Tally([distinct], lambda values: [int(next(values) or 0)])]


def _tallies(sql: SQL, col: Expr, spec: dict[str, Any]) -> list[Tally]:
    """What the current window counts of a column of the profile, by its kind."""
    if spec["kind"] == "numeric":
        return [bins(sql, col, [float(e) for e in spec["edges"]])]
    if spec["kind"] == "hashed":
        return hashed_tallies(sql, col, [float(e) for e in spec["length_edges"]])
    if spec["kind"] == "calendar":
        return calendar_tallies(sql, col)
    return _category_tallies(sql, col, list(spec["categories"]), spec["tail"])


#: Per column of the profile: its non-null count in the window, and the counts of each of its tallies.
Counted = dict[str, tuple[int, list[list[int]]]]


def _window(columns: dict[str, Any], source: str, table: str | None) -> tuple[int, Counted]:
    """The current window's rows, and per column its non-null count and bucket counts (in the scans of ``scans``)."""
    with open_source(source, table) as opened:
        types = opened.engine.columns(opened.relation)
        absent = [c for c in columns if c not in types]
        if absent:
            raise InputError(
                opened.label,
                f"column {absent[0]!r} of the profile is not in the current data",
                "check the data, or profile the columns it has",
            )
        sql = builder_for(opened.engine)
        tallies = {name: _tallies(sql, sql.column(name), spec) for name, spec in columns.items()}
        rows, counted = 0, Counted()
        texts = [name for name, spec in columns.items() if spec["kind"] == "categorical"]
        for group in scans(sql.dialect, texts, columns):
            aggregates: list[Expr] = [sql.count_rows()]
            for name in group:
                aggregates += [sql.count(sql.column(name)), *(a for t in tallies[name] for a in t.aggregates)]
            (row,) = sql.run(opened.engine, opened.relation, sql.select(aggregates))
            values = iter(row)
            rows = int(next(values) or 0)
            counted |= {name: (int(next(values) or 0), [t.read(values) for t in tallies[name]]) for name in group}
    return rows, {name: counted[name] for name in columns}


SEVERITY = {"ok": 0, "warn": 1, "alert": 2}


def _psi_status(score: float, warn: float, alert: float) -> str:
    return "alert" if score >= alert else "warn" if score >= warn else "ok"


def _numeric_labels(edges: list[float]) -> list[str]:
    return [f"≤ {e:g}" for e in edges] + [f"> {edges[-1]:g}" if edges else "all"]


def _column(
    name: str, spec: dict[str, Any], present: int, counts: list[list[int]], rows: int, thresholds: Thresholds
) -> ColumnDrift:
    """A column's drift, from the window's non-null count and bucket (or category) counts of it."""
    warn, alert, js_alert, ignored = thresholds.for_column(name)
    kind, reference, unseen = spec["kind"], spec["shares"], 0
    if kind == "numeric":
        current = shares(counts[0])
        metric, score = "psi", psi(reference, current)
        status, labels = _psi_status(score, warn, alert), _numeric_labels(spec["edges"])
    else:
        if kind == "calendar":
            current, labels = calendar_shares(counts[0] + counts[1]), CALENDAR_LABELS
        elif kind == "hashed":
            current, labels = shares(counts[0]), [f"#{h}" for h in HEX[:HASH_BUCKETS]]
        else:
            current = shares([*counts[0], present - sum(counts[0])])
            labels, unseen = [*spec["categories"], "other"], counts[1][0]
        metric, score = "js_distance", js_distance(reference, current)
        status = "alert" if score >= js_alert else "ok"
        if kind == "hashed":  # and the text lengths, when they moved more than the buckets
            lengths = shares(counts[1])
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
    rows, counted = _window(columns, source, table)
    results = [_column(name, spec, *counted[name], rows, thresholds) for name, spec in columns.items()]
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
