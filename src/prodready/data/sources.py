"""The one place where a file, a glob, a database URL or a table becomes a relation.

``contracts check`` reads a contract's servers (``engine_for``); ``contracts infer`` and
``drift`` read a source named on the command line (``open_source``). Both go through
the same table of file formats, the same path resolution, the same PostgreSQL opener
and the same errors, so a source that one command reads, the others read too.

A contract's servers come from whoever wrote the contract, so their local paths are
confined to the contract's repository (``repository_root``): a path, a glob match or a
symbolic link that leads out of it is refused unless the user allows it
(``contracts check --allow-outside-paths``). Remote URLs are read as given.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from ..errors import InputError
from .engines import (
    DBAPIEngine,
    Declared,
    DuckDBDatabase,
    DuckDBFiles,
    Engine,
    Files,
    PostgresEngine,
    first_line,
    is_glob,
    remote,
    statement_timeout,
)

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
    properties: tuple[Declared, ...] = ()  # none declared: every column as the reader finds it


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
        database = _database(source, [Path()], source, "the database file", None)
        server = {"server": "source", "type": "duckdb", "database": source}
        return Source(DuckDBDatabase(database, None), Table(name, name), server, source)
    if suffix not in FILE_FORMATS:
        raise InputError(source, f"cannot tell the format of {Path(source).name}", SOURCE_KINDS)
    location, paths = locate(source, [Path()], source, "the data file")
    files = Files(location, FILE_FORMATS[suffix], paths)
    name = table or _stem(source)
    server = {"server": "source", "type": "local", "format": files.format, "path": source}
    return Source(DuckDBFiles(files, typed_csv=True), Table(name, name), server, source)


def _postgres_source(url: str, table: str | None) -> Source:
    label = redacted(url)
    name = _table(table, label)
    parsed = urlparse(url)
    params = parse_qs(parsed.query, keep_blank_values=True)
    schema = params.pop("schema", ["public"])[0]
    conninfo = parsed._replace(query=urlencode(params, doseq=True)).geturl()
    engine = postgres_engine(conninfo, label, parsed.netloc.rpartition("@")[2], schema)
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
    return stem if stem and not is_glob(stem) else path.parent.name or "dataset"


def repository_root(contract_path: Path) -> Path:
    """The repository a contract belongs to, whose files its servers may name.

    The nearest directory holding ``.git``; without one, the nearest holding a
    ``pyproject.toml`` (a project not yet under git, such as a POC just generated);
    without either, the contract's own directory.
    """
    directory = contract_path.absolute().parent.resolve()
    for marker in (".git", "pyproject.toml"):
        for candidate in (directory, *directory.parents):
            if (candidate / marker).exists():
                return candidate
    return directory


def locate(
    location: str, bases: list[Path], where: str | Path, what: str, root: Path | None = None
) -> tuple[str, tuple[str, ...]]:
    """A location as given (tried against each base in turn) and the local files it names, resolved.

    A glob must match a file. With a ``root``, every file (symbolic links followed)
    must be inside it: a base whose files lie outside is passed over, and when only
    outside files exist the location is refused. A remote URL names no local file.
    """
    if remote(location):
        return location, ()
    if "://" in location:
        scheme = location.partition("://")[0]
        if scheme.lower() != "file":
            raise InputError(
                where, f"{what} {location} has an unknown scheme {scheme}://", "use a path, or s3://, https://"
            )
        location = location.partition("://")[2]
    outside: list[Path] = []
    for base in bases:
        candidate = base / location
        matches = sorted(glob.glob(str(candidate), recursive=True)) if is_glob(location) else [str(candidate)]
        matches = [m for m in matches if Path(m).exists()]
        if not matches:
            continue
        real = [Path(m).resolve() for m in matches]
        escaped = [r for r in real if root is not None and not r.is_relative_to(root)]
        if escaped:
            outside += escaped
            continue
        return str(candidate), tuple(map(str, real))
    if outside:
        raise InputError(
            where,
            f"{what} {location} leads outside the repository {root} (to {outside[0]})",
            "keep the data inside the contract's repository, or pass --allow-outside-paths",
        )
    fix = "check the path, relative to " + (
        "the contract or the repository root" if len(bases) > 1 else "the current directory"
    )
    if is_glob(location):
        raise InputError(where, f"no file matches {what} {location}", fix)
    raise InputError(where, f"{what} {location} does not exist", fix)


def redacted(url: str) -> str:
    """A URL as messages and reports may show it: with ``***`` for its password."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    user, _, address = parsed.netloc.rpartition("@")
    return parsed._replace(netloc=f"{user.split(':', 1)[0]}:***@{address}").geturl()


def postgres_engine(conninfo: str, label: str, address: str, schema: str) -> PostgresEngine:
    """Connect to PostgreSQL, read only and under ``statement_timeout``.

    ``conninfo`` is a URL or libpq string; credentials may come from libpq's
    environment (PGUSER, PGPASSWORD), ``PRODREADY_CONNECT_TIMEOUT`` bounds the wait
    (default 10 seconds) and ``PRODREADY_STATEMENT_TIMEOUT`` each statement (30).
    The session's settings are made before any query, outside any transaction, so
    no rollback undoes them; from then on every transaction is READ ONLY.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    timeout = statement_timeout()
    try:
        if "connect_timeout" not in conninfo_to_dict(conninfo):
            conninfo = make_conninfo(conninfo, connect_timeout=os.environ.get("PRODREADY_CONNECT_TIMEOUT", "10"))
        connection = psycopg.connect(conninfo, autocommit=True)
        connection.execute(f"SET statement_timeout = {max(1, round(timeout * 1000))}")
        connection.execute("SET default_transaction_read_only = on")
        connection.set_autocommit(False)
        connection.read_only = True
    except psycopg.Error as error:
        raise InputError(
            label,
            f"cannot connect to PostgreSQL at {address}: {first_line(error)}",
            "check host, port and database, and set PGUSER/PGPASSWORD",
        ) from error
    return PostgresEngine(connection, schema, label, timeout)


def _server_conninfo(server: dict[str, Any]) -> tuple[str, str]:
    """The libpq connection string of a contract's ``postgres`` server, and its address for messages.

    Each field is quoted as one value, so a host or database cannot add parameters.
    """
    from psycopg.conninfo import make_conninfo

    fields = {"host": server.get("host"), "port": server.get("port"), "dbname": server.get("database")}
    given = {key: str(value) for key, value in fields.items() if value not in (None, "")}
    address = f"{given.get('host', 'localhost')}:{given.get('port', 5432)}"
    return make_conninfo("", **given), address


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


def _server_files(server: dict[str, Any], contract_path: Path, root: Path | None) -> Files | None:
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
    found, paths = locate(str(location), bases, contract_path, "the server's data file", root)
    return Files(found, FILE_FORMATS[file_format], paths)


def _database(location: str, bases: list[Path], where: str | Path, what: str, root: Path | None) -> str:
    """One local DuckDB database file, resolved."""
    _, paths = locate(location, bases, where, what, root)
    if len(paths) != 1 or not Path(paths[0]).is_file():
        raise InputError(where, f"{what} {location} is not one file", "name one .duckdb file")
    return paths[0]


def rule_dialect(server: dict[str, Any]) -> str:
    """The SQL dialect a server's ``sql`` rules are written in: its own engine's."""
    kind = str(server.get("type"))
    if kind in POSTGRES_SCHEMES:
        return "postgres"
    if kind in SQLALCHEMY_DIALECTS:
        return SQLALCHEMY_DIALECTS[kind]
    if kind == "hive":
        return "spark"
    return "duckdb"


def engine_for(
    server: dict[str, Any],
    contract_path: Path,
    *,
    progress: bool = False,
    engine: str = "auto",
    allow_outside_paths: bool = False,
) -> Engine:
    """The engine for one of a contract's servers (``engine="spark"`` runs it on Spark SQL).

    Local paths must stay inside the contract's repository unless ``allow_outside_paths``.
    """
    kind = str(server.get("type"))
    label = f"{contract_path} (server {server.get('server')!r})"
    root = None if allow_outside_paths else repository_root(contract_path)
    files = _server_files(server, contract_path, root)
    if engine == "spark" or kind == "hive":
        database = None if files else server.get("schema") or server.get("database")
        from .spark import SparkEngine, spark_session

        return SparkEngine(spark_session(), files, database, label)
    if files is not None:
        return DuckDBFiles(files, progress=progress)
    if kind == "duckdb":
        bases = [Path(), contract_path.parent, contract_path.parent.parent]
        database = _database(str(server.get("database")), bases, contract_path, "the server's database file", root)
        return DuckDBDatabase(database, server.get("schema"))
    if kind in POSTGRES_SCHEMES:
        conninfo, address = _server_conninfo(server)
        return postgres_engine(conninfo, label, address, str(server.get("schema") or "public"))
    if kind in SQLALCHEMY_DIALECTS:
        return sqlalchemy_engine(server, label)
    raise InputError(
        contract_path,
        f"server type {kind!r} cannot be checked yet",
        "use a local, duckdb, postgres or SQLAlchemy-reachable server",
    )
