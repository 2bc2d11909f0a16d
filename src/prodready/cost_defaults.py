"""Documented starting figures for a POC's cost model, per kind of AI system.

A team answering the questionnaire knows its volumes and budgets but rarely its token
counts or GPU throughput on day one. These defaults fill ``cost/cost_model.yaml`` so the
first projection exists at generation time; every figure is meant to be replaced by
the team's own, and ``prodready cost`` warns when ``price_date`` is older than 180 days.

Prices are list prices of typical offerings as surveyed on ``PRICE_DATE``; they are
not quotes. Standard library only: the template's hooks load this file by path.
"""

from __future__ import annotations

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
    "rag": {"serving_baseline": "250", "monitoring": "100", "evaluation": "500", "labelling": "300", "vector_store": "200"},
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
