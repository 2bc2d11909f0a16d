"""DuckDB's SQL written as text, and what it saves: no sqlglot on a flat contract's check.

The whole suite compares the text with sqlglot's on every DuckDB check it runs in
process (``paired_sql.PairedSQL``, put in place by ``conftest.py``); these tests add
the hostile names and values that no contract of the suite happens to hold, DuckDB's
scalar types read without sqlglot, and the import the text path exists to avoid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from sqlglot import exp

from prodready.data.build import TextSQL
from prodready.data.sql import TreeSQL
from prodready.data.types import DUCKDB_SCALARS, _from_tree, parse_type

from .helpers import run

HOSTILE = [
    "plain",
    'say "hi"',
    "it's",
    "back\\slash",
    "new\nline",
    "naïve ünïcödé",
    "select",
    "x' OR '1'='1",
    '"; DROP TABLE t; --',
    "tab\there",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_names_and_values_are_written_as_sqlglot_writes_them(value: str) -> None:
    text, tree = TextSQL(), TreeSQL("duckdb")
    for build in (
        lambda sql: sql.column(value),
        lambda sql: sql.string(value),
        lambda sql: sql.matches(sql.as_text(sql.column(value)), value),
        lambda sql: sql.in_(sql.column(value), [sql.string(value), sql.string(value + "2")]),
        lambda sql: sql.alias(sql.count_rows(), value or "x", quoted=True),
    ):
        assert text.render(build(text)) == tree.render(build(tree))


@pytest.mark.parametrize("value", [0, -3, 1.5, 1e-07, 10**20, 0.1 + 0.2])
def test_numbers_are_written_as_sqlglot_writes_them(value: float) -> None:
    text, tree = TextSQL(), TreeSQL("duckdb")
    assert text.render(text.compare("<", text.column("a"), text.number(value))) == tree.render(
        tree.compare("<", tree.column("a"), tree.number(value))
    )


def test_conditions_nest_with_sqlglot_parentheses() -> None:
    def condition(sql: TextSQL | TreeSQL) -> object:
        a, b = sql.is_null(sql.column("a")), sql.is_null(sql.column("b"))
        return sql.not_(sql.or_(sql.and_(a, b), sql.not_(sql.and_(a, sql.or_(a, b))), a))

    text, tree = TextSQL(), TreeSQL("duckdb")
    written = text.render(condition(text))
    assert written == tree.render(condition(tree))
    assert (
        written
        == 'NOT (("a" IS NULL AND "b" IS NULL) OR NOT ("a" IS NULL AND ("a" IS NULL OR "b" IS NULL)) OR "a" IS NULL)'
    )


def test_a_comparison_is_one_of_the_known_operators() -> None:
    with pytest.raises(ValueError, match="not a comparison"):
        TextSQL().compare("; DROP", "1", "2")


def test_duckdb_scalar_types_are_read_as_sqlglot_reads_them() -> None:
    """Each type name looked up without sqlglot means what sqlglot's reading of it means."""
    described = {str(row[1]) for row in duckdb.sql(DESCRIBED).fetchall()}
    assert described <= {*DUCKDB_SCALARS, "DECIMAL(18,3)", "JSON"}, described  # DESCRIBE's own spellings
    for name in [*DUCKDB_SCALARS, "DECIMAL(18,3)", "DECIMAL(4, 1)", "JSON"]:
        assert parse_type(name, "duckdb") == _from_tree(exp.DataType.build(name, dialect="duckdb"), name, "duckdb")


#: One column of each scalar type DuckDB's readers produce, as DESCRIBE names them.
DESCRIBED = """
DESCRIBE SELECT true AS b, 1::TINYINT AS i1, 1::SMALLINT AS i2, 1::INTEGER AS i4, 1::BIGINT AS i8,
  1::HUGEINT AS i16, 1::UTINYINT AS u1, 1::USMALLINT AS u2, 1::UINTEGER AS u4, 1::UBIGINT AS u8,
  1::FLOAT AS f4, 1::DOUBLE AS f8, 1.5::DECIMAL(18,3) AS d, 'x' AS s, gen_random_uuid() AS u,
  INTERVAL 1 DAY AS iv, 'x'::BLOB AS bl, DATE '2026-01-01' AS dt, TIME '10:00' AS t,
  TIMESTAMP '2026-01-01' AS ts, TIMESTAMPTZ '2026-01-01' AS tz, '2026-01-01'::TIMESTAMP_S AS ts_s,
  '2026-01-01'::TIMESTAMP_MS AS ts_ms, '2026-01-01'::TIMESTAMP_NS AS ts_ns, '{}'::JSON AS j
"""


def test_a_flat_contract_is_checked_without_importing_sqlglot(tmp_path: Path) -> None:
    """The point of the text path: sqlglot's import is a fifth of a 2-million-row check."""
    data = tmp_path / "orders.parquet"
    duckdb.sql(f"COPY (SELECT range AS id, 'a' || range AS code FROM range(10)) TO '{data}' (FORMAT parquet)")
    contract = tmp_path / "orders.odcs.yaml"
    contract.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v3.1.0",
                "kind": "DataContract",
                "id": "orders",
                "version": "1.0.0",
                "status": "active",
                "servers": [{"server": "local", "type": "local", "format": "parquet", "path": "orders.parquet"}],
                "schema": [
                    {
                        "name": "orders",
                        "properties": [
                            {"name": "id", "logicalType": "integer", "primaryKey": True},
                            {"name": "code", "logicalType": "string", "logicalTypeOptions": {"pattern": "^a"}},
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from prodready.cli import main\n"
        f"sys.argv = ['prodready', 'contracts', 'check', {str(contract)!r}]\n"
        "try:\n    code = main()\nexcept SystemExit as end:\n    code = end.code\n"
        "print(code, 'sqlglot' in sys.modules)\n"
    )
    proc = run([sys.executable, "-c", script], cwd=tmp_path)
    assert proc.stdout.splitlines()[-1] == "0 False", proc.stdout + proc.stderr
