"""ODCS versions read as their authors meant: a v3.0.x contract is checked with v3.0.x meanings.

v3.0.x named library rules ``rule`` with its own words (``duplicateCount``, ``validValues``
with the values beside the rule, ``nullCheck``, ``between``/``minCheck`` with bounds in
``customProperties``) and no operator meaning "none"; ``exclusiveMinimum: true`` made
``minimum`` strict; ``date`` covered date-times. The same words under v3.1.0 keep v3.1.0's
meaning. Data is written at run time; the official examples come from the corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from prodready.contracts.lint import lint_contract, load_contract
from prodready.contracts.model import ZERO_ROWS, parse_contract
from prodready.contracts.run import check_contract

CORPUS = Path(__file__).parent / "data" / "odcs-corpus" / "bitol-io"

# id, color, size, weight, created: one duplicated color pair (ids 1, 4), one unknown color (purple),
# one null size, one weight of 500 (the strict maximum), one above 500.
ROWS = """SELECT * FROM (VALUES
 (1, 'red', 1, 10.0, TIMESTAMP '2024-01-01 10:00:00'),
 (2, 'blue', 2, 500.0, TIMESTAMP '2024-01-02 11:30:00'),
 (3, 'purple', NULL, 20.0, TIMESTAMP '2024-01-03 12:00:00'),
 (4, 'red', 4, 700.0, TIMESTAMP '2024-01-04 13:00:00')
) AS v(id, color, size, weight, created)"""


@pytest.fixture(scope="module")
def parquet(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("versions") / "items.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({ROWS}) TO '{path}' (FORMAT parquet)")
    return path


def contract(api_version: str, parquet: Path, properties: list[dict[str, Any]], quality: list[Any]) -> dict[str, Any]:
    return {
        "apiVersion": api_version,
        "kind": "DataContract",
        "id": "items",
        "name": "items",
        "version": "1.0.0",
        "status": "active",
        "servers": [{"server": "files", "type": "local", "format": "parquet", "path": str(parquet)}],
        "schema": [{"name": "items", "physicalName": "items", "properties": properties, "quality": quality}],
    }


def check(tmp_path: Path, document: dict[str, Any]) -> dict[tuple[str | None, str], tuple[bool | None, str | None]]:
    path = tmp_path / "items.odcs.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return {(r.property, r.check): (r.passed, r.observed) for r in check_contract(path, allow_outside_paths=True)}


@pytest.mark.parametrize("version", ["v3.0.0", "v3.0.1", "v3.0.2"])
def test_v30_library_rules_are_the_same_checks(parquet, tmp_path, version):
    properties = [
        {"name": "id", "logicalType": "integer"},
        {
            "name": "color",
            "logicalType": "string",
            "quality": [
                {"rule": "duplicateCount", "name": "no duplicate colors"},
                {"rule": "validValues", "validValues": ["red", "blue"], "name": "known colors"},
            ],
        },
        {"name": "size", "logicalType": "integer", "quality": [{"rule": "nullCheck", "name": "sizes"}]},
        {
            "name": "weight",
            "logicalType": "number",
            "quality": [
                {
                    "type": "library",
                    "rule": "between",
                    "name": "weights",
                    "customProperties": [{"property": "min", "value": 0}, {"property": "max", "value": 500}],
                },
                {"rule": "duplicateCount", "mustBeLessThan": 1, "unit": "percent", "name": "distinct weights"},
            ],
        },
    ]
    quality = [{"rule": "rowCount", "mustBeBetween": [1, 10], "name": "rows"}, {"rule": "countCheck"}]
    found = check(tmp_path, contract(version, parquet, properties, quality))
    assert found[("color", "no duplicate colors")] == (False, "1")
    assert found[("color", "known colors")] == (False, "1")
    assert found[("size", "sizes")] == (False, "1")
    assert found[("weight", "weights")] == (False, "1")  # 700; 500 is within [0, 500]
    assert found[("weight", "distinct weights")] == (True, "0 %")
    assert found[(None, "rows")] == (True, "4")
    assert not any(check_name == "countCheck" for _, check_name in found)  # no range given: nothing to check


def test_v30_date_covers_date_times_and_v31_does_not(parquet, tmp_path):
    properties = [{"name": "created", "logicalType": "date"}]
    quality = [{"rule": "rowCount", "mustBeGreaterThan": 0}]
    assert check(tmp_path, contract("v3.0.2", parquet, properties, quality))[("created", "logicalType date")][0]
    quality = [{"metric": "rowCount", "mustBeGreaterThan": 0}]
    verdict = check(tmp_path, contract("v3.1.0", parquet, properties, quality))[("created", "logicalType date")]
    assert verdict == (False, "TIMESTAMP")


def test_v30_exclusive_flags_make_the_bound_strict(parquet, tmp_path):
    """v3.0.x's boolean flags lint clean (its JSON Schema allows them) and make their bound strict."""
    options = {"maximum": 500, "exclusiveMaximum": True, "minimum": 10, "exclusiveMinimum": False}
    properties = [{"name": "weight", "logicalType": "number", "logicalTypeOptions": options}]
    quality = [{"rule": "rowCount", "mustBeGreaterThan": 0}]
    document = contract("v3.0.2", parquet, properties, quality)
    path = tmp_path / "items.odcs.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert lint_contract(path) == []
    (weight,) = parse_contract(load_contract(path)).objects[0].properties
    assert weight.options == {"exclusiveMaximum": 500, "minimum": 10}
    found = check(tmp_path, document)
    assert found[("weight", "exclusiveMaximum 500")] == (False, "2")  # 500 and 700
    assert found[("weight", "minimum 10")] == (True, "0")


def test_v31_refuses_boolean_exclusive_bounds(parquet, tmp_path):
    options = {"maximum": 500, "exclusiveMaximum": True}
    properties = [{"name": "weight", "logicalType": "number", "logicalTypeOptions": options}]
    path = tmp_path / "items.odcs.yaml"
    path.write_text(yaml.safe_dump(contract("v3.1.0", parquet, properties, [])), encoding="utf-8")
    assert "ODCS008" in {finding.rule for finding in lint_contract(path)}


def test_official_v30_examples_parse_with_their_meanings():
    full = parse_contract(load_contract(CORPUS / "v3.0.2" / "all" / "full-example.odcs.yaml"))
    (table,) = full.objects
    (null_check,) = next(p for p in table.properties if p.quality).quality
    assert (null_check.metric, null_check.threshold) == ("nullValues", ZERO_ROWS)
    assert not table.quality  # countCheck with no range: nothing to check
    accuracy = parse_contract(load_contract(CORPUS / "v3.0.1" / "quality" / "column-accuracy.odcs.yaml"))
    (between,) = accuracy.objects[0].properties[0].quality
    assert (between.metric, between.arguments) == ("range", {"minimum": 0, "maximum": 500})
    validity = parse_contract(load_contract(CORPUS / "v3.0.0" / "quality" / "column-validity.odcs.yaml"))
    (minimum,) = validity.objects[0].properties[0].quality
    assert (minimum.metric, minimum.arguments, minimum.threshold) == ("range", {"minimum": 100000}, ZERO_ROWS)
    assert all(c.legacy for c in (full, accuracy, validity))


def test_v31_contracts_keep_v31_meanings():
    parsed = [parse_contract(load_contract(path)) for path in sorted((CORPUS / "v3.1.0").rglob("*.yaml"))]
    current = [c for c in parsed if c.api_version == "v3.1.0"]
    assert len(current) >= 5
    for found in current:
        rules = [r for o in found.objects for p in o.properties for r in p.quality] + [
            r for o in found.objects for r in o.quality
        ]
        assert not found.legacy and all(r.metric != "range" for r in rules), found.path
    assert all(c.legacy for c in parsed if c.api_version.startswith("v3.0."))
