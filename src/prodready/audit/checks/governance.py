"""Governance: the checklist mapped to the EU AI Act, NIST AI RMF and ISO/IEC 42001 (GOV001-GOV008).

An item is settled by a sign-off that names a role of ownership.yaml entitled to sign
it (``core.signoffs``) and that role's person; from the pilot on, GOV007 also asks git
who committed each sign-off, and whose key signed the commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ...core.answers import is_placeholder
from ...core.obligations import TIERS, applicable, catalogue, classify
from ...core.people import normalise
from ...core.signoffs import AWAITING, DATA_OWNER, SETTLED, SIGNERS, STATUSES
from ...core.stages import STAGES
from ..decisions import Decision
from ..markdown import Table, tables
from ..repo import Failure, Repo, Skip, as_date
from .base import Check, Result, YamlFile, every, fixture, indexed, load, mapping
from .signatures import UNVERIFIABLE, Person, commit_problem

CHECKLIST = "governance/checklist.yaml"
#: The risk assessment only a high-risk POC is generated with (GOV008 reads it, GOV001 tells the tier by it).
RISKS = "governance/risk_assessment.md"
#: The classification a checklist declares at its top, as the answers name it.
CLASSIFICATION = ("risk_tier", "ai_act_role", "annex_iii_area", "personal_data")
#: The stage each item of the catalogue is due at, whatever the repository's copy says.
CATALOGUE_STAGES = {item.id: item.stage for item in catalogue()}


@dataclass(frozen=True)
class Checklist:
    """governance/checklist.yaml: its risk tier and its items (mappings), with their positions."""

    source: YamlFile
    items: list[tuple[int, dict[str, Any]]]

    def fail(self, message: str, where: list[str | int]) -> Failure:
        return self.source.fail(message, where)


@fixture
def checklist(prodready: Repo) -> Checklist | Failure:
    """The governance checklist (or why it cannot be read, or why its items are not a list)."""
    loaded = load(prodready, CHECKLIST)
    if isinstance(loaded, Failure):
        return loaded
    items = loaded.data.get("items")
    if not isinstance(items, list):
        return loaded.fail("items is not a list", ["items"])
    return Checklist(loaded, indexed(items))


class GOV001(Check, family="governance"):
    """The governance checklist holds every item its classification requires, and claims no other classification

    What a POC owes under the EU AI Act, the NIST AI RMF and ISO/IEC 42001 follows from
    its classification: the risk tier, its role under the EU AI Act (provider, deployer
    or both), the Annex III area, personal data and the kind of system, as answered at
    generation. The checklist must hold every item prodready's catalogue
    (docs/governance.md) requires for it, and its classification must be the one the
    answers file (.copier-answers.yml or .cruft.json) and catalog-info.yaml's risk tag
    record (and a high-risk assessment in governance/ means the tier is high): a tier
    edited to minimal does not drop the high-risk items. Fix: restore the
    missing items (`copier update` or `cruft update` brings them); to change the
    classification, change the answers and update.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo, catalog: YamlFile | Failure) -> Result:
        if isinstance(checklist, Failure):
            return checklist
        declared = {key: checklist.source.data.get(key) for key in CLASSIFICATION}
        found = []
        if declared["risk_tier"] not in TIERS:
            message = f"risk_tier is {declared['risk_tier']!r}, not one of {', '.join(TIERS)}"
            return checklist.fail(message, ["risk_tier"])
        answers = prodready.answers
        for key, value in declared.items():
            if key in answers and value is not None and str(value) != str(answers[key]):
                message = f"{key} is {value!r}, but the answers recorded at generation say {answers[key]!r}"
                found.append(checklist.fail(message, [key]))
        basis = {**{k: v for k, v in declared.items() if v is not None}, **answers}
        tier = str(basis.get("risk_tier"))
        if isinstance(catalog, YamlFile):
            tags = [str(tag) for tag in mapping(catalog.data.get("metadata")).get("tags") or [] if tag]
            risk = [tag for tag in tags if tag.startswith("risk-")]
            if f"risk-{tier}" not in risk:
                shown = f"tagged {', '.join(risk)}" if risk else "not tagged risk-<tier>"
                message = f"catalog-info.yaml is {shown}, but the risk tier is {tier}"
                found.append(catalog.fail(message, ["metadata", "tags"]))
        if tier != "high" and prodready.exists(RISKS):
            message = f"{RISKS} is a high-risk system's assessment, but the risk tier is {tier}"
            found.append(checklist.fail(message, ["risk_tier"]))
        present = {str(item.get("id")) for _, item in checklist.items}
        for item in applicable(classify(basis)):
            if item.id not in present:
                cited = "; ".join(", ".join(refs) for refs in item.references.values() if refs)
                found.append(checklist.fail(f"no item {item.id}: {item.title} ({cited})", ["items"]))
        return every(found, "problems")


def entitled(item: dict[str, Any]) -> tuple[str, ...]:
    """The roles that may sign ``item``: prodready's table for the template's items, else the item's ``signers``."""
    known = SIGNERS.get(str(item.get("id")))
    if known is not None:
        return known
    listed = item.get("signers")
    return tuple(str(role) for role in listed) if isinstance(listed, list) else ()


def _who(people: dict[str, list[Person]], roles: tuple[str, ...]) -> str:
    """The roles and the people holding them, for a message: "kill_authority (Jonas Berg)"."""
    if not roles:
        return "a role its signers list names (it lists none)"
    shown = []
    for role in roles:
        names = [p.name or p.email for p in people.get(role, []) if p.name or p.email]
        shown.append(f"{role} ({', '.join(names)})" if names else role)
    return " or ".join(shown)


def signer(item: dict[str, Any], people: dict[str, list[Person]], today: date) -> Person | str:
    """The person of ownership.yaml who signed ``item``, or why its sign-off names nobody who may sign it."""
    sign_off = mapping(item.get("sign_off"))
    name, role = str(item.get("id")), str(sign_off.get("role") or "")
    roles = entitled(item)
    if not sign_off or is_placeholder(str(sign_off.get("name") or "")):
        return f"{name} has no sign-off: it awaits {_who(people, roles)}"
    if not role:
        return f"{name}'s sign-off names no role: it may be signed by {_who(people, roles)}"
    if role not in roles:
        return f"{name} may be signed by {_who(people, roles)}, not by {role}"
    named = str(sign_off["name"])
    if role == DATA_OWNER:  # a data set's owner is known by e-mail only: the sign-off gives it
        email = str(sign_off.get("email") or "").lower()
        holders = [Person(named, p.email, None) for p in people.get(role, []) if p.email == email]
        if not holders:
            return f"{name}'s sign-off by the data owner needs the email of a data set's owner of ownership.yaml"
    else:
        holders = [p for p in people.get(role, []) if normalise(p.name) == normalise(named)]
        if not holders:
            return f"{name} is signed by {named!r}, who is not the {role} of ownership.yaml"
    signed = as_date(sign_off.get("date"))
    if sign_off.get("date") is None:
        return f"{name}'s sign-off has no date"
    if signed is None:
        return f"{name}'s sign-off date {sign_off.get('date')!r} is not a date"
    if signed > today:
        return f"{name}'s sign-off is dated {signed}, after today"
    return holders[0]


def _item_problem(
    repo: Repo, item: dict[str, Any], stage: str, people: dict[str, list[Person]]
) -> tuple[str, str] | None:
    """(problem, key) for an item due by ``stage`` that is not settled with evidence and a valid sign-off.

    At the poc stage, an item awaiting its sign-off is enough when its evidence is there:
    the generator made it and other checks read it. From the pilot, a person signs it.
    """
    name = item.get("id")
    status = item.get("status")
    if status not in STATUSES:
        return f"{name}'s status is {status!r}, not one of {', '.join(STATUSES)}", "status"
    awaiting = status == AWAITING and stage == STAGES[0]
    if status not in SETTLED and not awaiting:
        if status == AWAITING:
            return f"{name} ({item.get('title')}) awaits a sign-off by {_who(people, entitled(item))}", "sign_off"
        return f"{name} ({item.get('title')}) is {status!r}, required at {stage}", "status"
    if not item.get("evidence"):
        return f"{name} is {status} without evidence", "evidence"
    if status == "not-applicable" and is_placeholder(str(item.get("rationale") or "")):
        return f"{name} is not-applicable without a rationale", "status"
    if not awaiting:
        who = signer(item, people, repo.today)
        if isinstance(who, str):
            return who, "sign_off"
    evidence = str(item["evidence"])
    if "://" in evidence:
        return None  # a link: the audit never fetches it
    located = repo.locate(evidence)
    if isinstance(located, Failure):
        return f"{name}'s evidence {located}", "evidence"
    if located is None or not located.is_file():
        return f"{name}'s evidence {evidence} does not exist", "evidence"
    return None


def stage_items_done(checklist: Checklist | Failure, repo: Repo, stage: str, people: dict[str, list[Person]]) -> Result:
    """Every item required at ``stage`` is settled, with evidence and a valid sign-off; else every one that is not.

    From the pilot, the poc items' sign-offs are due too: they were awaiting them.
    """
    if isinstance(checklist, Failure):
        return checklist
    due = (STAGES[0], stage) if stage == "pilot" else (stage,)
    found = []
    for index, item in checklist.items:
        # The catalogue's stage for its own items: editing required_stage defers nothing.
        if CATALOGUE_STAGES.get(str(item.get("id")), item.get("required_stage")) not in due:
            continue
        problem = _item_problem(repo, item, stage, people)
        if problem is not None:
            message, key = problem
            found.append(checklist.fail(message, ["items", index, key]))
    return every(found, f"items required by {stage} are not done")


class GOV002(Check, family="governance"):
    """Checklist items required at poc have their evidence, and any sign-off is valid

    Governance found at the end kills projects; items due now are due now. An item the
    generator can prove (ownership.yaml names the roles, the KPI, the decision date)
    awaits its sign-off until the pilot. Fix: give each item evidence (a file or a link);
    a sign-off gives the role, name and date of one of the item's signers, as ownership.yaml
    names them.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo, people: dict[str, list[Person]]) -> Result:
        return stage_items_done(checklist, prodready, "poc", people)


class GOV003(Check, family="governance", stage="pilot"):
    """Checklist items required by pilot are done and signed by a person entitled to sign them

    Real users bring real obligations: AI literacy, transparency, risk assessment, data
    protection; and the poc items that awaited a sign-off are due. Fix: complete each
    item with evidence and a sign-off (role, name, date) by one of its signers, as
    ownership.yaml names them, committed by that person.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo, people: dict[str, list[Person]]) -> Result:
        return stage_items_done(checklist, prodready, "pilot", people)


class GOV004(Check, family="governance", stage="production"):
    """Checklist items required at production are done and signed by a person entitled to sign them

    Scaled deployment needs an agreed runbook and decommission plan. Fix: complete each
    production item with evidence and a sign-off by one of its signers.
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo, people: dict[str, list[Person]]) -> Result:
        return stage_items_done(checklist, prodready, "production", people)


def todos(repo: Repo, file: str) -> Result:
    """A document that must be filled in: a Failure naming every line that still says TODO, at the first."""
    text = repo.read(file)
    if isinstance(text, Failure):
        return text
    found = [
        Failure(line.strip()[:80], file, number)
        for number, line in enumerate(text.splitlines(), start=1)
        if "TODO" in line
    ]
    if len(found) == 1:
        return Failure(f"still says TODO: {found[0]}", file, found[0].line)
    return every(found, "lines still say TODO")


class GOV005(Check, family="governance", stage="pilot"):
    """The model card is filled in

    Before real users, the intended use, data, evaluation and limitations must be
    written down. Fix: replace every TODO in governance/model_card.md.
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        return todos(prodready, "governance/model_card.md")


DPIA = "governance/dpia.md"
LITERACY = "docs/ai_literacy.md"


class GOV009(Check, family="governance", stage="pilot"):
    """The data protection impact assessment is complete and every person is trained

    Before real users, the two records that law already asks of a POC must be true, not
    drafts: governance/dpia.md without a TODO (data protection law wants it before
    personal data is processed), and every person of docs/ai_literacy.md's record with
    the date they were trained and who trained them (EU AI Act Article 4). Fix: complete
    the DPIA; fill in each row's "trained on" (YYYY-MM-DD) and "by".
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        found: list[Failure] = []
        if prodready.exists(DPIA):
            problem = todos(prodready, DPIA)
            if isinstance(problem, Failure):
                found.append(problem)
        text = prodready.read(LITERACY)
        if isinstance(text, Failure):
            return every(found, "problems") if found else None
        record = next((t for t in tables(text) if t.column("trained") is not None), None)
        if record is None:
            found.append(Failure("no record table with a 'trained on' column", LITERACY, None))
        else:
            when, by = record.column("trained"), record.column("by")
            for line, cells in record.rows:
                date_text = cells[when] if when is not None and when < len(cells) else ""
                trainer = cells[by] if by is not None and by < len(cells) else ""
                trained = as_date(date_text)
                if trained is None or trained > prodready.today or not trainer.strip():
                    person = cells[0] if cells else "?"
                    found.append(Failure(f"{person} has no training date and trainer", LITERACY, line))
        return every(found, "problems")


PLAN = "governance/decommission_plan.md"
#: Who may own a decommission step besides the roles of ownership.yaml.
STEP_OWNERS_BESIDES_ROLES = ("oncall",)


class GOV006(Check, family="governance", requires={"OWN001"}):
    """Every decommission step has an owner and a deadline, and once the plan is invoked it is done in time

    A system that cannot be switched off cleanly cannot be trusted at scale, and a step
    nobody owns is never carried out. Each step of governance/decommission_plan.md names
    its owner (a role of ownership.yaml) and its deadline in days after the kill decision;
    once `prodready decide kill` has invoked the plan, each step past its deadline has the
    date it was done. Fix: fill in the owner and due columns; after a kill, write the date
    each step was done in its last column.
    """

    @staticmethod
    def check(
        prodready: Repo, people: dict[str, list[Person]], decisions: tuple[list[Decision], list[Failure]]
    ) -> Result:
        text = prodready.read(PLAN)
        if isinstance(text, Failure):
            return text
        table = next((t for t in tables(text) if t.column("owner") is not None and t.column("due") is not None), None)
        if table is None or not table.rows:
            return Failure("has no table of steps with owner and due columns", PLAN, None)
        owner_at, due_at, done_at = table.column("owner"), table.column("due"), table.column("done")
        assert owner_at is not None and due_at is not None
        roles = sorted({*people, *STEP_OWNERS_BESIDES_ROLES} - {DATA_OWNER})
        kill = next((d for d in reversed(decisions[0]) if d.kind == "kill"), None)
        found = []
        for line, row in table.rows:
            step = row[0] if row else "?"
            owner, due = _cell(row, owner_at), _cell(row, due_at)
            if owner not in roles:
                shown = f"{owner!r} is not" if owner else "names no owner:"
                found.append(
                    Failure(f"step {step}'s owner {shown} a role of ownership.yaml ({', '.join(roles)})", PLAN, line)
                )
            elif not due.isdigit() or len(due) > 4:
                found.append(
                    Failure(f"step {step}'s deadline {due!r} is not a number of days after the kill", PLAN, line)
                )
            elif kill is not None and kill.taken_on + timedelta(days=int(due)) < prodready.today:
                deadline = kill.taken_on + timedelta(days=int(due))
                done = as_date(_cell(row, done_at)) if done_at is not None else None
                if done is None or done > prodready.today or done < kill.taken_on:
                    found.append(
                        Failure(f"step {step} ({owner}) was due {deadline}: write the date it was done", PLAN, line)
                    )
        return every(found, "decommission steps are not owned, dated or done")


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip().strip("`") if index is not None and index < len(row) else ""


#: A risk's rating.
RATINGS = ("low", "medium", "high")
ACCEPTED = re.compile(r"^Residual risk accepted by:\s*(?P<name>.+?),?\s+on\s+(?P<date>\S+?)\.?\s*$", re.MULTILINE)


class GOV008(Check, family="governance", stage="pilot", requires={"OWN001"}):
    """The risk assessment rates every risk, names its mitigation and owner, and someone accepted what remains

    A risk register of TODOs is no risk management (EU AI Act Article 9; NIST AI RMF
    MANAGE 1.3). Each row of governance/risk_assessment.md (high-risk systems) rates its
    likelihood and severity (low, medium, high), states a mitigation and names its owner
    (a person of ownership.yaml), and the residual risk is accepted by a person of
    ownership.yaml on a date. Fix: complete every row and the line "Residual risk
    accepted by: NAME, on YYYY-MM-DD."
    """

    @staticmethod
    def check(prodready: Repo, people: dict[str, list[Person]]) -> Result:
        if prodready.locate(RISKS) is None:
            return Skip("no governance/risk_assessment.md: the template writes one for high-risk systems")
        text = prodready.read(RISKS)
        if isinstance(text, Failure):
            return text
        table = next((t for t in tables(text) if t.column("mitigation") is not None), None)
        if table is None or not table.rows:
            return Failure("has no table of risks with a mitigation column", RISKS, None)
        names = {normalise(p.name) for holders in people.values() for p in holders if p.name}
        found = [problem for line, row in table.rows for problem in _risk_problems(table, line, row, names)]
        accepted = ACCEPTED.search(text)
        if accepted is None or normalise(accepted["name"]) not in names:
            line = next((n for n, t in enumerate(text.splitlines(), 1) if t.startswith("Residual risk")), None)
            found.append(
                Failure("the residual risk is not accepted by a person of ownership.yaml, on a date", RISKS, line)
            )
        elif (as_date(accepted["date"]) or date.max) > prodready.today:
            line = text[: accepted.start()].count("\n") + 1
            found.append(
                Failure(f"the residual risk's acceptance date {accepted['date']!r} is not a past date", RISKS, line)
            )
        return every(found, "risks are not assessed")


def _risk_problems(table: Table, line: int, row: list[str], names: set[str]) -> list[Failure]:
    risk = row[0][:60] if row else "?"
    if len(row) != len(table.header):
        return [Failure(f"the row has {len(row)} cells, the header {len(table.header)}", RISKS, line)]
    found = []
    for word in ("likelihood", "severity"):
        at = table.column(word)
        if at is not None and row[at].lower() not in RATINGS:
            found.append(Failure(f"{risk}: {word} {row[at]!r} is not one of {', '.join(RATINGS)}", RISKS, line))
    mitigation, owner = _cell(row, table.column("mitigation")), _cell(row, table.column("owner"))
    if is_placeholder(mitigation) or mitigation.upper().startswith("TODO"):
        found.append(Failure(f"{risk}: no mitigation", RISKS, line))
    if table.column("owner") is not None and normalise(owner) not in names:
        found.append(Failure(f"{risk}: owner {owner!r} is not a person of ownership.yaml", RISKS, line))
    return found


class GOV007(Check, family="governance", stage="pilot"):
    """Every sign-off was committed by the person it names, and signed with their key where they have one

    A name typed into a YAML file proves nothing: anyone can write "Jonas Berg". The
    commit that last changed a sign-off's lines must be authored by that person's e-mail
    of ownership.yaml, and where ownership.yaml holds their ``signing_key`` (an SSH public
    key or an OpenPGP public key block), signed with it (``git verify-commit``, with an
    allowed-signers file and a keyring built from ownership.yaml alone). Fix: have the
    person commit their own sign-off (signed, where they have a key); CI needs the whole
    history (fetch-depth: 0).
    """

    @staticmethod
    def check(checklist: Checklist | Failure, prodready: Repo, people: dict[str, list[Person]]) -> Result:
        if isinstance(checklist, Failure):
            return checklist
        found = []
        document = checklist.source.document
        for index, item in checklist.items:
            who = signer(item, people, prodready.today) if item.get("status") in SETTLED else None
            if not isinstance(who, Person):
                continue
            where: list[str | int] = ["items", index, "sign_off"]
            lines = {document.line_of(where)} | {document.line_of([*where, k]) for k in mapping(item["sign_off"])}
            problem = commit_problem(prodready, CHECKLIST, lines, who, people)
            if problem is not None:
                found.append(checklist.fail(f"{item.get('id')}'s sign-off {problem}", where))
                if problem.startswith(UNVERIFIABLE):
                    break  # the same reason for every sign-off
        return every(found, "sign-offs are not verified")
