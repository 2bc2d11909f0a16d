"""``prodready contracts infer``: a starting contract from a real extract or table.

One aggregate scan measures every column (nulls, distinct values, range, lengths);
the contract records what was observed (types, required, unique, ranges, the valid
values of low-cardinality text columns, a row-count floor) so that it lints clean and
passes ``check`` on the source it came from. It is a start: tighten it by hand.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlglot import exp

from ..data.engines import DBAPIEngine, DuckDBFiles, Engine
from ..errors import InputError
from .compile import PLACEHOLDER, column
from .lint import PERSONAL_NAME
from .model import SchemaObject

#: Text columns with at most this many distinct values get validValues.
MAX_VALID_VALUES = 12


def logical_type(engine_type: str) -> str:
    """The ODCS logicalType for an engine's column type."""
    t = engine_type.lower()
    for words, logical in (
        (("bool",), "boolean"),
        (("timestamp",), "timestamp"),
        (("date",), "date"),
        (("time",), "time"),
        (("int", "serial"), "integer"),
        (("double", "float", "real", "decimal", "numeric"), "number"),
        (("struct", "map", "json"), "object"),
        (("[]", "list", "array"), "array"),
    ):
        if any(word in t for word in words):
            return logical
    return "string"


def _engine(source: str, table: str | None) -> tuple[Engine, SchemaObject, dict[str, Any]]:
    if source.startswith(("postgresql://", "postgres://")):
        import psycopg

        if not table:
            raise InputError(
                source, "a database source needs a table", "pass --table NAME (schema from ?schema=, default public)"
            )
        url = urlparse(source)
        schema = parse_qs(url.query).get("schema", ["public"])[0]
        clean = url._replace(query="").geturl()
        try:
            connection = psycopg.connect(clean)
        except psycopg.OperationalError as error:
            raise InputError(
                f"{url.hostname}:{url.port}",
                f"cannot connect to PostgreSQL: {str(error).strip().splitlines()[0]}",
                "check the URL; credentials may come from PGUSER/PGPASSWORD",
            ) from error
        obj = SchemaObject(table, table, [], [], None)
        server = {
            "server": "production",
            "type": "postgres",
            "host": url.hostname,
            "port": url.port or 5432,
            "database": url.path.lstrip("/"),
            "schema": schema,
        }
        return DBAPIEngine(connection, "postgres", schema, source), obj, server
    path = Path(source)
    suffix = path.suffix.lower().lstrip(".")
    formats = {"csv": "csv", "parquet": "parquet", "json": "json", "jsonl": "json", "ndjson": "json"}
    if suffix not in formats:
        raise InputError(
            source,
            f"cannot tell the format of {path.name}",
            "name a .csv, .parquet or .json file, or a postgresql:// URL",
        )
    engine = DuckDBFiles(str(path), formats[suffix], Path.cwd() / "contract.odcs.yaml", typed_csv=True)
    name = table or path.name.split(".")[0]
    obj = SchemaObject(name, name, [], [], None)
    server = {"server": "source", "type": "local", "format": formats[suffix], "path": source}
    return engine, obj, server


def _identifier(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower()
    return slug or "dataset"


def infer(source: str, name: str | None = None, table: str | None = None) -> dict[str, Any]:
    """Measure ``source`` and return an ODCS v3.1.0 contract for it."""
    engine, obj, server = _engine(source, table)
    try:
        columns = engine.columns(obj)
        aggregates: list[exp.Expr] = [exp.func("COUNT", exp.Star())]
        for col_name, col_type in columns.items():
            col = column(col_name)
            aggregates += [exp.func("COUNT", col), exp.Count(this=exp.Distinct(expressions=[col]))]
            if logical_type(col_type) in ("integer", "number"):
                aggregates += [exp.Min(this=col), exp.Max(this=col)]
            elif logical_type(col_type) == "string":
                length = exp.Length(this=col)
                aggregates += [exp.Min(this=length), exp.Max(this=length)]
        select = exp.select(*aggregates).from_(exp.to_table(PLACEHOLDER))
        (row,) = engine.query(select.sql(dialect=engine.dialect).replace(PLACEHOLDER, engine.source(obj)))
        rows = int(row[0])
        values = iter(row[1:])
        properties = []
        for col_name, col_type in columns.items():
            kind = logical_type(col_type)
            non_null, distinct = int(next(values)), int(next(values))
            prop: dict[str, Any] = {"name": col_name, "logicalType": kind, "physicalType": col_type}
            if rows and non_null == rows:
                prop["required"] = True
            if rows and distinct == rows:
                prop["unique"] = True
            options: dict[str, Any] = {}
            if kind in ("integer", "number"):
                low, high = next(values), next(values)
                if low is not None:
                    options = {
                        "minimum": int(low) if kind == "integer" else float(low),
                        "maximum": int(high) if kind == "integer" else float(high),
                    }
            elif kind == "string":
                _, longest = next(values), next(values)
                if longest:
                    options = {"maxLength": int(longest)}
                if 0 < distinct <= MAX_VALID_VALUES and non_null >= 2 * distinct:
                    listed = (
                        exp.select(column(col_name))
                        .distinct()
                        .from_(exp.to_table(PLACEHOLDER))
                        .where(exp.Not(this=exp.Is(this=column(col_name), expression=exp.Null())))
                        .order_by(column(col_name))
                    )
                    found = engine.query(listed.sql(dialect=engine.dialect).replace(PLACEHOLDER, engine.source(obj)))
                    prop["quality"] = [
                        {
                            "metric": "invalidValues",
                            "arguments": {"validValues": [str(v[0]) for v in found]},
                            "mustBe": 0,
                        }
                    ]
            if options:
                prop["logicalTypeOptions"] = options
            if PERSONAL_NAME.search(col_name):
                prop["classification"] = "restricted"
                prop["tags"] = ["personal-data"]
            properties.append(prop)
    finally:
        engine.close()
    dataset = name or obj.name
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": _identifier(dataset),
        "name": dataset,
        "version": "0.1.0",
        "status": "draft",
        "description": {
            "purpose": f"Inferred by prodready from {server.get('path') or obj.physical_name}; "
            "review every rule before relying on it."
        },
        "servers": [server],
        "schema": [
            {
                "name": dataset,
                "physicalName": obj.physical_name,
                "physicalType": "table",
                "logicalType": "object",
                "properties": properties,
                "quality": [{"metric": "rowCount", "mustBeGreaterOrEqualTo": max(1, rows // 2)}],
            }
        ],
    }
