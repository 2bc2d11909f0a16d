"""CI001-CI002 on inline CI configurations and pre-commit files."""

from __future__ import annotations

import pytest

from .conftest import MakeRepo
from .helpers import PASSED, line_of, outcome, run

WORKFLOW = """
    name: ci
    on: [push]
    jobs:
      checks:
        runs-on: ubuntu-latest
        steps:
          - run: nox -s tests
          - run: nox -s contracts
          - uses: acme/prodready-action@v1
    """

GITLAB = """
    checks:
      script:
        - pytest -q
        - prodready contracts check contracts/tickets.odcs.yaml
        - prodready audit . --format junit
    """

PRE_COMMIT = """
    repos:
      - repo: local
        hooks:
          - id: prodready-audit
            name: prodready audit
            entry: prodready audit
            language: system
    """


@pytest.mark.parametrize(
    "files",
    [
        {".github/workflows/ci.yml": WORKFLOW},
        {".gitlab-ci.yml": GITLAB},
        {
            ".gitlab/ci/tests.yml": "t:\n  script: [nox -s tests]\n",
            ".gitlab/ci/gate.yaml": "g:\n  script: [nox -s contracts, nox -s audit]\n",
        },
    ],
)
def test_ci001_passes_when_ci_runs_every_step(make_repo: MakeRepo, files: dict[str, str]) -> None:
    assert outcome(run("CI001", make_repo(files))) == PASSED


def test_ci001_fails_without_ci(make_repo: MakeRepo) -> None:
    message = "no CI configuration (.github/workflows/*.yml or .gitlab-ci.yml)"
    assert outcome(run("CI001", make_repo({"README.md": "# POC\n"}))) == ("failed", message, ".github/workflows", None)


@pytest.mark.parametrize(
    ("step", "needed"),
    [
        ("nox -s tests", "tests"),
        ("nox -s contracts", "contract check"),
        ("uses: acme/prodready-action@v1", "audit gate"),
    ],
)
def test_ci001_fails_at_the_first_workflow_when_a_step_is_missing(make_repo: MakeRepo, step: str, needed: str) -> None:
    files = {
        ".github/workflows/a-lint.yml": "name: lint\n",
        ".github/workflows/ci.yml": WORKFLOW.replace(step, "echo skipped"),
    }
    finding = run("CI001", make_repo(files))
    assert outcome(finding) == ("failed", f"CI does not run the {needed}", ".github/workflows/a-lint.yml", None)


def test_ci001_names_every_missing_step(make_repo: MakeRepo) -> None:
    finding = run("CI001", make_repo({".gitlab-ci.yml": "lint:\n  script: [ruff check]\n"}))
    message = "CI does not run the tests, the contract check or the audit gate"
    assert outcome(finding) == ("failed", message, ".gitlab-ci.yml", None)


def test_ci001_names_every_ci_file_it_cannot_read(make_repo: MakeRepo) -> None:
    repo = make_repo({".gitlab-ci.yml": b"\x00\x01binary", ".github/workflows/ci.yml": b"\x00\x02binary"})
    finding = run("CI001", repo)
    assert (finding.status, finding.file) == ("failed", ".github/workflows/ci.yml")
    assert finding.message.startswith("2 CI files cannot be read: .github/workflows/ci.yml: ")
    assert "; .gitlab-ci.yml: `.gitlab-ci.yml`" in finding.message


def test_ci002_passes_with_the_audit_hook(make_repo: MakeRepo) -> None:
    assert outcome(run("CI002", make_repo({".pre-commit-config.yaml": PRE_COMMIT}))) == PASSED


def test_ci002_fails_without_the_audit_hook(make_repo: MakeRepo) -> None:
    finding = run("CI002", make_repo({".pre-commit-config.yaml": PRE_COMMIT.replace("prodready-audit", "ruff")}))
    assert outcome(finding) == ("failed", "no prodready-audit hook", ".pre-commit-config.yaml", None)


def test_ci002_fails_without_pre_commit(make_repo: MakeRepo) -> None:
    finding = run("CI002", make_repo({}))
    assert outcome(finding) == ("failed", "`.pre-commit-config.yaml` is missing", ".pre-commit-config.yaml", None)


def test_ci001_fails_on_workflows_linked_outside(make_repo: MakeRepo, tmp_path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    repo = make_repo({"README.md": "# POC\n"})
    (repo.root / ".github").mkdir()
    (repo.root / ".github" / "workflows").symlink_to(tmp_path / "elsewhere")
    finding = run("CI001", repo)
    assert (finding.status, finding.file) == ("failed", ".github/workflows")
    assert "symbolic link leaving the repository" in finding.message


def test_ci002_fails_on_a_pre_commit_file_linked_outside(make_repo: MakeRepo, tmp_path) -> None:
    (tmp_path / "hooks.yaml").write_text(PRE_COMMIT, encoding="utf-8")
    repo = make_repo({"README.md": "# POC\n"})
    (repo.root / ".pre-commit-config.yaml").symlink_to(tmp_path / "hooks.yaml")
    finding = run("CI002", repo)
    assert finding.status == "failed" and "symbolic link leaving the repository" in finding.message


SCHEDULED = WORKFLOW.replace("on: [push]", 'on:\n      push:\n      schedule:\n        - cron: "23 5 * * 1"')


def test_ci003_passes_when_the_workflow_that_audits_is_scheduled(make_repo: MakeRepo) -> None:
    assert outcome(run("CI003", make_repo({".github/workflows/ci.yml": SCHEDULED}))) == PASSED


def test_ci003_fails_when_the_audit_runs_only_on_push(make_repo: MakeRepo) -> None:
    files = {".github/workflows/ci.yml": WORKFLOW}
    finding = run("CI003", make_repo(files))
    message = "the audit runs only when someone pushes: no `schedule:` trigger"
    assert outcome(finding) == ("failed", message, ".github/workflows/ci.yml", line_of(WORKFLOW, "on:"))


def test_ci003_a_schedule_elsewhere_does_not_count(make_repo: MakeRepo) -> None:
    """The weekly production-contracts workflow is scheduled, but it does not run the audit."""
    other = (
        'name: contracts\non:\n  schedule:\n    - cron: "17 6 * * 1"\njobs: {c: {steps: [{run: nox -s contracts}]}}\n'
    )
    files = {".github/workflows/ci.yml": WORKFLOW, ".github/workflows/contracts.yml": other}
    assert run("CI003", make_repo(files)).file == ".github/workflows/ci.yml"


@pytest.mark.parametrize(
    "rules",
    [
        "",
        "  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
        '  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n',
        "  only: [branches, schedules]\n",
    ],
    ids=["no rules", "default branch", "schedules only", "only schedules"],
)
def test_ci003_gitlab_passes_when_the_audit_job_may_run_in_scheduled_pipelines(make_repo: MakeRepo, rules) -> None:
    gitlab = f"audit:\n  script: [nox -s audit]\n{rules}"
    assert outcome(run("CI003", make_repo({".gitlab-ci.yml": gitlab}))) == PASSED


@pytest.mark.parametrize(
    "rules",
    [
        '  rules:\n    - if: $CI_PIPELINE_SOURCE != "schedule"\n',
        '  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n      when: never\n',
        "  except: [schedules]\n",
        "  only: [merge_requests]\n",
    ],
    ids=["not schedule", "never", "except schedules", "only merge requests"],
)
def test_ci003_gitlab_fails_when_the_audit_job_never_runs_in_scheduled_pipelines(make_repo: MakeRepo, rules) -> None:
    files = {".gitlab-ci.yml": "include: [{local: .gitlab/ci/checks.yml}]\n"}
    files[".gitlab/ci/checks.yml"] = f"audit:\n  script: [nox -s audit]\n{rules}"
    finding = run("CI003", make_repo(files))
    message = "the audit job `audit` does not run in scheduled pipelines"
    assert outcome(finding) == ("failed", message, ".gitlab/ci/checks.yml", None)
