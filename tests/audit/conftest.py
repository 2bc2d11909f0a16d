"""Fixtures of the audit's unit tests: repositories written from inline text, never rendered."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prodready.audit.repo import Repo

from .helpers import TODAY, write

MakeRepo = Callable[..., Repo]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo({path: text, ...}, today=..., template_version=...)``: a fresh repository under tmp_path."""
    numbers = itertools.count()

    def make(files: dict[str, str | bytes], *, today: date = TODAY, **options: Any) -> Repo:
        root = write(tmp_path / f"repo{next(numbers)}", files)
        return Repo(root, today, **options)

    return make
