"""Drift's reference: a profile of the data a model was built on, measured where it lives.

``profile`` records decile edges and shares for numeric columns, top-k shares plus
"other" for categorical ones, and null rates, in a few aggregate queries through the
contract engines: a 100-million-row table is aggregated by DuckDB or the database and
never loaded into Python. ``score.check`` buckets a current window with the same edges.

Not every column is a drift feature, and not every value may be written down:

* identifiers (a contract's ``primaryKey``/``unique``; without one, integer or text
  columns whose values are (nearly) all distinct) and timestamps (a contract's
  ``date``/``timestamp``, or a column of such a type) are listed under ``excluded``
  with the reason; timestamps may be profiled as calendar features instead (shares of
  weekdays and hours of the day);
* protected columns (a contract's restricted, confidential or personal classification
  or tags, as ``contracts.model.is_protected`` reads them; without one, values that
  look like e-mail addresses, or long free text) are profiled as the shares of
  ``HASH_BUCKETS`` buckets of an unsalted hash and of fixed text-length buckets: no
  value, and no hash of a single value, is stored.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from .. import __version__
from ..contracts.model import is_protected, listed, mapping, text
from ..data.build import NUMERIC, SQL, Expr, builder_for
from ..data.sources import Source, open_source
from ..data.types import parse_type
from ..errors import InputError
from ..io.yamlio import load_yaml, read_text
from .tally import Tally, bins, histograms, keyed, value_counts

#: Version 2: ``excluded``; kinds ``hashed`` and ``calendar``; a categorical column's ``tail``.
PROFILE_VERSION = 2
TOP_K = 10
DECILES = [i / 10 for i in range(1, 10)]
#: The kinds of column a profile describes.
KINDS = ("numeric", "categorical", "hashed", "calendar")
#: Edges or categories a column of a profile may list (``profile`` writes 9 and 10): the
#: current window is scored in one query with a condition per bucket.
MAX_BUCKETS = 1000
FIX = "write the profile with `prodready drift profile`"
#: The fix for a profile of an older version.
REWRITE = "write it again with `prodready drift profile SOURCE -o PROFILE.json [--contract CONTRACT]`"

#: A protected column's values fall into this many buckets by the first hex digit of
#: their MD5: each bucket holds about a sixteenth of the distinct values, so a bucket's
#: share says nothing about one value, and the hash is computed the same on every engine.
HASH_BUCKETS = 16
HEX = "0123456789abcdef"
#: Upper edges of the text-length buckets of a protected column (fixed: no quantile of a
#: protected column is stored).
LENGTH_EDGES = [0.0, 1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512, 1024, 4096]
#: A categorical column's ``tail``: the hashes (``TAIL_DIGITS`` hex digits of MD5) of the
#: reference's values outside its top ``TOP_K``, when there are at most ``MAX_TAIL``;
#: ``null`` when there are more (and "unseen" values are not counted).
MAX_TAIL = 1000
TAIL_DIGITS = 16
#: A calendar column: shares of the 7 days of the week (0 Sunday), then of the 24 hours.
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
CALENDAR_LABELS = [*WEEKDAYS, *(f"{hour:02d}h" for hour in range(24))]
#: Without a contract's word: a column is an identifier when at least this share of its
#: (at least ``MIN_IDENTIFIER_ROWS``) non-null values is distinct; free text when its
#: values average at least ``FREE_TEXT_LENGTH`` characters and at least half of them hold
#: a space; e-mail addresses when at least ``EMAIL_SHARE`` of them look like one
#: (``x@y.z``, no space).
IDENTIFIER_SHARE = 0.95
MIN_IDENTIFIER_ROWS = 20
FREE_TEXT_LENGTH = 20
EMAIL_SHARE = 0.5
TIMESTAMPS = ("exclude", "calendar")


@dataclass(frozen=True)
class Declared:
    """What a data contract says of a column: the words drift reads."""

    protected: bool
    identifier: str | None  # "primaryKey" or "unique"
    logical_type: str | None


def contract_columns(path: Path) -> dict[str, Declared]:
    """The columns an ODCS contract declares (by physical name), across its objects.

    Where two objects declare the same column, the stricter reading wins: protected,
    an identifier, and a date or timestamp if either says so.
    """
    document = load_yaml(path, "data contract", timestamps=False)
    data = mapping(document.data)
    if not isinstance(data.get("schema"), list):
        raise InputError(path, "the data contract has no schema list", "name an ODCS contract with --contract")
    declared: dict[str, Declared] = {}
    for obj in map(mapping, listed(data.get("schema"))):
        for prop in map(mapping, listed(obj.get("properties"))):
            if prop.get("name") is None:
                continue
            name = text(prop.get("physicalName") or prop["name"])
            key = "primaryKey" if prop.get("primaryKey") is True else "unique" if prop.get("unique") is True else None
            kind = text(prop["logicalType"]) if prop.get("logicalType") is not None else None
            before = declared.get(name)
            if before is not None:
                key = before.identifier or key
                kind = before.logical_type if before.logical_type in ("date", "timestamp") else kind
            declared[name] = Declared(is_protected(prop) or (before is not None and before.protected), key, kind)
    return declared


def md5_prefix(sql: SQL, col: Expr, digits: int) -> Expr:
    """The first ``digits`` hex digits of the MD5 of a value as text (the same in DuckDB and PostgreSQL)."""
    return sql.md5_prefix(sql.as_text(col), digits)


def text_hash(value: str, digits: int) -> str:
    """``md5_prefix`` of a value read back as text, computed in Python."""
    return hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:digits]


def text_length(sql: SQL, col: Expr) -> Expr:
    return sql.length(sql.as_text(col))


def hashed_tallies(sql: SQL, col: Expr, length_edges: list[float]) -> list[Tally]:
    """Counts per hash bucket (``HASH_BUCKETS``), then per text-length bucket, of a protected column."""
    return [keyed(sql, md5_prefix(sql, col, 1), HEX[:HASH_BUCKETS]), bins(sql, text_length(sql, col), length_edges)]


def calendar_tallies(sql: SQL, col: Expr) -> list[Tally]:
    """Counts per day of the week (0 Sunday), then per hour of the day, of a date or timestamp column."""
    moment = sql.cast(col, "TIMESTAMP")
    weekday, hour = sql.extract("DOW", moment), sql.extract("HOUR", moment)
    return [keyed(sql, weekday, range(len(WEEKDAYS))), keyed(sql, hour, range(24))]


def calendar_shares(counts: list[int]) -> list[float]:
    """Weekday shares then hour shares, each half summing to 0.5: one distribution for one distance."""
    days = len(WEEKDAYS)
    return [s / 2 for s in shares(counts[:days])] + [s / 2 for s in shares(counts[days:])]


def shares(counts: list[int]) -> list[float]:
    total = sum(counts)
    return [c / total for c in counts] if total else [0.0 for _ in counts]


def _quantiles(sql: SQL, col: Expr) -> Expr:
    if sql.dialect == "postgres":
        from sqlglot import exp  # PostgreSQL's queries are sqlglot's trees (``build.TreeSQL``)

        deciles = "ARRAY[" + ", ".join(map(str, DECILES)) + "]::double precision[]"
        return sql.adopt(
            exp.maybe_parse(
                f"percentile_cont({deciles}) WITHIN GROUP (ORDER BY {sql.render(col)}::double precision)",
                dialect="postgres",
            )
        )
    # DuckDB's t-digest keeps memory bounded on any window; the edges need only be the
    # same in the profile and the check, not exact deciles.
    return sql.call("approx_quantile", col, sql.numbers(DECILES))


def _distinct(sql: SQL, col: Expr) -> Expr:
    """The number of distinct values (DuckDB: HyperLogLog's estimate, bounded memory on any window)."""
    if sql.dialect == "postgres":
        return sql.count_distinct([col])
    return sql.approx_distinct(col)


def _email_like(sql: SQL, col: Expr) -> Expr:
    text_value = sql.as_text(col)
    return sql.and_(sql.like(text_value, "%_@_%._%"), sql.not_(sql.like(text_value, "% %")))


def logical_type(engine_type: str, dialect: str) -> str:
    """The ODCS logical type drift profiles a column of ``engine_type`` as.

    Binary, nested and map columns have no buckets of their own: they are profiled by
    their text, as strings.
    """
    kind = parse_type(engine_type, dialect).kind
    return "string" if kind in ("binary", "object", "array") else kind


def _facts(source: Source, names: list[str], types: dict[str, str], declared: dict[str, Declared]) -> dict[str, Any]:
    """The first scan: rows, and per column its non-null count and what its role depends on.

    Numeric columns that no contract protects also get their deciles, minimum and maximum.
    """
    sql = builder_for(source.engine)
    wanted: list[tuple[str, str, Expr]] = [("", "rows", sql.count_rows())]
    for name in names:
        col, logical = sql.column(name), logical_type(types[name], source.engine.dialect)
        wanted.append((name, "present", sql.count(col)))
        # Identifiers are integers or text; a list or a binary value read as text is not one.
        if parse_type(types[name], source.engine.dialect).kind in ("integer", "string"):
            wanted.append((name, "distinct", _distinct(sql, col)))
        if logical == "string":
            wanted.append((name, "length", sql.average(text_length(sql, col))))
            wanted.append((name, "emails", sql.count_where(_email_like(sql, col))))
            wanted.append((name, "spaces", sql.count_where(sql.like(sql.as_text(col), "% %"))))
        if logical in NUMERIC and not (name in declared and declared[name].protected):
            wanted.append((name, "quantiles", _quantiles(sql, col)))
            wanted += [(name, "min", sql.minimum(col)), (name, "max", sql.maximum(col))]
    (row,) = sql.run(source.engine, source.relation, sql.select([expression for _, _, expression in wanted]))
    facts: dict[str, Any] = {name: {} for name in names}
    for (name, key, _), value in zip(wanted, row, strict=True):
        if name:
            facts[name][key] = value
        else:
            facts[key] = int(value)
    return facts


def _role(name: str, logical: str, fact: dict[str, Any], declared: Declared | None, timestamps: str) -> tuple[str, str]:
    """How a column is profiled (a kind, or "excluded") and why, when it is not as its type says."""
    if declared is not None and declared.identifier is not None:
        return "excluded", f"identifier (the contract's {declared.identifier})"
    moment = declared.logical_type if declared is not None and declared.logical_type in ("date", "timestamp") else None
    if moment is not None or logical in ("date", "timestamp"):
        because = f"the contract's logicalType {moment}" if moment is not None else f"a {logical} column"
        if timestamps == "calendar":
            return "calendar", f"{because}: shares of weekdays and hours"
        return "excluded", f"timestamp ({because}; --timestamps calendar profiles its weekdays and hours)"
    present, length = int(fact["present"]), float(fact.get("length") or 0)
    spaces = int(fact.get("spaces") or 0)
    free_text = logical == "string" and length >= FREE_TEXT_LENGTH and spaces >= present / 2
    distinct = int(fact.get("distinct") or 0)
    if declared is None and not free_text and present >= MIN_IDENTIFIER_ROWS and distinct >= IDENTIFIER_SHARE * present:
        return "excluded", f"identifier ({min(distinct / present, 1):.0%} of its {present} values are distinct)"
    if declared is not None and declared.protected:
        return "hashed", "the contract's classification or tags"
    if present and int(fact.get("emails") or 0) >= EMAIL_SHARE * present:
        return "hashed", "its values look like e-mail addresses"
    if free_text:
        return "hashed", f"free text (values average {length:.0f} characters)"
    return ("numeric" if logical in NUMERIC else "categorical"), ""


def _categorical_spec(
    listed_values: list[tuple[str, int]], tail: list[str] | None, present: int, rows: int
) -> dict[str, Any]:
    other = present - sum(n for _, n in listed_values)
    return {
        "kind": "categorical",
        "categories": [v for v, _ in listed_values],
        "shares": shares([n for _, n in listed_values] + [other]),
        "tail": tail if other else [],
        "null_rate": 1 - present / rows if rows else 0.0,
    }


def _categorical(source: Source, name: str, present: int, rows: int, distinct: int | None) -> dict[str, Any]:
    """The top ``TOP_K`` values of a column and their shares, with the rest as "other" (and its ``tail``).

    Two queries, for engines without ``histogram()`` and for columns of too many values to count each.
    """
    sql = builder_for(source.engine)
    col = sql.column(name)
    value = sql.as_text(col)
    present_value = sql.not_(sql.is_null(col))
    top = sql.select(
        [sql.alias(value, "value"), sql.alias(sql.count_rows(), "n")],
        where=present_value,
        group_by=[value],
        order_by=[sql.desc(sql.ref("n")), sql.ref("value")],
        limit=TOP_K,
    )
    listed_values = [(str(v), int(n)) for v, n in sql.run(source.engine, source.relation, top)]
    tail: list[str] | None = []
    if distinct is not None and distinct - len(listed_values) > MAX_TAIL * 1.1:
        tail = None  # too many to list (the estimate errs by a few percent at most)
    elif present > sum(n for _, n in listed_values):
        outside = sql.not_(sql.in_(value, [sql.string(v) for v, _ in listed_values]))
        hashes = md5_prefix(sql, col, TAIL_DIGITS)
        query = sql.select([hashes], where=sql.and_(present_value, outside), distinct=True, limit=MAX_TAIL + 1)
        found = sorted(str(h) for (h,) in sql.run(source.engine, source.relation, query))
        tail = found if len(found) <= MAX_TAIL else None
    return _categorical_spec(listed_values, tail, present, rows)


def _counted(counts: dict[Any, Any], present: int, rows: int) -> dict[str, Any]:
    """A categorical column's spec from the count of each of its values (DuckDB's ``histogram()``)."""
    ranked = sorted(((str(v), int(n)) for v, n in counts.items()), key=lambda item: (-item[1], item[0]))
    hashes = sorted({text_hash(v, TAIL_DIGITS) for v, _ in ranked[TOP_K:]})
    return _categorical_spec(ranked[:TOP_K], hashes if len(hashes) <= MAX_TAIL else None, present, rows)


def _few_values(dialect: str, fact: dict[str, Any]) -> bool:
    """Whether every value of a categorical column is counted in the bucket scan (DuckDB, few distinct values)."""
    distinct = fact.get("distinct")
    return histograms(dialect) and distinct is not None and int(distinct) - TOP_K <= MAX_TAIL * 1.1


def _bucketed(
    source: Source, names: list[str], roles: dict[str, tuple[str, str]], facts: dict[str, Any], rows: int
) -> dict[str, dict[str, Any]]:
    """The specs of the numeric, hashed and calendar columns, and of the categorical ones of few values, in one scan."""
    result: dict[str, dict[str, Any]] = {}
    tallies: dict[str, list[Tally]] = {}
    counted: dict[str, Expr] = {}
    sql = builder_for(source.engine)
    for name in names:
        kind, why = roles[name]
        fact, col = facts[name], sql.column(name)
        null_rate = 1 - int(fact["present"]) / rows if rows else 0.0
        if kind == "numeric":
            edges = sorted({float(q) for q in fact["quantiles"] or []})
            result[name] = {"kind": kind, "edges": edges, "min": fact["min"], "max": fact["max"]}
            result[name]["null_rate"] = null_rate
            tallies[name] = [bins(sql, col, edges)]
        elif kind == "hashed":
            result[name] = {"kind": kind, "protected": why, "length_edges": LENGTH_EDGES, "null_rate": null_rate}
            tallies[name] = hashed_tallies(sql, col, LENGTH_EDGES)
        elif kind == "calendar":
            result[name] = {"kind": kind, "timestamp": why, "null_rate": null_rate}
            tallies[name] = calendar_tallies(sql, col)
        elif kind == "categorical" and _few_values(sql.dialect, fact):
            counted[name] = value_counts(sql, sql.as_text(col))
    values: Iterator[Any] = iter(())
    for aggregates in ([a for ts in tallies.values() for t in ts for a in t.aggregates], list(counted.values())):
        if aggregates:  # apart: see tally.scans
            values = chain(values, sql.run(source.engine, source.relation, sql.select(aggregates))[0])
    for name, ts in tallies.items():
        counts, spec = [t.read(values) for t in ts], result[name]
        if spec["kind"] == "numeric":
            spec["shares"] = shares(counts[0])
        elif spec["kind"] == "hashed":
            spec["shares"], spec["length_shares"] = shares(counts[0]), shares(counts[1])
        else:
            spec["shares"] = calendar_shares(counts[0] + counts[1])
    for name in counted:
        result[name] = _counted(next(values) or {}, int(facts[name]["present"]), rows)
    return result


def profile(
    source: str,
    table: str | None = None,
    columns: list[str] | None = None,
    *,
    contract: Path | None = None,
    timestamps: str = "exclude",
) -> dict[str, Any]:
    """The reference profile of a data set (decile edges for numbers, top-k for categories).

    ``contract``: an ODCS contract whose properties say which columns are protected,
    identifiers or timestamps. ``timestamps``: "exclude" or "calendar".
    """
    declared = contract_columns(contract) if contract is not None else {}
    with open_source(source, table) as opened:
        types = opened.engine.columns(opened.relation)
        missing = [c for c in (columns or []) if c not in types]
        if missing:
            raise InputError(opened.label, f"no column {missing[0]!r}", "name columns that exist, or omit --columns")
        names = [c for c in (columns or list(types)) if c in types]
        facts = _facts(opened, names, types, declared)
        rows = int(facts["rows"])
        dialect = opened.engine.dialect
        roles = {n: _role(n, logical_type(types[n], dialect), facts[n], declared.get(n), timestamps) for n in names}
        result = _bucketed(opened, names, roles, facts, rows)
        for name in names:
            if roles[name][0] == "categorical" and name not in result:
                distinct = facts[name].get("distinct")
                result[name] = _categorical(
                    opened, name, int(facts[name]["present"]), rows, None if distinct is None else int(distinct)
                )
    return {
        "version": PROFILE_VERSION,
        "prodready": __version__,
        "source": opened.label,
        "rows": rows,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "columns": {name: result[name] for name in names if name in result},
        "excluded": {name: why for name, (kind, why) in roles.items() if kind == "excluded"},
    }


def profile_text(reference: dict[str, Any]) -> str:
    """A profile as the JSON text ``prodready drift profile`` writes (and the template ships)."""
    return json.dumps(reference, indent=2, default=str) + "\n"


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


def _edges_problem(edges: Any) -> str | None:
    problem = _numbers(edges, "edges", fractions=False)
    if problem is None and edges != sorted(edges):
        problem = "is not in ascending order"
    return problem


def _shares_problem(values: Any, buckets: int) -> str | None:
    problem = _numbers(values, "shares", fractions=True)
    if problem is None and len(values) != buckets:
        problem = f"has {len(values)} values; it needs one per bucket, {buckets}"
    return problem


def _tail_problem(tail: Any) -> str | None:
    if tail is None:
        return None
    if not isinstance(tail, list) or len(tail) > MAX_TAIL:
        return f"is not null or a list of at most {MAX_TAIL} hashes"
    for position, item in enumerate(tail):
        if not isinstance(item, str) or len(item) != TAIL_DIGITS or item.strip(HEX):
            return f"[{position}] is {item!r}, not {TAIL_DIGITS} hex digits"
    return None


#: The keys each kind of column needs, besides ``kind``.
REQUIRED = {
    "numeric": ("shares", "null_rate", "edges"),
    "categorical": ("shares", "null_rate", "categories", "tail"),
    "hashed": ("shares", "null_rate", "length_edges", "length_shares"),
    "calendar": ("shares", "null_rate"),
}


def _column_problem(spec: Any) -> tuple[str, str] | None:
    """(key, what is wrong) for a column of a profile that cannot be scored; None when it can."""
    if not isinstance(spec, dict):
        return "", f"is {type(spec).__name__}, not an object"
    kind = spec.get("kind")
    if kind not in KINDS:
        return "kind", ("is missing" if "kind" not in spec else f"is {kind!r}") + f", not one of {', '.join(KINDS)}"
    for key in REQUIRED[kind]:
        if key not in spec:
            return key, "is missing"
    problem = _fraction_problem(spec["null_rate"])
    if problem is not None:
        return "null_rate", problem
    buckets = HASH_BUCKETS if kind == "hashed" else len(CALENDAR_LABELS)
    if kind == "numeric":
        if (problem := _edges_problem(spec["edges"])) is not None:
            return "edges", problem
        buckets = len(spec["edges"]) + 1
    elif kind == "categorical":
        categories = spec["categories"]
        if (
            not isinstance(categories, list)
            or len(categories) > MAX_BUCKETS
            or not all(isinstance(c, str) for c in categories)
        ):
            return "categories", f"is not a list of at most {MAX_BUCKETS} strings"
        if (problem := _tail_problem(spec["tail"])) is not None:
            return "tail", problem
        buckets = len(categories) + 1
    elif kind == "hashed":
        if (problem := _edges_problem(spec["length_edges"])) is not None:
            return "length_edges", problem
        if (problem := _shares_problem(spec["length_shares"], len(spec["length_edges"]) + 1)) is not None:
            return "length_shares", problem
    problem = _shares_problem(spec["shares"], buckets)
    return ("shares", problem) if problem is not None else None


def _version_problem(version: Any) -> str | None:
    if version == PROFILE_VERSION:
        return None
    if isinstance(version, int) and not isinstance(version, bool) and 0 < version < PROFILE_VERSION:
        return (
            f"the profile is version {version}, written by an older prodready (it may hold raw values of "
            f"protected columns and profiles identifiers); this prodready reads version {PROFILE_VERSION}"
        )
    return f"the profile's version is {version!r}, not {PROFILE_VERSION}"


def validate_profile(reference: Any, origin: Path | str = "profile") -> dict[str, dict[str, Any]]:
    """The columns of a reference profile, each checked before any query is built from it.

    Raises ``InputError`` naming ``origin`` and the key (``columns.amount.shares``) of the
    first value that is missing, of the wrong type, not finite or out of range, or when
    the profile is of another version (an older one is written again, not read).
    """
    if not isinstance(reference, dict):
        raise InputError(origin, f"the profile is {type(reference).__name__}, not a JSON object", FIX)
    problem = _version_problem(reference.get("version"))
    if problem is not None:
        raise InputError(origin, problem, REWRITE)
    columns = reference.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError(origin, "the profile has no columns", FIX)
    for name, spec in columns.items():
        found = _column_problem(spec)
        if found is not None:
            key, what = found
            place = ".".join(part for part in ("columns", json.dumps(name, ensure_ascii=True), key) if part)
            raise InputError(origin, f"{place}{'' if what.startswith('[') else ' '}{what}", FIX)
    return columns


def read_profile(path: Path) -> dict[str, Any]:
    """A reference profile written by ``profile``, read and validated (an ``InputError`` if it is not one)."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(path, "the profile is not a regular file (a FIFO or a device)", FIX)
    text_read = read_text(path, "profile")
    try:
        reference: dict[str, Any] = json.loads(text_read)
    except json.JSONDecodeError as error:
        raise InputError(path, f"not JSON ({error.msg})", FIX, line=error.lineno) from error
    except (ValueError, RecursionError) as error:  # a 5,000-digit integer; arrays nested 100,000 deep
        raise InputError(path, f"not a profile ({str(error)[:80]})", FIX) from error
    validate_profile(reference, path)
    return reference
