"""The evaluation gate: it passes on the committed golden set and fails, in one line, when it should."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from {{ cookiecutter.package_name }} import evaluate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the files the evaluation reads, so a test may change them."""
    for name in (
        "evaluation",
        "config",
        "governance",
        "tests/data",
        "contracts",
        "monitoring",
        "prompts",
        "corpus",
    ):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def settings(repo: Path, **changes: object) -> None:
    path = repo / evaluate.EVAL
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**data, **changes}), encoding="utf-8")


def test_the_committed_golden_set_passes_and_fills_the_model_card(repo: Path, capsys) -> None:
    assert evaluate.main(["--root", str(repo)]) == 0
    results = json.loads((repo / evaluate.RESULTS).read_text(encoding="utf-8"))
    assert results["passed"] and results["cases"] >= results["min_cases"]
    assert results["value"] >= results["baseline"]["value"] + results["min_margin"]
    card = (repo / evaluate.MODEL_CARD).read_text(encoding="utf-8")
    assert f"| {results['metric']} | {results['value']} |" in card
    assert "TODO: run `nox -s eval`" not in card
    assert "eval: passed" in capsys.readouterr().out


def test_a_threshold_above_what_the_golden_set_achieves_fails(repo: Path, capsys) -> None:
    settings(repo, threshold=1.01)
    assert evaluate.main(["--root", str(repo)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("eval: failed:") and "below the threshold 1.01" in error
    assert len(error.splitlines()) == 1
    assert json.loads((repo / evaluate.RESULTS).read_text(encoding="utf-8"))["passed"] is False


def test_a_margin_over_the_baseline_not_met_fails(repo: Path, capsys) -> None:
    settings(repo, min_margin=1.0, threshold=0.0)
    assert evaluate.main(["--root", str(repo)]) == 1
    assert "does not beat the baseline" in capsys.readouterr().err


def test_too_few_cases_fail(repo: Path, capsys) -> None:
    settings(repo, min_cases=10_000)
    assert evaluate.main(["--root", str(repo)]) == 1
    assert "fewer than min_cases 10000" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric": "bleu"}, "metric must be one of"),
        ({"threshold": "high"}, "threshold must be a number"),
        ({"golden_set": "../elsewhere.jsonl"}, "is not a file of this repository"),
    ],
)
def test_a_broken_setting_is_one_line_naming_it(
    repo: Path, capsys, changes: dict, message: str
) -> None:
    settings(repo, **changes)
    assert evaluate.main(["--root", str(repo)]) == 2
    error = capsys.readouterr().err.strip()
    assert (
        message in error
        and error.startswith("eval: evaluation/eval.yaml")
        and len(error.splitlines()) == 1
    )


def test_placeholder_results_say_so(repo: Path) -> None:
    """The template's model is a stand-in: its results never pass for a model's."""
    evaluate.main(["--root", str(repo)])
    results = json.loads((repo / evaluate.RESULTS).read_text(encoding="utf-8"))
    assert results["placeholder"] is True
    assert "placeholder model" in (repo / evaluate.MODEL_CARD).read_text(encoding="utf-8")
