"""The readiness checks: one class per check, repo-review style.

A check is a class whose docstring is its message: the first line is the title, the
rest says why it matters and how to fix it. ``family`` groups it, ``stage`` is the
lowest stage that requires it, and ``check(prodready)`` returns True (pass), a
``Failure`` (a message that knows its file and line), a ``Skip`` (cannot decide, and
why) or None (not applicable). The
same classes are repo-review checks (see ``plugin.py``) and the catalogue of
``prodready audit``; the docs' check reference is generated from them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, ClassVar

from ...contracts.model import SAMPLE_ENVIRONMENTS
from ...core.answers import email_problem, is_placeholder
from ...core.costing import PRICE_AGE_WARNING_DAYS, CostModelError, parse, project
from ...core.stages import STAGES
from ...io.schemas import schema_errors
from ...template.source import ANSWER_FILES, TemplateSourceError, currency, parse_origin
from ..repo import Failure, Repo, Skip

DOCS = "https://prodready.dev/checks/"
RESERVED_DOMAINS = re.compile(
    r"@(.+\.)?(example\.(com|org|net)|[^@]*\.(example|invalid|test|localhost))$", re.IGNORECASE
)
ROLES = ("production_owner", "business_owner", "technical_lead", "executive_sponsor", "kill_authority")
HIGH_RISK_ARTICLES = tuple(f"Article {n}" for n in range(9, 16))
REVIEW_DAYS = 90

Result = bool | Failure | Skip | None


class Check:
    """Base of every check (not a check itself)."""

    family: ClassVar[str]
    stage: ClassVar[str] = "poc"
    requires: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def id(cls) -> str:
        return cls.__name__

    @classmethod
    def title(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def explanation(cls) -> str:
        return "\n".join(line.strip() for line in (cls.__doc__ or "").strip().splitlines()[1:]).strip()

    url: ClassVar[str] = DOCS

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.url = DOCS + cls.__name__.lower()  # repo-review reads url as a plain string


def _dict(value: Any) -> dict[str, Any]:
    """A YAML value that should be a mapping, or an empty one when it is not."""
    return value if isinstance(value, dict) else {}


def _missing(file: str) -> Failure:
    return Failure(f"`{file}` is missing", file, None)


def _load(repo: Repo, file: str) -> tuple[dict[str, Any], Any] | Failure:
    loaded = repo.mapping(file)
    if loaded is None:
        return _missing(file)
    return loaded


# -- ownership ------------------------------------------------------------------------------


class OWN001(Check):
    """ownership.yaml exists and parses

    Ownership is the first thing a POC loses after the demo. ownership.yaml names every
    role; without it nobody is accountable. Fix: restore it from the template or write
    it by hand (roles, oncall, escalation, business).
    """

    family = "ownership"

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        return loaded if isinstance(loaded, Failure) else True


class OWN002(Check):
    """Every role is named with a valid, non-placeholder e-mail

    The production owner, business owner, technical lead, executive sponsor, kill
    authority and on-call team each need a real name and a reachable address.
    Fix: fill in roles.<role>.name and .email (and oncall.team/.email).
    """

    family = "ownership"
    requires = frozenset({"OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        data, _ = loaded
        roles = _dict(data.get("roles"))
        for role in ROLES:
            person = roles.get(role)
            where: list[str | int] = ["roles", role]
            if not isinstance(person, dict):
                return prodready.fail(f"role `{role}` is missing", "ownership.yaml", ["roles"])
            name, email = str(person.get("name") or ""), str(person.get("email") or "")
            if is_placeholder(name):
                return prodready.fail(f"role `{role}` has no name (got {name!r})", "ownership.yaml", [*where, "name"])
            problem = email_problem(email)
            if problem:
                return prodready.fail(
                    f"the e-mail of `{role}` {problem} (got {email!r})", "ownership.yaml", [*where, "email"]
                )
        oncall = _dict(data.get("oncall"))
        problem = email_problem(str(oncall.get("email") or ""))
        if is_placeholder(str(oncall.get("team") or "")) or problem:
            return prodready.fail("the on-call team needs a name and a valid e-mail", "ownership.yaml", ["oncall"])
        return True


class OWN003(Check):
    """Production owner and kill authority are not the technical lead

    Nobody can be expected to stop their own project, and the person who builds a model
    is not the one who runs it at 3 a.m. Fix: name a different person in
    roles.kill_authority and roles.production_owner.
    """

    family = "ownership"
    requires = frozenset({"OWN002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        roles = loaded[0].get("roles", {})
        lead = str(roles.get("technical_lead", {}).get("email", "")).lower()
        for role in ("kill_authority", "production_owner"):
            if str(roles.get(role, {}).get("email", "")).lower() == lead:
                return prodready.fail(f"`{role}` is the technical lead", "ownership.yaml", ["roles", role, "email"])
        return True


def _ownership_emails(repo: Repo) -> set[str]:
    loaded = _load(repo, "ownership.yaml")
    if isinstance(loaded, Failure):
        return set()
    data = loaded[0]
    emails = {str(p.get("email", "")).lower() for p in (data.get("roles") or {}).values() if isinstance(p, dict)}
    emails |= {str(d.get("owner_email", "")).lower() for d in (data.get("data") or {}).values() if isinstance(d, dict)}
    return emails


class OWN004(Check):
    """CODEOWNERS agrees with ownership.yaml

    Reviews must reach the people who own the POC, and only them. Fix: regenerate
    .github/CODEOWNERS (or .gitlab/CODEOWNERS) from ownership.yaml so that every owner
    listed there is named in ownership.yaml and the technical lead and production owner
    own every file.
    """

    family = "ownership"
    requires = frozenset({"OWN002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        file = next(
            (
                f
                for f in (".github/CODEOWNERS", ".gitlab/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
                if prodready.exists(f)
            ),
            None,
        )
        if file is None:
            return _missing(".github/CODEOWNERS")
        known = _ownership_emails(prodready)
        loaded = _load(prodready, "ownership.yaml")
        roles = loaded[0]["roles"] if not isinstance(loaded, Failure) else {}
        required = {str(roles[r]["email"]).lower() for r in ("technical_lead", "production_owner")}
        saw_default = False
        for number, line in enumerate((prodready.text(file) or "").splitlines(), start=1):
            parts = line.split("#", 1)[0].split()
            if len(parts) < 2:
                continue
            owners = {owner.lower() for owner in parts[1:] if "@" in owner and not owner.startswith("@")}
            unknown = owners - known
            if unknown:
                return Failure(
                    f"`{parts[0]}` is owned by {', '.join(sorted(unknown))}, who is not in ownership.yaml", file, number
                )
            if parts[0] == "*":
                saw_default = True
                if not required <= owners:
                    return Failure("the `*` rule must list the technical lead and the production owner", file, number)
        return True if saw_default else Failure("no `*` rule: some files have no owner", file, None)


class OWN005(Check):
    """catalog-info.yaml agrees with ownership.yaml

    The developer portal is where people look for an owner. Fix: keep
    catalog-info.yaml a Backstage Component whose prodready.dev annotations name the
    production owner and kill authority of ownership.yaml, with a valid lifecycle.
    """

    family = "ownership"
    requires = frozenset({"OWN002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        file = "catalog-info.yaml"
        loaded = _load(prodready, file)
        if isinstance(loaded, Failure):
            return loaded
        entity = loaded[0]
        if entity.get("kind") != "Component" or not str(entity.get("apiVersion", "")).startswith("backstage.io/"):
            return prodready.fail(
                "not a Backstage Component (apiVersion backstage.io/v1alpha1, kind Component)", file, ["kind"]
            )
        spec = _dict(entity.get("spec"))
        if spec.get("lifecycle") not in ("experimental", "production", "deprecated"):
            return prodready.fail(
                "spec.lifecycle must be experimental, production or deprecated", file, ["spec", "lifecycle"]
            )
        owners = _load(prodready, "ownership.yaml")
        if isinstance(owners, Failure):
            return None
        annotations = (entity.get("metadata") or {}).get("annotations") or {}
        for key, role in (
            ("prodready.dev/production-owner", "production_owner"),
            ("prodready.dev/kill-authority", "kill_authority"),
        ):
            expected = str(owners[0]["roles"][role]["email"])
            if str(annotations.get(key, "")).lower() != expected.lower():
                return prodready.fail(
                    f"annotation {key} is {annotations.get(key)!r}, ownership.yaml says {expected!r}",
                    file,
                    ["metadata", "annotations"],
                )
        return True


class OWN006(Check):
    """Ownership was reviewed in the last 90 days

    People change teams; an ownership file nobody has looked at for a quarter names
    people who may have left. Fix: confirm every role and set last_reviewed to today.
    """

    family = "ownership"
    stage = "pilot"
    requires = frozenset({"OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        reviewed = loaded[0].get("last_reviewed")
        try:
            when = reviewed if isinstance(reviewed, date) else date.fromisoformat(str(reviewed))
        except ValueError:
            return prodready.fail(f"last_reviewed is {reviewed!r}, not a date", "ownership.yaml", ["last_reviewed"])
        if prodready.today - when > timedelta(days=REVIEW_DAYS):
            return prodready.fail(
                f"last reviewed on {when}, more than {REVIEW_DAYS} days ago", "ownership.yaml", ["last_reviewed"]
            )
        return True


class OWN007(Check):
    """No owner uses a reserved example domain

    example.com addresses are fine in a POC's first draft, never for a pilot with real
    users: the page goes nowhere. Fix: use the owners' real addresses.
    """

    family = "ownership"
    stage = "pilot"
    requires = frozenset({"OWN002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        data = loaded[0]
        for role, person in (data.get("roles") or {}).items():
            if isinstance(person, dict) and RESERVED_DOMAINS.search(str(person.get("email", ""))):
                return prodready.fail(
                    f"`{role}` uses a reserved example domain", "ownership.yaml", ["roles", role, "email"]
                )
        if RESERVED_DOMAINS.search(str((data.get("oncall") or {}).get("email", ""))):
            return prodready.fail(
                "the on-call address uses a reserved example domain", "ownership.yaml", ["oncall", "email"]
            )
        return True


# -- business -------------------------------------------------------------------------------


class BUS001(Check):
    """The business case is stated: problem, KPI with baseline and target, process retired, kill criteria

    A POC measured on model accuracy instead of a business KPI cannot be judged, and one
    that retires nothing has no case. Fix: fill in business.problem, kpi.name,
    kpi.baseline and kpi.target (different numbers), process_retired and kill_criteria
    in ownership.yaml.
    """

    family = "business"
    requires = frozenset({"OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        business = loaded[0].get("business")
        if not isinstance(business, dict):
            return prodready.fail("the business section is missing", "ownership.yaml", [])
        kpi = _dict(business.get("kpi"))
        for where, value in (
            (["problem"], business.get("problem")),
            (["kpi", "name"], kpi.get("name")),
            (["process_retired"], business.get("process_retired")),
            (["kill_criteria"], business.get("kill_criteria")),
        ):
            if is_placeholder(str(value or "")) or str(value).strip().lower() in ("nothing", "none"):
                return prodready.fail(
                    f"business.{'.'.join(where)} is empty or a placeholder", "ownership.yaml", ["business", *where]
                )
        try:
            baseline, target = float(str(kpi.get("baseline"))), float(str(kpi.get("target")))
        except ValueError:
            return prodready.fail(
                "the KPI's baseline and target must be numbers", "ownership.yaml", ["business", "kpi"]
            )
        if baseline == target:
            return prodready.fail(
                "the KPI's target equals its baseline", "ownership.yaml", ["business", "kpi", "target"]
            )
        return True


class BUS002(Check):
    """The go/no-go decision is not overdue (no zombie POC)

    A POC still at stage poc after its decision date is a zombie: it consumes people and
    budget without anyone deciding. Fix: take the decision: move [tool.prodready] stage
    to pilot, or invoke the kill criteria and decommission; or set a new decision date
    with the kill authority's agreement.
    """

    family = "business"
    requires = frozenset({"OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        loaded = _load(prodready, "ownership.yaml")
        if isinstance(loaded, Failure):
            return None
        raw = (loaded[0].get("business") or {}).get("decision_date")
        try:
            decision = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            return prodready.fail(
                f"decision_date is {raw!r}, not a date", "ownership.yaml", ["business", "decision_date"]
            )
        if prodready.stage == "poc" and decision < prodready.today:
            days = (prodready.today - decision).days
            return prodready.fail(
                f"decision overdue: still a poc {days} days after its decision date {decision}",
                "ownership.yaml",
                ["business", "decision_date"],
            )
        return True


# -- contracts ------------------------------------------------------------------------------


def _contract_docs(repo: Repo) -> list[tuple[str, dict[str, Any] | Failure]]:
    found: list[tuple[str, dict[str, Any] | Failure]] = []
    for file in repo.contracts():
        loaded = repo.mapping(file)
        found.append((file, loaded[0] if isinstance(loaded, tuple) else (loaded or _missing(file))))
    return found


class CON001(Check):
    """At least one data contract exists

    The data quality gap (curated demo data, messy production data) is closed by a
    contract per input data set. Fix: add contracts/<dataset>.odcs.yaml, for example
    with `prodready contracts infer`.
    """

    family = "contracts"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return True if prodready.contracts() else Failure("no contracts/*.odcs.yaml", "contracts", None)


class CON002(Check):
    """Every contract is valid against the ODCS v3.1.0 JSON Schema

    Only a standard contract can be checked by prodready, datacontract-cli and the
    rest of the ecosystem. Fix: run `prodready contracts lint` and correct what it
    reports.
    """

    family = "contracts"
    requires = frozenset({"CON001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        from ...contracts.lint import schema_findings

        for file, data in _contract_docs(prodready):
            if isinstance(data, Failure):
                return data
            document = prodready.yaml(file)
            findings = schema_findings(document, file)  # type: ignore[arg-type]
            if findings:
                return Failure(findings[0].message, file, findings[0].line)
        return True


class CON003(Check):
    """Every contract has a team, quality rules and an SLA

    A contract without an owner, rules or a service level describes data but promises
    nothing. Fix: add team.members, quality rules on the objects or properties, and
    slaProperties (latency or freshness).
    """

    family = "contracts"
    requires = frozenset({"CON002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        for file, data in _contract_docs(prodready):
            if isinstance(data, Failure):
                return None
            if not data.get("team"):
                return prodready.fail("the contract names no team", file, [])
            objects = data.get("schema") or []
            rules = [q for obj in objects for q in obj.get("quality") or []]
            rules += [q for obj in objects for p in obj.get("properties") or [] for q in p.get("quality") or []]
            if not rules:
                return prodready.fail("the contract has no quality rules", file, ["schema"])
            if not data.get("slaProperties"):
                return prodready.fail("the contract has no SLA (slaProperties)", file, [])
        return True


class CON004(Check):
    """Personal-data properties are classified

    Columns holding personal data must be classified so that samples, logs and reports
    never show them. Fix: set classification: restricted (or confidential) on them.
    """

    family = "contracts"
    requires = frozenset({"CON002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        from ...contracts.lint import semantic_findings

        for file, data in _contract_docs(prodready):
            if isinstance(data, Failure):
                return None
            for finding in semantic_findings(prodready.yaml(file), file):  # type: ignore[arg-type]
                if finding.rule == "ODCS004":
                    return Failure(finding.message, file, finding.line)
        return True


class CON005(Check):
    """Every contract declares a server beyond the committed sample

    A pilot with real users must be checked against the real data, not the sample the
    POC was built on. Fix: add a server (for example `production`) whose environment is
    not ci/test/sample, and schedule `nox -s contracts -- production`.
    """

    family = "contracts"
    stage = "pilot"
    requires = frozenset({"CON002"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        for file, data in _contract_docs(prodready):
            if isinstance(data, Failure):
                return None
            servers = [s for s in data.get("servers") or [] if isinstance(s, dict)]
            if not any(str(s.get("environment", "")).lower() not in SAMPLE_ENVIRONMENTS for s in servers):
                return prodready.fail("only sample servers are declared", file, ["servers"])
        return True


# -- monitoring -----------------------------------------------------------------------------


def monitoring_findings(repo: Repo, file: str = "monitoring/monitoring.yaml") -> list[Failure]:
    """Every schema violation of monitoring.yaml, located (shared with `prodready monitoring lint`)."""
    loaded = _load(repo, file)
    if isinstance(loaded, Failure):
        return [loaded]
    data, document = loaded
    failures = []
    for path, message in schema_errors("monitoring", data):
        where = "/".join(map(str, path)) or "(top level)"
        failures.append(Failure(f"{where}: {message}", file, document.line_of(path)))
    drift = _dict(data.get("drift"))
    warn, alert = drift.get("psi_warn"), drift.get("psi_alert")
    if isinstance(warn, int | float) and isinstance(alert, int | float) and warn >= alert:
        failures.append(
            Failure("drift.psi_warn must be below drift.psi_alert", file, document.line_of(["drift", "psi_warn"]))
        )
    return failures


class MON001(Check):
    """monitoring.yaml is valid

    SLOs, drift thresholds and the fallback are read by the runtime wrapper and by
    `prodready drift`; an invalid file silently disables them. Fix: run
    `prodready monitoring lint` and correct what it reports.
    """

    family = "monitoring"

    @staticmethod
    def check(prodready: Repo) -> Result:
        failures = monitoring_findings(prodready)
        return failures[0] if failures else True


class MON002(Check):
    """Alerts go to the on-call contact of ownership.yaml

    An alert route that is not the on-call team's pages nobody. Fix: set alerts.route
    to oncall.email of ownership.yaml.
    """

    family = "monitoring"
    requires = frozenset({"MON001", "OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        monitoring, owners = _load(prodready, "monitoring/monitoring.yaml"), _load(prodready, "ownership.yaml")
        if isinstance(monitoring, Failure) or isinstance(owners, Failure):
            return None
        route = str(monitoring[0]["alerts"]["route"]).lower()
        oncall = str((owners[0].get("oncall") or {}).get("email", "")).lower()
        if route != oncall:
            return prodready.fail(
                f"alerts.route is {route!r}, the on-call contact is {oncall!r}",
                "monitoring/monitoring.yaml",
                ["alerts", "route"],
            )
        return True


class MON003(Check):
    """A drift reference profile exists

    Drift can only be measured against a reference. Fix: run `prodready drift profile`
    on the data the model was built on and commit the profile at drift.reference_profile.
    """

    family = "monitoring"
    stage = "pilot"
    requires = frozenset({"MON001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        monitoring = _load(prodready, "monitoring/monitoring.yaml")
        if isinstance(monitoring, Failure):
            return None
        profile = str(monitoring[0]["drift"].get("reference_profile") or "monitoring/reference_profile.json")
        if not prodready.exists(profile):
            return prodready.fail(
                f"the reference profile {profile} does not exist",
                "monitoring/monitoring.yaml",
                ["drift", "reference_profile"],
            )
        return True


class MON004(Check):
    """Retraining has a trigger and an owner named in ownership.yaml

    Models degrade; someone must be responsible for noticing and retraining. Fix: set
    retraining.trigger and retraining.owner to a person of ownership.yaml.
    """

    family = "monitoring"
    stage = "pilot"
    requires = frozenset({"MON001", "OWN001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        monitoring = _load(prodready, "monitoring/monitoring.yaml")
        if isinstance(monitoring, Failure):
            return None
        owner = str(monitoring[0]["retraining"]["owner"]).lower()
        if owner not in _ownership_emails(prodready):
            return prodready.fail(
                f"retraining.owner {owner!r} is not a person of ownership.yaml",
                "monitoring/monitoring.yaml",
                ["retraining", "owner"],
            )
        return True


# -- governance -----------------------------------------------------------------------------

CHECKLIST = "governance/checklist.yaml"


def _items(repo: Repo) -> list[tuple[int, dict[str, Any]]] | Failure:
    loaded = _load(repo, CHECKLIST)
    if isinstance(loaded, Failure):
        return loaded
    items = loaded[0].get("items")
    if not isinstance(items, list):
        return repo.fail("items is not a list", CHECKLIST, ["items"])
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


class GOV001(Check):
    """The governance checklist holds every item the risk tier requires

    High-risk systems under the EU AI Act must cover Articles 9 to 15 (risk management,
    data governance, technical documentation, record-keeping, transparency, human
    oversight, accuracy and robustness); every system needs owners, a risk assessment
    and a decommission plan. Fix: add the missing items (the template's checklist lists
    them) with their framework references.
    """

    family = "governance"

    @staticmethod
    def check(prodready: Repo) -> Result:
        items = _items(prodready)
        if isinstance(items, Failure):
            return items
        loaded = _load(prodready, CHECKLIST)
        tier = loaded[0].get("risk_tier") if not isinstance(loaded, Failure) else None
        articles = {str((item.get("frameworks") or {}).get("eu_ai_act")) for _, item in items}
        if tier == "high":
            missing = [a for a in HIGH_RISK_ARTICLES if a not in articles]
            if missing:
                return prodready.fail(
                    f"high-risk system: no item for EU AI Act {', '.join(missing)}", CHECKLIST, ["items"]
                )
        titles = " ".join(str(item.get("title", "")).lower() for _, item in items)
        for needed in ("roles", "risk assessment", "decommission"):
            if needed not in titles:
                return prodready.fail(f"no checklist item about {needed}", CHECKLIST, ["items"])
        return True


def _stage_items_done(repo: Repo, stage: str) -> Result:
    items = _items(repo)
    if isinstance(items, Failure):
        return items
    for index, item in items:
        if item.get("required_stage") != stage:
            continue
        where: list[str | int] = ["items", index]
        if item.get("status") not in ("done", "not-applicable"):
            return repo.fail(
                f"{item.get('id')} ({item.get('title')}) is {item.get('status')!r}, required at {stage}",
                CHECKLIST,
                [*where, "status"],
            )
        sign_off: dict[str, Any] = item["sign_off"] if isinstance(item.get("sign_off"), dict) else {}
        if not item.get("evidence"):
            return repo.fail(f"{item.get('id')} is done without evidence", CHECKLIST, [*where, "evidence"])
        if is_placeholder(str(sign_off.get("name") or "")) or not sign_off.get("date"):
            return repo.fail(f"{item.get('id')} has no sign-off (name and date)", CHECKLIST, [*where, "sign_off"])
        evidence = str(item["evidence"])
        if "://" not in evidence and not repo.exists(evidence):
            return repo.fail(f"{item.get('id')}'s evidence {evidence} does not exist", CHECKLIST, [*where, "evidence"])
    return True


class GOV002(Check):
    """Checklist items required at poc are done, with evidence and sign-off

    Governance found at the end kills projects; items due now are due now. Fix: set
    status done, evidence (a file or a link) and sign_off name and date for each.
    """

    family = "governance"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return _stage_items_done(prodready, "poc")


class GOV003(Check):
    """Checklist items required at pilot are done, with evidence and sign-off

    Real users bring real obligations: AI literacy, transparency, risk assessment, data
    protection. Fix: complete each pilot item with evidence and a sign-off.
    """

    family = "governance"
    stage = "pilot"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return _stage_items_done(prodready, "pilot")


class GOV004(Check):
    """Checklist items required at production are done, with evidence and sign-off

    Scaled deployment needs an agreed runbook and decommission plan. Fix: complete each
    production item with evidence and a sign-off.
    """

    family = "governance"
    stage = "production"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return _stage_items_done(prodready, "production")


def _todo(repo: Repo, file: str) -> Result:
    text = repo.text(file)
    if text is None:
        return _missing(file)
    for number, line in enumerate(text.splitlines(), start=1):
        if "TODO" in line:
            return Failure(f"still says TODO: {line.strip()[:80]}", file, number)
    return True


class GOV005(Check):
    """The model card is filled in

    Before real users, the intended use, data, evaluation and limitations must be
    written down. Fix: replace every TODO in governance/model_card.md.
    """

    family = "governance"
    stage = "pilot"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return _todo(prodready, "governance/model_card.md")


class GOV006(Check):
    """The decommission plan is complete

    A system that cannot be switched off cleanly cannot be trusted at scale. Fix:
    complete governance/decommission_plan.md (no TODO left).
    """

    family = "governance"
    stage = "production"

    @staticmethod
    def check(prodready: Repo) -> Result:
        return _todo(prodready, "governance/decommission_plan.md")


# -- cost -----------------------------------------------------------------------------------

COST_MODEL = "cost/cost_model.yaml"


def projection(repo: Repo) -> Any:
    """The cost projection of the repository, or a Failure (computed once per repository)."""
    if "projection" not in repo.memo:
        repo.memo["projection"] = _projection(repo)
    return repo.memo["projection"]


def _projection(repo: Repo) -> Any:
    loaded = _load(repo, COST_MODEL)
    if isinstance(loaded, Failure):
        return loaded
    try:
        return project(parse(loaded[0]), with_sensitivity=False)
    except CostModelError as error:
        where = list(error.where)
        return repo.fail(f"{'.'.join(map(str, where))} {error.message}. Fix: {error.fix}", COST_MODEL, where)


class COS001(Check):
    """cost_model.yaml is valid

    The funding cliff (a 50-a-month POC that costs 50,000 a month in production) is only
    visible if the cost model can be computed. Fix: run `prodready cost` and correct
    what it reports.
    """

    family = "cost"

    @staticmethod
    def check(prodready: Repo) -> Result:
        result = projection(prodready)
        return result if isinstance(result, Failure) else True


class COS002(Check):
    """The production budget covers the projected first-year cost

    An unfunded path to production is the most common way a successful POC dies. Fix:
    raise budgets.production_year1, or change the design until the projection fits.
    """

    family = "cost"
    stage = "pilot"
    requires = frozenset({"COS001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        result = projection(prodready)
        if isinstance(result, Failure):
            return None
        coverage = result.budget_coverage
        if coverage is not None and coverage < 1:
            return prodready.fail(
                f"budget {result.model.budget_year1} {result.model.currency} covers {coverage:.0%} "
                f"of the projected first-year cost {result.year_one_total}",
                COST_MODEL,
                ["budgets", "production_year1"],
            )
        return True


class COS003(Check):
    """An outcome costs less than it is worth

    If each business outcome costs more at production scale than it is worth, scaling
    loses money. Fix: agree value.value_per_outcome with the business owner, then bring
    the cost per outcome below it.
    """

    family = "cost"
    stage = "pilot"
    requires = frozenset({"COS001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        result = projection(prodready)
        if isinstance(result, Failure):
            return None
        value = result.value_per_outcome
        if value is None:
            return prodready.fail("value.value_per_outcome is not set", COST_MODEL, ["value"])
        cost = result.stages["production"].cost_per_outcome
        if cost is not None and cost >= value:
            return prodready.fail(
                f"an outcome costs {cost} and is worth {value}", COST_MODEL, ["value", "value_per_outcome"]
            )
        return True


class COS004(Check):
    """The cost model's prices were checked in the last 180 days

    Model and GPU prices move every quarter. Fix: check the unit prices and update
    price_date.
    """

    family = "cost"
    stage = "pilot"
    requires = frozenset({"COS001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        result = projection(prodready)
        if isinstance(result, Failure):
            return None
        age = (prodready.today - result.model.price_date).days
        if age > PRICE_AGE_WARNING_DAYS:
            return prodready.fail(f"price_date {result.model.price_date} is {age} days old", COST_MODEL, ["price_date"])
        return True


# -- ci and template ------------------------------------------------------------------------


class CI001(Check):
    """CI runs the tests, the contract check and the audit gate

    Checks that run only on a laptop stop running. Fix: keep the CI steps of the
    template: `nox -s tests`, `nox -s contracts` and `nox -s audit` (or the prodready
    Action).
    """

    family = "ci"

    @staticmethod
    def check(prodready: Repo) -> Result:
        text, file = prodready.ci_text()
        if not file:
            return Failure("no CI configuration (.github/workflows/*.yml or .gitlab-ci.yml)", ".github/workflows", None)
        for needed, pattern in (
            ("tests", r"nox -s tests|pytest"),
            ("contract check", r"nox -s contracts|prodready contracts check"),
            ("audit gate", r"nox -s audit|prodready audit|uses: .*prodready"),
        ):
            if not re.search(pattern, text):
                return Failure(f"CI does not run the {needed}", file, None)
        return True


class CI002(Check):
    """pre-commit runs the prodready audit hook

    The audit is cheapest before a commit. Fix: keep the prodready-audit hook in
    .pre-commit-config.yaml.
    """

    family = "ci"

    @staticmethod
    def check(prodready: Repo) -> Result:
        text = prodready.text(".pre-commit-config.yaml")
        if text is None:
            return _missing(".pre-commit-config.yaml")
        return (
            True if "prodready-audit" in text else Failure("no prodready-audit hook", ".pre-commit-config.yaml", None)
        )


class TPL001(Check):
    """The template's answers file is present

    .copier-answers.yml (copier) or .cruft.json (cruft) is what lets the platform team's
    template improvements reach this repository. Fix: generate with copier or cruft, or
    link an existing repository with `cruft link` or `copier copy --overwrite`.
    """

    family = "template"
    stage = "pilot"

    @staticmethod
    def check(prodready: Repo) -> Result:
        if any(prodready.exists(name) for name in ANSWER_FILES):
            return True
        return Failure("neither .copier-answers.yml nor .cruft.json", ".copier-answers.yml", None)


class TPL002(Check):
    """The repository is on the newest template version

    Template releases carry new governance items, CI steps and fixes to every POC; a
    repository several versions behind misses them and drifts further with each release.
    The newest version is the highest PEP 440 tag of the recorded template source (or
    `--template-source`), or `--template-version`. Fix: `prodready update .` (or
    `copier update` / `cruft update`), resolve any conflicts, commit.
    """

    family = "template"
    stage = "pilot"
    requires = frozenset({"TPL001"})

    @staticmethod
    def check(prodready: Repo) -> Result:
        texts = []
        for name in ANSWER_FILES:
            text = prodready.text(name)
            if text is None and prodready.exists(name):
                return Failure(f"`{name}` cannot be read as text", name, None)
            texts.append(text)
        try:
            origin = parse_origin(*texts)
        except ValueError as error:
            return Failure(f"the template answers file cannot be read: {error}", ".copier-answers.yml", None)
        if origin is None:
            return None
        if not origin.versioned:
            return Failure(origin.unversioned(), origin.answers_file, None)
        try:
            state = currency(origin, prodready.template_version, prodready.template_source)
        except TemplateSourceError as error:
            return Skip(f"newest template version unknown ({error}); pass --template-version or --template-source")
        if state.up_to_date:
            return True
        if state.current is None:
            return Failure(
                f"made from {origin.ref[:12]}, which is not a release tag; newest release is {state.newest}",
                origin.answers_file,
                None,
            )
        count = f"{state.behind} version{'s' * (state.behind != 1)}" if state.behind > 0 else "versions"
        message = f"{count} behind the template: at {state.current}, newest {state.newest}"
        return Failure(message, origin.answers_file, None)


CHECKS: dict[str, type[Check]] = {
    cls.__name__: cls
    for cls in (
        OWN001, OWN002, OWN003, OWN004, OWN005, OWN006, OWN007,
        BUS001, BUS002,
        CON001, CON002, CON003, CON004, CON005,
        MON001, MON002, MON003, MON004,
        GOV001, GOV002, GOV003, GOV004, GOV005, GOV006,
        COS001, COS002, COS003, COS004,
        CI001, CI002,
        TPL001, TPL002,
    )
}  # fmt: skip

FAMILIES = {
    "ownership": {"name": "Ownership", "order": 0, "description": "Named, reachable people for every role."},
    "business": {"name": "Business case", "order": 1, "description": "A KPI, a decision date, kill criteria."},
    "contracts": {"name": "Data contracts", "order": 2, "description": "ODCS contracts checked against real data."},
    "monitoring": {"name": "Monitoring", "order": 3, "description": "SLOs, drift, alerts, fallback, retraining."},
    "governance": {"name": "Governance", "order": 4, "description": "EU AI Act, NIST AI RMF, ISO/IEC 42001 items."},
    "cost": {"name": "Cost", "order": 5, "description": "Funded at production scale."},
    "ci": {"name": "CI", "order": 6, "description": "The checks run on every change."},
    "template": {"name": "Template", "order": 7, "description": "Linked to the template and on its newest release."},
}

assert all(cls.stage in STAGES for cls in CHECKS.values())
