"""The readiness checks: one class per check, one module per family, repo-review style.

Importing a family module registers its checks and fixtures (see ``base``); this
package orders them. The same classes are repo-review checks (see ``plugin.py``) and
the catalogue of ``prodready audit``; the docs' check reference is generated from them.
"""

from __future__ import annotations

from . import (
    adoption,
    business,
    ci,
    contracts,
    cost,
    evaluation,
    governance,
    integration,
    load,
    monitoring,
    ownership,
    plan,
    template,
)
from .base import DOCS, FAMILIES, FIXTURES, REGISTRY, Check, Family, Result, YamlFile
from .cost import projection
from .monitoring import monitoring_findings

__all__ = [
    "CHECKS",
    "DOCS",
    "FAMILIES",
    "FIXTURES",
    "Check",
    "Family",
    "Result",
    "YamlFile",
    "adoption",
    "business",
    "ci",
    "contracts",
    "cost",
    "evaluation",
    "governance",
    "integration",
    "load",
    "monitoring",
    "monitoring_findings",
    "ownership",
    "plan",
    "projection",
    "template",
]

#: Every check by id: family by family (in FAMILIES' order), then by id.
CHECKS: dict[str, type[Check]] = dict(
    sorted(REGISTRY.items(), key=lambda item: (FAMILIES[item[1].family]["order"], item[0]))
)
