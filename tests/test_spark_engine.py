"""The same compiled contract checks on Spark SQL: a local SparkSession, same verdicts as DuckDB."""

from __future__ import annotations

import json

import pytest
import yaml

pyspark = pytest.importorskip("pyspark", reason="the spark nox session installs pyspark")

from prodready.contracts.run import check_contract  # noqa: E402
from prodready.data.engines import Files  # noqa: E402
from prodready.data.spark import SparkEngine, spark_session  # noqa: E402

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


def test_spark_reads_a_file_server_once_per_run(parquet_file, tmp_path, monkeypatch):  # noqa: F811
    """Every query of a run reads the same temporary view: one read of the file, dropped at the end."""
    reads: list[str] = []
    views_at_close: list[str] = []
    read, close = SparkEngine._read, SparkEngine.close

    def counting_read(self: SparkEngine, files: Files) -> object:
        reads.append(files.location)
        return read(self, files)

    def recording_close(self: SparkEngine) -> None:
        views_at_close.extend(prodready_views(self.session))
        close(self)

    monkeypatch.setattr(SparkEngine, "_read", counting_read)
    monkeypatch.setattr(SparkEngine, "close", recording_close)
    server = {"server": "files", "type": "local", "format": "parquet", "path": str(parquet_file), "environment": "prod"}
    results = check_contract(write_contract(tmp_path, [server]), engine_name="spark")
    assert len(results) > 30  # dozens of queries (the scan, duplicates, samples, sql rules) ...
    assert reads == [str(parquet_file)] and len(views_at_close) == 1  # ... on one read
    assert prodready_views(spark_session()) == []


def test_spark_reads_ndjson_and_csv_globs_like_duckdb(tmp_path):
    rows = [{"id": i, "region": ["eu", "us"][i % 2]} for i in range(10)]
    (tmp_path / "events.ndjson").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for part in (1, 2):
        lines = ["id,region"] + [f"{r['id']},{r['region']}" for r in rows[(part - 1) * 5 : part * 5]]
        (tmp_path / f"part-{part}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for server in (
        {"server": "lines", "type": "local", "format": "ndjson", "path": str(tmp_path / "events.ndjson")},
        {"server": "parts", "type": "local", "format": "csv", "path": str(tmp_path / "part-*.csv")},
    ):
        path = tmp_path / "events.odcs.yaml"
        contract = {
            "apiVersion": "v3.1.0",
            "kind": "DataContract",
            "id": "events",
            "version": "1.0.0",
            "status": "active",
            "servers": [server],
            "schema": [
                {
                    "name": "events",
                    "properties": [
                        {"name": "id", "logicalType": "integer", "required": True, "unique": True},
                        {"name": "region", "logicalType": "string", "quality": [{"metric": "rowCount", "mustBe": 10}]},
                    ],
                }
            ],
        }
        path.write_text(yaml.safe_dump(contract), encoding="utf-8")
        on_spark = check_contract(path, engine_name="spark")
        assert comparable(on_spark) == comparable(check_contract(path)), server["server"]
        assert verdicts(on_spark)[("region", "rowCount")] == (True, "10")
        assert all(r.passed is not False for r in on_spark)


def prodready_views(session: object) -> list[str]:
    return [t.name for t in session.catalog.listTables() if t.name.startswith("prodready_")]  # type: ignore[attr-defined]
