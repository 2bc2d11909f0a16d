"""The POC's code: a predictor behind an instrumented, fail-safe wrapper.

Replace ``MajorityClassPredictor`` with the real model; keep calling it through
``GuardedPredictor`` so every decision is measured, recorded and has a fallback.
"""

from .predictor import MajorityClassPredictor, Predictor
from .runtime import Decision, GuardedPredictor, Metrics, serve_metrics

__all__ = [
    "Decision",
    "GuardedPredictor",
    "MajorityClassPredictor",
    "Metrics",
    "Predictor",
    "serve_metrics",
]
__version__ = "0.1.0"
