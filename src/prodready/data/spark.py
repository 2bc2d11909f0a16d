"""Spark SQL, for data beyond one machine: the engine and the session it runs on.

Apart from the other engines because pyspark is an optional extra (``prodready[spark]``)
and a Java runtime: nothing here is imported unless ``--engine spark`` asks for it.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

from sqlglot import exp

from ..errors import InputError
from .engines import Files, Relation, first_line, withheld
from .sql import declared, typed_select

#: Names of the temporary views of this process's Spark engines.
_view_ids = itertools.count()


class SparkEngine:
    """Spark SQL on a SparkSession, for data beyond one machine.

    Catalog servers (``hive``, ``databricks`` with a session attached to them) name
    tables; a file server's data is read once per run into a temporary view, the way
    the DuckDB engine reads it (CSV as text, types checked by casting).
    """

    dialect = "spark"
    hash_buckets = False

    def __init__(self, session: Any, files: Files | None, database: str | None, label: str) -> None:
        self.session = session
        self.files = files
        self.database = database
        self.label = label
        self.typed = files is None or files.format != "csv"
        # A file server's rules are written for DuckDB, the engine that reads files by default.
        self.written_in = "duckdb" if files else "spark"
        self._view: str | None = None
        self._rule_views: dict[str, str] = {}

    def table(self, obj: Relation) -> exp.Table:
        if self.files is None:
            return exp.table_(obj.physical_name, db=self.database, quoted=True)
        if self._view is None:
            view = f"prodready_{next(_view_ids)}"
            try:
                self._read(self.files).createOrReplaceTempView(view)
            except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
                raise InputError(
                    self.label, f"Spark cannot read the data: {first_line(error)}", "check the server's path and format"
                ) from error
            self._view = view
        return exp.table_(self._view, quoted=True)

    def source(self, obj: Relation) -> str:
        return self.table(obj).sql("spark")

    def rule_table(self, obj: Relation) -> exp.Table:
        """The view a contract's sql rules read: CSV's declared columns cast to their types (see ``typed_select``)."""
        table = self.table(obj)
        if self.typed:
            return table
        if obj.name not in self._rule_views:
            view = f"prodready_{next(_view_ids)}"
            select = typed_select(table, self.columns(obj), declared(obj)).sql("spark")
            try:
                self.session.sql(select).createOrReplaceTempView(view)
            except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
                raise self._failed(error) from error
            self._rule_views[obj.name] = view
        return exp.table_(self._rule_views[obj.name], quoted=True)

    def _read(self, files: Files) -> Any:
        reader = self.session.read
        where = list(files.paths) or files.location
        if files.format == "csv":
            return reader.option("header", "true").option("inferSchema", "false").csv(where)
        if files.format == "parquet":
            return reader.parquet(*files.paths) if files.paths else reader.parquet(files.location)
        return reader.json(where)

    def columns(self, obj: Relation) -> dict[str, str]:
        source = self.source(obj)
        try:
            fields = self.session.sql(f"SELECT * FROM {source} LIMIT 0").schema.fields
        except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
            raise self._failed(error) from error
        return {f.name: f.dataType.simpleString() for f in fields}

    def query(self, sql: str, *, untrusted: bool = False, verbatim: bool = True) -> list[tuple[Any, ...]]:
        try:
            return [tuple(row) for row in self.session.sql(sql).collect()]
        except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
            if not verbatim:
                raise InputError(self.label, withheld(error), "check the query against the data's columns") from error
            raise self._failed(error) from error

    def _failed(self, error: Exception) -> InputError:
        return InputError(
            self.label, f"the Spark query failed: {first_line(error)}", "check the data and the contract's sql rules"
        )

    def malformed_rows(self, obj: Relation) -> int | None:
        return None

    def close(self) -> None:
        for view in [*self._rule_views.values(), *([self._view] if self._view else [])]:
            self.session.catalog.dropTempView(view)
        self._rule_views.clear()
        self._view = None


def spark_session() -> Any:
    """A local SparkSession (or the active one, e.g. on a cluster)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise InputError(
            "--engine spark", "pyspark is not installed", "pip install 'prodready[spark]' (and a Java 17+ runtime)"
        ) from error
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # A local session binds to loopback, never to whatever the host name resolves to.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return (
        SparkSession.builder.master(os.environ.get("PRODREADY_SPARK_MASTER", "local[*]"))
        .appName("prodready")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"))
        .config("spark.driver.bindAddress", os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
