"""A generated repository as the audit sees it: files read safely, YAML with line numbers.

Checks are static and fast: they read files, never data. The one look outside the
repository is TPL002's list of the template's release tags (``git ls-remote``, cached per
source). Reading refuses symbolic links that leave the repository (never followed),
binary and huge files; every such problem becomes a finding at the file, not a traceback.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ..core.stages import STAGES
from ..errors import InputError
from ..io.yamlio import YamlDocument, load_yaml, read_text


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
    _yaml: dict[str, YamlDocument | Failure | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def path(self, relative: str) -> Path | None:
        """The file inside the repository, or None if missing or escaping it through a link."""
        candidate = self.root / relative
        if candidate.is_symlink():
            try:
                candidate.resolve(strict=True).relative_to(self.root.resolve())
            except (ValueError, OSError):
                return None
        return candidate if candidate.is_file() else None

    def exists(self, relative: str) -> bool:
        return self.path(relative) is not None

    def text(self, relative: str) -> str | None:
        path = self.path(relative)
        if path is None:
            return None
        try:
            return read_text(path)
        except InputError:
            return None

    def yaml(self, relative: str) -> YamlDocument | Failure | None:
        """The parsed document, a Failure saying why it cannot be read, or None if absent."""
        cache = self._yaml
        if relative not in cache:
            path = self.path(relative)
            if path is None:
                if (self.root / relative).is_symlink():
                    cache[relative] = Failure(
                        f"`{relative}` is a symbolic link leaving the repository; it is not followed", relative, None
                    )
                else:
                    cache[relative] = None
            else:
                try:
                    cache[relative] = load_yaml(path)
                except InputError as error:
                    cache[relative] = Failure(f"`{relative}`: {error.message}. Fix: {error.fix}", relative, error.line)
        return cache[relative]

    def mapping(self, relative: str) -> tuple[dict[str, Any], YamlDocument] | Failure | None:
        """A YAML file whose top level is a mapping; anything else is a Failure."""
        document = self.yaml(relative)
        if document is None or isinstance(document, Failure):
            return document
        if not isinstance(document.data, dict):
            return Failure(f"`{relative}` is not a mapping of keys to values", relative, 1)
        return document.data, document

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        text = self.text("pyproject.toml")
        if text is None:
            return {}
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}

    @cached_property
    def settings(self) -> dict[str, Any]:
        """``[tool.prodready]`` of pyproject.toml."""
        tool = self.pyproject.get("tool", {})
        settings = tool.get("prodready", {}) if isinstance(tool, dict) else {}
        return settings if isinstance(settings, dict) else {}

    @property
    def stage(self) -> str:
        stage = self.settings.get("stage", "poc")
        return stage if stage in STAGES else "poc"
