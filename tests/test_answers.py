"""The answer rules, in-process: every refusal case, and every example accepted."""

from __future__ import annotations

from datetime import date

import pytest

from prodready.core.answers import Refusal, default_decision_date, format_refusals, slugify, validate

from .helpers import EXAMPLES, example
from .refusal_cases import CASES, base_answers


def complete(answers: dict[str, str]) -> dict[str, str]:
    """Fill the computed defaults the generators would fill."""
    full = dict(answers)
    full.setdefault("project_slug", slugify(full["project_name"]))
    full.setdefault("package_name", full["project_slug"].replace("-", "_"))
    full.setdefault("decision_date", default_decision_date())
    return full


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_accepted(path):
    assert validate(complete(example(path.stem))) == []


@pytest.mark.parametrize(("case", "overrides", "expected"), CASES, ids=[c[0] for c in CASES])
def test_refused(case, overrides, expected):
    refusals = validate(complete({**base_answers(), **overrides}))
    message = format_refusals(refusals)
    assert refusals, case
    for fragment in expected:
        assert fragment in message
    # One line per refusal: a hostile value never breaks the message's shape.
    assert len(message.splitlines()) == len(refusals) + 1


def test_missing_answers_are_all_listed():
    refusals = validate({})
    named = {refusal.answer for refusal in refusals}
    for key in (
        "project_name",
        "production_owner_name",
        "production_owner_email",
        "business_kpi",
        "kill_criteria",
        "production_budget_year1",
    ):
        assert key in named


def test_decision_date_window_is_relative_to_today():
    answers = complete({**base_answers(), "decision_date": "2030-06-01"})
    assert validate(answers, today=date(2030, 1, 1)) == []
    assert [r.answer for r in validate(answers, today=date(2031, 1, 1))] == ["decision_date"]


def test_refusal_shows_hostile_values_on_one_line():
    text = str(Refusal("project_name", "a'\nb\x00" + "x" * 100, "is bad", "good"))
    assert "\n" not in text
    assert text.startswith("project_name: got 'a\\'\\nb\\x00")
    assert "..." in text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Support ticket triage", "support-ticket-triage"),
        ("Ünïcode Déjà vu", "unicode-deja-vu"),
        ("2025 Forecast", "poc-2025-forecast"),
        ("日本語", ""),
        ("x" * 80, "x" * 63),
        ("2025 " + "y" * 80, "poc-2025-" + "y" * 54),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("key", "value", "refused"),
    [
        ("production_budget_year1", "1e30", True),
        ("production_budget_year1", "1000000000000", False),
        ("production_budget_year1", "1000000000000.01", True),
        ("poc_budget", "1e-10", True),
        ("poc_budget", "0.000000001", False),
        ("poc_budget", "0", False),
        ("kpi_baseline", "-1e13", True),
        ("kpi_baseline", "1e-999999999", True),
        ("production_monthly_requests", "9" * 13, True),
    ],
)
def test_numbers_are_bounded_as_the_cost_model_bounds_them(key, value, refused):
    """The answer rules accept no figure the cost model would refuse (or could not project)."""
    refusals = validate(complete({**base_answers(), key: value}))
    assert (key in {r.answer for r in refusals}) is refused, refusals
    if refused:
        assert any("1,000,000,000,000" in str(r) for r in refusals if r.answer == key)


@pytest.mark.parametrize(("length", "refused"), [(63, False), (64, True)])
def test_slug_fits_backstage_entity_names(length, refused):
    """catalog-info.yaml names the component by the slug: Backstage allows 63 characters."""
    refusals = validate(complete({**base_answers(), "project_slug": "a" * length}))
    messages = [str(r) for r in refusals if r.answer == "project_slug"]
    assert bool(messages) is refused, refusals
    if refused:
        assert "longer than Backstage entity names allow" in messages[0] and "at most 63 characters" in messages[0]


def test_an_annex_iii_system_may_be_limited_risk_with_an_article_6_3_rationale():
    answers = {**base_answers(), "annex_iii_area": "employment"}
    answers["article_6_3_rationale"] = "It only reorders CVs for a recruiter who reads every one (a preparatory task)."
    assert validate(complete(answers)) == []


def test_answers_to_questions_that_do_not_apply_are_ignored():
    """Copier does not ask them; cookiecutter asks every question, and the rules ignore these."""
    answers = {**base_answers(), "workers_affected": "maybe", "article_6_3_rationale": "x"}
    assert validate(complete(answers)) == []  # limited risk, no Annex III area: neither applies


@pytest.mark.parametrize(
    ("kind", "mode", "online"),
    [("classical-ml", "batch", False), ("classical-ml", "online", True), ("llm-api", "batch", True), ("rag", "", True)],
)
def test_only_a_classical_model_may_run_as_a_batch_job(kind: str, mode: str, online: bool) -> None:
    """serving_mode is asked for classical models only; elsewhere an answer given anyway does not apply."""
    from prodready.core.answers import online as served_online

    assert served_online({"ai_system_type": kind, "serving_mode": mode}) is online
