"""Reports of a cost projection: a terminal table, Markdown, JSON and an SVG chart.

The JSON keys are a stable interface (documented in docs/cost-model.md): money is a
string with two decimals so that no reader rounds it through a float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from ..core.cost_model import CostModelError, parse
from ..core.costing import BreakEven, Projection, exact, project
from ..errors import InputError
from ..io.yamlio import load_yaml, require_mapping

JSON_VERSION = 1


def load_projection(path: Path) -> Projection:
    """Read, validate and project a cost_model.yaml; errors name the file and line."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(path, "the cost model is not a regular file (a FIFO or a device)", "name the YAML file")
    document = load_yaml(path, "cost model")
    data = require_mapping(document, "cost model")
    try:
        return project(parse(data))
    except CostModelError as error:
        raise InputError(
            path,
            f"{'.'.join(map(str, error.where)) or '(top level)'} {error.message}",
            error.fix,
            line=document.line_of(list(error.where)) if error.where else None,
        ) from error


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _unit(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


@exact
def as_dict(projection: Projection) -> dict[str, Any]:
    """The JSON interface of ``prodready cost --format json``."""
    model = projection.model
    months = [
        {
            "month": month.number,
            "stage": month.stage,
            "requests": _unit(month.volume.requests),
            "cost": _money(month.total),
            "value": _money(month.value),
        }
        for month in projection.months
    ]
    return {
        "version": JSON_VERSION,
        "currency": model.currency,
        "price_date": model.price_date.isoformat() if model.price_date else None,
        "price_currency": model.price_currency,
        "exchange_rate": _unit(model.exchange_rate),
        "system_kind": model.kind,
        "stages": {
            stage: {
                "requests_per_month": _unit(cost.volume.requests),
                "active_users": _unit(cost.volume.users),
                "outcomes_per_month": _unit(cost.volume.outcomes),
                "monthly": {
                    "variable": _money(cost.monthly.variable),
                    "fixed": _money(cost.monthly.fixed),
                    "people": _money(cost.monthly.people),
                    "total": _money(cost.monthly.total),
                },
                "cost_per_request": _unit(cost.cost_per_request),
                "cost_per_user": _unit(cost.cost_per_user),
                "cost_per_outcome": _unit(cost.cost_per_outcome),
            }
            for stage, cost in projection.stages.items()
        },
        "poc_total": _money(projection.poc_total),
        "year_one_total": _money(projection.year_one_total),
        "year_one_months": months[:12],
        "months": months,
        "years": [_money(total) for total in projection.years],
        "three_year_total": _money(projection.three_year_total),
        "price_change_per_year": _unit(model.price_change_per_year),
        "poc_overrun": _money(projection.poc_overrun),
        "poc_share": _ratio(projection.poc_share),
        "value_per_outcome": _unit(projection.value_per_outcome),
        "break_even_month": projection.break_even.month,
        "break_even_status": projection.break_even.status,
        "break_even_reason": projection.break_even.reason or None,
        "budget_poc": _money(model.budget_poc),
        "budget_year1": _money(model.budget_year1),
        "budget_coverage": _ratio(projection.budget_coverage),
        "sensitivity": [
            {
                "scenario": scenario.name,
                "year_one_total": _money(scenario.year_one_total),
                "production_monthly_total": _money(scenario.production_monthly_total),
                "cost_per_outcome": _unit(scenario.cost_per_outcome),
                "budget_coverage": _ratio(scenario.budget_coverage),
            }
            for scenario in projection.sensitivity
        ],
        "warnings": projection.warnings(),
    }


def to_json(projection: Projection) -> str:
    return json.dumps(as_dict(projection), indent=2)


def _fmt(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return "n/a"
    text = f"{amount:,.2f}"
    return f"{text} {currency}".strip()


def _pct(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def break_even_text(break_even: BreakEven) -> str:
    """The break-even month as text and Markdown show it: a month, or "never"/"unknown" and why."""
    if break_even.month is not None:
        return f"month {break_even.month} from pilot start"
    return f"{break_even.status}: {break_even.reason}"


@exact
def _rows(projection: Projection) -> tuple[list[list[str]], list[tuple[str, str]], list[list[str]]]:
    """Stage rows, headline figures and sensitivity rows, shared by table and Markdown."""
    currency = projection.model.currency
    stages = [
        [
            stage,
            f"{cost.volume.requests:,.0f}",
            _fmt(cost.monthly.variable),
            _fmt(cost.monthly.fixed),
            _fmt(cost.monthly.people),
            _fmt(cost.monthly.total),
            _fmt(cost.cost_per_request and cost.cost_per_request.quantize(Decimal("0.0001"))),
            _fmt(cost.cost_per_user),
            _fmt(cost.cost_per_outcome),
        ]
        for stage, cost in projection.stages.items()
    ]
    years = projection.years
    change = projection.model.price_change_per_year
    headline = [
        ("First-year total (from pilot start)", _fmt(projection.year_one_total, currency)),
        *((f"Year {n} total", _fmt(total, currency)) for n, total in enumerate(years[1:], start=2)),
        (
            f"Three-year total (prices {change:+.0%} a year from year two)",
            _fmt(projection.three_year_total, currency),
        ),
        ("POC total", _fmt(projection.poc_total, currency)),
        ("POC budget", _fmt(projection.model.budget_poc, currency)),
        ("POC share of POC + first year", _pct(projection.poc_share)),
        ("Production budget, year one", _fmt(projection.model.budget_year1, currency)),
        ("Budget coverage", _pct(projection.budget_coverage)),
        (
            "Value per outcome",
            _fmt(projection.value_per_outcome, currency) if projection.value_per_outcome is not None else "not set",
        ),
        ("Break-even month", break_even_text(projection.break_even)),
    ]
    sensitivity = [
        [
            s.name,
            _fmt(s.year_one_total),
            _fmt(s.production_monthly_total),
            _fmt(s.cost_per_outcome),
            _pct(s.budget_coverage),
        ]
        for s in projection.sensitivity
    ]
    return stages, headline, sensitivity


STAGE_HEADER = [
    "stage",
    "requests/month",
    "variable",
    "fixed",
    "people",
    "total/month",
    "per request",
    "per user",
    "per outcome",
]
SENSITIVITY_HEADER = ["scenario", "first-year total", "production/month", "per outcome", "budget coverage"]


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def to_markdown(projection: Projection) -> str:
    stages, headline, sensitivity = _rows(projection)
    currency = projection.model.currency
    checked = projection.model.price_date
    prices = f"prices of {checked.isoformat()}" if checked else "prices not yet checked"
    lines = [f"## Cost projection ({currency}, {prices})", ""]
    lines += [*_markdown_table(STAGE_HEADER, stages), ""]
    lines += ["| figure | value |", "|---|---:|", *(f"| {name} | {value} |" for name, value in headline), ""]
    lines += ["### Sensitivity", "", *_markdown_table(SENSITIVITY_HEADER, sensitivity)]
    warnings = projection.warnings()
    if warnings:
        lines += ["", "### Warnings", "", *(f"- {warning}" for warning in warnings)]
    return "\n".join(lines) + "\n"


def _text_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        """First column left-aligned (names), the others right-aligned (numbers)."""
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def to_table(projection: Projection) -> str:
    stages, headline, sensitivity = _rows(projection)
    width = max(len(name) for name, _ in headline)
    lines = [f"Monthly cost by stage ({projection.model.currency})", *_text_table(STAGE_HEADER, stages), ""]
    lines += [f"{name.ljust(width)}  {value}" for name, value in headline] + [
        "",
        "Sensitivity",
        *_text_table(SENSITIVITY_HEADER, sensitivity),
    ]
    return "\n".join(lines) + "\n"


@exact
def to_svg(projection: Projection, width: int = 720, height: int = 360) -> str:
    """A self-contained SVG line chart of monthly cost and value over the first year."""
    left, right, top, bottom = 80, 20, 40, 50
    months = projection.months[:12]
    peak = max([m.total for m in months] + [m.value for m in months] + [Decimal(1)])
    plot_w, plot_h = width - left - right, height - top - bottom

    def point(index: int, amount: Decimal) -> str:
        x = left + plot_w * index / max(1, len(months) - 1)
        y = top + plot_h * (1 - float(amount / peak))
        return f"{x:.1f},{y:.1f}"

    cost_points = " ".join(point(i, m.total) for i, m in enumerate(months))
    value_points = " ".join(point(i, m.value) for i, m in enumerate(months))
    currency = escape(projection.model.currency)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>Monthly cost and value over the first year ({currency})</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="22" font-size="14">'
        f"Monthly cost and value, first year from pilot start ({currency})</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>',
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{peak * Decimal(str(fraction)):,.0f}</text>'
        )
    for index, month in enumerate(months):
        x = left + plot_w * index / max(1, len(months) - 1)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{month.number}</text>')
    parts += [
        f'<polyline points="{cost_points}" fill="none" stroke="#c0392b" stroke-width="2">'
        "<title>cost</title></polyline>",
        f'<polyline points="{value_points}" fill="none" stroke="#27ae60" stroke-width="2">'
        "<title>value</title></polyline>",
        f'<text x="{left + plot_w - 110}" y="{top + 12}" fill="#c0392b">— cost</text>',
        f'<text x="{left + plot_w - 50}" y="{top + 12}" fill="#27ae60">— value</text>',
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 10}" text-anchor="middle">month</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


FORMATS = {"table": to_table, "markdown": to_markdown, "json": to_json}
