"""ODCS as its authors mean it: contracts nobody here wrote, judged as the standard judges them.

The corpus (tests/data/odcs-corpus, sources and licences in its NOTICE) holds the official
examples of every ODCS v3 release and a peer tool's (datacontract-cli) own fixtures. For
each file, lint's schema verdict (ODCS001 or not) must equal python-jsonschema's verdict on
the same data against the official JSON Schema of the file's own apiVersion, with YAML
timestamps read as the strings the standard types them as; and no file may produce a
traceback. The schemas are the bundled ones, whose bytes tests/test_io.py checks against
the checksums of the official files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from prodready.cli import main
from prodready.io.schemas import ODCS_VERSIONS

CORPUS = Path(__file__).parent / "data" / "odcs-corpus"
SCHEMAS = Path(__file__).parents[1] / "src" / "prodready" / "io" / "jsonschemas"
FILES = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".yaml", ".yml"))


class TextTimestamps(yaml.SafeLoader):
    """PyYAML's own loader with timestamps left as text, written apart from prodready's."""


TextTimestamps.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@cache
def official_validator(api_version: str) -> Any:
    schema = json.loads((SCHEMAS / f"odcs-{api_version.removeprefix('v')}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def reference_verdict(path: Path) -> bool:
    """Whether the official schema of the file's own apiVersion accepts it (an unknown version: no)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=TextTimestamps)  # a SafeLoader
    version = data.get("apiVersion") if isinstance(data, dict) else None
    if version not in ODCS_VERSIONS:
        return False
    return bool(official_validator(version).is_valid(data))


def test_the_corpus_is_what_its_notice_says():
    assert 100 <= len(FILES) <= 160
    assert {path.relative_to(CORPUS).parts[0] for path in FILES} == {"bitol-io", "datacontract-cli"}
    assert all(path.stat().st_size <= 50 * 1024 for path in FILES)
    notice = (CORPUS / "NOTICE").read_text(encoding="utf-8")
    for tag in ("v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0"):
        assert (CORPUS / "bitol-io" / tag).is_dir() and f"tag {tag}, commit " in notice
    assert "Licence: Apache-2.0" in notice and "Licence: MIT" in notice


@pytest.mark.parametrize("path", FILES, ids=[str(path.relative_to(CORPUS)) for path in FILES])
def test_lint_agrees_with_the_official_schema_of_the_contract_s_own_version(path):
    result = CliRunner().invoke(main, ["contracts", "lint", str(path)])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), (result.output, result.exception)
    schema_invalid = any(" ODCS001: " in line for line in result.output.splitlines())
    assert schema_invalid == (not reference_verdict(path)), result.output


CONTRACT = """\
apiVersion: {version}
kind: DataContract
id: orders
version: 1.0.0
status: active
contractCreatedTs: 2024-05-01T10:00:00Z
schema:
  - name: orders
    properties:
      - name: placed_on
        logicalType: {type}
        examples:
          - 2022-10-03
        quality:
          - {rule}: rowCount
            mustBeGreaterThan: 0
"""


def lint(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "orders.odcs.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["contracts", "lint", str(path)])
    assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
    return result.exit_code, [line for line in result.output.splitlines() if " ODCS001: " in line]


def test_unquoted_dates_and_timestamps_are_the_strings_odcs_expects(tmp_path):
    assert lint(tmp_path, CONTRACT.format(version="v3.1.0", type="date", rule="metric")) == (0, [])
    assert lint(tmp_path, CONTRACT.format(version="v3.0.2", type="date", rule="rule")) == (0, [])


def test_each_contract_is_validated_against_its_own_version(tmp_path):
    # v3.0.x has no timestamp logicalType and names a library rule "rule"; v3.1.0 has both and names it "metric".
    code, errors = lint(tmp_path, CONTRACT.format(version="v3.0.2", type="timestamp", rule="rule"))
    assert code == 1 and len(errors) == 1, errors
    assert "is not a logicalType of ODCS v3.0.2; use one of: string, date, number, integer," in errors[0]
    assert errors[0].startswith(f"{tmp_path / 'orders.odcs.yaml'}:11:")
    code, errors = lint(tmp_path, CONTRACT.format(version="v3.0.0", type="date", rule="metric"))
    assert code == 1 and errors and all('"rule" is a required property' in line for line in errors), errors
    assert lint(tmp_path, CONTRACT.format(version="v3.1.0", type="timestamp", rule="metric")) == (0, [])


@pytest.mark.parametrize("version", ["v2.2.2", "v3.2.0", "3.1", None])
def test_an_unknown_or_missing_api_version_is_one_finding_naming_those_supported(tmp_path, version):
    text = CONTRACT.format(version=version, type="date", rule="metric")
    if version is None:
        text = text.replace("apiVersion: None\n", "")
    code, errors = lint(tmp_path, text)
    assert code == 1 and len(errors) == 1, errors
    assert errors[0].endswith('"v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0", the ODCS versions prodready validates')
    assert errors[0].startswith(f"{tmp_path / 'orders.odcs.yaml'}:1: error ODCS001: apiVersion: ")
