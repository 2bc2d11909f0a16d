"""Decision records: ``decisions/NNNN-YYYY-MM-DD-KIND.md``, as the audit reads them.

``prodready decide`` writes one per go/no-go decision (the front matter below, then the
evidence the decision was taken on); the audit reads them back to tell a decision date
the kill authority moved from one a team edited (BUS002), and to check who decided
(BUS004). A record is another team's file like any other: parsed with the safe YAML
loader, validated field by field, each problem a finding with its line.

Front matter::

    decision: extend            # go, extend, pilot, production or kill
    date: 2026-12-01            # when it was decided (the file name's date)
    decided_by: {role: kill_authority, name: Lucas Bernard}
    reason: The pilot's first two weeks were lost to an access request.
    stage: poc                  # the stage after the decision
    decision_date: 2027-04-01   # the next decision or review date (none after kill)
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core.answers import is_placeholder
from ..core.stages import DECISIONS, STAGES
from ..errors import InputError
from ..io.yamlio import YamlDocument, parse_yaml
from .repo import Failure, Repo, as_date

DIRECTORY = "decisions"
#: 0001-2026-12-01-extend.md
NAME = re.compile(r"^(\d{4})-(\d{4}-\d{2}-\d{2})-([a-z]+)\.md$")
FENCE = "---"
#: What a record's front matter must hold, and what each field is.
FIELDS = {
    "decision": "the kind of decision",
    "date": "the date it was taken",
    "decided_by": "{role, name} of ownership.yaml",
    "reason": "why, in a sentence",
    "stage": "the stage after the decision",
}


@dataclass(frozen=True)
class Decision:
    """One valid decision record."""

    file: str
    number: int
    kind: str
    taken_on: date
    role: str
    name: str
    reason: str
    stage: str
    #: The next decision or review date it set (None after a kill).
    decision_date: date | None
    #: The lines of its front matter: the lines whose commit says who recorded it.
    lines: frozenset[int]
    #: Line of each front-matter key, for findings.
    where: dict[str, int]

    def fail(self, message: str, key: str | None = None) -> Failure:
        return Failure(message, self.file, self.where.get(key or "", 1))


def front_matter(text: str) -> tuple[str, int] | None:
    """The YAML between the opening and closing ``---`` and its last line (None: no front matter)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "\n".join(lines[1 : number - 1]) + "\n", number
    return None


def parsed_front_matter(repo: Repo, file: str, fix: str) -> tuple[YamlDocument, int] | Failure:
    """A Markdown file's front matter, parsed as a mapping with the file's own line numbers, and its last line.

    Decision records and the adoption plan keep what the audit reads there: the prose
    below is for people.
    """
    text = repo.read(file)
    if isinstance(text, Failure):
        return text
    fenced = front_matter(text)
    if fenced is None:
        return Failure(f"has no front matter between --- lines: {fix}", file, 1)
    source, end = fenced
    try:
        # The opening fence becomes an empty line, so every line keeps its number in the file.
        document = parse_yaml("\n" + source, repo.root / file)
    except InputError as error:
        return Failure(f"front matter: {error.message}. Fix: {error.fix}", file, error.line)
    if not isinstance(document.data, dict):
        return Failure("the front matter is not a mapping of keys to values", file, 2)
    return document, end


def read_decisions(repo: Repo) -> tuple[list[Decision], list[Failure]]:
    """Every record of ``decisions/``, oldest first, and a Failure for each one that is not a valid record."""
    names = repo.listing(DIRECTORY, (".md",))
    if isinstance(names, Failure):
        return [], [names]
    records: list[Decision] = []
    found: list[Failure] = []
    for file in names:
        if file.rsplit("/", 1)[-1].upper().startswith("README"):
            continue
        parsed = _record(repo, file)
        (records if isinstance(parsed, Decision) else found).append(parsed)  # type: ignore[arg-type]
    records.sort(key=lambda d: (d.number, d.taken_on))
    numbers = [d.number for d in records]
    for previous, record in itertools.pairwise(records):
        if record.taken_on < previous.taken_on:
            found.append(record.fail(f"is numbered after {previous.file} but dated before it", "date"))
    if len(set(numbers)) != len(numbers):
        duplicated = sorted({n for n in numbers if numbers.count(n) > 1})
        found.append(Failure(f"decision numbers {duplicated} are used twice: number records in order", DIRECTORY, None))
    return records, found


def _record(repo: Repo, file: str) -> Decision | Failure:
    name = NAME.match(file.rsplit("/", 1)[-1])
    if name is None or name.group(3) not in DECISIONS:
        kinds = "|".join(DECISIONS)
        return Failure(
            f"`{file}` is not named NNNN-YYYY-MM-DD-{{{kinds}}}.md: record decisions with `prodready decide`",
            file,
            None,
        )
    parsed = parsed_front_matter(repo, file, "record decisions with `prodready decide`")
    if isinstance(parsed, Failure):
        return parsed
    document, end = parsed
    data: Any = document.data
    where = {str(path[0]): line for path, line in document.lines.items() if len(path) == 1}
    missing = [f"{key} ({what})" for key, what in FIELDS.items() if key not in data]
    if missing:
        return Failure(f"the front matter lacks {', '.join(missing)}", file, 2)
    kind, when = str(data["decision"]), as_date(data["date"])
    by = data["decided_by"] if isinstance(data["decided_by"], dict) else {}
    problem = None
    if kind != name.group(3):
        problem = ("decision", f"decision is {kind!r} but the file name says {name.group(3)}")
    elif when is None or str(when) != name.group(2):
        problem = ("date", f"date {str(data['date'])!r} is not the file name's date {name.group(2)}")
    elif when > repo.today:
        problem = ("date", f"date {when} is after today")
    elif not by.get("role") or is_placeholder(str(by.get("name") or "")):
        problem = ("decided_by", "decided_by needs the role and the name of who decided, from ownership.yaml")
    elif is_placeholder(str(data["reason"] or "")):
        problem = ("reason", "reason is empty or a placeholder: say why, in a sentence")
    elif data["stage"] not in STAGES:
        problem = ("stage", f"stage {data['stage']!r} is not one of {', '.join(STAGES)}")
    next_date = as_date(data.get("decision_date"))
    if problem is None and kind != "kill" and next_date is None:
        problem = (
            "decision_date",
            f"decision_date {data.get('decision_date')!r} is not a date: a {kind} sets the next one",
        )
    if problem is not None:
        return Failure(problem[1], file, where.get(problem[0], 2))
    assert when is not None
    return Decision(
        file=file,
        number=int(name.group(1)),
        kind=kind,
        taken_on=when,
        role=str(by["role"]),
        name=str(by["name"]),
        reason=str(data["reason"]),
        stage=str(data["stage"]),
        decision_date=None if kind == "kill" else next_date,
        lines=frozenset(range(1, end + 1)),
        where=where,
    )


def first_decision_date(repo: Repo) -> date | None:
    """The decision date answered at generation, as the template's answers file recorded it."""
    return as_date(repo.answers.get("decision_date"))
