"""``nox -s eval``: the golden set through the model and its baseline, gated on eval.yaml.

evaluation/eval.yaml names the metric that gates, its threshold, the baseline, the
margin the model must beat it by and the fewest cases that count. This writes
evaluation/results.json, fills the model card's evaluation section from it (never by
hand), and exits non-zero with a one-line reason when a bound is not met.

Results of the template's placeholder model (the offline stub, or the first model the
template trains on the committed sample) say ``placeholder: true``: they prove the
harness runs, not what a model can do, and ``prodready audit`` does not accept them
at pilot.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import app
from .golden import EVAL, EvalError, Settings, load_settings
from .predictor import Predictor
from .runtime import git_commit, write_whole
from .scoring import METRICS, score

RESULTS = "evaluation/results.json"
MODEL_CARD = "governance/model_card.md"
START, END = "<!-- evaluation:start -->", "<!-- evaluation:end -->"
#: Metrics where less is better; every other metric is better higher.
LOWER_IS_BETTER = frozenset({"cost_per_case"})


def verdict(settings: Settings, value: float, floor: float, cases: int) -> list[str]:
    """Why the model fails the gate (empty: it passes)."""
    lower = settings.metric in LOWER_IS_BETTER
    reasons = []
    if cases < settings.min_cases:
        reasons.append(
            f"{cases} case(s), fewer than min_cases {settings.min_cases}: add cases to the golden set"
        )
    if (value > settings.threshold) if lower else (value < settings.threshold):
        reasons.append(
            f"{settings.metric} {value:.3f} is {'above' if lower else 'below'} the threshold {settings.threshold}"
        )
    needed = floor - settings.min_margin if lower else floor + settings.min_margin
    if (value > needed) if lower else (value < needed):
        reasons.append(
            f"{settings.metric} {value:.3f} does not beat the baseline's {floor:.3f} by the margin {settings.min_margin}"
        )
    return reasons


def placeholder(predictor: Predictor) -> bool:
    """Whether the template's stand-in was judged: the offline stub, or the template's first model."""
    version = str(getattr(predictor, "version", ""))
    return version.startswith(("stub:", "one-rule-"))


def evaluate(
    root: Path, model: Predictor | None = None, baseline: Predictor | None = None
) -> dict[str, Any]:
    settings = load_settings(root, METRICS)
    model = model or app.model(root)
    baseline = baseline or app.baseline(root)
    named = settings.data.get("baseline")
    if named is not None and named != baseline.version:
        raise EvalError(
            f"{EVAL}: baseline is {named!r}, but the POC's baseline (app.baseline) is {baseline.version!r}; "
            "name the one that runs"
        )
    metrics, cases, failed = score(root, model, settings)
    floor_metrics, _, _ = score(root, baseline, settings)
    if settings.metric not in metrics:
        raise EvalError(
            f"{EVAL}: metric {settings.metric} needs settings this kind lacks (costs); add them"
        )
    value, floor = metrics[settings.metric], floor_metrics[settings.metric]
    reasons = verdict(settings, value, floor, cases)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(root),
        "model": model.version,
        "placeholder": placeholder(model),
        "cases": cases,
        "metric": settings.metric,
        "value": round(value, 4),
        "threshold": settings.threshold,
        "baseline": {"name": baseline.version, "value": round(floor, 4)},
        "min_margin": settings.min_margin,
        "min_cases": settings.min_cases,
        "passed": not reasons,
        "reasons": reasons,
        "metrics": {k: round(v, 4) for k, v in metrics.items()},
        "baseline_metrics": {k: round(v, 4) for k, v in floor_metrics.items()},
        "failed_cases": failed[:20],
    }


def model_card_section(results: Mapping[str, Any]) -> str:
    """The model card's evaluation section, written from results.json."""
    rows = "\n".join(
        f"| {name} | {value} | {results['baseline_metrics'].get(name, '')} |"
        for name, value in results["metrics"].items()
    )
    note = (
        "\n\n> These figures are the template's placeholder model's (the offline stub, or the first "
        "model trained on the committed sample): they show the evaluation runs, not what the POC's model can do."
        if results["placeholder"]
        else ""
    )
    return (
        f"{START}\n_Written by `nox -s eval` from evaluation/results.json (its date and commit); do not edit by hand._\n\n"
        f"Model `{results['model']}` on {results['cases']} case(s); gate: {results['metric']} "
        f"at least {results['threshold']} and the baseline `{results['baseline']['name']}` plus {results['min_margin']}: "
        f"**{'passed' if results['passed'] else 'failed'}**.\n\n"
        f"| metric | model | baseline |\n|---|---|---|\n{rows}{note}\n{END}"
    )


def fill_model_card(root: Path, results: Mapping[str, Any]) -> None:
    path = root / MODEL_CARD
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise EvalError(
            f"{MODEL_CARD}: no {START} ... {END} section to fill; restore it from the template"
        )
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    write_whole(path, head + model_card_section(results) + tail)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="the repository (default: here)"
    )
    args = parser.parse_args(argv)
    root = args.root
    try:
        results = evaluate(root)
        write_whole(root / RESULTS, json.dumps(results, indent=2) + "\n")
        fill_model_card(root, results)
    except (EvalError, ValueError, OSError) as error:
        print(f"eval: {error}", file=sys.stderr)
        return 2
    summary = (
        f"{results['metric']} {results['value']} (threshold {results['threshold']}, baseline "
        f"{results['baseline']['value']} + {results['min_margin']}) on {results['cases']} case(s)"
    )
    if results["placeholder"]:
        summary += "; placeholder model: not evidence for a pilot"
    if not results["passed"]:
        print(f"eval: failed: {results['reasons'][0]}", file=sys.stderr)
        return 1
    out(f"eval: passed: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
