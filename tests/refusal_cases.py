"""Answer sets the rules must refuse, each with the words the refusal must contain.

Shared by the rule unit tests (fast, in-process) and the generator tests (the same
cases through the cookiecutter and copier command lines).
"""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import example

BASE = "docs-assistant"


def base_answers() -> dict[str, str]:
    return example(BASE)


def _days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


# (case id, answers overriding the base, fragments the message must contain)
CASES: list[tuple[str, dict[str, str], list[str]]] = [
    ("slug-traversal", {"project_slug": "../escape"}, ["project_slug: got '../escape'; is not a safe directory name"]),
    (
        "slug-path-separator",
        {"project_slug": "team/poc"},
        ["project_slug: got 'team/poc'; is not a safe directory name"],
    ),
    (
        "package-not-identifier",
        {"package_name": "handbook-bot"},
        ["package_name: got 'handbook-bot'; is not a valid Python package name"],
    ),
    ("package-keyword", {"package_name": "class"}, ["package_name: got 'class'; is not a valid Python package name"]),
    (
        "package-shadows-stdlib",
        {"package_name": "json"},
        ["package_name: got 'json'; would shadow the standard library"],
    ),
    (
        "dataset-injection",
        {"primary_dataset": "docs; drop table x"},
        ["primary_dataset: got 'docs; drop table x'; is not a safe data set identifier"],
    ),
    (
        "owner-email-empty",
        {"production_owner_email": ""},
        ["production_owner_email: got ''; the production owner has no e-mail address"],
    ),
    (
        "owner-email-invalid",
        {"production_owner_email": "lea.martin at example"},
        ["production_owner_email: got 'lea.martin at example'; is not a valid e-mail address"],
    ),
    ("owner-name-tbd", {"business_owner_name": "TBD"}, ["business_owner_name: got 'TBD'; is empty or a placeholder"]),
    (
        "owner-name-your-name",
        {"technical_lead_name": "Your Name"},
        ["technical_lead_name: got 'Your Name'; is empty or a placeholder"],
    ),
    (
        "sponsor-name-whitespace",
        {"executive_sponsor_name": "   "},
        ["executive_sponsor_name: got '   '; is empty or a placeholder"],
    ),
    ("oncall-team-todo", {"oncall_team": "todo"}, ["oncall_team: got 'todo'; is empty or a placeholder"]),
    (
        "kill-criteria-unmeasurable",
        {"kill_criteria": "We will see"},
        ["kill_criteria: got 'We will see'; names no threshold"],
    ),
    (
        "placeholder-mailbox",
        {"kill_authority_email": "you@example.com"},
        ["kill_authority_email: got 'you@example.com'; is a placeholder address"],
    ),
    (
        "kill-authority-is-lead-email",
        {"kill_authority_email": "hana.kim@example.com"},
        ["kill_authority_email: got 'hana.kim@example.com'; the kill authority is the technical lead"],
    ),
    ("kill-authority-is-lead-name", {"kill_authority_name": "Hana Kim"}, ["the kill authority is the technical lead"]),
    (
        "business-problem-none",
        {"business_problem": "none"},
        ["business_problem: got 'none'; is empty, a placeholder or 'nothing'"],
    ),
    (
        "business-problem-one-word",
        {"business_problem": "Slowness"},
        ["business_problem: got 'Slowness'; is not a sentence"],
    ),
    (
        "process-retired-nothing",
        {"process_retired": "Nothing"},
        ["process_retired: got 'Nothing'; is empty, a placeholder or 'nothing'"],
    ),
    (
        "process-retired-na",
        {"process_retired": "N/A"},
        ["process_retired: got 'N/A'; is empty, a placeholder or 'nothing'"],
    ),
    ("kpi-baseline-not-number", {"kpi_baseline": "high"}, ["kpi_baseline: got 'high'; is not a number"]),
    (
        "kpi-target-equals-baseline",
        {"kpi_baseline": "40", "kpi_target": "40.0"},
        ["kpi_target: got '40.0'; equals kpi_baseline"],
    ),
    ("decision-date-past", {"decision_date": "2020-01-01"}, ["decision_date: got '2020-01-01'; is not in the future"]),
    (
        "decision-date-too-far",
        {"decision_date": _days(400)},
        ["decision_date: got '" + _days(400) + "'; is more than 12 months away"],
    ),
    (
        "decision-date-not-a-date",
        {"decision_date": "2027-02-30"},
        ["decision_date: got '2027-02-30'; is not a real ISO date"],
    ),
    (
        "risk-tier-prohibited",
        {"risk_tier": "unacceptable"},
        ["risk_tier: got 'unacceptable'; is a prohibited AI practice under EU AI Act Article 5"],
    ),
    (
        "annex-iii-not-high-risk-without-rationale",
        {"annex_iii_area": "employment", "article_6_3_rationale": "n/a"},
        [
            "risk_tier: got 'limited'; is limited, but the Annex III area employment makes the system high-risk "
            "(EU AI Act Article 6(2))",
            "article_6_3_rationale: why Article 6(3) exempts it",
        ],
    ),
    (
        "generative-minimal",
        {"risk_tier": "minimal"},
        ["risk_tier: got 'minimal'; is minimal, but a rag system writes content people read, so EU AI Act Article 50"],
    ),
    (
        "personal-data-without-regime",
        {"personal_data": "yes", "privacy_regimes": "none"},
        ["privacy_regimes: got 'none'; personal data is processed but no privacy regime applies"],
    ),
    (
        "unknown-privacy-regime",
        {"privacy_regimes": "gdpr, popia"},
        ["privacy_regimes: got 'gdpr, popia'; names unknown regime(s) popia"],
    ),
    (
        "other-system-without-direction",
        {"other_systems": "crm:out, pricing api"},
        ["other_systems: got 'crm:out, pricing api'; 'pricing api' does not start with a system name"],
    ),
    (
        "other-system-twice-or-derived",
        {"other_systems": "crm:out, crm:in, decisions:out"},
        ["'crm' is listed twice", "'decisions' is already in the map (derived from other answers)"],
    ),
    (
        "dataset-named-like-the-decisions",
        {"primary_dataset": "decisions"},
        ["primary_dataset: got 'decisions'; is the name of the POC's own decision records"],
    ),
    (
        "volume-not-number",
        {"production_monthly_requests": "lots"},
        ["production_monthly_requests: got 'lots'; is not a number"],
    ),
    (
        "production-volume-below-poc",
        {"production_monthly_requests": "10"},
        ["production_monthly_requests: got '10'; is below the POC's volume (3000)"],
    ),
    ("negative-poc-budget", {"poc_budget": "-5"}, ["poc_budget: got '-5'; is negative"]),
    (
        "unfunded-production",
        {"production_budget_year1": "0"},
        ["production_budget_year1: got '0'; is not positive: building to production is unfunded"],
    ),
    (
        "budget-not-number",
        {"production_budget_year1": "1,000,000"},
        ["production_budget_year1: got '1,000,000'; is not a number"],
    ),
    (
        "budget-absurd",
        {"production_budget_year1": "1e30"},
        ["production_budget_year1: got '1e30'; is out of range. Accepted: an amount of money greater than 0, at most"],
    ),
    (
        "volume-absurd",
        {"production_monthly_requests": "1" + "0" * 13},
        ["production_monthly_requests: got '10000000000000'; is out of range"],
    ),
    (
        "line-break-in-name",
        {"production_owner_name": "Lea\nMartin"},
        ["production_owner_name: got 'Lea\\nMartin'; contains line breaks"],
    ),
    (
        "several-at-once",
        {"risk_tier": "unacceptable", "production_budget_year1": "0", "oncall_email": "tbd"},
        [
            "prodready refused 3 answers; nothing was generated:",
            "oncall_email: got 'tbd'",
            "risk_tier: got 'unacceptable'",
            "production_budget_year1: got '0'",
        ],
    ),
]
