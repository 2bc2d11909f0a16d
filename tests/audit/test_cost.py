"""COS001-COS004 on an inline cost model."""

from __future__ import annotations

from datetime import timedelta

from prodready.audit.checks import CHECKS
from prodready.core.costing import PRICE_AGE_WARNING_DAYS

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, TODAY, line_of, outcome, run

FILE = "cost/cost_model.yaml"

COST_MODEL = """
    schema_version: 1
    currency: EUR
    price_date: "2026-05-01"
    system_kind: hosted_llm
    volumes:
      poc: {requests_per_month: 2000, active_users: 100, outcomes_per_month: 500}
      pilot: {requests_per_month: 40000, active_users: 2000, outcomes_per_month: 10000}
      production: {requests_per_month: 400000, active_users: 20000, outcomes_per_month: 100000}
    timeline:
      poc_months: 3
      pilot_months: 3
      ramp_months: 3
    unit_costs:
      hosted_llm:
        input_tokens_per_request: 1500
        output_tokens_per_request: 400
        input_price_per_million: 2.50
        output_price_per_million: 10.00
        cached_input_share: 0.0
        cached_input_price_per_million: 1.25
      storage:
        gb_per_month: 50
        price_per_gb_month: 0.023
      data_transfer:
        gb_per_thousand_requests: 0.01
        price_per_gb: 0.09
    fixed_monthly:
      serving_baseline: 150
      monitoring: 100
    people:
      loaded_annual_cost: 150000
      fte:
        on_call: {poc: 0, pilot: 0.1, production: 0.2}
        maintenance: {poc: 0.5, pilot: 0.3, production: 0.4}
    one_off:
      integration: 40000
    value:
      value_per_outcome: 10
    budgets:
      poc: 20000
      production_year1: 450000
    """


def cost_model(old: str, new: str) -> str:
    assert old in COST_MODEL, old
    return COST_MODEL.replace(old, new, 1)


# -- COS001 ---------------------------------------------------------------------------------


def test_cos001_passes_on_a_computable_model(make_repo: MakeRepo) -> None:
    assert outcome(run("COS001", make_repo({FILE: COST_MODEL}))) == PASSED


def test_cos001_fails_on_a_value_that_is_not_a_number(make_repo: MakeRepo) -> None:
    damaged = cost_model("poc_months: 3", "poc_months: three")
    finding = run("COS001", make_repo({FILE: damaged}))
    assert (finding.status, finding.file, finding.line) == ("failed", FILE, line_of(damaged, "poc_months"))
    assert finding.message.startswith("timeline.poc_months is 'three' (str), not a number. Fix: ")


def test_cos001_fails_when_missing(make_repo: MakeRepo) -> None:
    assert outcome(run("COS001", make_repo({}))) == ("failed", f"`{FILE}` is missing", FILE, None)


# -- COS002 ---------------------------------------------------------------------------------


def test_cos002_passes_when_the_budget_covers_year_one(make_repo: MakeRepo) -> None:
    assert outcome(run("COS002", make_repo({FILE: COST_MODEL}))) == PASSED


def test_cos002_fails_on_an_unfunded_year_one(make_repo: MakeRepo) -> None:
    damaged = cost_model("production_year1: 450000", "production_year1: 1000")
    finding = run("COS002", make_repo({FILE: damaged}))
    message = "budget 1000 EUR covers 1% of the projected first-year cost 151556.83"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "production_year1"))


def test_cos002_has_nothing_to_say_when_the_model_is_invalid(make_repo: MakeRepo) -> None:
    assert outcome(run("COS002", make_repo({FILE: cost_model("currency: EUR", "currency: 12")}))) == NOT_APPLICABLE


# -- COS003 ---------------------------------------------------------------------------------


def test_cos003_passes_when_an_outcome_is_worth_more(make_repo: MakeRepo) -> None:
    assert outcome(run("COS003", make_repo({FILE: COST_MODEL}))) == PASSED


def test_cos003_fails_when_an_outcome_is_worth_less(make_repo: MakeRepo) -> None:
    damaged = cost_model("value_per_outcome: 10", "value_per_outcome: 0.01")
    finding = run("COS003", make_repo({FILE: damaged}))
    message = "an outcome costs 0.108515 and is worth 0.01"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "value_per_outcome"))


def test_cos003_fails_when_the_value_is_unknown(make_repo: MakeRepo) -> None:
    damaged = cost_model("value_per_outcome: 10", "value_per_outcome: null")
    finding = run("COS003", make_repo({FILE: damaged}))
    assert outcome(finding) == ("failed", "value.value_per_outcome is not set", FILE, line_of(damaged, "value:"))


# -- COS004 ---------------------------------------------------------------------------------


def price_date(days_old: int) -> str:
    return cost_model('price_date: "2026-05-01"', f'price_date: "{TODAY - timedelta(days=days_old)}"')


def test_cos004_passes_on_prices_checked_within_the_limit(make_repo: MakeRepo) -> None:
    assert outcome(run("COS004", make_repo({FILE: price_date(PRICE_AGE_WARNING_DAYS)}))) == PASSED


def test_cos004_fails_on_prices_older_than_the_limit(make_repo: MakeRepo) -> None:
    damaged = price_date(PRICE_AGE_WARNING_DAYS + 1)
    finding = run("COS004", make_repo({FILE: damaged}))
    when = TODAY - timedelta(days=PRICE_AGE_WARNING_DAYS + 1)
    message = f"price_date {when} is {PRICE_AGE_WARNING_DAYS + 1} days old"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "price_date"))


def test_cos004_title_states_the_limit_of_the_cost_model() -> None:
    assert f"in the last {PRICE_AGE_WARNING_DAYS} days" in CHECKS["COS004"].title()


# -- COS005 -----------------------------------------------------------------------------------


def test_cos005_passes_when_the_poc_budget_covers_its_spend(make_repo: MakeRepo) -> None:
    assert outcome(run("COS005", make_repo({FILE: COST_MODEL}))) == PASSED


def test_cos005_fails_when_the_poc_spends_more_than_its_budget(make_repo: MakeRepo) -> None:
    """3 POC months at 6,516.65 EUR (0.5 of a 150,000 person, 250 fixed, 16.65 variable) against 15,000."""
    damaged = cost_model("poc: 20000", "poc: 15000")
    finding = run("COS005", make_repo({FILE: damaged}))
    message = "the POC's projected spend 19549.95 EUR (3 months) exceeds its budget 15000 by 4549.95"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "poc: 15000"))


def test_cos004_fails_until_a_person_checks_the_prices(make_repo: MakeRepo) -> None:
    unchecked = cost_model('price_date: "2026-05-01"', "price_date: null")
    finding = run("COS004", make_repo({FILE: unchecked}))
    message = "nobody has checked the prices: price_date is not set"
    assert outcome(finding) == ("failed", message, FILE, line_of(unchecked, "price_date: null"))


def test_cos004_fails_on_prices_in_another_currency_without_a_rate(make_repo: MakeRepo) -> None:
    fresh = price_date(1)
    unconverted = fresh.replace("currency: EUR", "currency: EUR\n    price_currency: USD", 1)
    finding = run("COS004", make_repo({FILE: unconverted}))
    message = "the prices are in USD, used as EUR: exchange_rate is not set"
    assert outcome(finding) == ("failed", message, FILE, line_of(unconverted, "price_currency: USD"))
    converted = unconverted.replace("price_currency: USD", "price_currency: USD\n    exchange_rate: 0.92")
    assert outcome(run("COS004", make_repo({FILE: converted}))) == PASSED
