"""Tables of the Markdown documents the audit reads by content (decommission plan, risk assessment).

GitHub-flavoured pipe tables only: a header row, a delimiter row, then body rows, each
cell split at a ``|`` that is not escaped (the template escapes a ``|`` in an answer as
``\\|``). Anything else in the document is prose the audit does not judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.escape import table_cells

DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Table:
    """One pipe table: its header cells (lower case) and its rows as (line, cells)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]

    def column(self, word: str) -> int | None:
        """The index of the first column whose header contains ``word``."""
        return next((i for i, name in enumerate(self.header) if word in name), None)


def tables(text: str) -> list[Table]:
    """Every pipe table of a Markdown document, in order."""
    lines = text.splitlines()
    found = []
    number = 0
    while number < len(lines) - 1:
        if "|" in lines[number] and DELIMITER.match(lines[number + 1]):
            header = [cell.lower() for cell in table_cells(lines[number])]
            rows = []
            number += 2
            while number < len(lines) and "|" in lines[number] and lines[number].strip():
                rows.append((number + 1, table_cells(lines[number])))
                number += 1
            found.append(Table(header, rows))
        else:
            number += 1
    return found
