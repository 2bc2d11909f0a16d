"""Write small repositories from inline text and run one check on them, as the audit does."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from prodready.audit.engine import Finding, compute_check
from prodready.audit.repo import Repo

#: The day every unit test audits on (dates in the inline files are relative to it).
TODAY = date(2026, 6, 1)
#: ``outcome()`` of a check that passed.
PASSED = ("passed", "", None, None)
#: ``outcome()`` of a check with nothing to say (a file it needs cannot be read).
NOT_APPLICABLE = ("skipped", "not applicable", None, None)


def text(source: str) -> str:
    """Inline file content: dedented, without the leading newline of a triple-quoted string."""
    return textwrap.dedent(source).lstrip("\n")


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: content}`` under ``root`` (text is dedented first)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(text(content), encoding="utf-8")
    return root


def run(check_id: str, repo: Repo) -> Finding:
    """One check on ``repo`` through the audit's fixture resolution (prerequisites not applied)."""
    return compute_check(check_id, prodready=repo)


def outcome(finding: Finding) -> tuple[str, str, str | None, int | None]:
    return finding.status, finding.message, finding.file, finding.line


def line_of(content: str, fragment: str, after: str | None = None) -> int:
    """The 1-based line of the first line holding ``fragment`` (after the line holding ``after``)."""
    lines = text(content).splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if fragment in line)
