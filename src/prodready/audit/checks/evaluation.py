"""Evaluation and serving: the model is judged against its baseline, tied to the KPI, and used (EVL001-EVL007).

A POC judged on model metrics alone reaches production without knowing whether it
moves the business KPI. These checks read the evaluation the generated POC runs
(``nox -s eval``: evaluation/eval.yaml and evaluation/results.json), what it serves
(api/openapi.json, or the batch window), and what real use says of it (the proxy
metric from feedback, evaluation/proxy.json). They read files only: the audit never
runs the evaluation, it judges what was committed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...io.schemas import schema_errors
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, load, load_json, mapping, number, skip_unreadable
from .ci import CiConfig, session_step, unrun

EVAL = "evaluation/eval.yaml"
RESULTS = "evaluation/results.json"
PROXY = "evaluation/proxy.json"
OPENAPI = "api/openapi.json"
#: The operations an online POC's service offers (api/openapi.json describes them).
SERVICE_OPERATIONS = (("post", "/predict"), ("post", "/feedback"), ("get", "/health"))
#: Metrics where less is better.
LOWER_IS_BETTER = frozenset({"cost_per_case"})
#: A CI step running the evaluation.
EVAL_STEP = session_step("eval", "evaluate")


@fixture
def evaluation(prodready: Repo) -> YamlFile | Failure:
    """evaluation/eval.yaml (or why it cannot be read)."""
    return load(prodready, EVAL)


@fixture
def evaluation_results(prodready: Repo) -> dict[str, Any] | Failure:
    """evaluation/results.json as `nox -s eval` wrote it (or why it cannot be read)."""
    return load_json(prodready, RESULTS)


def _online(monitoring: YamlFile | Failure) -> bool:
    """An online service, unless monitoring.yaml's SLOs give a batch window."""
    return isinstance(monitoring, Failure) or "batch_window_hours" not in monitoring.section("slos")


class EVL001(Check, family="evaluation"):
    """evaluation/eval.yaml is valid and its golden set exists

    The gate `nox -s eval` applies (metric, threshold, baseline, margin, fewest cases)
    and the link from the proxy metric to the business KPI (`kpi_link`) are read from
    this file; without it the POC is judged on whatever metric is at hand. Fix: restore
    evaluation/eval.yaml from the template and correct what this reports.
    """

    @staticmethod
    def check(evaluation: YamlFile | Failure, prodready: Repo) -> Result:
        if isinstance(evaluation, Failure):
            return evaluation
        found = [
            evaluation.fail(f"{'/'.join(map(str, path)) or '(top level)'}: {message}", list(path))
            for path, message in schema_errors("evaluation", evaluation.data)
        ]
        golden = evaluation.data.get("golden_set")
        if isinstance(golden, str) and golden and isinstance(prodready.read(golden), Failure):
            found.append(
                evaluation.fail(f"golden_set `{golden}` is not a readable file of the repository", ["golden_set"])
            )
        return every(found, "problems in evaluation/eval.yaml")


class EVL002(Check, family="evaluation"):
    """CI runs the evaluation

    An evaluation run once on a laptop says nothing about the model in the next
    commit. Fix: keep the template's CI step `nox -s eval`.
    """

    @staticmethod
    def check(ci: CiConfig) -> Result:
        return unrun(ci, EVAL_STEP, "the evaluation", "eval") or True


class EVL003(Check, family="evaluation"):
    """An online POC describes its service; a batch POC states its window

    Consumers integrate with, and load tests hit, what the API description says; a
    batch job is judged against the window it must finish in. Fix: keep
    api/openapi.json (POST /predict, POST /feedback, GET /health) in step with the
    service, or give monitoring.yaml `slos.batch_window_hours` for a batch job.
    """

    @staticmethod
    def check(monitoring: YamlFile | Failure, prodready: Repo) -> Result:
        if not _online(monitoring):
            return True
        description = load_json(prodready, OPENAPI)
        if isinstance(description, Failure):
            return description
        paths = mapping(description.get("paths"))
        absent = [f"{m.upper()} {p}" for m, p in SERVICE_OPERATIONS if m not in mapping(paths.get(p))]
        if "openapi" not in description or absent:
            what = ", ".join(absent) if absent else "the `openapi` version"
            return Failure(f"`{OPENAPI}` does not describe {what}", OPENAPI, None)
        return True


def _bounds(evaluation: YamlFile) -> tuple[str, float, float, int] | None:
    data = evaluation.data
    threshold, margin, cases = (number(data.get(k)) for k in ("threshold", "min_margin", "min_cases"))
    if threshold is None or margin is None or cases is None:
        return None
    return str(data.get("metric")), threshold, margin, int(cases)


#: The model versions of the template's stand-ins: the offline stub, the first rule.
PLACEHOLDER_MODELS = ("stub:", "one-rule-")
#: Results or reports older than this many days are stale: the model or its use changed since.
FRESH_DAYS = 90


def days_old(stamp: Any, today: date) -> int | None:
    """How many days before ``today`` an ISO date or timestamp lies (None: not a date)."""
    try:
        return (today - date.fromisoformat(str(stamp or "")[:10])).days
    except ValueError:
        return None


def results_problems(results: dict[str, Any], evaluation: YamlFile, today: date) -> list[str]:
    """What the committed results lack against eval.yaml's bounds, judged again here, never taken on trust."""
    bounds = _bounds(evaluation)
    if bounds is None:
        return ["evaluation/eval.yaml has no usable bounds (EVL001)"]
    metric, threshold, margin, minimum = bounds
    problems = []
    model = str(results.get("model", ""))
    if results.get("placeholder") is not False or model.startswith(PLACEHOLDER_MODELS):
        problems.append("they are the template's placeholder model's (the offline stub or the first model), not yours")
    age = days_old(results.get("date"), today)
    if age is None:
        problems.append("they have no date: run `nox -s eval` again")
    elif age > FRESH_DAYS:
        problems.append(f"they are {age} days old (at most {FRESH_DAYS})")
    named = evaluation.data.get("baseline")
    ran = mapping(results.get("baseline")).get("name")
    if named is not None and ran != named:
        problems.append(f"the baseline they ran is {ran!r}, eval.yaml names {named!r}")
    if results.get("metric") != metric:
        problems.append(f"they measure {results.get('metric')!r}, eval.yaml gates on {metric!r}: run `nox -s eval`")
        return problems
    raw = [results.get("value"), results.get("cases"), mapping(results.get("baseline")).get("value")]
    figures = [v for v in map(number, raw) if v is not None]
    if len(figures) < len(raw):
        return [*problems, "value, cases or baseline.value is missing: run `nox -s eval`"]
    value, cases, floor = figures
    lower = metric in LOWER_IS_BETTER
    if cases < minimum:
        problems.append(f"{cases:g} case(s), fewer than min_cases {minimum}")
    if (value > threshold) if lower else (value < threshold):
        problems.append(f"{metric} {value:g} is {'above' if lower else 'below'} the threshold {threshold:g}")
    if (value > floor - margin) if lower else (value < floor + margin):
        problems.append(f"{metric} {value:g} does not beat the baseline's {floor:g} by {margin:g}")
    return problems


class EVL004(Check, family="evaluation", stage="pilot", requires={"EVL001"}):
    """The model beats its threshold and its baseline by the margin, on enough cases

    Real users should meet a model that was shown to do better than the floor (the
    baseline) by the margin the team chose, on at least the cases it said count, not
    the template's placeholder. Fix: plug in the model, run `nox -s eval` and commit
    evaluation/results.json.
    """

    @staticmethod
    def check(evaluation_results: dict[str, Any] | Failure, evaluation: YamlFile | Failure, prodready: Repo) -> Result:
        if isinstance(evaluation_results, Failure):
            return Failure(f"{evaluation_results}: run `nox -s eval` and commit it", RESULTS, None)
        if isinstance(evaluation, Failure):
            return None  # EVL001's finding
        problems = results_problems(evaluation_results, evaluation, prodready.today)
        if problems:
            return Failure(f"`{RESULTS}`: {'; '.join(problems)}", RESULTS, None)
        return True


class EVL005(Check, family="evaluation", stage="pilot", requires={"EVL001"}):
    """A person of ownership.yaml chose the evaluation's bounds

    A threshold and a margin are business decisions: until someone answers for them
    they are the template's defaults. Fix: set `thresholds_set_by` in
    evaluation/eval.yaml to the e-mail of the role holder who chose them.
    """

    @staticmethod
    @skip_unreadable
    def check(evaluation: YamlFile, owner_emails: frozenset[str]) -> Result:
        chosen = evaluation.data.get("thresholds_set_by")
        if not isinstance(chosen, str) or not chosen.strip():
            return evaluation.fail(
                "thresholds_set_by is not set: the bounds are still the template's", ["thresholds_set_by"]
            )
        if chosen.strip().lower() not in owner_emails:
            return evaluation.fail(
                f"thresholds_set_by `{chosen}` holds no role in ownership.yaml", ["thresholds_set_by"]
            )
        return True


class EVL006(Check, family="evaluation", stage="pilot"):
    """Real use reports a feedback rate, and its records have an owner and a retention

    Without feedback from the first users no proxy metric comes from real use, and the
    KPI actuals stay a guess. Fix: record verdicts (POST /feedback, or
    `python -m <package>.feedback record`), write the proxy metric with
    `python -m <package>.feedback proxy --output evaluation/proxy.json`, and give
    monitoring.yaml `records.owner` and `records.retention_days`.
    """

    @staticmethod
    def check(prodready: Repo, monitoring: YamlFile | Failure) -> Result:
        found = []
        if not isinstance(monitoring, Failure):
            records = monitoring.section("records")
            for key in ("owner", "retention_days"):
                if not records.get(key):
                    found.append(monitoring.fail(f"records.{key} is not set", ["records"] if records else None))
        proxy = load_json(prodready, PROXY)
        if isinstance(proxy, Failure):
            found.append(proxy)
        else:
            decisions, rate = proxy.get("decisions"), proxy.get("feedback_rate")
            if not isinstance(decisions, int) or isinstance(decisions, bool) or decisions <= 0:
                found.append(Failure(f"`{PROXY}` counts no decision: it was written before real use", PROXY, None))
            elif not isinstance(rate, int | float) or isinstance(rate, bool):
                found.append(Failure(f"`{PROXY}` has no feedback_rate", PROXY, None))
            else:
                age = days_old(proxy.get("to"), prodready.today)
                if age is None or age > FRESH_DAYS:
                    when = "has no date" if age is None else f"is {age} days old (at most {FRESH_DAYS})"
                    found.append(Failure(f"`{PROXY}`: its newest decision {when}", PROXY, None))
        return every(found, "gaps in the feedback from real use")


class EVL007(Check, family="evaluation", stage="production", requires={"EVL001"}):
    """The KPI was measured with the pilot's design

    The proxy metric stood in for the KPI on an assumption (`kpi_link.assumed_relation`);
    production is where it must have been tested, with the design the POC named
    (holdout, A/B, before/after). Fix: record `kpi_link.pilot_result` (design,
    measured_effect, and the report's file) in evaluation/eval.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(evaluation: YamlFile, prodready: Repo) -> Result:
        link = evaluation.section("kpi_link")
        result = mapping(link.get("pilot_result"))
        if not result:
            return evaluation.fail(
                "kpi_link.pilot_result is not recorded: the KPI effect was never measured", ["kpi_link"]
            )
        if result.get("design") != link.get("pilot_design"):
            where: list[str | int] = ["kpi_link", "pilot_result", "design"]
            return evaluation.fail(
                f"the pilot measured with {result.get('design')!r}, "
                f"not the design it named ({link.get('pilot_design')!r})",
                where,
            )
        report = result.get("report")
        if not isinstance(report, str) or isinstance(prodready.read(report), Failure):
            return evaluation.fail(
                f"the pilot's report `{report}` is not a readable file of the repository",
                ["kpi_link", "pilot_result", "report"],
            )
        return True
