"""SQL shared by the contract compiler, ``contracts infer`` and drift, and the one type-word table.

Queries are sqlglot trees over a placeholder table, rendered in the engine's dialect;
``run`` puts the engine's source (a table, or DuckDB's reader of a file) in the
placeholder's place. Every identifier is quoted, so any column name works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlglot import exp

if TYPE_CHECKING:
    from .engines import Engine, Relation

PLACEHOLDER = "__prodready_source__"

#: The ODCS logicalType that an engine's type name means, by the words it contains.
#: The first match wins: containers before the scalars they hold, timestamps before
#: dates and times. A type that no word matches holds strings (ODCS has no binary type).
TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("array", ("[", "list", "array")),
    ("object", ("struct", "map", "json", "record", "row")),
    ("boolean", ("bool",)),
    ("timestamp", ("timestamp", "datetime")),
    ("date", ("date",)),
    ("time", ("time",)),
    ("integer", ("int", "serial")),
    ("number", ("double", "float", "real", "decimal", "numeric")),
)
#: Logical types whose values are numbers (drift buckets them by deciles).
NUMERIC = ("integer", "number")


def logical_type(engine_type: str) -> str:
    """The ODCS logicalType of a column of the engine's type ``engine_type``."""
    lowered = engine_type.lower()
    return next((logical for logical, words in TYPE_WORDS if any(word in lowered for word in words)), "string")


def conforms(engine_type: str, logical: str) -> bool:
    """Whether a column of ``engine_type`` holds ``logical`` values (an integer column holds numbers too)."""
    actual = logical_type(engine_type)
    return actual == logical or (logical == "number" and actual == "integer")


def column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def number(value: Any) -> exp.Expr:
    return exp.Literal.number(str(value))


def is_null(value: exp.Expr) -> exp.Expr:
    return exp.Is(this=value, expression=exp.Null())


def not_null(value: exp.Expr) -> exp.Expr:
    return exp.Not(this=is_null(value))


def as_text(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value, to=exp.DataType.build("TEXT"))


def count_where(predicate: exp.Expr) -> exp.Expr:
    return exp.func("SUM", exp.Case(ifs=[exp.If(this=predicate, true=number(1))], default=number(0)))


def scan(*expressions: exp.Expr) -> exp.Select:
    """``SELECT expressions FROM`` the placeholder table."""
    return exp.select(*expressions).from_(exp.to_table(PLACEHOLDER))


def run(engine: Engine, relation: Relation, query: exp.Expr) -> list[tuple[Any, ...]]:
    """Render a query over the placeholder table in the engine's dialect and run it on the relation."""
    return engine.query(query.sql(dialect=engine.dialect).replace(PLACEHOLDER, engine.source(relation)))
