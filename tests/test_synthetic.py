"""The synthetic sample: made from a contract alone, the same every time, accepted by the contract."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from prodready.contracts.run import check_contract
from prodready.contracts.synthetic import sample_csv, sample_rows
from prodready.errors import InputError

PROPERTIES = [
    {"name": "id", "logicalType": "integer", "required": True, "unique": True, "primaryKey": True},
    {"name": "at", "logicalType": "timestamp", "required": True},
    {"name": "day", "logicalType": "date"},
    {
        "name": "tier",
        "logicalType": "string",
        "required": True,
        "quality": [{"metric": "invalidValues", "arguments": {"validValues": ["gold", "silver"]}, "mustBe": 0}],
    },
    {
        "name": "score",
        "logicalType": "number",
        "required": True,
        "logicalTypeOptions": {"minimum": 0.5, "maximum": 0.75},
    },
    {"name": "age", "logicalType": "integer", "logicalTypeOptions": {"minimum": 18, "maximum": 20}},
    {"name": "code", "logicalType": "string", "required": True, "unique": True, "logicalTypeOptions": {"maxLength": 2}},
    {"name": "active", "logicalType": "boolean", "required": True},
    {"name": "email", "logicalType": "string", "classification": "restricted", "tags": ["personal-data"]},
    {"name": "note", "logicalType": "string", "classification": "restricted", "logicalTypeOptions": {"maxLength": 12}},
]


def test_the_same_contract_gives_the_same_sample():
    assert sample_csv(PROPERTIES, "c") == sample_csv(PROPERTIES, "c")
    assert sample_csv(PROPERTIES, "c", seed=1) != sample_csv(PROPERTIES, "c", seed=2)


def test_values_respect_types_ranges_lengths_and_valid_values():
    rows = list(csv.DictReader(io.StringIO(sample_csv(PROPERTIES, "c"))))
    assert len(rows) == 30
    assert len({row["id"] for row in rows}) == 30
    assert len({row["code"] for row in rows}) == 30 and all(len(row["code"]) <= 2 for row in rows)
    assert {row["tier"] for row in rows} <= {"gold", "silver"}
    assert all(0.5 <= float(row["score"]) <= 0.75 for row in rows)
    assert all(18 <= int(row["age"]) <= 20 for row in rows if row["age"])
    assert any(row["age"] == "" for row in rows)  # optional columns have gaps, required ones none
    assert all(row["at"] and row["tier"] and row["active"] in ("true", "false") for row in rows)
    assert all(row["email"].endswith("@example.invalid") for row in rows if row["email"])
    assert all(row["note"].startswith("synthetic") and len(row["note"]) <= 12 for row in rows if row["note"])


def test_a_unique_column_with_few_values_bounds_the_rows():
    narrow = [
        {"name": "n", "logicalType": "integer", "unique": True, "logicalTypeOptions": {"minimum": 1, "maximum": 5}}
    ]
    assert [row[0] for row in sample_rows(narrow, "c")] == ["1", "2", "3", "4", "5"]


def test_a_nested_column_is_refused_in_one_line():
    with pytest.raises(InputError, match="'tags' is nested"):
        sample_rows([{"name": "tags", "logicalType": "array"}], "contract.odcs.yaml")


def test_the_contract_accepts_its_sample(tmp_path):
    (tmp_path / "sample.csv").write_text(sample_csv(PROPERTIES, "c"), encoding="utf-8")
    contract = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "synthetic",
        "version": "1.0.0",
        "status": "draft",
        "servers": [{"server": "ci", "type": "local", "environment": "ci", "format": "csv", "path": "sample.csv"}],
        "schema": [{"name": "sample", "physicalName": "sample", "logicalType": "object", "properties": PROPERTIES}],
    }
    path = tmp_path / "sample.odcs.yaml"
    path.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    results = check_contract(path, "ci")
    assert results and [str(r) for r in results if r.passed is False] == []
