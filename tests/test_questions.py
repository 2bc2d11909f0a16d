"""cookiecutter.json is the questionnaire's single source; copier.yml must follow it."""

from __future__ import annotations

import json

import yaml
from tools.sync_copier_yml import render

from .helpers import ROOT

#: The questionnaire's keys are a contract with docs, examples and later tooling.
CONTRACT_KEYS = [
    "project_name",
    "project_slug",
    "description",
    "business_problem",
    "business_kpi",
    "kpi_baseline",
    "kpi_target",
    "process_retired",
    "decision_date",
    "kill_criteria",
    "production_owner_name",
    "production_owner_email",
    "business_owner_name",
    "business_owner_email",
    "technical_lead_name",
    "technical_lead_email",
    "oncall_team",
    "oncall_email",
    "executive_sponsor_name",
    "executive_sponsor_email",
    "kill_authority_name",
    "kill_authority_email",
    "ai_system_type",
    "risk_tier",
    "data_classification",
    "personal_data",
    "privacy_regimes",
    "primary_dataset",
    "primary_dataset_owner_email",
    "poc_monthly_requests",
    "production_monthly_requests",
    "poc_budget",
    "production_budget_year1",
    "currency",
    "ci_provider",
    "python_version",
]


def cookiecutter_json() -> dict:
    return json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))


def test_copier_yml_is_generated_from_cookiecutter_json():
    committed = (ROOT / "copier.yml").read_text(encoding="utf-8")
    assert committed == render(cookiecutter_json()), "copier.yml drifted from cookiecutter.json: run `nox -s sync`"


def test_every_question_has_a_prompt_and_the_same_shape_in_copier():
    questions = cookiecutter_json()
    copier = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    keys = [k for k in questions if not k.startswith("_")]
    assert keys == [k for k in copier if not k.startswith("_")]
    for key in keys:
        assert questions["__prompts__"][key] == copier[key]["help"]
        if isinstance(questions[key], list):
            assert copier[key]["choices"] == questions[key]
            assert copier[key]["default"] == questions[key][0]


def test_contract_keys_are_all_asked():
    assert set(CONTRACT_KEYS) <= set(cookiecutter_json())


def test_accountable_roles_default_to_empty():
    questions = cookiecutter_json()
    for key in CONTRACT_KEYS:
        if key.endswith(("_name", "_email")) and key != "project_name":
            assert questions[key] == "", key
