"""Documented starting figures for a POC's cost model, per kind of AI system.

A team answering the questionnaire knows its volumes and budgets but rarely its token
counts or GPU throughput on day one. These defaults fill ``cost/cost_model.yaml`` so the
first projection exists at generation time; every figure is meant to be replaced by
the team's own, and ``prodready cost`` warns when ``price_date`` is older than
``costing.PRICE_AGE_WARNING_DAYS``.

Prices are list prices of typical offerings as surveyed on ``PRICE_DATE``; they are
not quotes. Standard library only: the template's hooks load this file by path.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["PRICE_DATE", "SYSTEM_KINDS", "defaults_for", "model_from_answers", "oversight_fte"]

PRICE_DATE = "2026-11-01"

#: ai_system_type answer -> the unit-cost model that prices it.
SYSTEM_KINDS = {
    "llm-api": "hosted_llm",
    "rag": "hosted_llm",
    "llm-self-hosted": "self_hosted",
    "classical-ml": "classical",
}

_HOSTED_LLM = {
    "input_tokens_per_request": 1500,
    "output_tokens_per_request": 400,
    "input_price_per_million": "2.50",
    "output_price_per_million": "10.00",
    "cached_input_share": "0.0",
    "cached_input_price_per_million": "1.25",
}

_UNIT_COSTS: dict[str, dict[str, Any]] = {
    "llm-api": {"hosted_llm": _HOSTED_LLM},
    # Retrieval puts several passages into every prompt: more input tokens, and part of
    # the prompt (instructions, shared context) is cacheable.
    "rag": {
        "hosted_llm": {
            **_HOSTED_LLM,
            "input_tokens_per_request": 4000,
            "cached_input_share": "0.3",
        }
    },
    "llm-self-hosted": {
        "self_hosted": {
            "gpu_price_per_hour": "2.50",
            "throughput_requests_per_second": "2.0",
            "utilisation": "0.5",
            "min_gpus": 1,
        }
    },
    "classical-ml": {"classical": {"compute_per_thousand_predictions": "0.05"}},
}

_FIXED_MONTHLY: dict[str, dict[str, str]] = {
    "llm-api": {"serving_baseline": "150", "monitoring": "100", "evaluation": "400", "labelling": "300"},
    "rag": {
        "serving_baseline": "250",
        "monitoring": "100",
        "evaluation": "500",
        "labelling": "300",
        "vector_store": "200",
    },
    "llm-self-hosted": {"serving_baseline": "300", "monitoring": "150", "evaluation": "400", "labelling": "300"},
    "classical-ml": {"serving_baseline": "150", "monitoring": "100", "evaluation": "150", "labelling": "400"},
}

_PEOPLE_FTE: dict[str, dict[str, dict[str, str]]] = {
    # Share of one full-time person per stage. Self-hosted models need more operations;
    # classical models need retraining on fresh labels.
    "llm-api": {
        "on_call": {"poc": "0", "pilot": "0.1", "production": "0.2"},
        "maintenance": {"poc": "0.5", "pilot": "0.3", "production": "0.4"},
        "retraining": {"poc": "0", "pilot": "0.05", "production": "0.1"},
    },
    "rag": {
        "on_call": {"poc": "0", "pilot": "0.1", "production": "0.2"},
        "maintenance": {"poc": "0.5", "pilot": "0.4", "production": "0.5"},
        "retraining": {"poc": "0", "pilot": "0.1", "production": "0.15"},
    },
    "llm-self-hosted": {
        "on_call": {"poc": "0", "pilot": "0.2", "production": "0.4"},
        "maintenance": {"poc": "0.7", "pilot": "0.5", "production": "0.6"},
        "retraining": {"poc": "0", "pilot": "0.1", "production": "0.2"},
    },
    "classical-ml": {
        "on_call": {"poc": "0", "pilot": "0.1", "production": "0.15"},
        "maintenance": {"poc": "0.5", "pilot": "0.2", "production": "0.3"},
        "retraining": {"poc": "0", "pilot": "0.1", "production": "0.2"},
    },
}


#: People the risk tier adds, per stage (shares of one full-time person): keeping the
#: compliance file and the regulator's questions answered, and handling incidents
#: (Article 73 reports for high risk). Human oversight scales with volume (below).
_TIER_FTE: dict[str, dict[str, dict[str, str]]] = {
    "high": {
        "compliance": {"poc": "0.05", "pilot": "0.2", "production": "0.25"},
        "incident_handling": {"poc": "0", "pilot": "0.05", "production": "0.1"},
    },
    "limited": {"compliance": {"poc": "0", "pilot": "0.05", "production": "0.05"}},
}
#: Human oversight of a high-risk system, once real users depend on it: a person reviews
#: this share of decisions, taking this many minutes each, and works this many hours a
#: month. prodready's assumptions, stated in cost_model.yaml for the team to replace.
OVERSIGHT_REVIEW_SHARE = Decimal("0.01")
OVERSIGHT_MINUTES_PER_REVIEW = Decimal(2)
PRODUCTIVE_HOURS_PER_FTE_MONTH = Decimal(140)


def oversight_fte(requests_per_month: int) -> Decimal:
    """Shares of a full-time person that reviewing ``OVERSIGHT_REVIEW_SHARE`` of the decisions takes."""
    hours = requests_per_month * OVERSIGHT_REVIEW_SHARE * OVERSIGHT_MINUTES_PER_REVIEW / 60
    return (hours / PRODUCTIVE_HOURS_PER_FTE_MONTH).quantize(Decimal("0.01"))


def people_for(ai_system_type: str, risk_tier: str, volumes: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """FTE by role and stage: the kind's team, what the tier adds, and oversight by volume for high risk."""
    fte: dict[str, dict[str, Any]] = {**_PEOPLE_FTE[ai_system_type], **_TIER_FTE.get(risk_tier, {})}
    if risk_tier == "high":
        fte["human_oversight"] = {
            stage: "0" if stage == "poc" else str(oversight_fte(volume["requests_per_month"]))
            for stage, volume in volumes.items()
        }
    return fte


def assumptions(risk_tier: str, currency: str = "USD") -> list[str]:
    """The assumptions behind the generated figures, written into cost_model.yaml as comments."""
    stated = [
        f"unit and fixed prices are US list prices surveyed on {PRICE_DATE}, in USD: nobody has "
        "checked them for this POC (price_date is null until someone does)",
        "one-off costs (integration 40,000, security review 15,000, governance 10,000) are US estimates: "
        "set your own, in the model's currency",
        "the pilot runs at a tenth of production volume (never below the POC's)",
        "an active user sends about 20 requests a month; one request in four ends in a business outcome",
        "a person costs 150,000 a year loaded (a US figure): set your own, in the model's currency",
    ]
    if currency != "USD":
        stated.insert(1, f"the USD prices are used as {currency} until exchange_rate is set")
    if risk_tier == "high":
        stated.append(
            f"human oversight reviews {OVERSIGHT_REVIEW_SHARE:.0%} of decisions at {OVERSIGHT_MINUTES_PER_REVIEW} "
            f"minutes each, {PRODUCTIVE_HOURS_PER_FTE_MONTH} productive hours per person-month"
        )
    if risk_tier in _TIER_FTE:
        stated.append(f"a {risk_tier}-risk system adds {', '.join(sorted(_TIER_FTE[risk_tier]))} people")
    return stated


def defaults_for(ai_system_type: str) -> dict[str, Any]:
    """The default unit costs, fixed costs and people for one kind of system."""
    return {
        "kind": SYSTEM_KINDS[ai_system_type],
        "unit_costs": _UNIT_COSTS[ai_system_type],
        "fixed_monthly": _FIXED_MONTHLY[ai_system_type],
        "loaded_annual_cost": "150000",
        "one_off": {"integration": "40000", "security_review": "15000", "governance": "10000"},
        "storage": {"gb_per_month": "50", "price_per_gb_month": "0.023"},
        "data_transfer": {"gb_per_thousand_requests": "0.01", "price_per_gb": "0.09"},
        "price_date": PRICE_DATE,
    }


def volumes_for(poc_requests: int, production_requests: int) -> dict[str, dict[str, int]]:
    """Volumes per stage from the two volumes the questionnaire asks for.

    The pilot runs at a tenth of production volume (never below the POC's); a user sends
    about 20 requests a month; one request in four ends in a business outcome. All three
    are starting assumptions for the team to replace.
    """
    pilot = max(poc_requests, production_requests // 10)
    return {
        stage: {
            "requests_per_month": requests,
            "active_users": max(1, requests // 20),
            "outcomes_per_month": requests // 4,
        }
        for stage, requests in (("poc", poc_requests), ("pilot", pilot), ("production", production_requests))
    }


def model_from_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The complete cost model a new POC starts with, as cost/cost_model.yaml holds it."""
    defaults = defaults_for(str(answers["ai_system_type"]))
    tier = str(answers.get("risk_tier") or "")
    volumes = volumes_for(int(answers["poc_monthly_requests"]), int(answers["production_monthly_requests"]))
    model = {
        "currency": answers["currency"],
        # Set by the person who checks the prices, never by the generator.
        "price_date": None,
        "price_currency": "USD",
        "exchange_rate": None,
        "system_kind": defaults["kind"],
        "volumes": volumes,
        "timeline": {"poc_months": 3, "pilot_months": 3, "ramp_months": 3, "price_change_per_year": 0},
        "unit_costs": {
            **defaults["unit_costs"],
            "storage": defaults["storage"],
            "data_transfer": defaults["data_transfer"],
        },
        "fixed_monthly": defaults["fixed_monthly"],
        "people": {
            "loaded_annual_cost": defaults["loaded_annual_cost"],
            "fte": people_for(str(answers["ai_system_type"]), tier, volumes),
        },
        "one_off": defaults["one_off"],
        "value": {"value_per_outcome": None},
        "budgets": {"poc": answers["poc_budget"], "production_year1": answers["production_budget_year1"]},
    }
    return {
        **{
            key: (value if key in ("currency", "price_date", "price_currency", "system_kind") else _numbers(value))
            for key, value in model.items()
        },
        "assumptions": assumptions(tier, str(answers["currency"])),
    }


def _numbers(value: Any) -> Any:
    """Figures as exact Decimals, as a YAML reader of the rendered file would see numbers."""
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, str | int):
        return Decimal(str(value).strip())
    return value
