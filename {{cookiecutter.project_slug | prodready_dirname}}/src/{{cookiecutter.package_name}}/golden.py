"""The evaluation's inputs: evaluation/eval.yaml checked, and the golden set's cases read.

Shared by ``evaluate`` (the gate) and ``scoring`` (the metrics of this POC's kind).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .predictor import Predictor, Reply

EVAL = "evaluation/eval.yaml"


class EvalError(ValueError):
    """A setting or a case that cannot be used: one line naming the file and the fix."""


@dataclass
class Settings:
    """evaluation/eval.yaml, checked."""

    metric: str
    threshold: float
    min_margin: float
    min_cases: int
    golden_set: str
    data: dict[str, Any] = field(default_factory=dict)


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EvalError(f"{where}: {key} must be a number, not {value!r}; fix it in that file")
    return float(value)


def load_settings(root: Path, metrics: Sequence[str]) -> Settings:
    path = root / EVAL
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EvalError(
            f"{EVAL}: cannot be read ({type(error).__name__}); restore it from the template"
        ) from None
    if not isinstance(data, dict):
        raise EvalError(f"{EVAL}: expected a mapping of settings; restore it from the template")
    metric = data.get("metric")
    if metric not in metrics:
        raise EvalError(f"{EVAL}: metric must be one of {', '.join(metrics)}, not {metric!r}")
    cases = data.get("min_cases")
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        raise EvalError(f"{EVAL}: min_cases must be a whole number of at least 1, not {cases!r}")
    golden = data.get("golden_set")
    inside = isinstance(golden, str) and (root / golden).resolve().is_relative_to(root.resolve())
    if not inside or not (root / golden).is_file():
        raise EvalError(f"{EVAL}: golden_set {golden!r} is not a file of this repository; name it")
    return Settings(
        metric,
        _number(data, "threshold", EVAL),
        _number(data, "min_margin", EVAL),
        cases,
        golden,
        data,
    )


def read_cases(root: Path, relative: str) -> list[dict[str, Any]]:
    """The golden set: one JSON object per line (blank lines and ``//`` comments skipped)."""
    cases = []
    for number, line in enumerate((root / relative).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError:
            raise EvalError(
                f"{relative}:{number}: not a JSON object; write one case per line"
            ) from None
        if not isinstance(case, dict) or "id" not in case:
            raise EvalError(f"{relative}:{number}: a case is a JSON object with an id; add one")
        cases.append(case)
    return cases


def answer(predictor: Predictor, features: Mapping[str, Any]) -> Reply | None:
    """The predictor's reply, or None when it failed (a failed case, never a crash)."""
    try:
        answer = predictor.predict(features)
    except Exception:  # noqa: BLE001 - a model that fails a case fails that case
        return None
    return answer if isinstance(answer, Reply) else Reply(str(answer))
