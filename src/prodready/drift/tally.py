"""Counting a column's values into buckets within one aggregate scan, on every engine.

The profile and the check count the same buckets (decile ranges, categories, hash
digits, text lengths, weekdays and hours) and must agree on every engine. On DuckDB a
column's buckets are one ``histogram()`` aggregate, a map from bucket to count: on a
million rows it is about three times faster than a ``SUM(CASE ...)`` per bucket, which
the other engines (PostgreSQL, Spark, SQLAlchemy warehouses) keep, having no such
function. Either way a ``Tally`` reads its results back as the same list of counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..data.build import SQL, Expr


@dataclass(frozen=True)
class Tally:
    """The aggregates that count one set of buckets, and how to read their values back as counts."""

    aggregates: list[Expr]
    read: Callable[[Iterator[Any]], list[int]]


def histograms(dialect: str) -> bool:
    """Whether the engine counts a column's buckets with DuckDB's ``histogram()``."""
    return dialect == "duckdb"


def _sums(n: int) -> Callable[[Iterator[Any]], list[int]]:
    return lambda values: [int(next(values) or 0) for _ in range(n)]


def bins(sql: SQL, col: Expr, edges: list[float]) -> Tally:
    """Counts of the non-null values in (-inf, e1], (e1, e2], ..., (en, inf)."""
    if histograms(sql.dialect):
        # Every finite bin is in the map, empty or not; the last, (en, inf), only when it is not empty.
        def read(values: Iterator[Any]) -> list[int]:
            found = [int(n) for _, n in sorted((next(values) or {}).items())]
            return found + [0] * (len(edges) + 1 - len(found))

        return Tally([sql.call("histogram", col, sql.numbers(edges))], read)
    aggregates = []
    for low, high in pairwise([None, *edges, None]):
        conditions: list[Expr] = [sql.not_(sql.is_null(col))]
        if low is not None:
            conditions.append(sql.compare(">", col, sql.number(low)))
        if high is not None:
            conditions.append(sql.compare("<=", col, sql.number(high)))
        aggregates.append(sql.count_where(sql.and_(*conditions)))
    return Tally(aggregates, _sums(len(edges) + 1))


def keyed(sql: SQL, value: Expr, keys: Sequence[str | int], *, others: bool = False) -> Tally:
    """Counts of the rows whose ``value`` equals each key.

    ``others``: the value may take other values than the keys, without bound (a category
    of a current window): DuckDB's map then holds the keys only, never every value.
    """

    def literal(key: str | int) -> Expr:
        return sql.string(key) if isinstance(key, str) else sql.number(key)

    if histograms(sql.dialect):
        counted = value_counts(sql, value)
        if others:
            # On DuckDB about four times faster than a CASE inside the aggregate.
            counted = sql.filtered(counted, sql.in_(value, list(map(literal, keys))))

        def read(values: Iterator[Any]) -> list[int]:
            found = next(values) or {}
            return [int(found.get(key, 0)) for key in keys]

        return Tally([counted], read)
    aggregates = [sql.count_where(sql.compare("=", value, literal(key))) for key in keys]
    return Tally(aggregates, _sums(len(keys)))


def distinct_where(sql: SQL, value: Expr, predicate: Expr) -> Expr:
    """The number of distinct values of the rows where ``predicate`` holds."""
    if histograms(sql.dialect):
        return sql.filtered(sql.count_distinct([value]), predicate)
    return sql.count_distinct([sql.case_when(predicate, value)])


def value_counts(sql: SQL, value: Expr) -> Expr:
    """Every value of a column and its count, in one DuckDB map (for columns of few distinct values)."""
    return sql.call("histogram", value)


def scans(dialect: str, text_columns: list[str], names: Iterable[str]) -> list[list[str]]:
    """The columns of each aggregate scan: on DuckDB, the columns whose values are counted as text apart.

    Under prodready's DuckDB memory limit (512 MB), one query holding both the value
    counts of text columns and the numeric histograms took three times as long as the
    two queries apart (3.7 s against 1.0 + 0.1 s on 10 million rows): the second scan
    reads only the text columns.
    """
    columns = list(names)
    if not histograms(dialect):
        return [columns]
    rest = [name for name in columns if name not in text_columns]
    return [group for group in (rest, [name for name in columns if name in text_columns]) if group]
