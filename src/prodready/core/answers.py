"""The answer rules: what a POC must commit to before a single file is generated.

This module is the one place the questionnaire's rules live. It is imported three ways:

* by the cookiecutter ``pre_gen_project`` hook, loaded by file path from the template
  checkout (so it must not import anything outside the standard library, nor use
  relative imports);
* by the copier context hook, loaded the same way, so both generators give the same
  verdict and the same words;
* by the ``prodready`` package itself (``prodready new``, and later the audit).

Every rule failure names the answer, the value given and what would be accepted, and
all failures are reported together: a team filling in forty answers should learn about
all of its mistakes at once, not one per run.
"""

from __future__ import annotations

import keyword
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .cost_model import MAX_FIGURE, MIN_FIGURE
from .integration import DECISIONS_SYSTEM, dataset_system, parse_other_systems
from .obligations import AI_ACT_ROLES, GENERATIVE_KINDS
from .people import ROLES, USUALLY, normalise, separation_problems
from .questions import choices

__all__ = [
    "AI_SYSTEM_TYPES",
    "CI_PROVIDERS",
    "CURRENCIES",
    "DATA_CLASSIFICATIONS",
    "DECISION_HORIZON_DAYS",
    "PRIVACY_REGIMES",
    "PYTHON_VERSIONS",
    "RISK_TIERS",
    "ROLES",
    "Refusal",
    "default_decision_date",
    "email_problem",
    "format_refusals",
    "is_placeholder",
    "normalise",
    "slugify",
    "validate",
]

AI_SYSTEM_TYPES = choices("ai_system_type")
RISK_TIERS = choices("risk_tier")
AI_ACT_ROLE_CHOICES = choices("ai_act_role")
ANNEX_III_CHOICES = choices("annex_iii_area")
DATA_CLASSIFICATIONS = choices("data_classification")
CURRENCIES = choices("currency")
CI_PROVIDERS = choices("ci_provider")
PYTHON_VERSIONS = choices("python_version")
YES_NO = choices("personal_data")
SERVING_MODES = choices("serving_mode")
#: The kinds that may run as a batch job; the others answer people, online.
BATCH_KINDS = frozenset({"classical-ml"})
#: Regimes a POC may name (a free-text list, so not a choice question of cookiecutter.json).
PRIVACY_REGIMES = ("gdpr", "uk-gdpr", "ccpa", "hipaa", "lgpd", "pipeda", "none")

#: A decision date further out than this is not a decision date, it is a hope.
DECISION_HORIZON_DAYS = 365
#: The default decision date offered to a new POC: one quarter from today.
DEFAULT_DECISION_DAYS = 90

# Values that mean "nobody filled this in". Compared after normalising case, spaces
# and surrounding punctuation, so "  TBD. " and "tbd" are the same placeholder.
PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "?",
        "...",
        "tbd",
        "tba",
        "tbc",
        "todo",
        "to do",
        "fixme",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "unknown",
        "nobody",
        "no one",
        "someone",
        "anyone",
        "somebody",
        "name",
        "your name",
        "my name",
        "full name",
        "first last",
        "firstname lastname",
        "first name last name",
        "jane doe",
        "john doe",
        "owner",
        "team",
        "your team",
        "changeme",
        "change me",
        "placeholder",
        "xxx",
        "test",
        "example",
    }
)
# "Nothing is retired" is exactly the answer this rule exists to refuse.
NOTHING = frozenset({"nothing", "none", "n/a", "na", "no", "nothing yet", "not applicable", "nil"})
# Local parts of e-mail addresses that are placeholders whatever the domain.
PLACEHOLDER_MAILBOXES = frozenset(
    {
        "you",
        "your.name",
        "yourname",
        "your_name",
        "name",
        "email",
        "e-mail",
        "user",
        "username",
        "someone",
        "somebody",
        "nobody",
        "firstname.lastname",
        "first.last",
        "first.lastname",
        "tbd",
        "todo",
        "test",
        "changeme",
        "placeholder",
        "owner",
    }
)

_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
#: The longest slug every consumer accepts: Backstage entity names allow 63 characters.
MAX_SLUG = 63
_PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
_DATASET = re.compile(r"[a-z][a-z0-9_]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"\d+")
# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators:
# none of them belongs in an answer, and several break YAML, TOML or Markdown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

MAX_TEXT = 2000
MAX_LINE = 200

# Names that would shadow the POC's own dependencies or the standard library.
RESERVED_PACKAGES = frozenset({"prodready", "tests", "test", "src", "noxfile", "setup"})


@dataclass(frozen=True)
class Refusal:
    """One refused answer: which, what was given, what is wrong, what would do."""

    answer: str
    given: str
    problem: str
    accepted: str

    def __str__(self) -> str:
        return f"{self.answer}: got {_show(self.given)}; {self.problem}. Accepted: {self.accepted}."


#: Words too common to tie kill criteria to a KPI by ("time to first response" and
#: "response time" share "response", not "to").
_COMMON_WORDS = frozenset({"the", "and", "for", "per", "with", "from", "than", "that", "this", "rate", "share"})
_WORD = re.compile(r"[a-z]{4,}")
KILL_CRITERIA_EXAMPLE = "'KPI not improved by 10% at the decision date'"


def kill_criteria_problem(criteria: str, kpi: str) -> str | None:
    """Why kill criteria cannot be judged, or None: they need a threshold and what it measures.

    A threshold is a number; what it measures is the KPI (by the word "KPI" or a word of
    its name) or a percentage. "We will see" names neither: nobody could ever say the
    criteria are met, so nobody could ever kill the POC by them. The audit's BUS001 and
    the questionnaire apply this same rule.
    """
    text = criteria.lower()
    if not re.search(r"\d", text):
        return "names no threshold (a number)"
    shared = set(_WORD.findall(text)) & (set(_WORD.findall(kpi.lower())) - _COMMON_WORDS)
    if "kpi" not in text and "%" not in text and "percent" not in text and not shared:
        return "does not name the KPI (or another measured quantity) its threshold applies to"
    return None


def _show(value: str) -> str:
    """Quote a value for a one-line message, escaping anything that would break the line."""
    text = value if len(value) <= 60 else value[:57] + "..."
    return "'" + text.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def _text(answers: Mapping[str, object], key: str) -> str:
    value = answers.get(key, "")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def email_problem(value: str) -> str | None:
    """What is wrong with an e-mail address (None when it is usable). Shared with the audit."""
    if not value.strip():
        return "is empty"
    if not _EMAIL.fullmatch(value):
        return "is not a valid e-mail address"
    if value.split("@", 1)[0].lower() in PLACEHOLDER_MAILBOXES:
        return "is a placeholder address"
    return None


def is_placeholder(value: str) -> bool:
    """Whether a name or text is empty or a placeholder (TBD, todo, Your Name, ...)."""
    return normalise(value) in PLACEHOLDERS


def default_decision_date(today: date | None = None) -> str:
    """The decision date a new POC is offered: a quarter from today, ISO formatted."""
    return ((today or date.today()) + timedelta(days=DEFAULT_DECISION_DAYS)).isoformat()


class _Checker:
    """Collects refusals while the rules run, so every failure is reported at once."""

    def __init__(self, answers: Mapping[str, object], today: date) -> None:
        self.answers = answers
        self.today = today
        self.refusals: list[Refusal] = []
        self.numbers: dict[str, Decimal] = {}

    def refuse(self, key: str, problem: str, accepted: str) -> None:
        self.refusals.append(Refusal(key, _text(self.answers, key), problem, accepted))

    # -- text ---------------------------------------------------------------------------

    def clean(self, key: str, *, multiline: bool = False) -> str | None:
        """Return the value if it is safe text, else refuse it and return None."""
        value = _text(self.answers, key)
        limit = MAX_TEXT if multiline else MAX_LINE
        if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value or "\t" in value)):
            what = "line breaks, tabs or control characters" if not multiline else "control characters"
            self.refuse(key, f"contains {what}", "plain text" + ("" if multiline else " on one line"))
            return None
        if len(value) > limit:
            self.refuse(key, f"is {len(value)} characters long", f"at most {limit} characters")
            return None
        return value

    def real_text(self, key: str, what: str, *, multiline: bool = False, min_words: int = 1) -> None:
        value = self.clean(key, multiline=multiline)
        if value is None:
            return
        if normalise(value) in PLACEHOLDERS:
            self.refuse(key, "is empty or a placeholder", what)
        elif min_words > 1 and len(value.split()) < min_words:
            self.refuse(key, f"is not a sentence (fewer than {min_words} words)", what)

    def sentence(self, key: str, what: str) -> None:
        """A real sentence: not a placeholder, not 'nothing', at least three words."""
        value = self.clean(key, multiline=True)
        if value is None:
            return
        if normalise(value) in PLACEHOLDERS | NOTHING:
            self.refuse(key, "is empty, a placeholder or 'nothing'", what)
        elif len(value.split()) < 3:
            self.refuse(key, "is not a sentence (fewer than three words)", what)

    def email(self, key: str, whose: str) -> str | None:
        value = self.clean(key)
        if value is None:
            return None
        problem = email_problem(value)
        if problem == "is empty":
            self.refuse(key, f"the {whose} has no e-mail address", "a real address such as jane.doe@your-company.com")
        elif problem == "is a placeholder address":
            self.refuse(key, problem, "the named person's own address")
        elif problem:
            self.refuse(key, problem, "a real address such as jane.doe@your-company.com")
        return None if problem else value.lower()

    def choice(self, key: str, options: tuple[str, ...]) -> str | None:
        value = self.clean(key)
        if value is None:
            return None
        if value not in options:
            self.refuse(key, "is not one of the choices", ", ".join(options))
            return None
        return value

    # -- numbers and dates --------------------------------------------------------------

    def number(self, key: str, what: str, *, integer: bool = False) -> Decimal | None:
        value = self.clean(key)
        if value is None:
            return None
        text = value.strip()
        pattern = _INTEGER if integer else _NUMBER
        try:
            parsed = Decimal(text) if pattern.fullmatch(text) else None
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            parsed = None
        if parsed is None or not math.isfinite(parsed):
            self.refuse(key, "is not a number", what)
            return None
        size = parsed.copy_abs()  # exact: abs() would round 1e-999999999 to 0 in the default context
        if size > MAX_FIGURE or 0 < size < MIN_FIGURE:
            self.refuse(
                key,
                "is out of range",
                f"{what}, at most {MAX_FIGURE:,} and, unless 0, at least {MIN_FIGURE:f} in size",
            )
            return None
        self.numbers[key] = parsed
        return parsed

    def decision_date(self, key: str) -> None:
        value = self.clean(key)
        if value is None:
            return
        latest = self.today + timedelta(days=DECISION_HORIZON_DAYS)
        accepted = f"an ISO date (YYYY-MM-DD) after {self.today.isoformat()} and no later than {latest.isoformat()}"
        try:
            if not _ISO_DATE.fullmatch(value.strip()):
                raise ValueError(value)
            when = date.fromisoformat(value.strip())
        except ValueError:
            self.refuse(key, "is not a real ISO date", accepted)
            return
        if when <= self.today:
            self.refuse(key, "is not in the future", accepted)
        elif when > latest:
            self.refuse(key, "is more than 12 months away", accepted)


def _identifiers(c: _Checker) -> None:
    slug = c.clean("project_slug")
    accepted = (
        "lowercase letters, digits and single '-' or '_' between them, starting with a letter, "
        f"at most {MAX_SLUG} characters"
    )
    if slug is not None and not _SLUG.fullmatch(slug):
        problem = "is not a safe directory name (no path separators, dots, spaces or capitals)"
        c.refuse("project_slug", problem, accepted)
    elif slug is not None and len(slug) > MAX_SLUG:
        # The slug names the Backstage component (catalog-info.yaml), the repository and the
        # directory; Backstage's entity names are the tightest of those.
        c.refuse("project_slug", f"is {len(slug)} characters, longer than Backstage entity names allow", accepted)
    package = c.clean("package_name")
    if package is not None:
        if not _PACKAGE.fullmatch(package) or keyword.iskeyword(package) or len(package) > 64:
            c.refuse(
                "package_name",
                "is not a valid Python package name",
                "a lowercase Python identifier such as churn_model",
            )
        elif package in RESERVED_PACKAGES or package in sys.stdlib_module_names:
            c.refuse(
                "package_name",
                "would shadow the standard library or a dependency",
                "a name of the POC's own, such as " + package + "_poc",
            )
    dataset = c.clean("primary_dataset")
    if dataset is not None and (not _DATASET.fullmatch(dataset) or len(dataset) > 63):
        c.refuse(
            "primary_dataset",
            "is not a safe data set identifier",
            "lowercase letters, digits and '_', starting with a letter, at most 63 characters, such as customer_events",
        )


def _people(c: _Checker) -> None:
    emails: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for role, label in ROLES:
        c.real_text(f"{role}_name", f"the {label}'s full name")
        names[role] = normalise(_text(c.answers, f"{role}_name"))
        emails[role] = c.email(f"{role}_email", label)
    c.real_text("oncall_team", "the name of the team that is paged when the POC breaks")
    c.email("oncall_email", "on-call team")
    c.email("primary_dataset_owner_email", "primary data set owner")
    holders = {role: (names[role] if names[role] not in PLACEHOLDERS else "", emails[role] or "") for role, _ in ROLES}
    for role, problem in separation_problems(holders):
        c.refuse(f"{role}_email", problem, USUALLY[role])


def _business(c: _Checker) -> None:
    c.real_text("project_name", "a short human name for the POC, such as 'Support ticket triage'")
    c.real_text("description", "one or two sentences on what the POC does", multiline=True)
    c.sentence(
        "business_problem",
        "a sentence naming the business problem, such as 'Agents spend 40% of their time triaging tickets'",
    )
    c.real_text("business_kpi", "the business KPI the POC must move, such as 'median time to first response (hours)'")
    c.real_text("kill_criteria", f"the condition that stops the POC, such as {KILL_CRITERIA_EXAMPLE}", multiline=True)
    criteria, kpi = _text(c.answers, "kill_criteria"), _text(c.answers, "business_kpi")
    problem = kill_criteria_problem(criteria, kpi) if normalise(criteria) not in PLACEHOLDERS else None
    if problem is not None:
        c.refuse("kill_criteria", problem, f"the KPI and the value that stops the POC, such as {KILL_CRITERIA_EXAMPLE}")
    c.sentence(
        "process_retired",
        "a sentence naming the process or system the POC will retire, such as 'Manual ticket triage by tier-1 agents'",
    )
    baseline = c.number("kpi_baseline", "a number, the KPI's value today")
    target = c.number("kpi_target", "a number, the KPI's value that would count as success")
    if baseline is not None and target is not None and baseline == target:
        c.refuse(
            "kpi_target",
            "equals kpi_baseline, so success cannot be told from the status quo",
            "a target different from the baseline",
        )
    c.decision_date("decision_date")


def _classification(c: _Checker, kind: str | None, tier: str | None) -> None:
    """The risk tier agrees with the EU AI Act's classification the other answers give.

    An Annex III area makes the system high-risk (Article 6(2)) unless the team records
    why Article 6(3) exempts it; a generative system writes what people read, so Article
    50 applies and it is at least limited-risk. Answers to questions that do not apply
    (a rationale for a high-risk system, workers for a provider) are ignored, as copier
    does not ask them.
    """
    role = c.choice("ai_act_role", AI_ACT_ROLE_CHOICES)
    area = c.choice("annex_iii_area", ANNEX_III_CHOICES)
    if tier in ("minimal", "limited") and area not in (None, "none"):
        rationale = c.clean("article_6_3_rationale") or ""
        if normalise(rationale) in PLACEHOLDERS or len(rationale.split()) < 3:
            c.refuse(
                "risk_tier",
                f"is {tier}, but the Annex III area {area} makes the system high-risk (EU AI Act Article 6(2))",
                "high, or give article_6_3_rationale: why Article 6(3) exempts it (a narrow procedural task, "
                "improving a completed human activity, detecting patterns without replacing human "
                "assessment, or a preparatory task; never when it profiles people)",
            )
    if tier == "minimal" and kind in GENERATIVE_KINDS:
        c.refuse(
            "risk_tier",
            f"is minimal, but a {kind} system writes content people read, so EU AI Act Article 50 applies",
            "limited (or high)",
        )
    if tier == "high" and role is not None and "deployer" in AI_ACT_ROLES[role]:
        c.choice("workers_affected", YES_NO)


def _risk(c: _Checker) -> None:
    kind = c.choice("ai_system_type", AI_SYSTEM_TYPES)
    tier = c.choice("risk_tier", RISK_TIERS)
    if tier == "unacceptable":
        c.refuse(
            "risk_tier",
            "is a prohibited AI practice under EU AI Act Article 5 (such as social scoring, manipulation, "
            "or untargeted scraping of facial images) and cannot be built",
            "minimal, limited or high, for a system that is not a prohibited practice",
        )
    if kind in BATCH_KINDS:
        c.choice("serving_mode", SERVING_MODES)
    _classification(c, kind, tier)
    c.choice("data_classification", DATA_CLASSIFICATIONS)
    personal = c.choice("personal_data", YES_NO)
    raw = c.clean("privacy_regimes")
    if raw is None:
        return
    regimes = [part.strip().lower() for part in raw.split(",") if part.strip()]
    unknown = [r for r in regimes if r not in PRIVACY_REGIMES]
    known = ", ".join(PRIVACY_REGIMES)
    if unknown:
        c.refuse(
            "privacy_regimes", "names unknown regime(s) " + ", ".join(unknown), f"a comma-separated list from {known}"
        )
    elif "none" in regimes and len(regimes) > 1:
        c.refuse("privacy_regimes", "combines 'none' with other regimes", "either 'none' or a list of regimes")
    elif personal == "yes" and (not regimes or regimes == ["none"]):
        c.refuse(
            "privacy_regimes",
            "personal data is processed but no privacy regime applies",
            "the regimes that govern the personal data, from " + known.replace(", none", ""),
        )


def _money(c: _Checker) -> None:
    poc = c.number("poc_monthly_requests", "a whole number of requests per month", integer=True)
    production = c.number("production_monthly_requests", "a whole number of requests per month", integer=True)
    if poc is not None and poc <= 0:
        c.refuse("poc_monthly_requests", "is zero", "a positive whole number")
    if poc is not None and production is not None and production < poc:
        c.refuse(
            "production_monthly_requests",
            f"is below the POC's volume ({poc})",
            "at least poc_monthly_requests: production runs at least the volume of the POC",
        )
    poc_budget = c.number("poc_budget", "an amount of money, 0 or more")
    if poc_budget is not None and poc_budget < 0:
        c.refuse("poc_budget", "is negative", "an amount of money, 0 or more")
    budget = c.number("production_budget_year1", "an amount of money greater than 0")
    if budget is not None and budget <= 0:
        c.refuse(
            "production_budget_year1",
            "is not positive: building to production is unfunded",
            "the first-year production budget, greater than 0",
        )
    c.choice("currency", CURRENCIES)
    c.choice("ci_provider", CI_PROVIDERS)
    c.choice("python_version", PYTHON_VERSIONS)


def _integration(c: _Checker) -> None:
    """``other_systems``: name:direction pairs, none clashing with the systems the map derives."""
    if str(c.answers.get("primary_dataset", "")) == DECISIONS_SYSTEM:
        c.refuse(
            "primary_dataset",
            "is the name of the POC's own decision records (contracts/decisions.odcs.yaml)",
            "the input data set's own name, such as customer_events",
        )
    raw = c.clean("other_systems")
    if raw is None:
        return
    listed, problems = parse_other_systems(raw)
    derived = {DECISIONS_SYSTEM, dataset_system(str(c.answers.get("primary_dataset", "")))}
    problems += [
        f"{name!r} is already in the map (derived from other answers)" for name, _ in listed if name in derived
    ]
    if problems:
        c.refuse(
            "other_systems",
            "; ".join(problems),
            "comma-separated name:direction pairs (direction in, out or both), such as 'crm:out, pricing-api:in', "
            "or nothing",
        )


RULES: tuple[Callable[[_Checker], None], ...] = (_identifiers, _business, _people, _risk, _integration, _money)


def validate(answers: Mapping[str, object], today: date | None = None) -> list[Refusal]:
    """Apply every rule to ``answers`` and return all refusals, in questionnaire order."""
    checker = _Checker(answers, today or date.today())
    for rule in RULES:
        rule(checker)
    return checker.refusals


def format_refusals(refusals: list[Refusal]) -> str:
    """The message both generators print: a count, then one line per refused answer."""
    noun = "answer" if len(refusals) == 1 else "answers"
    lines = [f"prodready refused {len(refusals)} {noun}; nothing was generated:"]
    lines += [f"  - {refusal}" for refusal in refusals]
    return "\n".join(lines)


def online(answers: Mapping[str, Any]) -> bool:
    """Whether the POC is served online (an HTTP service) rather than run as a batch job.

    Only a kind in ``BATCH_KINDS`` may be a batch job; the others answer people, so
    their ``serving_mode`` answer, where one was given anyway, does not apply.
    """
    kind = str(answers.get("ai_system_type", ""))
    return kind not in BATCH_KINDS or str(answers.get("serving_mode", "online")) == "online"


def slugify(name: str) -> str:
    """The default project slug for a project name: ASCII, lowercase, hyphenated."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if slug[:1].isdigit():
        slug = "poc-" + slug
    return slug[:MAX_SLUG].strip("-")
