"""The cost model as ``cost/cost_model.yaml`` states it: read, validated, typed.

Every figure is checked where it stands, and a fault is a ``CostModelError`` naming its
place in the document (``unit_costs.hosted_llm.input_price_per_million``) and the fix,
so ``prodready cost``, the audit and the generation hook report it the same way.
Standard library only: the template's hooks load it by path (see ``costing``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .errors import ProdreadyError
from .stages import STAGES

#: The kinds of system the cost model prices: by tokens, by GPU-hours, by compute.
KINDS = ("hosted_llm", "self_hosted", "classical")
#: Every figure of a cost model is 0 or between these (a trillion requests a month, a
#: trillion in budget; a billionth of a currency unit): anything beyond is a typo or an
#: attack, and the projection multiplies figures together, so they must stay bounded.
MAX_FIGURE = Decimal(10) ** 12
MIN_FIGURE = Decimal(10) ** -9

Path_ = tuple[str | int, ...]


class CostModelError(ProdreadyError):
    """A value in the cost model that cannot be used, with its place in the document."""

    def __init__(self, where: Path_, message: str, fix: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{'.'.join(map(str, self.where)) or '(top level)'}: {self.message}. Fix: {self.fix}"


def _get(data: Any, where: Path_, key: str, *, optional: bool = False) -> Any:
    if not isinstance(data, dict):
        raise CostModelError(where, f"is {type(data).__name__}, not a mapping", "write it as 'key: value' lines")
    if key not in data:
        if optional:
            return None
        raise CostModelError(
            (*where, key), "is missing", f"add '{key}:' under {'.'.join(map(str, where)) or 'the top level'}"
        )
    return data[key]


def _number(
    data: Any,
    where: Path_,
    key: str,
    *,
    minimum: Decimal = Decimal(0),
    positive: bool = False,
    maximum: Decimal | None = None,
    integer: bool = False,
    optional: bool = False,
) -> Decimal | None:
    value = _get(data, where, key, optional=optional)
    place = (*where, key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise CostModelError(
            place,
            f"is {value!r} ({type(value).__name__}), not a number",
            "write a plain number without quotes, units or thousands separators",
        )
    limit = MAX_FIGURE if maximum is None else maximum
    if isinstance(value, int) and value > limit:  # before str(): a 5,000-digit integer has no str()
        raise CostModelError(place, f"is {_short(value)}, above {limit:,}", f"write a number of at most {limit:,}")
    number = Decimal(str(value))
    if not number.is_finite():
        raise CostModelError(place, f"is {value!r}", "write a finite number")
    if number > limit:
        raise CostModelError(place, f"is {_short(value)}, above {limit:,}", f"write a number of at most {limit:,}")
    if 0 < number < MIN_FIGURE:
        raise CostModelError(place, f"is {value!r}, too small to be a figure", f"write 0 or at least {MIN_FIGURE:f}")
    if integer and number != number.to_integral_value():
        raise CostModelError(place, f"is {value!r}", "write a whole number")
    if positive and number <= 0:
        raise CostModelError(place, f"is {value!r}", "write a number greater than 0")
    if number < minimum:
        raise CostModelError(place, f"is {value!r}, below {minimum}", f"write a number of at least {minimum}")
    return number


def _short(value: Any) -> str:
    """A figure for a message: a huge integer is shown by its size, not in full."""
    if isinstance(value, int) and value.bit_length() > 100:
        digits = int(value.bit_length() * math.log10(2)) + 1  # one too many at most
        digits -= 10 ** (digits - 1) > abs(value)
        return f"a number of {digits} digits"
    return repr(value)


def _req(data: Any, where: Path_, key: str, **kwargs: Any) -> Decimal:
    number = _number(data, where, key, **kwargs)
    assert number is not None
    return number


def _amounts(data: Any, where: Path_) -> dict[str, Decimal]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CostModelError(
            where, f"is {type(data).__name__}, not a mapping of names to amounts", "write 'name: amount' lines"
        )
    return {str(key): _req(data, where, key) for key in data}


@dataclass(frozen=True)
class Volume:
    requests: Decimal
    users: Decimal
    outcomes: Decimal

    def scaled(self, factor: Decimal) -> Volume:
        return Volume(self.requests * factor, self.users * factor, self.outcomes * factor)


def _value_per_outcome(value: Any, production: Volume) -> Decimal | None:
    """Value is given per outcome, or as the monthly value at production volume."""
    per_outcome = _number(value, ("value",), "value_per_outcome", optional=True)
    monthly = _number(value, ("value",), "monthly_value_at_target", optional=True)
    if per_outcome is not None and monthly is not None:
        raise CostModelError(
            ("value", "monthly_value_at_target"), "is given with value_per_outcome", "give one of the two"
        )
    if monthly is None:
        return per_outcome
    if production.outcomes <= 0:
        raise CostModelError(
            ("volumes", "production", "outcomes_per_month"),
            "is 0, so a monthly value cannot be spread over outcomes",
            "give production outcomes_per_month, or value_per_outcome",
        )
    return monthly / production.outcomes


@dataclass(frozen=True)
class CostModel:
    """A validated cost model. Amounts are in ``currency``, per month unless named otherwise."""

    currency: str
    #: When a person last checked the unit prices against the providers' lists; None: nobody has.
    price_date: date | None
    kind: str
    volumes: dict[str, Volume]
    poc_months: int
    pilot_months: int
    ramp_months: int
    unit: dict[str, Decimal]
    storage_monthly: Decimal
    transfer_per_thousand: Decimal
    fixed_monthly: dict[str, Decimal]
    loaded_annual_cost: Decimal
    fte: dict[str, dict[str, Decimal]]
    one_off: dict[str, Decimal]
    value_per_outcome: Decimal | None
    budget_poc: Decimal
    budget_year1: Decimal
    #: The yearly change of unit and fixed prices from year two on (0.05: 5% a year).
    price_change_per_year: Decimal = Decimal(0)
    #: The currency the unit and fixed prices are written in (list prices are
    #: often in USD), and how many ``currency`` one unit of it is worth; None when the
    #: currencies differ and nobody has confirmed a rate (the prices are then taken as is).
    price_currency: str = ""
    exchange_rate: Decimal | None = None

    @property
    def unconverted(self) -> bool:
        """Whether prices in another currency are used as if they were in ``currency``."""
        return bool(self.price_currency) and self.price_currency != self.currency and self.exchange_rate is None


_UNIT_FIELDS: dict[str, dict[str, dict[str, Any]]] = {
    "hosted_llm": {
        "input_tokens_per_request": {},
        "output_tokens_per_request": {},
        "input_price_per_million": {},
        "output_price_per_million": {},
        "cached_input_share": {"maximum": Decimal(1), "optional": True},
        "cached_input_price_per_million": {"optional": True},
    },
    "self_hosted": {
        "gpu_price_per_hour": {},
        "throughput_requests_per_second": {"positive": True, "optional": True},
        "throughput_tokens_per_second": {"positive": True, "optional": True},
        "tokens_per_request": {"positive": True, "optional": True},
        "utilisation": {"positive": True, "maximum": Decimal(1)},
        "min_gpus": {"integer": True, "optional": True},
    },
    "classical": {"compute_per_thousand_predictions": {}},
}


def is_price(key: str) -> bool:
    """Whether a unit-cost field is money (converted at the exchange rate), not a count or a share."""
    return "price" in key or key == "compute_per_thousand_predictions"


def _volumes(data: Any) -> dict[str, Volume]:
    volumes_data = _get(data, (), "volumes")
    volumes = {}
    for stage in STAGES:
        stage_data = _get(volumes_data, ("volumes",), stage)
        where = ("volumes", stage)
        volumes[stage] = Volume(
            _req(stage_data, where, "requests_per_month"),
            _req(stage_data, where, "active_users"),
            _req(stage_data, where, "outcomes_per_month"),
        )
    return volumes


def _timeline(data: Any) -> dict[str, Any]:
    timeline = _get(data, (), "timeline")
    months: dict[str, Any] = {
        key: int(_req(timeline, ("timeline",), key, integer=True))
        for key in ("poc_months", "pilot_months", "ramp_months")
    }
    change = _number(
        timeline, ("timeline",), "price_change_per_year", minimum=Decimal("-0.5"), maximum=Decimal(1), optional=True
    )
    months["price_change_per_year"] = change or Decimal(0)
    if months["pilot_months"] + months["ramp_months"] > 12:
        raise CostModelError(
            ("timeline", "ramp_months"),
            "pilot and ramp together exceed the first year",
            "keep pilot_months + ramp_months at most 12",
        )
    return months


def _unit_costs(units_data: Any, kind: str) -> dict[str, Decimal]:
    kind_data = _get(units_data, ("unit_costs",), kind)
    unit: dict[str, Decimal] = {}
    for key, options in _UNIT_FIELDS[kind].items():
        number = _number(kind_data, ("unit_costs", kind), key, **options)
        if number is not None:
            unit[key] = number
    if kind == "self_hosted" and "throughput_requests_per_second" not in unit:
        if "throughput_tokens_per_second" not in unit or "tokens_per_request" not in unit:
            raise CostModelError(
                ("unit_costs", kind, "throughput_requests_per_second"),
                "is missing",
                "give throughput_requests_per_second, or throughput_tokens_per_second with tokens_per_request",
            )
        unit["throughput_requests_per_second"] = unit["throughput_tokens_per_second"] / unit["tokens_per_request"]
    return unit


def _storage_and_transfer(units_data: Any) -> tuple[Decimal, Decimal]:
    """(storage per month, transfer per thousand requests); both optional, 0 when absent."""
    storage = _get(units_data, ("unit_costs",), "storage", optional=True) or {}
    transfer = _get(units_data, ("unit_costs",), "data_transfer", optional=True) or {}

    def product(data: Any, where: Path_, first: str, second: str) -> Decimal:
        a = _number(data, where, first, optional=True) or Decimal(0)
        return a * (_number(data, where, second, optional=True) or Decimal(0))

    return (
        product(storage, ("unit_costs", "storage"), "gb_per_month", "price_per_gb_month"),
        product(transfer, ("unit_costs", "data_transfer"), "gb_per_thousand_requests", "price_per_gb"),
    )


def _fte(people: Any) -> dict[str, dict[str, Decimal]]:
    fte_data = _get(people, ("people",), "fte")
    if not isinstance(fte_data, dict):
        raise CostModelError(
            ("people", "fte"),
            "is not a mapping of roles",
            "write 'role: {poc: 0.5, pilot: 0.3, production: 0.4}' lines",
        )
    return {
        str(role): {stage: _req(stages, ("people", "fte", role), stage) for stage in STAGES}
        for role, stages in fte_data.items()
    }


def parse(data: Any) -> CostModel:
    """Validate a loaded cost_model.yaml mapping; raise ``CostModelError`` at the first fault."""
    root: Path_ = ()
    currency = _get(data, root, "currency")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise CostModelError(("currency",), f"is {currency!r}", "write a three-letter currency code such as USD")
    raw_date = _get(data, root, "price_date")
    try:
        if raw_date is None:  # nobody has confirmed the prices yet (COS004 asks from the pilot)
            price_date = None
        elif isinstance(raw_date, datetime):
            price_date = raw_date.date()  # a YAML timestamp: its day
        else:
            price_date = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date))
    except ValueError:
        raise CostModelError(
            ("price_date",), f"is {raw_date!r}, not a date", "write the date of the price figures as YYYY-MM-DD"
        ) from None
    price_currency = _get(data, root, "price_currency", optional=True) or currency
    if not isinstance(price_currency, str) or len(price_currency) != 3 or not price_currency.isalpha():
        raise CostModelError(
            ("price_currency",), f"is {price_currency!r}", "write the three-letter code of the prices' currency"
        )
    rate = _number(data, root, "exchange_rate", positive=True, optional=True)
    kind = _get(data, root, "system_kind")
    if kind not in KINDS:
        raise CostModelError(("system_kind",), f"is {kind!r}", "write one of " + ", ".join(KINDS))
    volumes = _volumes(data)
    units_data = _get(data, root, "unit_costs")
    storage_monthly, transfer_per_thousand = _storage_and_transfer(units_data)
    people = _get(data, root, "people")
    value = _get(data, root, "value", optional=True) or {}
    budgets = _get(data, root, "budgets")
    same = price_currency.upper() == currency.upper()
    factor = Decimal(1) if same or rate is None else rate
    unit = _unit_costs(units_data, kind)
    return CostModel(
        currency=currency.upper(),
        price_date=price_date,
        price_currency=price_currency.upper(),
        exchange_rate=None if same else rate,
        kind=kind,
        volumes=volumes,
        unit={key: value * factor if is_price(key) else value for key, value in unit.items()},
        storage_monthly=storage_monthly * factor,
        transfer_per_thousand=transfer_per_thousand * factor,
        fixed_monthly={
            key: value * factor
            for key, value in _amounts(_get(data, root, "fixed_monthly", optional=True), ("fixed_monthly",)).items()
        },
        loaded_annual_cost=_req(people, ("people",), "loaded_annual_cost"),
        fte=_fte(people),
        # One-off costs are the team's own estimates (integration, reviews), like people: in `currency`.
        one_off=_amounts(_get(data, root, "one_off", optional=True), ("one_off",)),
        value_per_outcome=_value_per_outcome(value, volumes["production"]),
        budget_poc=_req(budgets, ("budgets",), "poc"),
        budget_year1=_req(budgets, ("budgets",), "production_year1"),
        **_timeline(data),
    )
