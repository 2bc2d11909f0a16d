"""GOV001-GOV008 on an inline governance checklist, model card, decommission plan and risk assessment.

Sign-offs bind: by a person of ownership.yaml entitled to the item (GOV002-GOV004),
committed and signed by them (GOV007, asked of real git with SSH keys the tests make).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from prodready.audit.repo import Repo

from .conftest import MakeRepo
from .helpers import PASSED, TODAY, line_of, outcome, run, text, write
from .poc import OWNERSHIP, catalogue_items

FILE = "governance/checklist.yaml"

CHECKLIST = """
    risk_tier: minimal
    items:
      - id: GOV-001
        title: Accountable roles are named
        frameworks: {eu_ai_act: null, nist_ai_rmf: GOVERN 2.1}
        required_stage: poc
        status: done
        evidence: ownership.yaml
        sign_off: {role: production_owner, name: Amara Okafor, date: "2026-05-01"}
      - id: GOV-011
        title: Risk assessment of likely harms
        required_stage: pilot
        status: todo
        evidence: null
        sign_off: null
      - id: GOV-012
        title: Model card describes data and limitations
        required_stage: pilot
        status: not-applicable
        rationale: The vendor's model card covers it.
        evidence: https://wiki.acme.io/model-card
        sign_off: {role: technical_lead, name: Mei Tanaka, date: "2026-05-01"}
      - id: GOV-021
        title: Decommission plan is agreed
        required_stage: production
        status: done
        evidence: governance/decommission_plan.md
        sign_off: {role: kill_authority, name: Jonas Berg, date: "2026-05-01"}
    """

#: The files the checklist's evidence points at.
EVIDENCE = {"ownership.yaml": text(OWNERSHIP), "governance/decommission_plan.md": "# Plan\n\nDone.\n"}


def checklist(old: str, new: str, after: str = "") -> str:
    start = CHECKLIST.index(after)
    assert old in CHECKLIST[start:], old
    return CHECKLIST[:start] + CHECKLIST[start:].replace(old, new, 1)


# -- GOV001 ---------------------------------------------------------------------------------


MINIMAL = {"risk_tier": "minimal", "ai_act_role": "provider-and-deployer", "annex_iii_area": "none"}
HIGH = {**MINIMAL, "risk_tier": "high", "ai_act_role": "provider", "ai_system_type": "classical-ml"}


def complete(answers: dict[str, str], skip: tuple[str, ...] = ()) -> str:
    """A checklist declaring ``answers``' classification, with what the catalogue requires for it."""
    head = "".join(f"    {key}: {value}\n" for key, value in answers.items() if key != "ai_system_type")
    return f"{head}    items:\n" + catalogue_items(answers, skip)


def answers_file(answers: dict[str, str]) -> dict[str, str]:
    return {
        ".copier-answers.yml": "_src_path: gh:acme/prodready\n" + "".join(f"{k}: {v}\n" for k, v in answers.items())
    }


def test_gov001_passes_on_a_complete_checklist(make_repo: MakeRepo) -> None:
    assert outcome(run("GOV001", make_repo({FILE: complete(MINIMAL)}))) == PASSED
    assert outcome(run("GOV001", make_repo({FILE: complete(HIGH), **answers_file(HIGH)}))) == PASSED


def test_gov001_names_each_missing_item_with_what_it_cites(make_repo: MakeRepo) -> None:
    damaged = complete(HIGH, skip=("HR-012", "GOV-021"))
    finding = run("GOV001", make_repo({FILE: damaged}))
    message = (
        "2 problems: no item GOV-021: Decommission plan is agreed with the owners of the process the system "
        "replaces (GOVERN 1.7); no item HR-012: Events are logged automatically over the system's lifetime "
        "(record-keeping) (Article 12(1); MEASURE 2.8; A.6.2.8)"
    )
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "items:"))


def test_gov001_catches_a_tier_edited_down_to_drop_the_high_risk_items(make_repo: MakeRepo) -> None:
    """The answers say high; the checklist says minimal and holds only the minimal items."""
    tampered = complete(MINIMAL).replace("ai_act_role: provider-and-deployer", "ai_act_role: provider")
    finding = run("GOV001", make_repo({FILE: tampered, **answers_file(HIGH)}))
    assert finding.status == "failed" and (finding.file, finding.line) == (FILE, line_of(tampered, "risk_tier:"))
    assert finding.message.startswith(
        "12 problems: line 1: risk_tier is 'minimal', but the answers recorded at generation"
    )
    assert "no item HR-009" in finding.message and "no item HR-019" in finding.message


def test_gov001_catches_a_catalog_tag_that_disagrees(make_repo: MakeRepo) -> None:
    catalog = (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  tags: [ai-poc, risk-minimal]\n"
    )
    finding = run("GOV001", make_repo({FILE: complete(HIGH), **answers_file(HIGH), "catalog-info.yaml": catalog}))
    message = "catalog-info.yaml is tagged risk-minimal, but the risk tier is high"
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", 5)


def test_gov001_refuses_an_unknown_tier(make_repo: MakeRepo) -> None:
    finding = run("GOV001", make_repo({FILE: "risk_tier: negligible\nitems: []\n"}))
    assert outcome(finding) == ("failed", "risk_tier is 'negligible', not one of limited, minimal, high", FILE, 1)


def test_gov001_fails_when_items_is_not_a_list(make_repo: MakeRepo) -> None:
    finding = run("GOV001", make_repo({FILE: "risk_tier: high\nitems: 3\n"}))
    assert outcome(finding) == ("failed", "items is not a list", FILE, 2)


# -- GOV002-GOV004 --------------------------------------------------------------------------


@pytest.mark.parametrize("check_id", ["GOV002", "GOV004"])
def test_items_due_at_a_stage_pass_when_settled(make_repo: MakeRepo, check_id: str) -> None:
    assert outcome(run(check_id, make_repo({FILE: CHECKLIST, **EVIDENCE}))) == PASSED


def test_gov003_fails_on_a_pilot_item_still_to_do(make_repo: MakeRepo) -> None:
    finding = run("GOV003", make_repo({FILE: CHECKLIST, **EVIDENCE}))
    message = "GOV-011 (Risk assessment of likely harms) is 'todo', required at pilot"
    assert outcome(finding) == ("failed", message, FILE, line_of(CHECKLIST, "status: todo"))


def test_gov003_names_every_open_pilot_item_at_the_first(make_repo: MakeRepo) -> None:
    damaged = (
        checklist("status: not-applicable", "status: in-progress")
        .replace(
            "status: done\n        evidence: governance/decommission_plan.md",
            "status: todo\n        evidence: governance/decommission_plan.md",
        )
        .rstrip(" ")
        + "      - {id: GOV-013, title: AI literacy, required_stage: pilot, status: done}\n"
    )
    finding = run("GOV003", make_repo({FILE: damaged, **EVIDENCE}))
    todo, progress = line_of(damaged, "status: todo"), line_of(damaged, "status: in-progress")
    message = (
        "3 items required by pilot are not done: "
        f"line {todo}: GOV-011 (Risk assessment of likely harms) is 'todo', required at pilot; "
        f"line {progress}: GOV-012's status is 'in-progress', not one of todo, awaiting-sign-off, done, not-applicable; "
        f"line {line_of(damaged, 'GOV-013')}: GOV-013 is done without evidence"
    )
    assert outcome(finding) == ("failed", message, FILE, todo)
    assert "GOV-021" not in finding.message  # due at production: GOV004's


def test_gov003_passes_once_the_pilot_items_are_settled(make_repo: MakeRepo) -> None:
    settled = checklist("status: todo", "status: not-applicable\n        rationale: Minimal risk.").replace(
        "evidence: null\n        sign_off: null",
        'evidence: n/a.md\n        sign_off: {role: technical_lead, name: Mei Tanaka, date: "2026-05-02"}',
    )
    files = {FILE: settled, "n/a.md": "Not applicable: minimal risk.\n", **EVIDENCE}
    assert outcome(run("GOV003", make_repo(files))) == PASSED


@pytest.mark.parametrize(
    ("old", "new", "message", "key"),
    [
        (
            "status: done",
            "status: in-progress",
            "GOV-001's status is 'in-progress', not one of todo, awaiting-sign-off, done, not-applicable",
            "status:",
        ),
        ("evidence: ownership.yaml", "evidence: ''", "GOV-001 is done without evidence", "evidence:"),
        (
            "name: Amara Okafor, ",
            "name: TBD, ",
            "GOV-001 has no sign-off: it awaits production_owner (Amara Okafor)",
            "sign_off:",
        ),
        (', date: "2026-05-01"', "", "GOV-001's sign-off has no date", "sign_off:"),
        (
            "name: Amara Okafor, ",
            "name: Bob, ",
            "GOV-001 is signed by 'Bob', who is not the production_owner of ownership.yaml",
            "sign_off:",
        ),
        (
            'date: "2026-05-01"',
            'date: "2099-01-01"',
            "GOV-001's sign-off is dated 2099-01-01, after today",
            "sign_off:",
        ),
        (
            "role: production_owner, ",
            "",
            "GOV-001's sign-off names no role: it may be signed by production_owner (Amara Okafor)",
            "sign_off:",
        ),
        (
            "role: production_owner, name: Amara Okafor",
            "role: kill_authority, name: Jonas Berg",
            "GOV-001 may be signed by production_owner (Amara Okafor), not by kill_authority",
            "sign_off:",
        ),
        (
            "evidence: ownership.yaml",
            "evidence: docs/gone.md",
            "GOV-001's evidence docs/gone.md does not exist",
            "evidence:",
        ),
    ],
)
def test_gov002_fails_on_an_unsettled_poc_item(make_repo: MakeRepo, old: str, new: str, message: str, key: str) -> None:
    damaged = checklist(old, new)
    finding = run("GOV002", make_repo({FILE: damaged, **EVIDENCE}))
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, key, after="GOV-001"))


def test_gov004_fails_when_the_evidence_file_is_missing(make_repo: MakeRepo) -> None:
    finding = run("GOV004", make_repo({FILE: CHECKLIST, "ownership.yaml": text(OWNERSHIP)}))
    message = "GOV-021's evidence governance/decommission_plan.md does not exist"
    assert outcome(finding) == ("failed", message, FILE, line_of(CHECKLIST, "evidence:", after="GOV-021"))


def test_stage_items_fail_when_the_checklist_is_missing(make_repo: MakeRepo) -> None:
    finding = run("GOV002", make_repo({}))
    assert outcome(finding) == ("failed", f"`{FILE}` is missing", FILE, None)


# -- GOV005-GOV006: documents read by content ------------------------------------------------------------------------


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md")])
def test_documents_pass_when_filled_in(make_repo: MakeRepo, check_id: str, file: str) -> None:
    assert outcome(run(check_id, make_repo({f"governance/{file}": "# Done\n\nEvery section written.\n"}))) == PASSED


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md")])
def test_documents_fail_at_their_only_todo(make_repo: MakeRepo, check_id: str, file: str) -> None:
    long = "Out of scope: TODO: the uses the system must not be put to, " + "and more " * 10
    document = f"# Card\n\n- Intended use: triage.\n   - {long}\n- Done\n"
    finding = run(check_id, make_repo({f"governance/{file}": document}))
    message = f"still says TODO: {('- ' + long)[:80]}"
    assert outcome(finding) == ("failed", message, f"governance/{file}", 4)


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md")])
def test_documents_name_every_todo_at_the_first(make_repo: MakeRepo, check_id: str, file: str) -> None:
    document = "# Card\n\n- Intended use: TODO\n- Data: known.\n- Evaluation: TODO (metrics)\n\nTODO: limits\n"
    finding = run(check_id, make_repo({f"governance/{file}": document}))
    message = "3 lines still say TODO: line 3: - Intended use: TODO; line 5: - Evaluation: TODO (metrics); line 7: TODO: limits"
    assert outcome(finding) == ("failed", message, f"governance/{file}", 3)


@pytest.mark.parametrize("count", [20, 21, 45])
def test_a_long_list_of_todos_is_cut_at_twenty_and_counted(make_repo: MakeRepo, count: int) -> None:
    document = "".join(f"TODO {n}\n" for n in range(1, count + 1))
    finding = run("GOV005", make_repo({"governance/model_card.md": document}))
    listed = "; ".join(f"line {n}: TODO {n}" for n in range(1, 21))
    more = f"; and {count - 20} more" if count > 20 else ""
    assert outcome(finding) == (
        "failed",
        f"{count} lines still say TODO: {listed}{more}",
        "governance/model_card.md",
        1,
    )


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md"), ("GOV006", "decommission_plan.md")])
def test_documents_fail_when_missing(make_repo: MakeRepo, check_id: str, file: str) -> None:
    finding = run(check_id, make_repo({}))
    assert outcome(finding) == ("failed", f"`governance/{file}` is missing", f"governance/{file}", None)


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        ("../outside/secret.txt", "`../outside/secret.txt` climbs out of the repository with `..`"),
        ("/etc/hostname", "`/etc/hostname` is an absolute path, not a file of the repository"),
        ("linked/secret.txt", "`linked/secret.txt` is in `linked`, a symbolic link leaving the repository"),
    ],
)
def test_gov002_fails_on_evidence_outside_the_repository(make_repo: MakeRepo, evidence: str, reason: str) -> None:
    damaged = checklist("evidence: ownership.yaml", f"evidence: {evidence}")
    repo = make_repo({FILE: damaged, **EVIDENCE})
    (repo.root / "linked").symlink_to("/etc")
    finding = run("GOV002", repo)
    assert (finding.status, finding.file, finding.line) == ("failed", FILE, line_of(damaged, "evidence:"))
    assert finding.message.startswith(f"GOV-001's evidence {reason}")


def test_documents_linked_outside_are_not_read(make_repo: MakeRepo, tmp_path) -> None:
    (tmp_path / "plan.md").write_text("TODO: the outside world\n", encoding="utf-8")
    repo = make_repo({"governance/model_card.md": "# Card\n"})
    (repo.root / "governance" / "decommission_plan.md").symlink_to(tmp_path / "plan.md")
    finding = run("GOV006", repo)
    assert finding.status == "failed" and "symbolic link leaving the repository" in finding.message
    assert "outside world" not in finding.message


PLAN = """# Decommission plan

| # | step | owner | due (days after the kill) | done |
|---|---|---|---|---|
| 1 | Switch traffic to the fallback \\| the manual queue. | production_owner | 0 | |
| 2 | Delete the data copies. | technical_lead | 45 | |
| 3 | Page the on-call team. | `oncall` | 1 | |
"""
KILL = """---
decision: kill
date: 2026-05-01
decided_by: {role: kill_authority, name: Jonas Berg}
reason: The KPI did not move in eight weeks.
stage: poc
---

# Decision 0001: kill
"""


def plan_repo(make_repo: MakeRepo, plan: str = PLAN, killed: bool = False) -> Repo:
    files = {"ownership.yaml": text(OWNERSHIP), "governance/decommission_plan.md": plan}
    if killed:
        files["decisions/0001-2026-05-01-kill.md"] = KILL
    return make_repo(files)


def test_gov006_passes_when_every_step_has_an_owner_and_a_deadline(make_repo: MakeRepo) -> None:
    assert outcome(run("GOV006", plan_repo(make_repo))) == PASSED


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("| production_owner | 0 |", "| Bob | 0 |", "step 1's owner 'Bob' is not a role of ownership.yaml"),
        ("| production_owner | 0 |", "|  | 0 |", "step 1's owner names no owner: a role of ownership.yaml"),
        ("| production_owner | 0 |", "| production_owner | TODO |", "step 1's deadline 'TODO' is not a number"),
    ],
)
def test_gov006_fails_on_a_step_without_owner_or_deadline(
    make_repo: MakeRepo, old: str, new: str, message: str
) -> None:
    finding = run("GOV006", plan_repo(make_repo, PLAN.replace(old, new)))
    assert (finding.status, finding.file, finding.line) == ("failed", "governance/decommission_plan.md", 5)
    assert finding.message.startswith(message)


def test_gov006_fails_on_a_plan_without_a_table_of_steps(make_repo: MakeRepo) -> None:
    finding = run("GOV006", plan_repo(make_repo, "# Plan\n\n1. Switch it off.\n"))
    assert outcome(finding) == (
        "failed",
        "has no table of steps with owner and due columns",
        "governance/decommission_plan.md",
        None,
    )


def test_gov006_after_a_kill_wants_every_step_past_its_deadline_done(make_repo: MakeRepo) -> None:
    # Killed 2026-05-01, audited 2026-06-01 (TODAY): steps 1 and 3 are past due, step 2 (45 days) is not yet.
    finding = run("GOV006", plan_repo(make_repo, killed=True))
    assert finding.status == "failed" and finding.line == 5
    assert finding.message == (
        "2 decommission steps are not owned, dated or done: "
        "line 5: step 1 (production_owner) was due 2026-05-01: write the date it was done; "
        "line 7: step 3 (oncall) was due 2026-05-02: write the date it was done"
    )
    done = PLAN.replace("| 0 | |", "| 0 | 2026-05-01 |").replace("| 1 | |", "| 1 | 2026-05-03 |")
    assert outcome(run("GOV006", plan_repo(make_repo, done, killed=True))) == PASSED
    future = done.replace("2026-05-03", "2026-07-01")
    assert run("GOV006", plan_repo(make_repo, future, killed=True)).status == "failed"


RISKS = """# Risk assessment

| risk | affected people | likelihood | severity | mitigation | owner |
|---|---|---|---|---|---|
| Wrong decision acted on | users | medium | high | A person reviews every reply before it is sent. | Amara Okafor |
| Bias against a group | data subjects | low | high | Monthly fairness review on the held-out set. | Lucas Bernard |

Residual risk accepted by: Jonas Berg, on 2026-05-20.
"""


def test_gov008_passes_on_a_complete_risk_assessment(make_repo: MakeRepo) -> None:
    repo = make_repo({"ownership.yaml": text(OWNERSHIP), "governance/risk_assessment.md": RISKS})
    assert outcome(run("GOV008", repo)) == PASSED


def test_gov008_does_not_apply_without_a_risk_assessment(make_repo: MakeRepo) -> None:
    assert run("GOV008", make_repo({"ownership.yaml": text(OWNERSHIP)})).status == "skipped"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("| medium | high |", "| TODO | high |", "line 5: Wrong decision acted on: likelihood 'TODO' is not one of"),
        ("A person reviews every reply before it is sent.", "TODO", "line 5: Wrong decision acted on: no mitigation"),
        ("| Amara Okafor |", "| Bob |", "line 5: Wrong decision acted on: owner 'Bob' is not a person"),
        ("| medium | high |", "| medium |", "line 5: the row has 5 cells, the header 6"),
        ("Jonas Berg, on 2026-05-20", "TODO (name), on TODO", "line 8: the residual risk is not accepted"),
        ("on 2026-05-20", "on 2099-01-01", "line 8: the residual risk's acceptance date '2099-01-01' is not a past"),
    ],
)
def test_gov008_fails_on_a_risk_not_assessed(make_repo: MakeRepo, old: str, new: str, message: str) -> None:
    damaged = RISKS.replace(old, new)
    finding = run("GOV008", make_repo({"ownership.yaml": text(OWNERSHIP), "governance/risk_assessment.md": damaged}))
    assert finding.status == "failed" and finding.file == "governance/risk_assessment.md"
    assert f"line {finding.line}: {finding.message}".startswith(message) or finding.message.split(": ", 1)[
        1
    ].startswith(message), finding.message


# -- Sign-offs that bind ---------------------------------------------------------------------

AMARA = ("Amara Okafor", "amara.okafor@acme.io")  # production_owner
JONAS = ("Jonas Berg", "jonas.berg@acme.io")  # kill_authority

AWAITING = """
    risk_tier: minimal
    items:
      - id: GOV-001
        title: Accountable roles are named
        required_stage: poc
        status: awaiting-sign-off
        evidence: ownership.yaml
        sign_off: null
      - id: GOV-003
        title: A go/no-go decision date and kill criteria are set
        required_stage: poc
        status: awaiting-sign-off
        evidence: ownership.yaml
        sign_off: null
    """

SIGNED = AWAITING.replace(
    "status: awaiting-sign-off\n        evidence: ownership.yaml\n        sign_off: null",
    'status: done\n        evidence: ownership.yaml\n        sign_off: {role: production_owner, name: Amara Okafor, date: "2026-05-01"}',
    1,
)


def files(checklist: str = AWAITING, ownership: str = OWNERSHIP) -> dict[str, str | bytes]:
    return {FILE: text(checklist), "ownership.yaml": text(ownership)}


# -- nothing attested at generation: awaiting a sign-off ------------------------------------------


def test_items_awaiting_a_sign_off_pass_at_poc(tmp_path: Path) -> None:
    assert outcome(run("GOV002", Repo(write(tmp_path, files()), TODAY))) == PASSED


def test_at_pilot_the_audit_says_which_items_await_whom(tmp_path: Path) -> None:
    finding = run("GOV003", Repo(write(tmp_path, files()), TODAY))
    body = AWAITING
    message = (
        "2 items required by pilot are not done: "
        f"line {line_of(body, 'sign_off:')}: GOV-001 (Accountable roles are named) awaits a sign-off by "
        "production_owner (Amara Okafor); "
        f"line {line_of(body, 'sign_off:', after='GOV-003')}: GOV-003 (A go/no-go decision date and kill criteria "
        "are set) awaits a sign-off by kill_authority (Jonas Berg)"
    )
    assert outcome(finding) == ("failed", message, FILE, line_of(body, "sign_off:"))


def test_an_awaiting_item_still_needs_its_evidence_at_poc(tmp_path: Path) -> None:
    damaged = AWAITING.replace("evidence: ownership.yaml", "evidence: null", 1)
    finding = run("GOV002", Repo(write(tmp_path, files(damaged)), TODAY))
    assert outcome(finding)[1] == "GOV-001 is awaiting-sign-off without evidence"


def test_the_checklist_cannot_widen_who_signs_a_template_item(tmp_path: Path) -> None:
    """GOV-003 belongs to the kill authority, whatever the repository's signers say."""
    head, tail = AWAITING.split("- id: GOV-003")
    widened = (
        head
        + "- id: GOV-003"
        + tail.replace(
            "status: awaiting-sign-off\n        evidence: ownership.yaml\n        sign_off: null",
            "signers: [production_owner]\n        status: done\n        evidence: ownership.yaml\n"
            '        sign_off: {role: production_owner, name: Amara Okafor, date: "2026-05-01"}',
        )
    )
    finding = run("GOV003", Repo(write(tmp_path, files(widened)), TODAY))
    assert "GOV-003 may be signed by kill_authority (Jonas Berg), not by production_owner" in finding.message


def test_a_teams_own_item_is_signed_by_the_roles_it_lists(tmp_path: Path) -> None:
    own = (
        text(SIGNED).replace("GOV-003", "ACME-001")
        + "  - id: ACME-002\n    title: Works council informed\n    required_stage: poc\n    signers: [business_owner]\n"
        "    status: done\n    evidence: ownership.yaml\n"
        '    sign_off: {role: business_owner, name: Lucas Bernard, date: "2026-05-01"}\n'
    )
    assert (
        outcome(run("GOV002", Repo(write(tmp_path, {FILE: own, "ownership.yaml": text(OWNERSHIP)}), TODAY))) == PASSED
    )


def test_not_applicable_needs_a_rationale(tmp_path: Path) -> None:
    damaged = SIGNED.replace("status: done", "status: not-applicable", 1)
    finding = run("GOV002", Repo(write(tmp_path, files(damaged)), TODAY))
    assert outcome(finding) == (
        "failed",
        "GOV-001 is not-applicable without a rationale",
        FILE,
        line_of(damaged, "status: not-applicable"),
    )


def test_the_data_owner_signs_by_the_email_of_ownership_data(tmp_path: Path) -> None:
    item = (
        "  - id: GOV-004\n    title: Each input data set has a data contract\n    required_stage: poc\n"
        "    status: done\n    evidence: ownership.yaml\n"
        '    sign_off: {{role: data_owner, name: Jonas Berg, email: {email}, date: "2026-05-01"}}\n'
    )
    signed = write(tmp_path / "ok", {FILE: text(SIGNED) + item.format(email="jonas.berg@acme.io"), **files()})
    # GOV-004 is due at the pilot (the catalogue's stage, whatever required_stage says): GOV003 checks it.
    assert "GOV-004" not in run("GOV003", Repo(signed, TODAY)).message
    other = write(tmp_path / "other", {**files(), FILE: text(SIGNED) + item.format(email="eve@evil.example")})
    assert (
        "GOV-004's sign-off by the data owner needs the email of a data set's owner"
        in run("GOV003", Repo(other, TODAY)).message
    )


# -- GOV007: committed and signed by that person ------------------------------------------------


def git(root: Path, *args: str, who: tuple[str, str] = AMARA, key: Path | OpenPgpKey | None = None) -> None:
    name, email = who
    config = ["-c", f"user.name={name}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false"]
    environment = None
    if isinstance(key, OpenPgpKey):
        config += ["-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", f"user.signingkey={key.fingerprint}"]
        environment = {**os.environ, "GNUPGHOME": str(key.home)}
    elif key is not None:
        config += ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"]
    signing = ["-S"] if key is not None and args[0] == "commit" else []
    subprocess.run(["git", *config, *args, *signing], cwd=root, check=True, capture_output=True, env=environment)


@dataclass(frozen=True)
class OpenPgpKey:
    """A GnuPG home holding one new signing key, its fingerprint and its armored public key."""

    home: Path
    fingerprint: str
    public: str


def openpgp_key(folder: Path, name: str, email: str) -> OpenPgpKey:
    home = folder / "gnupg"  # short: the agent's socket path must fit in 108 bytes
    home.mkdir(parents=True, mode=0o700)
    environment = {**os.environ, "GNUPGHOME": str(home)}

    def gpg(*args: str) -> str:
        done = subprocess.run(["gpg", "--batch", "--quiet", *args], env=environment, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    gpg("--passphrase", "", "--quick-gen-key", f"{name} <{email}>", "ed25519", "sign", "never")
    listing = gpg("--with-colons", "--list-secret-keys")
    fingerprint = next(row.split(":")[9] for row in listing.splitlines() if row.startswith("fpr:"))
    return OpenPgpKey(home, fingerprint, gpg("--armor", "--export", fingerprint))


@pytest.fixture
def stop_agents():
    """GnuPG starts an agent per home to sign; stop them when the test ends."""
    homes: list[Path] = []
    yield homes
    for home in homes:
        subprocess.run(["gpgconf", "--kill", "all"], env={**os.environ, "GNUPGHOME": str(home)}, check=False)


def ssh_key(folder: Path, name: str) -> tuple[Path, str]:
    """A new ed25519 key pair: the private key's path and the public key's line."""
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)], check=True)
    return private, private.with_suffix(".pub").read_text(encoding="utf-8").strip()


def repository(tmp_path: Path, ownership: str = OWNERSHIP) -> Path:
    """A git repository whose first commit, by the technical lead, holds the checklist awaiting sign-offs."""
    root = write(tmp_path / "poc", files(ownership=ownership))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Generated POC", who=("Mei Tanaka", "mei.tanaka@acme.io"))
    return root


def sign(root: Path, who: tuple[str, str] = AMARA, key: Path | None = None) -> None:
    (root / FILE).write_text(text(SIGNED), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Sign off GOV-001", who=who, key=key)


def test_a_sign_off_committed_by_its_signer_passes(tmp_path: Path) -> None:
    root = repository(tmp_path)
    sign(root)
    assert outcome(run("GOV007", Repo(root, TODAY))) == PASSED


def test_a_sign_off_committed_by_someone_else_fails(tmp_path: Path) -> None:
    root = repository(tmp_path)
    sign(root, who=("Mei Tanaka", "mei.tanaka@acme.io"))
    finding = run("GOV007", Repo(root, TODAY))
    assert finding.status == "failed"
    assert finding.message.startswith("GOV-001's sign-off by Amara Okafor was committed by mei.tanaka@acme.io (")
    assert (finding.file, finding.line) == (FILE, line_of(SIGNED, "sign_off:"))


def with_key(public: str) -> str:
    return OWNERSHIP.replace(
        "production_owner: {name: Amara Okafor, email: amara.okafor@acme.io}",
        f'production_owner: {{name: Amara Okafor, email: amara.okafor@acme.io, signing_key: "{public}"}}',
    )


def test_a_commit_signed_with_the_signers_key_passes(tmp_path: Path) -> None:
    private, public = ssh_key(tmp_path / "keys", "amara")
    root = repository(tmp_path, with_key(public))
    sign(root, key=private)
    assert outcome(run("GOV007", Repo(root, TODAY))) == PASSED


@pytest.mark.parametrize("signed", [True, False], ids=["another-key", "unsigned"])
def test_a_commit_not_signed_with_the_signers_key_fails(tmp_path: Path, signed: bool) -> None:
    _, public = ssh_key(tmp_path / "keys", "amara")
    intruder, _ = ssh_key(tmp_path / "keys", "intruder")
    root = repository(tmp_path, with_key(public))
    sign(root, key=intruder if signed else None)
    finding = run("GOV007", Repo(root, TODAY))
    assert finding.status == "failed"
    assert "not signed with Amara Okafor's signing_key" in finding.message


def test_the_repositorys_git_config_runs_no_program(tmp_path: Path) -> None:
    """A hostile .git/config naming a verifier or fsmonitor program is overridden, never run."""
    private, public = ssh_key(tmp_path / "keys", "amara")
    root = repository(tmp_path, with_key(public))
    sign(root, key=private)
    marker = tmp_path / "ran"
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\ntouch {marker}\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    for setting in ("gpg.ssh.program", "core.fsmonitor", "core.pager", "gpg.program"):
        subprocess.run(["git", "config", setting, str(program)], cwd=root, check=True)
    assert outcome(run("GOV007", Repo(root, TODAY))) == PASSED
    assert not marker.exists()


def test_sign_offs_outside_git_history_cannot_be_verified(tmp_path: Path) -> None:
    root = write(tmp_path / "plain", files(SIGNED))
    finding = run("GOV007", Repo(root, TODAY))
    assert finding.status == "failed"
    assert finding.message.startswith("GOV-001's sign-off cannot be verified: its git history cannot be read")


def test_a_shallow_clone_is_told_to_fetch_the_history(tmp_path: Path) -> None:
    root = repository(tmp_path)
    sign(root)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    finding = run("GOV007", Repo(clone, TODAY))
    assert "the clone is shallow: fetch the whole history" in finding.message


def test_nothing_signed_needs_no_history(tmp_path: Path) -> None:
    assert outcome(run("GOV007", Repo(write(tmp_path, files()), TODAY))) == PASSED


def test_every_signer_is_a_role_ownership_yaml_can_hold() -> None:
    from prodready.core.people import LATER_ROLES, ROLE_KEYS
    from prodready.core.signoffs import DATA_OWNER, SIGNERS

    known = {*ROLE_KEYS, *LATER_ROLES, DATA_OWNER}
    assert {role for roles in SIGNERS.values() for role in roles} <= known


def with_openpgp_key(public: str) -> str:
    """OWNERSHIP with Amara's key as a block scalar (OWNERSHIP is indented by four, dedented when written)."""
    block = "\n".join(f"          {line}" for line in public.strip().splitlines())
    holder = (
        "production_owner:\n        name: Amara Okafor\n        email: amara.okafor@acme.io\n        signing_key: |\n"
    )
    return OWNERSHIP.replace("production_owner: {name: Amara Okafor, email: amara.okafor@acme.io}", holder + block)


def test_a_commit_signed_with_the_signers_openpgp_key_passes(tmp_path: Path, stop_agents) -> None:
    amara = openpgp_key(tmp_path / "a", "Amara Okafor", "amara.okafor@acme.io")
    stop_agents.append(amara.home)
    ownership = with_openpgp_key(amara.public)
    root = repository(tmp_path, ownership)
    assert "BEGIN PGP PUBLIC KEY BLOCK" in yaml.safe_load(text(ownership))["roles"]["production_owner"]["signing_key"]
    sign(root, key=amara)
    assert outcome(run("GOV007", Repo(root, TODAY))) == PASSED


def test_a_commit_signed_with_another_openpgp_key_fails_whatever_its_user_id(tmp_path: Path, stop_agents) -> None:
    """The intruder's key claims Amara's name and address: only the key of ownership.yaml counts."""
    amara = openpgp_key(tmp_path / "a", "Amara Okafor", "amara.okafor@acme.io")
    intruder = openpgp_key(tmp_path / "b", "Amara Okafor", "amara.okafor@acme.io")
    stop_agents.extend([amara.home, intruder.home])
    root = repository(tmp_path, with_openpgp_key(amara.public))
    sign(root, key=intruder)
    finding = run("GOV007", Repo(root, TODAY))
    assert finding.status == "failed"
    assert "not signed with Amara Okafor's signing_key" in finding.message


def test_a_signing_key_of_no_known_format_is_named(tmp_path: Path) -> None:
    root = repository(tmp_path, with_key("AAAA-not-a-key"))
    sign(root)
    finding = run("GOV007", Repo(root, TODAY))
    assert "their signing_key in ownership.yaml is neither an SSH public key line nor an OpenPGP" in finding.message


# -- GOV009: the DPIA and the AI literacy record ------------------------------------------

LITERACY = """# AI literacy

| person | role | what they do with it | trained on | by |
|---|---|---|---|---|
| Amara Okafor | production owner | runs it | 2026-05-02 | Sofia Rossi |
| Mei Tanaka | technical lead | builds it | | |
"""


def test_gov009_names_each_person_not_yet_trained(make_repo: MakeRepo) -> None:
    finding = run("GOV009", make_repo({"docs/ai_literacy.md": LITERACY}))
    message = "Mei Tanaka has no training date and trainer"
    assert outcome(finding) == ("failed", message, "docs/ai_literacy.md", line_of(LITERACY, "| Mei Tanaka"))


def test_gov009_passes_once_everyone_is_trained_and_the_dpia_is_complete(make_repo: MakeRepo) -> None:
    trained = LITERACY.replace("| builds it | | |", "| builds it | 2026-05-03 | Sofia Rossi |")
    files = {"docs/ai_literacy.md": trained, "governance/dpia.md": "# DPIA\n\nRetention: 30 days.\n"}
    assert outcome(run("GOV009", make_repo(files))) == PASSED


def test_gov009_refuses_a_training_date_in_the_future(make_repo: MakeRepo) -> None:
    future = LITERACY.replace("2026-05-02", str(TODAY.replace(year=TODAY.year + 1)))
    future = future.replace("| builds it | | |", "| builds it | 2026-05-03 | Sofia Rossi |")
    finding = run("GOV009", make_repo({"docs/ai_literacy.md": future}))
    assert finding.message == "Amara Okafor has no training date and trainer"


def test_gov009_finds_the_dpia_still_a_draft(make_repo: MakeRepo) -> None:
    trained = LITERACY.replace("| builds it | | |", "| builds it | 2026-05-03 | Sofia Rossi |")
    draft = "# DPIA\n\nRetention: TODO: how long.\n"
    finding = run("GOV009", make_repo({"docs/ai_literacy.md": trained, "governance/dpia.md": draft}))
    assert outcome(finding) == ("failed", "still says TODO: Retention: TODO: how long.", "governance/dpia.md", 3)


def test_gov001_a_high_risk_assessment_means_the_tier_is_high(make_repo: MakeRepo) -> None:
    finding = run("GOV001", make_repo({FILE: complete(MINIMAL), "governance/risk_assessment.md": "# Risks\n"}))
    message = "governance/risk_assessment.md is a high-risk system's assessment, but the risk tier is minimal"
    assert outcome(finding) == ("failed", message, FILE, line_of(complete(MINIMAL), "risk_tier:"))


def test_gov001_a_catalog_entity_without_its_risk_tag_fails(make_repo: MakeRepo) -> None:
    catalog = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  tags: [ai-poc]\n"
    finding = run("GOV001", make_repo({FILE: complete(MINIMAL), "catalog-info.yaml": catalog}))
    message = "catalog-info.yaml is not tagged risk-<tier>, but the risk tier is minimal"
    assert outcome(finding) == ("failed", message, "catalog-info.yaml", 5)


def test_editing_required_stage_defers_nothing(make_repo: MakeRepo) -> None:
    """GOV-011 is due at the pilot in the catalogue; a copy that says production is still checked at pilot."""
    deferred = checklist(
        "required_stage: pilot\n        status: todo", "required_stage: production\n        status: todo"
    )
    finding = run("GOV003", make_repo({FILE: deferred, **EVIDENCE}))
    assert "required_stage: production" in deferred
    assert finding.message == "GOV-011 (Risk assessment of likely harms) is 'todo', required at pilot"
