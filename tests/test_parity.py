"""cookiecutter, copier and cruft render the same tree from the same answers."""

from __future__ import annotations

import json

import pytest
import yaml

from .conftest import EXAMPLE_NAMES
from .helpers import render, tree

HOSTILE = {
    "project_name": 'Ünïcode: "quoted" {{ not_a_variable }} & <b>',
    "description": "Line one: {% raw %}\nLine two # not a comment\n  ${{ secrets.TOKEN }}",
    "business_kpi": "Cost per ticket (€) | \"pipes\" and 'quotes'",
    "kill_criteria": 'Cost per ticket (€) not below 4 | "quoted" after 8 weeks',
    "production_owner_name": "O'Brien-Nguyễn, Jr. 🚀",
}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_generators_agree(name, rendered):
    cookiecutter = tree(rendered[(name, "cookiecutter")].destination)
    assert cookiecutter, "cookiecutter rendered nothing"
    for generator in ("copier", "cruft"):
        other = tree(rendered[(name, generator)].destination)
        assert sorted(other) == sorted(cookiecutter), generator
        different = [path for path in cookiecutter if cookiecutter[path] != other[path]]
        assert different == [], f"{generator} differs from cookiecutter in {different}"


def test_generators_agree_on_hostile_text(template_repo, tmp_path):
    answers = {**yaml.safe_load((template_repo / "examples" / "support-assistant.yaml").read_text()), **HOSTILE}
    answers = {key: str(value) for key, value in answers.items()}
    answers["project_slug"] = "hostile-poc"
    trees = {}
    for generator in ("cookiecutter", "copier", "cruft"):
        result = render(generator, template_repo, answers, tmp_path / generator)
        assert result.returncode == 0, result.output
        trees[generator] = tree(result.destination)
    assert trees["copier"] == trees["cookiecutter"]
    assert trees["cruft"] == trees["cookiecutter"]
    ownership = yaml.safe_load(trees["copier"]["ownership.yaml"])
    assert ownership["roles"]["production_owner"]["name"] == HOSTILE["production_owner_name"]


def test_budget_below_first_year_cost_warns_in_both_generators(rendered):
    # docs-assistant: 120,000 GBP against 213,139.24 GBP projected from the rag defaults (limited risk adds compliance).
    expected = (
        "prodready warning: production_budget_year1 (120000 GBP) is below the projected first-year cost "
        "(213139.24 GBP, from prodready's defaults for rag systems)"
    )
    for generator in ("cookiecutter", "copier", "cruft"):
        assert expected in rendered[("docs-assistant", generator)].output, generator
    assert "prodready warning" not in rendered[("support-assistant", "copier")].output


def test_answers_files_record_the_answers(rendered):
    for name in EXAMPLE_NAMES:
        copier = yaml.safe_load((rendered[(name, "copier")].destination / ".copier-answers.yml").read_text())
        cruft = json.loads((rendered[(name, "cruft")].destination / ".cruft.json").read_text())
        assert copier["project_slug"] == cruft["context"]["cookiecutter"]["project_slug"]
        assert copier["_src_path"] and cruft["commit"]
