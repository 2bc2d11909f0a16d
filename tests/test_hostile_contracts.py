"""Contracts and data written by an attacker, run through the real command line.

Contracts and their data come from other teams and run in CI. Every case here runs
``prodready contracts lint`` or ``check`` in a subprocess (``tests/hostile.py``: memory
cap, timeout, a secret planted in the data and outside the repository) and asserts
that nothing escapes: no traceback, no secret in any output or written file, nothing
written outside, and, on PostgreSQL, no row, table, file or command changed, whether
the check connects as the table's owner (a superuser) or as a role that may only
SELECT the table.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from .hostile import SECRET, Case, Outcome, run_case

CONTRACT = "people.odcs.yaml"
#: The newest timestamp of a restricted column: never printed, not even by freshness.
NEWEST = "2021-03-04 05:06:07"
PEOPLE_CSV = f"id,email,note,seen_at\n1,{SECRET},{SECRET},{NEWEST}\n-2,b@x.org,{SECRET},2020-01-01 00:00:00\n"
FILES_SERVER = {"server": "files", "type": "local", "format": "csv", "path": "people.csv", "environment": "prod"}

LINT = ["contracts", "lint", CONTRACT]
CHECK = ["contracts", "check", CONTRACT]


def contract(
    server: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
    note: str = "restricted",
    sla: bool = False,
) -> dict[str, Any]:
    """A contract of ``people``: id fails ``minimum 0`` on one row, so samples are shown."""
    data: dict[str, Any] = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "people",
        "version": "1.0.0",
        "status": "active",
        "servers": [server or FILES_SERVER],
        "schema": [
            {
                "name": "people",
                "physicalName": "people",
                "properties": [
                    {"name": "id", "logicalType": "integer", "logicalTypeOptions": {"minimum": 0}},
                    {"name": "email", "logicalType": "string", "classification": "restricted"},
                    {"name": "note", "logicalType": "string", "classification": note},
                    {"name": "seen_at", "logicalType": "timestamp", "classification": "restricted"},
                ],
                "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}, *(rules or [])],
            }
        ],
    }
    if sla:
        data["slaProperties"] = [{"property": "latency", "value": 1, "unit": "d", "element": "people.seen_at"}]
    return data


def sql_rule(query: Any, **extra: Any) -> dict[str, Any]:
    return {"name": "hostile", "type": "sql", "query": query, "mustBe": 0, **extra}


def files(data: dict[str, Any] | str, **more: str | bytes) -> dict[str, str | bytes]:
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return {CONTRACT: text, "people.csv": PEOPLE_CSV, **more}


def nothing_new(sandbox: Path, *names: str) -> Callable[[], None]:
    def after() -> None:
        made = [name for name in names if (sandbox / name).exists()]
        assert not made, f"the rule wrote {made}"

    return after


# -- SQL rules on DuckDB ---------------------------------------------------------------------

DUCKDB_ATTACKS = {
    "copy-to-file": "COPY (SELECT * FROM ${object}) TO 'leak.csv'",
    "copy-in-a-string": "SELECT 0; COPY (SELECT * FROM ${object}) TO 'leak.csv'",
    "attach-and-create": "ATTACH 'evil.db' AS evil; CREATE TABLE evil.t AS SELECT * FROM ${object}; SELECT 0",
    "attach": "ATTACH 'evil.db' AS evil",
    "read-text": "SELECT content FROM read_text('../outside/secret.txt')",
    "read-text-scalar": "SELECT length(content) FROM read_text('/etc/passwd')",
    "glob": "SELECT count(*) FROM glob('../outside/*')",
    "read-csv-in-a-cte": "WITH s AS (SELECT * FROM read_csv('../outside/secret.csv')) SELECT email FROM s",
    "file-as-a-table": "SELECT email FROM '../outside/secret.csv'",
    "another-table": "SELECT count(*) FROM ${object} WHERE id IN (SELECT 1 FROM duckdb_settings())",
    "pragma": "PRAGMA database_list",
    "set": "SET enable_external_access = true",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "call": "CALL pragma_version()",
    "comment-hides-a-statement": "SELECT count(*) FROM ${object} -- x\n; COPY (SELECT 1) TO 'leak.csv'",
}


@pytest.mark.parametrize("command", ["lint", "check"])
@pytest.mark.parametrize("attack", DUCKDB_ATTACKS)
def test_sql_rule_attacks_on_duckdb_are_refused(attack, command, tmp_path):
    sandbox = tmp_path / "sandbox"
    case = Case(
        f"duckdb-{attack}-{command}",
        files(contract(rules=[sql_rule(DUCKDB_ATTACKS[attack])])),
        LINT if command == "lint" else CHECK,
        exits=(1,) if command == "lint" else (2,),
        says="ODCS007",
        after=nothing_new(sandbox, "leak.csv", "evil.db", "evil.db.wal"),
    )
    outcome = run_case(tmp_path, case)
    assert len(outcome.output.strip().splitlines()) <= 2, outcome.output


# -- protected values --------------------------------------------------------------------------


def test_a_non_numeric_result_is_never_echoed(tmp_path):
    rule = sql_rule("SELECT string_agg(email, ';') FROM ${object}")
    outcome = run_case(tmp_path, Case("string-agg", files(contract(rules=[rule])), CHECK, exits=(1,)))
    assert "not a number" in outcome.output


def test_a_number_computed_from_a_protected_column_is_not_shown(tmp_path):
    rule = sql_rule("SELECT max(ascii(email)) FROM ${object}")
    outcome = run_case(tmp_path, Case("ascii", files(contract(rules=[rule])), CHECK, exits=(1,)))
    line = next(line for line in outcome.output.splitlines() if "hostile" in line)
    assert str(ord(SECRET[0])) not in line and "protected" in line


def rule_line(outcome: Outcome) -> str:
    """The report's line of the failed rule, after checking that the others still ran beside it."""
    assert "ok   people: rowCount (expected rows > 0, observed 2)" in outcome.output, outcome.output
    return next(line for line in outcome.output.splitlines() if "people: hostile" in line)


def test_a_cast_error_does_not_quote_the_value(tmp_path):
    rule = sql_rule("SELECT count(*) FROM ${object} WHERE CAST(email AS INTEGER) > 0")
    outcome = run_case(tmp_path, Case("cast-in-rule", files(contract(rules=[rule])), CHECK, exits=(1,)))
    line = rule_line(outcome)
    assert line.startswith("FAIL") and "cannot be converted" in line and "email" in line


ERROR_LEAKS = {
    "error-function": "SELECT count(*) FROM ${object} WHERE error(email) IS NULL",
    "value-spelling-a-column": (
        "SELECT count(*) FROM ${object} WHERE CAST(email || ' when casting from source column ' || email AS INTEGER) > 0"
    ),
    "regexp-of-a-value": "SELECT count(*) FROM ${object} WHERE regexp_matches(id, '(' || email)",
}


@pytest.mark.parametrize("leak", ERROR_LEAKS)
def test_an_error_message_does_not_quote_a_protected_value(leak, tmp_path):
    case = Case(f"error-{leak}", files(contract(rules=[sql_rule(ERROR_LEAKS[leak])])), CHECK, exits=(1,))
    line = rule_line(run_case(tmp_path, case))
    assert line.startswith("FAIL") and "withheld" in line


def test_a_typed_source_whose_column_is_not_the_declared_type_does_not_quote_it(tmp_path):
    """A JSON column of text declared integer with validValues: no implicit cast of the text."""
    data = contract(server={"server": "files", "type": "local", "format": "json", "path": "people.json"})
    data["schema"][0]["properties"][1].update(
        logicalType="integer",
        logicalTypeOptions={"minimum": 0},
        quality=[{"metric": "invalidValues", "arguments": {"validValues": [1, 2]}, "mustBe": 0}],
    )
    rows = f'{{"id": 1, "email": "{SECRET}", "note": "x", "seen_at": "{NEWEST}"}}\n'
    outcome = run_case(tmp_path, Case("typed-cast", files(data, **{"people.json": rows}), CHECK, exits=(1, 2)))
    assert "email" in outcome.output


def test_freshness_does_not_print_a_protected_timestamp(tmp_path):
    outcome = run_case(tmp_path, Case("freshness", files(contract(sla=True)), CHECK, exits=(1,)))
    assert "freshness" in outcome.output
    assert NEWEST[:10] not in outcome.output and NEWEST[11:] not in outcome.output


@pytest.mark.parametrize(
    "classification", ["Confidential ", "PHI", "Highly Confidential", " RESTRICTED", "pii_data", "Sensitive-PII"]
)
def test_classifications_are_matched_loosely(classification, tmp_path):
    outcome = run_case(
        tmp_path, Case(f"class-{classification}", files(contract(note=classification)), CHECK, exits=(1,))
    )
    assert "sample:" in outcome.output  # id fails minimum 0: samples shown, without note


@pytest.mark.parametrize(
    "personal", [{"tags": ["Personal Data"]}, {"name": "contactPhoneNumber", "physicalName": "note"}]
)
def test_personal_data_left_unclassified_is_a_warning_and_stays_hidden(personal, tmp_path):
    """Lint warns; check runs, and shows the failing rows without the column (the harness finds no secret)."""
    data = contract(note="public")
    data["schema"][0]["properties"][2].update(personal)
    outcome = run_case(tmp_path, Case("personal-lint", files(data), LINT, exits=(0,), says="warning ODCS004"))
    assert "looks like personal data" in outcome.output
    (tmp_path / "check").mkdir()
    outcome = run_case(tmp_path / "check", Case("personal-check", files(data), CHECK, exits=(1,)))
    assert "sample: {'id': '-2'}" in outcome.output, outcome.output


# -- paths out of the repository -----------------------------------------------------------------


def server_at(path: str, **extra: Any) -> dict[str, Any]:
    return {**FILES_SERVER, "path": path, **extra}


PATH_ESCAPES: dict[str, Callable[[Path], tuple[dict[str, Any], dict[str, str]]]] = {
    "parent": lambda tmp: (server_at("../outside/secret.csv"), {}),
    "absolute": lambda tmp: (server_at(str(tmp / "outside" / "secret.csv")), {}),
    "glob": lambda tmp: (server_at("../outside/*.csv"), {}),
    "file-url": lambda tmp: (server_at(f"file://{tmp / 'outside' / 'secret.csv'}"), {}),
    "symlinked-file": lambda tmp: (server_at("data.csv"), {"data.csv": "../outside/secret.csv"}),
    "symlinked-directory": lambda tmp: (server_at("data/secret.csv"), {"data": "../outside"}),
    "symlinked-glob": lambda tmp: (server_at("data/*.csv"), {"data": "../outside"}),
    "duckdb-database": lambda tmp: ({"server": "db", "type": "duckdb", "database": "../outside/secret.txt"}, {}),
    "sibling-directory": lambda tmp: (server_at("../sandbox2/people.csv"), {}),
}


@pytest.mark.parametrize("escape", PATH_ESCAPES)
def test_server_paths_stay_in_the_repository(escape, tmp_path):
    server, links = PATH_ESCAPES[escape](tmp_path)
    (tmp_path / "sandbox2").mkdir()
    (tmp_path / "sandbox2" / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    case = Case(f"path-{escape}", files(contract(server=server)), CHECK, exits=(2,), says="outside", links=links)
    outcome = run_case(tmp_path, case)
    assert len(outcome.output.strip().splitlines()) == 1, outcome.output


def test_the_repository_is_the_nearest_directory_holding_git(tmp_path):
    data = contract(server=server_at("../data/people.csv"))
    layout = {"contracts/" + CONTRACT: yaml.safe_dump(data), "data/people.csv": PEOPLE_CSV, ".git/HEAD": "ref\n"}
    command = ["contracts", "check", "contracts/" + CONTRACT]
    run_case(tmp_path, Case("git-root", layout, command, exits=(1,)))


def test_without_git_the_repository_is_the_contracts_directory(tmp_path):
    data = contract(server=server_at("../data/people.csv"))
    layout = {"contracts/" + CONTRACT: yaml.safe_dump(data), "data/people.csv": PEOPLE_CSV}
    command = ["contracts", "check", "contracts/" + CONTRACT]
    run_case(tmp_path, Case("no-git", layout, command, exits=(2,), says="outside"))


def test_an_explicit_option_reads_outside(tmp_path):
    case = Case(
        "allowed",
        files(contract(server=server_at("../outside/secret.csv"))),
        [*CHECK, "--allow-outside-paths"],
        exits=(0, 1),
    )
    outcome = run_case(tmp_path, case)
    assert "row count (expected rows read, observed 1)" in outcome.output


# -- wrong types ----------------------------------------------------------------------------------

NAN = float("nan")
#: (where, value): a place in the contract and the wrong value put there.
WRONG_TYPES: dict[str, tuple[list[Any], Any]] = {
    "tags-5": (["schema", 0, "properties", 1, "tags"], 5),
    "tags-of-lists": (["schema", 0, "properties", 1, "tags"], [[1]]),
    "servers-5": (["servers"], 5),
    "server-5": (["servers", 0], 5),
    "schema-5": (["schema"], 5),
    "properties-5": (["schema", 0, "properties"], 5),
    "property-a-string": (["schema", 0, "properties", 0], "id"),
    "property-name-5": (["schema", 0, "properties", 0, "name"], 5),
    "quality-5": (["schema", 0, "quality"], 5),
    "rule-a-string": (["schema", 0, "quality", 0], "rowCount > 0"),
    "mustBe-abc": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBe": "abc"}),
    "mustBe-true": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBe": True}),
    "mustBe-list": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBe": [1, 2]}),
    "mustBe-null": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBe": None}),
    "mustBe-nan": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBe": NAN}),
    "mustNotBe-inf": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustNotBe": float("inf")}),
    "sql-mustBe-abc": (["schema", 0, "quality", 0], {"type": "sql", "query": "SELECT 1", "mustBe": "abc"}),
    "mustBeGreaterThan-nan": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBeGreaterThan": NAN}),
    "mustBeBetween-nan": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBeBetween": [NAN, 1]}),
    "percent-nan": (
        ["schema", 0, "quality", 0],
        {"metric": "rowCount", "unit": "percent", "mustBeLessThan": float("-inf")},
    ),
    "minimum-nan": (["schema", 0, "properties", 0, "logicalTypeOptions", "minimum"], NAN),
    "minimum-abc": (["schema", 0, "properties", 0, "logicalTypeOptions", "minimum"], "abc"),
    "logicalTypeOptions-5": (["schema", 0, "properties", 0, "logicalTypeOptions"], 5),
    "classification-5": (["schema", 0, "properties", 1, "classification"], 5),
    "arguments-5": (["schema", 0, "quality", 0, "arguments"], 5),
    "duplicate-properties-5": (["schema", 0, "quality", 0, "arguments"], {"properties": 5}),
    "validValues-5": (["schema", 0, "quality", 0, "arguments"], {"validValues": 5}),
    "missingValues-5": (["schema", 0, "quality", 0, "arguments"], {"missingValues": 5}),
    "sql-query-5": (["schema", 0, "quality", 0], {"type": "sql", "query": 5, "mustBe": 0}),
    "sql-no-query": (["schema", 0, "quality", 0], {"type": "sql", "mustBe": 0}),
    "sla-5": (["slaProperties"], 5),
    "sla-value-true": (["slaProperties", 0, "value"], True),
    "sla-value-nan": (["slaProperties", 0, "value"], NAN),
    "sla-element-5": (["slaProperties", 0, "element"], 5),
    "top-level-list": ([], [1, 2]),
    "int-key": ([0], 1),
    "date-threshold": (["schema", 0, "quality", 0], {"metric": "rowCount", "mustBeGreaterThan": date(2026, 1, 1)}),
    "binary-name": (["schema", 0, "name"], b"people"),
    "set-of-tags": (["schema", 0, "properties", 1, "tags"], {"pii", "gdpr"}),
}


def mutated(where: list[Any], value: Any) -> dict[str, Any] | Any:
    data = contract(sla=True)
    data["schema"][0]["quality"][0] = {"metric": "rowCount", "mustBeGreaterThan": 0}
    if not where:
        return value
    node: Any = copy.deepcopy(data)
    target = node
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return node


@pytest.mark.parametrize("command", ["lint", "check"])
@pytest.mark.parametrize("name", WRONG_TYPES)
def test_wrong_types_are_findings_or_one_line_errors(name, command, tmp_path):
    where, value = WRONG_TYPES[name]
    case = Case(
        f"wrong-{name}-{command}",
        files(mutated(where, value)),
        LINT if command == "lint" else CHECK,
        exits=(1, 2) if command == "lint" else (2,),
    )
    outcome = run_case(tmp_path, case)
    if command == "check":
        assert len(outcome.output.strip().splitlines()) == 1, outcome.output


# -- PostgreSQL: as the owner and as a role that may only SELECT ----------------------------------------


@pytest.fixture(scope="module")
def pg(postgres) -> Iterator[dict[str, Any]]:
    """One database for the module: ``shop.people`` (the secret), ``shop.other``, and a SELECT-only role."""
    reader = f"reader_{uuid.uuid4().hex[:8]}"
    connect = {"host": postgres["host"], "port": postgres["port"], "user": postgres["user"], "autocommit": True}
    with psycopg.connect(dbname="postgres", **connect) as admin:
        admin.execute("DROP DATABASE IF EXISTS hostile")
        admin.execute("CREATE DATABASE hostile")
        admin.execute(f"CREATE ROLE {reader} LOGIN")
    with psycopg.connect(dbname="hostile", **connect) as db:
        db.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        db.execute("CREATE SCHEMA shop")
        db.execute("CREATE TABLE shop.people (id integer, email text, note text)")
        db.execute("INSERT INTO shop.people VALUES (1, %s, %s), (-2, 'b@x.org', 'ok')", (SECRET, SECRET))
        db.execute("CREATE TABLE shop.other (id integer)")
        db.execute("INSERT INTO shop.other VALUES (1)")
        db.execute(f"GRANT USAGE ON SCHEMA shop TO {reader}")
        db.execute(f"GRANT SELECT ON shop.people TO {reader}")
    server = {
        "server": "db",
        "type": "postgres",
        "host": postgres["host"],
        "port": postgres["port"],
        "database": "hostile",
        "schema": "shop",
        "environment": "prod",
    }
    yield {"server": server, "connect": connect, "roles": {"owner": postgres["user"], "reader": reader}}
    with psycopg.connect(dbname="postgres", **connect) as admin:
        admin.execute("DROP DATABASE IF EXISTS hostile WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {reader}")


def pg_state(pg: dict[str, Any]) -> dict[str, Any]:
    """What a check must never change: tables, their rows, large objects, settings."""
    with psycopg.connect(dbname="hostile", **pg["connect"]) as db:
        tables = db.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        ).fetchall()
        rows = {name: db.execute(f"SELECT count(*) FROM {name}").fetchone() for (name,) in tables}
        objects = db.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone()
        read_only = db.execute("SELECT setting FROM pg_settings WHERE name = 'default_transaction_read_only'")
        return {"tables": tables, "rows": rows, "large objects": objects, "read only": read_only.fetchone()}


PG_ATTACKS = {
    "commit-delete": "COMMIT; DELETE FROM ${object}; SELECT 0",
    "commit-drop": "COMMIT; DROP TABLE ${object}; SELECT 0",
    "copy-to-program": "COPY (SELECT * FROM ${object}) TO PROGRAM 'touch {marker}'",
    "copy-in-a-comment": "SELECT 0 -- x\n; COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
    "pg-read-file": "SELECT length(pg_read_file('/etc/passwd'))",
    "pg-ls-dir": "SELECT count(*) FROM pg_ls_dir('/')",
    "pg-sleep": "SELECT pg_sleep(200)",
    "delete-in-a-cte": "WITH d AS (DELETE FROM ${object} RETURNING *) SELECT count(*) FROM d",
    "another-table": "SELECT count(*) FROM ${object} WHERE id IN (SELECT id FROM other)",
    "catalog": "SELECT count(*) FROM pg_catalog.pg_authid",
    "set-config": "SELECT length(set_config('default_transaction_read_only', 'off', false))",
    "lo-import": "SELECT lo_import('/etc/passwd')",
    "query-to-xml": "SELECT length(query_to_xml('DELETE FROM shop.people RETURNING 1', true, true, ''))",
    "select-into": "SELECT * INTO copied FROM ${object}",
    "dblink": "SELECT count(*) FROM dblink('dbname=hostile', 'DELETE FROM shop.people') AS t(a text)",
}


@pytest.mark.parametrize("role", ["owner", "reader"])
@pytest.mark.parametrize("attack", PG_ATTACKS)
def test_sql_rule_attacks_on_postgres_are_refused(attack, role, pg, tmp_path):
    marker = Path("/tmp") / f"prodready-hostile-{uuid.uuid4().hex}"
    before = pg_state(pg)

    def unchanged() -> None:
        assert pg_state(pg) == before
        assert not marker.exists(), "a command ran on the server"

    rule = sql_rule(PG_ATTACKS[attack].replace("{marker}", str(marker)))
    case = Case(
        f"pg-{attack}-{role}",
        files(contract(server=pg["server"], rules=[rule])),
        CHECK,
        exits=(2,),
        says="ODCS007",
        after=unchanged,
        env={"PGUSER": pg["roles"][role]},
    )
    run_case(tmp_path, case)


@pytest.mark.parametrize("attack", PG_ATTACKS)
def test_sql_rule_attacks_on_postgres_are_lint_findings(attack, pg, tmp_path):
    rule = sql_rule(PG_ATTACKS[attack])
    case = Case(f"pg-lint-{attack}", files(contract(server=pg["server"], rules=[rule])), LINT, exits=(1,))
    assert "ODCS007" in run_case(tmp_path, case).output


def pg_people(pg: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
    """The people contract on PostgreSQL, whose table has no seen_at column."""
    people = contract(server=pg["server"], rules=[rule])
    people["schema"][0]["properties"].pop()
    return people


PG_LEAKS = {
    "string-agg": ("SELECT string_agg(email, ';') FROM ${object}", 1, "not a number"),
    # A rule that fails is a failed check of its own (exit 1), its message without the value.
    "cast": ("SELECT count(*) FROM ${object} WHERE CAST(email AS integer) > 0", 1, "cannot be converted"),
    "cast-to-date": ("SELECT count(*) FROM ${object} WHERE email::date > current_date", 1, "cannot be converted"),
    "regclass": ("SELECT count(*) FROM ${object} WHERE email::regclass IS NOT NULL", 1, "withheld"),
    "regexp": ("SELECT count(*) FROM ${object} WHERE note ~ ('(' || email)", 1, "withheld"),
}


@pytest.mark.parametrize("role", ["owner", "reader"])
@pytest.mark.parametrize("leak", PG_LEAKS)
def test_postgres_protected_values_stay_hidden(leak, role, pg, tmp_path):
    before = pg_state(pg)
    query, code, says = PG_LEAKS[leak]
    env = {"PGUSER": pg["roles"][role]}
    case = Case(f"pg-{leak}-{role}", files(pg_people(pg, sql_rule(query))), CHECK, exits=(code,), says=says, env=env)
    assert says in rule_line(run_case(tmp_path, case))
    assert pg_state(pg) == before


SLOW = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) SELECT count(*) FROM r"


@pytest.mark.parametrize("where", ["duckdb", "owner", "reader"])
def test_a_slow_rule_times_out_as_a_failure_of_its_own(where, pg, tmp_path):
    env = {"PRODREADY_STATEMENT_TIMEOUT": "1"}
    if where != "duckdb":
        env["PGUSER"] = pg["roles"][where]
    people = contract(rules=[sql_rule(SLOW)]) if where == "duckdb" else pg_people(pg, sql_rule(SLOW))
    outcome = run_case(tmp_path, Case(f"slow-{where}", files(people), CHECK, exits=(1,), env=env))
    line = rule_line(outcome)
    assert line.startswith("FAIL") and "'hostile'" in line and "PRODREADY_STATEMENT_TIMEOUT" in line
