"""The cost model: hand-computed scenarios to the cent, properties, and bad input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from prodready.cli import main
from prodready.core.cost_model import CostModelError, parse
from prodready.core.costing import ARITHMETIC, month_cost, project, variable_cost
from prodready.cost.report import as_dict, to_markdown, to_svg, to_table

HOSTED: dict = {
    "currency": "USD",
    "price_date": "2026-11-01",
    "system_kind": "hosted_llm",
    "volumes": {
        "poc": {"requests_per_month": 1000, "active_users": 10, "outcomes_per_month": 100},
        "pilot": {"requests_per_month": 10000, "active_users": 100, "outcomes_per_month": 1000},
        "production": {"requests_per_month": 100000, "active_users": 1000, "outcomes_per_month": 10000},
    },
    "timeline": {"poc_months": 2, "pilot_months": 3, "ramp_months": 3},
    "unit_costs": {
        "hosted_llm": {
            "input_tokens_per_request": 1000,
            "output_tokens_per_request": 500,
            "input_price_per_million": 3.00,
            "output_price_per_million": 15.00,
            "cached_input_share": 0.2,
            "cached_input_price_per_million": 1.50,
        },
        "storage": {"gb_per_month": 10, "price_per_gb_month": 0.5},
        "data_transfer": {"gb_per_thousand_requests": 0.01, "price_per_gb": 0.1},
    },
    "fixed_monthly": {"serving_baseline": 100, "monitoring": 50},
    "people": {
        "loaded_annual_cost": 120000,
        "fte": {
            "on_call": {"poc": 0, "pilot": 0.1, "production": 0.25},
            "maintenance": {"poc": 0.5, "pilot": 0.3, "production": 0.5},
        },
    },
    "one_off": {"integration": 10000},
    "value": {"value_per_outcome": 2.00},
    "budgets": {"poc": 5000, "production_year1": 200000},
}


def model(**changes) -> dict:
    data = copy.deepcopy(HOSTED)
    data.update(changes)
    return data


SELF_HOSTED = model(
    system_kind="self_hosted",
    volumes={
        "poc": {"requests_per_month": 36000, "active_users": 10, "outcomes_per_month": 100},
        "pilot": {"requests_per_month": 360000, "active_users": 100, "outcomes_per_month": 1000},
        "production": {"requests_per_month": 3600000, "active_users": 1000, "outcomes_per_month": 10000},
    },
    timeline={"poc_months": 1, "pilot_months": 6, "ramp_months": 0},
    unit_costs={
        "self_hosted": {"gpu_price_per_hour": 2, "throughput_requests_per_second": 1, "utilisation": 0.5, "min_gpus": 1}
    },
    fixed_monthly={"monitoring": 40},
    people={
        "loaded_annual_cost": 96000,
        "fte": {
            "on_call": {"poc": 0, "pilot": 0, "production": 0.5},
            "maintenance": {"poc": 0.25, "pilot": 0.25, "production": 0.25},
        },
    },
    one_off={},
    value={"value_per_outcome": None},
)

CLASSICAL = model(
    system_kind="classical",
    volumes={
        "poc": {"requests_per_month": 10000, "active_users": 5, "outcomes_per_month": 50},
        "pilot": {"requests_per_month": 200000, "active_users": 50, "outcomes_per_month": 500},
        "production": {"requests_per_month": 2000000, "active_users": 500, "outcomes_per_month": 5000},
    },
    unit_costs={
        "classical": {"compute_per_thousand_predictions": 0.05},
        "storage": {"gb_per_month": 100, "price_per_gb_month": 0.02},
        "data_transfer": {"gb_per_thousand_requests": 0.02, "price_per_gb": 0.1},
    },
    fixed_monthly={"serving_baseline": 100},
    people={"loaded_annual_cost": 100000, "fte": {"maintenance": {"poc": 0.6, "pilot": 0.2, "production": 0.3}}},
)

D = Decimal


def test_hosted_llm_by_hand():
    p = project(parse(HOSTED))
    # Per request: input at 0.8 x 3.00 + 0.2 x 1.50 = 2.70/M tokens, output 15.00/M, plus 0.000001 transfer.
    assert (p.stages["poc"].monthly.variable, p.stages["poc"].monthly.fixed, p.stages["poc"].monthly.people) == (
        D("10.20"),
        D("155.00"),
        D("5000.00"),
    )
    assert p.stages["poc"].monthly.total == D("5165.20")
    assert p.stages["pilot"].monthly.total == D("4257.01")
    assert p.stages["production"].monthly.variable == D("1020.10")
    assert p.stages["production"].monthly.total == D("8675.10")
    assert p.stages["poc"].cost_per_request == D("5.165200")
    assert p.stages["poc"].cost_per_user == D("516.520000")
    assert p.stages["production"].cost_per_outcome == D("0.867510")
    # Year one: 3 pilot months, ramp at 40k, 70k, 100k requests, 6 production months, one-off in month 1.
    assert [m.total for m in p.months[:6]] == [
        D("14257.01"),
        D("4257.01"),
        D("4257.01"),
        D("8063.04"),
        D("8369.07"),
        D("8675.10"),
    ]
    assert p.year_one_total == D("99928.84")
    assert p.poc_total == D("10330.40")
    assert p.poc_share == D("0.0937")
    assert p.budget_coverage == D("2.0014")
    # Cumulative value minus cost: -12257.01, -14514.02, -16771.03, -16834.07, -11203.14, +121.76.
    assert p.break_even.month == 6


def test_self_hosted_by_hand():
    p = project(parse(SELF_HOSTED))
    # 3.6M requests at 1 req/s and 50% utilisation need 2000 GPU-hours; 730 always-on hours are fixed.
    production = p.stages["production"].monthly
    assert (production.variable, production.fixed, production.people) == (D("2540.00"), D("1500.00"), D("6000.00"))
    assert p.stages["poc"].monthly.total == D("3500.00")
    assert p.stages["pilot"].monthly.total == D("3500.00")
    assert p.year_one_total == D("81240.00")
    assert (p.break_even.month, p.break_even.status) == (None, "unknown")
    utilisation = {s.name: s for s in p.sensitivity}["utilisation x0.5"]
    assert utilisation.production_monthly_total == D("6540.00") + D("1500.00") + D("6000.00")


def test_classical_by_hand():
    p = project(parse(CLASSICAL))
    assert p.stages["production"].monthly.variable == D("104.00")
    assert p.stages["production"].monthly.fixed == D("102.00")
    assert p.stages["production"].monthly.people == D("2500.00")
    assert p.stages["production"].monthly.total == D("2706.00")
    assert p.stages["poc"].monthly.total == D("5102.52")
    assert p.stages["production"].cost_per_outcome == D("0.541200")


def test_sensitivity_scenarios_are_named_and_ordered():
    names = [s.name for s in project(parse(HOSTED)).sensitivity]
    assert names == ["base", "volume x0.5", "volume x2", "volume x10", "unit price -50%", "unit price +50%"]
    self_hosted = [s.name for s in project(parse(SELF_HOSTED)).sensitivity]
    assert self_hosted[-2:] == ["utilisation x0.5", "utilisation x1.5 (max 1)"]


def test_json_interface_keys():
    data = as_dict(project(parse(HOSTED)))
    for stage in ("poc", "pilot", "production"):
        assert set(data["stages"][stage]["monthly"]) == {"variable", "fixed", "people", "total"}
        assert {"cost_per_request", "cost_per_user", "cost_per_outcome"} <= set(data["stages"][stage])
    assert data["year_one_total"] == "99928.84"
    assert (data["poc_share"], data["break_even_month"], data["budget_coverage"]) == ("0.0937", 6, "2.0014")
    assert len(data["sensitivity"]) == 6 and len(data["year_one_months"]) == 12
    json.dumps(data)


def test_markdown_and_chart():
    p = project(parse(HOSTED))
    markdown = to_markdown(p)
    assert "| production | 100,000 | 1,020.10 | 155.00 | 7,500.00 | 8,675.10 |" in markdown
    assert "99,928.84 USD" in markdown
    svg = to_svg(p)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2


def test_monthly_value_at_target_is_spread_over_outcomes():
    p = project(parse(model(value={"value_per_outcome": None, "monthly_value_at_target": 20000})))
    assert p.value_per_outcome == D(2) and p.break_even.month == 6
    with pytest.raises(CostModelError, match="give one of the two"):
        parse(model(value={"value_per_outcome": 2, "monthly_value_at_target": 20000}))


BREAK_EVEN_CASES = [
    # (value_per_outcome, month, status, reason): HOSTED's production outcome costs 0.86751.
    (None, None, "unknown", "no value per outcome in cost/cost_model.yaml"),
    (0, None, "never", "a production month's value (0.00 USD) does not exceed its cost (8,675.10 USD)"),
    (0.86, None, "never", "a production month's value (8,600.00 USD) does not exceed its cost (8,675.10 USD)"),
    (0.87, None, "never", "not within 10 years of the pilot's start"),
    (0.9, 87, "reached", ""),
    (2, 6, "reached", ""),
]


@pytest.mark.parametrize(("value", "month", "status", "reason"), BREAK_EVEN_CASES)
def test_break_even_is_unknown_without_a_value_and_never_only_when_the_value_falls_short(value, month, status, reason):
    p = project(parse(model(value={"value_per_outcome": value})))
    assert (p.break_even.month, p.break_even.status) == (month, status)
    assert p.break_even.reason.startswith(reason)
    shown = f"{status}: {reason}" if month is None else f"month {month} from pilot start"
    data = as_dict(p)
    assert (data["break_even_month"], data["break_even_status"]) == (month, status)
    assert data["break_even_reason"] == (p.break_even.reason or None)
    assert f"| Break-even month | {shown}" in to_markdown(p)
    table = to_table(p)
    assert "Break-even month" in table and shown in table
    formats = [to_markdown(p), to_table(p), json.dumps(data)]
    assert ("never" in " ".join(formats)) is (status == "never")


def test_old_prices_warn():
    p = project(parse(model(price_date="2020-01-01")))
    assert any("price_date 2020-01-01" in warning for warning in p.warnings())


prices = st.decimals(min_value=0, max_value=1000, places=2)
volumes = st.integers(min_value=0, max_value=10**8)
SCENARIOS = [HOSTED, SELF_HOSTED, CLASSICAL]


@settings(max_examples=200)
@given(st.sampled_from(SCENARIOS), volumes, volumes)
def test_cost_is_monotonic_in_volume(data, low, high):
    low, high = sorted((low, high))
    m = parse(data)
    for stage in ("poc", "pilot", "production"):
        assert month_cost(m, stage, D(low)).total <= month_cost(m, stage, D(high)).total


@settings(max_examples=100)
@given(st.sampled_from(SCENARIOS), st.sampled_from(["poc", "pilot", "production"]))
def test_zero_volume_leaves_fixed_and_people(data, stage):
    m = parse(data)
    cost = month_cost(m, stage, D(0))
    assert cost.variable == 0 and cost.total == cost.fixed + cost.people


def doubled_prices(data: dict) -> dict:
    data = copy.deepcopy(data)
    for figures in data["unit_costs"].values():
        for key in figures:
            if "price" in key or key == "compute_per_thousand_predictions":
                figures[key] = figures[key] * 2
    return data


@settings(max_examples=200)
@given(st.sampled_from(SCENARIOS), volumes)
def test_doubling_every_price_doubles_variable_cost(data, requests):
    base, doubled = parse(data), parse(doubled_prices(data))
    # Exact up to Decimal's 28 significant digits (GPU-hours divide by throughput).
    difference = variable_cost(doubled, D(requests)) - 2 * variable_cost(base, D(requests))
    assert abs(difference) <= D("1e-15")


@pytest.mark.parametrize(
    ("change", "where", "fragment"),
    [
        (
            ("unit_costs", "hosted_llm", "input_price_per_million", -1),
            "unit_costs.hosted_llm.input_price_per_million",
            "below 0",
        ),
        (
            ("unit_costs", "hosted_llm", "output_price_per_million", "15 USD"),
            "unit_costs.hosted_llm.output_price_per_million",
            "not a number",
        ),
        (
            ("volumes", "production", "requests_per_month", "lots"),
            "volumes.production.requests_per_month",
            "not a number",
        ),
        (("budgets", "production_year1", True), "budgets.production_year1", "not a number"),
    ],
)
def test_parse_refuses_bad_values(change, where, fragment):
    data = copy.deepcopy(HOSTED)
    *path, key, value = change
    target = data
    for part in path:
        target = target[part]
    target[key] = value
    with pytest.raises(CostModelError) as error:
        parse(data)
    assert ".".join(map(str, error.value.where)) == where and fragment in str(error.value)


def test_parse_refuses_utilisation_outside_unit_interval():
    for utilisation in (0, 1.5, -0.1):
        data = copy.deepcopy(SELF_HOSTED)
        data["unit_costs"]["self_hosted"]["utilisation"] = utilisation
        with pytest.raises(CostModelError, match="utilisation"):
            parse(data)


def write_model(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cost_model.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_FILES = [
    (
        "negative price",
        lambda t: t.replace("input_price_per_million: 3.0", "input_price_per_million: -3.0"),
        "input_price_per_million",
        "input_price_per_million: -3.0",
    ),
    ("utilisation", None, "utilisation", "utilisation: 1.5"),
    ("missing stage", lambda t: t.replace("  pilot:", "  pilots:"), "volumes.pilot is missing", "volumes:"),
    (
        "string for number",
        lambda t: t.replace("loaded_annual_cost: 120000", "loaded_annual_cost: 120k"),
        "loaded_annual_cost",
        "loaded_annual_cost: 120k",
    ),
    ("malformed yaml", lambda t: t.replace("currency: USD", "currency: [USD"), "invalid YAML", None),
]


@pytest.mark.parametrize(("case", "edit", "fragment", "line_text"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_cli_reports_bad_input_on_one_line(case, edit, fragment, line_text, tmp_path):
    if case == "utilisation":
        text = yaml.safe_dump(SELF_HOSTED, sort_keys=False).replace("utilisation: 0.5", "utilisation: 1.5")
    else:
        text = edit(yaml.safe_dump(HOSTED, sort_keys=False))
    path = write_model(tmp_path, text)
    result = CliRunner().invoke(main, ["cost", str(path)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {path}:") and fragment in line and "Fix:" in line
    if line_text:
        number = int(line.split(":")[2])
        assert text.splitlines()[number - 1].strip().startswith(line_text)


def test_cli_missing_file_and_atomic_outputs(tmp_path):
    result = CliRunner().invoke(main, ["cost", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "does not exist" in result.output
    path = write_model(tmp_path, yaml.safe_dump(HOSTED))
    result = CliRunner().invoke(
        main,
        [
            "cost",
            str(path),
            "--format",
            "markdown",
            "--output",
            str(tmp_path / "r.md"),
            "--chart",
            str(tmp_path / "c.svg"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.md").read_text().startswith("## Cost projection")
    assert (tmp_path / "c.svg").read_text().startswith("<svg")
    result = CliRunner().invoke(main, ["cost", str(path), "--output", str(tmp_path / "missing-dir" / "r.md")])
    assert result.exit_code == 2 and not (tmp_path / "missing-dir").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- bounds: no figure is absurd, no projection raises a decimal error ------------------------


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("budgets", "production_year1"), 1e26, "is 1e+26, above 1,000,000,000,000"),
        (("volumes", "production", "requests_per_month"), 10**30, "above 1,000,000,000,000"),
        (("people", "loaded_annual_cost"), 10**4000, "is a number of 4001 digits, above"),
        (("unit_costs", "hosted_llm", "input_price_per_million"), 1e-300, "too small to be a figure"),
        (("unit_costs", "hosted_llm", "cached_input_share"), 1.5, "is 1.5, above 1"),
    ],
)
def test_every_figure_is_bounded(path, value, fragment):
    data = copy.deepcopy(HOSTED)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(CostModelError) as error:
        parse(data)
    assert error.value.where == path and fragment in str(error.value)


def test_the_largest_figures_still_project_to_the_cent():
    """Every figure at its bound: the projection is exact, with no decimal error and no lost cent."""
    data = copy.deepcopy(SELF_HOSTED)
    top = 10**12
    for stage in data["volumes"].values():
        stage.update(requests_per_month=top, active_users=top, outcomes_per_month=1e-9)
    data["unit_costs"]["self_hosted"].update(
        gpu_price_per_hour=top, throughput_requests_per_second=1e-9, utilisation=1e-9, min_gpus=top
    )
    data["people"]["loaded_annual_cost"] = top
    projection = project(parse(data))
    production = projection.stages["production"]
    parts = (production.monthly.variable, production.monthly.fixed, production.monthly.people)
    with localcontext(ARITHMETIC):  # the default 28 digits would round a sum this large
        assert production.monthly.total == sum(parts, Decimal(0)) and str(production.monthly.total).endswith(".78")
    assert production.cost_per_outcome is not None and production.cost_per_outcome > 10**45
    assert json.loads(json.dumps(as_dict(projection)))["sensitivity"] and to_markdown(projection)
    assert to_svg(projection).startswith("<svg")


def test_a_projection_past_what_decimals_hold_is_a_cost_model_error(monkeypatch):
    from prodready.core import costing

    monkeypatch.setattr(costing, "ARITHMETIC", costing.Context(prec=10, traps=costing.ARITHMETIC.traps))
    data = copy.deepcopy(HOSTED)
    data["budgets"]["production_year1"] = 10**12
    data["volumes"]["production"]["requests_per_month"] = 10**12
    with pytest.raises(CostModelError, match="the figures multiply past what can be computed"):
        project(parse(data))


def test_a_yaml_timestamp_price_date_counts_as_its_day(tmp_path):
    text = yaml.safe_dump(HOSTED, sort_keys=False).replace(
        "price_date: '2026-11-01'", "price_date: 2026-11-01 10:00:00"
    )
    assert "2026-11-01 10:00:00" in text
    result = CliRunner().invoke(main, ["cost", str(write_model(tmp_path, text)), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["price_date"] == "2026-11-01"


# -- Three years, the POC's own budget, people by risk tier (issue 16) ------------------------


def test_three_years_by_hand_for_each_kind():
    """After year one every month is a production month: years two and three are 12 of them."""
    hosted, self_hosted, classical = (project(parse(data)) for data in (HOSTED, SELF_HOSTED, CLASSICAL))
    assert len(hosted.months) == 36
    # Hosted LLM: 12 x 8,675.10 = 104,101.20 a year after the first 99,928.84.
    assert hosted.years == [D("99928.84"), D("104101.20"), D("104101.20")]
    assert hosted.three_year_total == D("308131.24")
    # Self-hosted: 2,540 GPU + 1,500 fixed + 6,000 people = 10,040 a month, 120,480 a year.
    assert self_hosted.years == [D("81240.00"), D("120480.00"), D("120480.00")]
    assert self_hosted.three_year_total == D("322200.00")
    # Classical, year one: month 1 is 10,000 one-off + a pilot month of 10.40 variable
    # (200 x 0.05 + 200 x 0.02 x 0.1), 102.00 fixed, 1,666.67 people = 11,779.07; months 2-3
    # 1,779.07 each; the ramp at 800k, 1.4M, 2M requests: 2,643.60, 2,674.80, 2,706.00;
    # months 7-12 at 2,706.00. Then 12 x 2,706.00 a year.
    assert classical.year_one_total == D("39597.61")
    assert classical.years[1:] == [D("32472.00"), D("32472.00")]
    assert classical.three_year_total == D("104541.61")


def test_a_yearly_price_change_moves_unit_and_fixed_prices_not_people():
    data = copy.deepcopy(HOSTED)
    data["timeline"]["price_change_per_year"] = 0.10
    p = project(parse(data))
    # Year two: variable 1,020.10 x 1.1 = 1,122.11, fixed 155 x 1.1 = 170.50, people 7,500.
    assert p.months[12].cost == month_cost(parse(data), "production", D(100000), 2)
    assert p.months[12].total == D("8792.61")
    # Year three: 1,020.10 x 1.21 = 1,234.32, 155 x 1.21 = 187.55, people 7,500.
    assert p.months[24].total == D("8921.87")
    assert p.years == [D("99928.84"), D("105511.32"), D("107062.44")]


def test_the_pocs_own_overrun_is_a_warning():
    p = project(parse(HOSTED))  # 2 months at 5,165.20 against a 5,000 budget
    assert (p.poc_total, p.poc_overrun) == (D("10330.40"), D("5330.40"))
    assert any("the POC's projected spend (10,330.40 USD over 2 months) exceeds its budget" in w for w in p.warnings())
    funded = project(parse(model(budgets={"poc": 10330.40, "production_year1": 200000})))
    assert funded.poc_overrun == 0 and not any("POC's projected spend" in w for w in funded.warnings())


def test_a_high_risk_poc_pays_for_oversight_compliance_and_incidents():
    from prodready.core.cost_defaults import model_from_answers, oversight_fte

    answers = {
        "ai_system_type": "llm-api",
        "currency": "EUR",
        "poc_monthly_requests": "2000",
        "production_monthly_requests": "400000",
        "poc_budget": "25000",
        "production_budget_year1": "450000",
    }
    high = model_from_answers({**answers, "risk_tier": "high"})["people"]["fte"]
    minimal = model_from_answers({**answers, "risk_tier": "minimal"})["people"]["fte"]
    # 400,000 decisions x 1% reviewed x 2 minutes = 133.3 hours, / 140 hours = 0.95 of a person.
    assert oversight_fte(400000) == D("0.95")
    assert high["human_oversight"] == {"poc": D("0"), "pilot": D("0.10"), "production": D("0.95")}
    assert set(high) - set(minimal) == {"human_oversight", "compliance", "incident_handling"}
    people = sum(roles["production"] for roles in high.values())
    assert people == D("2.00")  # 0.7 for the system's team, 1.3 for what high risk asks


def test_prices_in_another_currency_are_converted_at_the_confirmed_rate():
    euros = model(currency="EUR", price_currency="USD", exchange_rate=0.5)
    usd, eur = project(parse(HOSTED)), project(parse(euros))
    production_usd, production_eur = usd.stages["production"].monthly, eur.stages["production"].monthly
    # Variable 1,020.10 and fixed 155.00 USD at 0.5 EUR; the people (7,500) are in the model's currency.
    assert (production_eur.variable, production_eur.fixed, production_eur.people) == (
        D("510.05"),
        D("77.50"),
        production_usd.people,
    )
    assert eur.months[0].one_off == D("10000.00")  # the team's own estimate, in the model's currency
    assert not any("unconverted" in w for w in eur.warnings())


def test_unconfirmed_prices_and_rates_say_so():
    unchecked = project(parse(model(price_date=None, currency="EUR", price_currency="USD")))
    notes = unchecked.warnings()
    assert any(note.startswith("price_date is not set: nobody has checked these prices") for note in notes)
    assert any("the prices are in USD and used as EUR unconverted: set exchange_rate" in note for note in notes)
    assert unchecked.stages["production"].monthly == project(parse(HOSTED)).stages["production"].monthly


def test_generation_warns_when_the_poc_budget_is_below_its_projected_spend():
    """The hook both generators run: support-assistant's POC projects 23,524.95 EUR (3 months, people included)."""
    import importlib.util
    from datetime import date, timedelta

    from .helpers import ROOT, example

    spec = importlib.util.spec_from_file_location("_prodready_jinja_cost", ROOT / "hooks" / "prodready_jinja.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    answers = {
        **example("support-assistant"),
        "project_slug": "support-reply-assistant",
        "package_name": "support_reply_assistant",
        "decision_date": (date.today() + timedelta(days=60)).isoformat(),
    }
    refusal, warning = hook.check_answers({**answers, "poc_budget": "15000"})
    assert refusal is None
    assert warning == (
        "prodready warning: poc_budget (15000 EUR) is below the POC's projected spend (23524.95 EUR over 3 months, "
        "from prodready's defaults for llm-api systems, people included): raise the budget or cut the figures in "
        "cost/cost_model.yaml. `prodready audit` fails (COS005) until the budget covers the spend."
    )
    assert hook.check_answers(answers) == (None, None)  # the example's 25,000 covers it
