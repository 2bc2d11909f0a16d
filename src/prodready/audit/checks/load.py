"""Load: the POC was measured at its production peak, within its SLOs, and its cost model agrees (LOD001-LOD003).

The SLOs in monitoring.yaml are promises; a load test (the generated POC's
``nox -s load``, writing load/results.json) is what shows they hold at the peak the
production volume implies. The audit reads the committed results and judges them again
against the current SLOs and volumes: a result that passed against looser ones, or at
a smaller peak, does not count. It never runs the load test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...core.costing import Projection
from ...cost.measured import peak_rate
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, load_json, number, skip_unreadable
from .ci import CiConfig, session_step, unrun
from .evaluation import FRESH_DAYS, days_old

RESULTS = "load/results.json"
#: A CI step running the load test.
LOAD_STEP = session_step("load", "loadtest")
#: How far the cost model's assumptions may be from the measurement (a share of it).
TOLERANCE = Decimal("0.2")


@fixture
def load_results(prodready: Repo) -> dict[str, Any] | Failure:
    """load/results.json as `nox -s load` wrote it (or why it cannot be read)."""
    return load_json(prodready, RESULTS)


def expected_peak(monitoring: YamlFile, projection: Projection) -> float | None:
    """Requests per second at the production peak: volume over business hours, times the peak factor."""
    settings = monitoring.section("load")
    hours, factor = number(settings.get("business_hours_per_month")), number(settings.get("peak_factor"))
    if not hours or not factor:
        return None
    requests = projection.model.volumes["production"].requests
    return float(peak_rate(requests, Decimal(str(hours)), Decimal(str(factor))))


class LOD001(Check, family="load"):
    """The load test is declared and CI runs it

    SLOs nobody measures are wishes. Fix: keep monitoring.yaml's `load` section (business
    hours a month and the peak factor, the assumptions behind the peak) and the
    template's CI step `nox -s load`.
    """

    @staticmethod
    def check(monitoring: YamlFile | Failure, ci: CiConfig) -> Result:
        found = []
        if not isinstance(monitoring, Failure):
            settings = monitoring.section("load")
            for key in ("business_hours_per_month", "peak_factor"):
                if number(settings.get(key)) is None:
                    found.append(monitoring.fail(f"load.{key} is not set", ["load"] if settings else None))
        unscheduled = unrun(ci, LOAD_STEP, "the load test", "load")
        if unscheduled is not None:
            found.append(unscheduled)
        return every(found, "gaps in the load test's declaration")


def load_problems(results: dict[str, Any], monitoring: YamlFile, peak: float | None, today: date) -> list[str]:
    """What the committed results lack against today's SLOs and peak (judged again, never taken on trust)."""
    problems = []
    age = days_old(results.get("date"), today)
    if age is None:
        return ["it has no date: run `nox -s load` again"]
    if age > FRESH_DAYS:
        problems.append(f"it is {age} days old (at most {FRESH_DAYS})")
    slos, fallback = monitoring.section("slos"), monitoring.section("fallback")
    if "projected_batch_seconds" in results:
        seconds, window = number(results.get("projected_batch_seconds")), number(slos.get("batch_window_hours"))
        if seconds is None or window is None or seconds > window * 3600:
            problems.append(f"the production batch would take {seconds} s, beyond its window")
    else:
        tested = number(results.get("peak_rate"))
        if peak is not None and (tested is None or tested < peak * 0.99):
            problems.append(f"it was run at {tested} requests per second, below today's production peak of {peak:.3f}")
        for figure, bound in (("p95_seconds", slos.get("latency_p95_seconds")), ("error_rate", slos.get("error_rate"))):
            value, limit = number(results.get(figure)), number(bound)
            if limit is not None and (value is None or value > limit):
                problems.append(f"{figure} {value} is above the SLO of {limit}")
    rate, limit = number(results.get("fallback_rate")), number(fallback.get("max_fallback_rate"))
    if limit is not None and (rate is None or rate > limit):
        problems.append(f"fallback_rate {rate} is above {limit}")
    return problems


class LOD002(Check, family="load", stage="pilot", requires={"MON001", "COS001"}):
    """A fresh load test at the production peak is within the SLOs

    Real users arrive at the peak the production volume implies, not at the demo's
    pace. Fix: run `nox -s load` and commit load/results.json; if it breaches an SLO,
    change the design (or, with the business owner, the SLO) until it holds.
    """

    @staticmethod
    def check(
        load_results: dict[str, Any] | Failure,
        monitoring: YamlFile | Failure,
        projection: Projection | Failure,
        prodready: Repo,
    ) -> Result:
        if isinstance(load_results, Failure):
            return Failure(f"{load_results}: run `nox -s load` and commit it", RESULTS, None)
        if isinstance(monitoring, Failure) or isinstance(projection, Failure):
            return None
        problems = load_problems(load_results, monitoring, expected_peak(monitoring, projection), prodready.today)
        return Failure(f"`{RESULTS}`: {'; '.join(problems)}", RESULTS, None) if problems else True


class LOD003(Check, family="load", stage="pilot", requires={"COS001"}):
    """The cost model's assumptions are within 20% of the load test's measurement

    A cost model built on guessed tokens per request or throughput prices a system
    nobody measured. Fix: run `prodready cost --measured load/results.json` and copy
    the measured figures into cost/cost_model.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(load_results: dict[str, Any], projection: Projection, cost_model: YamlFile) -> Result:
        model = projection.model
        if model.kind == "hosted_llm":
            pairs = [
                ("input_tokens_per_request", "tokens_in_per_request"),
                ("output_tokens_per_request", "tokens_out_per_request"),
            ]
            measured = {key: load_results.get(key) for _, key in pairs}
        elif model.kind == "self_hosted":
            pairs = [("throughput_requests_per_second", "throughput_per_replica")]
            rate, replicas = number(load_results.get("requests_per_second")), number(load_results.get("replicas"))
            measured = {"throughput_per_replica": rate / replicas if rate and replicas else None}
        else:
            return None  # a classical model's cost does not hang on a measured figure
        found = []
        for assumption, key in pairs:
            value, assumed = number(measured.get(key)), model.unit.get(assumption)
            if value is None or assumed is None or value <= 0:
                continue
            off = abs(Decimal(str(value)) - assumed) / Decimal(str(value))
            if off > TOLERANCE:
                found.append(
                    cost_model.fail(
                        f"{assumption} is {assumed}, {off:.0%} away from the measured {value:g} (load/results.json)",
                        ["unit_costs", model.kind, assumption],
                    )
                )
        return every(found, "assumptions away from the measurement")
