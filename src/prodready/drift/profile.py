"""Drift's reference: a profile of the data a model was built on, measured where it lives.

``profile`` records decile edges and shares for numeric columns, top-k shares plus
"other" for categorical ones, and null rates, in a few aggregate queries through the
contract engines: a 100-million-row table is aggregated by DuckDB or the database and
never loaded into Python. ``score.check`` buckets a current window with the same edges.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlglot import exp

from .. import __version__
from ..data.engines import Engine
from ..data.sources import Source, open_source
from ..data.sql import NUMERIC, as_text, column, count_where, logical_type, not_null, number, run, scan
from ..errors import InputError
from ..io.yamlio import read_text

PROFILE_VERSION = 1
TOP_K = 10
DECILES = [i / 10 for i in range(1, 10)]
#: The kinds of column a profile describes.
KINDS = ("numeric", "categorical")
#: Edges or categories a column of a profile may list (``profile`` writes 9 and 10): the
#: current window is scored in one query with a condition per bucket.
MAX_BUCKETS = 1000
FIX = "write the profile with `prodready drift profile`"


def bucket_counts(col: exp.Expr, edges: list[float]) -> list[exp.Expr]:
    """COUNT per bucket (-inf, e1], (e1, e2], ..., (e9, inf) of the non-null values."""
    counts = []
    for low, high in pairwise([None, *edges, None]):
        conditions: list[exp.Expr] = [not_null(col)]
        if low is not None:
            conditions.append(exp.GT(this=col, expression=number(repr(low))))
        if high is not None:
            conditions.append(exp.LTE(this=col, expression=number(repr(high))))
        counts.append(count_where(exp.and_(*conditions)))
    return counts


def shares(counts: list[int]) -> list[float]:
    total = sum(counts)
    return [c / total for c in counts] if total else [0.0 for _ in counts]


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


def _numeric(source: Source, numeric: list[str], rows: int, row: list[Any]) -> dict[str, dict[str, Any]]:
    """Decile edges, range and bucket shares of each numeric column (``row``: the first scan's values)."""
    result: dict[str, dict[str, Any]] = {}
    values = iter(row)
    for name in numeric:
        non_null, quantiles, low, high = next(values), next(values), next(values), next(values)
        result[name] = {
            "kind": "numeric",
            "edges": sorted({float(q) for q in quantiles or []}),
            "min": low,
            "max": high,
            "null_rate": 1 - int(non_null) / rows if rows else 0.0,
        }
    if numeric:
        aggregates = [count for name in numeric for count in bucket_counts(column(name), result[name]["edges"])]
        (counts,) = run(source.engine, source.relation, scan(*aggregates))
        position = 0
        for name in numeric:
            n = len(result[name]["edges"]) + 1
            result[name]["shares"] = shares([int(c or 0) for c in counts[position : position + n]])
            position += n
    return result


def _categorical(source: Source, name: str, present: int, rows: int) -> dict[str, Any]:
    """The top ``TOP_K`` values of a column and their shares, with the rest as "other"."""
    col = column(name)
    text = as_text(col)
    top = scan(text.as_("value"), exp.func("COUNT", exp.Star()).as_("n")).where(not_null(col)).group_by(text)
    top = top.order_by(exp.column("n").desc(), exp.column("value")).limit(TOP_K)
    listed = [(str(v), int(n)) for v, n in run(source.engine, source.relation, top)]
    other = present - sum(n for _, n in listed)
    return {
        "kind": "categorical",
        "categories": [v for v, _ in listed],
        "shares": shares([n for _, n in listed] + [other]),
        "null_rate": 1 - present / rows if rows else 0.0,
    }


def profile(source: str, table: str | None = None, columns: list[str] | None = None) -> dict[str, Any]:
    """The reference profile of a data set (decile edges for numbers, top-k for categories)."""
    with open_source(source, table) as opened:
        types = opened.engine.columns(opened.relation)
        missing = [c for c in (columns or []) if c not in types]
        if missing:
            raise InputError(opened.label, f"no column {missing[0]!r}", "name columns that exist, or omit --columns")
        names = [c for c in (columns or list(types)) if c in types]
        numeric = [c for c in names if logical_type(types[c]) in NUMERIC]
        categorical = [c for c in names if c not in numeric]
        first: list[exp.Expr] = [exp.func("COUNT", exp.Star())]
        first += [exp.func("COUNT", column(name)) for name in categorical]
        for name in numeric:
            col = column(name)
            first += [exp.func("COUNT", col), _quantiles(opened.engine, col), exp.Min(this=col), exp.Max(this=col)]
        (row,) = run(opened.engine, opened.relation, scan(*first))
        rows = int(row[0])
        present = dict(zip(categorical, map(int, row[1 : 1 + len(categorical)]), strict=True))
        result = _numeric(opened, numeric, rows, list(row[1 + len(categorical) :]))
        for name in categorical:
            result[name] = _categorical(opened, name, present[name], rows)
    return {
        "version": PROFILE_VERSION,
        "prodready": __version__,
        "source": opened.label,
        "rows": rows,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "columns": result,
    }


def _fraction_problem(value: Any, *, at_most_one: bool = True) -> str | None:
    """What is wrong with a share or a rate (None: a finite number from 0, at most 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is {value!r}, not a number"
    try:
        number = float(value)
    except OverflowError:
        return "is too large a number"
    if not math.isfinite(number) or number < 0 or (at_most_one and number > 1):
        return f"is {value!r}, not a number from 0 to 1"
    return None


def _numbers(value: Any, what: str, *, fractions: bool) -> str | None:
    if not isinstance(value, list) or len(value) > MAX_BUCKETS + 1:
        return f"is not a list of at most {MAX_BUCKETS} {what}"
    for position, item in enumerate(value):
        if fractions:
            problem = _fraction_problem(item)
        elif isinstance(item, bool) or not isinstance(item, int | float):
            problem = f"is {item!r}, not a number"
        else:
            try:
                problem = None if math.isfinite(float(item)) else f"is {item!r}, not a finite number"
            except OverflowError:
                problem = "is too large a number"
        if problem is not None:
            return f"[{position}] {problem}"
    return None


def _column_problem(spec: Any) -> tuple[str, str] | None:
    """(key, what is wrong) for a column of a profile that cannot be scored; None when it can."""
    if not isinstance(spec, dict):
        return "", f"is {type(spec).__name__}, not an object"
    if spec.get("kind") not in KINDS:
        return "kind", (
            "is missing" if "kind" not in spec else f"is {spec['kind']!r}"
        ) + f", not one of {', '.join(KINDS)}"
    for key in ("shares", "null_rate", "edges" if spec["kind"] == KINDS[0] else "categories"):
        if key not in spec:
            return key, "is missing"
    problem = _fraction_problem(spec["null_rate"])
    if problem is not None:
        return "null_rate", problem
    if spec["kind"] == KINDS[0]:
        buckets = spec["edges"]
        problem = _numbers(buckets, "edges", fractions=False)
        if problem is None and buckets != sorted(buckets):
            problem = "is not in ascending order"
        if problem is not None:
            return "edges", problem
    else:
        buckets = spec["categories"]
        if not isinstance(buckets, list) or len(buckets) > MAX_BUCKETS or not all(isinstance(c, str) for c in buckets):
            return "categories", f"is not a list of at most {MAX_BUCKETS} strings"
    problem = _numbers(spec["shares"], "shares", fractions=True)
    if problem is None and len(spec["shares"]) != len(buckets) + 1:
        problem = f"has {len(spec['shares'])} values; it needs one per bucket, {len(buckets) + 1}"
    return ("shares", problem) if problem is not None else None


def validate_profile(reference: Any, origin: Path | str = "profile") -> dict[str, dict[str, Any]]:
    """The columns of a reference profile, each checked before any query is built from it.

    Raises ``InputError`` naming ``origin`` and the key (``columns.amount.shares``) of the
    first value that is missing, of the wrong type, not finite or out of range.
    """
    if not isinstance(reference, dict):
        raise InputError(origin, f"the profile is {type(reference).__name__}, not a JSON object", FIX)
    columns = reference.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError(origin, "the profile has no columns", FIX)
    for name, spec in columns.items():
        problem = _column_problem(spec)
        if problem is not None:
            key, what = problem
            place = ".".join(part for part in ("columns", json.dumps(name, ensure_ascii=True), key) if part)
            raise InputError(origin, f"{place}{'' if what.startswith('[') else ' '}{what}", FIX)
    return columns


def read_profile(path: Path) -> dict[str, Any]:
    """A reference profile written by ``profile``, read and validated (an ``InputError`` if it is not one)."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(path, "the profile is not a regular file (a FIFO or a device)", FIX)
    text = read_text(path, "profile")
    try:
        reference: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"not JSON ({error.msg})", FIX, line=error.lineno) from error
    except (ValueError, RecursionError) as error:  # a 5,000-digit integer; arrays nested 100,000 deep
        raise InputError(path, f"not a profile ({str(error)[:80]})", FIX) from error
    validate_profile(reference, path)
    return reference
