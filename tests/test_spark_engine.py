"""The same compiled contract checks on Spark SQL: a local SparkSession, same verdicts as DuckDB."""

from __future__ import annotations

import pytest

pyspark = pytest.importorskip("pyspark", reason="the spark nox session installs pyspark")

from prodready.contracts.run import check_contract  # noqa: E402

from .test_contract_checks import EXPECTED, comparable, parquet_file, verdicts, write_contract  # noqa: E402, F401

pytestmark = pytest.mark.spark


def test_spark_and_duckdb_agree_on_parquet(parquet_file, tmp_path):  # noqa: F811
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    path = write_contract(tmp_path, [server])
    on_duckdb = check_contract(path)
    on_spark = check_contract(path, engine_name="spark")

    # Spark returns naive timestamps in samples; verdicts and counts must agree.
    assert comparable(on_spark, samples=False) == comparable(on_duckdb, samples=False)
    found = verdicts(on_spark)
    for key, expected in EXPECTED.items():
        assert found[key] == expected, key
    assert found[("amount", "logicalType number")] == (True, "double")


def test_spark_reads_csv_as_text_and_counts_cast_failures(tmp_path):
    (tmp_path / "d.csv").write_text("id,amount\n1,10\n2,abc\n3,\n", encoding="utf-8")
    import yaml

    contract = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "spark-csv",
        "version": "1.0.0",
        "status": "active",
        "servers": [{"server": "files", "type": "local", "format": "csv", "path": str(tmp_path / "d.csv")}],
        "schema": [
            {
                "name": "d",
                "properties": [
                    {"name": "id", "logicalType": "integer", "required": True},
                    {"name": "amount", "logicalType": "number"},
                ],
            }
        ],
    }
    path = tmp_path / "d.odcs.yaml"
    path.write_text(yaml.safe_dump(contract), encoding="utf-8")
    found = verdicts(check_contract(path, engine_name="spark"))
    assert found[("amount", "logicalType number")] == (False, "1")
    assert found[("id", "required")] == (True, "0")
