"""Readers that obey the contract, sql rules that name their table, and one failing rule beside the others.

Issue 14: a JSON string that looks like a date is text when the contract says so; files
of a glob are read by column name, a column some of them lack being NULL there; a
``sql`` rule may name its object literally, as ``${object}`` or as ``{object}`` on every
engine, and sees the declared types (numbers compare as numbers on CSV); a rule that
fails to run is a failed check of its own while every other check still runs. And a
column whose name says it holds personal data is a lint warning, not a refusal: check
runs and never shows its values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
import yaml
from click.testing import CliRunner

from prodready.cli import main
from prodready.contracts import run as contract_run
from prodready.contracts.infer import infer
from prodready.contracts.lint import lint_contract, personal_name
from prodready.contracts.run import check_contract
from prodready.data.engines import DBAPIEngine, DuckDBFiles, Files
from prodready.data.sources import Table

ORDERS = [(1, 10.0, "A-1"), (2, 60.0, "B-2"), (3, 75.5, "C-3")]
PROPERTIES = [
    {"name": "id", "logicalType": "integer", "required": True},
    {"name": "amount", "logicalType": "number"},
    {"name": "code", "logicalType": "string"},
]


def write_contract(
    directory: Path,
    server: dict[str, Any],
    properties: list[dict[str, Any]] | None = None,
    rules: list[dict[str, Any]] | None = None,
    physical_name: str = "orders",
) -> Path:
    data = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "orders",
        "version": "1.0.0",
        "status": "active",
        "servers": [server],
        "schema": [
            {
                "name": "orders",
                "physicalName": physical_name,
                "properties": properties or PROPERTIES,
                "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}, *(rules or [])],
            }
        ],
    }
    path = directory / "orders.odcs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def found(results: list[Any]) -> dict[tuple[str | None, str], Any]:
    return {(r.property, r.check): r for r in results}


def verdict(results: list[Any], prop: str | None, check: str) -> tuple[bool | None, str | None]:
    result = found(results)[(prop, check)]
    return result.passed, result.observed


def rule(name: str, query: str, must_be: int) -> dict[str, Any]:
    return {"name": name, "type": "sql", "query": query, "mustBe": must_be}


# -- globs read by column name ---------------------------------------------------------------------


def test_globbed_csv_files_with_different_columns_are_read_by_name(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    # Columns in another order, a column only some files have, a ragged line 3 in two files.
    (data / "a.csv").write_text("id,amount\n1,10\n2,20,extra\n", encoding="utf-8")
    (data / "b.csv").write_text("amount,id,note\n30,3,x\n40\n50,5,y\n", encoding="utf-8")
    (data / "c.csv").write_text("id,amount\n6,60\n", encoding="utf-8")
    properties = [
        {"name": "id", "logicalType": "integer", "required": True},
        {"name": "amount", "logicalType": "number", "logicalTypeOptions": {"maximum": 100}},
        {"name": "note", "logicalType": "string", "required": True},
    ]
    rules = [rule("by name", "SELECT sum(amount) - sum(id) * 10 FROM orders", 0)]
    server = {"server": "files", "type": "local", "format": "csv", "path": "data/*.csv"}
    results = check_contract(write_contract(tmp_path, server, properties, rules))
    assert verdict(results, None, "row count") == (True, "4")
    assert verdict(results, None, "well-formed rows") == (False, "2")  # line 3 of a.csv and of b.csv
    assert verdict(results, "id", "required") == (True, "0")
    assert verdict(results, "note", "required") == (False, "2")  # the rows of a.csv and c.csv
    assert verdict(results, None, "by name") == (True, "0")  # amount is 10 x id in every file


def test_globbed_json_and_parquet_files_with_different_columns_are_read_by_name(tmp_path):
    (tmp_path / "json").mkdir()
    (tmp_path / "json" / "a.json").write_text('{"id": 1, "amount": 10}\n{"id": 2, "amount": 20}\n', encoding="utf-8")
    (tmp_path / "json" / "b.json").write_text('{"note": "x", "id": 3, "amount": 30}\n', encoding="utf-8")
    (tmp_path / "parquet").mkdir()
    with duckdb.connect() as db:
        db.execute(f"COPY (SELECT 1 AS id, 10.0 AS amount) TO '{tmp_path / 'parquet' / 'a.parquet'}'")
        db.execute(f"COPY (SELECT 'x' AS note, 30.0 AS amount, 3 AS id) TO '{tmp_path / 'parquet' / 'b.parquet'}'")
    properties = [*PROPERTIES[:2], {"name": "note", "logicalType": "string", "required": True}]
    rules = [rule("by name", "SELECT sum(amount) - sum(id) * 10 FROM ${object}", 0)]
    for kind, rows, missing in (("json", "3", "2"), ("parquet", "2", "1")):
        server = {"server": "files", "type": "local", "format": kind, "path": f"{kind}/*.{kind}"}
        results = check_contract(write_contract(tmp_path, server, properties, rules))
        assert verdict(results, None, "row count") == (True, rows), kind
        assert verdict(results, "note", "required") == (False, missing), kind
        assert verdict(results, None, "by name") == (True, "0"), kind


# -- JSON read as declared ---------------------------------------------------------------------------

DATE_LIKE = (
    '{"id": 1, "code": "2024-01-02", "day": "2024-01-02", "at": "2024-01-02", "seen": "2024-01-02"}\n'
    '{"id": 2, "code": "2024-02-03", "day": "2024-02-03", "at": "2024-02-03", "seen": "2024-02-03"}\n'
)


def test_json_strings_that_look_like_dates_are_read_as_declared(tmp_path):
    (tmp_path / "orders.json").write_text(DATE_LIKE, encoding="utf-8")
    properties = [
        {"name": "id", "logicalType": "integer"},
        {"name": "code", "logicalType": "string", "logicalTypeOptions": {"pattern": "^2024-0[12]-0[23]$"}},
        {"name": "day", "logicalType": "date"},
        {"name": "at", "logicalType": "timestamp"},
    ]
    rules = [rule("text", "SELECT count(*) FROM orders WHERE code LIKE '2024-%' AND length(code) = 10", 2)]
    server = {"server": "files", "type": "local", "format": "json", "path": "orders.json"}
    results = check_contract(write_contract(tmp_path, server, properties, rules))
    assert verdict(results, "code", "logicalType string") == (True, "VARCHAR")
    assert verdict(results, "code", "pattern") == (True, "0")
    assert verdict(results, "day", "logicalType date") == (True, "DATE")
    assert verdict(results, "at", "logicalType timestamp") == (True, "TIMESTAMP")
    assert verdict(results, None, "text") == (True, "2")
    # What the contract does not declare keeps DuckDB's reading: "seen" is a DATE.
    files = Files(str(tmp_path / "orders.json"), "json", (str(tmp_path / "orders.json"),))
    engine = DuckDBFiles(files)
    try:
        declared = type("Declared", (), {"physical_name": "code", "logical_type": "string"})()
        assert engine.columns(Table("orders", "orders", (declared,))) == {
            "id": "BIGINT",
            "code": "VARCHAR",
            "day": "DATE",
            "at": "DATE",
            "seen": "DATE",
        }
    finally:
        engine.close()


def test_a_json_value_of_another_type_fails_the_type_check_not_the_read(tmp_path):
    (tmp_path / "orders.json").write_text('{"id": 1}\n{"id": "two"}\n', encoding="utf-8")
    server = {"server": "files", "type": "local", "format": "json", "path": "orders.json"}
    results = check_contract(write_contract(tmp_path, server, [{"name": "id", "logicalType": "integer"}]))
    assert verdict(results, "id", "logicalType integer") == (False, "JSON")  # mixed values: DuckDB says JSON
    assert verdict(results, None, "row count") == (True, "2")


# -- sql rules name their object, on every engine -------------------------------------------------------

FORMS = {
    "literal": "SELECT count(*) FROM orders WHERE amount > 45 AND id >= 2",
    "quoted literal": 'SELECT count(*) FROM "orders" AS o WHERE o.amount > 45 AND o.id >= 2',
    "${object}": "SELECT count(*) FROM ${object} WHERE amount > 45 AND id >= 2",
    "{object}": "SELECT count(*) FROM {object} WHERE amount > 45 AND id >= 2",
    "physicalName": "SELECT count(*) FROM orders_table WHERE amount > 45 AND id >= 2",
    "self-join": "SELECT count(*) FROM orders AS a JOIN ${object} AS b ON a.id = b.id WHERE a.amount > 45",
}


def file_servers(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The orders as CSV, JSON, Parquet and a DuckDB database, each a server."""
    (tmp_path / "orders.csv").write_text(
        "id,amount,code\n" + "".join(f"{i},{a},{c}\n" for i, a, c in ORDERS), encoding="utf-8"
    )
    (tmp_path / "orders.json").write_text(
        "".join(f'{{"id": {i}, "amount": {a}, "code": "{c}"}}\n' for i, a, c in ORDERS), encoding="utf-8"
    )
    with duckdb.connect(str(tmp_path / "shop.duckdb")) as db:
        db.execute("CREATE TABLE orders_table (id BIGINT, amount DOUBLE, code VARCHAR)")
        db.executemany("INSERT INTO orders_table VALUES (?, ?, ?)", ORDERS)
        db.execute(f"COPY orders_table TO '{tmp_path / 'orders.parquet'}'")
    servers = {kind: {"server": kind, "type": "local", "format": kind, "path": f"orders.{kind}"} for kind in FORMATS}
    servers["duckdb"] = {"server": "duckdb", "type": "duckdb", "database": "shop.duckdb", "schema": "main"}
    return servers


FORMATS = ("csv", "json", "parquet")


@pytest.mark.parametrize("form", FORMS)
def test_sql_rules_name_their_object_on_duckdb(form, tmp_path):
    servers = file_servers(tmp_path)
    for kind, server in servers.items():
        path = write_contract(tmp_path, server, rules=[rule(form, FORMS[form], 2)], physical_name="orders_table")
        assert lint_contract(path) == [], kind
        assert verdict(check_contract(path), None, form) == (True, "2"), kind


@pytest.fixture(scope="module")
def pg_orders(postgres) -> dict[str, Any]:
    """``readers.orders_table`` on the session's PostgreSQL, and the server naming it."""
    connect = {"host": postgres["host"], "port": postgres["port"], "user": postgres["user"], "dbname": "postgres"}
    with psycopg.connect(**connect, autocommit=True) as db:
        db.execute("DROP SCHEMA IF EXISTS readers CASCADE")
        db.execute("CREATE SCHEMA readers")
        db.execute("CREATE TABLE readers.orders_table (id integer, amount double precision, code text)")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO readers.orders_table VALUES (%s, %s, %s)", ORDERS)
    server = {"server": "db", "type": "postgres", "host": postgres["host"], "port": postgres["port"]}
    return {"server": {**server, "database": "postgres", "schema": "readers"}, "connect": connect}


@pytest.fixture
def pg_user(postgres, monkeypatch):
    monkeypatch.setenv("PGUSER", str(postgres["user"]))


@pytest.fixture
def dbapi(pg_orders, monkeypatch) -> None:
    """Every server read through the plain DB-API engine, as a SQLAlchemy warehouse is (its raw connection)."""

    def engine_for(server: dict[str, Any], path: Path, **_: Any) -> DBAPIEngine:
        return DBAPIEngine(psycopg.connect(**pg_orders["connect"]), "postgres", "readers", str(path))

    monkeypatch.setattr(contract_run, "engine_for", engine_for)


@pytest.mark.parametrize("through", ["postgres", "dbapi"])
def test_sql_rules_name_their_object_on_postgres(through, pg_orders, pg_user, request, tmp_path):
    if through == "dbapi":
        request.getfixturevalue("dbapi")
    for form, query in FORMS.items():
        path = write_contract(tmp_path, pg_orders["server"], rules=[rule(form, query, 2)], physical_name="orders_table")
        assert lint_contract(path) == [], form
        assert verdict(check_contract(path), None, form) == (True, "2"), form


# -- one failing rule never hides the others -----------------------------------------------------------

ERRING = [
    rule("before", "SELECT count(*) FROM orders", 3),
    rule("no such column", "SELECT count(*) FROM ${object} WHERE nope > 1", 0),
    rule("bad cast", "SELECT count(*) FROM {object} WHERE CAST(code AS INTEGER) > 0", 0),
    rule("after", "SELECT max(amount) FROM orders WHERE id < 3", 60),
]


def assert_one_failure_each(results: list[Any], withheld: bool = True) -> None:
    """Both erring rules failed with a one-line reason, every other check ran and passed.

    DuckDB and PostgreSQL tell a failed cast without its value (``withheld``); another
    DB-API driver's message is shown as it is, since the rule reads no protected column.
    """
    assert verdict(results, None, "before") == (True, "3")
    assert verdict(results, None, "after") == (True, "60")
    assert verdict(results, None, "rowCount") == (True, "3")
    assert verdict(results, "id", "required") == (True, "0")
    for name in ("no such column", "bad cast"):
        result = found(results)[(None, name)]
        assert (result.passed, result.observed) == (False, "error"), name
        assert result.message.startswith(f"the rule could not run: sql rule '{name}'"), result.message
        assert "\n" not in result.message
    if withheld:
        assert "cannot be converted" in found(results)[(None, "bad cast")].message
        assert "A-1" not in found(results)[(None, "bad cast")].message


def test_an_erroring_rule_is_a_failure_beside_the_others_on_duckdb(tmp_path):
    servers = file_servers(tmp_path)
    for kind in (*FORMATS, "duckdb"):
        path = write_contract(tmp_path, servers[kind], rules=ERRING, physical_name="orders_table")
        assert_one_failure_each(check_contract(path))
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 1, result.output
    assert "FAIL orders: no such column (expected value = 0, observed error)" in result.output
    assert "ok   orders: after" in result.output


@pytest.mark.parametrize("through", ["postgres", "dbapi"])
def test_an_erroring_rule_is_a_failure_beside_the_others_on_postgres(through, pg_orders, pg_user, request, tmp_path):
    if through == "dbapi":
        request.getfixturevalue("dbapi")
    path = write_contract(tmp_path, pg_orders["server"], rules=ERRING, physical_name="orders_table")
    assert_one_failure_each(check_contract(path), withheld=through == "postgres")
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 1 and "ok   orders: after" in result.output, result.output


# -- personal data: a warning, and protected meanwhile ---------------------------------------------------

PERSONAL = [
    "email",
    "e_mail",
    "emailaddress",
    "EmailAddress",
    "customer_email",
    "customerEmail",
    "phone",
    "phonenumber",
    "phone_number",
    "mobile",
    "mobileNumber",
    "firstname",
    "last_name",
    "fullName",
    "username",
    "address",
    "street_address",
    "billingAddress",
    "ssn",
    "iban",
    "dob",
    "birthdate",
    "dateOfBirth",
    "date_of_birth",
    "ip",
    "ipaddress",
    "client_ip",
    "IPAddress",
    "zipcode",
    "postal_code",
    "passport_number",
    "credit_card_number",
]
NOT_PERSONAL = [
    "filename",
    "hostname",
    "name",
    "product_name",
    "amount",
    "email_count",
    "ipaddress_count",
    "num_phones",
    "has_email",
    "address_type",
    "shipping_method",
    "zipped",
    "description",
    "tip",
    "mailbox_size",
]


@pytest.mark.parametrize("name", PERSONAL)
def test_personal_names_are_recognised(name):
    assert personal_name(name)


@pytest.mark.parametrize("name", NOT_PERSONAL)
def test_other_names_are_not_personal(name):
    assert not personal_name(name)


def test_an_unclassified_personal_column_warns_and_check_never_shows_it(tmp_path):
    (tmp_path / "people.csv").write_text(
        "id,emailAddress,phonenumber\n-1,ann@example.org,+44 20 7946 0958\n", encoding="utf-8"
    )
    properties = [
        {"name": "id", "logicalType": "integer", "logicalTypeOptions": {"minimum": 0}},
        {"name": "emailAddress", "logicalType": "string"},
        {"name": "phone", "physicalName": "phonenumber", "logicalType": "string", "classification": "public"},
    ]
    server = {"server": "files", "type": "local", "format": "csv", "path": "people.csv"}
    path = write_contract(tmp_path, server, properties)
    findings = [f for f in lint_contract(path) if f.rule == "ODCS004"]
    assert [(f.severity, f.message.split()[1]) for f in findings] == [
        ("warning", "'emailAddress'"),
        ("warning", "'phone'"),
    ]
    results = check_contract(path)
    assert found(results)[("id", "minimum 0")].samples == [{"id": "-1"}]
    runner = CliRunner()
    assert runner.invoke(main, ["contracts", "lint", str(path)]).exit_code == 0
    result = runner.invoke(main, ["contracts", "check", str(path), "--format", "json"])
    assert result.exit_code == 1 and "ann@" not in result.output and "7946" not in result.output


# -- Spark -------------------------------------------------------------------------------------------------


@pytest.mark.spark
def test_sql_rules_on_spark_name_their_object_and_fail_alone(tmp_path):
    pytest.importorskip("pyspark", reason="the spark nox session installs pyspark")
    server = file_servers(tmp_path)["csv"]
    forms = [rule(form, query, 2) for form, query in FORMS.items() if form != "quoted literal"]
    path = write_contract(tmp_path, server, rules=[*forms, *ERRING[:2], ERRING[3]], physical_name="orders_table")
    results = check_contract(path, engine_name="spark")
    for form in forms:
        assert verdict(results, None, form["name"]) == (True, "2"), form["name"]
    assert verdict(results, None, "before") == (True, "3")
    assert verdict(results, None, "after") == (True, "60")
    assert verdict(results, None, "no such column") == (False, "error")


def test_nested_personal_properties_warn_unless_their_parent_is_protected(tmp_path):
    customer = {
        "name": "customer",
        "logicalType": "object",
        "properties": [{"name": "contactEmail", "logicalType": "string"}, {"name": "tier", "logicalType": "string"}],
    }
    phones = {"name": "numbers", "logicalType": "array", "items": {"name": "mobilePhone", "logicalType": "string"}}
    server = {"server": "files", "type": "local", "format": "json", "path": "orders.json"}
    path = write_contract(tmp_path, server, [PROPERTIES[0], customer, phones])
    findings = [f for f in lint_contract(path) if f.rule == "ODCS004"]
    assert [(f.severity, f.message.split()[1]) for f in findings] == [
        ("warning", "'contactEmail'"),
        ("warning", "'mobilePhone'"),
    ]
    text = path.read_text(encoding="utf-8").splitlines()
    assert "contactEmail" in text[findings[0].line - 1] and "items:" in text[findings[1].line - 1]
    customer["classification"] = "restricted"
    phones["classification"] = "confidential"
    path = write_contract(tmp_path, server, [PROPERTIES[0], customer, phones])
    assert [f for f in lint_contract(path) if f.rule == "ODCS004"] == []


def test_infer_protects_the_columns_lint_calls_personal(tmp_path):
    (tmp_path / "people.csv").write_text(
        "customerEmail,phonenumber,email_count,hostname\na@x.org,555,1,h1\nb@x.org,556,2,h2\n", encoding="utf-8"
    )
    properties = infer(str(tmp_path / "people.csv"))["schema"][0]["properties"]
    protected = {p["name"] for p in properties if p.get("classification") == "restricted"}
    assert protected == {"customerEmail", "phonenumber"}
