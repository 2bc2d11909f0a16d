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
from ..io.yamlio import YamlDocument
from .profile import bucket_counts, shares, validate_profile

EPSILON = 1e-4  # share given to an empty bucket, so PSI stays finite


#: The thresholds of monitoring.yaml's drift section, each with its upper bound (None: unbounded).
THRESHOLDS: dict[str, float | None] = {
    "psi_warn": None,
    "psi_alert": None,
    "js_distance_alert": 1.0,
    "dataset_drift_share": 1.0,
}
#: The thresholds a column of ``drift.columns`` may override, and its ``ignore`` flag.
COLUMN_THRESHOLDS = ("psi_warn", "psi_alert", "js_distance_alert")
IGNORE = "ignore"

Where = list[str | int]


def _threshold_problem(value: Any, maximum: float | None) -> str | None:
    """What is wrong with a threshold (None: a finite number above 0, at most ``maximum``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is {value!r} ({type(value).__name__}), not a number"
    try:
        number = float(value)
    except OverflowError:
        return "is too large a number"
    if not math.isfinite(number):
        return f"is {value!r}, not a finite number"
    if number <= 0:
        return f"is {value!r}; it must be greater than 0"
    if maximum is not None and number > maximum:
        return f"is {value!r}; it must be at most {maximum:g}"
    return None


def threshold_problems(drift: Any) -> list[tuple[Where, str]]:
    """Every drift threshold that cannot be used, as (path in monitoring.yaml, what is wrong).

    The rules ``prodready drift check`` applies before scoring, and MON001 reports.
    """
    if not isinstance(drift, dict):
        return [(["drift"], f"is {type(drift).__name__}, not a mapping of thresholds")]
    found: list[tuple[Where, str]] = []
    for key, maximum in THRESHOLDS.items():
        if key in drift and (problem := _threshold_problem(drift[key], maximum)) is not None:
            found.append((["drift", key], problem))
    columns = drift.get("columns")
    if columns is None:
        return found
    if not isinstance(columns, dict):
        return [*found, (["drift", "columns"], f"is {type(columns).__name__}, not a mapping of column names")]
    for name, override in columns.items():
        where: Where = ["drift", "columns", str(name)]
        if not isinstance(override, dict):
            found.append((where, f"is {type(override).__name__}, not a mapping of thresholds"))
            continue
        for key, value in override.items():
            if key == IGNORE:
                if not isinstance(value, bool):
                    found.append(([*where, key], f"is {value!r}, not true or false"))
            elif key in COLUMN_THRESHOLDS:
                problem = _threshold_problem(value, THRESHOLDS[key])
                if problem is not None:
                    found.append(([*where, key], problem))
            else:
                found.append(([*where, str(key)], f"is not a threshold ({', '.join((*COLUMN_THRESHOLDS, IGNORE))})"))
    return found


@dataclass
class Thresholds:
    """Alert and warn levels, from monitoring.yaml (drift section) or the defaults."""

    psi_warn: float = 0.1
    psi_alert: float = 0.25
    js_alert: float = 0.1
    dataset_share: float = 0.5
    null_jump: float = 0.1
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_monitoring(cls, drift: dict[str, Any]) -> Thresholds:
        """The thresholds of a drift section that ``threshold_problems`` accepts."""
        return cls(
            psi_warn=float(drift.get("psi_warn", 0.1)),
            psi_alert=float(drift.get("psi_alert", 0.25)),
            js_alert=float(drift.get("js_distance_alert", 0.1)),
            dataset_share=float(drift.get("dataset_drift_share", 0.5)),
            columns={str(name): dict(override) for name, override in (drift.get("columns") or {}).items()},
        )

    @classmethod
    def read(cls, document: YamlDocument) -> Thresholds:
        """The thresholds of a monitoring.yaml (the defaults when it has no drift section).

        Raises ``InputError`` naming the file, the line and the key of the first threshold
        that is not a finite number in range.
        """
        data = document.data
        if not isinstance(data, dict):
            raise InputError(
                document.path,
                f"the monitoring config is {'empty' if data is None else type(data).__name__}, not a mapping",
                "write it as in the template's monitoring/monitoring.yaml",
                line=1,
            )
        if "drift" not in data:
            return cls()
        problems = threshold_problems(data["drift"])
        if problems:
            where, problem = problems[0]
            raise InputError(
                document.path,
                f"{'.'.join(map(str, where))} {problem}",
                "write each threshold as a number above 0 (js_distance_alert and dataset_drift_share at most 1)",
                line=document.line_of(where),
            )
        return cls.from_monitoring(data["drift"])

    def for_column(self, name: str) -> tuple[float, float, float, bool]:
        override = self.columns.get(name) or {}
        return (
            float(override.get("psi_warn", self.psi_warn)),
            float(override.get("psi_alert", self.psi_alert)),
            float(override.get("js_distance_alert", self.js_alert)),
            bool(override.get(IGNORE, False)),
        )


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
