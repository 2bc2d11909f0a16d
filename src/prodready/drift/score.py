"""Drift: a reference profile and a one-pass score of a current window, in SQL.

``profile`` records, where the data lives, decile edges and shares for numeric columns
and top-k shares plus "other" for categorical ones, with null rates. ``check`` scores a
current window with the same edges in one aggregate query: the Population Stability
Index for numeric columns, the Jensen-Shannon distance (base 2, so between 0 and 1) for
categorical ones, null-rate jumps and unseen categories. Both run through the contract
engines, so a 100-million-row window is aggregated by DuckDB or the database and never
loaded into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlglot import exp

from .. import __version__
from ..contracts.compile import PLACEHOLDER, column, count_where
from ..contracts.model import SchemaObject
from ..data.engines import DBAPIEngine, DuckDBFiles, Engine
from ..errors import InputError

PROFILE_VERSION = 1
TOP_K = 10
DECILES = [i / 10 for i in range(1, 10)]
EPSILON = 1e-4  # share given to an empty bucket, so PSI stays finite
NUMERIC_WORDS = ("int", "double", "float", "real", "decimal", "numeric")


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
        return cls(
            psi_warn=float(drift.get("psi_warn", 0.1)),
            psi_alert=float(drift.get("psi_alert", 0.25)),
            js_alert=float(drift.get("js_distance_alert", 0.1)),
            dataset_share=float(drift.get("dataset_drift_share", 0.5)),
            columns=dict(drift.get("columns") or {}),
        )

    def for_column(self, name: str) -> tuple[float, float, float, bool]:
        override = self.columns.get(name) or {}
        return (
            float(override.get("psi_warn", self.psi_warn)),
            float(override.get("psi_alert", self.psi_alert)),
            float(override.get("js_distance_alert", self.js_alert)),
            bool(override.get("ignore", False)),
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


def open_source(source: str, table: str | None = None) -> tuple[Engine, SchemaObject]:
    """A file (CSV, Parquet, JSON) read by DuckDB, or a PostgreSQL table (URL and --table)."""
    if source.startswith(("postgresql://", "postgres://")):
        import psycopg

        if not table:
            raise InputError(source, "a database source needs a table", "pass --table NAME")
        from urllib.parse import parse_qs, urlparse

        url = urlparse(source)
        schema = parse_qs(url.query).get("schema", ["public"])[0]
        try:
            connection = psycopg.connect(url._replace(query="").geturl())
        except psycopg.OperationalError as error:
            raise InputError(
                f"{url.hostname}:{url.port}", "cannot connect to PostgreSQL", "check the URL and PGUSER/PGPASSWORD"
            ) from error
        return DBAPIEngine(connection, "postgres", schema, source), SchemaObject(table, table, [], [], None)
    path = Path(source)
    formats = {"csv": "csv", "parquet": "parquet", "json": "json", "jsonl": "json"}
    kind = formats.get(path.suffix.lower().lstrip("."))
    if kind is None:
        raise InputError(
            source,
            f"cannot tell the format of {path.name}",
            "name a .csv, .parquet or .json file, or a postgresql:// URL",
        )
    name = table or path.name.split(".")[0]
    return DuckDBFiles(str(path), kind, Path.cwd() / "drift", typed_csv=True), SchemaObject(name, name, [], [], None)


def _run(engine: Engine, obj: SchemaObject, query: exp.Expr) -> list[tuple[Any, ...]]:
    return engine.query(query.sql(dialect=engine.dialect).replace(PLACEHOLDER, engine.source(obj)))


def _quantiles(engine: Engine, col: exp.Expr) -> exp.Expr:
    if engine.dialect == "postgres":
        array = "ARRAY[" + ", ".join(map(str, DECILES)) + "]::double precision[]"
        return exp.maybe_parse(
            f"percentile_cont({array}) WITHIN GROUP (ORDER BY {col.sql('postgres')}::double precision)",
            dialect="postgres",
        )
    # DuckDB's t-digest keeps memory bounded on any window; the edges need only be the
    # same in the profile and the check, not exact deciles.
    deciles: exp.Expr = exp.maybe_parse("[" + ", ".join(map(str, DECILES)) + "]", dialect="duckdb")
    return exp.Anonymous(this="approx_quantile", expressions=[col, deciles])


def _bucket_counts(col: exp.Expr, edges: list[float]) -> list[exp.Expr]:
    """COUNT per bucket (-inf, e1], (e1, e2], ..., (e9, inf) for the non-null values."""
    counts = []
    for low, high in pairwise([None, *edges, None]):
        conditions: list[exp.Expr] = [exp.Not(this=exp.Is(this=col, expression=exp.Null()))]
        if low is not None:
            conditions.append(exp.GT(this=col, expression=exp.Literal.number(repr(low))))
        if high is not None:
            conditions.append(exp.LTE(this=col, expression=exp.Literal.number(repr(high))))
        counts.append(count_where(exp.and_(*conditions)))
    return counts


def _category_counts(col: exp.Expr, categories: list[str]) -> list[exp.Expr]:
    """COUNT per reference category, of the other values, and of distinct unseen values."""
    text = exp.Cast(this=col, to=exp.DataType.build("TEXT"))
    counts = [count_where(exp.EQ(this=text, expression=exp.Literal.string(c))) for c in categories]
    other: exp.Expr = exp.Not(this=exp.Is(this=col, expression=exp.Null()))
    if categories:
        listed = exp.In(this=text, expressions=[exp.Literal.string(c) for c in categories])
        other = exp.and_(other, exp.Not(this=listed))
    counts.append(count_where(other))
    counts.append(exp.Count(this=exp.Distinct(expressions=[exp.Case(ifs=[exp.If(this=other, true=text)])])))
    return counts


def _shares(counts: list[int]) -> list[float]:
    total = sum(counts)
    return [c / total for c in counts] if total else [0.0 for _ in counts]


def profile(source: str, table: str | None = None, columns: list[str] | None = None) -> dict[str, Any]:
    """The reference profile of a data set (decile edges for numbers, top-k for categories)."""
    engine, obj = open_source(source, table)
    try:
        types = engine.columns(obj)
        names = [c for c in (columns or list(types)) if c in types]
        missing = [c for c in (columns or []) if c not in types]
        if missing:
            raise InputError(source, f"no column {missing[0]!r}", "name columns that exist, or omit --columns")
        numeric = [c for c in names if any(word in types[c].lower() for word in NUMERIC_WORDS)]
        categorical = [c for c in names if c not in numeric]
        first: list[exp.Expr] = [exp.func("COUNT", exp.Star())]
        for name in names:
            first.append(exp.func("COUNT", column(name)))
        for name in numeric:
            col = column(name)
            first += [_quantiles(engine, col), exp.Min(this=col), exp.Max(this=col)]
        (row,) = _run(engine, obj, exp.select(*first).from_(exp.to_table(PLACEHOLDER)))
        rows = int(row[0])
        non_null = dict(zip(names, row[1 : 1 + len(names)], strict=True))
        values = iter(row[1 + len(names) :])
        result: dict[str, Any] = {}
        for name in numeric:
            quantiles, low, high = next(values), next(values), next(values)
            edges = sorted({float(q) for q in quantiles or []})
            result[name] = {
                "kind": "numeric",
                "edges": edges,
                "min": low,
                "max": high,
                "null_rate": 1 - int(non_null[name]) / rows if rows else 0.0,
            }
        if numeric:
            second: list[exp.Expr] = []
            for name in numeric:
                second += _bucket_counts(column(name), result[name]["edges"])
            (counts,) = _run(engine, obj, exp.select(*second).from_(exp.to_table(PLACEHOLDER)))
            position = 0
            for name in numeric:
                n = len(result[name]["edges"]) + 1
                result[name]["shares"] = _shares([int(c or 0) for c in counts[position : position + n]])
                position += n
        for name in categorical:
            col = column(name)
            text = exp.Cast(this=col, to=exp.DataType.build("TEXT"))
            top = exp.select(text.as_("value"), exp.func("COUNT", exp.Star()).as_("n")).from_(exp.to_table(PLACEHOLDER))
            top = (
                top.where(exp.Not(this=exp.Is(this=col, expression=exp.Null())))
                .group_by(text)
                .order_by(exp.column("n").desc(), exp.column("value"))
                .limit(TOP_K)
            )
            found = _run(engine, obj, top)
            present = int(non_null[name])
            listed = [(str(v), int(n)) for v, n in found]
            other = present - sum(n for _, n in listed)
            shares = _shares([n for _, n in listed] + [other])
            result[name] = {
                "kind": "categorical",
                "categories": [v for v, _ in listed],
                "shares": shares,
                "null_rate": 1 - present / rows if rows else 0.0,
            }
    finally:
        engine.close()
    return {
        "version": PROFILE_VERSION,
        "prodready": __version__,
        "source": source,
        "rows": rows,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "columns": result,
    }


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


def check(
    reference: dict[str, Any], source: str, table: str | None = None, thresholds: Thresholds | None = None
) -> DriftReport:
    """Score a current window against a reference profile, in one aggregate query."""
    thresholds = thresholds or Thresholds()
    columns = reference.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError("profile", "the profile has no columns", "write it with `prodready drift profile`")
    engine, obj = open_source(source, table)
    try:
        types = engine.columns(obj)
        absent = [c for c in columns if c not in types]
        if absent:
            raise InputError(
                source,
                f"column {absent[0]!r} of the profile is not in the current data",
                "check the data, or profile the columns it has",
            )
        aggregates: list[exp.Expr] = [exp.func("COUNT", exp.Star())]
        for name, spec in columns.items():
            col = column(name)
            aggregates.append(exp.func("COUNT", col))
            if spec["kind"] == "numeric":
                aggregates += _bucket_counts(col, [float(e) for e in spec["edges"]])
            else:
                aggregates += _category_counts(col, list(spec["categories"]))
        (row,) = _run(engine, obj, exp.select(*aggregates).from_(exp.to_table(PLACEHOLDER)))
    finally:
        engine.close()
    rows = int(row[0])
    values = iter(row[1:])
    results = []
    for name, spec in columns.items():
        present = int(next(values) or 0)
        null_rate = 1 - present / rows if rows else 0.0
        warn, alert, js_alert, ignored = thresholds.for_column(name)
        if spec["kind"] == "numeric":
            counts = [int(next(values) or 0) for _ in range(len(spec["edges"]) + 1)]
            current = _shares(counts)
            score = psi(spec["shares"], current)
            status = "alert" if score >= alert else "warn" if score >= warn else "ok"
            labels = [f"≤ {e:g}" for e in spec["edges"]] + [f"> {spec['edges'][-1]:g}" if spec["edges"] else "all"]
            result = ColumnDrift(
                name,
                "numeric",
                "psi",
                score,
                status,
                spec["null_rate"],
                null_rate,
                reference=spec["shares"],
                current=current,
                labels=labels,
            )
        else:
            counts = [int(next(values) or 0) for _ in range(len(spec["categories"]) + 1)]
            unseen = int(next(values) or 0)
            current = _shares(counts)
            score = js_distance(spec["shares"], current)
            status = "alert" if score >= js_alert else "ok"
            result = ColumnDrift(
                name,
                "categorical",
                "js_distance",
                score,
                status,
                spec["null_rate"],
                null_rate,
                unseen,
                spec["shares"],
                current,
                [*spec["categories"], "other"],
            )
        if abs(null_rate - spec["null_rate"]) >= thresholds.null_jump and result.status == "ok":
            result.status = "warn"
        if ignored:
            result.status = "ignored"
        results.append(result)
    scored = [r for r in results if r.status != "ignored"]
    drifted = sum(r.status == "alert" for r in scored)
    share = drifted / len(scored) if scored else 0.0
    return DriftReport(rows, results, share >= thresholds.dataset_share and drifted > 0, share, thresholds)
