"""Cost: the POC is funded at production scale, and its prices are current (COS001-COS004)."""

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

    Model and GPU prices move every quarter. Fix: check the unit prices and update
    price_date.
    """

    family = "cost"
    stage = "pilot"
    requires = frozenset({"COS001"})

    @staticmethod
    @skip_unreadable
    def check(projection: Projection, cost_model: YamlFile, prodready: Repo) -> Result:
        age = (prodready.today - projection.model.price_date).days
        if age > PRICE_AGE_WARNING_DAYS:
            return cost_model.fail(f"price_date {projection.model.price_date} is {age} days old", ["price_date"])
        return True
