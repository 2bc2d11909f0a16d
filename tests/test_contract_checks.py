"""`prodready contracts check` on hand-built data with known defects, on files and on PostgreSQL.

Every metric and every operator is asserted both passing and failing, with the exact
counts; the same contract gives the same verdicts on a Parquet file and on the same
rows in a real PostgreSQL server.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prodready.cli import main
from prodready.contracts.model import is_protected
from prodready.contracts.report import to_json, to_junit
from prodready.contracts.run import check_contract
from prodready.data.types import conforms, parse_type
from prodready.errors import InputError

NOW = datetime.now(UTC).replace(microsecond=0)
# id, code, amount, email, category, created, region, seq
ROWS: list[tuple[Any, ...]] = [
    (1, "A-1", 10.5, "a@x.org", "red", NOW - timedelta(hours=9), "eu", 1),
    (2, "A-2", 20.0, "b@x.org", "blue", NOW - timedelta(hours=8), "eu", 2),
    (3, "A-3", -5.0, None, "green", NOW - timedelta(hours=7), "us", 3),
    (4, "A-4", 1000.0, "bad-email", "red", NOW - timedelta(hours=6), "us", 4),
    (5, "B-5", None, "c@x.org", "purple", NOW - timedelta(hours=5), "eu", 5),
    (6, "A-6", 30.0, "unknown", "blue", NOW - timedelta(hours=4), None, 6),
    (7, "A-6", 40.0, "d@x.org", "red", NOW - timedelta(hours=3), "apac", 7),
    (8, "A-8", 50.0, "e@x.org", None, NOW - timedelta(hours=2), "eu", 8),
    (9, "A-9", 60.0, "n/a", "blue", NOW - timedelta(hours=1), "eu", 9),
    (10, "A-10", 70.0, "f@x.org", "red", NOW - timedelta(hours=1), "eu", 9),
]
COLUMNS = "id BIGINT, code VARCHAR, amount DOUBLE, email VARCHAR, category VARCHAR, created TIMESTAMPTZ, region VARCHAR, seq BIGINT"
PG_COLUMNS = COLUMNS.replace("DOUBLE", "DOUBLE PRECISION").replace("VARCHAR", "TEXT")

# (rule name, operator, operand) on nullValues of amount: 1 null row of 10.
OPERATOR_CASES = [
    ("mustBe", 1, True),
    ("mustBe", 0, False),
    ("mustNotBe", 0, True),
    ("mustNotBe", 1, False),
    ("mustBeGreaterThan", 0, True),
    ("mustBeGreaterThan", 1, False),
    ("mustBeGreaterOrEqualTo", 1, True),
    ("mustBeGreaterOrEqualTo", 2, False),
    ("mustBeLessThan", 2, True),
    ("mustBeLessThan", 1, False),
    ("mustBeLessOrEqualTo", 1, True),
    ("mustBeLessOrEqualTo", 0, False),
    ("mustBeBetween", [0, 1], True),
    ("mustBeBetween", [2, 5], False),
    ("mustNotBeBetween", [2, 5], True),
    ("mustNotBeBetween", [0, 1], False),
]


def rule(name: str, metric: str | None, operator: str, operand: Any, **extra: Any) -> dict[str, Any]:
    entry = {"name": name, operator: operand, **extra}
    if metric:
        entry["metric"] = metric
    return entry


def contract(servers: list[dict[str, Any]]) -> dict[str, Any]:
    amount_rules = [rule(f"nulls {op} {operand}", "nullValues", op, operand) for op, operand, _ in OPERATOR_CASES]
    amount_rules += [
        rule("null share <= 10%", "nullValues", "mustBeLessOrEqualTo", 10, unit="percent"),
        rule("null share < 10%", "nullValues", "mustBeLessThan", 10, unit="percent"),
    ]
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "orders-test",
        "version": "1.0.0",
        "status": "active",
        "servers": servers,
        "schema": [
            {
                "name": "orders",
                "physicalName": "orders",
                "logicalType": "object",
                "properties": [
                    {
                        "name": "id",
                        "logicalType": "integer",
                        "required": True,
                        "unique": True,
                        "primaryKey": True,
                        "primaryKeyPosition": 1,
                    },
                    {
                        "name": "code",
                        "logicalType": "string",
                        "primaryKey": True,
                        "primaryKeyPosition": 2,
                        "logicalTypeOptions": {"minLength": 3, "maxLength": 3, "pattern": "^A-"},
                        "quality": [
                            rule("code duplicates = 1", "duplicateValues", "mustBe", 1),
                            rule("code duplicates = 0", "duplicateValues", "mustBe", 0),
                        ],
                    },
                    {
                        "name": "amount",
                        "logicalType": "number",
                        "required": True,
                        "logicalTypeOptions": {"minimum": 0, "maximum": 100},
                        "quality": amount_rules,
                    },
                    {
                        "name": "email",
                        "logicalType": "string",
                        "classification": "restricted",
                        "quality": [
                            rule(
                                "missing = 3",
                                "missingValues",
                                "mustBe",
                                3,
                                arguments={"missingValues": [None, "unknown", "n/a"]},
                            ),
                            rule(
                                "missing < 3",
                                "missingValues",
                                "mustBeLessThan",
                                3,
                                arguments={"missingValues": [None, "unknown", "n/a"]},
                            ),
                            rule(
                                "bad emails = 3", "invalidValues", "mustBe", 3, arguments={"pattern": "^[^@]+@[^@]+$"}
                            ),
                        ],
                    },
                    {
                        "name": "category",
                        "logicalType": "string",
                        "quality": [
                            rule(
                                "categories valid",
                                "invalidValues",
                                "mustBe",
                                0,
                                arguments={"validValues": ["red", "blue", "green"]},
                            ),
                            rule(
                                "one bad category",
                                "invalidValues",
                                "mustBe",
                                1,
                                arguments={"validValues": ["red", "blue", "green"]},
                            ),
                            rule("category nulls 10%", "nullValues", "mustBe", 10, unit="percent"),
                        ],
                    },
                    {"name": "created", "logicalType": "timestamp", "required": True},
                    {"name": "region", "logicalType": "string", "logicalTypeOptions": {"maxLength": 4}},
                    {
                        "name": "seq",
                        "logicalType": "integer",
                        "unique": True,
                        "logicalTypeOptions": {"exclusiveMinimum": 1, "exclusiveMaximum": 9},
                    },
                ],
                "quality": [
                    rule("rows between 5 and 20", "rowCount", "mustBeBetween", [5, 20]),
                    rule("more than 10 rows", "rowCount", "mustBeGreaterThan", 10),
                    rule(
                        "region+category duplicates",
                        "duplicateValues",
                        "mustBe",
                        2,
                        arguments={"properties": ["region", "category"]},
                    ),
                    rule(
                        "region+category duplicates share",
                        "duplicateValues",
                        "mustBeLessOrEqualTo",
                        20,
                        unit="percent",
                        arguments={"properties": ["region", "category"]},
                    ),
                    {
                        "name": "big orders",
                        "type": "sql",
                        "query": 'SELECT COUNT(*) FROM ${object} WHERE "amount" > 45',
                        "mustBe": 4,
                    },
                    {
                        "name": "big orders wrong",
                        "type": "sql",
                        "query": 'SELECT COUNT(*) FROM ${object} WHERE "amount" > 45',
                        "mustBeLessThan": 4,
                    },
                ],
            }
        ],
        "slaProperties": [
            {"property": "latency", "value": 2, "unit": "h", "element": "orders.created"},
            {"property": "freshness", "value": 30, "unit": "m", "element": "orders.created"},
        ],
    }


EXPECTED = {
    # (property or None, check) -> (passed, observed)
    (None, "row count"): (True, "10"),
    (None, "rows between 5 and 20"): (True, "10"),
    (None, "more than 10 rows"): (False, "10"),
    # id is required and part of the primary key: one not-null check, which covers `required`.
    ("id", "unique"): (True, "0"),
    ("code", "minLength 3"): (True, "0"),
    ("code", "maxLength 3"): (False, "1"),
    ("code", "pattern"): (False, "1"),
    ("code", "code duplicates = 1"): (True, "1"),
    ("code", "code duplicates = 0"): (False, "1"),
    ("amount", "required"): (False, "1"),
    ("amount", "minimum 0"): (False, "1"),
    ("amount", "maximum 100"): (False, "1"),
    ("amount", "null share <= 10%"): (True, "10 %"),
    ("amount", "null share < 10%"): (False, "10 %"),
    ("email", "missing = 3"): (True, "3"),
    ("email", "missing < 3"): (False, "3"),
    ("email", "bad emails = 3"): (True, "3"),
    ("category", "categories valid"): (False, "1"),
    ("category", "one bad category"): (True, "1"),
    ("category", "category nulls 10%"): (True, "10 %"),
    ("created", "required"): (True, "0"),
    ("region", "maxLength 4"): (True, "0"),
    ("seq", "unique"): (False, "1"),
    ("seq", "exclusiveMinimum 1"): (False, "1"),
    ("seq", "exclusiveMaximum 9"): (False, "2"),
    ("id", "primary key (id, code) not null"): (True, "0"),
    ("code", "primary key (id, code) not null"): (True, "0"),
    (None, "primary key (id, code) unique"): (True, "0"),
    (None, "region+category duplicates"): (True, "2"),
    (None, "region+category duplicates share"): (True, "20 %"),
    (None, "big orders"): (True, "4"),
    (None, "big orders wrong"): (False, "4"),
}
#: Rules that say "no null amount", as `required` does: one check, the `required` one, stands for them.
ZERO_NULLS = [("mustBe", 0), ("mustBeLessThan", 1), ("mustBeLessOrEqualTo", 0)]
EXPECTED.update(
    {
        ("amount", f"nulls {op} {operand}"): (ok, "1")
        for op, operand, ok in OPERATOR_CASES
        if (op, operand) not in ZERO_NULLS
    }
)


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The orders as Parquet, in a repository of their own (``write_contract`` puts contracts there)."""
    repository = tmp_path_factory.mktemp("repository")
    (repository / ".git").mkdir()
    (repository / "data").mkdir()
    path = repository / "data" / "orders.parquet"
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE orders ({COLUMNS})")
    connection.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ROWS)
    connection.execute(f"COPY orders TO '{path}' (FORMAT parquet)")
    return path


@pytest.fixture(scope="module")
def pg_server(postgres) -> dict[str, Any]:
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute("DROP SCHEMA IF EXISTS shop CASCADE")
        connection.execute("CREATE SCHEMA shop")
        connection.execute(f"CREATE TABLE shop.orders ({PG_COLUMNS})")
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO shop.orders VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", ROWS)
    return {
        "server": "warehouse",
        "type": "postgres",
        "environment": "prod",
        "host": postgres["host"],
        "port": postgres["port"],
        "database": "postgres",
        "schema": "shop",
    }


@pytest.fixture
def pg_env(postgres, monkeypatch):
    monkeypatch.setenv("PGUSER", str(postgres["user"]))


def repository_of(location: str) -> Path | None:
    """The repository (a directory holding .git) of an absolute local path, if any."""
    return next((parent for parent in Path(location).parents if (parent / ".git").exists()), None)


def write_contract(directory: Path, servers: list[dict[str, Any]]) -> Path:
    """The contract, written in ``directory``, or in the repository of the files its servers name.

    A server's path must stay inside the contract's repository, so a contract about the
    shared Parquet file lives in that file's repository (in a folder named after
    ``directory``), as a real contract lives beside its data.
    """
    home = directory
    for server in servers:
        location = str(server.get("path") or "")
        repository = repository_of(location) if Path(location).is_absolute() else None
        if repository is not None and not Path(location).is_relative_to(directory):
            home = repository / "contracts" / directory.name
    home.mkdir(parents=True, exist_ok=True)
    path = home / "orders.odcs.yaml"
    path.write_text(yaml.safe_dump(contract(servers), sort_keys=False), encoding="utf-8")
    return path


def comparable(results, samples: bool = True) -> list[tuple]:
    """What must agree between engines: every verdict, count and (optionally) sample.

    Engines name column types differently, so a logicalType check's observed type is
    left out, and SLA and schema checks depend on the engine's reader, not the data.
    """
    return [
        (r.object, r.property, r.check, r.passed, None if r.rule == "logicalType" else r.observed, r.failed_rows)
        + ((r.samples,) if samples else ())
        for r in results
        if r.rule not in ("sla", "schema")
    ]


def found_result(results, prop: str | None, check: str):
    return next(r for r in results if (r.property, r.check) == (prop, check))


def verdicts(results) -> dict[tuple[str | None, str], tuple[bool | None, str | None]]:
    return {(r.property, r.check): (r.passed, r.observed) for r in results}


def test_every_metric_and_operator_on_parquet(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    results = check_contract(write_contract(tmp_path, [server]))
    found = verdicts(results)
    for key, expected in EXPECTED.items():
        assert found[key] == expected, key
    assert found[("created", "freshness (latency 2 h)")][0] is True
    assert found[("created", "freshness (freshness 30 m)")][0] is False
    assert found[("amount", "logicalType number")] == (True, "DOUBLE")
    assert all(r.line for r in results)
    covering = {(r.property, r.check): [c.split(" (line ")[0] for c in r.covers] for r in results if r.covers}
    zero_nulls = [
        f"nullValues 'nulls {op} {operand}'" for op, operand, _ in OPERATOR_CASES if (op, operand) in ZERO_NULLS
    ]
    assert covering == {("id", "primary key (id, code) not null"): ["required"], ("amount", "required"): zero_nulls}
    assert all("(line " in c for c in found_result(results, "amount", "required").covers)


def test_parquet_and_postgres_agree(parquet_file, pg_server, pg_env, tmp_path):
    files = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    path = write_contract(tmp_path, [files, pg_server])
    on_files = check_contract(path, "files")
    on_postgres = check_contract(path, "warehouse")

    assert comparable(on_postgres) == comparable(on_files)
    found = verdicts(on_postgres)
    for key, expected in EXPECTED.items():
        assert found[key] == expected, key
    assert found[("amount", "logicalType number")] == (True, "double precision")


def test_samples_show_failing_rows_without_protected_columns(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    results = {(r.property, r.check): r for r in check_contract(write_contract(tmp_path, [server]), sample_size=3)}
    amount = results[("amount", "minimum 0")]
    assert amount.samples == [
        {
            "id": 3,
            "code": "A-3",
            "amount": -5.0,
            "category": "green",
            "created": (NOW - timedelta(hours=7)).isoformat(),
            "region": "us",
            "seq": 3,
        }
    ]
    assert all("email" not in sample for r in results.values() for sample in r.samples)
    duplicates = results[("code", "code duplicates = 0")]
    assert duplicates.samples == [{"code": "A-6", "rows": 2}]
    assert results[("email", "missing < 3")].samples and "email" not in results[("email", "missing < 3")].samples[0]


def csv_contract(tmp_path: Path, csv_text: str, properties: list[dict[str, Any]]) -> Path:
    (tmp_path / "data.csv").write_text(csv_text, encoding="utf-8")
    data = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "csv-test",
        "version": "1.0.0",
        "status": "active",
        "servers": [
            {"server": "ci", "type": "local", "format": "csv", "path": str(tmp_path / "data.csv"), "environment": "ci"}
        ],
        "schema": [
            {"name": "data", "properties": properties, "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}]}
        ],
    }
    path = tmp_path / "data.odcs.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_csv_cast_failures_and_ragged_rows(tmp_path):
    text = "id,amount,day\n1,10,2026-01-01\n2,abc,2026-02-30\n3,7\n4,5,2026-03-01,extra\n5,6,2026-04-01\n"
    path = csv_contract(
        tmp_path,
        text,
        [
            {"name": "id", "logicalType": "integer", "required": True},
            {"name": "amount", "logicalType": "number"},
            {"name": "day", "logicalType": "date"},
            {"name": "missing_column", "logicalType": "string"},
        ],
    )
    found = verdicts(check_contract(path))
    assert found[(None, "well-formed rows")] == (False, "2")
    assert found[(None, "row count")] == (True, "3")
    assert found[("amount", "logicalType number")] == (False, "1")
    assert found[("day", "logicalType date")] == (False, "1")
    assert found[("missing_column", "column present")] == (False, "missing")


@pytest.mark.parametrize(
    ("name", "content", "failed_check"),
    [
        ("empty file", b"", ("id", "column present")),
        ("undecodable line", b"id\n1\n\xff\xfe\n2\n", (None, "well-formed rows")),
    ],
)
def test_unreadable_data_is_reported_as_violations(name, content, failed_check, tmp_path):
    path = csv_contract(tmp_path, "", [{"name": "id", "logicalType": "integer"}])
    (tmp_path / "data.csv").write_bytes(content)
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 1, result.output
    assert verdicts(check_contract(path))[failed_check][0] is False


def test_missing_data_file_and_unreachable_server(tmp_path, postgres):
    path = csv_contract(tmp_path, "id\n1\n", [{"name": "id", "logicalType": "integer"}])
    (tmp_path / "data.csv").unlink()
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 2 and "does not exist" in result.output and len(result.output.strip().splitlines()) == 1
    dead = {"server": "db", "type": "postgres", "host": "127.0.0.1", "port": 1, "database": "x", "schema": "public"}
    path = write_contract(tmp_path, [dead])
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 2 and "cannot connect to PostgreSQL at 127.0.0.1:1" in result.output


def test_cli_formats_and_exit_codes(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    path = write_contract(tmp_path, [server])
    result = CliRunner().invoke(main, ["contracts", "check", str(path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert {r["status"] for r in data["results"]} == {"passed", "failed"}
    junit = to_junit(check_contract(path))
    assert junit.startswith("<?xml") and "<failure" in junit
    out = tmp_path / "report.xml"
    result = CliRunner().invoke(main, ["contracts", "check", str(path), "--format", "junit", "--output", str(out)])
    assert result.exit_code == 1 and out.read_text().startswith("<?xml")
    result = CliRunner().invoke(main, ["contracts", "check", str(path), "--server", "nope"])
    assert result.exit_code == 2 and "no server 'nope'" in result.output


def test_generated_repository_contract_passes_on_its_sample(rendered):
    for name in ("support-assistant", "churn-model", "docs-assistant"):
        project = rendered[(name, "cookiecutter")].destination
        cwd = os.getcwd()
        os.chdir(project)
        try:
            result = CliRunner().invoke(main, ["contracts", "check"])
        finally:
            os.chdir(cwd)
        assert result.exit_code == 0, result.output
        assert "0 failed" in result.output and "skipped" in result.output


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.one_of(
        NAMES, st.sampled_from(["select", "order", "from", 'we"ird', "naïve name", "日本語", "a.b", "group by"])
    )
)
def test_any_column_name_works_in_duckdb_and_postgres(name, tmp_path_factory, postgres):
    directory = tmp_path_factory.mktemp("names")
    parquet = directory / "t.parquet"
    quoted = '"' + name.replace('"', '""') + '"'
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE t ({quoted} BIGINT)")
    connection.execute("INSERT INTO t VALUES (1), (2), (2), (NULL)")
    connection.execute(f"COPY t TO '{parquet}' (FORMAT parquet)")
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as pg:
        pg.execute("DROP TABLE IF EXISTS public.t")
        pg.execute(f"CREATE TABLE public.t ({quoted} BIGINT)")
        pg.execute("INSERT INTO public.t VALUES (1), (2), (2), (NULL)")
    servers = [
        {"server": "files", "type": "local", "format": "parquet", "path": str(parquet)},
        {
            "server": "pg",
            "type": "postgres",
            "host": postgres["host"],
            "port": postgres["port"],
            "database": "postgres",
            "schema": "public",
        },
    ]
    data = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "names",
        "version": "1.0.0",
        "status": "active",
        "servers": servers,
        "schema": [
            {
                "name": "t",
                "physicalName": "t",
                "properties": [{"name": name, "logicalType": "integer", "required": True, "unique": True}],
                "quality": [{"metric": "rowCount", "mustBe": 4}],
            }
        ],
    }
    path = directory / "names.odcs.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    os.environ["PGUSER"] = str(postgres["user"])
    for server in ("files", "pg"):
        found = verdicts(check_contract(path, server))
        assert found[(name, "required")] == (False, "1")
        assert found[(name, "unique")] == (False, "1")
        assert found[(None, "rowCount")] == (True, "4")


def test_infer_from_files_and_postgres_lints_and_passes(parquet_file, pg_server, pg_env, tmp_path, postgres):
    from prodready.contracts.lint import lint_contract

    sources = [
        [str(parquet_file)],
        [
            f"postgresql://{postgres['user']}@{postgres['host']}:{postgres['port']}/postgres?schema=shop",
            "--table",
            "orders",
        ],
    ]
    for index, arguments in enumerate(sources):
        output = tmp_path / f"inferred{index}.odcs.yaml"
        result = CliRunner().invoke(main, ["contracts", "infer", *arguments, "--name", "orders", "-o", str(output)])
        assert result.exit_code == 0, result.output
        assert [f for f in lint_contract(output) if f.severity == "error"] == []
        data = yaml.safe_load(output.read_text())
        props = {p["name"]: p for p in data["schema"][0]["properties"]}
        assert props["id"]["unique"] and props["id"]["required"] and props["id"]["logicalType"] == "integer"
        assert props["amount"]["logicalTypeOptions"] == {"minimum": -5.0, "maximum": 1000.0}
        assert props["email"]["classification"] == "restricted"
        assert props["region"]["quality"][0]["arguments"]["validValues"] == ["apac", "eu", "us"]
        assert data["schema"][0]["quality"] == [{"metric": "rowCount", "mustBeGreaterOrEqualTo": 5}]
        server = data["servers"][0]["server"]
        results = check_contract(output, server, allow_outside_paths=True)  # the extract is in another directory
        assert [r for r in results if r.passed is False] == [], [r for r in results if r.passed is False]


def test_infer_from_csv_round_trips(tmp_path):
    (tmp_path / "d.csv").write_text(
        "id,name,score,day\n1,ann,1.5,2026-01-01\n2,bob,2.5,2026-01-02\n3,ann,3.0,2026-01-03\n4,bob,0.5,2026-01-04\n",
        encoding="utf-8",
    )
    output = tmp_path / "d.odcs.yaml"
    result = CliRunner().invoke(main, ["contracts", "infer", str(tmp_path / "d.csv"), "-o", str(output)])
    assert result.exit_code == 0, result.output
    types = {p["name"]: p["logicalType"] for p in yaml.safe_load(output.read_text())["schema"][0]["properties"]}
    assert types == {"id": "integer", "name": "string", "score": "number", "day": "date"}
    assert all(r.passed is not False for r in check_contract(output))


def test_infer_bad_sources(tmp_path):
    result = CliRunner().invoke(main, ["contracts", "infer", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "cannot tell the format" in result.output
    result = CliRunner().invoke(main, ["contracts", "infer", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = CliRunner().invoke(main, ["contracts", "infer", "postgresql://nobody@127.0.0.1:1/x", "--table", "t"])
    assert result.exit_code == 2 and "cannot connect" in result.output


@pytest.mark.slow
def test_datacontract_cli_accepts_generated_and_inferred_contracts(rendered, parquet_file, tmp_path):
    """Interoperability: datacontract-cli (in its own tool environment) lints ours unchanged."""
    from .helpers import run, tool

    contracts = [
        next((rendered[(name, "cookiecutter")].destination / "contracts").glob("*.odcs.yaml"))
        for name in ("support-assistant", "churn-model", "docs-assistant")
    ]
    inferred = tmp_path / "inferred.odcs.yaml"
    assert CliRunner().invoke(main, ["contracts", "infer", str(parquet_file), "-o", str(inferred)]).exit_code == 0
    for path in [*contracts, inferred]:
        proc = run(
            [tool("uv"), "tool", "run", "--from", "datacontract-cli>=1.2", "datacontract", "lint", str(path)],
            timeout=600,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "valid" in proc.stdout.lower()


@pytest.mark.parametrize(
    ("engine_type", "dialect", "logical"),
    [
        ("BIGINT", "duckdb", "integer"),
        ("smallint", "postgres", "integer"),
        ("DECIMAL(18,3)", "duckdb", "number"),
        ("double precision", "postgres", "number"),
        ("VARCHAR", "duckdb", "string"),
        ("character varying", "postgres", "string"),
        ("BOOLEAN", "duckdb", "boolean"),
        ("DATE", "duckdb", "date"),
        ("TIMESTAMP WITH TIME ZONE", "duckdb", "timestamp"),
        ("timestamp without time zone", "postgres", "timestamp"),
        ("time without time zone", "postgres", "time"),
        ("INTEGER[]", "duckdb", "array"),
        ("array<int>", "spark", "array"),
        ("STRUCT(a INTEGER)", "duckdb", "object"),
        ("map<string,int>", "spark", "object"),
        ("jsonb", "postgres", "object"),
    ],
)
def test_engine_types_are_read_as_trees_of_every_dialect(engine_type, dialect, logical):
    kind = parse_type(engine_type, dialect)
    assert kind.kind == logical
    assert conforms(kind, logical)


def test_type_conformance_is_structural():
    assert conforms(parse_type("BIGINT"), "number") and not conforms(parse_type("DOUBLE"), "integer")
    assert not conforms(parse_type("TIMESTAMP"), "date") and not conforms(parse_type("TIMESTAMP"), "time")
    assert not conforms(parse_type("INTEGER[]"), "integer") and not conforms(parse_type("VARCHAR"), "integer")
    assert not conforms(parse_type("STRUCT(a INTEGER)"), "integer")  # no substring match
    blob = parse_type("BLOB")  # ODCS has no binary type: a string of format binary
    assert blob.kind == "binary" and conforms(blob, "string", string_format="binary") and not conforms(blob, "string")


def test_json_report_has_every_field_and_the_status(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    results = check_contract(write_contract(tmp_path, [server]))
    data = json.loads(to_json(results))
    assert len(data["results"]) == len(results)
    assert data["results"][0] == asdict(results[0]) | {"status": results[0].status}


# -- protected values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "protected"),
    [
        ({"classification": "restricted"}, True),
        ({"classification": "Confidential "}, True),
        ({"classification": "PHI"}, True),
        ({"classification": "Highly Confidential"}, True),
        ({"classification": "pii_data"}, True),
        ({"classification": "SENSITIVE-personal"}, True),
        ({"classification": "secret"}, True),
        ({"classification": "gold"}, True),  # unknown: when in doubt, protected
        ({"classification": 3}, True),  # not text: a doubt
        ({"classification": "public"}, False),
        ({"classification": " Internal "}, False),
        ({"classification": "unclassified"}, False),
        ({}, False),
        ({"classification": ""}, False),
        ({"tags": ["Personal Data"]}, True),
        ({"tags": ["PII"]}, True),
        ({"tags": ["gdpr"]}, True),
        ({"tags": ["finance", "sensitive"]}, True),
        ({"tags": "pii"}, True),  # not a list: a doubt
        ({"tags": ["finance", "philosophy"]}, False),
        ({"classification": "public", "tags": ["orders"]}, False),
    ],
)
def test_one_rule_says_what_is_protected(prop, protected):
    assert is_protected(prop) is protected


def test_a_sql_rules_number_is_shown_only_when_it_reads_visible_columns(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    data = contract([server])
    data["schema"][0]["quality"] = [
        {"name": "visible", "type": "sql", "query": 'SELECT count(*) FROM ${object} WHERE "amount" > 45', "mustBe": 4},
        {"name": "email", "type": "sql", "query": "SELECT count(*) FROM ${object} WHERE email LIKE '%@%'", "mustBe": 6},
        {"name": "star", "type": "sql", "query": "SELECT max(id) FROM (SELECT * FROM ${object}) AS t", "mustBe": 10},
        {
            "name": "alias",
            "type": "sql",
            "query": "SELECT max(n) FROM (SELECT length(code) AS n FROM orders)",
            "mustBe": 4,
        },
        {"name": "row", "type": "sql", "query": "SELECT count(DISTINCT o) FROM ${object} AS o", "mustBe": 10},
    ]
    path = write_contract(tmp_path, [server])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = verdicts(check_contract(path))
    assert found[(None, "visible")] == (True, "4")
    assert found[(None, "alias")] == (True, "4")
    hidden = "hidden: computed from a protected column"
    assert found[(None, "email")] == (True, hidden)
    assert found[(None, "star")] == (True, hidden)
    assert found[(None, "row")] == (True, hidden)


def test_freshness_of_a_protected_timestamp_is_judged_not_shown(parquet_file, tmp_path):
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    data = contract([server])
    created = next(p for p in data["schema"][0]["properties"] if p["name"] == "created")
    created["classification"] = "confidential"
    path = write_contract(tmp_path, [server])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = verdicts(check_contract(path))
    assert found[("created", "freshness (latency 2 h)")] == (
        True,
        "newest row within latency 2 h (protected: not shown)",
    )
    assert found[("created", "freshness (freshness 30 m)")][0] is False
    assert str(NOW.year) not in found[("created", "freshness (freshness 30 m)")][1]


# -- wrong types: a finding or a one-line error, never a traceback ------------------------------------------

WRONG_VALUES = [
    5,
    "abc",
    None,
    True,
    [],
    {},
    [[1]],
    {"a": 1},
    {0: 1},
    float("nan"),
    float("inf"),
    -1,
    "${object}",
    datetime(2026, 1, 1, tzinfo=UTC).date(),
    b"binary",
]


def places(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a contract (each key of each mapping, each item of each list)."""
    found = [where] if where else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*where, index))
    return found


def test_every_place_holding_a_wrong_type_lints_and_checks_without_a_traceback(tmp_path):
    """Each place of a CSV contract, given each wrong value: lint gives findings, check a result or an InputError."""
    from prodready.contracts.lint import lint_contract

    (tmp_path / "orders.csv").write_text("id,code,amount\n1,A-1,10\n2,A-2,x\n", encoding="utf-8")
    base = contract([{"server": "ci", "type": "local", "format": "csv", "path": "orders.csv"}])
    base["schema"][0]["properties"] = base["schema"][0]["properties"][:3]
    base["schema"][0]["quality"] = base["schema"][0]["quality"][:1] + base["schema"][0]["quality"][-1:]
    base["schema"][0]["properties"][2]["quality"] = base["schema"][0]["properties"][2]["quality"][:2]
    path = tmp_path / "orders.odcs.yaml"
    checked = 0
    for where in places(base):
        for value in WRONG_VALUES:
            data = copy.deepcopy(base)
            target = data
            for key in where[:-1]:
                target = target[key]
            target[where[-1]] = value
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            findings = lint_contract(path)
            assert all(isinstance(f.message, str) and "\n" not in f.message for f in findings)
            if any(f.severity == "error" for f in findings):
                with pytest.raises(InputError):
                    check_contract(path)
                continue
            with contextlib.suppress(InputError):
                check_contract(path)
            checked += 1
    assert checked  # some wrong values are harmless (a name of 5 is a name) and are checked


# -- one failure per defect, and rows found by their primary key ------------------------------------

CUSTOMERS = "id,name,email\n1,a,a@x.org\n2,b,b@x.org\n3,c,b@x.org\n4,d,\n5,e,z@x.org\n6,f,z@x.org\n7,g,z@x.org\n"
CUSTOMER_ROWS = [tuple(line.split(",")) for line in CUSTOMERS.splitlines()[1:]]


def customers(servers: list[dict[str, Any]], email: dict[str, Any], **key: Any) -> dict[str, Any]:
    """Customers keyed by id (or as ``key`` says), with a restricted email that must be present and unique."""
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "customers",
        "version": "1.0.0",
        "status": "active",
        "servers": servers,
        "schema": [
            {
                "name": "customers",
                "physicalName": "customers",
                "properties": [
                    {"name": "id", "logicalType": "integer", "primaryKey": True, **key},
                    {"name": "name", "logicalType": "string"},
                    {"name": "email", "logicalType": "string", "classification": "restricted", **email},
                ],
                "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
            }
        ],
    }


def test_a_duplicate_key_is_one_failure_not_three(tmp_path):
    """primaryKey, unique and a zero duplicateValues rule are one check; so are primaryKey, required and nullValues."""
    (tmp_path / "customers.csv").write_text("id,name\n1,a\n2,b\n2,c\n,d\n", encoding="utf-8")
    server = {"server": "ci", "type": "local", "format": "csv", "path": "customers.csv", "environment": "prod"}
    data = customers([server], {}, required=True, unique=True)
    data["schema"][0]["properties"] = data["schema"][0]["properties"][:2]
    data["schema"][0]["properties"][0]["quality"] = [
        {"metric": "duplicateValues", "mustBe": 0},
        {"name": "no null ids", "metric": "nullValues", "mustBeLessThan": 1},
        {"name": "at most 5 duplicates", "metric": "duplicateValues", "mustBeLessOrEqualTo": 5},
        {"name": "no null share", "metric": "nullValues", "mustBe": 0, "unit": "percent"},
    ]
    path = tmp_path / "customers.odcs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert len(failures) == 2, result.output  # a null key and a duplicated key: two defects
    assert "primary key (id) not null [also required, nullValues 'no null ids' (line " in failures[0]
    assert "nullValues 'no null share' (line " in failures[0]
    assert "primary key (id) unique [also unique, duplicateValues (line " in failures[1]
    found = verdicts(check_contract(path))
    assert found[("id", "primary key (id) not null")] == (False, "1")
    assert found[("id", "primary key (id) unique")] == (False, "1")
    assert found[("id", "at most 5 duplicates")] == (True, "1")  # another tolerance: another check
    assert not {("id", "required"), ("id", "unique"), ("id", "no null ids"), ("id", "no null share")} & set(found)
    junit = to_junit(check_contract(path))
    assert junit.count("<failure") == 2 and "[also unique, duplicateValues (line " in junit


def test_a_composite_key_is_one_uniqueness_check_in_any_column_order(tmp_path):
    (tmp_path / "customers.csv").write_text("id,name\n1,a\n1,a\n1,b\n", encoding="utf-8")
    server = {"server": "ci", "type": "local", "format": "csv", "path": "customers.csv", "environment": "prod"}
    data = customers([server], {})
    properties = data["schema"][0]["properties"] = data["schema"][0]["properties"][:2]
    properties[1].update(primaryKey=True, unique=True)  # unique alone is another check: 2 duplicate names
    data["schema"][0]["quality"].append(
        {"name": "pairs", "metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["name", "id"]}}
    )
    path = tmp_path / "customers.odcs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    results = check_contract(path)
    failed = {(r.property, r.check): r.observed for r in results if r.passed is False}
    assert failed == {(None, "primary key (id, name) unique"): "1", ("name", "unique"): "1"}
    key = found_result(results, None, "primary key (id, name) unique")
    assert len(key.covers) == 1 and key.covers[0].startswith("duplicateValues 'pairs' (line ")


@pytest.mark.parametrize(
    ("operator", "operand", "unit", "zero"),
    [
        ("mustBe", 0, "rows", True),
        ("mustBeLessOrEqualTo", 0, "percent", True),
        ("mustBeLessThan", 1, "rows", True),
        ("mustBeLessThan", 1, "percent", False),  # 0.5 % of the rows is allowed
        ("mustBeLessOrEqualTo", 0.5, "rows", True),
        ("mustBeBetween", [0, 0], "percent", True),
        ("mustBeBetween", [0, 1], "rows", False),
        ("mustNotBeBetween", [1, 5], "rows", False),  # 6 rows pass
        ("mustNotBe", 1, "rows", False),
        ("mustBeGreaterOrEqualTo", 0, "rows", False),
        ("mustBe", 0, "value", False),  # a measure, not a count of violating rows
    ],
)
def test_zero_tolerance_whatever_its_spelling(operator, operand, unit, zero):
    from prodready.contracts.model import Threshold

    assert Threshold(operator, operand).allows_none(unit) is zero


def protected_results(path: Path, server: str | None = None) -> dict[tuple[str | None, str], Any]:
    return {(r.property, r.check): r for r in check_contract(path, server)}


def assert_rows_found_by_primary_key(results: dict[tuple[str | None, str], Any], id_type: type) -> None:
    unique = results[("email", "unique")]
    assert (unique.passed, unique.observed) == (False, "3")
    ids = [[{"id": id_type(i)} for i in group] for group in ([2, 3], [5, 6, 7])]
    assert unique.samples == [
        {"rows": 2, "primary keys": ids[0]},
        {"rows": 3, "primary keys": ids[1]},
    ]
    required = results[("email", "required")]
    assert required.passed is False and required.samples == [{"id": id_type(4), "name": "d"}]
    assert list(required.samples[0]) == ["id", "name"]  # the primary key first, the email never
    shown = json.dumps([asdict(r) for r in results.values()])
    assert "x.org" not in shown


def test_protected_failures_show_the_rows_primary_key_on_csv(tmp_path):
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    server = {"server": "ci", "type": "local", "format": "csv", "path": "customers.csv", "environment": "prod"}
    path = tmp_path / "customers.odcs.yaml"
    path.write_text(yaml.safe_dump(customers([server], {"required": True, "unique": True})), encoding="utf-8")
    assert_rows_found_by_primary_key(protected_results(path), str)  # CSV values are text
    result = CliRunner().invoke(main, ["contracts", "check", str(path)])
    assert "sample: {'rows': 2, 'primary keys': [{'id': '2'}, {'id': '3'}]}" in result.output
    assert "x.org" not in result.output

    # A protected primary key cannot find the rows: no sample, and the report says why.
    protected_key = customers([server], {"unique": True}, classification="confidential")
    path.write_text(yaml.safe_dump(protected_key), encoding="utf-8")
    unique = protected_results(path)[("email", "unique")]
    assert unique.passed is False and unique.samples == []
    assert "no visible primary key" in unique.message


def test_protected_failures_show_the_rows_primary_key_on_postgres(postgres, pg_env, tmp_path):
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute("DROP SCHEMA IF EXISTS crm CASCADE")
        connection.execute("CREATE SCHEMA crm")
        connection.execute("CREATE TABLE crm.customers (id BIGINT, name TEXT, email TEXT)")
        with connection.cursor() as cursor:
            rows = [(int(i), name, email or None) for i, name, email in CUSTOMER_ROWS]
            cursor.executemany("INSERT INTO crm.customers VALUES (%s, %s, %s)", rows)
    server = {
        "server": "warehouse",
        "type": "postgres",
        "environment": "prod",
        "host": postgres["host"],
        "port": postgres["port"],
        "database": "postgres",
        "schema": "crm",
    }
    path = tmp_path / "customers.odcs.yaml"
    path.write_text(yaml.safe_dump(customers([server], {"required": True, "unique": True})), encoding="utf-8")
    assert_rows_found_by_primary_key(protected_results(path), int)


def test_a_wrong_logical_type_lists_the_accepted_ones(tmp_path):
    from prodready.contracts.lint import lint_contract, logical_types

    data = customers([{"server": "ci", "type": "local", "format": "csv", "path": "c.csv"}], {"logicalType": "text"})
    data["schema"][0]["logicalType"] = "table"
    path = tmp_path / "customers.odcs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    messages = [f.message for f in lint_contract(path) if f.rule == "ODCS001"]
    accepted = "string, date, timestamp, time, number, integer, object, array, boolean"
    assert logical_types(["schema", 0, "properties", 2, "logicalType"]) == accepted.split(", ")
    assert f'schema/0/properties/2/logicalType: "text" is not a logicalType of ODCS v3.1.0; use one of: {accepted}' in (
        messages
    )
    objects = ", ".join(logical_types(["schema", 0, "logicalType"]))
    assert f'schema/0/logicalType: "table" is not a logicalType of ODCS v3.1.0; use one of: {objects}' in messages
    assert "object" in objects and not any("other candidates" in m for m in messages)
