"""Run the checks on a repository, apply waivers, and find the readiness level.

The level reached is the highest stage whose checks, and all lower stages' checks,
pass. A repository passes the gate when its level is at least the stage it declares
in ``[tool.prodready] stage`` (or ``--require``). A waiver in
``[tool.prodready.waivers]`` (a reason and an expiry date) turns a failure into a
waived result until it expires; an expired waiver is itself a failure.
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.stages import STAGES
from .checks import CHECKS, Check
from .repo import Failure, Repo, Skip


@dataclass
class Finding:
    """The outcome of one check on one repository."""

    id: str
    family: str
    stage: str
    title: str
    status: str  # passed, failed, skipped, waived
    message: str = ""
    file: str | None = None
    line: int | None = None
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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

    @property
    def passed(self) -> bool:
        return self.level is not None and STAGES.index(self.level) >= STAGES.index(self.required)

    def blocking(self, stage: str) -> list[Finding]:
        """The failures that keep the repository below ``stage``."""
        ceiling = STAGES.index(stage)
        return [f for f in self.findings if f.status == "failed" and STAGES.index(f.stage) <= ceiling]


def _run(check: type[Check], repo: Repo) -> bool | Failure | Skip | None:
    function = check.check  # type: ignore[attr-defined]  # every concrete check defines it
    kwargs = {"prodready": repo} if "prodready" in inspect.signature(function).parameters else {}
    try:
        result: bool | Failure | Skip | None = function(**kwargs)
    except Exception as error:  # a check must never take the audit down with it
        return Failure(f"the check could not run: {type(error).__name__}: {error}", None, None)
    return result


def _waiver(repo: Repo, check_id: str) -> tuple[str, str | None, int | None] | None:
    """(state, reason, line): state is 'active' or 'expired'; None when not waived."""
    waivers = repo.settings.get("waivers")
    if not isinstance(waivers, dict) or check_id not in waivers:
        return None
    entry = waivers[check_id]
    line = next(
        (
            n
            for n, text in enumerate((repo.text("pyproject.toml") or "").splitlines(), 1)
            if text.strip().startswith(check_id)
        ),
        None,
    )
    if not isinstance(entry, dict) or not entry.get("reason") or not entry.get("expires"):
        return "invalid", "a waiver needs a reason and an expires date", line
    try:
        expires = entry["expires"] if isinstance(entry["expires"], date) else date.fromisoformat(str(entry["expires"]))
    except ValueError:
        return "invalid", f"expires {entry['expires']!r} is not a date", line
    if expires < repo.today:
        return "expired", f"waiver expired on {expires} ({entry['reason']})", line
    return "active", f"waived until {expires}: {entry['reason']}", line


def audit_repository(
    root: Path,
    *,
    require: str | None = None,
    today: date | None = None,
    template_version: str | None = None,
    template_source: str | None = None,
) -> Audit:
    """Run every check on the repository at ``root``."""
    repo = Repo(root, today or date.today(), template_version, template_source)
    results: dict[str, bool] = {}
    findings = []
    for check_id, check in CHECKS.items():
        finding = Finding(check_id, check.family, check.stage, check.title(), "passed", url=check.url)
        blocked = sorted(r for r in check.requires if not results.get(r))
        if blocked:
            finding.status, finding.message = "skipped", f"needs {', '.join(blocked)} to pass first"
        else:
            outcome = _run(check, repo)
            if outcome is None or isinstance(outcome, Skip):
                finding.status, finding.message = "skipped", str(outcome or "not applicable")
            elif outcome is not True:
                failure = outcome if isinstance(outcome, Failure) else Failure(check.title())
                finding.status, finding.message, finding.file, finding.line = (
                    "failed",
                    str(failure),
                    failure.file,
                    failure.line,
                )
        waiver = _waiver(repo, check_id)
        if waiver is not None:
            state, reason, line = waiver
            if state == "active" and finding.status == "failed":
                finding.status, finding.message = "waived", f"{reason} (was: {finding.message})"
            elif state != "active":
                finding.status, finding.message, finding.file, finding.line = (
                    "failed",
                    str(reason),
                    "pyproject.toml",
                    line,
                )
        results[check_id] = finding.status in ("passed", "waived") or (finding.status == "skipped" and not blocked)
        findings.append(finding)
    # A check skipped because a prerequisite failed is not passed: it counts against its stage.
    level = None
    for stage in STAGES:
        ceiling = STAGES.index(stage)
        relevant = [f for f in findings if STAGES.index(f.stage) <= ceiling]
        if any(f.status == "failed" or (f.status == "skipped" and f.message.startswith("needs")) for f in relevant):
            break
        level = stage
    declared = repo.stage
    return Audit(root, root.resolve().name, declared, require or declared, level, findings, facts(repo, level))


def facts(repo: Repo, level: str | None) -> dict[str, Any]:
    """What a developer portal wants to know about the POC (owners, dates, money)."""
    from .checks import projection

    loaded = repo.mapping("ownership.yaml")
    data = loaded[0] if isinstance(loaded, tuple) else {}
    roles: dict[str, Any] = data["roles"] if isinstance(data.get("roles"), dict) else {}
    business: dict[str, Any] = data["business"] if isinstance(data.get("business"), dict) else {}
    owners = {role: person.get("email") for role, person in roles.items() if isinstance(person, dict)}
    cost = projection(repo)
    monthly = None if isinstance(cost, Failure) else str(cost.stages["production"].monthly.total)
    return {
        "project": repo.settings.get("project_name") or data.get("project") or repo.root.name,
        "stage": repo.stage,
        "level": level,
        "owners": owners,
        "decision_date": str(business.get("decision_date")) if business.get("decision_date") else None,
        "production_monthly_cost": monthly,
        "currency": None if isinstance(cost, Failure) else cost.model.currency,
    }
