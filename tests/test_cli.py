"""The command line: version, `new`, and one-line errors for every kind of bad input."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from prodready import __version__
from prodready.cli import main

from .helpers import ROOT, example


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_new_generates_from_an_answers_file(tmp_path):
    result = invoke("new", "--answers", str(ROOT / "examples" / "churn-model.yaml"), "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    project = tmp_path / "churn-early-warning"
    assert (project / "ownership.yaml").is_file() and (project / ".gitlab-ci.yml").is_file()
    assert f"Generated {project}" in result.output


def test_new_with_copier_keeps_hostile_text(tmp_path):
    answers = {
        **example("docs-assistant"),
        "project_name": "Handbook {{ assistant }}: v2",
        "project_slug": "handbook-v2",
    }
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    result = invoke("new", "--answers", str(path), "--generator", "copier", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    catalog = yaml.safe_load((tmp_path / "out" / "handbook-v2" / "catalog-info.yaml").read_text())
    assert catalog["metadata"]["title"] == "Handbook {{ assistant }}: v2"


def test_new_refusal_exits_1_and_writes_nothing(tmp_path):
    answers = {**example("docs-assistant"), "risk_tier": "unacceptable"}
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["new", "--answers", str(path), "--generator", "copier", "--output-dir", str(out)]
    )
    assert result.exit_code == 1
    assert "EU AI Act Article 5" in result.output
    assert list(out.iterdir()) == []


BAD_ANSWERS = [
    ("malformed", "project_name: [unclosed\n", "invalid YAML", 2),
    ("not a mapping", "- a\n- b\n", "not a mapping", 1),
    ("unknown question", "project_name: X\nowner: someone\n", "unknown question 'owner'", 2),
    ("wrong type", "project_name: X\nrisk_tier: [high]\n", "answer 'risk_tier' is a list", 2),
    ("binary", "\x00\x01\x02", "binary", None),
]


@pytest.mark.parametrize(("case", "text", "fragment", "line"), BAD_ANSWERS, ids=[c[0] for c in BAD_ANSWERS])
def test_new_bad_answers_file(case, text, fragment, line, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("new", "--answers", str(path), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    (message,) = result.output.strip().splitlines()
    assert fragment in message and "Fix:" in message
    if line is not None:
        assert message.startswith(f"error: {path}:{line}")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_new_missing_answers_file(tmp_path):
    result = invoke("new", "--answers", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_new_without_answers_needs_a_terminal():
    result = CliRunner().invoke(main, ["new"], input="")
    assert result.exit_code == 2 and "--answers" in result.output


def test_unknown_option_is_a_usage_error():
    assert invoke("cost", "--format", "pdf").exit_code == 2


def test_contracts_lint_reports_file_and_line(tmp_path):
    contract = tmp_path / "bad.odcs.yaml"
    contract.write_text(
        "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: draft\n"
        "schema:\n  - name: t\n    properties:\n      - name: email\n        logicalType: string\n"
        "    quality:\n      - metric: duplicateValues\n        arguments: {properties: [nope]}\n        mustBe: 0\n"
        "servers:\n  - server: prod\n    type: postgres\n    host: db\n    port: 5432\n    database: d\n    schema: s\n"
        "    password: hunter2\n",
        encoding="utf-8",
    )
    result = invoke("contracts", "lint", str(contract))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"{contract}:13: error ODCS002") and "'nope'" in line for line in lines), result.output
    assert any(line.startswith(f"{contract}:9: warning ODCS004") for line in lines), result.output
    assert lines[-1].endswith("3 error(s), 1 warning(s)"), result.output
    assert any(":22: error" in line and ("ODCS005" in line or "ODCS001" in line) for line in lines), result.output


def test_contracts_lint_bad_files(tmp_path):
    empty = tmp_path / "empty.odcs.yaml"
    empty.write_text("", encoding="utf-8")
    result = invoke("contracts", "lint", str(empty))
    assert result.exit_code == 2 and "empty" in result.output
    result = invoke("contracts", "lint", str(tmp_path / "none"))
    assert result.exit_code == 2
    (tmp_path / "no-contracts").mkdir()
    result = invoke("contracts", "lint", str(tmp_path / "no-contracts"))
    assert result.exit_code == 2 and "no *.odcs.yaml contract found" in result.output


def test_contracts_lint_json(rendered):
    project = rendered[("support-assistant", "cookiecutter")].destination
    result = invoke("contracts", "lint", str(project / "contracts"), "--format", "json")
    assert result.exit_code == 0
    data = __import__("json").loads(result.output)
    # The input data set's contract, and the one for the decisions the POC writes back.
    assert data["findings"] == [] and len(data["contracts"]) == 2
