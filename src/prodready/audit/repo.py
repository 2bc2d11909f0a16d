"""A generated repository as the audit sees it: files read safely, YAML with line numbers.

Checks are static and fast: they read files, never data. The one look outside the
repository is TPL002's list of the template's release tags (``git ls-remote``, cached per
source). Every path the audit reads (a file, a directory it lists, an evidence path or a
reference profile named inside a file) is resolved and confined to the repository: a
symbolic link, of a file or of a directory on the way, that leads out of it is never
followed, nor is a symbolic link loop; an absolute path or one climbing out with ``..``
is refused; binary, huge and non-regular files are not read. Each such problem becomes
a finding at the file, not a traceback.

The one exception is pyproject.toml's ``[tool.prodready]``: the stage a repository
declares is the gate itself, so a pyproject.toml that cannot be read, or a stage that is
not one of ``STAGES``, is an ``InputError`` (exit 2), never a silent pass at ``poc``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..core.stages import STAGES
from ..errors import InputError
from ..io.yamlio import YamlDocument, load_yaml, read_text
from ..results import printable


class Failure(str):
    """A check's failure message that also knows the file and line it is about.

    repo-review sees an ordinary string (the message); ``prodready audit`` reads the
    location for annotations, SARIF and JUnit.
    """

    file: str | None
    line: int | None

    def __new__(cls, message: str, file: str | None = None, line: int | None = None) -> Failure:
        instance = super().__new__(cls, message)
        instance.file = file
        instance.line = line
        return instance


class Skip(str):
    """A check that cannot decide, and why (the newest template version is unknown).

    Not a failure: the stage is not held back by what the audit cannot see.
    """


def as_date(value: Any) -> date | None:
    """A YAML or TOML value as a calendar date (a datetime counts as its day); None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _unsafe(relative: str) -> str | None:
    """Why a path named inside a file cannot be a file of the repository (None: it can)."""
    if not relative.strip() or "\x00" in relative:
        return "is not a file name"
    if PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).anchor:
        return "is an absolute path, not a file of the repository"
    if ".." in PurePosixPath(relative.replace("\\", "/")).parts:
        return "climbs out of the repository with `..`"
    return None


PYPROJECT = "pyproject.toml"


def _shown(value: Any) -> str:
    """A value for a one-line message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Repo:
    """One repository under audit, with lazily parsed files: the ``prodready`` fixture.

    The checks read it through the fixtures computed from it (``checks/*.py``): the
    parsed ownership.yaml, the cost projection, the contracts, the CI text, ...
    """

    root: Path
    today: date = field(default_factory=date.today)
    #: The newest template version to compare with (``--template-version``), else the source's newest tag.
    template_version: str | None = None
    #: Where to read template releases from instead of the recorded source (``--template-source``).
    template_source: str | None = None
    #: Parsed YAML files (or why they could not be read), by relative path. Caches are
    #: left out of equality: repo-review compares its fixtures after each check.
    _yaml: dict[tuple[str, bool], YamlDocument | Failure | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: Where each relative path leads (``locate``): checks ask for the same files again.
    _located: dict[str, Path | Failure | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def answers(self) -> dict[str, Any]:
        """The answers recorded at generation: .copier-answers.yml, else .cruft.json's context; {} if neither reads.

        A team can edit them, so the audit uses them as what was declared, never as proof.
        """
        copier = self.mapping(".copier-answers.yml")
        if isinstance(copier, tuple):
            return copier[0]
        text = self.text(".cruft.json")
        try:
            context = json.loads(text).get("context", {}).get("cookiecutter", {}) if text else {}
        except (ValueError, AttributeError):
            return {}
        return context if isinstance(context, dict) else {}

    @cached_property
    def real_root(self) -> str:
        """The repository's own directory, every symbolic link on the way to it resolved."""
        return os.path.realpath(self.root)

    def _inside(self, real: str) -> bool:
        root = self.real_root
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def locate(self, relative: str) -> Path | Failure | None:
        """The real path of a file or directory of the repository, why it is refused, or None when absent.

        Every symbolic link on the way is resolved; a path that ends up outside the
        repository is refused without being opened (whether or not its target exists),
        as are a symbolic link loop, an absolute path and one climbing out with ``..``.
        The answer is kept for the audit's duration: the repository is read, never written.
        """
        if relative not in self._located:
            self._located[relative] = self._locate(relative)
        return self._located[relative]

    def _locate(self, relative: str) -> Path | Failure | None:
        unsafe = _unsafe(relative)
        if unsafe is not None:
            return Failure(f"`{relative}` {unsafe}", relative, None)
        candidate = os.path.join(self.root, relative)
        real = os.path.realpath(candidate)  # not strict: a loop or a missing file does not raise
        if not self._inside(real):
            return Failure(f"{self._leaving(relative)}; it is not followed", relative, None)
        try:
            os.stat(real)
        except OSError as error:
            if error.errno in (errno.ENOENT, errno.ENOTDIR):
                return None  # missing, or a link inside the repository to nothing
            if error.errno == errno.ELOOP:
                return Failure(f"`{relative}` is a symbolic link loop; it is not followed", relative, None)
            return Failure(f"`{relative}` cannot be read ({error.strerror})", relative, None)
        return Path(real)

    def _leaving(self, relative: str) -> str:
        """Which link takes ``relative`` out of the repository: itself, or a directory on the way."""
        parts = PurePosixPath(relative).parts
        for count in range(1, len(parts)):
            prefix = "/".join(parts[:count])
            linked = os.path.join(self.root, prefix)
            if os.path.islink(linked) and not self._inside(os.path.realpath(linked)):
                return f"`{relative}` is in `{prefix}`, a symbolic link leaving the repository"
        return f"`{relative}` is a symbolic link leaving the repository"

    def path(self, relative: str) -> Path | None:
        """The regular file inside the repository, or None if missing, refused or not a regular file."""
        located = self.locate(relative)
        return located if isinstance(located, Path) and located.is_file() else None

    def exists(self, relative: str) -> bool:
        return self.path(relative) is not None

    def absent(self, relative: str) -> Failure:
        """Why ``relative`` cannot be read as a file: refused, not a regular file, or missing."""
        located = self.locate(relative)
        if isinstance(located, Failure):
            return located
        if located is not None and not located.is_file():
            return Failure(f"`{relative}` is not a regular file", relative, None)
        return Failure(f"`{relative}` is missing", relative, None)

    def read(self, relative: str) -> str | Failure:
        """A text file's content, or a Failure saying why it cannot be read."""
        path = self.path(relative)
        if path is None:
            return self.absent(relative)
        try:
            return read_text(path)
        except InputError as error:
            return Failure(f"`{relative}`: {error.message}. Fix: {error.fix}", relative, error.line)

    def text(self, relative: str) -> str | None:
        text = self.read(relative)
        return None if isinstance(text, Failure) else text

    def listing(self, directory: str, suffixes: tuple[str, ...]) -> list[str] | Failure:
        """The relative names of the entries of a directory whose names end with one of ``suffixes``, sorted.

        Only the directory itself is confined here: an entry that is a symbolic link
        leading out is listed, and refused by whatever reads it.
        """
        located = self.locate(directory)
        if located is None or (isinstance(located, Path) and not located.is_dir()):
            return []
        if isinstance(located, Failure):
            return located
        try:
            names = [entry.name for entry in os.scandir(located) if entry.name.endswith(suffixes)]
        except OSError as error:
            return Failure(f"`{directory}` cannot be listed ({error.strerror})", directory, None)
        return sorted(f"{directory}/{name}" for name in names)

    def yaml(self, relative: str, *, timestamps: bool = True) -> YamlDocument | Failure | None:
        """The parsed document, a Failure saying why it cannot be read, or None if absent.

        ``timestamps=False``: unquoted dates and timestamps stay the text written, as
        standards defined in JSON Schema (ODCS) expect and as ``contracts lint`` reads them.
        """
        cache, key = self._yaml, (relative, timestamps)
        if key not in cache:
            located = self.locate(relative)
            if located is None:
                cache[key] = None
            elif isinstance(located, Failure) or not located.is_file():
                cache[key] = self.absent(relative)
            else:
                try:
                    cache[key] = load_yaml(located, timestamps=timestamps)
                except InputError as error:
                    cache[key] = Failure(f"`{relative}`: {error.message}. Fix: {error.fix}", relative, error.line)
        return cache[key]

    def required_mapping(self, relative: str, fix: str) -> dict[str, Any]:
        """A YAML mapping a command cannot go on without; otherwise an InputError naming file, line and ``fix``.

        The audit reports an unreadable file as a finding; ``decide`` and ``review``
        stop instead, with the parser's own place and fix rather than a finding's text.
        """
        where = printable(self.root / relative)
        located = self.locate(relative)
        if isinstance(located, Failure) or located is None or not located.is_file():
            raise InputError(
                where, str(self.absent(relative)).replace(f"`{relative}`", "").strip() or "is missing", fix
            )
        try:
            data = load_yaml(located).data
        except InputError as error:
            raise replace(error, file=where) from None
        if not isinstance(data, dict):
            raise InputError(where, "is not a mapping of keys to values", fix, line=1)
        return data

    def mapping(
        self, relative: str, *, timestamps: bool = True
    ) -> tuple[dict[str, Any], YamlDocument] | Failure | None:
        """A YAML file whose top level is a mapping; anything else is a Failure."""
        document = self.yaml(relative, timestamps=timestamps)
        if document is None or isinstance(document, Failure):
            return document
        if not isinstance(document.data, dict):
            return Failure(f"`{relative}` is not a mapping of keys to values", relative, 1)
        return document.data, document

    # -- the declared stage: the gate itself, so never guessed ---------------------------------

    def _pyproject_error(self, message: str, fix: str, line: int | None = None) -> InputError:
        return InputError(printable(self.root / PYPROJECT), message, fix, line=line)

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        """pyproject.toml, parsed; {} when there is none. An unreadable or malformed one is an InputError."""
        text = self.read(PYPROJECT)
        if isinstance(text, Failure):
            if self.locate(PYPROJECT) is None:
                return {}
            raise self._pyproject_error(
                f"cannot be read, so the stage it declares is unknown: {text.split('. Fix: ')[0]}",
                "make pyproject.toml a regular UTF-8 file inside the repository",
                text.line,
            )
        try:
            return tomllib.loads(text)
        except (ValueError, RecursionError) as error:  # TOMLDecodeError is a ValueError, as is a 5,000-digit integer
            where = re.search(r"line (\d+)", str(error))
            raise self._pyproject_error(
                f"is not valid TOML ({str(error).split(' (at ')[0]}), so the stage it declares is unknown",
                "correct the TOML syntax",
                int(where.group(1)) if where else None,
            ) from None

    def _line(self, pattern: str) -> int | None:
        """The line of pyproject.toml matching ``pattern`` (a regular expression), for a finding or an error."""
        expression = re.compile(pattern)
        lines = (self.text(PYPROJECT) or "").splitlines()
        return next((n for n, text in enumerate(lines, 1) if expression.match(text)), None)

    @cached_property
    def settings(self) -> dict[str, Any]:
        """``[tool.prodready]`` of pyproject.toml ({} when absent; an InputError when it is not a table)."""
        tool = self.pyproject.get("tool", {})
        if not isinstance(tool, dict):
            raise self._pyproject_error(
                "`tool` is not a table", "write [tool.prodready] as a table", self._line(r"\s*tool\s*=")
            )
        settings = tool.get("prodready", {})
        if not isinstance(settings, dict):
            raise self._pyproject_error(
                "[tool.prodready] is not a table",
                "write it as a [tool.prodready] section",
                self._line(r"\s*(tool\.)?prodready\s*="),
            )
        return settings

    @property
    def stage(self) -> str:
        """The declared stage (poc when none is declared); an unknown one is an InputError."""
        stage = self.settings.get("stage", STAGES[0])
        if not isinstance(stage, str) or stage not in STAGES:
            raise self._pyproject_error(
                f"[tool.prodready] stage is {_shown(stage)}, not a readiness stage",
                f"set stage to one of {', '.join(STAGES)}",
                self.stage_line,
            )
        return stage

    @property
    def stage_line(self) -> int | None:
        """The line of pyproject.toml that declares the stage."""
        return self._line(r"\s*stage\s*=")

    def waiver_line(self, check_id: str) -> int | None:
        """The line of pyproject.toml that waives ``check_id``."""
        return self._line(rf"\s*{re.escape(check_id)}\b")
