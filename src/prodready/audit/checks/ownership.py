"""Ownership: named, reachable people for every role (OWN001-OWN009).

The roles, and who may not also be the technical lead, are ``prodready.core.people``'s:
the answer rules apply the same tables at generation, so a POC that generation accepts
cannot fail its first audit for the same fact.
"""

from __future__ import annotations

import re
from datetime import timedelta

from ...core.answers import email_problem, is_placeholder
from ...core.people import (
    EVERY_POC_LATER_ROLES,
    LATER_ROLES,
    PRIVACY_LEAD,
    ROLE_KEYS,
    TECHNICAL_LEAD,
    separation_problems,
)
from ..repo import Failure, Repo, as_date
from .base import Check, Result, YamlFile, every, fixture, load, mapping, missing, skip_unreadable
from .governance import Checklist

OWNERSHIP = "ownership.yaml"
CATALOG = "catalog-info.yaml"
CODEOWNERS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
#: The roles that must own every file (the CODEOWNERS `*` rule).
DEFAULT_OWNERS = (TECHNICAL_LEAD, "production_owner")
#: The catalog annotations that must name a role holder of ownership.yaml.
ANNOTATIONS = (
    ("prodready.dev/production-owner", "production_owner"),
    ("prodready.dev/kill-authority", "kill_authority"),
)
LIFECYCLES = ("experimental", "production", "deprecated")
RESERVED_DOMAINS = re.compile(
    r"@(.+\.)?(example\.(com|org|net)|[^@]*\.(example|invalid|test|localhost))$", re.IGNORECASE
)
REVIEW_DAYS = 90


@fixture
def ownership(prodready: Repo) -> YamlFile | Failure:
    """ownership.yaml: roles, on-call, data owners, business case (or why it cannot be read)."""
    return load(prodready, OWNERSHIP)


@fixture
def owner_emails(ownership: YamlFile | Failure) -> frozenset[str]:
    """The lower-case e-mail of every role holder and data set owner of ownership.yaml."""
    if isinstance(ownership, Failure):
        return frozenset()
    people = [p for p in ownership.section("roles").values() if isinstance(p, dict)]
    emails = {str(person.get("email") or "").lower() for person in people} - {""}
    datasets = [d for d in ownership.section("data").values() if isinstance(d, dict)]
    return frozenset(emails | {str(dataset.get("owner_email", "")).lower() for dataset in datasets})


@fixture
def catalog(prodready: Repo) -> YamlFile | Failure:
    """catalog-info.yaml, the developer portal's entity (or why it cannot be read)."""
    return load(prodready, CATALOG)


class OWN001(Check, family="ownership"):
    """ownership.yaml exists and parses

    Ownership is the first thing a POC loses after the demo. ownership.yaml names every
    role; without it nobody is accountable. Fix: restore it from the template or write
    it by hand (roles, oncall, escalation, business).
    """

    @staticmethod
    def check(ownership: YamlFile | Failure) -> Result:
        return ownership if isinstance(ownership, Failure) else True


class OWN002(Check, family="ownership", requires={"OWN001"}):
    """Every role is named with a valid, non-placeholder e-mail

    The production owner, business owner, technical lead, executive sponsor, kill
    authority and on-call team each need a real name and a reachable address.
    Fix: fill in roles.<role>.name and .email (and oncall.team/.email).
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile) -> Result:
        roles = ownership.section("roles")
        absent = [f"`{role}`" for role in ROLE_KEYS if not isinstance(roles.get(role), dict)]
        found = []
        if absent:
            verb = "roles {} are" if len(absent) > 1 else "role {} is"
            found.append(ownership.fail(f"{verb.format(', '.join(absent))} missing", ["roles"]))
        for role in ROLE_KEYS:
            person = roles.get(role)
            if isinstance(person, dict):
                found += _person_problems(ownership, role, person)
        oncall = ownership.section("oncall")
        problem = email_problem(str(oncall.get("email") or ""))
        if is_placeholder(str(oncall.get("team") or "")) or problem:
            found.append(ownership.fail("the on-call team needs a name and a valid e-mail", ["oncall"]))
        return every(found, "problems")


def _person_problems(ownership: YamlFile, role: str, person: dict[str, object]) -> list[Failure]:
    """What is wrong with one role holder: a placeholder name, an unusable e-mail, or both."""
    found = []
    name, email = str(person.get("name") or ""), str(person.get("email") or "")
    if is_placeholder(name):
        found.append(ownership.fail(f"role `{role}` has no name (got {name!r})", ["roles", role, "name"]))
    problem = email_problem(email)
    if problem:
        found.append(ownership.fail(f"the e-mail of `{role}` {problem} (got {email!r})", ["roles", role, "email"]))
    return found


def holder(person: object) -> tuple[str, str] | None:
    """(name, e-mail) of a role holder as the separation rules compare them; "" for unusable values."""
    if not isinstance(person, dict):
        return None
    name, email = str(person.get("name") or ""), str(person.get("email") or "")
    return ("" if is_placeholder(name) else name, email if email_problem(email) is None else "")


class OWN003(Check, family="ownership", requires={"OWN002"}):
    """Production owner and kill authority are not the technical lead

    Nobody can be expected to stop their own project, and the person who builds a model
    is not the one who runs it at 3 a.m. Fix: name a different person in
    roles.kill_authority and roles.production_owner.
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile) -> Result:
        roles = ownership.section("roles")
        holders = {role: person for role in ROLE_KEYS if (person := holder(roles.get(role))) is not None}
        found = [
            ownership.fail(f"`{role}` is the technical lead", ["roles", role, "email"])
            for role, _ in separation_problems(holders)
        ]
        return every(found, "roles are held by the technical lead")


class OWN004(Check, family="ownership", requires={"OWN002"}):
    """CODEOWNERS agrees with ownership.yaml

    Reviews must reach the people who own the POC, and only them. Fix: regenerate
    .github/CODEOWNERS (or .gitlab/CODEOWNERS) from ownership.yaml so that every owner
    listed there is named in ownership.yaml and the technical lead and production owner
    own every file.
    """

    @staticmethod
    @skip_unreadable
    def check(prodready: Repo, ownership: YamlFile, owner_emails: frozenset[str]) -> Result:
        # The first that is there (or that is there but refused: a link out of the repository).
        file = next((f for f in CODEOWNERS if prodready.locate(f) is not None), None)
        if file is None:
            return missing(CODEOWNERS[0])
        text = prodready.read(file)
        if isinstance(text, Failure):
            return text
        roles = ownership.section("roles")
        required = {str(roles[role]["email"]).lower() for role in DEFAULT_OWNERS}
        return every(_codeowners_problems(text, file, required, owner_emails), "problems")


def _codeowners_problems(text: str, file: str, required: set[str], known: frozenset[str]) -> list[Failure]:
    """Every rule owned by someone ownership.yaml does not name, and a missing or incomplete ``*`` rule."""
    found = []
    saw_default = False
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2:
            continue
        owners = {owner.lower() for owner in parts[1:] if "@" in owner and not owner.startswith("@")}
        unknown = owners - known
        if unknown:
            who = ", ".join(sorted(unknown))
            found.append(Failure(f"`{parts[0]}` is owned by {who}, who is not in ownership.yaml", file, number))
        if parts[0] == "*":
            saw_default = True
            if not required <= owners:
                message = "the `*` rule must list the technical lead and the production owner"
                found.append(Failure(message, file, number))
    if not saw_default:
        found.append(Failure("no `*` rule: some files have no owner", file, None))
    return found


class OWN005(Check, family="ownership", requires={"OWN002"}):
    """catalog-info.yaml agrees with ownership.yaml

    The developer portal is where people look for an owner. Fix: keep
    catalog-info.yaml a Backstage Component whose prodready.dev annotations name the
    production owner and kill authority of ownership.yaml, with a valid lifecycle.
    """

    @staticmethod
    def check(catalog: YamlFile | Failure, ownership: YamlFile | Failure) -> Result:
        if isinstance(catalog, Failure):
            return catalog
        entity = catalog.data
        if entity.get("kind") != "Component" or not str(entity.get("apiVersion", "")).startswith("backstage.io/"):
            return catalog.fail(
                "not a Backstage Component (apiVersion backstage.io/v1alpha1, kind Component)", ["kind"]
            )
        found = []
        if catalog.section("spec").get("lifecycle") not in LIFECYCLES:
            message = "spec.lifecycle must be experimental, production or deprecated"
            found.append(catalog.fail(message, ["spec", "lifecycle"]))
        if not isinstance(ownership, Failure):
            found += _annotation_problems(catalog, ownership)
        elif not found:
            return None
        return every(found, "problems")


def _annotation_problems(catalog: YamlFile, ownership: YamlFile) -> list[Failure]:
    """Every prodready.dev annotation of the catalog entity that does not name its role's holder."""
    annotations = mapping(mapping(catalog.data.get("metadata")).get("annotations"))
    found = []
    for key, role in ANNOTATIONS:
        expected = str(ownership.data["roles"][role]["email"])
        if str(annotations.get(key, "")).lower() != expected.lower():
            message = f"annotation {key} is {annotations.get(key)!r}, ownership.yaml says {expected!r}"
            found.append(catalog.fail(message, ["metadata", "annotations"]))
    return found


class OWN006(Check):
    __doc__ = f"""Ownership was reviewed in the last {REVIEW_DAYS} days

    People change teams; an ownership file nobody has looked at for a quarter names
    people who may have left. Fix: confirm every role and set last_reviewed to today.
    """

    family = "ownership"
    stage = "pilot"
    requires = frozenset({"OWN001"})

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile, prodready: Repo) -> Result:
        reviewed = ownership.data.get("last_reviewed")
        when = as_date(reviewed)
        if when is None:
            return ownership.fail(f"last_reviewed is {reviewed!r}, not a date", ["last_reviewed"])
        if prodready.today - when > timedelta(days=REVIEW_DAYS):
            return ownership.fail(f"last reviewed on {when}, more than {REVIEW_DAYS} days ago", ["last_reviewed"])
        return True


class OWN007(Check, family="ownership", stage="pilot", requires={"OWN002"}):
    """No owner uses a reserved example domain

    example.com addresses are fine in a POC's first draft, never for a pilot with real
    users: the page goes nowhere. Fix: use the owners' real addresses.
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile) -> Result:
        found = [
            ownership.fail(f"`{role}` uses a reserved example domain", ["roles", role, "email"])
            for role, person in ownership.section("roles").items()
            if isinstance(person, dict) and RESERVED_DOMAINS.search(str(person.get("email", "")))
        ]
        if RESERVED_DOMAINS.search(str(ownership.section("oncall").get("email", ""))):
            found.append(ownership.fail("the on-call address uses a reserved example domain", ["oncall", "email"]))
        return every(found, "addresses use a reserved example domain")


#: The checklist item that shows a POC processes personal data (the DPIA).
DPIA_ITEM = "GOV-015"


@fixture
def required_roles(prodready: Repo, checklist: Checklist | Failure) -> dict[str, str]:
    """The roles of ``LATER_ROLES`` this POC needs, each with why.

    Every POC needs the security, IT, compliance and operations leads and the lead of
    each team whose work changes (``EVERY_POC_LATER_ROLES``). Personal data needs a
    privacy or legal lead as well: the answer recorded at generation
    (personal_data) says so, and so does a DPIA item in the checklist (it is there only
    when personal data is processed), so removing one of them is not enough to drop it.
    """
    items = checklist.items if isinstance(checklist, Checklist) else []
    has_dpia = any(item.get("id") == DPIA_ITEM for _, item in items)
    required = dict.fromkeys(EVERY_POC_LATER_ROLES, "every POC bound for production needs one")
    if str(prodready.answers.get("personal_data", "")).lower() == "yes" or has_dpia:
        return {PRIVACY_LEAD: "the POC processes personal data", **required}
    return required


class OWN008(Check, family="ownership", requires={"OWN001"}):
    """The roles the POC's path to production requires are declared

    Production needs the agreement of people a demo never meets: security, IT
    infrastructure, compliance, operations and the lead of each team whose work
    changes, and, where personal data is processed, a privacy or legal lead (the data
    protection officer where one is designated) to sign the data protection impact
    assessment (GOV-015). Each role is declared at generation with its person left
    null, to be named by the stage its agreement is due (OWN009 at the pilot, OWN010
    at production). Fix: keep these roles in ownership.yaml, with a description and,
    once known, a name and e-mail.
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile, required_roles: dict[str, str]) -> Result:
        roles = ownership.section("roles")
        found = []
        for role, why in required_roles.items():
            person = roles.get(role)
            if not isinstance(person, dict):
                found.append(ownership.fail(f"{why}: declare roles.{role} ({LATER_ROLES[role][0]})", ["roles"]))
            elif person.get("name") is not None or person.get("email") is not None:
                found += _person_problems(ownership, role, person)
        return every(found, "problems")


def unheld(ownership: YamlFile, required_roles: dict[str, str], stage: str) -> Result:
    """Every required role due by ``stage`` that nobody holds, located at the role."""
    roles = ownership.section("roles")
    found = []
    for role in required_roles:
        person = mapping(roles.get(role))
        if LATER_ROLES[role][1] == stage and person.get("name") is None and person.get("email") is None:
            due = "the pilot" if stage == "pilot" else stage
            message = f"role `{role}` is declared but nobody holds it: name them by {due}"
            found.append(ownership.fail(message, ["roles", role]))
    return every(found, "roles are held by nobody")


class OWN009(Check, family="ownership", stage="pilot", requires={"OWN008"}):
    """The roles due at the pilot are held by a person

    The privacy or legal lead (with personal data), the security lead and the IT
    infrastructure lead must agree before real users depend on the POC. Fix: fill in
    roles.<role>.name and .email in ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile, required_roles: dict[str, str]) -> Result:
        return unheld(ownership, required_roles, "pilot")


class OWN010(Check, family="ownership", stage="production", requires={"OWN008"}):
    """The roles due at production are held by a person

    Compliance, operations and the lead of each team whose work changes must agree
    before the POC is scaled: who is retrained or reassigned is their call, not the
    project's. Fix: fill in roles.<role>.name and .email in ownership.yaml.
    """

    @staticmethod
    @skip_unreadable
    def check(ownership: YamlFile, required_roles: dict[str, str]) -> Result:
        return unheld(ownership, required_roles, "production")
