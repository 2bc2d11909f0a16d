"""Which template version a POC was made from, and which versions its template offers.

A repository records its template in .copier-answers.yml (``_src_path`` and ``_commit``,
a tag or a ``git describe`` of one) or .cruft.json (``template`` and ``commit``, a SHA).
Template releases are PEP 440 git tags (``v0.2.0``); the newest is read from the
template's git source with ``git ls-remote``, which works for local paths and URLs alike
and downloads nothing. Both the audit (how far behind is this POC?) and the fleet update
(is there anything to update to?) ask the same questions here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from ..core.release import TRANSPORTS, git_url, source_problem
from ..errors import InputError, ProdreadyError
from ..io.processes import run_bounded
from ..io.yamlio import parse_yaml

COPIER_ANSWERS = ".copier-answers.yml"
CRUFT_STATE = ".cruft.json"
ANSWER_FILES = (COPIER_ANSWERS, CRUFT_STATE)
#: Seconds ``git ls-remote`` may take before the audit gives up on the source.
LS_REMOTE_TIMEOUT = 30


class TemplateSourceError(ProdreadyError):
    """The template source could not be read; the message says why in one line."""


@dataclass(frozen=True)
class Origin:
    """Where a repository came from: generator, template source and the recorded ref."""

    generator: str  # "copier" or "cruft"
    source: str
    ref: str  # empty when the template was not a git repository
    answers_file: str

    @property
    def versioned(self) -> bool:
        return bool(self.ref)

    def unversioned(self) -> str:
        return (
            f"generated from a copy of the template that is not a git repository ({self.source}); "
            "to receive releases, generate from the template's git repository"
        )


def read_origin(root: Path) -> Origin | None:
    """The recorded template origin, or None when the repository records none.

    Raises ValueError when the file exists but cannot be read as the generator wrote it.
    """
    texts = [(root / name).read_text(encoding="utf-8") if (root / name).is_file() else None for name in ANSWER_FILES]
    return parse_origin(*texts)


def parse_origin(copier_answers: str | None, cruft_state: str | None) -> Origin | None:
    """The origin recorded in the text of .copier-answers.yml or .cruft.json (None: absent).

    Callers read the files their own way: the audit through its symlink-safe reader.
    Raises ValueError when a file is not what the generator writes (the YAML loader's
    InputError is wrapped as one; json.JSONDecodeError is one).
    """
    if copier_answers is not None:
        try:
            data = parse_yaml(copier_answers, Path(COPIER_ANSWERS)).data
        except InputError as error:
            raise ValueError(f"{COPIER_ANSWERS}: {error.message}") from error
        if not isinstance(data, dict) or not _text(data.get("_src_path")):
            raise ValueError(f"{COPIER_ANSWERS} has no _src_path")
        if data.get("_commit") and not _text(data["_commit"]):
            raise ValueError(f"{COPIER_ANSWERS} has a _commit that is not text")
        # No _commit: copier rendered a plain directory (such as the wheel's bundled copy).
        return Origin("copier", str(data["_src_path"]), str(data.get("_commit") or ""), COPIER_ANSWERS)
    if cruft_state is not None:
        try:
            data = json.loads(cruft_state)
        except RecursionError as error:
            raise ValueError(f"{CRUFT_STATE} nests too deeply") from error
        if not isinstance(data, dict) or not _text(data.get("template")) or not _text(data.get("commit")):
            raise ValueError(f"{CRUFT_STATE} has no template and commit")
        return Origin("cruft", str(data["template"]), str(data["commit"]), CRUFT_STATE)
    return None


def _text(value: object) -> bool:
    """A non-empty scalar: what a generator writes for a source or a ref (never a list or a mapping)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool) and bool(str(value).strip())


def parse_version(tag: str) -> Version | None:
    """A tag as a PEP 440 version (``v0.2.0`` -> 0.2.0), or None when it is not one."""
    try:
        return Version(tag)
    except InvalidVersion:
        return None


@dataclass(frozen=True)
class Release:
    tag: str
    version: Version
    commit: str


def releases(source: str) -> tuple[Release, ...]:
    """The template's PEP 440 tags, oldest first (pre-releases excluded), each with its commit."""
    found = _releases(source)
    if isinstance(found, TemplateSourceError):
        raise found
    return found


@lru_cache(maxsize=64)
def _releases(source: str) -> tuple[Release, ...] | TemplateSourceError:
    """``releases`` with failures cached too: a portfolio of POCs shares one source."""
    url = git_url(source)
    problem = source_problem(url)
    if problem is not None:
        # An answers file is repository content: never let it pass git an option, a
        # remote helper ("ext::sh -c ...") or an unencrypted transport.
        return TemplateSourceError(f"{source!r} {problem}")
    allow = [f"protocol.{name}.allow=always" for name in TRANSPORTS]
    command = ["git", "-c", "protocol.allow=never", *(part for a in allow for part in ("-c", a))]
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "SSH_ASKPASS_REQUIRE": "never"}
    try:
        # A session of its own: no terminal for ssh to prompt on, and the whole group
        # (git and its ssh) is killed at the timeout.
        code, stdout, stderr = run_bounded(
            [*command, "ls-remote", "--tags", "--", url], timeout=LS_REMOTE_TIMEOUT, env=environment
        )
    except subprocess.TimeoutExpired:
        return TemplateSourceError(f"cannot list the tags of {source}: no answer in {LS_REMOTE_TIMEOUT} s")
    except OSError as error:
        return TemplateSourceError(f"cannot list the tags of {source}: {error}")
    if code != 0:
        reason = (stderr.strip().splitlines() or ["git ls-remote failed"])[0].removeprefix("fatal: ")
        return TemplateSourceError(f"cannot list the tags of {source}: {reason}")
    commits: dict[str, str] = {}
    for line in stdout.splitlines():
        sha, _, ref = line.partition("\t")
        tag = ref.removeprefix("refs/tags/")
        if tag.endswith("^{}"):
            commits[tag[:-3]] = sha  # an annotated tag's commit wins over the tag object
        else:
            commits.setdefault(tag, sha)
    found = [
        Release(tag, version, sha)
        for tag, sha in commits.items()
        if (version := parse_version(tag)) is not None and not version.is_prerelease
    ]
    return tuple(sorted(found, key=lambda release: release.version))


def recorded_version(origin: Origin, known: tuple[Release, ...]) -> Version | None:
    """The version the repository was last generated or updated at.

    copier records the tag (or ``git describe`` output, ``v0.2.0-3-gabc1234``, for a
    commit after it); cruft records a SHA, matched against the tags' commits (or the
    tag itself, which ``prodready new`` records when it rendered the wheel's copy).
    """
    if origin.generator == "copier":
        return parse_version(re.sub(r"-\d+-g[0-9a-f]+$", "", origin.ref))
    matches = [release.version for release in known if release.commit == origin.ref]
    # ``prodready new`` records the release tag where it rendered a copy that is not git.
    return max(matches) if matches else parse_version(origin.ref)


@dataclass(frozen=True)
class Currency:
    """How far a repository is behind its template."""

    current: Version | None
    newest: Version
    behind: int  # released versions after current up to newest; -1 when unknown
    newest_tag: str | None  # the tag to update to; None when the source does not list it

    @property
    def up_to_date(self) -> bool:
        return self.current is not None and self.current >= self.newest


def currency(origin: Origin, newest: str | None = None, source: str | None = None) -> Currency:
    """Compare the recorded version with the newest release (or ``newest`` when given).

    ``source`` overrides the recorded template source (a mirror, or a checkout in CI).
    Raises TemplateSourceError when no newest version can be known.
    """
    known: tuple[Release, ...] = ()
    error: TemplateSourceError | None = None
    try:
        known = releases(source or origin.source)
    except TemplateSourceError as failure:
        error = failure
    target = parse_version(newest) if newest else (known[-1].version if known else None)
    if newest and target is None:
        raise TemplateSourceError(f"--template-version {newest!r} is not a PEP 440 version (e.g. 0.3.0)")
    if target is None:
        raise error or TemplateSourceError(f"{source or origin.source} has no PEP 440 release tags")
    current = recorded_version(origin, known)
    if current is None:
        behind = -1
    elif current >= target:
        behind = 0
    elif known:
        # Releases after the current one up to the target, counting a target given on the
        # command line that the source does not list (yet) as one more.
        versions = {release.version for release in known}
        behind = sum(1 for version in versions if current < version <= target) + (target not in versions)
    else:
        behind = -1
    tag = next((release.tag for release in known if release.version == target), None)
    return Currency(current, target, behind, tag)
