"""OWN001-OWN009 on inline ownership.yaml, CODEOWNERS and catalog-info.yaml."""

from __future__ import annotations

import pytest
import yaml

from prodready.core.answers import validate
from prodready.core.people import NOT_THE_TECHNICAL_LEAD, ROLE_KEYS, TECHNICAL_LEAD

from ..helpers import example
from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run, text

OWNERSHIP = """
    schema_version: 1
    project: ticket-triage
    last_reviewed: "2026-05-01"
    roles:
      production_owner:
        name: Amara Okafor
        email: amara.okafor@acme.io
      business_owner:
        name: Lucas Bernard
        email: lucas.bernard@acme.io
      technical_lead:
        name: Mei Tanaka
        email: mei.tanaka@acme.io
      executive_sponsor:
        name: Sofia Rossi
        email: sofia.rossi@acme.io
      kill_authority:
        name: Lucas Bernard
        email: lucas.bernard@acme.io
    oncall:
      team: Customer Platform SRE
      email: platform-oncall@acme.io
    data:
      tickets:
        owner_email: jonas.berg@acme.io
    """

CODEOWNERS = """
    # Derived from ownership.yaml.
    *                 mei.tanaka@acme.io amara.okafor@acme.io
    /ownership.yaml   amara.okafor@acme.io lucas.bernard@acme.io
    /contracts/       jonas.berg@acme.io  # the data set owner
    """

CATALOG = """
    apiVersion: backstage.io/v1alpha1
    kind: Component
    metadata:
      name: ticket-triage
      annotations:
        prodready.dev/production-owner: amara.okafor@acme.io
        prodready.dev/kill-authority: Lucas.Bernard@acme.io
    spec:
      type: service
      lifecycle: experimental
    """


def replace(source: str, old: str, new: str, after: str | None = None) -> str:
    """``source`` with the first ``old`` (after the first ``after``) replaced by ``new``."""
    start = source.index(after) if after else 0
    assert old in source[start:], old
    return source[:start] + source[start:].replace(old, new, 1)


# -- OWN001 ---------------------------------------------------------------------------------


def test_own001_passes_on_a_mapping(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN001", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


def test_own001_fails_when_missing(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN001", make_repo({}))) == ("failed", "`ownership.yaml` is missing", "ownership.yaml", None)


def test_own001_fails_on_invalid_yaml_at_its_line(make_repo: MakeRepo) -> None:
    finding = run("OWN001", make_repo({"ownership.yaml": "project: a\nroles: [a\n"}))
    assert finding.status == "failed" and finding.file == "ownership.yaml"
    assert finding.message.startswith("`ownership.yaml`: invalid YAML") and "Fix:" in finding.message
    assert finding.line in (2, 3)


def test_own001_fails_on_a_list(make_repo: MakeRepo) -> None:
    finding = run("OWN001", make_repo({"ownership.yaml": "- a\n- b\n"}))
    assert outcome(finding) == ("failed", "`ownership.yaml` is not a mapping of keys to values", "ownership.yaml", 1)


# -- OWN002 ---------------------------------------------------------------------------------


def test_own002_passes_when_every_role_is_named(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN002", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_own002_fails_for_each_missing_role(make_repo: MakeRepo, role: str) -> None:
    damaged = replace(OWNERSHIP, f"  {role}:", "  someone_else:")
    finding = run("OWN002", make_repo({"ownership.yaml": damaged}))
    assert outcome(finding) == ("failed", f"role `{role}` is missing", "ownership.yaml", line_of(damaged, "roles:"))


def test_own002_fails_on_a_placeholder_name(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "name: Sofia Rossi", "name: TBD")
    finding = run("OWN002", make_repo({"ownership.yaml": damaged}))
    expected = ("failed", "role `executive_sponsor` has no name (got 'TBD')", "ownership.yaml", line_of(damaged, "TBD"))
    assert outcome(finding) == expected


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("", "is empty"),
        ("mei.tanaka at acme", "is not a valid e-mail address"),
        ("your.name@acme.io", "is a placeholder address"),
    ],
)
def test_own002_fails_on_an_unusable_email(make_repo: MakeRepo, email: str, problem: str) -> None:
    damaged = replace(OWNERSHIP, "email: mei.tanaka@acme.io", f'email: "{email}"')
    finding = run("OWN002", make_repo({"ownership.yaml": damaged}))
    line = line_of(damaged, "email:", after="technical_lead:")
    assert outcome(finding) == (
        "failed",
        f"the e-mail of `technical_lead` {problem} (got {email!r})",
        "ownership.yaml",
        line,
    )


def test_own002_fails_without_an_oncall_team(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "team: Customer Platform SRE", "team: todo")
    finding = run("OWN002", make_repo({"ownership.yaml": damaged}))
    message = "the on-call team needs a name and a valid e-mail"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "oncall:"))


def test_own002_names_every_problem_at_the_first(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "  kill_authority:", "  killer:")
    damaged = replace(replace(damaged, "  business_owner:", "  sponsor:"), "name: Sofia Rossi", "name: TBD")
    damaged = replace(replace(damaged, "mei.tanaka@acme.io", '""'), "team: Customer Platform SRE", "team: todo")
    finding = run("OWN002", make_repo({"ownership.yaml": damaged}))
    roles = line_of(damaged, "roles:")
    message = (
        f"4 problems: line {roles}: roles `business_owner`, `kill_authority` are missing; "
        f"line {line_of(damaged, 'email:', after='technical_lead:')}: the e-mail of `technical_lead` is empty (got ''); "
        f"line {line_of(damaged, 'TBD')}: role `executive_sponsor` has no name (got 'TBD'); "
        f"line {line_of(damaged, 'oncall:')}: the on-call team needs a name and a valid e-mail"
    )
    assert outcome(finding) == ("failed", message, "ownership.yaml", roles)


def test_own002_has_nothing_to_say_when_ownership_cannot_be_read(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN002", make_repo({"ownership.yaml": "roles: [\n"}))) == NOT_APPLICABLE


# -- OWN003 ---------------------------------------------------------------------------------


def test_own003_passes_when_other_people_hold_the_separated_roles(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN003", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


@pytest.mark.parametrize("role", NOT_THE_TECHNICAL_LEAD)
def test_own003_fails_when_the_technical_lead_holds_a_separated_role(make_repo: MakeRepo, role: str) -> None:
    holder = "lucas.bernard@acme.io" if role == "kill_authority" else "amara.okafor@acme.io"
    damaged = replace(OWNERSHIP, f"email: {holder}", "email: Mei.Tanaka@ACME.io", after=f"{role}:")
    finding = run("OWN003", make_repo({"ownership.yaml": damaged}))
    line = line_of(damaged, "email:", after=f"{role}:")
    assert outcome(finding) == ("failed", f"`{role}` is the technical lead", "ownership.yaml", line)


def test_own003_fails_when_the_technical_lead_holds_a_role_under_another_address(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "name: Lucas Bernard", "name: mei  TANAKA", after="kill_authority:")
    finding = run("OWN003", make_repo({"ownership.yaml": damaged}))
    line = line_of(damaged, "email:", after="kill_authority:")
    assert outcome(finding) == ("failed", "`kill_authority` is the technical lead", "ownership.yaml", line)


def answers_and_ownership(holders: dict[str, tuple[str, str]]) -> tuple[dict[str, str], str]:
    """The same people as generation answers and as an ownership.yaml."""
    answers = example("support-assistant")
    for role, (name, email) in holders.items():
        answers[f"{role}_name"], answers[f"{role}_email"] = name, email
    roles = {role: {"name": name, "email": email} for role, (name, email) in holders.items()}
    oncall = {"team": answers["oncall_team"], "email": answers["oncall_email"]}
    return answers, yaml.safe_dump({"roles": roles, "oncall": oncall}, sort_keys=False)


PEOPLE = {
    "production_owner": ("Amara Okafor", "amara.okafor@acme.io"),
    "business_owner": ("Lucas Bernard", "lucas.bernard@acme.io"),
    TECHNICAL_LEAD: ("Mei Tanaka", "mei.tanaka@acme.io"),
    "executive_sponsor": ("Sofia Rossi", "sofia.rossi@acme.io"),
    "kill_authority": ("Lucas Bernard", "lucas.bernard@acme.io"),
}


@pytest.mark.parametrize(
    ("case", "changes", "refused"),
    [
        ("distinct people", {}, set()),
        ("production owner is the lead", {"production_owner": PEOPLE[TECHNICAL_LEAD]}, {"production_owner"}),
        ("kill authority is the lead", {"kill_authority": PEOPLE[TECHNICAL_LEAD]}, {"kill_authority"}),
        ("kill authority has the lead's name", {"kill_authority": ("Mei Tanaka", "m.t@acme.io")}, {"kill_authority"}),
        (
            "production owner has the lead's name, punctuated",
            {"production_owner": ("  MEI  Tanaka. ", "m.t@acme.io")},
            {"production_owner"},
        ),
        (
            "both are the lead",
            {"kill_authority": PEOPLE[TECHNICAL_LEAD], "production_owner": PEOPLE[TECHNICAL_LEAD]},
            {"kill_authority", "production_owner"},
        ),
    ],
)
def test_own003_agrees_with_the_answer_rules(
    make_repo: MakeRepo, case: str, changes: dict[str, tuple[str, str]], refused: set[str]
) -> None:
    answers, ownership = answers_and_ownership({**PEOPLE, **changes})
    by_generation = {
        refusal.answer.removesuffix("_email")
        for refusal in validate(answers)
        if "is the technical lead" in refusal.problem
    }
    finding = run("OWN003", make_repo({"ownership.yaml": ownership}))
    assert by_generation == refused, case
    if refused:
        # The audit names every separated role held by the lead, in people.py's order, at the first.
        named = [f"`{role}` is the technical lead" for role in NOT_THE_TECHNICAL_LEAD if role in refused]
        first = next(role for role in NOT_THE_TECHNICAL_LEAD if role in refused)
        assert finding.line == line_of(ownership, "email:", after=f"{first}:"), case
        if len(named) == 1:
            assert (finding.status, finding.message) == ("failed", named[0]), case
        else:
            lines = [line_of(ownership, "email:", after=f"{r}:") for r in NOT_THE_TECHNICAL_LEAD if r in refused]
            listed = "; ".join(f"line {n}: {m}" for n, m in zip(lines, named, strict=True))
            assert finding.message == f"{len(named)} roles are held by the technical lead: {listed}", case
    else:
        assert outcome(finding) == PASSED, case


# -- OWN004 ---------------------------------------------------------------------------------


def test_own004_passes_when_codeowners_agrees(make_repo: MakeRepo) -> None:
    repo = make_repo({"ownership.yaml": OWNERSHIP, ".gitlab/CODEOWNERS": CODEOWNERS})
    assert outcome(run("OWN004", repo)) == PASSED


def test_own004_fails_without_codeowners(make_repo: MakeRepo) -> None:
    finding = run("OWN004", make_repo({"ownership.yaml": OWNERSHIP}))
    assert outcome(finding) == ("failed", "`.github/CODEOWNERS` is missing", ".github/CODEOWNERS", None)


def test_own004_fails_on_an_owner_unknown_to_ownership(make_repo: MakeRepo) -> None:
    codeowners = CODEOWNERS + "/src/  stranger@acme.io @team-handle\n"
    finding = run("OWN004", make_repo({"ownership.yaml": OWNERSHIP, ".github/CODEOWNERS": codeowners}))
    message = "`/src/` is owned by stranger@acme.io, who is not in ownership.yaml"
    assert outcome(finding) == ("failed", message, ".github/CODEOWNERS", line_of(codeowners, "/src/"))


def test_own004_names_every_rule_at_fault(make_repo: MakeRepo) -> None:
    codeowners = replace(CODEOWNERS, "amara.okafor@acme.io lucas.bernard@acme.io", "x@acme.io y@acme.io")
    codeowners = replace(codeowners, "mei.tanaka@acme.io amara.okafor@acme.io", "mei.tanaka@acme.io")
    codeowners += "/src/  stranger@acme.io\n"
    finding = run("OWN004", make_repo({"ownership.yaml": OWNERSHIP, ".github/CODEOWNERS": codeowners}))
    star = line_of(codeowners, "*")
    message = (
        f"3 problems: line {star}: the `*` rule must list the technical lead and the production owner; "
        f"line {line_of(codeowners, '/ownership.yaml')}: `/ownership.yaml` is owned by x@acme.io, y@acme.io, "
        "who is not in ownership.yaml; "
        f"line {line_of(codeowners, '/src/')}: `/src/` is owned by stranger@acme.io, who is not in ownership.yaml"
    )
    assert outcome(finding) == ("failed", message, ".github/CODEOWNERS", star)


def test_own004_fails_when_the_default_rule_lacks_the_production_owner(make_repo: MakeRepo) -> None:
    codeowners = replace(CODEOWNERS, "mei.tanaka@acme.io amara.okafor@acme.io", "mei.tanaka@acme.io")
    finding = run("OWN004", make_repo({"ownership.yaml": OWNERSHIP, ".github/CODEOWNERS": codeowners}))
    message = "the `*` rule must list the technical lead and the production owner"
    assert outcome(finding) == ("failed", message, ".github/CODEOWNERS", line_of(codeowners, "*"))


def test_own004_fails_without_a_default_rule(make_repo: MakeRepo) -> None:
    codeowners = "/ownership.yaml amara.okafor@acme.io\n"
    finding = run("OWN004", make_repo({"ownership.yaml": OWNERSHIP, "CODEOWNERS": codeowners}))
    assert outcome(finding) == ("failed", "no `*` rule: some files have no owner", "CODEOWNERS", None)


# -- OWN005 ---------------------------------------------------------------------------------


def test_own005_passes_when_the_catalog_names_the_owners(make_repo: MakeRepo) -> None:
    repo = make_repo({"ownership.yaml": OWNERSHIP, "catalog-info.yaml": CATALOG})
    assert outcome(run("OWN005", repo)) == PASSED


def test_own005_fails_without_a_catalog(make_repo: MakeRepo) -> None:
    finding = run("OWN005", make_repo({"ownership.yaml": OWNERSHIP}))
    assert outcome(finding) == ("failed", "`catalog-info.yaml` is missing", "catalog-info.yaml", None)


def test_own005_fails_on_another_kind(make_repo: MakeRepo) -> None:
    catalog = replace(CATALOG, "kind: Component", "kind: API")
    finding = run("OWN005", make_repo({"ownership.yaml": OWNERSHIP, "catalog-info.yaml": catalog}))
    message = "not a Backstage Component (apiVersion backstage.io/v1alpha1, kind Component)"
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", line_of(catalog, "kind:"))


def test_own005_fails_on_an_unknown_lifecycle(make_repo: MakeRepo) -> None:
    catalog = replace(CATALOG, "lifecycle: experimental", "lifecycle: beta")
    finding = run("OWN005", make_repo({"ownership.yaml": OWNERSHIP, "catalog-info.yaml": catalog}))
    message = "spec.lifecycle must be experimental, production or deprecated"
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", line_of(catalog, "lifecycle:"))


def test_own005_fails_when_an_annotation_names_someone_else(make_repo: MakeRepo) -> None:
    catalog = replace(CATALOG, "kill-authority: Lucas.Bernard@acme.io", "kill-authority: mei.tanaka@acme.io")
    finding = run("OWN005", make_repo({"ownership.yaml": OWNERSHIP, "catalog-info.yaml": catalog}))
    message = (
        "annotation prodready.dev/kill-authority is 'mei.tanaka@acme.io', ownership.yaml says 'lucas.bernard@acme.io'"
    )
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", line_of(catalog, "annotations:"))


def test_own005_names_every_annotation_and_the_lifecycle(make_repo: MakeRepo) -> None:
    catalog = replace(CATALOG, "kill-authority: Lucas.Bernard@acme.io", "kill-authority: mei.tanaka@acme.io")
    catalog = replace(replace(catalog, "owner: amara.okafor@acme.io", "owner: nobody@acme.io"), "experimental", "beta")
    finding = run("OWN005", make_repo({"ownership.yaml": OWNERSHIP, "catalog-info.yaml": catalog}))
    lifecycle, annotations = line_of(catalog, "lifecycle:"), line_of(catalog, "annotations:")
    message = (
        f"3 problems: line {lifecycle}: spec.lifecycle must be experimental, production or deprecated; "
        f"line {annotations}: annotation prodready.dev/production-owner is 'nobody@acme.io', "
        "ownership.yaml says 'amara.okafor@acme.io'; "
        f"line {annotations}: annotation prodready.dev/kill-authority is 'mei.tanaka@acme.io', "
        "ownership.yaml says 'lucas.bernard@acme.io'"
    )
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", lifecycle)


def test_own005_has_nothing_to_say_about_owners_without_ownership(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN005", make_repo({"catalog-info.yaml": CATALOG}))) == NOT_APPLICABLE


# -- OWN006 ---------------------------------------------------------------------------------


def test_own006_passes_within_the_review_period(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN006", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


def test_own006_fails_after_the_review_period(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, '"2026-05-01"', '"2026-03-01"')
    finding = run("OWN006", make_repo({"ownership.yaml": damaged}))
    message = "last reviewed on 2026-03-01, more than 90 days ago"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "last_reviewed"))


def test_own006_fails_when_last_reviewed_is_not_a_date(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, '"2026-05-01"', "soon")
    finding = run("OWN006", make_repo({"ownership.yaml": damaged}))
    message = "last_reviewed is 'soon', not a date"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "last_reviewed"))


# -- OWN007 ---------------------------------------------------------------------------------


def test_own007_passes_with_real_domains(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN007", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


@pytest.mark.parametrize("domain", ["example.com", "mail.example.org", "corp.test", "x.invalid"])
def test_own007_fails_on_a_reserved_domain(make_repo: MakeRepo, domain: str) -> None:
    damaged = replace(OWNERSHIP, "sofia.rossi@acme.io", f"sofia.rossi@{domain}")
    finding = run("OWN007", make_repo({"ownership.yaml": damaged}))
    message = "`executive_sponsor` uses a reserved example domain"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, domain))


def test_own007_fails_on_a_reserved_oncall_domain(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "platform-oncall@acme.io", "platform-oncall@example.net")
    finding = run("OWN007", make_repo({"ownership.yaml": damaged}))
    message = "the on-call address uses a reserved example domain"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "example.net"))


def test_own007_names_every_reserved_address(make_repo: MakeRepo) -> None:
    damaged = replace(OWNERSHIP, "sofia.rossi@acme.io", "sofia.rossi@example.com")
    damaged = replace(replace(damaged, "mei.tanaka@acme.io", "mei@corp.test"), "platform-oncall@acme.io", "a@x.invalid")
    finding = run("OWN007", make_repo({"ownership.yaml": damaged}))
    lead = line_of(damaged, "corp.test")
    message = (
        f"3 addresses use a reserved example domain: line {lead}: `technical_lead` uses a reserved example domain; "
        f"line {line_of(damaged, 'example.com')}: `executive_sponsor` uses a reserved example domain; "
        f"line {line_of(damaged, 'x.invalid')}: the on-call address uses a reserved example domain"
    )
    assert outcome(finding) == ("failed", message, "ownership.yaml", lead)


def test_inline_ownership_is_what_the_template_writes() -> None:
    """The inline file holds every role of core.people (so the tests exercise all of them)."""
    assert set(yaml.safe_load(text(OWNERSHIP))["roles"]) == set(ROLE_KEYS)


def test_own004_fails_on_codeowners_linked_outside(make_repo: MakeRepo, tmp_path) -> None:
    (tmp_path / "CODEOWNERS").write_text(CODEOWNERS, encoding="utf-8")
    repo = make_repo({"ownership.yaml": OWNERSHIP})
    (repo.root / ".github").mkdir()
    (repo.root / ".github" / "CODEOWNERS").symlink_to(tmp_path / "CODEOWNERS")
    finding = run("OWN004", repo)
    assert (finding.status, finding.file) == ("failed", ".github/CODEOWNERS")
    assert "symbolic link leaving the repository" in finding.message


def test_own006_takes_a_timestamp_as_its_day(make_repo: MakeRepo) -> None:
    reviewed = "project: x\nlast_reviewed: 2026-05-20 10:00:00\n"
    assert outcome(run("OWN006", make_repo({"ownership.yaml": reviewed}))) == PASSED


LATER = """
      security_lead: {description: Threat model and keys., name: null, email: null}
      it_lead: {description: Hosting and network access., name: null, email: null}
      compliance_lead: {description: Model governance., name: null, email: null}
      operations_lead: {description: Change management., name: null, email: null}
      affected_team_lead: {description: Tier-1 support lead., name: null, email: null}
"""
#: Every role named later that every POC declares, each held by nobody yet.
DECLARED = OWNERSHIP.replace("    oncall:", LATER.strip("\n") + "\n    oncall:")
PRIVACY_LEAD = """
      privacy_lead:
        description: Signs the data protection impact assessment (GOV-015).
        name: null
        email: null
"""
WITH_PRIVACY_LEAD = DECLARED.replace("    oncall:", PRIVACY_LEAD.strip("\n") + "\n    oncall:")
PERSONAL_ANSWERS = {".copier-answers.yml": "_src_path: gh:acme/prodready\npersonal_data: 'yes'\n"}
DPIA_CHECKLIST = {"governance/checklist.yaml": "risk_tier: limited\nitems:\n  - id: GOV-015\n    status: todo\n"}


@pytest.mark.parametrize("evidence", [PERSONAL_ANSWERS, DPIA_CHECKLIST], ids=["answers", "checklist"])
def test_own008_fails_when_a_personal_data_poc_declares_no_privacy_lead(make_repo: MakeRepo, evidence) -> None:
    finding = run("OWN008", make_repo({"ownership.yaml": DECLARED, **evidence}))
    message = (
        "the POC processes personal data: declare roles.privacy_lead "
        "(privacy or legal lead (the data protection officer where one is designated))"
    )
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(DECLARED, "roles:"))


def test_own008_wants_the_roles_every_poc_needs(make_repo: MakeRepo) -> None:
    without = DECLARED.replace(
        "      security_lead: {description: Threat model and keys., name: null, email: null}\n", ""
    )
    finding = run("OWN008", make_repo({"ownership.yaml": without}))
    message = (
        "every POC bound for production needs one: declare roles.security_lead "
        "(security lead (the threat model, keys and secrets, the data flows))"
    )
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(without, "roles:"))
    assert run("OWN008", make_repo({"ownership.yaml": OWNERSHIP})).message.startswith("5 problems")


def test_own008_passes_without_personal_data_or_with_the_role_declared(make_repo: MakeRepo) -> None:
    assert outcome(run("OWN008", make_repo({"ownership.yaml": DECLARED}))) == PASSED
    declared = make_repo({"ownership.yaml": WITH_PRIVACY_LEAD, **PERSONAL_ANSWERS})
    assert outcome(run("OWN008", declared)) == PASSED


def test_own008_checks_a_named_privacy_lead_like_any_role(make_repo: MakeRepo) -> None:
    named = WITH_PRIVACY_LEAD.replace("        name: null", "        name: TBD").replace(
        "        email: null", "        email: dpo@acme.io"
    )
    finding = run("OWN008", make_repo({"ownership.yaml": named, **PERSONAL_ANSWERS}))
    assert outcome(finding) == (
        "failed",
        "role `privacy_lead` has no name (got 'TBD')",
        "ownership.yaml",
        line_of(named, "name: TBD"),
    )


def named(text: str, role: str, person: str, email: str) -> str:
    """``text`` with the null person of ``role`` replaced by a real one."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{role}:"))
    if "{" in lines[at]:
        lines[at] = lines[at].replace("name: null, email: null", f"name: {person}, email: {email}")
    else:
        lines[at + 2] = lines[at + 2].replace("name: null", f"name: {person}")
        lines[at + 3] = lines[at + 3].replace("email: null", f"email: {email}")
    return "".join(lines)


def test_own009_asks_for_the_people_due_at_pilot(make_repo: MakeRepo) -> None:
    finding = run("OWN009", make_repo({"ownership.yaml": WITH_PRIVACY_LEAD, **PERSONAL_ANSWERS}))
    assert finding.message.startswith("3 roles are held by nobody")
    assert "role `security_lead` is declared but nobody holds it: name them by the pilot" in finding.message
    both = named(
        named(WITH_PRIVACY_LEAD, "security_lead", "Ravi Patel", "ravi.patel@acme.io"),
        "it_lead",
        "Hana Kim",
        "hana.kim@acme.io",
    )
    finding = run("OWN009", make_repo({"ownership.yaml": both, **PERSONAL_ANSWERS}))
    message = "role `privacy_lead` is declared but nobody holds it: name them by the pilot"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(both, "privacy_lead:"))
    everyone = named(both, "privacy_lead", "Nadia Haddad", "dpo@acme.io")
    assert outcome(run("OWN009", make_repo({"ownership.yaml": everyone, **PERSONAL_ANSWERS}))) == PASSED


def test_own010_asks_for_the_people_due_at_production(make_repo: MakeRepo) -> None:
    finding = run("OWN010", make_repo({"ownership.yaml": DECLARED}))
    assert finding.message.startswith("3 roles are held by nobody") and "`affected_team_lead`" in finding.message
    text = DECLARED
    for role, person in (
        ("compliance_lead", "Zara Ahmed"),
        ("operations_lead", "Noah Weber"),
        ("affected_team_lead", "Maya Cohen"),
    ):
        text = named(text, role, person, person.lower().replace(" ", ".") + "@acme.io")
    assert outcome(run("OWN010", make_repo({"ownership.yaml": text}))) == PASSED
