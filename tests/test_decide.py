"""``prodready decide`` on a generated POC: the record, what it moves, what it refuses, and the audit after it.

The repositories are copies of the examples the session renders (copier: they carry
the answers file the first decision date comes from), made git repositories so that
the audit can ask who committed a decision.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from prodready.audit.decisions import read_decisions
from prodready.audit.engine import audit_repository
from prodready.audit.repo import Repo
from prodready.cli import main

from .helpers import run

TODAY = date.today()
FIRST = TODAY + timedelta(days=90)  # the examples' decision date: the default, a quarter after generation
LUCAS = {"GIT_AUTHOR_NAME": "Lucas Bernard", "GIT_AUTHOR_EMAIL": "lucas.bernard@example.com"}
MEI = {"GIT_AUTHOR_NAME": "Mei Tanaka", "GIT_AUTHOR_EMAIL": "mei.tanaka@example.com"}


def git(root: Path, *args: str, who: dict[str, str] = MEI) -> str:
    identity = {**who, "GIT_COMMITTER_NAME": who["GIT_AUTHOR_NAME"], "GIT_COMMITTER_EMAIL": who["GIT_AUTHOR_EMAIL"]}
    proc = run(["git", "-c", "commit.gpgsign=false", *args], cwd=root, env={**os.environ, **identity})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def poc(rendered, tmp_path) -> Path:
    """A committed copy of the support-assistant example (kill authority: Lucas Bernard)."""
    root = tmp_path / "poc"
    shutil.copytree(rendered[("support-assistant", "copier")].destination, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Generated POC")
    return root


def decide(root: Path, *args: str, today: date = TODAY) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["decide", *args, str(root), "--today", str(today)])
    return result.exit_code, result.output


def finding(root: Path, check_id: str, today: date = TODAY):
    return next(f for f in audit_repository(root, today=today).findings if f.id == check_id)


def test_an_extension_moves_the_decision_date_and_records_who_and_why(poc: Path) -> None:
    until = FIRST + timedelta(days=60)
    code, output = decide(
        poc, "extend", "--reason", "Access to the ticket history took six weeks.", "--until", str(until)
    )
    assert code == 0, output
    [record], problems = read_decisions(Repo(poc, TODAY))
    assert problems == []
    assert (record.kind, record.role, record.name, record.decision_date) == (
        "extend",
        "kill_authority",
        "Lucas Bernard",
        until,
    )
    assert record.file == f"decisions/0001-{TODAY}-extend.md"
    text = (poc / record.file).read_text(encoding="utf-8")
    assert "## The evidence at the time of the decision" in text and "### Recommendation: measure first" in text
    assert f'decision_date: "{until}"' in (poc / "ownership.yaml").read_text(encoding="utf-8")
    assert "commit it as Lucas Bernard <lucas.bernard@example.com>" in output
    assert finding(poc, "BUS002").status == "passed"
    # The plan moves with it: the decision and every later milestone, 60 days on, in order.
    plan = yaml.safe_load((poc / "plan" / "milestones.yaml").read_text(encoding="utf-8"))
    dates = {m["name"]: date.fromisoformat(m["date"]) for m in plan["milestones"]}
    assert dates["poc-start"] == TODAY and dates["decision"] == until
    assert dates["production"] - dates["pilot-start"] == timedelta(days=91)
    assert finding(poc, "PLN001").status == "passed"


def test_moving_the_date_by_hand_is_a_finding_with_file_and_line(poc: Path) -> None:
    ownership = poc / "ownership.yaml"
    moved = ownership.read_text(encoding="utf-8").replace(f'decision_date: "{FIRST}"', 'decision_date: "2031-01-01"')
    ownership.write_text(moved, encoding="utf-8")
    result = finding(poc, "BUS002")
    line = next(n for n, text in enumerate(moved.splitlines(), 1) if "decision_date" in text)
    assert (result.status, result.file, result.line) == ("failed", "ownership.yaml", line)
    assert result.message.startswith(f"decision_date 2031-01-01 is not {FIRST}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("go", "--reason", "It works."), "error: pyproject.toml: at stage poc a go is a move to the pilot"),
        (("production", "--reason", "It works."), "a production decision moves a pilot"),
        (("extend", "--reason", "More time."), "error: --until: an extension needs the new decision date"),
        (("extend", "--reason", "More time.", "--until", "2099-01-01"), "extensions reach at most 183 days"),
        (("kill", "--reason", "TBD"), "error: --reason: is empty or a placeholder"),
        (("pilot", "--reason", "Go.", "--until", "2099-01-01"), "a pilot sets its own date"),
    ],
)
def test_what_no_decision_can_do_is_refused_and_nothing_is_written(
    poc: Path, args: tuple[str, ...], message: str
) -> None:
    code, output = decide(poc, *args)
    assert code == 2 and message in output and len(output.strip().splitlines()) == 1, output
    assert git(poc, "status", "--porcelain") == ""


def test_the_pilot_decision_moves_the_stage_and_binds_once_the_kill_authority_commits_it(poc: Path) -> None:
    code, output = decide(poc, "pilot", "--reason", "The KPI moved from 6.5 to 3.6 hours in the POC.")
    assert code == 0, output
    assert 'stage = "pilot"' in (poc / "pyproject.toml").read_text(encoding="utf-8")
    review = TODAY + timedelta(days=90)
    assert f'decision_date: "{review}"' in (poc / "ownership.yaml").read_text(encoding="utf-8")
    git(poc, "add", "-A")
    git(poc, "commit", "-q", "-m", "Decision: pilot")  # by the technical lead
    result = finding(poc, "BUS004")
    assert result.status == "failed" and result.file == f"decisions/0001-{TODAY}-pilot.md"
    assert "the decision by Lucas Bernard was committed by mei.tanaka@example.com" in result.message
    git(poc, "commit", "-q", "--amend", "--no-edit", "--reset-author", who=LUCAS)
    assert finding(poc, "BUS004").status == "passed"
    # A pilot past its review date lingers no more than a POC does.
    late = finding(poc, "BUS002", today=review + timedelta(days=3))
    assert late.status == "failed" and late.message.startswith(
        f"review overdue: still a pilot 3 days after its review date {review}"
    )
    code, output = decide(poc, "go", "--reason", "Pilot on track.", today=review)
    assert code == 0 and f"next decision {review + timedelta(days=90)}" in output


def test_a_kill_invokes_the_decommission_plan_whose_steps_the_audit_then_follows(poc: Path) -> None:
    code, output = decide(poc, "kill", "--reason", "The KPI did not move in eight weeks.")
    assert code == 0 and "decommission plan is invoked" in output
    plan = (poc / "governance" / "decommission_plan.md").read_text(encoding="utf-8")
    assert f"Invoked: {TODAY}, by decisions/0001-{TODAY}-kill.md." in plan
    assert finding(poc, "BUS002", today=FIRST + timedelta(days=30)).status == "passed"  # decided: no zombie
    later = finding(poc, "GOV006", today=TODAY + timedelta(days=3))
    assert later.status == "failed" and "step 1 (production_owner) was due" in later.message
    code, output = decide(poc, "extend", "--reason", "Second thoughts.", "--until", str(FIRST))
    assert code == 2 and "the POC was killed" in output


def test_a_failed_write_leaves_every_file_as_it_was(poc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prodready.review import decide as module

    calls = []
    real = module.write_atomic

    def fail_second(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(module, "write_atomic", fail_second)
    with pytest.raises(OSError):
        module.decide(poc, "pilot", "The KPI moved.", today=TODAY)
    assert git(poc, "status", "--porcelain") == ""


def test_decisions_never_leave_the_repository(poc: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (poc / "decisions").symlink_to(outside)
    code, output = decide(poc, "kill", "--reason", "Stop it.")
    assert code == 2 and len(output.strip().splitlines()) == 1, output
    assert list(outside.iterdir()) == []
