"""What a go/no-go decision is taken on: one snapshot of a POC's evidence.

``prodready decide`` writes it under each decision record (what the kill authority knew
when deciding), and ``prodready review`` renders it for the decision meeting. Both read
the repository as the audit does (confined, parsed, never written) and the reports the
POC's own sessions wrote, so the pack shows the same facts CI judged.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..audit.checks.base import YamlFile, mapping
from ..audit.checks.business import ACTUALS, actuals
from ..audit.checks.governance import Checklist
from ..audit.decisions import Decision
from ..audit.engine import Audit, Fixtures, audit_fixtures
from ..audit.repo import Failure, Repo, as_date
from ..core.costing import Projection
from ..errors import InputError
from ..io.yamlio import read_text


@dataclass(frozen=True)
class Kpi:
    """The business KPI, its agreed values and what was measured."""

    name: str
    baseline: float | None
    target: float | None
    #: The KPI value at which the kill criteria stop the POC (business.kpi.kill_threshold).
    kill_threshold: float | None
    #: (date, value, source), oldest first.
    actuals: list[tuple[date, float, str]]

    @property
    def latest(self) -> tuple[date, float, str] | None:
        return self.actuals[-1] if self.actuals else None

    @property
    def progress(self) -> float | None:
        """How far the latest value is from the baseline towards the target (1.0: target reached)."""
        if self.latest is None or self.baseline is None or self.target is None or self.target == self.baseline:
            return None
        return (self.latest[1] - self.baseline) / (self.target - self.baseline)

    @property
    def past_kill_threshold(self) -> bool:
        """Whether the latest value is on the wrong side of the kill threshold (the side away from the target)."""
        if self.latest is None or self.kill_threshold is None or self.target is None:
            return False
        better = 1 if self.target >= self.kill_threshold else -1
        return (self.latest[1] - self.kill_threshold) * better < 0


@dataclass(frozen=True)
class Item:
    """One checklist item as the pack shows it."""

    id: str
    title: str
    required_stage: str
    status: str
    signed_by: str  # "Lucas Bernard (kill_authority), 2026-11-02", or "" when unsigned


@dataclass
class Evidence:
    """Everything the decision meeting looks at, read once."""

    project: str
    today: date
    stage: str
    problem: str
    kill_criteria: str
    kill_authority: str
    decision_date: date | None
    kpi: Kpi
    audit: Audit
    items: list[Item]
    waivers: list[dict[str, str]]
    decisions: list[Decision]
    currency: str | None = None
    budget_poc: float | None = None
    budget_year1: float | None = None
    poc_total: float | None = None
    year_one_total: float | None = None
    production_monthly: float | None = None
    #: Summaries of the reports of the POC's own sessions (None: not given).
    contracts: dict[str, Any] | None = None
    drift: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def killed(self) -> Decision | None:
        return next((d for d in reversed(self.decisions) if d.kind == "kill"), None)

    def recommendation(self) -> tuple[str, str]:
        """(verdict, why) from the kill criteria, the KPI actuals and the dates: advice, never a decision."""
        kpi, latest = self.kpi, self.kpi.latest
        if self.killed is not None:
            return "decommission", f"killed by {self.killed.file}: follow governance/decommission_plan.md"
        if latest is None:
            return "measure first", "no KPI value is recorded in kpi/actuals.csv: there is no evidence to decide on"
        shown = f"the KPI was {latest[1]:g} on {latest[0]}"
        if kpi.past_kill_threshold:
            return "kill", f"{shown}, worse than the kill threshold {kpi.kill_threshold:g}: the kill criteria are met"
        progress = kpi.progress
        if progress is not None and progress >= 1:
            return "go", f"{shown}: the target {kpi.target:g} is reached"
        share = "" if progress is None else f", {max(progress, 0):.0%} of the way from baseline to target"
        if self.decision_date is not None and self.decision_date <= self.today:
            days = (self.today - self.decision_date).days
            return "decide now", f"the decision date {self.decision_date} is {days} days past; {shown}{share}"
        return "continue", f"{shown}{share}; the next decision is due {self.decision_date}"


def _number(value: Any) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _report(path: Path | None, what: str) -> dict[str, Any] | None:
    """A JSON report of the POC's own session, read as data (never trusted to be well-formed)."""
    if path is None:
        return None
    try:
        data = json.loads(read_text(path, f"{what} report"))
    except ValueError as error:
        fix = f"pass the --format json output of {what}"
        raise InputError(path, f"the {what} report is not JSON ({error})", fix) from None
    if not isinstance(data, dict):
        raise InputError(path, f"the {what} report is not a JSON object", f"pass the --format json output of {what}")
    return data


def contracts_summary(data: dict[str, Any]) -> dict[str, Any]:
    """Counts by status and the failed checks of a `prodready contracts check --format json` report."""
    results = (
        [r for r in data.get("results", []) if isinstance(r, dict)] if isinstance(data.get("results"), list) else []
    )
    statuses: dict[str, int] = {}
    for result in results:
        statuses[str(result.get("status"))] = statuses.get(str(result.get("status")), 0) + 1
    failed = [
        f"{r.get('object')}.{r.get('property')}: {r.get('check')}"
        if r.get("property")
        else f"{r.get('object')}: {r.get('check')}"
        for r in results
        if r.get("status") == "failed"
    ]
    return {"statuses": statuses, "failed": failed}


def drift_summary(data: dict[str, Any]) -> dict[str, Any]:
    """Whether a `prodready drift check --format json` report found drift, and in which columns."""
    columns = (
        [c for c in data.get("columns", []) if isinstance(c, dict)] if isinstance(data.get("columns"), list) else []
    )
    return {
        "dataset_drift": bool(data.get("dataset_drift")),
        "rows": data.get("rows"),
        "drifted": [str(c.get("column")) for c in columns if c.get("status") in ("warn", "alert")],
        "columns": len(columns),
    }


def _items(checklist: Any) -> list[Item]:
    if not isinstance(checklist, Checklist):
        return []
    found = []
    for _, item in checklist.items:
        sign_off = mapping(item.get("sign_off"))
        signed = ""
        if sign_off.get("name"):
            signed = (
                f"{sign_off.get('name')} ({sign_off.get('role') or 'no role'}), {sign_off.get('date') or 'undated'}"
            )
        found.append(
            Item(
                str(item.get("id")),
                str(item.get("title")),
                str(item.get("required_stage")),
                str(item.get("status")),
                signed,
            )
        )
    return found


def _waivers(repo: Repo) -> list[dict[str, str]]:
    waivers = repo.settings.get("waivers")
    if not isinstance(waivers, dict):
        return []
    found = []
    for check, entry in waivers.items():
        entry = mapping(entry)
        approver = mapping(entry.get("approver"))
        found.append(
            {
                "check": str(check),
                "reason": str(entry.get("reason") or ""),
                "expires": str(entry.get("expires") or ""),
                "approver": f"{approver.get('name') or '?'} ({approver.get('role') or 'no role'})",
            }
        )
    return found


def collect(
    root: Path,
    *,
    today: date | None = None,
    contracts_report: Path | None = None,
    drift_report: Path | None = None,
) -> Evidence:
    """Read the evidence of the POC at ``root``: ownership, KPI actuals, audit, checklist, cost, decisions."""
    today = today or date.today()
    repo = Repo(root, today)
    fixtures = Fixtures(prodready=repo)
    audit = audit_fixtures(fixtures)
    ownership = fixtures["ownership"]
    data = ownership.data if isinstance(ownership, YamlFile) else {}
    business = mapping(data.get("business"))
    kpi = mapping(business.get("kpi"))
    killer = mapping(mapping(data.get("roles")).get("kill_authority"))
    text = repo.read(ACTUALS)
    rows = actuals(text, repo)[0] if not isinstance(text, Failure) else []
    measured = sorted((when, value, source) for _, when, value, source in rows)
    evidence = Evidence(
        project=str(repo.settings.get("project_name") or data.get("project") or root.resolve().name),
        today=today,
        stage=audit.declared,
        problem=str(business.get("problem") or ""),
        kill_criteria=str(business.get("kill_criteria") or ""),
        kill_authority=f"{killer.get('name') or '?'} <{killer.get('email') or '?'}>",
        decision_date=as_date(business.get("decision_date")),
        kpi=Kpi(
            str(kpi.get("name") or "the KPI"),
            _number(kpi.get("baseline")),
            _number(kpi.get("target")),
            _number(kpi.get("kill_threshold")),
            measured,
        ),
        audit=audit,
        items=_items(fixtures["checklist"]),
        waivers=_waivers(repo),
        decisions=fixtures["decisions"][0],
    )
    projection = fixtures["projection"]
    if isinstance(projection, Projection):
        evidence.currency = projection.model.currency
        evidence.budget_poc = float(projection.model.budget_poc)
        evidence.budget_year1 = float(projection.model.budget_year1)
        evidence.poc_total = float(projection.poc_total)
        evidence.year_one_total = float(projection.year_one_total)
        evidence.production_monthly = float(projection.stages["production"].monthly.total)
    else:
        evidence.notes.append("the cost model cannot be projected: see the audit's cost findings")
    contracts, drift = _report(contracts_report, "contracts check"), _report(drift_report, "drift check")
    evidence.contracts = None if contracts is None else contracts_summary(contracts)
    evidence.drift = None if drift is None else drift_summary(drift)
    return evidence
