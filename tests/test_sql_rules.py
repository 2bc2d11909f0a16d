"""A contract's ``sql`` rule is one read-only SELECT of the contract's own objects, or it is refused.

The rule is parsed with sqlglot in its server's dialect and accepted only as a single
query (WITH and UNION allowed) whose tables are the contract's objects (written
``${object}``, ``{object}``, or the object's name or physicalName) and its own CTEs: no
table functions, no statements beyond the one SELECT, no function that reads files,
sleeps, or reads or changes settings. What runs is rendered from the parsed tree, so a
comment or a string cannot smuggle a second statement past the check.
"""

from __future__ import annotations

import pytest
import yaml

from prodready.contracts.compile import rule_query
from prodready.contracts.lint import lint_contract
from prodready.contracts.run import check_contract
from prodready.data.sql import PLACEHOLDER, UnsafeSQL, read_only_query
from prodready.errors import InputError

OBJECTS = ("orders", "order_lines")

ACCEPTED = [
    'SELECT COUNT(*) FROM ${object} WHERE "amount" > 45',
    "SELECT COUNT(*) FROM {object}",
    "select count(*) from ${object} where amount > 45;",
    "SELECT count(*) FROM orders",
    'SELECT count(*) FROM "orders"',
    "SELECT count(*) FROM ORDERS",
    "SELECT count(*) FROM order_lines JOIN orders ON order_lines.id = orders.id",
    "WITH big AS (SELECT * FROM ${object} WHERE amount > 10) SELECT count(*) FROM big",
    "WITH a AS (SELECT id FROM ${object}), b AS (SELECT id FROM a) SELECT count(*) FROM b",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT max(n) FROM r",
    "SELECT count(*) FROM ${object} UNION ALL SELECT count(*) FROM ${object}",
    "SELECT count(*) FROM ${object} AS a JOIN ${object} AS b ON a.id = b.id AND a.amount <> b.amount",
    "SELECT count(*) FROM ${object} WHERE id IN (SELECT id FROM ${object} WHERE amount > 1)",
    "SELECT count(*) FROM ${object} -- a trailing comment",
    "/* leading */ SELECT count(*) FROM ${object}",
    "SELECT count(*) FROM ${object} WHERE ${property} IS NULL",
    "SELECT count(*) FROM ${object} WHERE code = 'COPY; DROP TABLE x; read_csv(''/etc/passwd'')'",
    "SELECT count(*) FROM (SELECT DISTINCT code FROM ${object}) AS codes",
    "SELECT count(*) FROM (VALUES (1), (2)) AS v(a)",
    "SELECT avg(amount) FILTER (WHERE amount > 0) FROM ${object}",
    "SELECT count(*) FROM ${object} WHERE regexp_matches(code, '^A-')",
]

REFUSED = [
    # more than one statement, however it is hidden
    ("SELECT * FROM ${object}; DROP TABLE x", "one statement"),
    ("SELECT count(*) FROM ${object} /* ; */; DROP TABLE x", "one statement"),
    ("SELECT count(*) FROM ${object} -- ok\n; DROP TABLE x", "one statement"),
    ("COMMIT; DELETE FROM orders; SELECT 0", "one statement"),
    ("SELECT 1; SELECT 2", "one statement"),
    # statements that are not a SELECT
    ("COPY (SELECT * FROM ${object}) TO 'file.csv'", "not a SELECT"),
    ("ATTACH 'evil.db' AS evil", "not a SELECT"),
    ("CREATE TABLE x AS SELECT * FROM ${object}", "not a SELECT"),
    ("INSERT INTO orders VALUES (1)", "not a SELECT"),
    ("UPDATE orders SET amount = 0", "not a SELECT"),
    ("DELETE FROM orders", "not a SELECT"),
    ("DROP TABLE orders", "not a SELECT"),
    ("PRAGMA database_list", "not a SELECT"),
    ("SET threads = 1", "not a SELECT"),
    ("INSTALL httpfs", "not a SELECT"),
    ("LOAD httpfs", "not a SELECT"),
    ("CALL pragma_version()", "not a SELECT"),
    ("EXPLAIN ANALYZE SELECT 1", "not a SELECT"),
    ("DESCRIBE orders", "not a SELECT"),
    ("SUMMARIZE orders", "not a SELECT"),
    ("CHECKPOINT", "not a SELECT"),
    ("COMMIT", "not a SELECT"),
    ("VALUES (1)", "not a SELECT"),
    ("", "empty"),
    ("-- nothing but a comment", "empty"),
    # statements inside a SELECT
    ("WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d", "DELETE"),
    ("SELECT * INTO copy_of_orders FROM ${object}", "INTO"),
    ("SELECT * FROM ${object} FOR UPDATE", "FOR UPDATE"),
    # tables that are not the contract's objects
    ("SELECT count(*) FROM ${object} WHERE id IN (SELECT id FROM other)", "'other'"),
    ("SELECT count(*) FROM pg_shadow", "'pg_shadow'"),
    ("SELECT count(*) FROM pg_catalog.pg_authid", "qualified"),
    ("SELECT count(*) FROM shop.orders", "qualified"),
    ("SELECT count(*) FROM information_schema.tables", "qualified"),
    ("SELECT count(*) FROM 'data.csv'", "'data.csv'"),
    ("SELECT count(*) FROM '../outside/secret.csv'", "'../outside/secret.csv'"),
    ('SELECT count(*) FROM "orders; DROP TABLE x"', "'orders; DROP TABLE x'"),
    ("SELECT (WITH pg_shadow AS (SELECT 1) SELECT 1), (SELECT count(*) FROM pg_shadow)", "'pg_shadow'"),
    ("SELECT count(*) FROM duckdb_settings()", "table function"),
    # table functions, however they are reached
    ("SELECT * FROM read_csv('/etc/passwd')", "table function"),
    ("SELECT count(*) FROM read_csv_auto('x.csv')", "table function"),
    ("SELECT count(*) FROM read_parquet('x.parquet')", "table function"),
    ("SELECT count(*) FROM read_json_auto('x.json')", "table function"),
    ("SELECT * FROM read_text('/etc/passwd')", "table function"),
    ("SELECT count(*) FROM glob('/etc/*')", "table function"),
    ("SELECT count(*) FROM range(10)", "table function"),
    ("SELECT count(*) FROM generate_series(1, 10)", "table function"),
    ("SELECT count(*) FROM query_table('orders')", "table function"),
    ("WITH s AS (SELECT * FROM read_csv('x.csv')) SELECT count(*) FROM s", "table function"),
    ("SELECT count(*) FROM ${object}, LATERAL read_csv('x.csv')", "table function"),
    ("SELECT count(*) FROM ${object} JOIN read_csv('x.csv') ON true", "table function"),
    ("SELECT count(*) FROM ${object} WHERE id IN (SELECT 1 FROM glob('/etc/*'))", "table function"),
    # dangerous scalar functions
    ("SELECT length(pg_read_file('/etc/passwd'))", "pg_read_file"),
    ("SELECT length(pg_catalog.pg_read_file('/etc/passwd'))", "pg_read_file"),
    ("SELECT length(\"pg_read_file\"('/etc/passwd'))", "pg_read_file"),
    ("SELECT count(*) FROM ${object} WHERE pg_ls_dir('/') IS NOT NULL", "pg_ls_dir"),
    ("SELECT lo_import('/etc/passwd')", "lo_import"),
    ("SELECT pg_sleep(200)", "pg_sleep"),
    ("SELECT count(*) FROM ${object} WHERE pg_sleep(1) IS NULL", "pg_sleep"),
    ("SELECT dblink_exec('host=x', 'DROP TABLE orders')", "dblink_exec"),
    ("SELECT count(*) FROM dblink('host=x', 'SELECT 1') AS t(a int)", "table function"),
    ("SELECT length(current_setting('data_directory'))", "current_setting"),
    ("SELECT length(set_config('default_transaction_read_only', 'off', false))", "set_config"),
    ("SELECT length(read_text('/etc/passwd'))", "read_text"),
    ("SELECT length(getenv('HOME'))", "getenv"),
    ("SELECT length(query_to_xml('DELETE FROM orders RETURNING 1', true, true, ''))", "query_to_xml"),
    ("SELECT nextval('orders_id_seq')", "nextval"),
    ("SELECT max(length(COLUMNS('email'))) FROM ${object}", "columns"),
    # not SQL at all
    ("DO $$ BEGIN DELETE FROM orders; END $$", "not a SELECT"),
    ("SELECT FROM WHERE (", "cannot be parsed"),
]


def refused(query: str, dialect: str = "duckdb") -> str:
    with pytest.raises(UnsafeSQL) as raised:
        rule_query(query, dialect, OBJECTS, '"code"')
    return str(raised.value)


@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
@pytest.mark.parametrize("query", ACCEPTED)
def test_read_only_selects_of_the_contracts_objects_are_accepted(query, dialect):
    if dialect == "postgres" and "regexp_matches" in query:
        query = query.replace("regexp_matches(code, '^A-')", "code ~ '^A-'")
    parsed, tables = rule_query(query, dialect, OBJECTS, '"code"')
    assert parsed.sql(dialect)
    assert {name for _, name in tables} <= {PLACEHOLDER, *OBJECTS}


@pytest.mark.parametrize("dialect", ["duckdb", "postgres"])
@pytest.mark.parametrize(("query", "reason"), REFUSED, ids=[q[:50] for q, _ in REFUSED])
def test_everything_else_is_refused_with_a_reason(query, reason, dialect):
    message = refused(query, dialect)
    if "cannot be parsed" not in message:  # a dialect may not parse what another does
        assert reason.lower() in message.lower(), message
    assert "\n" not in message


def test_what_runs_is_rendered_from_the_checked_tree():
    """Comments are dropped and strings re-quoted: the text that runs is the tree that was checked."""
    parsed, tables = read_only_query(
        "SELECT count(*) /* x */ FROM t WHERE code = 'a'';DROP TABLE x;--' -- tail", "duckdb", ["t"]
    )
    assert parsed.sql("duckdb", comments=False) == "SELECT COUNT(*) FROM t WHERE code = 'a'';DROP TABLE x;--'"
    assert [name for _, name in tables] == ["t"]


def test_object_names_match_like_sql_identifiers():
    _, tables = read_only_query('SELECT 1 FROM Orders JOIN "orders" ON true', "duckdb", ["orders"])
    assert [name for _, name in tables] == ["orders", "orders"]
    with pytest.raises(UnsafeSQL):  # a quoted identifier is exact
        read_only_query('SELECT 1 FROM "ORDERS"', "duckdb", ["orders"])


def test_a_cte_is_only_visible_where_sql_sees_it():
    read_only_query("WITH a AS (SELECT 1 AS n) SELECT (SELECT count(*) FROM a)", "postgres", [])
    with pytest.raises(UnsafeSQL, match="'a'"):
        read_only_query("SELECT (WITH a AS (SELECT 1) SELECT 1), (SELECT count(*) FROM a)", "postgres", [])


def contract_with_rule(tmp_path, query, server_type: str = "local") -> tuple:
    (tmp_path / "orders.csv").write_text("id,amount\n1,10\n2,60\n", encoding="utf-8")
    server = (
        {"server": "ci", "type": "local", "format": "csv", "path": "orders.csv"}
        if server_type == "local"
        else {"server": "db", "type": "postgres", "host": "127.0.0.1", "port": 1, "database": "x", "schema": "s"}
    )
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
                "properties": [{"name": "id", "logicalType": "integer"}, {"name": "amount", "logicalType": "number"}],
                "quality": [
                    {"metric": "rowCount", "mustBeGreaterThan": 0},
                    {"name": "big", "type": "sql", "query": query, "mustBe": 1},
                ],
            }
        ],
    }
    path = tmp_path / "orders.odcs.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "name: big" in text)
    return path, line


@pytest.mark.parametrize("server_type", ["local", "postgres"])
def test_lint_reports_a_refused_rule_at_its_line(tmp_path, server_type):
    path, line = contract_with_rule(tmp_path, "SELECT count(*) FROM ${object}; DROP TABLE orders", server_type)
    findings = [f for f in lint_contract(path) if f.rule == "ODCS007"]
    assert len(findings) == 1 and findings[0].line == line and findings[0].severity == "error"
    assert "'big'" in findings[0].message and "one statement" in findings[0].message


def test_check_refuses_a_rule_it_would_not_run(tmp_path):
    path, _ = contract_with_rule(tmp_path, "COPY (SELECT * FROM ${object}) TO 'leak.csv'")
    with pytest.raises(InputError, match=r"ODCS007 .*not a SELECT"):
        check_contract(path)
    assert not (tmp_path / "leak.csv").exists()


def test_an_accepted_rule_runs_and_counts(tmp_path):
    path, _ = contract_with_rule(tmp_path, "SELECT count(*) FROM orders WHERE CAST(amount AS DOUBLE) > 45")
    assert lint_contract(path) == []
    (result,) = [r for r in check_contract(path) if r.check == "big"]
    assert (result.passed, result.observed) == (True, "1")
