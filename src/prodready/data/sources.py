"""The one place where a file, a glob, a database URL or a table becomes a relation.

``contracts check`` reads a contract's servers (``engine_for``); ``contracts infer`` and
``drift`` read a source named on the command line (``open_source``). Both go through
the same table of file formats, the same path resolution, the same PostgreSQL opener
and the same errors, so a source that one command reads, the others read too.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlparse

from ..errors import InputError
from .engines import DBAPIEngine, DuckDBDatabase, DuckDBFiles, Engine, Files, SparkEngine, first_line, spark_session

#: File formats by suffix (or by a server's ``format``): the reader that reads them.
FILE_FORMATS = {"csv": "csv", "parquet": "parquet", "json": "json", "jsonl": "json", "ndjson": "json"}
#: Suffixes of DuckDB database files, whose tables are named with ``--table``.
DUCKDB_SUFFIXES = ("duckdb",)
POSTGRES_SCHEMES = ("postgresql", "postgres")
#: Server types whose data are files when the server names a format.
FILE_SERVERS = ("local", "s3", "gcs", "azure")
#: Server types reached through SQLAlchemy, and their sqlglot dialects.
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
SOURCE_KINDS = (
    "name a ." + ", .".join(FILE_FORMATS) + " file or a glob of them, "
    "a .duckdb file with --table, or a postgresql:// URL with --table"
)


@dataclass(frozen=True)
class Table:
    """A relation named on the command line: a table, or the rows of the files."""

    name: str
    physical_name: str


@dataclass
class Source:
    """A source named on the command line, open: its engine and relation, and a server that reads it again."""

    engine: Engine
    relation: Table
    server: dict[str, Any]
    label: str  # how messages and reports name it: never with a password

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_: object) -> None:
        self.engine.close()


def open_source(source: str, table: str | None = None) -> Source:
    """Open a file or glob (CSV, Parquet, JSON, JSON Lines), a DuckDB file or a PostgreSQL URL.

    A database needs ``table``; for files it only names the data set. Relative paths are
    relative to the current directory. CSV column types are detected.
    """
    if urlparse(source).scheme in POSTGRES_SCHEMES:
        return _postgres_source(source, table)
    suffix = _suffix(source)
    if suffix in DUCKDB_SUFFIXES:
        name = _table(table, source)
        database = resolve(source, [Path()], source, "the database file")
        server = {"server": "source", "type": "duckdb", "database": source}
        return Source(DuckDBDatabase(database, None), Table(name, name), server, source)
    if suffix not in FILE_FORMATS:
        raise InputError(source, f"cannot tell the format of {Path(source).name}", SOURCE_KINDS)
    files = Files(resolve(source, [Path()], source, "the data file"), FILE_FORMATS[suffix])
    name = table or _stem(source)
    server = {"server": "source", "type": "local", "format": files.format, "path": source}
    return Source(DuckDBFiles(files, typed_csv=True), Table(name, name), server, source)


def _postgres_source(url: str, table: str | None) -> Source:
    label = redacted(url)
    name = _table(table, label)
    engine = postgres_engine(url, label)
    parsed = urlparse(url)
    server = {
        "server": "production",
        "type": "postgres",
        "host": parsed.hostname,
        "port": parsed.port or 5432,
        "database": parsed.path.lstrip("/"),
        "schema": engine.schema,
    }
    return Source(engine, Table(name, name), server, label)


def _table(table: str | None, label: str) -> str:
    if not table:
        raise InputError(
            label, "a database source needs a table", "pass --table NAME (PostgreSQL: schema from ?schema=)"
        )
    return table


def _suffix(location: str) -> str:
    path = urlparse(location).path if "://" in location else location
    return Path(path).suffix.lower().lstrip(".")


def _stem(location: str) -> str:
    """A data set's default name: the file's, or its folder's for a glob."""
    path = Path(location)
    stem = path.name.split(".")[0]
    return stem if stem and not _is_glob(stem) else path.parent.name or "dataset"


def _is_glob(path: str) -> bool:
    return any(ch in path for ch in "*?[")


def resolve(location: str, bases: list[Path], where: str | Path, what: str) -> str:
    """A local path tried against each base in turn (a glob must match a file), or a URL as given."""
    if "://" in location:
        return location
    for base in bases:
        candidate = base / location
        if glob.glob(str(candidate), recursive=True) if _is_glob(location) else candidate.exists():
            return str(candidate)
    fix = "check the path, relative to " + (
        "the contract or the repository root" if len(bases) > 1 else "the current directory"
    )
    if _is_glob(location):
        raise InputError(where, f"no file matches {what} {location}", fix)
    raise InputError(where, f"{what} {location} does not exist", fix)


def redacted(url: str) -> str:
    """A URL as messages and reports may show it: with ``***`` for its password."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    user, _, address = parsed.netloc.rpartition("@")
    return parsed._replace(netloc=f"{user.split(':', 1)[0]}:***@{address}").geturl()


def postgres_engine(url: str, label: str) -> DBAPIEngine:
    """Connect read-only to PostgreSQL at a ``postgresql://`` URL.

    ``?schema=`` names the schema (default public); the URL's other parameters go to
    libpq, credentials may come from its environment (PGUSER, PGPASSWORD), and
    ``PRODREADY_CONNECT_TIMEOUT`` bounds the wait (default 10 seconds).
    """
    import psycopg

    parsed = urlparse(url)
    params = parse_qs(parsed.query, keep_blank_values=True)
    schema = params.pop("schema", ["public"])[0]
    params.setdefault("connect_timeout", [os.environ.get("PRODREADY_CONNECT_TIMEOUT", "10")])
    try:
        connection = psycopg.connect(parsed._replace(query=urlencode(params, doseq=True)).geturl())
    except psycopg.Error as error:
        raise InputError(
            label,
            f"cannot connect to PostgreSQL at {parsed.netloc.rpartition('@')[2]}: {first_line(error)}",
            "check host, port and database, and set PGUSER/PGPASSWORD",
        ) from error
    connection.read_only = True
    return DBAPIEngine(connection, "postgres", schema, label)


def _server_url(server: dict[str, Any]) -> str:
    """The ``postgresql://`` URL of a contract's ``postgres`` server."""
    host = str(server.get("host") or "")
    query = {"schema": str(server["schema"])} if server.get("schema") else {}
    if host.startswith("/"):  # a Unix socket directory
        query["host"], host = host, ""
    elif ":" in host:  # IPv6
        host = f"[{host}]"
    port = f":{server['port']}" if server.get("port") else ""
    database = quote(str(server.get("database") or ""), safe="")
    return f"postgresql://{host}{port}/{database}" + (f"?{urlencode(query)}" if query else "")


def sqlalchemy_engine(server: dict[str, Any], label: str) -> DBAPIEngine:
    """A warehouse reached through SQLAlchemy; the URL comes from an environment variable.

    The variable is ``PRODREADY_<SERVER>_URL`` (server name upper-cased, ``-`` as ``_``),
    so no credential is ever written into the contract.
    """
    variable = "PRODREADY_" + str(server.get("server", "")).upper().replace("-", "_") + "_URL"
    url = os.environ.get(variable)
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
    try:
        connection = sqlalchemy.create_engine(url).raw_connection()
    except Exception as error:  # each dialect has its own error classes
        raise InputError(
            label, f"cannot connect to the {server.get('type')} server: {first_line(error)}", f"check {variable}"
        ) from error
    return DBAPIEngine(connection, SQLALCHEMY_DIALECTS[str(server["type"])], server.get("schema"), label)


def _server_files(server: dict[str, Any], contract_path: Path) -> Files | None:
    """The files a server holds (a local path, or an object store location with a format), if any."""
    kind = str(server.get("type"))
    if kind not in FILE_SERVERS or (kind != "local" and not server.get("format")):
        return None
    location = server.get("path") or server.get("location")
    if not location:
        raise InputError(contract_path, f"server {server.get('server')!r} has no path", "add path: to the server")
    file_format = str(server.get("format", "csv")).lower()
    if file_format not in FILE_FORMATS:
        raise InputError(
            contract_path, f"server format {file_format!r} is not supported", "use " + ", ".join(FILE_FORMATS)
        )
    bases = [Path(), contract_path.parent, contract_path.parent.parent]
    return Files(resolve(str(location), bases, contract_path, "the server's data file"), FILE_FORMATS[file_format])


def engine_for(server: dict[str, Any], contract_path: Path, *, progress: bool = False, engine: str = "auto") -> Engine:
    """The engine for one of a contract's servers (``engine="spark"`` runs it on Spark SQL)."""
    kind = str(server.get("type"))
    label = f"{contract_path} (server {server.get('server')!r})"
    files = _server_files(server, contract_path)
    if engine == "spark" or kind == "hive":
        database = None if files else server.get("schema") or server.get("database")
        return SparkEngine(spark_session(), files, database, label)
    if files is not None:
        return DuckDBFiles(files, progress=progress)
    if kind == "duckdb":
        bases = [Path(), contract_path.parent, contract_path.parent.parent]
        database = resolve(str(server.get("database")), bases, contract_path, "the server's database file")
        return DuckDBDatabase(database, server.get("schema"))
    if kind in ("postgres", "postgresql"):
        return postgres_engine(_server_url(server), label)
    if kind in SQLALCHEMY_DIALECTS:
        return sqlalchemy_engine(server, label)
    raise InputError(
        contract_path,
        f"server type {kind!r} cannot be checked yet",
        "use a local, duckdb, postgres or SQLAlchemy-reachable server",
    )
