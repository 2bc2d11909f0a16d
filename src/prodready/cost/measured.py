"""``prodready cost --measured``: the cost model with its assumptions replaced by a load test's figures.

The generated cost model guesses tokens per request, throughput per replica and
utilisation; a load test (the POC's ``nox -s load``, writing ``load/results.json``)
measures them. This reads those results, shows each assumption beside its measurement,
projects the cost again with the measured figures, derives the replicas the production
peak needs from the measured throughput, and, given a provider quota, checks the peak
tokens per minute against it.

The peak rate is the production volume spread over business hours, times a peak
factor: both are assumptions, read from the results (where the load test states the
ones it used) or prodready's defaults, and always printed beside the figure.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.cost_model import CostModel
from ..core.costing import Projection, project
from ..errors import InputError
from ..io.yamlio import read_text

#: Business hours in a month (22 working days of 10 hours) over which production volume
#: is spread, unless the results state their own.
BUSINESS_HOURS_PER_MONTH = Decimal(220)
#: The busiest hour's rate over the business-hours average, unless the results state their own.
PEAK_FACTOR = Decimal(3)
#: What results.json must hold, and what each must be.
FIELDS = {
    "requests_per_second": "the throughput the test sustained, above 0",
    "replicas": "the service instances under test (a whole number, at least 1)",
    "tokens_in_per_request": "prompt tokens per request, 0 or more",
    "tokens_out_per_request": "completion tokens per request, 0 or more",
}


def peak_rate(requests_per_month: Decimal, business_hours_per_month: Decimal, peak_factor: Decimal) -> Decimal:
    """Requests per second at the peak: the month's volume over its business hours, times the peak factor."""
    return requests_per_month / (business_hours_per_month * 3600) * peak_factor


@dataclass(frozen=True)
class Measurement:
    """What a load test measured (load/results.json), and the peak assumptions it states."""

    requests_per_second: Decimal
    replicas: int
    tokens_in_per_request: Decimal
    tokens_out_per_request: Decimal
    utilisation: Decimal | None
    business_hours_per_month: Decimal
    peak_factor: Decimal
    date: str | None
    #: The model version the test ran against (the service's /health), when the results say.
    model: str | None = None

    @property
    def placeholder(self) -> bool:
        """Whether the template's offline stub was measured: its tokens are configured, not a model's."""
        return bool(self.model) and str(self.model).startswith("stub:")

    @property
    def throughput_per_replica(self) -> Decimal:
        return self.requests_per_second / self.replicas


def _decimal(data: dict[str, Any], key: str, path: Path, *, default: Decimal | None = None) -> Decimal | None:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(path, f"{key} is {value!r}, not a number", f"write {key} as a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InputError(path, f"{key} is not a usable number", f"write {key} as a number") from None
    if not number.is_finite() or number < 0:
        raise InputError(path, f"{key} is {value!r}", f"write {key} as a finite number, 0 or more")
    return number


def load_measurement(path: Path) -> Measurement:
    """Read load/results.json; anything missing or mistyped is one line naming the key."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise InputError(
            path, f"not JSON ({error.msg})", "write it again with the load test", line=error.lineno
        ) from None
    if not isinstance(data, dict):
        raise InputError(path, "not a JSON object", "write it again with the load test")
    missing = [key for key in FIELDS if data.get(key) is None]
    if missing:
        raise InputError(path, f"no {missing[0]} ({FIELDS[missing[0]]})", "run the load test again: `nox -s load`")
    figures = {key: _decimal(data, key, path) for key in FIELDS}
    replicas = figures["replicas"]
    rate = figures["requests_per_second"]
    if replicas is None or replicas != int(replicas) or replicas < 1:
        raise InputError(path, f"replicas is {data.get('replicas')!r}", f"write replicas as {FIELDS['replicas']}")
    if rate is None or rate <= 0:
        raise InputError(
            path, "requests_per_second is 0", "a load test that served nothing measured nothing: run it again"
        )
    utilisation = _decimal(data, "utilisation", path)
    if utilisation is not None and not 0 < utilisation <= 1:
        raise InputError(path, f"utilisation is {data.get('utilisation')!r}", "write it as a share above 0, at most 1")
    hours = _decimal(data, "business_hours_per_month", path, default=BUSINESS_HOURS_PER_MONTH)
    peak = _decimal(data, "peak_factor", path, default=PEAK_FACTOR)
    if not hours or not peak or peak < 1:
        raise InputError(path, "business_hours_per_month or peak_factor is 0 or below 1", "state the peak assumptions")
    date, model = data.get("date"), data.get("model")
    return Measurement(
        rate,
        int(replicas),
        figures["tokens_in_per_request"] or Decimal(0),
        figures["tokens_out_per_request"] or Decimal(0),
        utilisation,
        hours,
        peak,
        str(date) if date is not None else None,
        str(model) if model is not None else None,
    )


@dataclass(frozen=True)
class Row:
    """One assumption of the cost model beside what the load test measured (None: not measured)."""

    name: str
    assumed: Decimal | None
    measured: Decimal | None


@dataclass(frozen=True)
class MeasuredCost:
    """The projection with the assumptions, the projection with the measurements, and what they imply."""

    assumed: Projection
    measured: Projection
    rows: list[Row]
    measurement: Measurement
    peak_rate: Decimal
    replicas: int
    peak_tokens_per_minute: Decimal
    quota_tokens_per_minute: Decimal | None

    @property
    def quota_exceeded(self) -> bool:
        quota = self.quota_tokens_per_minute
        return quota is not None and self.peak_tokens_per_minute > quota


def with_measurement(model: CostModel, measurement: Measurement) -> tuple[CostModel, list[Row]]:
    """The cost model with the measured figures in place of the assumed ones, and the rows compared."""
    unit = dict(model.unit)
    rows = []
    if model.kind == "hosted_llm":
        for key, measured in (
            ("input_tokens_per_request", measurement.tokens_in_per_request),
            ("output_tokens_per_request", measurement.tokens_out_per_request),
        ):
            rows.append(Row(key, unit.get(key), measured))
            unit[key] = measured
    elif model.kind == "self_hosted":
        rows.append(
            Row(
                "throughput_requests_per_second",
                unit.get("throughput_requests_per_second"),
                measurement.throughput_per_replica,
            )
        )
        unit["throughput_requests_per_second"] = measurement.throughput_per_replica
        if measurement.utilisation is not None:
            rows.append(Row("utilisation", unit.get("utilisation"), measurement.utilisation))
            unit["utilisation"] = measurement.utilisation
    rows.append(Row("throughput_per_replica", None, measurement.throughput_per_replica))
    return replace(model, unit=unit), rows


def measured_cost(
    model: CostModel, measurement: Measurement, quota_tokens_per_minute: Decimal | None = None
) -> MeasuredCost:
    """Project ``model`` as assumed and as measured; replicas and tokens per minute at the production peak."""
    changed, rows = with_measurement(model, measurement)
    production = model.volumes["production"].requests
    peak = peak_rate(production, measurement.business_hours_per_month, measurement.peak_factor)
    replicas = max(1, math.ceil(peak / measurement.throughput_per_replica))
    tokens = measurement.tokens_in_per_request + measurement.tokens_out_per_request
    return MeasuredCost(
        project(model, with_sensitivity=False),
        project(changed, with_sensitivity=False),
        rows,
        measurement,
        peak,
        replicas,
        peak * 60 * tokens,
        quota_tokens_per_minute,
    )


def _figure(value: Decimal | None, places: str = "0.01") -> str:
    return "-" if value is None else f"{value.quantize(Decimal(places)):,}"


def as_dict(result: MeasuredCost) -> dict[str, Any]:
    def money(projection: Projection) -> dict[str, str]:
        production = projection.stages["production"].monthly
        return {
            "production_monthly": _figure(production.total),
            "production_per_request": _figure(projection.stages["production"].cost_per_request, "0.0001"),
            "year_one_total": _figure(projection.year_one_total),
        }

    m = result.measurement
    return {
        "currency": result.assumed.model.currency,
        "measured_on": m.date,
        "model": m.model,
        "placeholder": m.placeholder,
        "assumptions": [
            {"name": r.name, "assumed": None if r.assumed is None else str(r.assumed), "measured": str(r.measured)}
            for r in result.rows
        ],
        "assumed": money(result.assumed),
        "measured": money(result.measured),
        "peak": {
            "business_hours_per_month": str(m.business_hours_per_month),
            "peak_factor": str(m.peak_factor),
            "requests_per_second": _figure(result.peak_rate, "0.001"),
            "replicas": result.replicas,
            "tokens_per_minute": _figure(result.peak_tokens_per_minute, "1"),
            "quota_tokens_per_minute": None
            if result.quota_tokens_per_minute is None
            else str(result.quota_tokens_per_minute),
            "quota_exceeded": result.quota_exceeded,
        },
    }


def to_json(result: MeasuredCost) -> str:
    return json.dumps(as_dict(result), indent=2) + "\n"


def to_markdown(result: MeasuredCost) -> str:
    data = as_dict(result)
    currency = data["currency"]
    lines = [f"## Cost with measured figures (load test of {data['measured_on'] or 'an unknown date'})", ""]
    if data["placeholder"]:
        lines += [
            f"> The load test measured the offline stub (`{data['model']}`): its tokens per request are the",
            "> stub's configured usage, not a model's. Measure the real model before trusting these figures.",
            "",
        ]
    lines += ["| assumption | assumed | measured |", "|---|---|---|"]
    lines += [f"| {row['name']} | {row['assumed'] or '-'} | {row['measured']} |" for row in data["assumptions"]]
    lines += ["", f"| {currency} | assumed | measured |", "|---|---|---|"]
    for key, label in (
        ("production_monthly", "production, per month"),
        ("production_per_request", "production, per request"),
        ("year_one_total", "first year"),
    ):
        lines.append(f"| {label} | {data['assumed'][key]} | {data['measured'][key]} |")
    peak = data["peak"]
    lines += [
        "",
        f"Production peak: {peak['requests_per_second']} requests per second (production volume over "
        f"{peak['business_hours_per_month']} business hours a month, times {peak['peak_factor']}): "
        f"{peak['replicas']} replica(s) at the measured {_figure(result.measurement.throughput_per_replica, '0.001')} "
        f"requests per second each; {peak['tokens_per_minute']} tokens per minute.",
    ]
    if peak["quota_tokens_per_minute"] is not None:
        verdict = "exceeds" if peak["quota_exceeded"] else "is within"
        lines.append(f"The peak {verdict} the provider quota of {peak['quota_tokens_per_minute']} tokens per minute.")
    return "\n".join(lines) + "\n"


FORMATS = {"table": to_markdown, "markdown": to_markdown, "json": to_json}
