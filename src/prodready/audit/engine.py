"""Run the checks on a repository, apply waivers, and find the readiness level.

The level reached is the highest stage whose checks, and all lower stages' checks,
pass. A repository passes the gate when its level is at least the stage it declares
in ``[tool.prodready] stage`` (or ``--require``). A waiver in
``[tool.prodready.waivers]`` (a reason and an expiry date) turns a failure into a
waived result until it expires; an expired waiver is itself a failure.

A check's parameters name the fixtures it reads (see ``checks/base.py``); ``Fixtures``
computes each once per repository, on first request, from the fixtures its own
parameters name, as repo-review does for ``repo-review PATH``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..core.costing import Projection
from ..core.people import DEFAULT_WAIVER_APPROVERS, WAIVER_APPROVERS, normalise
from ..core.signoffs import MAX_WAIVER_DAYS
from ..core.stages import STAGES
from ..errors import ProdreadyError
from ..results import Status
from .checks import CHECKS, FIXTURES, Check, Result, YamlFile
from .checks.base import mapping
from .checks.signatures import commit_problem
from .repo import PYPROJECT, Failure, Repo, Skip, as_date

T = TypeVar("T")


@dataclass
class Finding:
    """The outcome of one check on one repository."""

    id: str
    family: str
    stage: str
    title: str
    status: Status
    message: str = ""
    file: str | None = None
    line: int | None = None
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The finding's fields, by name: a shallow copy (every value is a str, an int or None).

        ``dataclasses.asdict`` deep-copies each value; a portfolio of a thousand
        repositories serialises some eighty thousand findings.
        """
        return dict(vars(self))


@dataclass
class Audit:
    """All findings for one repository, its declared stage and the level it reaches."""

    root: Path
    name: str
    declared: str
    required: str
    level: str | None
    findings: list[Finding]
    facts: dict[str, Any] = field(default_factory=dict)
    #: Why the repository could not be audited at all (its declared stage is unknown), in
    #: portfolio mode, where one broken repository must not hide the others' results.
    error: str | None = None

    @property
    def passed(self) -> bool:
        if self.error is not None or self.level is None:
            return False
        return STAGES.index(self.level) >= STAGES.index(self.required)

    def gates(self, finding: Finding) -> bool:
        """Whether ``finding`` holds the repository below its required stage (the gate fails on it).

        The one rule every report follows: a failure of a check of the required stage,
        or of a lower one, gates; a failure of a check first due at a later stage does
        not (a fresh POC fails its pilot checks, and must still pass at ``poc``).
        """
        if finding.status != "failed" or self.required not in STAGES:
            return False
        return STAGES.index(finding.stage) <= STAGES.index(self.required)


class Fixtures:
    """The fixtures of one repository, each computed once, when a check first asks for it.

    A fixture is a function of ``FIXTURES`` whose parameters name the fixtures it is
    computed from (repo-review's model); ``given`` values (``prodready``, the repository)
    are not computed. A fixture that raises raises again for every check that needs it.
    """

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None, /, **given: Any) -> None:
        self.functions = FIXTURES if functions is None else functions
        self.values: dict[str, Any] = dict(given)
        self.errors: dict[str, Exception] = {}
        self.pending: list[str] = []

    def __getitem__(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name in self.errors:
            raise self.errors[name]
        if name not in self.functions:
            raise LookupError(f"unknown fixture {name!r}")
        if name in self.pending:
            raise RecursionError(f"fixture cycle: {' -> '.join([*self.pending, name])}")
        self.pending.append(name)
        try:
            self.values[name] = self.call(self.functions[name])
        except Exception as error:
            self.errors[name] = error
            raise
        finally:
            self.pending.pop()
        return self.values[name]

    def call(self, function: Callable[..., T]) -> T:
        """Call ``function`` with the fixtures its parameters name."""
        return function(**{name: self[name] for name in parameters(function)})


@functools.cache
def parameters(function: Callable[..., Any]) -> tuple[str, ...]:
    """The names of a check's or fixture's parameters: read once per process, not once per repository."""
    return tuple(inspect.signature(function).parameters)


def _run(check: type[Check], fixtures: Fixtures) -> Result:
    try:
        result: Result = fixtures.call(check.check)  # type: ignore[attr-defined]  # every registered check defines it
    except Exception as error:  # a check must never take the audit down with it
        return Failure(f"the check could not run: {type(error).__name__}: {error}", None, None)
    return result


def evaluate(check: type[Check], fixtures: Fixtures) -> Finding:
    """Run one check (its prerequisites and waivers aside) and describe the outcome."""
    finding = Finding(check.id(), check.family, check.stage, check.title(), "passed", url=check.url)
    outcome = _run(check, fixtures)
    if outcome is None or isinstance(outcome, Skip):
        finding.status, finding.message = "skipped", str(outcome or "not applicable")
    elif outcome is not True:
        failure = outcome if isinstance(outcome, Failure) else Failure(check.title())
        finding.status, finding.message, finding.file, finding.line = "failed", str(failure), failure.file, failure.line
    return finding


def compute_check(check_id: str, /, **given: Any) -> Finding:
    """One check on one repository, like repo-review's ``compute_check``: ``compute_check("OWN003", prodready=repo)``.

    The fixtures not given are computed as the audit computes them; prerequisites
    (``requires``) and waivers are not applied.
    """
    return evaluate(CHECKS[check_id], Fixtures(**given))


def _waiver(repo: Repo, check: type[Check], fixtures: Fixtures) -> tuple[str, str | None, int | None] | None:
    """(state, reason, line): state is 'active', 'expired' or 'invalid'; None when not waived.

    A waiver needs a reason, an expiry at most ``max_waiver_days`` ahead (90 unless
    ``[tool.prodready]`` says otherwise) and an approver: a role of ownership.yaml allowed
    to waive the check's family, and that role's person. From the pilot on, the commit
    that last changed the waiver's line must be the approver's, as a sign-off's must.
    """
    waivers = repo.settings.get("waivers")
    check_id = check.id()
    if not isinstance(waivers, dict) or check_id not in waivers:
        return None
    entry = waivers[check_id]
    line = repo.waiver_line(check_id)
    if not isinstance(entry, dict) or not entry.get("reason") or not entry.get("expires"):
        return "invalid", "a waiver needs a reason, an expires date and an approver", line
    expires = as_date(entry["expires"])  # a TOML datetime counts as its day
    if expires is None:
        return "invalid", f"expires {entry['expires']!r} is not a date", line
    if expires < repo.today:
        return "expired", f"waiver expired on {expires} ({entry['reason']})", line
    problem = _waiver_problem(repo, check, entry, expires, fixtures, line)
    if problem is not None:
        return "invalid", f"the waiver of {check_id} {problem}", line
    return "active", f"waived until {expires}: {entry['reason']}", line


def _waiver_problem(
    repo: Repo, check: type[Check], entry: dict[str, Any], expires: date, fixtures: Fixtures, line: int | None
) -> str | None:
    """Why a waiver that has a reason and a future expiry is still not one: too long, or nobody entitled approved it."""
    limit = repo.settings.get("max_waiver_days", MAX_WAIVER_DAYS)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        return f"cannot be judged: [tool.prodready] max_waiver_days is {limit!r}, not a number of days"
    if (expires - repo.today).days > limit:
        days = (expires - repo.today).days
        return f"expires {expires}, {days} days ahead: a waiver lasts at most {limit} days (max_waiver_days)"
    roles = WAIVER_APPROVERS.get(check.family, DEFAULT_WAIVER_APPROVERS)
    approver = mapping(entry.get("approver"))
    role, name = str(approver.get("role") or ""), str(approver.get("name") or "")
    people = _fixture(fixtures, "people") or {}
    if role not in roles:
        shown = f"role {role!r}" if role else "no approver"
        return f"has {shown}: it needs approver = {{role, name}} of one of {', '.join(roles)}"
    holders = [p for p in people.get(role, []) if normalise(p.name) == normalise(name)]
    if not name or not holders:
        return f"is approved by {name!r}, who is not the {role} of ownership.yaml"
    if STAGES.index(repo.stage) >= STAGES.index("pilot"):
        return commit_problem(repo, PYPROJECT, {line}, holders[0], people)
    return None


def _apply_waiver(finding: Finding, waiver: tuple[str, str | None, int | None] | None) -> None:
    """An active waiver turns a failure into a waived result; an expired or invalid one is a failure."""
    if waiver is None:
        return
    state, reason, line = waiver
    if state == "active" and finding.status == "failed":
        finding.status, finding.message = "waived", f"{reason} (was: {finding.message})"
    elif state != "active":
        finding.status, finding.message, finding.file, finding.line = "failed", str(reason), "pyproject.toml", line


def _level(findings: list[Finding]) -> str | None:
    """The highest stage whose checks, and all lower stages' checks, pass.

    A check skipped because a prerequisite failed is not passed: it counts against its stage.
    """
    level = None
    for stage in STAGES:
        ceiling = STAGES.index(stage)
        relevant = [f for f in findings if STAGES.index(f.stage) <= ceiling]
        if any(f.status == "failed" or (f.status == "skipped" and f.message.startswith("needs")) for f in relevant):
            break
        level = stage
    return level


def audit_repository(
    root: Path,
    *,
    require: str | None = None,
    today: date | None = None,
    template_version: str | None = None,
    template_source: str | None = None,
) -> Audit:
    """Run every check on the repository at ``root``.

    Raises ``InputError`` when the stage the repository declares cannot be known
    (pyproject.toml unreadable or malformed, or an unknown stage): a gate never passes
    by default.
    """
    repo = Repo(root, today or date.today(), template_version, template_source)
    return audit_fixtures(Fixtures(prodready=repo), require)


def audit_fixtures(fixtures: Fixtures, require: str | None = None) -> Audit:
    """Run every check on the repository of ``fixtures`` (its ``prodready`` value).

    For a caller that reads the same repository's files too (the review pack): the
    fixtures it computes are the ones the checks computed, never parsed twice.
    """
    repo: Repo = fixtures["prodready"]
    root = repo.root
    declared = repo.stage
    results: dict[str, bool] = {}
    findings = []
    for check_id, check in CHECKS.items():
        blocked = sorted(r for r in check.requires if not results.get(r))
        if blocked:
            finding = Finding(check_id, check.family, check.stage, check.title(), "skipped", url=check.url)
            finding.message = f"needs {', '.join(blocked)} to pass first"
        else:
            finding = evaluate(check, fixtures)
        _apply_waiver(finding, _waiver(repo, check, fixtures))
        results[check_id] = finding.status in ("passed", "waived") or (finding.status == "skipped" and not blocked)
        findings.append(finding)
    level = _level(findings)
    return Audit(root, root.resolve().name, declared, require or declared, level, findings, facts(fixtures, level))


def unauditable(root: Path, error: ProdreadyError, require: str | None = None) -> Audit:
    """The result of a repository that could not be audited: failed, with the reason."""
    return Audit(root, root.resolve().name, "", require or "", None, [], {}, str(error))


def _fixture(fixtures: Fixtures, name: str) -> Any:
    """A fixture's value, or None when it could not be computed (the checks report why)."""
    try:
        return fixtures[name]
    except Exception:
        return None


def facts(fixtures: Fixtures, level: str | None) -> dict[str, Any]:
    """What a developer portal wants to know about the POC (owners, dates, money)."""
    repo: Repo = fixtures["prodready"]
    ownership, cost = _fixture(fixtures, "ownership"), _fixture(fixtures, "projection")
    data = ownership.data if isinstance(ownership, YamlFile) else {}
    roles = mapping(data.get("roles"))
    business = mapping(data.get("business"))
    # Facts are JSON for a portal: text or None, whatever types the files hold.
    owners = {
        str(role): None if person.get("email") is None else str(person.get("email"))
        for role, person in roles.items()
        if isinstance(person, dict)
    }
    costed = isinstance(cost, Projection)
    return {
        "project": str(repo.settings.get("project_name") or data.get("project") or repo.root.name),
        "stage": repo.stage,
        "level": level,
        "owners": owners,
        "decision_date": str(business.get("decision_date")) if business.get("decision_date") else None,
        "production_monthly_cost": str(cost.stages["production"].monthly.total) if costed else None,
        "currency": cost.model.currency if costed else None,
    }
