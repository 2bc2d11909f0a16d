"""The SQL of contract checks and drift, written two ways behind one interface: as DuckDB text, or as sqlglot trees.

sqlglot writes every engine's dialect, and adding a warehouse is a dialect name; but
importing it takes about 0.14 s, a fifth of checking 2 million Parquet rows end to end.
DuckDB, the engine that reads files, is the common case, so ``TextSQL`` writes its
queries directly, as the very text sqlglot writes for DuckDB: the test suite builds
every DuckDB query of a check or a drift profile it runs both ways and compares them
character by character.
Every other engine gets ``TreeSQL`` (sqlglot, imported only then), and so does what
only some contracts need, on DuckDB too: nested data, a contract's own SQL, windows.

Expressions are opaque to the code that builds them (``Expr``): text for ``TextSQL``,
trees for ``TreeSQL``. A query reads the relation being checked, which ``run`` puts in
its place when it runs: in a tree, replacing the placeholder table; in text, as a piece
of its own, so a value that spells the placeholder stays a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .engines import Engine, Relation

#: The table that stands for the relation until a query runs.
PLACEHOLDER = "__prodready_source__"
#: Logical types whose values are numbers (drift buckets them by deciles).
NUMERIC = ("integer", "number")
#: The engine type a column declared with a scalar logicalType is read as, where a reader
#: would otherwise guess (JSON) or read text (CSV). Timestamps keep their zone, as the
#: contract checks cast them; objects and arrays are left to the reader.
DECLARED_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
    "time": "TIME",
}
#: Comparison operators by their SQL spelling.
COMPARISONS = ("<", ">", "<=", ">=", "=")

Expr = Any  # text (TextSQL) or a sqlglot tree (TreeSQL): only the builder that made it reads it
Query = Any


class SQL(Protocol):
    """What the contract checks write: conditions, aggregates, and queries over the relation."""

    dialect: str

    def column(self, name: str) -> Expr: ...
    def number(self, value: float) -> Expr: ...
    def string(self, value: str) -> Expr: ...
    def is_null(self, value: Expr) -> Expr: ...
    def not_(self, value: Expr) -> Expr: ...
    def and_(self, *values: Expr) -> Expr: ...
    def or_(self, *values: Expr) -> Expr: ...
    def compare(self, op: str, left: Expr, right: Expr) -> Expr: ...
    def in_(self, value: Expr, members: Sequence[Expr]) -> Expr: ...
    def cast(self, value: Expr, to: str, *, try_: bool = False) -> Expr:
        """``value`` as the DuckDB type ``to`` (NULL where it does not convert, with ``try_``)."""

    def as_text(self, value: Expr) -> Expr: ...
    def length(self, value: Expr) -> Expr: ...
    def matches(self, value: Expr, pattern: str) -> Expr: ...
    def count_rows(self) -> Expr: ...
    def count_where(self, predicate: Expr) -> Expr: ...
    def maximum(self, value: Expr) -> Expr: ...
    def minus(self, left: Expr, right: Expr) -> Expr: ...
    def count_distinct(self, values: Sequence[Expr]) -> Expr: ...
    def hash_bucket(self, values: Sequence[Expr], buckets: int) -> Expr:
        """Whether the values' hash falls in bucket 0 of ``buckets`` (engines with ``hash_buckets``)."""

    def alias(self, value: Expr, name: str, *, quoted: bool = False) -> Expr: ...
    def ref(self, name: str) -> Expr:
        """A query's own (unquoted) alias, as an ``ORDER BY`` names it."""

    def desc(self, value: Expr) -> Expr: ...
    def false(self) -> Expr: ...
    def count(self, value: Expr) -> Expr: ...
    def average(self, value: Expr) -> Expr: ...
    def minimum(self, value: Expr) -> Expr: ...
    def approx_distinct(self, value: Expr) -> Expr: ...
    def like(self, value: Expr, pattern: str) -> Expr: ...
    def md5_prefix(self, value: Expr, digits: int) -> Expr:
        """The first ``digits`` hex digits of the MD5 of text ``value``."""

    def extract(self, part: str, value: Expr) -> Expr:
        """``EXTRACT(part FROM value)``, ``part`` one of ``DOW`` and ``HOUR``."""

    def case_when(self, predicate: Expr, value: Expr) -> Expr: ...
    def filtered(self, aggregate: Expr, predicate: Expr) -> Expr:
        """``aggregate FILTER (WHERE predicate)``."""

    def numbers(self, values: Sequence[float]) -> Expr:
        """A list of numbers (DuckDB's ``[0.1, 0.2]``)."""

    def call(self, name: str, *args: Expr) -> Expr:
        """A function sqlglot does not know by name (DuckDB's ``histogram``, ``approx_quantile``)."""

    def adopt(self, tree: Any) -> Expr:
        """A sqlglot expression (nested checks build them on every engine) as this builder's."""

    def render(self, value: Expr) -> str:
        """An expression as text in the engine's dialect: what tells two checks counting the same apart."""

    def select(
        self,
        items: Sequence[Expr],
        *,
        where: Expr | None = None,
        group_by: Sequence[Expr] = (),
        having: Expr | None = None,
        order_by: Sequence[Expr] = (),
        limit: int | None = None,
        distinct: bool = False,
    ) -> Query:
        """``SELECT items FROM`` the relation, with the clauses given."""

    def from_subquery(self, query: Query, alias: str, order_by: Sequence[Expr] = ()) -> Query:
        """``SELECT * FROM (query) AS alias``, ordered by ``order_by``."""

    def union_all(self, queries: Sequence[Query]) -> Query: ...
    def run(self, engine: Engine, relation: Relation, query: Query) -> list[tuple[Any, ...]]: ...


def builder_for(engine: Engine) -> SQL:
    """The SQL writer for an engine: DuckDB text where the engine is DuckDB, sqlglot elsewhere."""
    if engine.dialect == "duckdb":
        return TextSQL()
    from .sql import TreeSQL

    return TreeSQL(engine.dialect)


# -- DuckDB, as text ------------------------------------------------------------------------------


class _Connector(str):
    """An ``AND`` or ``OR`` of conditions: parenthesised where it joins another, as sqlglot does."""

    __slots__ = ()


def quote(name: str) -> str:
    """An identifier, quoted for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def string_literal(value: str) -> str:
    """A string literal for DuckDB (and PostgreSQL): quotes doubled, nothing else escaped."""
    return "'" + value.replace("'", "''") + "'"


#: DuckDB type words as sqlglot writes them back (it reads VARCHAR as TEXT).
_TYPE_WORDS = {"VARCHAR": "TEXT"}
#: The parts of a moment ``extract`` takes, as sqlglot writes them for DuckDB.
_PARTS = {"DOW": "DAYOFWEEK", "HOUR": "HOUR"}


class _Pieces(tuple[str | None, ...]):
    """A query as text, with None where the relation goes."""

    __slots__ = ()


class TextSQL:
    """DuckDB SQL written directly: the text sqlglot writes for DuckDB, without importing it."""

    dialect = "duckdb"

    def column(self, name: str) -> str:
        return quote(name)

    def number(self, value: float) -> str:
        return str(value)

    def string(self, value: str) -> str:
        return string_literal(value)

    def is_null(self, value: str) -> str:
        return f"{value} IS NULL"

    def not_(self, value: str) -> str:
        return f"NOT {_wrapped(value)}"

    def and_(self, *values: str) -> str:
        return _combine(values, "AND")

    def or_(self, *values: str) -> str:
        return _combine(values, "OR")

    def compare(self, op: str, left: str, right: str) -> str:
        if op not in COMPARISONS:
            raise ValueError(f"not a comparison: {op!r}")
        return f"{left} {op} {right}"

    def in_(self, value: str, members: Sequence[str]) -> str:
        return f"{value} IN ({', '.join(members)})"

    def cast(self, value: str, to: str, *, try_: bool = False) -> str:
        return f"{'TRY_CAST' if try_ else 'CAST'}({value} AS {_TYPE_WORDS.get(to, to)})"

    def as_text(self, value: str) -> str:
        return f"CAST({value} AS TEXT)"

    def length(self, value: str) -> str:
        return f"LENGTH({value})"

    def matches(self, value: str, pattern: str) -> str:
        return f"REGEXP_MATCHES({value}, {string_literal(pattern)})"

    def count_rows(self) -> str:
        return "COUNT(*)"

    def count_where(self, predicate: str) -> str:
        return f"SUM(CASE WHEN {predicate} THEN 1 ELSE 0 END)"

    def maximum(self, value: str) -> str:
        return f"MAX({value})"

    def minus(self, left: str, right: str) -> str:
        return f"{left} - {right}"

    def count_distinct(self, values: Sequence[str]) -> str:
        if len(values) == 1:
            return f"COUNT(DISTINCT {values[0]})"
        nulls = " ".join(f"WHEN {value} IS NULL THEN NULL" for value in values)
        return f"COUNT(DISTINCT CASE {nulls} ELSE ({', '.join(values)}) END)"

    def hash_bucket(self, values: Sequence[str], buckets: int) -> str:
        return f"HASH({', '.join(values)}) % {buckets} = 0"

    def alias(self, value: str, name: str, *, quoted: bool = False) -> str:
        return f"{value} AS {quote(name) if quoted else name}"

    def ref(self, name: str) -> str:
        return name

    def desc(self, value: str) -> str:
        return f"{value} DESC"

    def false(self) -> str:
        return "FALSE"

    def count(self, value: str) -> str:
        return f"COUNT({value})"

    def average(self, value: str) -> str:
        return f"AVG({value})"

    def minimum(self, value: str) -> str:
        return f"MIN({value})"

    def approx_distinct(self, value: str) -> str:
        return f"APPROX_COUNT_DISTINCT({value})"

    def like(self, value: str, pattern: str) -> str:
        return f"{value} LIKE {string_literal(pattern)}"

    def md5_prefix(self, value: str, digits: int) -> str:
        return f"SUBSTRING(MD5({value}), 1, {int(digits)})"

    def extract(self, part: str, value: str) -> str:
        return f"EXTRACT({_PARTS[part]} FROM {value})"

    def case_when(self, predicate: str, value: str) -> str:
        return f"CASE WHEN {predicate} THEN {value} END"

    def filtered(self, aggregate: str, predicate: str) -> str:
        return f"{aggregate} FILTER(WHERE {predicate})"

    def numbers(self, values: Sequence[float]) -> str:
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"

    def call(self, name: str, *args: str) -> str:
        if not name.isidentifier():
            raise ValueError(f"not a function name: {name!r}")
        return f"{name.upper()}({', '.join(args)})"

    def adopt(self, tree: Any) -> str:
        from sqlglot import exp

        text = tree.sql(dialect="duckdb")
        return _Connector(text) if isinstance(tree, exp.Connector) else text

    def render(self, value: str) -> str:
        return str(value)

    def select(
        self,
        items: Sequence[str],
        *,
        where: str | None = None,
        group_by: Sequence[str] = (),
        having: str | None = None,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        distinct: bool = False,
    ) -> _Pieces:
        tail = f" WHERE {where}" if where is not None else ""
        tail += f" GROUP BY {', '.join(group_by)}" if group_by else ""
        tail += f" HAVING {having}" if having is not None else ""
        tail += f" ORDER BY {', '.join(order_by)}" if order_by else ""
        tail += f" LIMIT {int(limit)}" if limit is not None else ""
        select = "SELECT DISTINCT" if distinct else "SELECT"
        return _Pieces((f"{select} {', '.join(items)} FROM ", None, f" AS {PLACEHOLDER}{tail}"))

    def from_subquery(self, query: _Pieces, alias: str, order_by: Sequence[str] = ()) -> _Pieces:
        order = f" ORDER BY {', '.join(order_by)}" if order_by else ""
        return _Pieces(("SELECT * FROM (", *query, f") AS {alias}{order}"))

    def union_all(self, queries: Sequence[_Pieces]) -> _Pieces:
        pieces: list[str | None] = []
        for index, query in enumerate(queries):
            pieces += [" UNION ALL "] if index else []
            pieces += query
        return _Pieces(pieces)

    def run(self, engine: Engine, relation: Relation, query: _Pieces) -> list[tuple[Any, ...]]:
        source = engine.source(relation)
        return engine.query("".join(source if piece is None else piece for piece in query))


def _wrapped(value: str) -> str:
    return f"({value})" if isinstance(value, _Connector) else value


def _combine(values: Sequence[str], operator: str) -> str:
    if len(values) == 1:
        return values[0]
    return _Connector(f" {operator} ".join(map(_wrapped, values)))
