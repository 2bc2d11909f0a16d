"""The POC's code: its model behind an instrumented, fail-safe wrapper.

``app`` builds the model, its baseline and its fallback from the repository's files;
``GuardedPredictor`` wraps it so every decision is measured, recorded and has a
fallback. Replace the model (see docs/model.md), keep calling it through the wrapper.
"""

from .predictor import MajorityClassPredictor, Predictor, Reply
from .runtime import Decision, GuardedPredictor, Metrics, serve_metrics

__all__ = [
    "Decision",
    "GuardedPredictor",
    "MajorityClassPredictor",
    "Metrics",
    "Predictor",
    "Reply",
    "serve_metrics",
]
__version__ = "0.1.0"
