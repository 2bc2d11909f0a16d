"""Engine types read as trees, and compared with ODCS logical types structurally.

An engine names a column's type as text: DuckDB ``STRUCT(a INTEGER, b VARCHAR[])``,
``MAP(VARCHAR, DOUBLE)``, ``BLOB``; PostgreSQL ``jsonb``, ``ARRAY``, ``bytea``; Spark
``struct<a:int>``. Matching words in that text called ``STRUCT(a INTEGER)`` an integer;
here sqlglot parses the text in the engine's dialect, and only the outermost type
decides the column's logical type, while its fields and items describe what is inside.
DuckDB's scalar types, the common case, are looked up without loading sqlglot.

JSON columns (``json``, ``jsonb``, DuckDB ``JSON``) are ``dynamic``: their shape is known
only row by row, so what is inside them is checked by queries, not here. Binary columns
(``BLOB``, ``bytea``) have no ODCS logicalType in v3.1.0: they are ``string`` values in the
``binary`` format, which is how the standard's string ``format`` describes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.expressions.datatypes import DType

#: String formats (logicalTypeOptions.format) under which a binary column is a string.
BINARY_FORMATS = frozenset({"binary", "byte"})
#: What ODCS v3.0.x called ``date``: v3.1.0 split date-times and times off as their own types.
LEGACY_DATE = frozenset({"date", "timestamp", "time"})
_DIALECTS = {"postgres": "postgres", "spark": "spark", "duckdb": "duckdb"}

#: DuckDB's scalar type names as its DESCRIBE writes them, and their kinds: read without
#: sqlglot (the test suite checks each against sqlglot's reading). Anything else, nested
#: types above all, is parsed by sqlglot.
DUCKDB_SCALARS = {
    "BOOLEAN": "boolean",
    **dict.fromkeys(
        ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"),
        "integer",
    ),
    "FLOAT": "number",
    "DOUBLE": "number",
    **dict.fromkeys(("VARCHAR", "UUID", "INTERVAL"), "string"),
    "BLOB": "binary",
    "DATE": "date",
    "TIME": "time",
    "TIME WITH TIME ZONE": "time",
    **dict.fromkeys(
        ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"), "timestamp"
    ),
}
_DECIMAL = re.compile(r"DECIMAL\(\d+,\s*\d+\)")


@dataclass(frozen=True)
class EngineType:
    """One engine type: its logical kind, and what it holds.

    ``kind`` is an ODCS logicalType, or ``binary``; ``fields`` are a struct's named
    members, ``items`` a list's element (or a map's value), ``key`` a map's key type.
    ``dynamic`` marks JSON, whose members are only known row by row.
    """

    kind: str
    text: str
    fields: tuple[tuple[str, EngineType], ...] = ()
    items: EngineType | None = None
    key: EngineType | None = None
    dynamic: bool = False

    def member(self, name: str) -> EngineType | None:
        """A struct member by name, or a map's value type (any key may hold it)."""
        if self.key is not None:
            return self.items
        return next((kind for member, kind in self.fields if member == name), None)


@lru_cache(maxsize=512)
def parse_type(text: str, dialect: str = "duckdb") -> EngineType:
    """``text``, an engine type in ``dialect``, as a tree; a type sqlglot cannot read holds strings."""
    if dialect == "duckdb":
        scalar = DUCKDB_SCALARS.get(text) or ("number" if _DECIMAL.fullmatch(text) else None)
        if scalar is not None:
            return EngineType(scalar, text)
        if text == "JSON":
            return EngineType("object", text, dynamic=True)
    import logging

    import sqlglot.errors
    from sqlglot import exp

    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        tree = exp.DataType.build(text, dialect=_DIALECTS.get(dialect, dialect))
    except (sqlglot.errors.SqlglotError, ValueError, RecursionError):
        return EngineType("string", text)
    finally:
        logger.setLevel(level)
    return _from_tree(tree, text, dialect)


@cache
def _kinds() -> tuple[tuple[frozenset[DType], str], ...]:
    """sqlglot's type names by the kind they are, first match wins."""
    from sqlglot import exp
    from sqlglot.expressions.datatypes import DType as T

    return (
        (frozenset({T.BOOLEAN}), "boolean"),
        (frozenset({T.DATE, T.DATE32}), "date"),
        (frozenset({T.TIME, T.TIMETZ}), "time"),
        (frozenset(exp.DataType.TEMPORAL_TYPES) - {T.DATE, T.DATE32, T.TIME, T.TIMETZ}, "timestamp"),
        (frozenset(exp.DataType.INTEGER_TYPES) - {T.BIT}, "integer"),
        (frozenset(exp.DataType.REAL_TYPES), "number"),
        (frozenset({T.STRUCT, T.OBJECT, T.MAP, T.JSON, T.JSONB}), "object"),
        (frozenset({T.ARRAY, T.LIST}), "array"),
        (frozenset({T.BINARY, T.VARBINARY, T.BLOB, T.LONGBLOB, T.MEDIUMBLOB, T.TINYBLOB}), "binary"),
    )


def _from_tree(tree: exp.DataType, text: str, dialect: str) -> EngineType:
    from sqlglot import exp
    from sqlglot.expressions.datatypes import DType as T

    kind = next((name for types, name in _kinds() if tree.this in types), "string")
    members = [m for m in tree.expressions if isinstance(m, exp.ColumnDef | exp.DataType)]
    if tree.this in (T.JSON, T.JSONB):
        return EngineType(kind, text, dynamic=True)
    if tree.this == T.STRUCT:
        fields = tuple(
            (m.name, _from_tree(m.args["kind"], m.args["kind"].sql(dialect), dialect))
            for m in members
            if isinstance(m, exp.ColumnDef) and isinstance(m.args.get("kind"), exp.DataType)
        )
        return EngineType(kind, text, fields=fields)
    if tree.this == T.MAP and len(members) == 2 and all(isinstance(m, exp.DataType) for m in members):
        key, value = (_from_tree(m, m.sql(dialect), dialect) for m in members if isinstance(m, exp.DataType))
        return EngineType(kind, text, items=value, key=key)
    if kind == "array":
        inner = members[0] if members and isinstance(members[0], exp.DataType) else None
        items = _from_tree(inner, inner.sql(dialect), dialect) if inner is not None else None
        return EngineType(kind, text, items=items)
    return EngineType(kind, text)


def conforms(actual: EngineType, logical: str, *, string_format: str | None = None, legacy: bool = False) -> bool:
    """Whether values of ``actual`` are ``logical`` values.

    An integer column holds numbers too; a JSON column holds objects or arrays (what
    is inside is checked row by row); a binary column holds strings of the ``binary``
    or ``byte`` format. In a v3.0.x contract (``legacy``), ``date`` covers date-times
    and times, which v3.1.0 split off as ``timestamp`` and ``time``.
    """
    kind = actual.kind
    if kind == logical:
        return True
    if logical == "number" and kind == "integer":
        return True
    if actual.dynamic and logical in ("object", "array"):
        return True
    if kind == "binary" and logical == "string":
        return (string_format or "").lower() in BINARY_FORMATS
    return legacy and logical == "date" and kind in LEGACY_DATE


def rows_decide_type(engine_type: EngineType, dialect: str) -> bool:
    """Whether a column's logicalType is checked row by row (PostgreSQL JSON), not from its engine type."""
    return engine_type.dynamic and dialect == "postgres" and engine_type.text.strip().lower() in ("json", "jsonb")
