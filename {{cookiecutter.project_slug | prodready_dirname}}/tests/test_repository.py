"""The accountability files stay consistent with each other as the team edits them."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load(relative: str) -> dict:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def test_every_role_has_a_name_and_an_email():
    """A role declared for later (its person null until the pilot) is held by nobody yet."""
    roles = load("ownership.yaml")["roles"]
    for role, person in roles.items():
        if person.get("name") is None and person.get("email") is None:
            continue
        assert str(person["name"]).strip(), role
        assert "@" in str(person["email"]), role
    assert roles["kill_authority"]["email"] != roles["technical_lead"]["email"]


def test_alerts_go_to_the_oncall_team():
    ownership = load("ownership.yaml")
    assert load("monitoring/monitoring.yaml")["alerts"]["route"] == ownership["oncall"]["email"]


def test_the_ci_sample_has_the_contract_columns():
    contract = load("contracts/{{ cookiecutter.primary_dataset }}.odcs.yaml")
    (server,) = [s for s in contract["servers"] if s["server"] == "ci"]
    with (ROOT / server["path"]).open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    expected = [prop["name"] for prop in contract["schema"][0]["properties"]]
    assert header == expected
