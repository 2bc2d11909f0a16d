"""Where the data lives: one small adapter per engine, the same compiled checks for all.

An engine knows how to name an object's rows in SQL (a table, or DuckDB's reader of a
file), what columns it has and of which types, and how to run a query. The checks are
compiled once with sqlglot and rendered for the engine's dialect, so adding a warehouse
is a connection and a dialect name, not a second set of checks.

* ``DuckDBFiles``: CSV, Parquet and JSON files (local paths or URLs DuckDB can read),
  and DuckDB database files, in an embedded DuckDB.
* ``DBAPIEngine``: any DB-API connection with a sqlglot dialect: PostgreSQL through
  psycopg, or a SQLAlchemy URL for Snowflake, BigQuery, Databricks, Trino and others.
* ``SparkEngine``: Spark SQL on a (local or cluster) SparkSession.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from ..contracts.model import SchemaObject
from ..errors import InputError

FILE_FORMATS = ("csv", "parquet", "json")
DEFAULT_MEMORY_LIMIT = "512MB"
_scan_ids = itertools.count()


class Engine(Protocol):
    """What the checks need from a place where data lives."""

    dialect: str
    typed: bool  # False when every column arrives as text (CSV) and types are checked by casting
    hash_buckets: bool  # True when duplicate samples may be searched by hash bucket first (DuckDB)
    written_in: str  # the dialect the server's own sql rules are written in

    def source(self, obj: SchemaObject) -> str:
        """SQL naming the object's rows (a table name or a table function)."""

    def columns(self, obj: SchemaObject) -> dict[str, str]:
        """The object's columns and their engine types."""

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run a query and return all rows."""

    def malformed_rows(self, obj: SchemaObject) -> int | None:
        """Rows the reader rejected (ragged CSV lines), or None when not applicable."""

    def close(self) -> None: ...


def literal(value: str) -> str:
    return exp.Literal.string(value).sql("duckdb")


class DuckDBFiles:
    """Files read by an embedded DuckDB: each object is one file (or glob) of a format."""

    dialect = "duckdb"
    written_in = "duckdb"
    hash_buckets = True

    def __init__(
        self, path: str, file_format: str, contract_path: Path, *, progress: bool = False, typed_csv: bool = False
    ) -> None:
        """``typed_csv`` lets DuckDB detect CSV column types (for ``infer``); checks read text and cast."""
        import duckdb

        if file_format not in FILE_FORMATS:
            raise InputError(
                contract_path, f"server format {file_format!r} is not supported", "use csv, parquet or json"
            )
        self.format = file_format
        self.path = self._resolve(path, contract_path)
        self.typed = file_format != "csv" or typed_csv
        self.connection = _connect(duckdb.connect())
        self.connection.execute("SET enable_progress_bar = " + ("true" if progress else "false"))
        self._source: dict[str, str] = {}
        self._rejects: dict[str, str] = {}

    @staticmethod
    def _resolve(path: str, contract_path: Path) -> str:
        if "://" in path:
            return path
        candidates = [Path(path), contract_path.parent / path, contract_path.parent.parent / path]
        for candidate in candidates:
            if candidate.exists() or any(ch in path for ch in "*?["):
                return str(candidate)
        raise InputError(
            contract_path,
            f"the server's data file {path} does not exist",
            "check the server's path (relative to the repository root)",
        )

    def source(self, obj: SchemaObject) -> str:
        if obj.name not in self._source:
            if self.format == "csv" and self.typed:
                self._source[obj.name] = f"read_csv({literal(self.path)}, header = true)"
            elif self.format == "csv":
                scan = next(_scan_ids)
                self._rejects[obj.name] = f"prodready_rejects_{scan}"
                self._source[obj.name] = (
                    f"read_csv({literal(self.path)}, header = true, all_varchar = true, delim = ',', quote = '\"', "
                    f"ignore_errors = true, store_rejects = true, rejects_table = {literal(self._rejects[obj.name])}, "
                    f"rejects_scan = {literal(f'prodready_scans_{scan}')})"
                )
            elif self.format == "parquet":
                self._source[obj.name] = f"read_parquet({literal(self.path)})"
            else:
                self._source[obj.name] = f"read_json_auto({literal(self.path)})"
        return self._source[obj.name]

    def columns(self, obj: SchemaObject) -> dict[str, str]:
        rows = self.query(f"DESCRIBE SELECT * FROM {self.source(obj)}")
        return {str(row[0]): str(row[1]) for row in rows}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        import duckdb

        try:
            rows: list[tuple[Any, ...]] = self.connection.execute(sql).fetchall()
            return rows
        except duckdb.IOException as error:
            raise InputError(
                self.path, f"cannot read the data: {_first_line(error)}", "check that the file exists and is readable"
            ) from error
        except duckdb.InvalidInputException as error:
            raise InputError(
                self.path,
                f"the data cannot be parsed: {_first_line(error)}",
                f"check that the file is valid {self.format.upper()} in UTF-8",
            ) from error
        except duckdb.Error as error:
            raise InputError(
                self.path,
                f"the query failed: {_first_line(error)}",
                "check the contract's sql rules and the data's columns",
            ) from error

    def malformed_rows(self, obj: SchemaObject) -> int | None:
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


def _connect(connection: Any) -> Any:
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


class DuckDBDatabase(DuckDBFiles):
    """A DuckDB database file: objects are tables in a schema."""

    def __init__(self, database: str, schema: str | None, contract_path: Path) -> None:
        import duckdb

        self.path = self._resolve(database, contract_path)
        self.schema = schema
        self.format = "duckdb"
        self.typed = True
        self.connection = _connect(duckdb.connect(self.path, read_only=True))
        self._source, self._rejects = {}, {}

    def source(self, obj: SchemaObject) -> str:
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

    def source(self, obj: SchemaObject) -> str:
        return exp.table_(obj.physical_name, db=self.schema, quoted=True).sql(self.dialect)

    def columns(self, obj: SchemaObject) -> dict[str, str]:
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
                "check the object's physicalName and the server's schema",
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
                f"the query failed: {_first_line(error)}",
                "check the server, the table and the contract's sql rules",
            ) from error

    def malformed_rows(self, obj: SchemaObject) -> int | None:
        return None

    def close(self) -> None:
        self.connection.close()


class SparkEngine:
    """Spark SQL on a SparkSession, for data beyond one machine.

    Catalog servers (``hive``, ``databricks`` with a session attached to them) name
    tables; a file server's data is registered as a temporary view per object, read
    the way the DuckDB engine reads it (CSV as text, types checked by casting).
    """

    dialect = "spark"
    hash_buckets = False

    def __init__(self, session: Any, server: dict[str, Any], contract_path: Path) -> None:
        self.session = session
        self.server = server
        self.format = str(server.get("format", "")) if server.get("type") == "local" else None
        self.typed = self.format != "csv"
        self.path = DuckDBFiles._resolve(str(server.get("path", "")), contract_path) if self.format else None
        self.database = server.get("schema") or server.get("database") if not self.format else None
        # A file server's rules are written for DuckDB, the engine that reads files by default.
        self.written_in = "duckdb" if self.format else "spark"
        self._views: set[str] = set()

    def source(self, obj: SchemaObject) -> str:
        if self.format is None:
            return exp.table_(obj.physical_name, db=self.database, quoted=True).sql("spark")
        view = f"prodready_{len(self._views)}_{abs(hash(obj.name))}"
        if view not in self._views:
            reader = self.session.read
            if self.format == "csv":
                frame = reader.option("header", "true").option("inferSchema", "false").csv(self.path)
            elif self.format == "parquet":
                frame = reader.parquet(self.path)
            else:
                frame = reader.json(self.path)
            frame.createOrReplaceTempView(view)
            self._views.add(view)
        return f"`{view}`"

    def columns(self, obj: SchemaObject) -> dict[str, str]:
        fields = self.session.sql(f"SELECT * FROM {self.source(obj)} LIMIT 0").schema.fields
        return {f.name: f.dataType.simpleString() for f in fields}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(row) for row in self.session.sql(sql).collect()]
        except Exception as error:  # Spark raises its own AnalysisException and Py4J errors
            raise InputError(
                str(self.path or self.database),
                f"the Spark query failed: {_first_line(error)}",
                "check the data and the contract's sql rules",
            ) from error

    def malformed_rows(self, obj: SchemaObject) -> int | None:
        return None

    def close(self) -> None:
        for view in self._views:
            self.session.catalog.dropTempView(view)


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


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def postgres_engine(server: dict[str, Any], contract_path: Path) -> DBAPIEngine:
    """Connect to a ``postgres`` server; credentials come from libpq's environment (PGUSER, PGPASSWORD)."""
    import psycopg

    label = f"{contract_path} (server {server.get('server')!r})"
    try:
        connection = psycopg.connect(
            host=server.get("host"),
            port=server.get("port"),
            dbname=server.get("database"),
            connect_timeout=int(os.environ.get("PRODREADY_CONNECT_TIMEOUT", "10")),
        )
    except psycopg.OperationalError as error:
        raise InputError(
            label,
            f"cannot connect to PostgreSQL at {server.get('host')}:{server.get('port')}: {_first_line(error)}",
            "check host, port and database, and set PGUSER/PGPASSWORD",
        ) from error
    connection.read_only = True
    return DBAPIEngine(connection, "postgres", server.get("schema"), label)


SQLALCHEMY_DIALECTS = {
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "databricks": "databricks",
    "trino": "trino",
    "presto": "presto",
    "redshift": "redshift",
    "mysql": "mysql",
    "sqlserver": "tsql",
    "oracle": "oracle",
    "clickhouse": "clickhouse",
    "athena": "athena",
}


def sqlalchemy_engine(server: dict[str, Any], contract_path: Path) -> DBAPIEngine:
    """A warehouse reached through SQLAlchemy; the URL comes from an environment variable.

    The variable is ``PRODREADY_<SERVER>_URL`` (server name upper-cased, ``-`` as ``_``),
    so no credential is ever written into the contract.
    """
    variable = "PRODREADY_" + str(server.get("server", "")).upper().replace("-", "_") + "_URL"
    url = os.environ.get(variable)
    label = f"{contract_path} (server {server.get('server')!r})"
    if not url:
        raise InputError(
            label, f"no connection URL for a {server.get('type')} server", f"set {variable} to its SQLAlchemy URL"
        )
    try:
        import sqlalchemy
    except ImportError as error:
        raise InputError(
            label, "SQLAlchemy is not installed", "pip install sqlalchemy and the warehouse's SQLAlchemy dialect"
        ) from error
    connection = sqlalchemy.create_engine(url).raw_connection()
    return DBAPIEngine(connection, SQLALCHEMY_DIALECTS[str(server["type"])], server.get("schema"), label)


def engine_for(server: dict[str, Any], contract_path: Path, *, progress: bool = False, engine: str = "auto") -> Engine:
    """The engine for one of a contract's servers (``engine="spark"`` runs it on Spark SQL)."""
    kind = str(server.get("type"))
    if engine == "spark" or kind in ("hive",):
        return SparkEngine(spark_session(), server, contract_path)
    if kind == "local" or (kind in ("s3", "gcs", "azure") and server.get("format")):
        location = server.get("path") or server.get("location")
        if not location:
            raise InputError(contract_path, f"server {server.get('server')!r} has no path", "add path: to the server")
        return DuckDBFiles(str(location), str(server.get("format", "csv")), contract_path, progress=progress)
    if kind == "duckdb":
        return DuckDBDatabase(str(server["database"]), server.get("schema"), contract_path)
    if kind in ("postgres", "postgresql"):
        return postgres_engine(server, contract_path)
    if kind in SQLALCHEMY_DIALECTS:
        return sqlalchemy_engine(server, contract_path)
    raise InputError(
        contract_path,
        f"server type {kind!r} cannot be checked yet",
        "use a local, duckdb, postgres or SQLAlchemy-reachable server",
    )
