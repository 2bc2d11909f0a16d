"""What every check shares: the ``Check`` base class, its result type, the fixtures.

A check is a class whose docstring is its message: the first line is the title, the
rest says why it matters and how to fix it. ``family`` groups it, ``stage`` is the
lowest stage that requires it, and ``check`` returns True (pass), a ``Failure`` (a
message that knows its file and line), a ``Skip`` (cannot decide, and why) or None
(not applicable). Defining the class registers it: a subclass of ``Check`` that
defines ``check`` is a check, so adding a check is adding a class.

``check``'s parameters are fixtures, repo-review style: each names a fixture function
(registered with ``@fixture``) whose own parameters name the fixtures it is computed
from, down to ``prodready``, the repository itself. The audit computes each fixture
once per repository, on first request; repo-review computes them all up front.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, ParamSpec, TypedDict, TypeVar

from ...core.answers import is_placeholder
from ...core.project import documentation_url
from ...core.stages import STAGES
from ...io.yamlio import YamlDocument
from ..repo import Failure, Repo, Skip

#: The check reference page (docs/checks.md as MkDocs builds it); a check's link adds
#: ``#`` and its id in lower case, the explicit anchor ``tools/gen_check_docs.py`` gives
#: its heading, so links survive a change of title.
DOCS = f"{documentation_url()}/checks/"

Result = bool | Failure | Skip | None


class Family(TypedDict):
    name: str
    order: int
    description: str


#: Every family, in the order the audit reports them: (key, name, description).
_FAMILY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("ownership", "Ownership", "Named, reachable people for every role."),
    ("business", "Business case", "A KPI, a decision date, kill criteria."),
    ("contracts", "Data contracts", "ODCS contracts checked against real data."),
    ("integration", "Integration", "Every system mapped, contracted, tested."),
    ("monitoring", "Monitoring", "SLOs, drift, alerts, fallback, retraining."),
    ("evaluation", "Evaluation", "Judged against a baseline, tied to the KPI."),
    ("governance", "Governance", "EU AI Act, NIST AI RMF, ISO/IEC 42001 items."),
    ("cost", "Cost", "Funded at production scale."),
    ("load", "Load", "Measured at the production peak, within the SLOs."),
    ("adoption", "Adoption", "Whose work changes, and whether it is used."),
    ("plan", "Plan", "Milestones in order, kept or decided."),
    ("ci", "CI", "The checks run on every change."),
    ("template", "Template", "Linked to the template and on its newest release."),
)
#: Each family by key; its ``order`` is its place above (repo-review sorts families by it).
FAMILIES: dict[str, Family] = {
    key: {"name": name, "order": order, "description": description}
    for order, (key, name, description) in enumerate(_FAMILY_ROWS)
}

#: Every check, by id, as its class was defined (``CHECKS`` orders them by family and id).
REGISTRY: dict[str, type[Check]] = {}
#: Every fixture function, by name. ``prodready`` (the repository) is given, not computed.
FIXTURES: dict[str, Callable[..., Any]] = {}


class Check:
    """Base of every check (not a check itself)."""

    family: ClassVar[str]
    stage: ClassVar[str] = "poc"
    requires: ClassVar[frozenset[str]] = frozenset()
    url: ClassVar[str] = DOCS

    @classmethod
    def id(cls) -> str:
        return cls.__name__

    @classmethod
    def title(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def explanation(cls) -> str:
        return "\n".join(line.strip() for line in (cls.__doc__ or "").strip().splitlines()[1:]).strip()

    def __init_subclass__(
        cls,
        family: str | None = None,
        stage: str | None = None,
        requires: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        """``class OWN002(Check, family="ownership", requires={"OWN001"})`` declares and registers."""
        super().__init_subclass__(**kwargs)
        if family is not None:
            cls.family = family
        if stage is not None:
            cls.stage = stage
        if requires:
            cls.requires = frozenset(requires)
        cls.url = f"{DOCS}#{anchor(cls.__name__)}"  # repo-review reads url as a plain string
        if "check" in vars(cls):
            _register(cls)


def anchor(check_id: str) -> str:
    """The id of a check's heading in the check reference: ``own001`` (docs/checks.md writes it as ``{#own001}``)."""
    return check_id.lower()


def _register(cls: type[Check]) -> None:
    """Record a concrete check, refusing one that names an unknown family or stage."""
    problems = []
    if getattr(cls, "family", None) not in FAMILIES:
        problems.append(f"family {getattr(cls, 'family', None)!r} is not one of {', '.join(FAMILIES)}")
    if cls.stage not in STAGES:
        problems.append(f"stage {cls.stage!r} is not one of {', '.join(STAGES)}")
    if not (cls.__doc__ or "").strip():
        problems.append("it has no docstring (its title and explanation)")
    known = REGISTRY.get(cls.__name__)
    if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
        problems.append(f"the id is already taken by {known.__module__}.{known.__qualname__}")
    if problems:
        raise TypeError(f"check {cls.__name__}: {'; '.join(problems)}")
    REGISTRY[cls.__name__] = cls


F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")


def fixture(function: F) -> F:
    """Register a fixture under its function's name (its parameters name its own fixtures)."""
    FIXTURES[function.__name__] = function
    return function


def skip_unreadable(check: Callable[P, Result]) -> Callable[P, Result]:
    """Not applicable (None) when a fixture the check reads is a Failure.

    The check that owns the file (OWN001, MON001, COS001, ...) reports why it cannot be
    read; the others, which need its content, have nothing to say about it.
    """

    @functools.wraps(check)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> Result:
        if any(isinstance(value, Failure) for value in (*args, *kwargs.values())):
            return None
        return check(*args, **kwargs)

    return guarded


@dataclass(frozen=True)
class YamlFile:
    """A YAML file of the repository whose top level is a mapping, with the line of every node."""

    file: str
    data: dict[str, Any]
    document: YamlDocument

    def section(self, key: str) -> dict[str, Any]:
        """A top-level value that should be a mapping, or an empty one when it is not."""
        return mapping(self.data.get(key))

    def fail(self, message: str, where: list[str | int] | None = None) -> Failure:
        """A failure located at a path inside the file (or at the file itself)."""
        return Failure(message, self.file, self.document.line_of(where) if where is not None else None)


def number(value: Any) -> float | None:
    """A YAML or JSON value that should be a number, as a float; None when it is not (a bool is not)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def stated(value: Any) -> bool:
    """Whether a value is text a person wrote: not empty, not a placeholder ("TBD", "owner")."""
    return isinstance(value, str) and bool(value.strip()) and not is_placeholder(value)


def mapping(value: Any) -> dict[str, Any]:
    """A YAML value that should be a mapping, or an empty one when it is not."""
    return value if isinstance(value, dict) else {}


def indexed(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a YAML value that should be a list of them, each with its index (for its line)."""
    return [(i, item) for i, item in enumerate(value if isinstance(value, list) else []) if isinstance(item, dict)]


#: How many offenders one failure lists; the rest are counted ("and 14 more").
SHOWN = 20


def every(found: Sequence[Failure], what: str) -> Failure | Literal[True]:
    """True when nothing was found; else one Failure that names every offender, located at the first.

    Fixing one problem only to be told of the next, audit after audit, is how an audit
    gets ignored. One offender keeps its own message; several are counted (``"3 {what}:
    ..."``), each with its line, or its file and line when they are in different files
    (no place when all share one), the first ``SHOWN`` listed and the rest counted.
    """
    if not found:
        return True
    first = found[0]
    if len(found) == 1:
        return first
    places = {(f.file, f.line) for f in found}
    files = {f.file for f in found}
    named = [_named(f, len(places) > 1, len(files) > 1) for f in found[:SHOWN]]
    more = f"; and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return Failure(f"{len(found)} {what}: {'; '.join(named)}{more}", first.file, first.line)


def _named(failure: Failure, placed: bool, filed: bool) -> str:
    """One offender in a list: its message, after its place when the places differ."""
    if not placed:
        return str(failure)
    if filed and failure.file:
        where = f"{failure.file}:{failure.line}" if failure.line else failure.file
    else:
        where = f"line {failure.line}" if failure.line else ""
    return f"{where}: {failure}" if where else str(failure)


def missing(file: str) -> Failure:
    return Failure(f"`{file}` is missing", file, None)


def load_json(repo: Repo, relative: str) -> dict[str, Any] | Failure:
    """A JSON object a tool of the POC wrote (evaluation or load results), or why it cannot be used."""
    text = repo.read(relative)
    if isinstance(text, Failure):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"`{relative}` is not JSON ({error.msg}). Fix: write it again with its tool"
        return Failure(message, relative, error.lineno)
    if not isinstance(data, dict):
        return Failure(f"`{relative}` is not a JSON object. Fix: write it again with its tool", relative, 1)
    return data


def load(repo: Repo, file: str, *, timestamps: bool = True) -> YamlFile | Failure:
    """A YAML mapping file of the repository, or a Failure saying why it cannot be read.

    ``timestamps=False`` keeps unquoted dates as the text written (data contracts).
    """
    loaded = repo.mapping(file, timestamps=timestamps)
    if loaded is None:
        return missing(file)
    if isinstance(loaded, Failure):
        return loaded
    data, document = loaded
    return YamlFile(file, data, document)
