"""Findings: what a check found, where, and how serious it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line`` is 1-based, from the parser, or None."""

    rule: str
    message: str
    file: str
    line: int | None = None
    severity: Severity = "error"

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity} {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should see it: relative to ``root`` (or the cwd) when inside it."""
    base = (root or Path.cwd()).resolve()
    try:
        return str(path.resolve().relative_to(base))
    except ValueError:
        return str(path)
