"""Where the data lives: one small adapter per engine, the same compiled checks for all.

An engine knows how to name a relation's rows in SQL (a table, or DuckDB's reader of a
file), what columns it has and of which types, and how to run a query. The checks are
compiled once with sqlglot and rendered for the engine's dialect, so adding a warehouse
is a connection and a dialect name, not a second set of checks. Which engine reads a
source, and where its files are, is decided in ``sources``.

* ``DuckDBFiles``: CSV, Parquet and JSON files (local paths, globs or URLs DuckDB can
  read), and ``DuckDBDatabase``: DuckDB database files, in an embedded DuckDB.
* ``DBAPIEngine``: any DB-API connection with a sqlglot dialect: PostgreSQL through
  psycopg, or a SQLAlchemy URL for Snowflake, BigQuery, Databricks, Trino and others.
* ``SparkEngine``: Spark SQL on a (local or cluster) SparkSession.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlglot import exp

from ..errors import InputError

DEFAULT_MEMORY_LIMIT = "512MB"
_scan_ids = itertools.count()
_view_ids = itertools.count()


class Relation(Protocol):
    """What an engine needs of a contract's object, or of a table named on the command line."""

    @property
    def name(self) -> str: ...

    @property
    def physical_name(self) -> str: ...


@dataclass(frozen=True)
class Files:
    """Files to read: a path, a glob or a URL, and the reader's format (csv, parquet or json)."""

    location: str
    format: str


class Engine(Protocol):
    """What the checks need from a place where data lives."""

    dialect: str
    typed: bool  # False when every column arrives as text (CSV) and types are checked by casting
    hash_buckets: bool  # True when duplicate samples may be searched by hash bucket first (DuckDB)
    written_in: str  # the dialect the server's own sql rules are written in

    def source(self, obj: Relation) -> str:
        """SQL naming the relation's rows (a table name or a table function)."""

    def columns(self, obj: Relation) -> dict[str, str]:
        """The relation's columns and their engine types."""

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run a query and return all rows."""

    def malformed_rows(self, obj: Relation) -> int | None:
        """Rows the reader rejected (ragged CSV lines), or None when not applicable."""

    def close(self) -> None: ...


def literal(value: str) -> str:
    return exp.Literal.string(value).sql("duckdb")


def first_line(error: BaseException) -> str:
    """The first line of a driver's message: what went wrong, without its stack of context."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class _DuckDB(ABC):
    """An embedded DuckDB connection: queries, their errors, and cleaning up its spill directory."""

    dialect = "duckdb"
    written_in = "duckdb"
    hash_buckets = True
    typed = True

    def __init__(self, connection: Any, path: str, kind: str) -> None:
        self.connection = _bounded(connection)
        self.path = path
        self.kind = kind
        self._rejects: dict[str, str] = {}

    @abstractmethod
    def source(self, obj: Relation) -> str: ...

    def columns(self, obj: Relation) -> dict[str, str]:
        rows = self.query(f"DESCRIBE SELECT * FROM {self.source(obj)}")
        return {str(row[0]): str(row[1]) for row in rows}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import duckdb

        try:
            rows: list[tuple[Any, ...]] = self.connection.execute(sql).fetchall()
            return rows
        except duckdb.IOException as error:
            raise InputError(
                self.path, f"cannot read the data: {first_line(error)}", "check that the file exists and is readable"
            ) from error
        except duckdb.InvalidInputException as error:
            raise InputError(
                self.path,
                f"the data cannot be parsed: {first_line(error)}",
                f"check that the file is valid {self.kind.upper()} in UTF-8",
            ) from error
        except duckdb.Error as error:
            raise InputError(
                self.path,
                f"the query failed: {first_line(error)}",
                "check the contract's sql rules and the data's columns",
            ) from error

    def malformed_rows(self, obj: Relation) -> int | None:
        table = self._rejects.get(obj.name)
        if table is None:
            return None
        rows = self.query(f"SELECT COUNT(DISTINCT line) FROM {table}")
        return int(rows[0][0])

    def close(self) -> None:
        spill = self.connection.execute("SELECT current_setting('temp_directory')").fetchone()
        self.connection.close()
        if spill and spill[0]:
            shutil.rmtree(spill[0], ignore_errors=True)


def _bounded(connection: Any) -> Any:
    """Bound DuckDB's memory and spill to a private temporary directory.

    DuckDB would otherwise take up to 80% of RAM and spill into ``./.tmp``; a bounded
    limit (``PRODREADY_DUCKDB_MEMORY_LIMIT``, default 512MB) makes large distinct counts
    partition to disk instead of growing, measured faster as well as smaller on 10
    million rows, and 100 million rows stay within a few GB.
    """
    limit = os.environ.get("PRODREADY_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    connection.execute(f"SET memory_limit = {literal(limit)}")
    connection.execute(f"SET temp_directory = {literal(tempfile.mkdtemp(prefix='prodready-duckdb-'))}")
    return connection


class DuckDBFiles(_DuckDB):
    """Files read by an embedded DuckDB: each relation is the server's file (or glob) in its format."""

    def __init__(self, files: Files, *, progress: bool = False, typed_csv: bool = False) -> None:
        """``typed_csv`` lets DuckDB detect CSV column types (infer, drift); checks read text and cast."""
        import duckdb

        super().__init__(duckdb.connect(), files.location, files.format)
        self.files = files
        self.typed = files.format != "csv" or typed_csv
        self.connection.execute("SET enable_progress_bar = " + ("true" if progress else "false"))
        self._source: dict[str, str] = {}

    def source(self, obj: Relation) -> str:
        if obj.name not in self._source:
            self._source[obj.name] = self._reader(obj)
        return self._source[obj.name]

    def _reader(self, obj: Relation) -> str:
        path = literal(self.files.location)
        if self.files.format == "parquet":
            return f"read_parquet({path})"
        if self.files.format == "json":
            return f"read_json_auto({path})"
        if self.typed:
            return f"read_csv({path}, header = true)"
        scan = next(_scan_ids)
        self._rejects[obj.name] = f"prodready_rejects_{scan}"
        return (
            f"read_csv({path}, header = true, all_varchar = true, delim = ',', quote = '\"', "
            f"ignore_errors = true, store_rejects = true, rejects_table = {literal(self._rejects[obj.name])}, "
            f"rejects_scan = {literal(f'prodready_scans_{scan}')})"
        )


class DuckDBDatabase(_DuckDB):
    """A DuckDB database file: relations are tables in a schema."""

    def __init__(self, database: str, schema: str | None) -> None:
        import duckdb

        try:
            connection = duckdb.connect(database, read_only=True)
        except duckdb.Error as error:
            raise InputError(
                database, f"cannot open the DuckDB database: {first_line(error)}", "check that it is a DuckDB file"
            ) from error
        super().__init__(connection, database, "duckdb")
        self.schema = schema

    def source(self, obj: Relation) -> str:
        return exp.table_(obj.physical_name, db=self.schema, quoted=True).sql("duckdb")


class DBAPIEngine:
    """Any DB-API 2 connection whose SQL sqlglot can write (PostgreSQL, warehouses)."""

    typed = True
    hash_buckets = False

    def __init__(self, connection: Any, dialect: str, schema: str | None, label: str) -> None:
        self.connection = connection
        self.dialect = self.written_in = dialect
        self.schema = schema
        self.label = label

    def source(self, obj: Relation) -> str:
        return exp.table_(obj.physical_name, db=self.schema, quoted=True).sql(self.dialect)

    def columns(self, obj: Relation) -> dict[str, str]:
        schema_filter = "table_schema = %s AND " if self.schema else ""
        params: Sequence[str] = (self.schema, obj.physical_name) if self.schema else (obj.physical_name,)
        sql = f"SELECT column_name, data_type FROM information_schema.columns WHERE {schema_filter}table_name = %s"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            raise InputError(
                self.label,
                f"table {obj.physical_name!r} not found",
                "check the object's physicalName (or --table) and the schema",
            )
        return {str(name): str(kind) for name, kind in rows}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())
        except Exception as error:  # each driver has its own error classes
            self.connection.rollback()
            raise InputError(
                self.label,
                f"the query failed: {first_line(error)}",
                "check the server, the table and the contract's sql rules",
            ) from error

    def malformed_rows(self, obj: Relation) -> int | None:
        return None

    def close(self) -> None:
        self.connection.close()


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

    def source(self, obj: Relation) -> str:
        if self.files is None:
            return exp.table_(obj.physical_name, db=self.database, quoted=True).sql("spark")
        if self._view is None:
            view = f"prodready_{next(_view_ids)}"
            try:
                self._read(self.files).createOrReplaceTempView(view)
            except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
                raise InputError(
                    self.label, f"Spark cannot read the data: {first_line(error)}", "check the server's path and format"
                ) from error
            self._view = view
        return f"`{self._view}`"

    def _read(self, files: Files) -> Any:
        reader = self.session.read
        if files.format == "csv":
            return reader.option("header", "true").option("inferSchema", "false").csv(files.location)
        if files.format == "parquet":
            return reader.parquet(files.location)
        return reader.json(files.location)

    def columns(self, obj: Relation) -> dict[str, str]:
        source = self.source(obj)
        try:
            fields = self.session.sql(f"SELECT * FROM {source} LIMIT 0").schema.fields
        except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
            raise self._failed(error) from error
        return {f.name: f.dataType.simpleString() for f in fields}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(row) for row in self.session.sql(sql).collect()]
        except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
            raise self._failed(error) from error

    def _failed(self, error: Exception) -> InputError:
        return InputError(
            self.label, f"the Spark query failed: {first_line(error)}", "check the data and the contract's sql rules"
        )

    def malformed_rows(self, obj: Relation) -> int | None:
        return None

    def close(self) -> None:
        if self._view is not None:
            self.session.catalog.dropTempView(self._view)
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
