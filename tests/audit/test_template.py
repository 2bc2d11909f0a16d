"""TPL001-TPL002 on inline answers files, against a small local template repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import MakeRepo
from .helpers import PASSED, outcome, run

COPIER = ".copier-answers.yml"
CRUFT = ".cruft.json"
#: A template repository and the commit of each of its release tags.
Template = tuple[Path, dict[str, str]]


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@acme.io", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *identity, *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A template repository released as v0.1.0, v0.2.0 and v0.3.0, and each tag's commit."""
    root = tmp_path_factory.mktemp("template")
    git(root, "init", "-q")
    commits = {}
    for tag in ("v0.1.0", "v0.2.0", "v0.3.0"):
        git(root, "commit", "-q", "--allow-empty", "-m", tag)
        git(root, "tag", tag)
        commits[tag] = git(root, "rev-parse", "HEAD")
    return root, commits


def copier_answers(source: str, commit: str | None) -> str:
    return f"_src_path: {source}\n" + (f"_commit: {commit}\n" if commit else "") + "project_name: Triage\n"


# -- TPL001 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [COPIER, CRUFT])
def test_tpl001_passes_with_an_answers_file(make_repo: MakeRepo, name: str) -> None:
    assert outcome(run("TPL001", make_repo({name: "{}\n"}))) == PASSED


def test_tpl001_fails_without_one(make_repo: MakeRepo) -> None:
    finding = run("TPL001", make_repo({"README.md": "# POC\n"}))
    assert outcome(finding) == ("failed", "neither .copier-answers.yml nor .cruft.json", COPIER, None)


# -- TPL002 ---------------------------------------------------------------------------------


def test_tpl002_passes_on_the_newest_release(make_repo: MakeRepo, template: Template) -> None:
    source, _ = template
    assert outcome(run("TPL002", make_repo({COPIER: copier_answers(str(source), "v0.3.0")}))) == PASSED


def test_tpl002_fails_versions_behind(make_repo: MakeRepo, template: Template) -> None:
    source, _ = template
    finding = run("TPL002", make_repo({COPIER: copier_answers(str(source), "v0.1.0-2-gabc1234")}))
    assert outcome(finding) == ("failed", "2 versions behind the template: at 0.1.0, newest 0.3.0", COPIER, None)


def test_tpl002_reads_cruft_state(make_repo: MakeRepo, template: Template) -> None:
    source, commits = template
    state = json.dumps({"template": str(source), "commit": commits["v0.2.0"]})
    finding = run("TPL002", make_repo({CRUFT: state}))
    assert outcome(finding) == ("failed", "1 version behind the template: at 0.2.0, newest 0.3.0", CRUFT, None)


def test_tpl002_fails_on_a_commit_that_is_no_release(make_repo: MakeRepo, template: Template) -> None:
    source, _ = template
    finding = run("TPL002", make_repo({COPIER: copier_answers(str(source), "0e240c0")}))
    message = "made from 0e240c0, which is not a release tag; newest release is 0.3.0"
    assert outcome(finding) == ("failed", message, COPIER, None)


def test_tpl002_compares_with_a_given_newest_version(make_repo: MakeRepo, template: Template) -> None:
    source, _ = template
    repo = make_repo({COPIER: copier_answers(str(source), "v0.3.0")}, template_version="0.4.0")
    assert outcome(run("TPL002", repo)) == (
        "failed",
        "1 version behind the template: at 0.3.0, newest 0.4.0",
        COPIER,
        None,
    )


def test_tpl002_fails_on_a_copy_that_is_not_a_repository(make_repo: MakeRepo) -> None:
    finding = run("TPL002", make_repo({COPIER: copier_answers("/opt/template-copy", None)}))
    assert finding.status == "failed" and (finding.file, finding.line) == (COPIER, None)
    assert finding.message.startswith("generated from a copy of the template that is not a git repository")


def test_tpl002_fails_on_an_unreadable_answers_file(make_repo: MakeRepo) -> None:
    finding = run("TPL002", make_repo({COPIER: "project_name: Triage\n"}))
    message = "the template answers file cannot be read: .copier-answers.yml has no _src_path"
    assert outcome(finding) == ("failed", message, COPIER, None)


def test_tpl002_cannot_decide_when_the_newest_version_is_unknown(make_repo: MakeRepo) -> None:
    finding = run("TPL002", make_repo({COPIER: copier_answers("-not-a-url", "v0.1.0")}))
    message = "newest template version unknown ('-not-a-url' is not a git URL or path); pass --template-version or --template-source"
    assert outcome(finding) == ("skipped", message, None, None)


def test_tpl001_fails_on_an_answers_file_linked_outside(make_repo: MakeRepo) -> None:
    repo = make_repo({"README.md": "# POC\n"})
    (repo.root / COPIER).symlink_to("/etc/hostname")
    finding = run("TPL001", repo)
    assert (finding.status, finding.file) == ("failed", COPIER)
    assert "symbolic link leaving the repository" in finding.message


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("ext::sh -c touch% pwned", "names the git remote helper 'ext', which prodready never runs"),
        ("git://example.invalid/template", "uses git://; template sources must be https://, ssh://, file://"),
        ("http://example.invalid/template", "uses http://"),
        ("ssh://-oProxyCommand=x/y", "is not a git URL or path"),
        ("-oProxyCommand=x:y", "is not a git URL or path"),
    ],
)
def test_tpl002_never_runs_git_on_a_source_it_may_not_read(make_repo: MakeRepo, source: str, reason: str) -> None:
    finding = run("TPL002", make_repo({COPIER: copier_answers(json.dumps(source), "v0.1.0")}))
    assert finding.status == "skipped" and f"{source!r} {reason}" in finding.message


@pytest.mark.parametrize(
    "source",
    ["https://github.com/acme/template", "ssh://git@github.com/acme/template", "git@github.com:acme/t", "gh:acme/t"],
)
def test_tpl002_accepts_encrypted_and_local_sources(source: str) -> None:
    from prodready.template.source import git_url, source_problem

    assert source_problem(git_url(source)) is None
    assert source_problem("/srv/template") is None and source_problem("file:///srv/template") is None
