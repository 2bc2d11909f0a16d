"""BUS001-BUS003 on the business section of an inline ownership.yaml and kpi/actuals.csv."""

from __future__ import annotations

import pytest

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run

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


def test_bus002_passes_after_the_decision_date_once_the_stage_moved_on(make_repo: MakeRepo) -> None:
    repo = make_repo({"ownership.yaml": ownership('"2026-09-01"', '"2026-05-29"'), "pyproject.toml": PYPROJECT_PILOT})
    assert outcome(run("BUS002", repo)) == PASSED


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
