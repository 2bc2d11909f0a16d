"""Nested data: object properties and array items checked by path, types compared structurally, and
``infer`` on nested and binary columns, on DuckDB (Parquet and JSON files) and PostgreSQL (json, jsonb).

The data is written at run time: three orders, the first valid, the second with one defect
per nested rule (a zip that is not five digits, a null city, an unknown sku, a negative
quantity, a tag longer than four characters), the third with empty or null containers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
import yaml
from click.testing import CliRunner

from prodready.cli import main
from prodready.contracts.infer import infer
from prodready.contracts.run import check_contract
from prodready.data.types import conforms, parse_type

ORDERS = """SELECT * FROM (VALUES
 (1, {'name': 'Ann', 'email': 'ann@x.org', 'address': {'zip': '12345', 'city': 'Oslo'}},
  [{'sku': 'A-1', 'qty': 1}, {'sku': 'B-2', 'qty': 2}], ['red', 'blue']),
 (2, {'name': 'Bob', 'email': 'bob@x.org', 'address': {'zip': '9999x', 'city': NULL}},
  [{'sku': 'bad', 'qty': -1}], ['green']),
 (3, {'name': 'Cy', 'email': NULL, 'address': NULL}, [], NULL)
) AS v(id, customer, lines, tags)"""

#: The nested properties of the orders, as a contract declares them: each rule fails on order 2 only.
PROPERTIES: list[dict[str, Any]] = [
    {"name": "id", "logicalType": "integer", "primaryKey": True},
    {
        "name": "customer",
        "logicalType": "object",
        "properties": [
            {"name": "name", "logicalType": "string", "required": True},
            {"name": "email", "logicalType": "string", "classification": "restricted"},
            {
                "name": "address",
                "logicalType": "object",
                "properties": [
                    {"name": "zip", "logicalType": "string", "logicalTypeOptions": {"pattern": "^[0-9]{5}$"}},
                    {"name": "city", "logicalType": "string", "required": True},
                ],
            },
        ],
    },
    {
        "name": "lines",
        "logicalType": "array",
        "items": {
            "logicalType": "object",
            "properties": [
                {
                    "name": "sku",
                    "logicalType": "string",
                    "quality": [{"metric": "invalidValues", "arguments": {"validValues": ["A-1", "B-2"]}, "mustBe": 0}],
                },
                {"name": "qty", "logicalType": "integer", "logicalTypeOptions": {"minimum": 0}},
            ],
        },
    },
    {
        "name": "tags",
        "logicalType": "array",
        "items": {"logicalType": "string", "logicalTypeOptions": {"maxLength": 4}},
    },
]
#: What fails on order 2, by path.
FAILING = {
    ("customer.address.zip", "pattern"),
    ("customer.address.city", "required"),
    ("lines[].sku", "invalidValues"),
    ("lines[].qty", "minimum 0"),
    ("tags[]", "maxLength 4"),
}


def contract(server: dict[str, Any], properties: list[dict[str, Any]], physical: str = "orders") -> dict[str, Any]:
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "orders",
        "name": "orders",
        "version": "1.0.0",
        "status": "active",
        "servers": [server],
        "schema": [
            {
                "name": "orders",
                "physicalName": physical,
                "logicalType": "object",
                "properties": properties,
                "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
            }
        ],
    }


def write(directory: Path, document: dict[str, Any], name: str = "orders.odcs.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def check(path: Path) -> list[Any]:
    """Check a contract written beside the test, about data the module wrote elsewhere."""
    return check_contract(path, allow_outside_paths=True)


def failures(results) -> set[tuple[str | None, str]]:
    return {(r.property, r.check) for r in results if r.passed is False}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """orders.parquet and orders.json, the same three orders."""
    folder = tmp_path_factory.mktemp("nested")
    with duckdb.connect() as connection:
        connection.execute(f"CREATE TABLE orders AS {ORDERS}")
        connection.execute(f"COPY orders TO '{folder / 'orders.parquet'}' (FORMAT parquet)")
        connection.execute(f"COPY orders TO '{folder / 'orders.json'}' (FORMAT json)")
    return folder


def file_server(folder: Path, kind: str) -> dict[str, Any]:
    return {"server": "files", "type": "local", "format": kind, "path": str(folder / f"orders.{kind}")}


@pytest.mark.parametrize("kind", ["parquet", "json"])
def test_nested_rules_fail_by_path_on_files(files, kind, tmp_path):
    results = check(write(tmp_path, contract(file_server(files, kind), PROPERTIES)))
    assert failures(results) == FAILING
    by_path = {(r.property, r.check): r for r in results}
    for key in FAILING:
        assert by_path[key].observed == "1", key
        assert [s["id"] for s in by_path[key].samples] == [2], key
    assert by_path[("customer.name", "required")].passed is True
    assert by_path[("lines[].sku", "logicalType string")].passed is True
    # a struct holding a restricted field is never shown, even as a whole
    assert all("customer" not in sample for r in results for sample in r.samples)
    assert not any("bob@x.org" in json.dumps(r.samples) + r.message for r in results)


def test_missing_nested_field_and_wrong_nested_type_fail(files, tmp_path):
    properties = json.loads(json.dumps(PROPERTIES[:2]))
    properties[1]["properties"].append({"name": "phone", "logicalType": "string"})
    properties[1]["properties"][0]["logicalType"] = "integer"
    results = check(write(tmp_path, contract(file_server(files, "parquet"), properties)))
    found = {(r.property, r.check): r for r in results}
    assert found[("customer.phone", "field present")].passed is False
    assert found[("customer.name", "logicalType integer")].passed is False
    assert found[("customer", "logicalType object")].passed is True


def test_a_struct_declared_integer_fails(files, tmp_path):
    properties = [{"name": "id", "logicalType": "integer"}, {"name": "customer", "logicalType": "integer"}]
    results = check(write(tmp_path, contract(file_server(files, "parquet"), properties)))
    found = {(r.property, r.check): r for r in results}
    assert found[("customer", "logicalType integer")].passed is False
    assert found[("id", "logicalType integer")].passed is True


#: Date-like strings inside structs and lists, which DuckDB's JSON reader takes for dates.
NESTED_DATES = (
    '{"id": 1, "event": {"when": "2024-01-02", "code": "2024-01-02", "at": "2024-01-02"}, "days": ["2024-01-02"]}\n'
    '{"id": 2, "event": {"when": "2024-02-03", "code": "2024-13-45", "at": "2024-02-03"}, "days": ["2024-02-30"]}\n'
)


def test_nested_json_strings_that_look_like_dates_are_read_as_declared(tmp_path):
    (tmp_path / "orders.json").write_text(NESTED_DATES, encoding="utf-8")
    pattern = {"pattern": "^2024-0[12]-0[23]$"}
    properties = [
        {"name": "id", "logicalType": "integer"},
        {
            "name": "event",
            "logicalType": "object",
            "properties": [
                {"name": "when", "logicalType": "string", "logicalTypeOptions": pattern},
                {"name": "code", "logicalType": "string", "logicalTypeOptions": pattern},
                {"name": "at", "logicalType": "timestamp"},
            ],
        },
        {"name": "days", "logicalType": "array", "items": {"logicalType": "string", "logicalTypeOptions": pattern}},
    ]
    server = {"server": "files", "type": "local", "format": "json", "path": "orders.json"}
    found = {(r.property, r.check): r for r in check(write(tmp_path, contract(server, properties)))}
    for path in ("event.when", "event.code", "days[]"):
        assert found[(path, "logicalType string")].passed is True, path
    assert found[("event.at", "logicalType timestamp")].passed is True
    assert (found[("event.when", "pattern")].passed, found[("event.when", "pattern")].observed) == (True, "0")
    # A wrong value still fails: a month 13 and a 30 February are text the pattern refuses.
    assert (found[("event.code", "pattern")].passed, found[("event.code", "pattern")].observed) == (False, "1")
    assert (found[("days[]", "pattern")].passed, found[("days[]", "pattern")].observed) == (False, "1")
    # Declared integer where the data holds date-like text: the nested type check fails.
    properties[1]["properties"][0] = {"name": "when", "logicalType": "integer"}
    found = {(r.property, r.check): r for r in check(write(tmp_path, contract(server, properties)))}
    assert found[("event.when", "logicalType integer")].passed is False


def test_types_are_compared_structurally():
    assert not conforms(parse_type("STRUCT(a INTEGER)"), "integer")
    assert conforms(parse_type("STRUCT(a INTEGER)"), "object")
    assert not conforms(parse_type("INTEGER[]"), "integer")
    assert conforms(parse_type("INTEGER[]"), "array")
    assert parse_type("INTEGER[]").items == parse_type("INT")
    assert conforms(parse_type("MAP(VARCHAR, INTEGER)"), "object")
    assert conforms(parse_type("jsonb", "postgres"), "array")
    assert not conforms(parse_type("BLOB"), "string")
    assert conforms(parse_type("bytea", "postgres"), "string", string_format="binary")
    assert conforms(parse_type("TIMESTAMP WITH TIME ZONE"), "date", legacy=True)
    assert not conforms(parse_type("TIMESTAMP WITH TIME ZONE"), "date")
    inner = parse_type('STRUCT("a b" STRUCT(c DOUBLE))').member("a b")
    assert inner is not None and inner.kind == "object" and inner.member("c") == parse_type("DOUBLE")


@pytest.fixture(scope="module")
def pg_orders(postgres) -> dict[str, Any]:
    """The same orders in PostgreSQL, customer and lines as json, and as jsonb, tags as jsonb in both."""
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"SELECT id, to_json(customer)::VARCHAR, to_json(lines)::VARCHAR, to_json(tags)::VARCHAR FROM ({ORDERS})"
        ).fetchall()
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute("DROP SCHEMA IF EXISTS nested CASCADE")
        connection.execute("CREATE SCHEMA nested")
        for kind in ("json", "jsonb"):
            connection.execute(
                f"CREATE TABLE nested.orders_{kind} (id integer, customer {kind}, lines {kind}, tags jsonb)"
            )
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO nested.orders_{kind} VALUES (%s, %s, %s, %s)", rows)
    return {
        "server": "warehouse",
        "type": "postgres",
        "host": postgres["host"],
        "port": postgres["port"],
        "database": "postgres",
        "schema": "nested",
    }


@pytest.fixture
def pg_env(postgres, monkeypatch):
    monkeypatch.setenv("PGUSER", str(postgres["user"]))


@pytest.mark.parametrize("kind", ["json", "jsonb"])
def test_nested_rules_fail_by_path_on_postgres(pg_orders, pg_env, kind, tmp_path):
    results = check_contract(write(tmp_path, contract(pg_orders, PROPERTIES, f"orders_{kind}")))
    assert failures(results) == FAILING
    by_path = {(r.property, r.check): r for r in results}
    for key in FAILING:
        assert by_path[key].observed == "1", key
        assert [s["id"] for s in by_path[key].samples] == [2], key
    assert by_path[("customer", "logicalType object")].passed is True
    assert by_path[("lines[].qty", "logicalType integer")].passed is True
    assert not any("bob@x.org" in json.dumps(r.samples) + r.message for r in results)


def test_json_values_of_the_wrong_type_fail_on_postgres(pg_orders, pg_env, tmp_path):
    properties = json.loads(json.dumps(PROPERTIES))
    properties[1] = {"name": "customer", "logicalType": "array"}  # customer holds objects
    properties[2]["items"]["properties"][0]["logicalType"] = "number"  # skus are strings
    properties[3]["items"]["logicalType"] = "boolean"
    results = check_contract(write(tmp_path, contract(pg_orders, properties, "orders_jsonb")))
    found = {(r.property, r.check): r for r in results}
    assert (found[("customer", "logicalType array")].passed, found[("customer", "logicalType array")].observed) == (
        False,
        "3",
    )
    assert found[("lines[].sku", "logicalType number")].observed == "2"  # orders 1 and 2 have lines
    assert found[("tags[]", "logicalType boolean")].observed == "2"


@pytest.mark.parametrize("kind", ["parquet", "json"])
def test_infer_writes_nested_properties_that_lint_and_check_clean(files, kind, tmp_path):
    runner = CliRunner()
    written = tmp_path / "inferred.odcs.yaml"
    source = str(files / f"orders.{kind}")
    result = runner.invoke(main, ["contracts", "infer", source, "--output", str(written)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(written.read_text(encoding="utf-8"))
    props = {p["name"]: p for p in document["schema"][0]["properties"]}
    assert props["customer"]["logicalType"] == "object"
    assert [p["name"] for p in props["customer"]["properties"]] == ["name", "email", "address"]
    assert props["customer"]["properties"][2]["properties"][0] == {
        "name": "zip",
        "logicalType": "string",
        "physicalType": "TEXT",
    }
    assert props["lines"]["logicalType"] == "array"
    assert props["lines"]["items"]["logicalType"] == "object"
    assert props["tags"]["items"] == {"logicalType": "string", "physicalType": "TEXT"}
    assert runner.invoke(main, ["contracts", "lint", str(written)]).exit_code == 0
    assert all(r.passed is not False for r in check(written))


def test_infer_handles_maps_and_binary(tmp_path):
    path = tmp_path / "blobs.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            "COPY (SELECT i AS id, MAP {'k': i} AS attrs, ('x' || i)::BLOB AS payload, [[i]] AS grid "
            f"FROM range(3) t(i)) TO '{path}' (FORMAT parquet)"
        )
    document = infer(str(path))
    props = {p["name"]: p for p in document["schema"][0]["properties"]}
    assert props["attrs"]["logicalType"] == "object" and "properties" not in props["attrs"]
    assert props["payload"]["logicalType"] == "string"
    assert props["payload"]["logicalTypeOptions"] == {"format": "binary"}
    assert props["grid"]["items"]["items"]["logicalType"] == "integer"
    written = write(tmp_path, document, "blobs.odcs.yaml")
    assert CliRunner().invoke(main, ["contracts", "lint", str(written)]).exit_code == 0
    assert all(r.passed is not False for r in check(written))


@pytest.mark.parametrize("kind", ["json", "jsonb"])
def test_infer_on_postgres_json_columns_checks_clean(pg_orders, pg_env, kind, tmp_path):
    url = f"postgresql://{pg_orders['host']}:{pg_orders['port']}/postgres?schema=nested"
    document = infer(url, table=f"orders_{kind}")
    props = {p["name"]: p for p in document["schema"][0]["properties"]}
    assert (props["customer"]["logicalType"], props["lines"]["logicalType"]) == ("object", "array")
    written = write(tmp_path, document)
    assert CliRunner().invoke(main, ["contracts", "lint", str(written)]).exit_code == 0
    assert all(r.passed is not False for r in check(written))
