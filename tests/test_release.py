"""A release is one fact: the version, its CHANGELOG entry and its tag agree (tools/release.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from tools import release

from .helpers import ROOT, commit_all, git, run, tool


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files the release check reads, in a git repository of their own."""
    for name in ("pyproject.toml", "CHANGELOG.md", "src/prodready/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    commit_all(tmp_path, "snapshot")
    return tmp_path


def test_this_checkout_agrees_with_itself() -> None:
    assert release.problems() == []
    assert release.package_version() == __import__("prodready").__version__


def test_a_tag_must_name_the_package_version(checkout: Path) -> None:
    version = release.package_version(checkout)
    [problem, *_] = release.problems(checkout, tag="v9.9.9")
    assert problem == f"tag v9.9.9: the package version is {version}; tag v{version} or change __version__"


def test_a_release_leaves_nothing_unreleased(checkout: Path) -> None:
    version = release.package_version(checkout)
    changelog = checkout / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    first = text.index(f"\n## {version} — ") + 1
    changelog.write_text(text[:first] + "## Unreleased\n\n- a change\n\n" + text[first:], encoding="utf-8")
    assert release.problems(checkout, tag=f"v{version}") == [
        f"CHANGELOG.md: entries are still under Unreleased; move them under ## {version} — <date>"
    ]
    changelog.write_text(text[:first] + "## Unreleased\n\n" + text[first:], encoding="utf-8")
    assert release.problems(checkout, tag=f"v{version}") == []


def test_every_tag_has_a_changelog_entry_and_the_newest_entry_is_the_version(checkout: Path) -> None:
    git(checkout, "tag", "v0.0.9")
    init = checkout / "src" / "prodready" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(release.package_version(checkout), "7.0.0"))
    assert release.problems(checkout) == [
        f"CHANGELOG.md: the newest dated entry is {release.released((checkout / 'CHANGELOG.md').read_text())[0]}, "
        "the package is 7.0.0",
        "tag v0.0.9: CHANGELOG.md has no dated entry for 0.0.9",
    ]


def test_the_command_line_exits_1_with_one_line_per_problem() -> None:
    proc = run([sys.executable, str(ROOT / "tools" / "release.py"), "check", "--tag", "v0.0.0-not"])
    assert proc.returncode == 1
    assert proc.stderr.startswith("release check: tag v0.0.0-not: the package version is")
    notes = run([sys.executable, str(ROOT / "tools" / "release.py"), "notes", "0.1.0"])
    assert notes.returncode == 0 and notes.stdout.startswith("First release")


def test_the_repository_workflows_pass_zizmor_and_the_workflow_schema() -> None:
    workflows = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert [Path(path).name for path in workflows] == ["ci.yml", "release.yml"]
    schema = run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows])
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = run([tool("zizmor"), "--offline", "--no-progress", *workflows])
    assert audit.returncode == 0 and "No findings to report" in audit.stdout + audit.stderr, audit.stdout + audit.stderr
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert 'tools/release.py check --tag "$TAG"' in text and "bash .ci/run" in text


def test_a_released_version_cannot_gather_unreleased_changes(checkout: Path) -> None:
    """POCs record the version's tag: the package must not change under a released version."""
    version = release.package_version(checkout)
    changelog = checkout / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    start = text.index("\n## ") + 1
    changelog.write_text(text[:start] + "## Unreleased\n\n- a change\n\n" + text[start:], encoding="utf-8")
    assert release.problems(checkout) == []
    git(checkout, "tag", f"v{version}")
    assert release.problems(checkout) == [
        f"src/prodready/__init__.py: v{version} is released and CHANGELOG.md has Unreleased entries; "
        "set the next version (and date it when releasing)"
    ]
