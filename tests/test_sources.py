"""One way in: contracts check, contracts infer and drift read the same sources, and fail alike.

Every command opens its data through ``prodready.data.sources``: the same file formats
(by suffix, or a server's ``format``), the same globs, the same PostgreSQL URL opener
and the same ``InputError``s, so a source that one command reads, the others read too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
import yaml

from prodready.contracts.infer import infer
from prodready.contracts.run import check_contract
from prodready.data.sources import Table, engine_for, redacted, repository_root
from prodready.drift.profile import profile
from prodready.drift.score import check
from prodready.errors import InputError

ROWS = [{"id": i, "region": ["eu", "us", "apac"][i % 3], "amount": i * 1.5} for i in range(30)]
CLOSED = "postgresql://nobody:s3cret@127.0.0.1:1/x?schema=shop"


def write_inferred(source: str, directory: Path, **arguments: Any) -> Path:
    path = directory / "inferred.odcs.yaml"
    path.write_text(yaml.safe_dump(infer(source, **arguments), sort_keys=False), encoding="utf-8")
    return path


def assert_checks_pass(path: Path, rows: int, server: str | None = None) -> None:
    results = check_contract(path, server)
    assert [r for r in results if r.passed is False] == []
    assert {(r.check, r.observed) for r in results if r.check == "row count"} == {("row count", str(rows))}


def assert_no_drift(source: str, rows: int, **arguments: Any) -> None:
    reference = profile(source, **arguments)
    assert reference["rows"] == rows
    report = check(reference, source, **arguments)
    assert report.rows == rows and not report.alert


@pytest.fixture
def ndjson(tmp_path: Path) -> Path:
    path = tmp_path / "events.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return path


@pytest.fixture
def csv_glob(tmp_path: Path) -> str:
    folder = tmp_path / "orders"
    folder.mkdir()
    for part, rows in enumerate((ROWS[:12], ROWS[12:]), start=1):
        lines = ["id,region,amount"] + [f"{r['id']},{r['region']},{r['amount']}" for r in rows]
        (folder / f"part-{part}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder / "part-*.csv")


def test_ndjson_is_read_by_infer_check_and_drift(ndjson, tmp_path):
    contract = infer(str(ndjson))
    assert contract["servers"][0] == {"server": "source", "type": "local", "format": "json", "path": str(ndjson)}
    types = {p["name"]: p["logicalType"] for p in contract["schema"][0]["properties"]}
    assert types == {"id": "integer", "region": "string", "amount": "number"}
    assert_checks_pass(write_inferred(str(ndjson), tmp_path), 30)
    # A server may name the suffix's format too: the same table of formats reads it.
    data = yaml.safe_load((tmp_path / "inferred.odcs.yaml").read_text())
    data["servers"].append({"server": "lines", "type": "local", "format": "ndjson", "path": str(ndjson)})
    (tmp_path / "inferred.odcs.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert_checks_pass(tmp_path / "inferred.odcs.yaml", 30, "lines")
    assert_no_drift(str(ndjson), 30)


def test_a_glob_of_csv_files_is_read_by_infer_check_and_drift(csv_glob, tmp_path):
    contract = infer(csv_glob)
    assert contract["name"] == "orders" and contract["servers"][0]["path"] == csv_glob
    assert_checks_pass(write_inferred(csv_glob, tmp_path), 30)
    assert_no_drift(csv_glob, 30)


def test_a_duckdb_table_is_read_by_infer_check_and_drift(tmp_path):
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE TABLE orders (id BIGINT, region VARCHAR, amount DOUBLE)")
        connection.executemany("INSERT INTO orders VALUES (?, ?, ?)", [tuple(r.values()) for r in ROWS])
    contract = infer(str(database), table="orders")
    assert contract["servers"][0] == {"server": "source", "type": "duckdb", "database": str(database)}
    assert_checks_pass(write_inferred(str(database), tmp_path, table="orders"), 30)
    assert_no_drift(str(database), 30, table="orders")


def test_nested_columns_get_one_type_in_infer_check_and_drift(tmp_path):
    """A list of integers is an array everywhere: not an integer column to infer, bucket or range-check."""
    path = tmp_path / "nested.parquet"
    duckdb.sql("SELECT i AS id, [i, i + 1] AS tags, {'a': i} AS attrs FROM range(20) t(i)").write_parquet(str(path))
    types = {p["name"]: p["logicalType"] for p in infer(str(path))["schema"][0]["properties"]}
    assert types == {"id": "integer", "tags": "array", "attrs": "object"}
    assert_checks_pass(write_inferred(str(path), tmp_path), 20)
    made = profile(str(path))
    kinds = {name: spec["kind"] for name, spec in made["columns"].items()}
    assert kinds == {"tags": "categorical", "attrs": "categorical"}
    assert made["excluded"]["id"].startswith("identifier")  # 20 distinct values of 20


def driver_message(url: str) -> str:
    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(url.split("?")[0], connect_timeout=10)
    return str(raised.value).strip().splitlines()[0]


REFERENCE = {
    "version": 2,
    "columns": {"id": {"kind": "numeric", "edges": [1.0], "shares": [0.5, 0.5], "null_rate": 0.0}},
}
SOURCE_CALLS: dict[str, Callable[[str, str | None], Any]] = {
    "infer": lambda source, table: infer(source, table=table),
    "drift profile": lambda source, table: profile(source, table),
    "drift check": lambda source, table: check(REFERENCE, source, table),
}


@pytest.mark.parametrize("command", SOURCE_CALLS)
def test_an_unreachable_database_reports_the_drivers_reason(command):
    with pytest.raises(InputError) as raised:
        SOURCE_CALLS[command](CLOSED, "t")
    message = str(raised.value)
    assert "cannot connect to PostgreSQL at 127.0.0.1:1" in message
    assert driver_message(CLOSED) in message
    assert "s3cret" not in message and "nobody:***@" in message


def test_a_contract_server_uses_the_same_postgres_opener(tmp_path):
    server = {"server": "db", "type": "postgres", "host": "127.0.0.1", "port": 1, "database": "x", "schema": "s"}
    with pytest.raises(InputError) as raised:
        engine_for(server, tmp_path / "c.odcs.yaml")
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'c.odcs.yaml'} (server 'db')")
    assert "cannot connect to PostgreSQL at 127.0.0.1:1" in message and driver_message(CLOSED) in message


@pytest.mark.parametrize("command", SOURCE_CALLS)
@pytest.mark.parametrize(
    ("source", "table", "expected"),
    [
        ("postgresql://nobody@127.0.0.1:1/x", None, "a database source needs a table"),
        ("{tmp}/orders.duckdb", None, "a database source needs a table"),
        ("{tmp}/orders.xlsx", None, "cannot tell the format of orders.xlsx"),
        ("{tmp}/missing.csv", None, "the data file {tmp}/missing.csv does not exist"),
        ("{tmp}/none/*.parquet", None, "no file matches the data file {tmp}/none/*.parquet"),
        ("{tmp}/missing.duckdb", "t", "the database file {tmp}/missing.duckdb does not exist"),
        ("{tmp}/not-a-database.duckdb", "t", "cannot open the DuckDB database"),
    ],
)
def test_bad_sources_fail_alike_everywhere(command, source, table, expected, tmp_path):
    (tmp_path / "not-a-database.duckdb").write_text("id\n1\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        SOURCE_CALLS[command](source.format(tmp=tmp_path), table)
    assert expected.format(tmp=tmp_path) in str(raised.value)


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        (
            {"type": "local", "format": "csv", "path": "missing.csv"},
            "the server's data file missing.csv does not exist",
        ),
        ({"type": "local", "format": "csv", "path": "none/*.csv"}, "no file matches the server's data file none/*.csv"),
        ({"type": "local", "format": "delta", "path": "t"}, "server format 'delta' is not supported"),
        ({"type": "duckdb", "database": "missing.duckdb"}, "the server's database file missing.duckdb does not exist"),
        ({"type": "kafka"}, "server type 'kafka' cannot be checked yet"),
    ],
)
def test_bad_servers_are_input_errors(server, expected, tmp_path):
    with pytest.raises(InputError) as raised:
        engine_for({"server": "s", **server}, tmp_path / "c.odcs.yaml")
    assert expected in str(raised.value)


def test_a_server_path_is_found_beside_the_contract(csv_glob, tmp_path):
    (tmp_path / ".git").mkdir()  # the repository: its contracts/ may name its orders/
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    engine = engine_for({"server": "s", "type": "local", "format": "csv", "path": "orders/*.csv"}, contracts / "c.yaml")
    try:
        table = engine.table(Table("orders", "orders")).sql("duckdb")
        assert engine.query(f"SELECT COUNT(*) FROM {table}") == [(30,)]
    finally:
        engine.close()


def test_urls_are_shown_without_their_password():
    assert redacted("postgresql://u:pw@h:5/d?schema=s") == "postgresql://u:***@h:5/d?schema=s"
    assert redacted("postgresql://u@h/d") == "postgresql://u@h/d"


def test_drift_and_infer_read_a_postgres_schema_from_the_url(postgres, monkeypatch, tmp_path):
    monkeypatch.setenv("PGUSER", str(postgres["user"]))
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as pg:
        pg.execute("DROP SCHEMA IF EXISTS sources CASCADE")
        pg.execute("CREATE SCHEMA sources")
        pg.execute("CREATE TABLE sources.events (id BIGINT, region TEXT, amount DOUBLE PRECISION)")
        with pg.cursor() as cursor:
            cursor.executemany("INSERT INTO sources.events VALUES (%s, %s, %s)", [tuple(r.values()) for r in ROWS])
    url = f"postgresql://{postgres['user']}@{postgres['host']}:{postgres['port']}/postgres?schema=sources"
    assert_no_drift(url, 30, table="events")
    contract = infer(url, table="events")
    assert contract["servers"][0]["schema"] == "sources"
    assert_checks_pass(write_inferred(url, tmp_path, table="events"), 30)


# -- where the data lives is locked too ---------------------------------------------------------


def csv_engine(tmp_path: Path, text: str = "id,email\n1,SECRET-x\n") -> Any:
    (tmp_path / "people.csv").write_text(text, encoding="utf-8")
    (tmp_path / "outside.txt").write_text("outside\n", encoding="utf-8")
    server = {"server": "s", "type": "local", "format": "csv", "path": "people.csv"}
    return engine_for(server, tmp_path / "c.odcs.yaml")


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM read_text('{tmp}/outside.txt')", "disabled by configuration"),
        ("SELECT * FROM read_csv('{tmp}/outside.txt')", "disabled by configuration"),
        ("SELECT * FROM glob('{tmp}/*')", "disabled by configuration"),
        ("COPY (SELECT 1) TO '{tmp}/leak.csv'", "not one SELECT"),
        ("SELECT 1; COPY (SELECT 1) TO '{tmp}/leak.csv'", "not one SELECT"),
        ("ATTACH '{tmp}/evil.db' AS evil", "not one SELECT"),
        ("SET enable_external_access = true", "not one SELECT"),
        ("INSTALL httpfs", "not one SELECT"),
    ],
)
def test_duckdb_reads_nothing_but_the_servers_files(sql, expected, tmp_path):
    """Beneath the sql rule check: even a query that reached the engine could not read or write elsewhere."""
    engine = csv_engine(tmp_path)
    try:
        with pytest.raises(InputError, match=expected):
            engine.query(sql.format(tmp=tmp_path), untrusted=True)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.txt", "people.csv"]
        for setting in ("SET enable_external_access = true", "SET allowed_paths = ['/etc/passwd']"):
            with pytest.raises(duckdb.Error, match="locked"):  # not even on the connection itself
                engine.connection.execute(setting)
        assert engine.query(f"SELECT count(*) FROM {engine.table(Table('p', 'p')).sql('duckdb')}") == [(1,)]
    finally:
        engine.close()


def test_a_duckdb_database_is_locked_too(tmp_path):
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE TABLE orders AS SELECT 1 AS id")
    (tmp_path / "other.txt").write_text("other\n", encoding="utf-8")
    engine = engine_for({"server": "s", "type": "duckdb", "database": "shop.duckdb"}, tmp_path / "c.odcs.yaml")
    try:
        with pytest.raises(InputError, match="disabled by configuration"):
            engine.query(f"SELECT * FROM read_text('{tmp_path / 'other.txt'}')")
        with pytest.raises(duckdb.Error, match="locked"):
            engine.connection.execute("SET enable_external_access = true")
    finally:
        engine.close()


def test_a_slow_duckdb_rule_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODREADY_STATEMENT_TIMEOUT", "0.5")
    engine = csv_engine(tmp_path)
    slow = "SELECT count(*) FROM range(100000000000) a, range(1000) b"
    try:
        with pytest.raises(InputError, match=r"longer than 0.5 s \(PRODREADY_STATEMENT_TIMEOUT\)"):
            engine.query(slow, untrusted=True)
        assert engine.query("SELECT 42") == [(42,)]  # the connection still works
    finally:
        engine.close()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_a_bad_statement_timeout_is_a_one_line_error(value, monkeypatch, tmp_path):
    monkeypatch.setenv("PRODREADY_STATEMENT_TIMEOUT", value)
    engine = csv_engine(tmp_path)
    try:
        with pytest.raises(InputError, match=r"PRODREADY_STATEMENT_TIMEOUT: .* is not a number of seconds"):
            engine.query("SELECT 1", untrusted=True)
    finally:
        engine.close()


def test_duckdb_cast_errors_name_the_column_not_the_value(tmp_path):
    path = tmp_path / "people.parquet"
    duckdb.sql("SELECT 1 AS id, 'SECRET-x' AS email").write_parquet(str(path))
    engine = engine_for({"server": "s", "type": "local", "format": "parquet", "path": str(path)}, tmp_path / "c.yaml")
    table = engine.table(Table("p", "p")).sql("duckdb")
    try:
        assert engine.columns(Table("p", "p")) == {"id": "INTEGER", "email": "VARCHAR"}  # the names it may show
        for sql in (
            f"SELECT CAST(email AS INTEGER) FROM {table}",
            f"SELECT count(*) FROM {table} WHERE email IN (1, 2)",
        ):
            with pytest.raises(InputError) as raised:
                engine.query(sql)
            assert "SECRET" not in str(raised.value) and "in column email cannot be converted" in str(raised.value)
    finally:
        engine.close()


def test_a_value_cannot_pass_for_a_column_name(tmp_path):
    """A cast error names a column only if it is one the engine read: a value can spell anything."""
    engine = csv_engine(tmp_path)
    table = engine.table(Table("p", "p")).sql("duckdb")
    try:
        engine.columns(Table("p", "p"))
        sql = f"SELECT CAST(email || ' when casting from source column SECRET-y' AS INTEGER) FROM {table}"
        with pytest.raises(InputError) as raised:
            engine.query(sql)
        assert "SECRET" not in str(raised.value), raised.value
    finally:
        engine.close()


@pytest.fixture
def pg_orders(postgres, monkeypatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setenv("PGUSER", str(postgres["user"]))
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as pg:
        pg.execute("DROP SCHEMA IF EXISTS locked CASCADE")
        pg.execute("CREATE SCHEMA locked")
        pg.execute("CREATE TABLE locked.people (id integer, email text)")
        pg.execute("INSERT INTO locked.people VALUES (1, 'SECRET-x'), (2, 'b@x.org')")
        server = {"server": "db", "type": "postgres", "host": postgres["host"], "port": postgres["port"]}
        yield {**server, "database": "postgres", "schema": "locked"}
        assert pg.execute("SELECT count(*) FROM locked.people").fetchone() == (2,), "a row changed"
        pg.execute("DROP SCHEMA locked CASCADE")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1; COMMIT",
        "COMMIT; DELETE FROM locked.people; SELECT 0",
        "DELETE FROM locked.people",
        "WITH d AS (DELETE FROM locked.people RETURNING 1) SELECT count(*) FROM d",
        "SELECT 1; SET default_transaction_read_only = off",
    ],
)
def test_postgres_runs_one_statement_read_only(sql, pg_orders, tmp_path):
    """Beneath the sql rule check: the extended protocol refuses a second statement, the transaction any write."""
    engine = engine_for(pg_orders, tmp_path / "c.odcs.yaml")
    try:
        with pytest.raises(InputError):
            engine.query(sql, untrusted=True)
        # a rule that commits cannot open a transaction that writes
        with pytest.raises(InputError):
            engine.query("COMMIT", untrusted=True)
        with pytest.raises(InputError, match="read-only transaction"):
            engine.query("DELETE FROM locked.people RETURNING 1", untrusted=True)
        assert engine.query("SELECT count(*) FROM locked.people") == [(2,)]
    finally:
        engine.close()


def test_postgres_statements_time_out(pg_orders, tmp_path, monkeypatch):
    monkeypatch.setenv("PRODREADY_STATEMENT_TIMEOUT", "0.5")
    engine = engine_for(pg_orders, tmp_path / "c.odcs.yaml")
    try:
        with pytest.raises(InputError, match=r"longer than 0.5 s \(PRODREADY_STATEMENT_TIMEOUT\)"):
            engine.query("SELECT pg_sleep(5)", untrusted=True)
        assert engine.query("SELECT 1") == [(1,)]
    finally:
        engine.close()


def test_postgres_cast_errors_do_not_quote_the_value(pg_orders, tmp_path):
    engine = engine_for(pg_orders, tmp_path / "c.odcs.yaml")
    try:
        with pytest.raises(InputError) as raised:
            engine.query("SELECT count(*) FROM locked.people WHERE email::integer > 0", untrusted=True)
        assert "SECRET" not in str(raised.value) and "cannot be converted (SQLSTATE 22P02)" in str(raised.value)
    finally:
        engine.close()


def test_a_postgres_server_field_cannot_add_connection_parameters(pg_orders, tmp_path):
    hostile = {**pg_orders, "database": "postgres options='-c default_transaction_read_only=off'"}
    with pytest.raises(InputError, match="cannot connect"):
        engine_for(hostile, tmp_path / "c.odcs.yaml")


# -- server paths stay in the contract's repository ------------------------------------------------


def test_the_repository_is_found_by_git_then_pyproject_then_the_contract(tmp_path):
    contract = tmp_path / "repo" / "contracts" / "c.odcs.yaml"
    contract.parent.mkdir(parents=True)
    assert repository_root(contract) == contract.parent.resolve()
    (tmp_path / "repo" / "pyproject.toml").write_text("", encoding="utf-8")
    assert repository_root(contract) == (tmp_path / "repo").resolve()
    (tmp_path / ".git").mkdir()
    assert repository_root(contract) == tmp_path.resolve()


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("../outside/secret.csv", None),
        ("{tmp}/outside/secret.csv", None),
        ("../outside/*.csv", None),
        ("file://{tmp}/outside/secret.csv", None),
        ("data.csv", "outside/secret.csv"),
        ("linked/secret.csv", "outside"),
    ],
)
def test_paths_out_of_the_repository_are_refused(path, link, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text("id\n1\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    if link:
        (repo / path.split("/")[0]).symlink_to(tmp_path / link)
    server = {"server": "s", "type": "local", "format": "csv", "path": path.format(tmp=tmp_path)}
    with pytest.raises(InputError, match="leads outside the repository"):
        engine_for(server, repo / "c.odcs.yaml")
    engine_for(server, repo / "c.odcs.yaml", allow_outside_paths=True).close()


def test_a_file_inside_wins_over_one_outside(tmp_path, monkeypatch):
    """Relative paths are tried from the working directory first: one outside the repository is passed over."""
    (tmp_path / "people.csv").write_text("id\n1\n2\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "people.csv").write_text("id\n1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    engine = engine_for({"server": "s", "type": "local", "format": "csv", "path": "people.csv"}, repo / "c.odcs.yaml")
    try:
        assert engine.query(f"SELECT count(*) FROM {engine.table(Table('p', 'p')).sql('duckdb')}") == [(1,)]
    finally:
        engine.close()
