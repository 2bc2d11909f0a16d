"""Update many POCs to the newest template release, one repository at a time.

When the platform team releases a template version (a new governance item, a CI step),
every POC should receive it without anyone retyping answers. For each repository this
runs the generator that made it (``copier update`` or ``cruft update``) and reports one
of: updated, conflicts (the files with inline conflict markers to resolve), current
(nothing to do), skipped (and why: not generated from the template, not a git
repository, uncommitted changes) or failed (the generator's last error line).

Nothing is committed: each repository is left with the update as working-tree changes
for its team to review, resolve and commit (``git diff`` shows exactly what arrived).
A dirty repository is refused, because an update mixed into uncommitted work cannot be
reviewed or undone on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core.release import git_url
from .source import TemplateSourceError, currency, read_origin

UPDATE_TIMEOUT = 600
STATUSES = ("updated", "conflicts", "current", "skipped", "failed")
#: ``git status --porcelain`` codes of unmerged paths.
UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


@dataclass
class Outcome:
    """What happened to one repository."""

    repository: str
    status: str  # one of STATUSES
    reason: str = ""
    generator: str | None = None
    before: str | None = None
    after: str | None = None
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def changed_paths(root: Path) -> list[tuple[str, str]]:
    """(status code, path) of every change git sees, untracked files included."""
    proc = git(root, "status", "--porcelain", "--untracked-files=all")
    return [(line[:2], line[3:]) for line in proc.stdout.splitlines() if line.strip()]


def conflicted(changes: list[tuple[str, str]]) -> list[str]:
    """Files left unmerged (inline markers) or rejected hunks (``*.rej``) by an update."""
    return sorted(path for code, path in changes if code in UNMERGED or path.endswith(".rej"))


def update_command(generator: str, root: Path, tag: str) -> list[str]:
    """The generator's own update, non-interactive, to release ``tag``.

    Both run in this interpreter (``python -m``) so the copier and cruft that prodready
    was installed with are the ones used.
    """
    if generator == "copier":
        return [
            sys.executable, "-m", "copier", "update", "--trust", "--defaults",
            "--conflict", "inline", "--vcs-ref", tag, str(root),
        ]  # fmt: skip
    return [sys.executable, "-m", "cruft", "update", "--skip-apply-ask", "--checkout", tag, "--project-dir", str(root)]


def same_source(recorded: str, trusted: str) -> bool:
    """Whether a recorded template source is the trusted one (URLs and paths normalised)."""

    def normal(source: str) -> str:
        url = git_url(source.strip()).rstrip("/").removesuffix(".git")
        if url.startswith("file://"):
            url = url[len("file://") :]
        if "://" in url or (url.partition(":")[0].count("@") == 1 and ":" in url):
            return url.lower()  # a URL, or scp-like git@host:path
        return str(Path(url).expanduser().resolve())

    return normal(recorded) == normal(trusted)


def update_one(root: Path, newest: str | None = None, source: str | None = None) -> Outcome:
    """Update one repository to the newest release (or ``newest``), never a dirty one."""
    name = str(root)
    if not root.is_dir():
        return Outcome(name, "skipped", "not a directory")
    try:
        origin = read_origin(root)
    except (ValueError, OSError) as error:
        return Outcome(name, "skipped", f"template answers file unreadable: {error}")
    if origin is None:
        return Outcome(name, "skipped", "no .copier-answers.yml or .cruft.json: not generated from the template")
    outcome = Outcome(name, "skipped", generator=origin.generator)
    if source is not None and not same_source(origin.source, source):
        outcome.reason = (
            f"records the template {origin.source!r}, not the trusted source {source!r}: "
            "not updated, and none of its code was run"
        )
        return outcome
    if not origin.versioned:
        outcome.reason = origin.unversioned()
        return outcome
    if git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        outcome.reason = "not a git repository: updates are applied as a diff against its history"
        return outcome
    dirty = changed_paths(root)
    if dirty:
        outcome.reason = f"uncommitted changes in {len(dirty)} file(s), e.g. {dirty[0][1]}: commit or stash them first"
        return outcome
    try:
        state = currency(origin, newest, source)
    except TemplateSourceError as error:
        outcome.status, outcome.reason = "failed", str(error)
        return outcome
    outcome.before = str(state.current) if state.current else origin.ref[:12]
    outcome.after = str(state.newest)
    if state.up_to_date:
        outcome.status, outcome.reason = "current", f"already on {state.newest}"
        return outcome
    tag = state.newest_tag
    if tag is None:
        outcome.status = "failed"
        outcome.reason = f"{state.newest} is not a tag of {git_url(source or origin.source)}"
        return outcome
    _apply(outcome, origin.generator, root, tag)
    return outcome


def _apply(outcome: Outcome, generator: str, root: Path, tag: str) -> None:
    """Run the generator's update to ``tag`` and record what it changed (or why it failed)."""
    try:
        proc = subprocess.run(
            update_command(generator, root, tag),
            cwd=root,
            capture_output=True,
            text=True,
            timeout=UPDATE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        outcome.status, outcome.reason = "failed", f"{generator} update took over {UPDATE_TIMEOUT} s"
        return
    if proc.returncode != 0:
        lines = [line.strip() for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        outcome.status = "failed"
        outcome.reason = f"{generator} update failed: {lines[-1] if lines else f'exit {proc.returncode}'}"
        return
    changes = changed_paths(root)
    outcome.files = conflicted(changes)
    if outcome.files:
        outcome.status = "conflicts"
        outcome.reason = f"resolve the conflict markers in {len(outcome.files)} file(s), then commit"
    else:
        outcome.status = "updated"
        outcome.files = sorted(path for _, path in changes)
        outcome.reason = f"{len(outcome.files)} file(s) changed: review with git diff, then commit"


def update_fleet(
    roots: list[Path],
    newest: str | None = None,
    source: str | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> list[Outcome]:
    """Update each repository in turn (updates write to git and the template cache)."""
    return [update_one(root, newest, source) for root in (progress(roots) if progress else roots)]


def to_text(outcomes: list[Outcome]) -> str:
    width = max((len(outcome.repository) for outcome in outcomes), default=10)
    lines = []
    for outcome in outcomes:
        versions = f"{outcome.before} -> {outcome.after}" if outcome.status in ("updated", "conflicts") else ""
        lines.append(f"{outcome.repository:<{width}}  {outcome.status:<9}  {versions:<18}  {outcome.reason}".rstrip())
        if outcome.status == "conflicts":
            lines += [f"{'':<{width}}    {path}" for path in outcome.files]
    counts = ", ".join(
        f"{sum(o.status == status for o in outcomes)} {status}"
        for status in STATUSES
        if any(o.status == status for o in outcomes)
    )
    return "\n".join(lines) + f"\n{len(outcomes)} repositories: {counts}\n"


def to_json(outcomes: list[Outcome]) -> str:
    return json.dumps({"repositories": [outcome.as_dict() for outcome in outcomes]}, indent=2) + "\n"


FORMATS = {"text": to_text, "json": to_json}
