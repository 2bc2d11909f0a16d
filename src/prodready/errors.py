"""One-line errors for bad input: the file, the place in it, what is wrong, and the fix.

Every exception prodready raises on purpose derives from ``ProdreadyError`` (defined in
``core`` so that the standard-library rules can use it too). Every command turns
unreadable, malformed or mistyped input into an ``InputError``;
the CLI prints it on one line and exits 2. A traceback is a bug in prodready, never
the way a user learns that their YAML has a tab in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.errors import ProdreadyError

__all__ = ["InputError", "ProdreadyError"]


@dataclass
class InputError(ProdreadyError):
    """Input that prodready cannot use, located as precisely as the parser allows."""

    file: Path | str
    message: str
    fix: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = str(self.file)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        message = self.message.rstrip(".")
        return f"{place}: {message}. Fix: {self.fix.rstrip('.')}."
