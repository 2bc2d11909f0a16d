"""The integration tests' own logic: the map read strictly, what the POC writes matching its contract."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from {{ cookiecutter.package_name }}.integration import (
    SYSTEMS,
    input_rows,
    load_systems,
    openapi_problem,
    verify_system,
    write_decisions,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def poc(tmp_path: Path) -> Path:
    """A copy of this repository's map, contracts, sample and configuration to damage."""
    for part in ("integration", "contracts", "tests/data", "config", "monitoring", "evaluation"):
        shutil.copytree(ROOT / part, tmp_path / part)
    for optional in ("prompts", "corpus"):
        if (ROOT / optional).is_dir():
            shutil.copytree(ROOT / optional, tmp_path / optional)
    return tmp_path


def test_the_map_has_an_inbound_and_an_outbound_system() -> None:
    directions = {system["direction"] for system in load_systems(ROOT)}
    assert {"in", "out"} <= directions


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("    direction: in\n", "    direction: sideways\n"), "direction must be in, out or both"),
        (
            ("    environment: mocked", "    environment: prod"),
            "environment must be mocked, sandbox or live",
        ),
        (('    contract: "contracts/', '    contract: "../../etc/'), "is not a file here"),
    ],
)
def test_a_malformed_map_is_refused_naming_the_system(poc: Path, change, problem) -> None:
    path = poc / SYSTEMS
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as raised:
        load_systems(poc)
    assert str(raised.value).startswith(f"{SYSTEMS}: systems[0]")


def test_the_records_the_poc_writes_back_are_the_ones_its_contract_declares(poc: Path) -> None:
    """The producer side of the outbound contract: same columns, every required value present."""
    systems = load_systems(poc)
    rows = input_rows(poc, systems)
    target = poc / "var" / "integration" / "decisions.csv"
    assert write_decisions(poc, rows, target) == len(rows) > 0
    contract = yaml.safe_load(
        (poc / "contracts" / "decisions.odcs.yaml").read_text(encoding="utf-8")
    )
    declared = [p["name"] for p in contract["schema"][0]["properties"]]
    with target.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert list(written[0]) == declared
    assert all(row["request_id"] and row["decided_by"] in ("model", "fallback") for row in written)
    assert len({row["request_id"] for row in written}) == len(written)


def test_a_system_without_a_contract_is_untested_not_passed(poc: Path) -> None:
    system = {"name": "crm", "direction": "out", "environment": "mocked", "contract": None}
    result = verify_system(poc, system, [])
    assert result["passed"] is None and "no contract yet" in result["note"]


def test_an_api_contract_must_describe_an_operation() -> None:
    assert openapi_problem({"openapi": "3.1.0", "paths": {"/x": {"get": {}}}}) is None
    assert openapi_problem({"swagger": "2.0"}) == "not an OpenAPI 3 document (no `openapi: 3.x`)"
    assert (
        openapi_problem({"openapi": "3.0.3", "paths": {}})
        == "describes no operation (`paths` is empty)"
    )
