"""The shipped nightly portfolio job (portfolio/): its fetch script and its audit step, run for real.

The POCs are the bundled examples, generated once per session, pushed to bare git
repositories that stand in for an organisation's; the job's own lines (read from the
workflow files, not copied here) clone and audit them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT, tool

PORTFOLIO = ROOT / "portfolio"
FETCH = "bash portfolio/fetch-repositories.sh portfolio/repositories.txt pocs"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _bare(poc: Path, remote: Path) -> Path:
    """``poc`` committed and pushed to the bare repository ``remote``."""
    work = remote.parent / f"{remote.stem}-work"
    shutil.copytree(poc, work, ignore=shutil.ignore_patterns(".git"))
    _git("init", "-q", "-b", "main", cwd=work)
    _git("add", "-A", cwd=work)
    _git("-c", "user.name=CI", "-c", "user.email=ci@acme.io", "commit", "-qm", "generated", cwd=work)
    remote.parent.mkdir(parents=True, exist_ok=True)
    _git("clone", "-q", "--bare", str(work), str(remote), cwd=remote.parent)
    return remote


@pytest.fixture(scope="module")
def organisation(rendered, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two bare POC repositories with the same name in two groups, and a third."""
    root = tmp_path_factory.mktemp("org")
    support = rendered[("support-assistant", "copier")].destination
    churn = rendered[("churn-model", "cruft")].destination
    return {
        "acme/assistant": _bare(support, root / "acme" / "assistant.git"),
        "beta/assistant": _bare(support, root / "beta" / "assistant.git"),
        "acme/churn": _bare(churn, root / "acme" / "churn.git"),
    }


def _platform(tmp_path: Path, lines: list[str]) -> Path:
    """A platform repository holding portfolio/ with ``lines`` as its list."""
    shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    (tmp_path / "portfolio" / "repositories.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _bash(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(tool('prodready')).parent}{os.pathsep}{os.environ['PATH']}"
    environment = {**os.environ, "PATH": path, "GIT_ALLOW_PROTOCOL": "file", **env}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=environment, capture_output=True, text=True)


def _github_steps() -> dict[str, str]:
    workflow = yaml.safe_load((PORTFOLIO / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["portfolio"]["steps"]
    return {step["name"]: step["run"] for step in steps if "run" in step}


def test_the_github_job_is_nightly_read_only_and_pinned() -> None:
    workflow = yaml.safe_load((PORTFOLIO / "github-workflow.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"], "not daily"
    assert workflow["permissions"] == {} and workflow["jobs"]["portfolio"]["permissions"] == {"contents": "read"}
    uses = [step["uses"].split(" ")[0] for step in workflow["jobs"]["portfolio"]["steps"] if "uses" in step]
    assert uses and all(PINNED.match(action) for action in uses), uses
    assert _github_steps()["Fetch the POC repositories"] == FETCH


def test_the_gitlab_job_runs_the_same_fetch_and_audit() -> None:
    job = yaml.safe_load((PORTFOLIO / "gitlab-ci.yml").read_text(encoding="utf-8"))["portfolio"]
    script = "\n".join(job["script"])
    assert FETCH in script and "prodready audit pocs --html portfolio.html --facts facts" in script
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]


def test_the_job_clones_and_audits_every_listed_poc(organisation: dict[str, Path], tmp_path: Path) -> None:
    platform = _platform(tmp_path, ["# the POCs", *(f"{remote}  # {name}" for name, remote in organisation.items())])
    steps = _github_steps()
    fetched = _bash(steps["Fetch the POC repositories"], platform)
    assert fetched.returncode == 0, fetched.stderr
    # Full history: the pilot audit asks git who committed each sign-off.
    log = subprocess.run(
        ["git", "-C", str(platform / "pocs" / "acme" / "churn"), "log", "--format=%ae"], text=True, capture_output=True
    )
    assert log.stdout.split() == ["ci@acme.io"]
    summary = tmp_path / "summary.md"
    audited = _bash(steps["Audit the portfolio"], platform, GITHUB_STEP_SUMMARY=str(summary))
    assert audited.returncode in (0, 1), audited.stderr
    report = json.loads((platform / "portfolio.json").read_text(encoding="utf-8"))
    assert sorted(a["name"] for a in report["audits"]) == sorted(organisation)
    assert {p.name for p in (platform / "facts").iterdir()} == {f"{n.replace('/', '-')}.json" for n in organisation}
    html = (platform / "portfolio.html").read_text(encoding="utf-8")
    assert all(name in html for name in organisation)
    assert "acme/assistant" in summary.read_text(encoding="utf-8")


def test_the_fetch_names_every_line_it_refuses_and_clones_the_rest(
    organisation: dict[str, Path], tmp_path: Path
) -> None:
    good = organisation["acme/churn"]
    lines = [
        str(good),
        "--upload-pack=touch pwned",
        "https://example.invalid/has space/x.git",
        str(good),
        str(good.parent / "missing.git"),
        "ext::sh -c touch% pwned",
    ]
    platform = _platform(tmp_path, lines)
    fetched = _bash(FETCH, platform)
    errors = fetched.stderr.splitlines()
    refused = [line for line in errors if line.startswith("error: ")]
    assert fetched.returncode == 1
    assert [line.split(":")[2] for line in refused] == ["2", "3", "4", "5", "6"], fetched.stderr
    assert all("Fix:" in line for line in refused)
    assert "already listed on line 1" in refused[2] and "cannot clone acme/missing" in refused[3]
    assert (platform / "pocs" / "acme" / "churn" / "ownership.yaml").is_file()
    assert not (platform / "pocs" / "acme" / "missing").exists(), "a failed clone left a folder behind"
    assert not list(platform.rglob("pwned")), "a listed line ran a command"


@pytest.mark.parametrize(
    ("lines", "message"),
    [(["# nothing yet"], "lists no repository"), (None, "no such file")],
    ids=["empty list", "missing list"],
)
def test_the_fetch_refuses_an_empty_or_missing_list(tmp_path: Path, lines: list[str] | None, message: str) -> None:
    platform = _platform(tmp_path, lines or [])
    if lines is None:
        (platform / "portfolio" / "repositories.txt").unlink()
    fetched = _bash(FETCH, platform)
    assert fetched.returncode != 0 and message in fetched.stderr and fetched.stderr.count("\n") == 1


def test_the_shipped_list_names_no_repository_until_edited() -> None:
    """The list ships with examples in comments only: an unedited job fails instead of auditing strangers."""
    text = (PORTFOLIO / "repositories.txt").read_text(encoding="utf-8")
    assert all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
