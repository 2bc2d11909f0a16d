"""Where the data lives: one small adapter per engine, the same compiled checks for all.

An engine knows how to name a relation's rows in SQL (a table, or DuckDB's reader of a
file), what columns it has and of which types, and how to run a query. The checks are
compiled once and written in the engine's dialect (``build``: as DuckDB text, or by
sqlglot for the others), so adding a warehouse is a connection and a dialect name, not
a second set of checks. Which engine reads a source, and where its files are, is
decided in ``sources``.

* ``DuckDBFiles``: CSV, Parquet and JSON files (local paths, globs or URLs DuckDB can
  read), and ``DuckDBDatabase``: DuckDB database files, in an embedded DuckDB.
* ``DBAPIEngine``: any DB-API connection with a sqlglot dialect: PostgreSQL through
  psycopg, or a SQLAlchemy URL for Snowflake, BigQuery, Databricks, Trino and others.
* ``spark.SparkEngine``: Spark SQL on a (local or cluster) SparkSession.

Contracts come from other teams, so where the data lives is locked too, beneath the
check that a ``sql`` rule is one read-only SELECT (``sql.read_only_query``): DuckDB
reads only the server's own files (``enable_external_access`` off, the files listed in
``allowed_paths``, ``lock_configuration`` on) and runs one SELECT per call; PostgreSQL
runs one statement per call through the extended protocol, in a READ ONLY transaction
that is never committed, under ``statement_timeout``. A driver's message that quotes
a value (a failed cast) is replaced by one that names the column, never the value.
"""

from __future__ import annotations

import gzip
import itertools
import math
import os
import re
import shutil
import tempfile
import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import InputError
from .build import DECLARED_TYPES, quote, string_literal

if TYPE_CHECKING:
    from sqlglot import exp

DEFAULT_MEMORY_LIMIT = "512MB"
#: Seconds a statement may run (every PostgreSQL statement, every sql rule elsewhere).
TIMEOUT_VARIABLE = "PRODREADY_STATEMENT_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
#: Locations that are not files on this machine: read as given, never confined.
REMOTE_SCHEMES = ("s3", "s3a", "s3n", "gs", "gcs", "az", "azure", "abfs", "abfss", "http", "https", "hf", "r2")
_scan_ids = itertools.count()
#: Bytes of a CSV file's first line that tell its header from another file's.
HEADER_LIMIT = 1 << 20
#: Compressions DuckDB reads that Python's standard library does not: each such file is read apart.
UNREAD_COMPRESSIONS = (".zst", ".zstd")


class Declared(Protocol):
    """What a reader needs of a property a contract declares: its column and its logicalType."""

    @property
    def physical_name(self) -> str: ...

    @property
    def logical_type(self) -> str | None: ...

    @property
    def children(self) -> Sequence[Declared]:
        """An object's nested properties: a JSON reader reads their fields as declared too."""

    @property
    def items(self) -> Declared | None:
        """An array's items."""


class Relation(Protocol):
    """What an engine needs of a contract's object, or of a table named on the command line.

    ``properties`` are the columns the contract declares (none for a table named on the
    command line): a reader that would guess their types reads them as declared.
    """

    @property
    def name(self) -> str: ...

    @property
    def physical_name(self) -> str: ...

    @property
    def properties(self) -> Sequence[Declared]: ...


@dataclass(frozen=True)
class Files:
    """Files to read: a path, a glob or a URL, and the reader's format (csv, parquet or json).

    ``paths`` are the local files the location names (a glob expanded), resolved: the
    only files an engine reads. A remote location has none and is read as given.
    """

    location: str
    format: str
    paths: tuple[str, ...] = ()


class Engine(Protocol):
    """What the checks need from a place where data lives."""

    dialect: str
    typed: bool  # False when every column arrives as text (CSV) and types are checked by casting
    hash_buckets: bool  # True when duplicate samples may be searched by hash bucket first (DuckDB)
    written_in: str  # the dialect the server's own sql rules are written in

    def table(self, obj: Relation) -> exp.Table:
        """The table (or view) holding the relation's rows."""

    def source(self, obj: Relation) -> str:
        """``table`` as text in the engine's dialect."""

    def rule_table(self, obj: Relation) -> exp.Table:
        """The table a contract's own SQL reads: the relation with its declared columns in their types.

        The same as ``table`` where the engine reads typed data; for text (CSV) a view
        that casts the declared columns, so a sql rule compares numbers as numbers.
        """

    def columns(self, obj: Relation) -> dict[str, str]:
        """The relation's columns and their engine types."""

    def query(self, sql: str, *, untrusted: bool = False, verbatim: bool = True) -> list[tuple[Any, ...]]:
        """Run one SELECT and return all rows.

        ``untrusted`` (a contract's sql rule) bounds its time; without ``verbatim`` a
        failure never repeats the driver's message, which may quote the data.
        """

    def malformed_rows(self, obj: Relation) -> int | None:
        """Rows the reader rejected (ragged CSV lines), or None when not applicable."""

    def close(self) -> None: ...


def first_line(error: BaseException) -> str:
    """The first line of a driver's message: what went wrong, without its stack of context."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def statement_timeout() -> float:
    """Seconds a statement may run: ``PRODREADY_STATEMENT_TIMEOUT``, default 30."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise InputError(TIMEOUT_VARIABLE, f"{raw[:40]!r} is not a number of seconds", "set it to, say, 30")
    return seconds


def timed_out(label: str, seconds: float) -> InputError:
    return InputError(
        label,
        f"the statement ran longer than {seconds:g} s ({TIMEOUT_VARIABLE})",
        f"make the query cheaper, or raise {TIMEOUT_VARIABLE}",
    )


#: Where DuckDB names the column whose value failed to convert.
_COLUMN_IN_MESSAGE = re.compile(r'(?:source column|converting column) "?([^"\s]+?)"?(?=[.\s]|$)')
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def unconvertible(message: str, known: Collection[str] = (), code: str | None = None) -> str:
    """A failed cast or range, told without the value the driver's ``message`` quotes.

    The column is named only when the message names one of the ``known`` columns: a
    value can spell anything, a known name tells nothing new.
    """
    named = [name for name in _COLUMN_IN_MESSAGE.findall(message) if name in known]
    where = f" in column {named[-1]}" if named else ""
    state = f" (SQLSTATE {code})" if code else ""
    return f"a value{where} cannot be converted{state}; the database's message is withheld: it quotes the value"


def withheld(error: BaseException) -> str:
    """A failure told by its kind only: the message of a query over protected data may quote it."""
    return f"the query failed ({type(error).__name__}); the database's message is withheld: it may quote protected data"


class _DuckDB(ABC):
    """An embedded DuckDB connection: locked to its sources, one SELECT per query, its spill directory cleaned up."""

    dialect = "duckdb"
    written_in = "duckdb"
    hash_buckets = True
    typed = True

    def __init__(self, connection: Any, path: str, kind: str) -> None:
        self.connection = _bounded(connection)
        self.path = path
        self.kind = kind
        self._rejects: dict[str, tuple[str, str]] = {}  # a relation's rejected lines, and the files they are in
        self._rule_views: dict[str, str] = {}
        self._known: set[str] = set()  # the column names seen, which a message may name

    def lock(self, paths: Sequence[str] = (), directories: Sequence[str] = ()) -> None:
        """From here on, no file but ``paths`` (and files under ``directories``), no extension, no setting changed.

        DuckDB checks ``allowed_paths`` on every read, so views over those files keep
        working; ``lock_configuration`` refuses the ``SET`` that would undo this.
        """
        listed = ", ".join(map(string_literal, paths))
        self.connection.execute(f"SET allowed_paths = [{listed}]")
        listed = ", ".join(map(string_literal, directories))
        self.connection.execute(f"SET allowed_directories = [{listed}]")
        self.connection.execute("SET autoinstall_known_extensions = false")
        self.connection.execute("SET autoload_known_extensions = false")
        self.connection.execute("SET enable_external_access = false")
        self.connection.execute("SET lock_configuration = true")

    @abstractmethod
    def table(self, obj: Relation) -> exp.Table: ...

    @abstractmethod
    def source(self, obj: Relation) -> str: ...

    def rule_table(self, obj: Relation) -> exp.Table:
        from sqlglot import exp

        from .sql import declared, typed_select

        table = self.table(obj)
        if self.typed:
            return table
        if obj.name not in self._rule_views:
            view = f"prodready_rules_{next(_scan_ids)}"
            select = typed_select(table, self.columns(obj), declared(obj))
            with self.errors():
                self.connection.execute(f"CREATE TEMP VIEW {view} AS {select.sql('duckdb')}")
            self._rule_views[obj.name] = view
        return exp.table_(self._rule_views[obj.name], quoted=True)

    def columns(self, obj: Relation) -> dict[str, str]:
        rows = self.query(f"DESCRIBE SELECT * FROM {self.source(obj)}")
        found = {str(row[0]): str(row[1]) for row in rows}
        self._known |= set(found)
        return found

    def query(self, sql: str, *, untrusted: bool = False, verbatim: bool = True) -> list[tuple[Any, ...]]:
        import duckdb

        with self.errors(verbatim):
            statements = self.connection.extract_statements(sql)
            if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
                raise InputError(self.path, "refused: the query is not one SELECT", "write one SELECT")
            with self._deadline(statement_timeout() if untrusted else None):
                rows: list[tuple[Any, ...]] = self.connection.execute(sql).fetchall()
            return rows

    @contextmanager
    def errors(self, verbatim: bool = True) -> Iterator[None]:
        """DuckDB's errors as one-line ``InputError``s that never quote a value of the data."""
        import duckdb

        try:
            yield
        except duckdb.InterruptException as error:
            raise timed_out(self.path, statement_timeout()) from error
        except duckdb.DataError as error:  # conversions and ranges: the message quotes the value
            message = unconvertible(str(error), self._known)
            raise InputError(self.path, f"the query failed: {message}", "check the column's declared type") from error
        except duckdb.Error as error:
            if not verbatim:
                raise InputError(self.path, withheld(error), "check the query against the data's columns") from error
            if isinstance(error, duckdb.IOException):
                raise InputError(
                    self.path,
                    f"cannot read the data: {first_line(error)}",
                    "check that the file exists and is readable",
                ) from error
            if isinstance(error, duckdb.InvalidInputException):
                raise InputError(
                    self.path,
                    f"the data cannot be parsed: {_QUOTED.sub('…', first_line(error))}",
                    f"check that the file is valid {self.kind.upper()} in UTF-8",
                ) from error
            raise InputError(
                self.path,
                f"the query failed: {first_line(error)}",
                "check the contract's sql rules and the data's columns",
            ) from error

    @contextmanager
    def _deadline(self, seconds: float | None) -> Iterator[None]:
        """Interrupt the statement if it is still running after ``seconds`` (DuckDB has no statement timeout)."""
        if seconds is None:
            yield
            return
        running = threading.Lock()
        running.acquire()

        def interrupt() -> None:
            if running.locked():
                self.connection.interrupt()

        timer = threading.Timer(seconds, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            running.release()
            timer.cancel()

    def malformed_rows(self, obj: Relation) -> int | None:
        """Lines the reader rejected, each once: every scan of the relation logs its rejects again."""
        tables = self._rejects.get(obj.name)
        if tables is None:
            return None
        rejects, scans = tables
        lines = f"{rejects} AS r JOIN {scans} AS s USING (scan_id, file_id)"
        rows = self.query(f"SELECT COUNT(DISTINCT (s.file_path, r.line)) FROM {lines}")
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
    connection.execute(f"SET memory_limit = {string_literal(limit)}")
    connection.execute(f"SET temp_directory = {string_literal(tempfile.mkdtemp(prefix='prodready-duckdb-'))}")
    return connection


def remote(location: str) -> bool:
    """Whether a location is read over the network (s3://, https://...), not from this machine."""
    scheme, separator, _ = location.partition("://")
    return bool(separator) and scheme.lower() in REMOTE_SCHEMES


class DuckDBFiles(_DuckDB):
    """Files read by an embedded DuckDB: each relation is a view of the server's files in their format."""

    def __init__(self, files: Files, *, progress: bool = False, typed_csv: bool = False) -> None:
        """``typed_csv`` lets DuckDB detect CSV column types (infer, drift); checks read text and cast."""
        import duckdb

        super().__init__(duckdb.connect(), files.location, files.format)
        self.files = files
        self.typed = files.format != "csv" or typed_csv
        self.connection.execute("SET enable_progress_bar = " + ("true" if progress else "false"))
        self._views: dict[str, tuple[str, str | None]] = {}  # a relation's text, and its view's name if any
        if files.paths:
            self.lock(paths=files.paths)
        else:
            self.lock(*self._remote(files.location))

    def _remote(self, location: str) -> tuple[list[str], list[str]]:
        """What a remote location lets DuckDB read: the URL, or the folder a glob searches."""
        import duckdb

        # The reader of remote files must be loaded before the configuration is locked;
        # when it is not installed, reading the URL says so, in one line.
        with suppress(duckdb.Error):
            self.connection.execute("LOAD httpfs")
        if is_glob(location):
            folder = re.split(r"[*?\[]", location, maxsplit=1)[0].rpartition("/")[0] + "/"
            return [], [folder]
        return [location], []

    def table(self, obj: Relation) -> exp.Table:
        from sqlglot import exp

        text = self.source(obj)
        view = self._views[obj.name][1]
        if view is not None:
            return exp.table_(view, quoted=True)
        # A call is not a name: Var renders it as written (only DuckDB reads it).
        return exp.Table(this=exp.Var(this=text))

    def source(self, obj: Relation) -> str:
        """The reader's table function where one reads the files, else a view of the reader's query.

        Either reads the files' shape once, so an unreadable file is reported here.
        Queries name the function itself where there is one: DuckDB pushes a
        top-N's filter into a table function's scan but not through a view, and the
        ordered samples of a failed pattern check took 0.04 s instead of 0.29 s on 2
        million Parquet rows.
        """
        if obj.name not in self._views:
            function = self._reader(obj)
            if function is None:
                view = f"prodready_source_{next(_scan_ids)}"
                with self.errors():
                    self.connection.execute(f"CREATE TEMP VIEW {view} AS {self._text_csv(obj)}")
                self._views[obj.name] = (quote(view), view)
            else:
                with self.errors():
                    self.connection.execute(f"DESCRIBE SELECT * FROM {function}")
                self._views[obj.name] = (function, None)
        return self._views[obj.name][0]

    def _reader(self, obj: Relation) -> str | None:
        """The table function reading the relation's rows, every file's columns matched by name (text CSV: None).

        A column that some files lack is NULL in their rows (so ``required`` sees it), never
        the first file's columns imposed on the others.
        """
        files = self.files.paths or (self.files.location,)
        path = _listed(files)
        union = ", union_by_name = true" if len(files) > 1 or is_glob(self.files.location) else ""
        if self.files.format == "parquet":
            return f"read_parquet({path}{union})"
        if self.files.format == "json":
            return self._json(obj, path, union)
        if self.typed:
            return f"read_csv({path}, header = true{union})"
        return None

    def _json(self, obj: Relation, path: str, union: str) -> str:
        """JSON, its declared columns read as declared wherever that cannot fail.

        DuckDB guesses JSON types from the values, and takes a string that looks like a
        date for a DATE: a column declared ``string`` is read as text, whatever its
        values look like, and one declared ``timestamp`` that it took for dates as
        timestamps. Other declared columns keep the type DuckDB infers: forcing one on a
        value of another type fails the whole read, where the logicalType check reports it.
        """
        auto = f"read_json_auto({path}{union})"
        wanted = {prop.physical_name: prop for prop in obj.properties}
        if not wanted:
            return auto
        found = [
            (str(row[0]), str(row[1])) for row in self.connection.execute(f"DESCRIBE SELECT * FROM {auto}").fetchall()
        ]
        types = {name: _json_type(kind, wanted.get(name)) for name, kind in found}
        if all(types[name] == kind for name, kind in found):
            return auto
        columns = ", ".join(f"{string_literal(name)}: {string_literal(kind)}" for name, kind in types.items())
        return f"read_json({path}, columns = {{{columns}}})"

    def _text_csv(self, obj: Relation) -> str:
        """CSV as text, its malformed lines counted, files with different headers joined by column name.

        DuckDB refuses ``union_by_name`` beside the rejects table that counts malformed
        lines, so files are read in groups that share a header line (one read for the
        usual glob of alike files) and the groups joined ``UNION ALL BY NAME``, all
        logging their rejects to the same table.
        """
        files = self.files.paths or (self.files.location,)
        scan = next(_scan_ids)
        rejects, scans = f"prodready_rejects_{scan}", f"prodready_scans_{scan}"
        self._rejects[obj.name] = (rejects, scans)
        options = (
            "header = true, all_varchar = true, delim = ',', quote = '\"', ignore_errors = true, "
            f"store_rejects = true, rejects_table = {string_literal(rejects)}, rejects_scan = {string_literal(scans)}"
        )
        groups = _by_header(files) if self.files.paths else [list(files)]
        return " UNION ALL BY NAME ".join(f"SELECT * FROM read_csv({_listed(group)}, {options})" for group in groups)


def _listed(files: Sequence[str]) -> str:
    return "[" + ", ".join(map(string_literal, files)) + "]"


def is_glob(location: str) -> bool:
    """Whether a location names files by a pattern (``*``, ``?``, ``[``)."""
    return any(ch in location for ch in "*?[")


def _json_type(inferred: str, prop: Declared | None) -> str:
    """The type a JSON column is read as (see ``DuckDBFiles._json``), nested fields included.

    Inside a struct or a list, DuckDB guesses as it does for columns (``STRUCT("when"
    DATE)``): the fields and items the contract declares are read as declared there too.
    """
    if prop is None:
        return inferred
    if prop.logical_type == "string":
        return DECLARED_TYPES["string"]
    if prop.logical_type == "timestamp" and inferred == "DATE":
        return "TIMESTAMP"
    if not (prop.children or prop.items):
        return inferred
    import sqlglot.errors
    from sqlglot import exp

    try:
        tree = exp.DataType.build(inferred, dialect="duckdb")
    except sqlglot.errors.ParseError:  # a type sqlglot cannot read: left as DuckDB guessed it
        return inferred
    read = _declared_tree(tree.copy(), prop)
    return inferred if read == tree else read.sql("duckdb")


def _declared_tree(tree: exp.DataType, prop: Declared) -> exp.DataType:
    """``tree`` (a JSON value's guessed type) with what ``prop`` declares of it: strings as text, dates as stamps."""
    from sqlglot import exp

    if prop.logical_type == "string":
        return exp.DataType.build(DECLARED_TYPES["string"], dialect="duckdb")
    if prop.logical_type == "timestamp" and tree.this == exp.DataType.Type.DATE:
        return exp.DataType.build("TIMESTAMP", dialect="duckdb")
    if tree.this == exp.DataType.Type.STRUCT and prop.children:
        fields = {child.physical_name: child for child in prop.children}
        for member in tree.expressions:
            child = fields.get(member.name)
            if isinstance(member, exp.ColumnDef) and child is not None and isinstance(member.kind, exp.DataType):
                member.set("kind", _declared_tree(member.kind, child))
    elif tree.this in (exp.DataType.Type.ARRAY, exp.DataType.Type.LIST) and prop.items and tree.expressions:
        tree.set("expressions", [_declared_tree(tree.expressions[0], prop.items)])
    return tree


def _by_header(paths: Sequence[str]) -> list[list[str]]:
    """Local files grouped by their header line, in order: each group is one read."""
    groups: dict[bytes | int, list[str]] = {}
    for index, path in enumerate(paths):
        groups.setdefault(_header(path, index), []).append(path)
    return list(groups.values())


def _header(path: str, index: int) -> bytes | int:
    """A CSV file's first line, decompressed; its index (a group of its own) when it cannot be read here.

    DuckDB then reads that file on its own, and says what is wrong with it.
    """
    if path.lower().endswith(UNREAD_COMPRESSIONS):
        return index
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            line: bytes = handle.readline(HEADER_LIMIT)
    except (OSError, EOFError, zlib.error):
        return index
    return line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")


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
        self.lock()

    def table(self, obj: Relation) -> exp.Table:
        from sqlglot import exp

        return exp.table_(obj.physical_name, db=self.schema, quoted=True)

    def source(self, obj: Relation) -> str:
        return ".".join(quote(name) for name in (self.schema, obj.physical_name) if name is not None)


class DBAPIEngine:
    """Any DB-API 2 connection whose SQL sqlglot can write (PostgreSQL, warehouses)."""

    typed = True
    hash_buckets = False

    def __init__(self, connection: Any, dialect: str, schema: str | None, label: str) -> None:
        self.connection = connection
        self.dialect = self.written_in = dialect
        self.schema = schema
        self.label = label

    def table(self, obj: Relation) -> exp.Table:
        from sqlglot import exp

        return exp.table_(obj.physical_name, db=self.schema, quoted=True)

    def source(self, obj: Relation) -> str:
        return self.table(obj).sql(dialect=self.dialect)

    def rule_table(self, obj: Relation) -> exp.Table:
        return self.table(obj)

    def columns(self, obj: Relation) -> dict[str, str]:
        schema_filter = "table_schema = %s AND " if self.schema else ""
        params: Sequence[str] = (self.schema, obj.physical_name) if self.schema else (obj.physical_name,)
        sql = f"SELECT column_name, data_type FROM information_schema.columns WHERE {schema_filter}table_name = %s"
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        except Exception as error:  # each driver has its own error classes
            raise self._failed(error) from error
        if not rows:
            raise InputError(
                self.label,
                f"table {obj.physical_name!r} not found",
                "check the object's physicalName (or --table) and the schema",
            )
        return {str(name): str(kind) for name, kind in rows}

    def query(self, sql: str, *, untrusted: bool = False, verbatim: bool = True) -> list[tuple[Any, ...]]:
        try:
            with self.connection.cursor() as cursor:
                self._execute(cursor, sql)
                return list(cursor.fetchall())
        except Exception as error:  # each driver has its own error classes
            raise self._failed(error, verbatim) from error

    def _execute(self, cursor: Any, sql: str) -> None:
        cursor.execute(sql)

    def _failed(self, error: Exception, verbatim: bool = True) -> InputError:
        self.connection.rollback()
        return InputError(
            self.label,
            f"the query failed: {first_line(error)}" if verbatim else withheld(error),
            "check the server, the table and the contract's sql rules",
        )

    def malformed_rows(self, obj: Relation) -> int | None:
        return None

    def close(self) -> None:
        self.connection.close()


class PostgresEngine(DBAPIEngine):
    """PostgreSQL through psycopg: one statement per call, read only, under a statement timeout.

    Each query goes through the extended protocol (a prepared statement), which refuses
    ``SELECT 1; COMMIT``; the connection's transactions are READ ONLY (psycopg begins
    each one so, and the session's default is read only too) and are never committed;
    ``statement_timeout`` cancels a statement that runs too long.
    """

    def __init__(self, connection: Any, schema: str | None, label: str, timeout: float) -> None:
        super().__init__(connection, "postgres", schema, label)
        self.timeout = timeout

    def _execute(self, cursor: Any, sql: str) -> None:
        cursor.execute(sql, prepare=True)

    def _failed(self, error: Exception, verbatim: bool = True) -> InputError:
        import psycopg

        if isinstance(error, psycopg.errors.QueryCanceled):
            self.connection.rollback()
            return timed_out(self.label, self.timeout)
        if isinstance(error, psycopg.errors.DataError):  # class 22: its message quotes the value
            self.connection.rollback()
            message = unconvertible(str(error), code=getattr(error, "sqlstate", None))
            return InputError(self.label, f"the query failed: {message}", "check the column's declared type")
        return super()._failed(error, verbatim)
