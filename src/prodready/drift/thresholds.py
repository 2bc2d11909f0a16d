"""The drift thresholds of monitoring.yaml: what they may be, and their values.

Apart from the scoring (which needs a database engine and its SQL) because the audit
validates every repository's monitoring.yaml with the same rules, and should not pay
for loading an SQL compiler to read five numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..io.yamlio import YamlDocument

#: The thresholds of monitoring.yaml's drift section, each with its upper bound (None: unbounded).
THRESHOLDS: dict[str, float | None] = {
    "psi_warn": None,
    "psi_alert": None,
    "js_distance_alert": 1.0,
    "dataset_drift_share": 1.0,
}
#: The thresholds a column of ``drift.columns`` may override, and its ``ignore`` flag.
COLUMN_THRESHOLDS = ("psi_warn", "psi_alert", "js_distance_alert")
IGNORE = "ignore"

Where = list[str | int]


def _threshold_problem(value: Any, maximum: float | None) -> str | None:
    """What is wrong with a threshold (None: a finite number above 0, at most ``maximum``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is {value!r} ({type(value).__name__}), not a number"
    try:
        number = float(value)
    except OverflowError:
        return "is too large a number"
    if not math.isfinite(number):
        return f"is {value!r}, not a finite number"
    if number <= 0:
        return f"is {value!r}; it must be greater than 0"
    if maximum is not None and number > maximum:
        return f"is {value!r}; it must be at most {maximum:g}"
    return None


def threshold_problems(drift: Any) -> list[tuple[Where, str]]:
    """Every drift threshold that cannot be used, as (path in monitoring.yaml, what is wrong).

    The rules ``prodready drift check`` applies before scoring, and MON001 reports.
    """
    if not isinstance(drift, dict):
        return [(["drift"], f"is {type(drift).__name__}, not a mapping of thresholds")]
    found: list[tuple[Where, str]] = []
    for key, maximum in THRESHOLDS.items():
        if key in drift and (problem := _threshold_problem(drift[key], maximum)) is not None:
            found.append((["drift", key], problem))
    columns = drift.get("columns")
    if columns is None:
        return found
    if not isinstance(columns, dict):
        return [*found, (["drift", "columns"], f"is {type(columns).__name__}, not a mapping of column names")]
    for name, override in columns.items():
        where: Where = ["drift", "columns", str(name)]
        if not isinstance(override, dict):
            found.append((where, f"is {type(override).__name__}, not a mapping of thresholds"))
            continue
        for key, value in override.items():
            if key == IGNORE:
                if not isinstance(value, bool):
                    found.append(([*where, key], f"is {value!r}, not true or false"))
            elif key in COLUMN_THRESHOLDS:
                problem = _threshold_problem(value, THRESHOLDS[key])
                if problem is not None:
                    found.append(([*where, key], problem))
            else:
                found.append(([*where, str(key)], f"is not a threshold ({', '.join((*COLUMN_THRESHOLDS, IGNORE))})"))
    return found


@dataclass
class Thresholds:
    """Alert and warn levels, from monitoring.yaml (drift section) or the defaults."""

    psi_warn: float = 0.1
    psi_alert: float = 0.25
    js_alert: float = 0.1
    dataset_share: float = 0.5
    null_jump: float = 0.1
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_monitoring(cls, drift: dict[str, Any]) -> Thresholds:
        """The thresholds of a drift section that ``threshold_problems`` accepts."""
        return cls(
            psi_warn=float(drift.get("psi_warn", 0.1)),
            psi_alert=float(drift.get("psi_alert", 0.25)),
            js_alert=float(drift.get("js_distance_alert", 0.1)),
            dataset_share=float(drift.get("dataset_drift_share", 0.5)),
            columns={str(name): dict(override) for name, override in (drift.get("columns") or {}).items()},
        )

    @classmethod
    def read(cls, document: YamlDocument) -> Thresholds:
        """The thresholds of a monitoring.yaml (the defaults when it has no drift section).

        Raises ``InputError`` naming the file, the line and the key of the first threshold
        that is not a finite number in range.
        """
        data = document.data
        if not isinstance(data, dict):
            raise InputError(
                document.path,
                f"the monitoring config is {'empty' if data is None else type(data).__name__}, not a mapping",
                "write it as in the template's monitoring/monitoring.yaml",
                line=1,
            )
        if "drift" not in data:
            return cls()
        problems = threshold_problems(data["drift"])
        if problems:
            where, problem = problems[0]
            raise InputError(
                document.path,
                f"{'.'.join(map(str, where))} {problem}",
                "write each threshold as a number above 0 (js_distance_alert and dataset_drift_share at most 1)",
                line=document.line_of(where),
            )
        return cls.from_monitoring(data["drift"])

    def for_column(self, name: str) -> tuple[float, float, float, bool]:
        override = self.columns.get(name) or {}
        return (
            float(override.get("psi_warn", self.psi_warn)),
            float(override.get("psi_alert", self.psi_alert)),
            float(override.get("js_distance_alert", self.js_alert)),
            bool(override.get(IGNORE, False)),
        )
