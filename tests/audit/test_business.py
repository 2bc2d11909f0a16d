"""BUS001-BUS004 on the business section of an inline ownership.yaml, kpi/actuals.csv and decision records."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.audit.repo import Repo

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, TODAY, line_of, outcome, run, text, write
from .poc import OWNERSHIP as POC_OWNERSHIP
from .test_governance import git, ssh_key

OWNERSHIP = """
    project: ticket-triage
    business:
      problem: Agents spend an hour per ticket writing routine replies.
      kpi:
        name: Median time to first response (hours)
        baseline: "6.5"
        target: "2"
      process_retired: Manual drafting of first replies
      decision_date: "2026-09-01"
      kill_criteria: First response not 20% faster after eight weeks of pilot.
    """

PYPROJECT_PILOT = """
    [tool.prodready]
    stage = "pilot"
    """


def ownership(old: str = "", new: str = "") -> str:
    assert old in OWNERSHIP
    return OWNERSHIP.replace(old, new, 1)


# -- BUS001 ---------------------------------------------------------------------------------


def test_bus001_passes_on_a_stated_case(make_repo: MakeRepo) -> None:
    assert outcome(run("BUS001", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


@pytest.mark.parametrize(
    ("old", "new", "path", "key"),
    [
        ("problem: Agents spend an hour per ticket writing routine replies.", "problem: TBD", "problem", "problem:"),
        ("name: Median time to first response (hours)", 'name: ""', "kpi.name", "name:"),
        ("process_retired: Manual drafting of first replies", "process_retired: Nothing", "process_retired", "retired"),
        (
            "kill_criteria: First response not 20% faster after eight weeks of pilot.",
            "kill_criteria: null",
            "kill_criteria",
            "kill_",
        ),
    ],
)
def test_bus001_fails_on_an_empty_statement(make_repo: MakeRepo, old: str, new: str, path: str, key: str) -> None:
    damaged = ownership(old, new)
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    message = f"business.{path} is empty or a placeholder"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, key))


def test_bus001_fails_when_the_kpi_is_not_a_number(make_repo: MakeRepo) -> None:
    damaged = ownership('baseline: "6.5"', "baseline: lots")
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    message = "the KPI's baseline and target must be numbers"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "kpi:"))


def test_bus001_fails_when_the_target_is_the_baseline(make_repo: MakeRepo) -> None:
    damaged = ownership('target: "2"', "target: 6.50")
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    message = "the KPI's target equals its baseline"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "target:"))


def test_bus001_names_every_gap_at_the_first(make_repo: MakeRepo) -> None:
    damaged = ownership("problem: Agents spend an hour per ticket writing routine replies.", "problem: TBD")
    damaged = damaged.replace(
        "kill_criteria: First response not 20% faster after eight weeks of pilot.", "kill_criteria: ''"
    )
    damaged = damaged.replace('target: "2"', "target: 6.5")
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    message = (
        f"3 problems: line {line_of(damaged, 'problem:')}: business.problem is empty or a placeholder; "
        f"line {line_of(damaged, 'kill_criteria:')}: business.kill_criteria is empty or a placeholder; "
        f"line {line_of(damaged, 'target:')}: the KPI's target equals its baseline"
    )
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "problem:"))


def test_bus001_fails_without_a_business_section(make_repo: MakeRepo) -> None:
    finding = run("BUS001", make_repo({"ownership.yaml": "project: ticket-triage\nbusiness: []\n"}))
    assert outcome(finding) == ("failed", "the business section is missing", "ownership.yaml", 1)


def test_bus001_has_nothing_to_say_without_ownership(make_repo: MakeRepo) -> None:
    assert outcome(run("BUS001", make_repo({}))) == NOT_APPLICABLE


# -- BUS002 ---------------------------------------------------------------------------------


def test_bus002_passes_before_the_decision_date(make_repo: MakeRepo) -> None:
    assert outcome(run("BUS002", make_repo({"ownership.yaml": OWNERSHIP}))) == PASSED


def test_bus002_fails_on_a_zombie_poc(make_repo: MakeRepo) -> None:
    damaged = ownership('"2026-09-01"', '"2026-05-29"')
    finding = run("BUS002", make_repo({"ownership.yaml": damaged}))
    message = "decision overdue: still a poc 3 days after its decision date 2026-05-29"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "decision_date"))


def test_bus002_fails_on_a_pilot_past_its_review_date(make_repo: MakeRepo) -> None:
    damaged = ownership('"2026-09-01"', '"2026-05-29"')
    finding = run("BUS002", make_repo({"ownership.yaml": damaged, "pyproject.toml": PYPROJECT_PILOT}))
    message = "review overdue: still a pilot 3 days after its review date 2026-05-29"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "decision_date"))


ANSWERS = {".copier-answers.yml": "_commit: v0.4.0\ndecision_date: '2026-09-01'\n"}


def record(kind: str, taken: str, decision_date: str | None, *, name: str = "Jonas Berg", stage: str = "poc") -> str:
    """A decision record as `prodready decide` writes it."""
    next_date = "" if decision_date is None else f"decision_date: {decision_date}\n"
    return (
        f"---\ndecision: {kind}\ndate: {taken}\ndecided_by: {{role: kill_authority, name: {name}}}\n"
        f"reason: The access request took six weeks.\nstage: {stage}\n{next_date}---\n\n# Decision\n"
    )


def test_bus002_fails_when_the_decision_date_moved_without_a_record(make_repo: MakeRepo) -> None:
    moved = ownership('"2026-09-01"', '"2027-01-15"')
    finding = run("BUS002", make_repo({"ownership.yaml": moved, **ANSWERS}))
    assert (finding.status, finding.file, finding.line) == ("failed", "ownership.yaml", line_of(moved, "decision_date"))
    assert finding.message.startswith(
        "decision_date 2027-01-15 is not 2026-09-01, the date the template's answers file (the date answered at "
        "generation) set: only a recorded decision moves it (`prodready decide extend --until 2027-01-15"
    )


def test_bus002_accepts_the_date_an_extension_recorded(make_repo: MakeRepo) -> None:
    moved = ownership('"2026-09-01"', '"2027-01-15"')
    extension = {"decisions/0001-2026-05-20-extend.md": record("extend", "2026-05-20", "2027-01-15")}
    assert outcome(run("BUS002", make_repo({"ownership.yaml": moved, **ANSWERS, **extension}))) == PASSED
    other = ownership('"2026-09-01"', '"2027-02-01"')
    finding = run("BUS002", make_repo({"ownership.yaml": other, **ANSWERS, **extension}))
    assert finding.status == "failed"
    assert "is not 2027-01-15, the date decisions/0001-2026-05-20-extend.md set" in finding.message


def test_bus002_caps_the_extensions_of_a_stage(make_repo: MakeRepo) -> None:
    moved = ownership('"2026-09-01"', '"2027-06-01"')
    files = {
        "decisions/0001-2026-05-01-extend.md": record("extend", "2026-05-01", "2026-12-01"),
        "decisions/0002-2026-05-20-extend.md": record("extend", "2026-05-20", "2027-06-01"),
    }
    finding = run("BUS002", make_repo({"ownership.yaml": moved, **ANSWERS, **files}))
    assert outcome(finding) == (
        "failed",
        "extends the decision to 2027-06-01, 273 days past the stage's first date 2026-09-01: extensions reach "
        "at most 183 days (max_extension_days); decide instead",
        "decisions/0002-2026-05-20-extend.md",
        7,
    )
    wider = {"pyproject.toml": "[tool.prodready]\nmax_extension_days = 300\n"}
    assert outcome(run("BUS002", make_repo({"ownership.yaml": moved, **ANSWERS, **files, **wider}))) == PASSED


def test_bus002_a_killed_poc_is_no_zombie(make_repo: MakeRepo) -> None:
    overdue = ownership('"2026-09-01"', '"2026-05-01"')
    kill = {"decisions/0001-2026-05-02-kill.md": record("kill", "2026-05-02", None)}
    assert outcome(run("BUS002", make_repo({"ownership.yaml": overdue, **kill}))) == PASSED


def test_bus002_fails_when_the_decision_date_is_not_a_date(make_repo: MakeRepo) -> None:
    damaged = ownership('"2026-09-01"', "next spring")
    finding = run("BUS002", make_repo({"ownership.yaml": damaged}))
    message = "decision_date is 'next spring', not a date"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "decision_date"))


def test_bus002_takes_a_timestamp_as_its_day(make_repo: MakeRepo) -> None:
    stamped = ownership('decision_date: "2026-09-01"', "decision_date: 2026-09-01 17:00:00")
    assert outcome(run("BUS002", make_repo({"ownership.yaml": stamped}))) == PASSED


@pytest.mark.parametrize("baseline", [".nan", ".inf", "9" * 4000])
def test_bus001_fails_on_a_baseline_that_is_no_number(make_repo: MakeRepo, baseline: str) -> None:
    damaged = ownership('baseline: "6.5"', f"baseline: {baseline}")
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    assert (finding.status, finding.message) == ("failed", "the KPI's baseline and target must be numbers")


@pytest.mark.parametrize(
    ("criteria", "problem"),
    [
        ("we will see", "names no threshold (a number)"),
        (
            "Stop when 3 incidents happen.",
            "does not name the KPI (or another measured quantity) its threshold applies to",
        ),
    ],
)
def test_bus001_fails_on_kill_criteria_nobody_could_measure(make_repo: MakeRepo, criteria: str, problem: str) -> None:
    damaged = ownership("First response not 20% faster after eight weeks of pilot.", criteria)
    finding = run("BUS001", make_repo({"ownership.yaml": damaged}))
    message = f"business.kill_criteria {problem}: such as 'KPI not improved by 10% at the decision date'"
    assert outcome(finding) == ("failed", message, "ownership.yaml", line_of(damaged, "kill_criteria:"))


# -- BUS003 ---------------------------------------------------------------------------------

ACTUALS = "kpi/actuals.csv"
WEEKLY = "kpi: {name: Median time to first response (hours), cadence: weekly}\n"


def measured(make_repo: MakeRepo, rows: str, monitoring: str = WEEKLY) -> tuple[str, str, str | None, int | None]:
    files = {ACTUALS: "date,value,source\n" + rows, "monitoring/monitoring.yaml": monitoring}
    return outcome(run("BUS003", make_repo(files)))


def test_bus003_passes_with_a_value_within_two_cadences(make_repo: MakeRepo) -> None:
    # TODAY is 2026-06-01: a weekly KPI needs a value from 2026-05-18 or later.
    assert measured(make_repo, "2026-05-04,6.1,Zendesk report\n2026-05-18,5.2,Zendesk report\n") == PASSED


def test_bus003_fails_on_stale_actuals_at_the_newest_row(make_repo: MakeRepo) -> None:
    message = "the newest KPI value is from 2026-05-11, 21 days ago: older than two cadences (14 days)"
    rows = "2026-05-11,5.9,Zendesk report\n2026-04-27,6.3,Zendesk report\n"
    assert measured(make_repo, rows) == ("failed", message, ACTUALS, 2)


def test_bus003_fails_when_nothing_was_measured(make_repo: MakeRepo) -> None:
    message = "no KPI value is recorded yet: add a date,value,source row every 7 days"
    assert measured(make_repo, "") == ("failed", message, ACTUALS, 1)


def test_bus003_names_every_row_that_is_not_a_measurement(make_repo: MakeRepo) -> None:
    rows = "yesterday,5,report\n2026-05-30,fast,report\n2026-05-30,5,\n2099-01-01,5,report\n"
    finding = measured(make_repo, rows)
    message = (
        "4 rows are not measurements: line 2: 'yesterday' is not an ISO date; line 3: the value is not a number; "
        "line 4: the source is missing: say where the value was read; line 5: 2099-01-01 is after today"
    )
    assert finding == ("failed", message, ACTUALS, 2)


def test_bus003_fails_without_actuals_or_with_an_unknown_cadence(make_repo: MakeRepo) -> None:
    assert outcome(run("BUS003", make_repo({})))[0:3:2] == ("failed", ACTUALS)
    unknown = measured(make_repo, "2026-05-30,5,report\n", "kpi: {cadence: sometimes}\n")
    assert unknown[0] == "failed" and unknown[1].startswith("kpi.cadence is 'sometimes', not one of daily, weekly")


# -- BUS004 ---------------------------------------------------------------------------------


def people_repo(make_repo: MakeRepo, records: dict[str, str], stage: str = "poc") -> Repo:
    return make_repo(
        {
            "ownership.yaml": text(POC_OWNERSHIP),
            "pyproject.toml": f'[tool.prodready]\nstage = "{stage}"\n',
            **{f"decisions/{name}": content for name, content in records.items()},
        }
    )


def test_bus004_passes_without_decisions_at_poc(make_repo: MakeRepo) -> None:
    assert outcome(run("BUS004", people_repo(make_repo, {}))) == PASSED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "0001-2026-05-20-extend.md",
            record("extend", "2026-05-20", "2099-03-01", name="Bob"),
            "line 4: is decided by 'Bob', who is not the kill_authority of ownership.yaml",
        ),
        (
            "0001-2026-05-20-extend.md",
            record("extend", "2026-05-20", "2099-03-01").replace("role: kill_authority", "role: technical_lead"),
            "line 4: a extend is decided by kill_authority, not technical_lead",
        ),
        (
            "0001-2026-05-20-extend.md",
            record("extend", "2026-07-20", "2099-03-01"),
            "line 3: date '2026-07-20' is not the file name's date 2026-05-20",
        ),
        ("0001-2026-05-20-extend.md", "# no front matter\n", "line 1: has no front matter between --- lines"),
        ("first-decision.md", "---\n---\n", "`decisions/first-decision.md` is not named NNNN-YYYY-MM-DD-"),
        (
            "0001-2026-05-20-extend.md",
            record("extend", "2026-05-20", "2099-03-01").replace(
                "reason: The access request took six weeks.", "reason: TBD"
            ),
            "line 5: reason is empty or a placeholder",
        ),
        ("0001-2026-05-20-extend.md", "---\ndecision: [\n---\n", "line 3: front matter: invalid YAML"),
    ],
)
def test_bus004_fails_on_a_record_nobody_entitled_took(
    make_repo: MakeRepo, name: str, content: str, message: str
) -> None:
    finding = run("BUS004", people_repo(make_repo, {name: content}))
    assert finding.status == "failed" and finding.file == f"decisions/{name}", finding
    shown = finding.message if finding.line is None else f"line {finding.line}: {finding.message}"
    assert shown.startswith(message), finding.message


def test_bus004_fails_on_a_stage_no_decision_set(make_repo: MakeRepo) -> None:
    finding = run("BUS004", people_repo(make_repo, {}, stage="pilot"))
    assert outcome(finding) == (
        "failed",
        "[tool.prodready] stage is pilot, but no decision record leaves it at poc: "
        "record the decision with `prodready decide pilot`",
        "pyproject.toml",
        2,
    )


def decided(tmp_path: Path, who: tuple[str, str], key: Path | None = None) -> Path:
    """A git repository at stage pilot whose pilot decision was committed by ``who``."""
    root = write(
        tmp_path / "poc",
        {
            "ownership.yaml": POC_OWNERSHIP,
            "pyproject.toml": '[tool.prodready]\nstage = "poc"\n',
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Generated POC", who=("Mei Tanaka", "mei.tanaka@acme.io"))
    write(
        root,
        {
            "decisions/0001-2026-05-20-pilot.md": record("pilot", "2026-05-20", "2026-08-18", stage="pilot"),
            "pyproject.toml": '[tool.prodready]\nstage = "pilot"\n',
        },
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Decision: pilot", who=who, key=key)
    return root


JONAS = ("Jonas Berg", "jonas.berg@acme.io")


def test_bus004_passes_on_a_decision_committed_by_the_kill_authority(tmp_path: Path) -> None:
    assert outcome(run("BUS004", Repo(decided(tmp_path, JONAS), TODAY))) == PASSED


def test_bus004_fails_on_a_decision_committed_by_someone_else(tmp_path: Path) -> None:
    finding = run("BUS004", Repo(decided(tmp_path, ("Mei Tanaka", "mei.tanaka@acme.io")), TODAY))
    assert (finding.status, finding.file, finding.line) == ("failed", "decisions/0001-2026-05-20-pilot.md", 4)
    assert finding.message.startswith("the decision by Jonas Berg was committed by mei.tanaka@acme.io (")


def test_bus004_checks_the_signature_where_the_kill_authority_has_a_key(tmp_path: Path) -> None:
    private, public = ssh_key(tmp_path / "keys", "jonas")
    other, _ = ssh_key(tmp_path / "keys", "mallory")
    keyed = POC_OWNERSHIP.replace(
        "kill_authority: {name: Jonas Berg, email: jonas.berg@acme.io}",
        f"kill_authority: {{name: Jonas Berg, email: jonas.berg@acme.io, signing_key: '{public}'}}",
    )
    assert keyed != POC_OWNERSHIP
    for key, passes in ((private, True), (other, False)):
        root = decided(tmp_path / key.name, JONAS, key=key)
        (root / "ownership.yaml").write_text(text(keyed), encoding="utf-8")  # the audit reads the working tree
        finding = run("BUS004", Repo(root, TODAY))
        assert (finding.status == "passed") is passes, finding.message
        if not passes:
            assert "not signed with Jonas Berg's signing_key" in finding.message
