"""repo-review entry points: with prodready installed, `repo-review PATH` runs its checks too.

repo-review collects checks, fixtures and families through entry points (see
pyproject.toml). ``prodready``, the repository as the audit sees it, is the base
fixture; every other fixture (``ownership``, ``projection``, ``contracts``, ...) is a
function of a family module, computed from the fixtures its parameters name, and needs
its own entry point in ``[project.entry-points."repo_review.fixtures"]``.
``prodready audit`` adds levels, gating, waivers and more formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .checks import CHECKS, FAMILIES
from .repo import Repo


def prodready(root: Any) -> Repo:
    """The base fixture: the repository under review (a local path)."""
    return Repo(Path(str(root)))


def repo_review_checks() -> dict[str, Any]:
    """The checks, by id (repo-review instantiates nothing: classes serve as checks)."""
    return dict(CHECKS)


def repo_review_families() -> dict[str, Any]:
    return {key: dict(value) for key, value in FAMILIES.items()}
