"""``prodready contracts infer``: a starting contract from a real extract or table.

One aggregate scan measures every column (nulls, distinct values, range, lengths);
the contract records what was observed (types, required, unique, ranges, the valid
values of low-cardinality text columns, a row-count floor) so that it lints clean and
passes ``check`` on the source it came from. It is a start: tighten it by hand.

Types are read as trees (``data.types``): a struct becomes an object with nested
``properties``, a list or array an array with ``items``, a map an object without
properties (its keys are data, not schema), a JSON column the one JSON type its values
have. ODCS v3.1.0 has no binary type: a BLOB or bytea column is a ``string`` of the
``binary`` format (the standard's own word for it), and its physicalType keeps the truth.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any

from sqlglot import exp

from ..data.build import NUMERIC
from ..data.sources import Source, open_source
from ..data.sql import column, not_null, run, scan
from ..data.types import EngineType, parse_type
from .lint import personal_name
from .nested import JsonReach

#: Text columns with at most this many distinct values get validValues.
MAX_VALID_VALUES = 12


def _identifier(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower()
    return slug or "dataset"


def _measures(name: str, kind: EngineType) -> list[exp.Expr]:
    """A column's aggregates: non-null and distinct counts, then its range (numbers) or lengths (text).

    Objects and arrays are counted only: JSON has no equality to count distinct values by.
    """
    col = column(name)
    measured: list[exp.Expr] = [exp.func("COUNT", col)]
    if kind.kind in ("object", "array"):
        return measured
    measured.append(exp.Count(this=exp.Distinct(expressions=[col])))
    if kind.kind in NUMERIC:
        measured += [exp.Min(this=col), exp.Max(this=col)]
    elif kind.kind == "string":
        measured += [exp.Min(this=exp.Length(this=col)), exp.Max(this=exp.Length(this=col))]
    return measured


def _valid_values(source: Source, name: str) -> list[str]:
    listed = scan(column(name)).distinct().where(not_null(column(name))).order_by(column(name))
    return [str(v[0]) for v in run(source.engine, source.relation, listed)]


def _shape(kind: EngineType) -> dict[str, Any]:
    """A type's logicalType, physicalType and what is nested in it, as ODCS v3.1.0 writes them."""
    if kind.kind == "binary":
        return {"logicalType": "string", "physicalType": kind.text, "logicalTypeOptions": {"format": "binary"}}
    shape: dict[str, Any] = {"logicalType": kind.kind, "physicalType": kind.text}
    if kind.dynamic:
        del shape["logicalType"]  # known row by row: ``_json_type`` looks
    elif kind.fields:
        shape["properties"] = [{"name": name, **_shape(member)} for name, member in kind.fields]
    elif kind.kind == "array" and kind.items is not None:
        shape["items"] = _shape(kind.items)
    return shape


def _json_type(source: Source, name: str, kind: EngineType) -> str | None:
    """The JSON type all of a JSON column's values have, when it is object or array."""
    col = column(name)
    if source.engine.dialect == "postgres":
        typeof = JsonReach(kind.text.strip().lower()).typeof(col)
    else:
        typeof = exp.Anonymous(this="json_type", expressions=[col])
    found = {
        str(v[0]).lower() for v in run(source.engine, source.relation, scan(typeof).distinct().where(not_null(col)))
    }
    found.discard("null")
    return found.pop() if len(found) == 1 and found <= {"object", "array"} else None


def _property(source: Source, name: str, engine_type: str, rows: int, measured: list[Any]) -> dict[str, Any]:
    """One property, from what the scan measured of its column."""
    kind = parse_type(engine_type, source.engine.dialect)
    prop: dict[str, Any] = {"name": name, **_shape(kind), "physicalType": engine_type}
    if kind.dynamic and (json_type := _json_type(source, name, kind)):
        prop = {"name": name, "logicalType": json_type, "physicalType": engine_type}
    non_null, distinct = int(measured[0]), int(measured[1]) if len(measured) > 1 else None
    if rows and non_null == rows:
        prop["required"] = True
    if rows and distinct == rows:
        prop["unique"] = True
    options: dict[str, Any] = {}
    if kind.kind in NUMERIC and measured[2] is not None:
        cast = int if kind.kind == "integer" else float
        options = {"minimum": cast(measured[2]), "maximum": cast(measured[3])}
    elif kind.kind == "string" and distinct is not None:
        if measured[3]:
            options = {"maxLength": int(measured[3])}
        if 0 < distinct <= MAX_VALID_VALUES and non_null >= 2 * distinct:
            valid = _valid_values(source, name)
            prop["quality"] = [{"metric": "invalidValues", "arguments": {"validValues": valid}, "mustBe": 0}]
    if options:
        prop["logicalTypeOptions"] = options
    if personal_name(name):
        prop["classification"] = "restricted"
        prop["tags"] = ["personal-data"]
    return prop


def _properties(source: Source) -> tuple[int, list[dict[str, Any]]]:
    """The source's row count, and a property per column, measured in one aggregate scan."""
    columns = source.engine.columns(source.relation)
    dialect = source.engine.dialect
    measures = {name: _measures(name, parse_type(kind, dialect)) for name, kind in columns.items()}
    aggregates = chain.from_iterable(measures.values())
    (row,) = run(source.engine, source.relation, scan(exp.func("COUNT", exp.Star()), *aggregates))
    rows, position, properties = int(row[0]), 1, []
    for name, kind in columns.items():
        width = len(measures[name])
        properties.append(_property(source, name, kind, rows, list(row[position : position + width])))
        position += width
    return rows, properties


def infer(source: str, name: str | None = None, table: str | None = None) -> dict[str, Any]:
    """Measure ``source`` (a file, glob, DuckDB file or PostgreSQL URL) and return an ODCS v3.1.0 contract."""
    with open_source(source, table) as opened:
        rows, properties = _properties(opened)
    relation, server = opened.relation, opened.server
    dataset = name or relation.name
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": _identifier(dataset),
        "name": dataset,
        "version": "0.1.0",
        "status": "draft",
        "description": {
            "purpose": f"Inferred by prodready from {server.get('path') or relation.physical_name}; "
            "review every rule before relying on it."
        },
        "servers": [server],
        "schema": [
            {
                "name": dataset,
                "physicalName": relation.physical_name,
                "physicalType": "table",
                "logicalType": "object",
                "properties": properties,
                "quality": [{"metric": "rowCount", "mustBeGreaterOrEqualTo": max(1, rows // 2)}],
            }
        ],
    }
