"""The governance catalogue against the official identifiers, and what each classification owes.

tests/data/governance_identifiers.json holds the identifiers of the EU AI Act (its 113
articles with their titles, and the paragraphs of the articles cited), NIST AI 100-1's
72 subcategories, NIST AI 600-1's risks and the actions cited, and ISO/IEC 42001:2023
Annex A's 38 controls, collected from the texts (its ``sources``).
"""

from __future__ import annotations

import json
import re

import pytest
from tools.gen_governance_docs import render

from prodready.core.obligations import CONDITIONS, FRAMEWORKS, TIERS, catalogue, checklist_items, classify
from prodready.core.people import LATER_ROLES, ROLE_KEYS
from prodready.core.signoffs import DATA_OWNER, SIGNERS
from prodready.core.stages import STAGES

from .helpers import ROOT

OFFICIAL = json.loads((ROOT / "tests" / "data" / "governance_identifiers.json").read_text(encoding="utf-8"))
ARTICLE = re.compile(r"^Article (\d+)(?:\((\w+)\))?$")


def test_the_identifiers_file_is_complete() -> None:
    assert len(OFFICIAL["eu_ai_act"]["articles"]) == 113
    assert len(OFFICIAL["nist_ai_rmf"]) == 72
    assert len(OFFICIAL["iso_42001_annex_a"]) == 38
    assert len(OFFICIAL["nist_ai_600_1"]["risks"]) == 12


@pytest.mark.parametrize("item", catalogue(), ids=lambda item: item.id)
def test_every_reference_is_an_official_identifier(item) -> None:
    articles, paragraphs = OFFICIAL["eu_ai_act"]["articles"], OFFICIAL["eu_ai_act"]["paragraphs"]
    for reference in item.references["eu_ai_act"]:
        found = ARTICLE.match(reference)
        assert found, f"{item.id}: {reference!r} is not written 'Article N' or 'Article N(p)'"
        number, paragraph = found.groups()
        assert number in articles, f"{item.id}: the EU AI Act has no {reference}"
        if paragraph is not None:
            assert paragraph in paragraphs[number], f"{item.id}: Article {number} has no paragraph {paragraph}"
    assert set(item.references["nist_ai_rmf"]) <= set(OFFICIAL["nist_ai_rmf"]), item.id
    assert set(item.references["nist_ai_600_1"]) <= set(OFFICIAL["nist_ai_600_1"]["actions"]), item.id
    assert set(item.references["iso_42001"]) <= set(OFFICIAL["iso_42001_annex_a"]), item.id


def test_every_application_date_names_an_article_and_every_cited_article_has_one() -> None:
    import tomllib

    from prodready.core.obligations import CATALOGUE

    dates = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))["applies_from"]
    assert {key.split()[1] for key in dates} <= set(OFFICIAL["eu_ai_act"]["articles"])
    cited = {ARTICLE.match(ref).group(1) for item in catalogue() for ref in item.references["eu_ai_act"]}
    assert {f"Article {n}" for n in cited} <= set(dates)


def test_the_catalogue_is_well_formed() -> None:
    items = catalogue()
    assert len({item.id for item in items}) == len(items), "duplicate ids"
    roles = {*ROLE_KEYS, *LATER_ROLES, DATA_OWNER}
    for item in items:
        assert item.stage in STAGES and item.tiers <= set(TIERS) and item.when <= CONDITIONS, item.id
        assert item.owed_by and item.owed_by <= {"provider", "deployer"}, item.id
        assert set(item.signers) <= roles and item.owner in roles, item.id
        assert any(item.references[key] for key, _ in FRAMEWORKS), f"{item.id} cites nothing"
    assert {item.id: item.signers for item in items} == SIGNERS


def test_the_governance_page_is_generated_from_the_catalogue() -> None:
    committed = (ROOT / "docs" / "governance.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/governance.md is stale: run `python tools/gen_governance_docs.py`"


# -- What each classification owes -------------------------------------------------------

UNIVERSAL = {"GOV-001", "GOV-002", "GOV-003", "GOV-004", "GOV-010", "GOV-011", "GOV-012", "GOV-013", "GOV-017"}
UNIVERSAL |= {"GOV-020", "GOV-021"}
# The agreement of the people production needs (core/people.py LATER_ROLES).
UNIVERSAL |= {"GOV-022", "GOV-023", "GOV-024", "GOV-025", "GOV-026"}
PROVIDER_HIGH = {"HR-009", "HR-010", "HR-011", "HR-012", "HR-013", "HR-014", "HR-015", "HR-016", "HR-017", "HR-018"}
DEPLOYER_HIGH = {"DEP-001", "DEP-002", "DEP-003", "DEP-004", "DEP-005", "DEP-006"}
HIRING = {"risk_tier": "high", "annex_iii_area": "employment", "ai_system_type": "classical-ml", "personal_data": "yes"}


def owed(**answers: str) -> set[str]:
    return {item["id"] for item in checklist_items(answers)}


def test_a_provider_of_a_high_risk_annex_iii_system() -> None:
    """A vendor's CV-screening model: Articles 9-20, conformity, registration, post-market monitoring,
    incident reports. A batch score nobody talks to owes no Article 50."""
    assert owed(**HIRING, ai_act_role="provider") == UNIVERSAL | {"GOV-015", "HR-019"} | PROVIDER_HIGH


def test_a_deployer_of_the_same_system() -> None:
    """The employer using it: Article 26, informing the workers, no provider duties."""
    items = owed(**HIRING, ai_act_role="deployer", workers_affected="yes")
    assert items == UNIVERSAL | {"GOV-015", "DEP-007"} | DEPLOYER_HIGH
    assert not items & (PROVIDER_HIGH | {"HR-019"})  # its incidents go to the provider first (26(5), DEP-004)


def test_a_deployer_of_a_credit_scoring_system_assesses_fundamental_rights() -> None:
    credit = {**HIRING, "annex_iii_area": "essential-services", "ai_act_role": "deployer"}
    assert "DEP-008" in owed(**credit) and "DEP-008" not in owed(**HIRING, ai_act_role="deployer")


def test_a_limited_risk_chatbot_deployer() -> None:
    items = owed(risk_tier="limited", ai_act_role="deployer", ai_system_type="llm-api", personal_data="yes")
    assert items == UNIVERSAL | {"GOV-019", "GOV-015", "GOV-016", "GOV-018"}  # the deployer's Article 50(4)


def test_a_minimal_risk_batch_model() -> None:
    """A churn model that talks to nobody: no Article 50, nothing of the high-risk chapter."""
    items = owed(risk_tier="minimal", ai_act_role="provider-and-deployer", ai_system_type="classical-ml")
    assert items == UNIVERSAL


def test_limited_and_minimal_differ() -> None:
    common = {"ai_act_role": "provider-and-deployer", "ai_system_type": "classical-ml", "personal_data": "no"}
    # Article 50, the provider's and the deployer's part: people interact with a limited-risk system.
    assert owed(risk_tier="limited", **common) - owed(risk_tier="minimal", **common) == {"GOV-014", "GOV-019"}


def test_an_annex_iii_system_documented_as_not_high_risk_records_why() -> None:
    answers = {
        **HIRING,
        "risk_tier": "limited",
        "ai_act_role": "provider",
        "article_6_3_rationale": "a preparatory task",
    }
    assert "CLS-001" in owed(**answers)
    assert classify(answers).conditions == {"personal_data", "article_6_3", "transparency"}


def test_a_poc_generated_before_the_role_question_owes_both_roles() -> None:
    assert owed(**HIRING) >= PROVIDER_HIGH | DEPLOYER_HIGH


def test_items_carry_their_application_date() -> None:
    items = {item["id"]: item for item in checklist_items({**HIRING, "ai_act_role": "deployer", "risk_tier": "high"})}
    items |= {i["id"]: i for i in checklist_items({**HIRING, "ai_act_role": "provider", "ai_system_type": "llm-api"})}
    assert items["GOV-010"]["applies_from"] == "2025-02-02"  # Article 4
    assert items["GOV-014"]["applies_from"] == "2026-08-02"  # Article 50
    assert items["DEP-005"]["applies_from"] == "2027-12-02"  # Article 26, Annex III, as postponed
    assert items["GOV-001"]["applies_from"] is None  # a management practice, not a legal date
