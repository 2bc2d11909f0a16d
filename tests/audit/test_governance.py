"""GOV001-GOV006 on an inline governance checklist, model card and decommission plan."""

from __future__ import annotations

import pytest

from .conftest import MakeRepo
from .helpers import PASSED, line_of, outcome, run

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
        sign_off: {name: Amara Okafor, date: "2026-05-01"}
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
        evidence: https://wiki.acme.io/model-card
        sign_off: {name: Amara Okafor, date: "2026-05-01"}
      - id: GOV-020
        title: Decommission plan is agreed
        required_stage: production
        status: done
        evidence: governance/decommission_plan.md
        sign_off: {name: Amara Okafor, date: "2026-05-01"}
    """

#: The files the checklist's evidence points at.
EVIDENCE = {"ownership.yaml": "project: ticket-triage\n", "governance/decommission_plan.md": "# Plan\n\nDone.\n"}


def checklist(old: str, new: str, after: str = "") -> str:
    start = CHECKLIST.index(after)
    assert old in CHECKLIST[start:], old
    return CHECKLIST[:start] + CHECKLIST[start:].replace(old, new, 1)


def high_risk(articles: range) -> str:
    """The checklist of a high-risk system with an item per EU AI Act article of ``articles``."""
    items = "".join(
        f"      - {{id: HR-{n:03}, title: Article {n} duty, frameworks: {{eu_ai_act: Article {n}}}}}\n"
        for n in articles
    )
    return checklist("risk_tier: minimal", "risk_tier: high").rstrip(" ") + items


# -- GOV001 ---------------------------------------------------------------------------------


def test_gov001_passes_on_a_complete_checklist(make_repo: MakeRepo) -> None:
    assert outcome(run("GOV001", make_repo({FILE: CHECKLIST}))) == PASSED


def test_gov001_passes_on_a_high_risk_checklist_with_every_article(make_repo: MakeRepo) -> None:
    assert outcome(run("GOV001", make_repo({FILE: high_risk(range(9, 16))}))) == PASSED


def test_gov001_fails_on_a_high_risk_checklist_missing_an_article(make_repo: MakeRepo) -> None:
    damaged = high_risk(range(9, 12))
    finding = run("GOV001", make_repo({FILE: damaged}))
    message = "high-risk system: no item for EU AI Act Article 12, Article 13, Article 14, Article 15"
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "items:"))


def test_gov001_fails_without_a_decommission_item(make_repo: MakeRepo) -> None:
    damaged = checklist("title: Decommission plan is agreed", "title: Runbook is agreed")
    finding = run("GOV001", make_repo({FILE: damaged}))
    assert outcome(finding) == ("failed", "no checklist item about decommission", FILE, line_of(damaged, "items:"))


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
        "3 items required at pilot are not done: "
        f"line {todo}: GOV-011 (Risk assessment of likely harms) is 'todo', required at pilot; "
        f"line {progress}: GOV-012 (Model card describes data and limitations) is 'in-progress', required at pilot; "
        f"line {line_of(damaged, 'GOV-013')}: GOV-013 is done without evidence"
    )
    assert outcome(finding) == ("failed", message, FILE, todo)
    assert "GOV-020" not in finding.message  # due at production: GOV004's


def test_gov001_names_every_missing_duty(make_repo: MakeRepo) -> None:
    damaged = high_risk(range(9, 15)).replace("Decommission plan", "Exit plan").replace("Risk assessment", "Harms")
    finding = run("GOV001", make_repo({FILE: damaged}))
    message = (
        "2 problems: high-risk system: no item for EU AI Act Article 15; "
        "no checklist item about risk assessment, decommission"
    )
    assert outcome(finding) == ("failed", message, FILE, line_of(damaged, "items:"))


def test_gov003_passes_once_the_pilot_items_are_settled(make_repo: MakeRepo) -> None:
    settled = checklist("status: todo", "status: not-applicable").replace(
        "evidence: null\n        sign_off: null",
        'evidence: n/a.md\n        sign_off: {name: Amara Okafor, date: "2026-05-02"}',
    )
    assert outcome(run("GOV003", make_repo({FILE: settled, "n/a.md": "Not applicable: minimal risk.\n"}))) == PASSED


@pytest.mark.parametrize(
    ("old", "new", "message", "key"),
    [
        (
            "status: done",
            "status: in-progress",
            "GOV-001 (Accountable roles are named) is 'in-progress', required at poc",
            "status:",
        ),
        ("evidence: ownership.yaml", "evidence: ''", "GOV-001 is done without evidence", "evidence:"),
        ("name: Amara Okafor, ", "name: TBD, ", "GOV-001 has no sign-off (name and date)", "sign_off:"),
        (', date: "2026-05-01"', "", "GOV-001 has no sign-off (name and date)", "sign_off:"),
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
    finding = run("GOV004", make_repo({FILE: CHECKLIST}))
    message = "GOV-020's evidence governance/decommission_plan.md does not exist"
    assert outcome(finding) == ("failed", message, FILE, line_of(CHECKLIST, "evidence:", after="GOV-020"))


def test_stage_items_fail_when_the_checklist_is_missing(make_repo: MakeRepo) -> None:
    finding = run("GOV002", make_repo({}))
    assert outcome(finding) == ("failed", f"`{FILE}` is missing", FILE, None)


# -- GOV005-GOV006 --------------------------------------------------------------------------


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md"), ("GOV006", "decommission_plan.md")])
def test_documents_pass_when_filled_in(make_repo: MakeRepo, check_id: str, file: str) -> None:
    assert outcome(run(check_id, make_repo({f"governance/{file}": "# Done\n\nEvery section written.\n"}))) == PASSED


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md"), ("GOV006", "decommission_plan.md")])
def test_documents_fail_at_their_only_todo(make_repo: MakeRepo, check_id: str, file: str) -> None:
    long = "Out of scope: TODO: the uses the system must not be put to, " + "and more " * 10
    document = f"# Card\n\n- Intended use: triage.\n   - {long}\n- Done\n"
    finding = run(check_id, make_repo({f"governance/{file}": document}))
    message = f"still says TODO: {('- ' + long)[:80]}"
    assert outcome(finding) == ("failed", message, f"governance/{file}", 4)


@pytest.mark.parametrize(("check_id", "file"), [("GOV005", "model_card.md"), ("GOV006", "decommission_plan.md")])
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
