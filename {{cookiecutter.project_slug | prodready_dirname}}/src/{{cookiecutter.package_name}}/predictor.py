"""The model behind the POC, starting with the baseline every model must beat.

A majority-class baseline answers with the most frequent label of its training data.
It is the honest floor for the business case: if the real model cannot beat it on the
KPI, the POC has not earned its production budget.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Reply:
    """What a model returns: its answer, the tokens it used, and the passages it cites.

    Token counts are the provider's own (``usage``) where it reports them: they are
    what the cost model's tokens per request are checked against.
    """

    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    citations: tuple[str, ...] = ()


class Predictor(Protocol):
    """What the runtime wrapper needs from a model: a version and a prediction."""

    version: str

    def predict(self, features: Mapping[str, Any]) -> str | Reply:
        """Return the decision for one record (a label, or a reply with its usage)."""
        ...


class MajorityClassPredictor:
    """Predict the most frequent label seen in training."""

    def __init__(self, label: str, version: str = "baseline-0") -> None:
        self.label = label
        self.version = version

    @classmethod
    def fit(cls, labels: Iterable[str], version: str = "baseline-0") -> MajorityClassPredictor:
        counts = Counter(label for label in labels if label)
        if not counts:
            raise ValueError("cannot fit a baseline without any labelled record")
        return cls(counts.most_common(1)[0][0], version)

    @classmethod
    def from_csv(cls, path: Path, label_column: str = "label") -> MajorityClassPredictor:
        with path.open(newline="", encoding="utf-8") as handle:
            return cls.fit(row[label_column] for row in csv.DictReader(handle))

    def predict(self, features: Mapping[str, Any]) -> str:
        return self.label
