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

__all__ = ["PRICE_DATE", "SYSTEM_KINDS", "defaults_for"]

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


def defaults_for(ai_system_type: str) -> dict[str, Any]:
    """The default unit costs, fixed costs and people for one kind of system."""
    return {
        "kind": SYSTEM_KINDS[ai_system_type],
        "unit_costs": _UNIT_COSTS[ai_system_type],
        "fixed_monthly": _FIXED_MONTHLY[ai_system_type],
        "people_fte": _PEOPLE_FTE[ai_system_type],
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
    model = {
        "currency": answers["currency"],
        "price_date": defaults["price_date"],
        "system_kind": defaults["kind"],
        "volumes": volumes_for(int(answers["poc_monthly_requests"]), int(answers["production_monthly_requests"])),
        "timeline": {"poc_months": 3, "pilot_months": 3, "ramp_months": 3},
        "unit_costs": {
            **defaults["unit_costs"],
            "storage": defaults["storage"],
            "data_transfer": defaults["data_transfer"],
        },
        "fixed_monthly": defaults["fixed_monthly"],
        "people": {"loaded_annual_cost": defaults["loaded_annual_cost"], "fte": defaults["people_fte"]},
        "one_off": defaults["one_off"],
        "value": {"value_per_outcome": None},
        "budgets": {"poc": answers["poc_budget"], "production_year1": answers["production_budget_year1"]},
    }
    return {
        key: (value if key in ("currency", "price_date", "system_kind") else _numbers(value))
        for key, value in model.items()
    }


def _numbers(value: Any) -> Any:
    """Figures as exact Decimals, as a YAML reader of the rendered file would see numbers."""
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, str | int):
        return Decimal(str(value).strip())
    return value
