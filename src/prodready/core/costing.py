"""The cost model: from POC to production scale, in exact decimal money.

A POC that costs 50 a month in API fees can cost 50,000 a month at production volume;
this module makes that number, and the first-year total it implies, visible on day one.
It projects a validated ``CostModel`` (see ``cost_model``):

* monthly cost per stage, split into variable (scales with requests), fixed and people;
* cost per request, per active user and per business outcome;
* three years by month from the pilot's start (a linear ramp to production volume,
  then steady state, prices changed by an optional yearly factor): operating costs
  overtake the set-up cost within 18-24 months, so the first year alone misleads;
* the POC's share of the total, budget coverage, the break-even month against value;
* a sensitivity table.

Standard library only: the template's generation hooks load ``core`` by path to warn
when the production budget is below the projected cost.
Money is ``Decimal`` throughout; each month's components are rounded to the cent once,
so every total is an exact sum of the figures shown.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import (
    ROUND_CEILING,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Literal, ParamSpec, TypeVar

from .cost_model import CostModel, CostModelError, Volume, is_price
from .stages import STAGES

HOURS_PER_MONTH = Decimal(730)
MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1000)
CENT = Decimal("0.01")
#: Break-even is searched this many months from the pilot's start; later is "never".
BREAK_EVEN_HORIZON = 120
#: Why break-even is unknown rather than never: there is no value to set against the cost.
NO_VALUE = "no value per outcome in cost/cost_model.yaml (set value.value_per_outcome or value.monthly_value_at_target)"
PRICE_AGE_WARNING_DAYS = 180
#: Months projected from the pilot's start: three years, the horizon of a total cost of ownership.
HORIZON_MONTHS = 36
#: The projection's arithmetic: enough digits for any product of figures the cost model
#: accepts (``MAX_FIGURE``, ``MIN_FIGURE``) to be rounded to the cent, and every invalid
#: operation, division by zero or overflow an exception, never a silent NaN.
ARITHMETIC = Context(prec=120, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])

P = ParamSpec("P")
T = TypeVar("T")


def exact(function: Callable[P, T]) -> Callable[P, T]:
    """Run ``function`` in the projection's arithmetic (``ARITHMETIC``), whoever calls it."""

    @functools.wraps(function)
    def in_context(*args: P.args, **kwargs: P.kwargs) -> T:
        with localcontext(ARITHMETIC):
            return function(*args, **kwargs)

    return in_context


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# -- projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Monthly:
    variable: Decimal
    fixed: Decimal
    people: Decimal

    @property
    @exact
    def total(self) -> Decimal:
        return self.variable + self.fixed + self.people


def _gpu_floor_hours(model: CostModel) -> Decimal:
    return model.unit.get("min_gpus", Decimal(0)) * HOURS_PER_MONTH if model.kind == "self_hosted" else Decimal(0)


def variable_cost(model: CostModel, requests: Decimal) -> Decimal:
    """Cost that scales with requests: inference plus data transfer (unrounded)."""
    unit = model.unit
    if model.kind == "hosted_llm":
        cached = unit.get("cached_input_share", Decimal(0))
        input_price = (1 - cached) * unit["input_price_per_million"] + cached * unit.get(
            "cached_input_price_per_million", unit["input_price_per_million"]
        )
        per_request = (
            unit["input_tokens_per_request"] * input_price
            + unit["output_tokens_per_request"] * unit["output_price_per_million"]
        ) / MILLION
        inference = requests * per_request
    elif model.kind == "self_hosted":
        # GPU-hours the traffic needs at the given throughput and utilisation; the hours
        # of the always-on minimum are fixed cost, so only demand above them is variable.
        needed = requests / (unit["throughput_requests_per_second"] * 3600 * unit["utilisation"])
        inference = max(Decimal(0), needed - _gpu_floor_hours(model)) * unit["gpu_price_per_hour"]
    else:
        inference = requests / THOUSAND * unit["compute_per_thousand_predictions"]
    return inference + requests / THOUSAND * model.transfer_per_thousand


def fixed_cost(model: CostModel) -> Decimal:
    floor = _gpu_floor_hours(model) * model.unit.get("gpu_price_per_hour", Decimal(0))
    return sum(model.fixed_monthly.values(), Decimal(0)) + model.storage_monthly + floor


def people_cost(model: CostModel, stage: str) -> Decimal:
    fte = sum((roles[stage] for roles in model.fte.values()), Decimal(0))
    return fte * model.loaded_annual_cost / 12


def month_cost(model: CostModel, stage: str, requests: Decimal, year: int = 1) -> Monthly:
    """One month's cost; from ``year`` two, unit and fixed prices moved by the yearly price change."""
    factor = (1 + model.price_change_per_year) ** (year - 1)
    return Monthly(
        cents(variable_cost(model, requests) * factor),
        cents(fixed_cost(model) * factor),
        cents(people_cost(model, stage)),
    )


@exact
def _per(amount: Decimal, count: Decimal) -> Decimal | None:
    return (amount / count).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if count > 0 else None


@dataclass(frozen=True)
class StageCost:
    monthly: Monthly
    volume: Volume

    @property
    def cost_per_request(self) -> Decimal | None:
        return _per(self.monthly.total, self.volume.requests)

    @property
    def cost_per_user(self) -> Decimal | None:
        return _per(self.monthly.total, self.volume.users)

    @property
    def cost_per_outcome(self) -> Decimal | None:
        return _per(self.monthly.total, self.volume.outcomes)


@dataclass(frozen=True)
class Month:
    number: int
    stage: str
    volume: Volume
    cost: Monthly
    one_off: Decimal
    value: Decimal

    @property
    @exact
    def total(self) -> Decimal:
        return self.cost.total + self.one_off


@dataclass(frozen=True)
class BreakEven:
    """When cumulative value first covers cumulative cost, or why no month can be named.

    ``unknown`` (no value per outcome: nothing to compare the cost with) is not ``never``
    (the value is known and does not cover the cost): a reader told "never" of a POC
    whose value nobody has agreed yet would draw the wrong conclusion.
    """

    month: int | None
    status: Literal["reached", "never", "unknown"]
    reason: str = ""  # why there is no month


@dataclass(frozen=True)
class Projection:
    model: CostModel
    stages: dict[str, StageCost]
    #: ``HORIZON_MONTHS`` months from the pilot's start.
    months: list[Month]
    poc_total: Decimal
    year_one_total: Decimal
    break_even: BreakEven
    sensitivity: list[Scenario] = field(default_factory=list)

    @property
    @exact
    def years(self) -> list[Decimal]:
        """The total of each year from the pilot's start (the first is ``year_one_total``)."""
        return [
            sum((m.total for m in self.months[start : start + 12]), Decimal(0))
            for start in range(0, len(self.months), 12)
        ]

    @property
    @exact
    def three_year_total(self) -> Decimal:
        """The total cost of ownership over three years from the pilot's start, the POC not included."""
        return sum(self.years, Decimal(0))

    @property
    @exact
    def poc_overrun(self) -> Decimal:
        """How much the POC's projected spend exceeds its budget (0 when within it)."""
        return max(Decimal(0), self.poc_total - self.model.budget_poc)

    @property
    @exact
    def poc_share(self) -> Decimal | None:
        total = self.poc_total + self.year_one_total
        return (self.poc_total / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if total > 0 else None

    @property
    @exact
    def budget_coverage(self) -> Decimal | None:
        if self.year_one_total <= 0:
            return None
        return (self.model.budget_year1 / self.year_one_total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def value_per_outcome(self) -> Decimal | None:
        return self.model.value_per_outcome

    def warnings(self, today: date | None = None) -> list[str]:
        notes = []
        if self.poc_overrun > 0:
            notes.append(
                f"the POC's projected spend ({self.poc_total:,} {self.model.currency} over "
                f"{self.model.poc_months} months) exceeds its budget ({self.model.budget_poc:,}) by "
                f"{self.poc_overrun:,}: fund the POC or cut its people and fixed costs"
            )
        if self.model.price_date is None:
            notes.append(
                "price_date is not set: nobody has checked these prices against the providers' current lists; "
                "check them and set price_date to that day"
            )
        elif (age := ((today or date.today()) - self.model.price_date).days) > PRICE_AGE_WARNING_DAYS:
            notes.append(
                f"price_date {self.model.price_date.isoformat()} is {age} days old (over "
                f"{PRICE_AGE_WARNING_DAYS}): check current prices and update it"
            )
        if self.model.unconverted:
            notes.append(
                f"the prices are in {self.model.price_currency} and used as {self.model.currency} unconverted: "
                f"set exchange_rate (how many {self.model.currency} one {self.model.price_currency} is worth)"
            )
        coverage = self.budget_coverage
        if coverage is not None and coverage < 1:
            notes.append(
                f"the production budget for year one ({self.model.budget_year1:,} {self.model.currency}) covers "
                f"{coverage:.0%} of the projected first-year cost ({self.year_one_total:,} {self.model.currency})"
            )
        cost_per_outcome = self.stages["production"].cost_per_outcome
        if self.value_per_outcome is None:
            notes.append(
                "value.value_per_outcome is not set: agree it with the business owner to compare cost and value"
            )
        elif cost_per_outcome is not None and cost_per_outcome >= self.value_per_outcome:
            notes.append(
                f"at production scale an outcome costs {cost_per_outcome} {self.model.currency}, "
                f"more than its value ({self.value_per_outcome})"
            )
        return notes


@dataclass(frozen=True)
class Scenario:
    name: str
    year_one_total: Decimal
    production_monthly_total: Decimal
    cost_per_outcome: Decimal | None
    budget_coverage: Decimal | None


def _months(model: CostModel) -> list[Month]:
    """``HORIZON_MONTHS`` months from the pilot's start: pilot volume, a linear ramp, then production."""
    pilot, production = model.volumes["pilot"], model.volumes["production"]
    months = []
    for number in range(1, HORIZON_MONTHS + 1):
        if number <= model.pilot_months:
            stage, volume = "pilot", pilot
        else:
            stage = "production"
            step = number - model.pilot_months
            if step <= model.ramp_months:
                share = Decimal(step) / Decimal(model.ramp_months)
                volume = Volume(
                    *(
                        a + (b - a) * share
                        for a, b in zip(
                            (pilot.requests, pilot.users, pilot.outcomes),
                            (production.requests, production.users, production.outcomes),
                            strict=True,
                        )
                    )
                )
            else:
                volume = production
        one_off = cents(sum(model.one_off.values(), Decimal(0))) if number == 1 else Decimal(0)
        value = cents(volume.outcomes * (model.value_per_outcome or 0))
        year = (number - 1) // 12 + 1
        months.append(Month(number, stage, volume, month_cost(model, stage, volume.requests, year), one_off, value))
    return months


def _break_even(model: CostModel, months: list[Month]) -> BreakEven:
    """The first month whose cumulative value reaches cumulative cost; "unknown" without a value per outcome."""
    if model.value_per_outcome is None:
        return BreakEven(None, "unknown", NO_VALUE)
    cumulative = Decimal(0)
    for month in months:
        cumulative += month.value - month.total
        if cumulative >= 0:
            return BreakEven(month.number, "reached")
    # Past the horizon, at the last year's prices.
    steady = month_cost(model, "production", model.volumes["production"].requests, months[-1].number // 12)
    value = cents(model.volumes["production"].outcomes * model.value_per_outcome)
    if value <= steady.total:
        money = model.currency
        why = f"a production month's value ({value:,} {money}) does not exceed its cost ({steady.total:,} {money})"
        return BreakEven(None, "never", why)
    needed = -cumulative / (value - steady.total)
    number = len(months) + int(needed.to_integral_value(rounding=ROUND_CEILING))
    if number > BREAK_EVEN_HORIZON:
        return BreakEven(None, "never", f"not within {BREAK_EVEN_HORIZON // 12} years of the pilot's start")
    return BreakEven(number, "reached")


def _scenario(name: str, model: CostModel) -> Scenario:
    projection = _project(model, with_sensitivity=False)
    production = projection.stages["production"]
    return Scenario(
        name,
        projection.year_one_total,
        production.monthly.total,
        production.cost_per_outcome,
        projection.budget_coverage,
    )


def _scaled_prices(model: CostModel, factor: Decimal) -> CostModel:
    prices = {key: value * factor if is_price(key) else value for key, value in model.unit.items()}
    return replace(model, unit=prices, transfer_per_thousand=model.transfer_per_thousand * factor)


def sensitivity(model: CostModel) -> list[Scenario]:
    """Year-one cost under the shocks a platform team asks about first."""
    scenarios = [_scenario("base", model)]
    for factor in ("0.5", "2", "10"):
        volumes = {stage: vol.scaled(Decimal(factor)) for stage, vol in model.volumes.items()}
        scenarios.append(_scenario(f"volume x{factor}", replace(model, volumes=volumes)))
    scenarios.append(_scenario("unit price -50%", _scaled_prices(model, Decimal("0.5"))))
    scenarios.append(_scenario("unit price +50%", _scaled_prices(model, Decimal("1.5"))))
    if model.kind == "self_hosted":
        utilisation = model.unit["utilisation"]
        for label, value in (
            ("utilisation x0.5", utilisation / 2),
            ("utilisation x1.5 (max 1)", min(Decimal(1), utilisation * Decimal("1.5"))),
        ):
            scenarios.append(_scenario(label, replace(model, unit={**model.unit, "utilisation": value})))
    return scenarios


def project(model: CostModel, *, with_sensitivity: bool = True) -> Projection:
    """Project the model: per-stage costs, the first year, break-even and sensitivity.

    Raises ``CostModelError`` when the figures, each within bounds, multiply past what
    can be computed: never a ``decimal`` exception.
    """
    try:
        with localcontext(ARITHMETIC):
            projection = _project(model, with_sensitivity=with_sensitivity)
            # The derived figures every report shows, computed now so that any fault surfaces here.
            derived = [projection.poc_share, projection.budget_coverage]
            for stage in projection.stages.values():
                derived += [stage.cost_per_request, stage.cost_per_user, stage.cost_per_outcome]
            if not all(value is None or value.is_finite() for value in derived):
                raise InvalidOperation
    except DecimalException as error:
        raise CostModelError(
            (),
            f"the figures multiply past what can be computed ({type(error).__name__})",
            "check the volumes, unit costs and throughput for a figure off by orders of magnitude",
        ) from None
    return projection


def _project(model: CostModel, *, with_sensitivity: bool) -> Projection:
    stages = {
        stage: StageCost(month_cost(model, stage, model.volumes[stage].requests), model.volumes[stage])
        for stage in STAGES
    }
    months = _months(model)
    poc_total = stages["poc"].monthly.total * model.poc_months
    year_one_total = sum((month.total for month in months[:12]), Decimal(0))
    return Projection(
        model,
        stages,
        months,
        poc_total,
        year_one_total,
        _break_even(model, months),
        sensitivity(model) if with_sensitivity else [],
    )
