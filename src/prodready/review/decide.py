"""``prodready decide``: record a go/no-go decision, and move the stage or the date it sets.

The record is the only way the audit lets a decision date move (BUS002) or a stage
change (BUS004): a ``decisions/NNNN-DATE-KIND.md`` file whose front matter names the
kill authority of ownership.yaml, the reason and what the decision set, followed by the
evidence it was taken on. It binds once the kill authority commits it: from the pilot
the audit checks that commit's author (and signature, where they have a key).

The command refuses what no decision can do (a go at stage poc, a pilot after the pilot,
an extension past the cap) before it writes anything, and writes every file or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..audit.checks.base import indexed
from ..audit.checks.business import extension_limit
from ..audit.checks.plan import PLAN
from ..audit.decisions import DIRECTORY, Decision, first_decision_date, read_decisions
from ..audit.repo import PYPROJECT, Failure, Repo, as_date
from ..core.answers import is_placeholder
from ..core.escape import yaml_str
from ..core.plan import MILESTONES
from ..core.signoffs import DECIDERS
from ..core.stages import DECISIONS, REVIEW_DAYS
from ..errors import InputError
from ..io.outputs import write_atomic
from .evidence import collect
from .pack import to_markdown

OWNERSHIP = "ownership.yaml"
DECOMMISSION = "governance/decommission_plan.md"
#: The stage each promotion needs the POC to be at.
PROMOTES_FROM = {"pilot": "poc", "production": "pilot"}


@dataclass(frozen=True)
class Recorded:
    """What ``decide`` wrote: the record, the stage and the next decision date it set."""

    record: Path
    stage: str
    decision_date: date | None
    decider: str
    email: str


def _next_date(
    kind: str, stage: str, today: date, until: date | None, repo: Repo, records: list[Decision]
) -> date | None:
    """The decision or review date the decision sets (None after a kill); refuses what the kind cannot do."""
    if kind != "extend" and until is not None:
        raise InputError("--until", f"a {kind} sets its own date", "use --until only with extend")
    if kind == "kill":
        return None
    if kind == "go":
        if stage == "poc":
            raise InputError(
                PYPROJECT,
                "at stage poc a go is a move to the pilot",
                "run `prodready decide pilot` (or extend, or kill)",
            )
        return today + timedelta(days=REVIEW_DAYS[stage])
    if kind in PROMOTES_FROM:
        if stage != PROMOTES_FROM[kind]:
            raise InputError(
                PYPROJECT,
                f"the POC is at stage {stage}; a {kind} decision moves a {PROMOTES_FROM[kind]}",
                "decide go, extend or kill at this stage",
            )
        return today + timedelta(days=REVIEW_DAYS[kind])
    if until is None or until <= today:
        raise InputError("--until", "an extension needs the new decision date, after today", "pass --until YYYY-MM-DD")
    limit = extension_limit(repo)
    if isinstance(limit, Failure):
        raise InputError(PYPROJECT, str(limit), "set max_extension_days to a number of days")
    start = first_decision_date(repo)
    for record in records:
        if record.kind != "extend":
            start = record.decision_date
    if start is not None and (until - start).days > limit:
        raise InputError(
            "--until",
            f"{until} is {(until - start).days} days past the stage's first decision date {start}; "
            f"extensions reach at most {limit} days (max_extension_days)",
            "decide go, pilot, production or kill instead",
        )
    return until


def _set_decision_date(text: str, value: date) -> str:
    """ownership.yaml with business.decision_date set, every other line as written."""
    pattern = re.compile(r"^(\s+decision_date:)[^\n#]*(#.*)?$", re.MULTILINE)
    matches = pattern.findall(text)
    if len(matches) != 1:
        raise InputError(OWNERSHIP, "has no single business.decision_date line to update", "restore the line")
    return pattern.sub(
        lambda m: f"{m.group(1)} {yaml_str(str(value))}" + (f"  {m.group(2)}" if m.group(2) else ""), text
    )


def _shift_milestones(repo: Repo, before: date, after: date) -> str | None:
    """plan/milestones.yaml with the decision and every later milestone moved as the decision date moved.

    An extension delays everything that follows the decision by as much: the plan stays
    in order and keeps its pilot phase (PLN001). None when there is no plan, or its
    decision milestone was not on the old date (the audit reports that plan as it is).
    """
    located = repo.path(PLAN)
    document = repo.yaml(PLAN)
    if located is None or document is None or isinstance(document, Failure) or not isinstance(document.data, dict):
        return None
    entries = indexed(document.data.get("milestones"))
    decision = next((m for _, m in entries if m.get("name") == "decision"), None)
    if decision is None or as_date(decision.get("date")) != before:
        return None
    later = MILESTONES[MILESTONES.index("decision") :]
    lines = located.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, milestone in entries:
        when, line = as_date(milestone.get("date")), document.line_of(["milestones", index, "date"])
        if milestone.get("name") in later and when is not None and line is not None:
            moved = (when + (after - before)).isoformat()
            lines[line - 1] = lines[line - 1].replace(str(when), moved, 1)
    return "".join(lines)


def _set_stage(text: str, stage: str) -> str:
    """pyproject.toml with [tool.prodready] stage set, every other line as written."""
    lines = text.splitlines(keepends=True)
    header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.prodready]"), None)
    if header is None:
        raise InputError(PYPROJECT, "has no [tool.prodready] table", 'add [tool.prodready] with stage = "poc"')
    end = next((i for i in range(header + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    for i in range(header + 1, end):
        if re.match(r"\s*stage\s*=", lines[i]):
            lines[i] = f'stage = "{stage}"\n'
            return "".join(lines)
    lines.insert(header + 1, f'stage = "{stage}"\n')
    return "".join(lines)


def _record(
    number: int,
    kind: str,
    today: date,
    role: str,
    name: str,
    reason: str,
    stage: str,
    next_date: date | None,
    evidence: str,
) -> str:
    front = [
        "---",
        f"decision: {kind}",
        f"date: {today}",
        f"decided_by: {{role: {role}, name: {yaml_str(name)}}}",
        f"reason: {yaml_str(reason)}",
        f"stage: {stage}",
    ]
    if next_date is not None:
        front.append(f"decision_date: {next_date}")
    front.append("---")
    title = f"# Decision {number:04d}: {kind} ({today})"
    body = [
        title,
        "",
        f"Decided by {name} ({role}): {reason}",
        "",
        "This record binds once its decider commits it: from the pilot, the audit (BUS004)",
        "accepts it only from their own commit, signed where ownership.yaml holds their key.",
        "",
        "## The evidence at the time of the decision",
        "",
        evidence.strip(),
        "",
    ]
    return "\n".join([*front, "", *body])


def _kill_plan(text: str, today: date, record: str) -> str:
    """The decommission plan with the date it was invoked, from which its steps' deadlines count."""
    marker = "Invoked:"
    if marker in text:
        raise InputError(DECOMMISSION, "was already invoked", "nothing to do: the POC is being decommissioned")
    return text.rstrip("\n") + f"\n\n{marker} {today}, by {record}. Each step is due its days after this date.\n"


def decide(root: Path, kind: str, reason: str, *, until: date | None = None, today: date | None = None) -> Recorded:
    """Write the decision record of ``kind`` and update the stage or decision date it sets."""
    if kind not in DECISIONS:
        raise InputError("KIND", f"{kind!r} is not a decision", f"use one of {', '.join(DECISIONS)}")
    today = today or date.today()
    if is_placeholder(reason):
        raise InputError("--reason", "is empty or a placeholder", "say why, in a sentence")
    repo = Repo(root, today)
    stage = repo.stage
    records, problems = read_decisions(repo)
    if problems:
        first = problems[0]
        raise InputError(
            root / (first.file or DIRECTORY), str(first), "correct or remove that record first", first.line
        )
    if records and records[-1].kind == "kill":
        raise InputError(records[-1].file, "the POC was killed", "nothing more to decide: follow the decommission plan")
    data = repo.required_mapping(OWNERSHIP, "restore ownership.yaml before deciding")
    role = DECIDERS[kind][0]
    holder = data.get("roles", {}).get(role) if isinstance(data.get("roles"), dict) else None
    name = str(holder.get("name") or "") if isinstance(holder, dict) else ""
    email = str(holder.get("email") or "") if isinstance(holder, dict) else ""
    if is_placeholder(name):
        raise InputError(root / OWNERSHIP, f"names no {role}", f"fill in roles.{role} before deciding")
    business = data.get("business")
    business = business if isinstance(business, dict) else {}
    if as_date(business.get("decision_date")) is None:
        raise InputError(
            root / OWNERSHIP, "business.decision_date is not a date", "restore the date answered at generation"
        )
    next_date = _next_date(kind, stage, today, until, repo, records)
    new_stage = kind if kind in PROMOTES_FROM else stage
    number = max((d.number for d in records), default=0) + 1
    record = root / DIRECTORY / f"{number:04d}-{today}-{kind}.md"
    evidence = to_markdown(collect(root, today=today), heading_level=3)
    writes: dict[Path, str] = {record: _record(number, kind, today, role, name, reason, new_stage, next_date, evidence)}
    if next_date is not None:
        writes[root / OWNERSHIP] = _set_decision_date(repo.read(OWNERSHIP), next_date)
    if kind == "extend" and next_date is not None:
        plan = _shift_milestones(repo, as_date(business.get("decision_date")) or next_date, next_date)
        if plan is not None:
            writes[root / PLAN] = plan
    if new_stage != stage:
        writes[root / PYPROJECT] = _set_stage(str(repo.read(PYPROJECT)), new_stage)
    if kind == "kill":
        plan = repo.read(DECOMMISSION)
        if isinstance(plan, Failure):
            raise InputError(root / DECOMMISSION, str(plan), "restore the decommission plan before killing")
        writes[root / DECOMMISSION] = _kill_plan(plan, today, record.relative_to(root).as_posix())
    _write_all(writes, root / DIRECTORY)
    return Recorded(record, new_stage, next_date, name, email)


def _write_all(writes: dict[Path, str], directory: Path) -> None:
    """Write every file or, when one fails, put back what was there before."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise InputError(directory, "is not a directory of the repository", "make decisions/ a plain directory")
    created = not directory.exists()
    directory.mkdir(exist_ok=True)
    before = {path: path.read_text(encoding="utf-8") if path.exists() else None for path in writes}
    done: list[Path] = []
    try:
        for path, text in writes.items():
            write_atomic(path, text)
            done.append(path)
    except BaseException:
        for path in done:
            previous = before[path]
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, previous)
        if created and not any(directory.iterdir()):
            directory.rmdir()
        raise
