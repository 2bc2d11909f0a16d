"""Cost: the POC and its production scale are funded, and its prices are current (COS001-COS005)."""

from __future__ import annotations

from ...core.cost_model import CostModelError, parse
from ...core.costing import PRICE_AGE_WARNING_DAYS, Projection, project
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, fixture, load, skip_unreadable

COST_MODEL = "cost/cost_model.yaml"


@fixture
def cost_model(prodready: Repo) -> YamlFile | Failure:
    """cost/cost_model.yaml (or why it cannot be read)."""
    return load(prodready, COST_MODEL)


@fixture
def projection(cost_model: YamlFile | Failure) -> Projection | Failure:
    """The cost projection of the cost model (or the first reason it cannot be computed)."""
    if isinstance(cost_model, Failure):
        return cost_model
    try:
        return project(parse(cost_model.data), with_sensitivity=False)
    except CostModelError as error:
        where = list(error.where)
        return cost_model.fail(f"{'.'.join(map(str, where))} {error.message}. Fix: {error.fix}", where)


class COS001(Check, family="cost"):
    """cost_model.yaml is valid

    The funding cliff (a 50-a-month POC that costs 50,000 a month in production) is only
    visible if the cost model can be computed. Fix: run `prodready cost` and correct
    what it reports.
    """

    @staticmethod
    def check(projection: Projection | Failure) -> Result:
        return projection if isinstance(projection, Failure) else True


class COS002(Check, family="cost", stage="pilot", requires={"COS001"}):
    """The production budget covers the projected first-year cost

    An unfunded path to production is the most common way a successful POC dies. Fix:
    raise budgets.production_year1, or change the design until the projection fits.
    """

    @staticmethod
    @skip_unreadable
    def check(projection: Projection, cost_model: YamlFile) -> Result:
        coverage = projection.budget_coverage
        if coverage is not None and coverage < 1:
            return cost_model.fail(
                f"budget {projection.model.budget_year1} {projection.model.currency} covers {coverage:.0%} "
                f"of the projected first-year cost {projection.year_one_total}",
                ["budgets", "production_year1"],
            )
        return True


class COS003(Check, family="cost", stage="pilot", requires={"COS001"}):
    """An outcome costs less than it is worth

    If each business outcome costs more at production scale than it is worth, scaling
    loses money. Fix: agree value.value_per_outcome with the business owner, then bring
    the cost per outcome below it.
    """

    @staticmethod
    @skip_unreadable
    def check(projection: Projection, cost_model: YamlFile) -> Result:
        value = projection.value_per_outcome
        if value is None:
            return cost_model.fail("value.value_per_outcome is not set", ["value"])
        cost = projection.stages["production"].cost_per_outcome
        if cost is not None and cost >= value:
            return cost_model.fail(f"an outcome costs {cost} and is worth {value}", ["value", "value_per_outcome"])
        return True


class COS004(Check):
    __doc__ = f"""The cost model's prices were checked in the last {PRICE_AGE_WARNING_DAYS} days

    Model and GPU prices move every quarter, and a default nobody checked is a guess.
    Fix: check the unit prices against the providers' current lists, set price_date to
    that day and, where the prices are in another currency than the model's, set
    exchange_rate.
    """

    family = "cost"
    stage = "pilot"
    requires = frozenset({"COS001"})

    @staticmethod
    @skip_unreadable
    def check(projection: Projection, cost_model: YamlFile, prodready: Repo) -> Result:
        model = projection.model
        if model.price_date is None:
            return cost_model.fail("nobody has checked the prices: price_date is not set", ["price_date"])
        age = (prodready.today - model.price_date).days
        if age > PRICE_AGE_WARNING_DAYS:
            return cost_model.fail(f"price_date {model.price_date} is {age} days old", ["price_date"])
        if model.unconverted:
            message = f"the prices are in {model.price_currency}, used as {model.currency}: exchange_rate is not set"
            return cost_model.fail(message, ["price_currency"])
        return True


class COS005(Check, family="cost", requires={"COS001"}):
    """The POC's projected spend is within its budget

    A POC that silently spends more than it was given teaches the organisation that AI
    costs are guesses; the people on it usually are the gap. Fix: raise budgets.poc to
    the projected spend (`prodready cost` shows it), or cut the POC's people, fixed costs
    or months in cost/cost_model.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(projection: Projection, cost_model: YamlFile) -> Result:
        if projection.poc_overrun > 0:
            model = projection.model
            return cost_model.fail(
                f"the POC's projected spend {projection.poc_total} {model.currency} ({model.poc_months} months) "
                f"exceeds its budget {model.budget_poc} by {projection.poc_overrun}",
                ["budgets", "poc"],
            )
        return True
