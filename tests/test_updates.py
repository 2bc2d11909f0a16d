"""Living POCs: template releases reach existing repositories without losing team work.

One template history is built for the module: the current checkout tagged as this
version (N), then release N+1 (a new governance item, a new CI step, changed defaults)
and release N+2 (a renamed file, carried by a copier migration). POCs are generated at
N with copier and cruft, get realistic team edits and commits, and are updated. The
tests then read what survived, what arrived, and how a genuine conflict is shown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from packaging.version import Version
from tools.sync_copier_yml import Migration
from tools.sync_copier_yml import render as render_copier_yml

from prodready import __version__
from prodready.template.new import destination_name

from .helpers import commit_all, example, git, make_template_repo, render, run, tool

TEMPLATE_DIR = "{{cookiecutter.project_slug | prodready_dirname}}"
CURRENT = Version(__version__)
V0 = f"v{CURRENT}"
V1 = f"v{CURRENT.major}.{CURRENT.minor + 1}.0"
V2 = f"v{CURRENT.major}.{CURRENT.minor + 2}.0"
NEW_ITEM = "GOV-090"
RENAMED = ("docs/runbook.md", "docs/operations/runbook.md")
FLEET_POC = destination_name(example("docs-assistant"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def release_next(template: Path) -> None:
    """N+1: what a platform team typically ships to fifty POCs at once."""
    files = template / TEMPLATE_DIR
    edit(
        files / "governance" / "checklist.yaml",
        "{%- endfor %}\n",
        f"""{{%- endfor %}}
  - id: {NEW_ITEM}
    title: The incident response runbook has been rehearsed with the on-call team
    frameworks: {{eu_ai_act: null, nist_ai_rmf: MANAGE 4.3, iso_42001: "10.2"}}
    required_stage: pilot
    owner: {{{{ cookiecutter.production_owner_email | yaml_str }}}}
    status: todo
    evidence: docs/runbook.md
    sign_off: null
""",
    )
    workflow = next(path for path in files.rglob("*") if path.name.startswith("{{ 'ci.yml'"))
    edit(
        workflow,
        "run: nox -s audit\n{% else -%}",
        "run: nox -s audit\n      - name: Secret scan\n        run: nox -s secrets\n{% else -%}",
    )
    edit(
        workflow,
        "drift:\n  stage: check\n",
        "secrets:\n  stage: check\n  script:\n    - nox -s secrets\n\ndrift:\n  stage: check\n",
    )
    monitoring = files / "monitoring" / "monitoring.yaml"
    edit(monitoring, "window_days: 28", "window_days: 30")
    edit(monitoring, "psi_alert: 0.25", "psi_alert: 0.2")
    questions = template / "cookiecutter.json"
    edit(questions, '"poc_monthly_requests": "1000"', '"poc_monthly_requests": "2500"')
    write_copier_yml(template)
    commit_all(template, "governance item, secret scan step, new defaults")
    git(template, "tag", V1)


def write_copier_yml(template: Path, migrations: list[Migration] | None = None) -> None:
    """copier.yml as `nox -s sync` writes it, for the template's current questions."""
    questions = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    text = render_copier_yml(questions, migrations or [])
    (template / "copier.yml").write_text(text, encoding="utf-8")


def release_rename(template: Path) -> None:
    """N+2: a file moves; the migration keeps the team's copy under the new name."""
    old, new = RENAMED
    (template / TEMPLATE_DIR / new).parent.mkdir(parents=True, exist_ok=True)
    git(template, "mv", f"{TEMPLATE_DIR}/{old}", f"{TEMPLATE_DIR}/{new}")
    write_copier_yml(template, [Migration(V2, "rename-file", old, new)])
    commit_all(template, "runbook moves under docs/operations")
    git(template, "tag", V2)


def team_edits(repo: Path) -> None:
    """What a POC team does in its first weeks, committed: the same for every example."""
    ownership = repo / "ownership.yaml"
    owner = yaml.safe_load(ownership.read_text(encoding="utf-8"))["roles"]["production_owner"]
    edit(ownership, f'name: "{owner["name"]}"', 'name: "Sam Okafor"')
    edit(ownership, f'email: "{owner["email"]}"', 'email: "sam.okafor@example.com"')
    contract = next((repo / "contracts").glob("*.odcs.yaml"))
    dataset = contract.name.removesuffix(".odcs.yaml")
    second = contract.read_text(encoding="utf-8").replace(dataset, "payment_events")
    (repo / "contracts" / "payment_events.odcs.yaml").write_text(second, encoding="utf-8")
    edit(repo / "governance" / "checklist.yaml", SIGN_OFF[0], SIGN_OFF[1])
    package = next(path for path in (repo / "src").iterdir() if path.is_dir())
    (package / "features.py").write_text(FEATURES, encoding="utf-8")
    edit(repo / "docs" / "runbook.md", "\n", f"\n{TEAM_NOTE}\n")
    edit(repo / "monitoring" / "monitoring.yaml", "psi_alert: 0.25", "psi_alert: 0.3")
    commit_all(repo, "team edits")


SIGN_OFF = (
    "    status: todo\n    evidence: null\n    sign_off: null",
    "    status: done\n    evidence: https://lms.example.com/ai-literacy\n"
    '    sign_off: {role: production_owner, name: "Sam Okafor", date: "2026-11-20"}',
)
FEATURES = '"""Features the team added."""\n\nTENURE_BUCKETS = (6, 12, 24)\n'
TEAM_NOTE = "Team note: page the data platform on-call before touching the fallback switch."


@dataclass
class History:
    template: Path
    pocs: dict[str, Path]
    fleet: Path


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """Template at N, POCs generated at N, then releases N+1 and N+2 tagged."""
    template = make_template_repo(tmp_path_factory.mktemp("template-history"), V0)
    out = tmp_path_factory.mktemp("pocs")
    pocs = {}
    # copier on a GitLab POC, cruft on a GitHub one: each CI flavour receives the new step.
    for generator, name in (("copier", "churn-model"), ("cruft", "support-assistant")):
        result = render(generator, template, example(name), out / generator)
        assert result.returncode == 0, result.output
        commit_all(result.destination, "generated")
        pocs[generator] = result.destination
    fleet = tmp_path_factory.mktemp("fleet")
    for state, generator in (("clean", "copier"), ("dirty", "copier"), ("edited", "copier"), ("cruft", "cruft")):
        result = render(generator, template, example("docs-assistant"), fleet / state)
        assert result.returncode == 0, result.output
        commit_all(result.destination, "generated")
    release_next(template)
    release_rename(template)
    return History(template, pocs, fleet)


@dataclass
class Updated:
    repo: Path
    output: str
    checked_before: int


@pytest.fixture(scope="module")
def updated(history: History) -> dict[str, Updated]:
    """Each POC edited by its team, then updated to N+1 by its own generator."""
    results = {}
    for generator, repo in history.pocs.items():
        team_edits(repo)
        if generator == "copier":
            checked = -1
            command = [tool("copier"), "update", "--trust", "--defaults", "--conflict", "inline", "--vcs-ref", V1, "."]
        else:
            checked = run([tool("cruft"), "check", "--project-dir", str(repo)]).returncode
            command = [tool("cruft"), "update", "--skip-apply-ask", "--checkout", V1, "--project-dir", str(repo)]
        proc = run(command, cwd=repo)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        results[generator] = Updated(repo, proc.stdout + proc.stderr, checked)
    return results


UPDATERS = ["copier", "cruft"]
pytestmark = pytest.mark.xdist_group("template-history")


def test_template_releases_are_pep440_tags(history: History) -> None:
    tags = git(history.template, "tag", "--list").split()
    assert sorted(tags, key=Version) == [V0, V1, V2]


@pytest.mark.parametrize("generator", UPDATERS)
def test_team_edits_survive(updated: dict[str, Updated], generator: str) -> None:
    repo = updated[generator].repo
    ownership = yaml.safe_load((repo / "ownership.yaml").read_text(encoding="utf-8"))
    assert ownership["roles"]["production_owner"] == {
        **ownership["roles"]["production_owner"],
        "name": "Sam Okafor",
        "email": "sam.okafor@example.com",
    }
    second = repo / "contracts" / "payment_events.odcs.yaml"
    assert second.read_text(encoding="utf-8") == git(repo, "show", "HEAD:contracts/payment_events.odcs.yaml")
    checklist = (repo / "governance" / "checklist.yaml").read_text(encoding="utf-8")
    assert SIGN_OFF[1] in checklist
    assert FEATURES in [path.read_text(encoding="utf-8") for path in (repo / "src").glob("*/features.py")]
    assert TEAM_NOTE in (repo / "docs" / "runbook.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("generator", UPDATERS)
def test_template_changes_arrive(updated: dict[str, Updated], generator: str) -> None:
    repo = updated[generator].repo
    items = yaml.safe_load((repo / "governance" / "checklist.yaml").read_text(encoding="utf-8"))
    assert NEW_ITEM in [item["id"] for item in items["items"]]
    workflow = repo / (".gitlab/ci/checks.yml" if generator == "copier" else ".github/workflows/ci.yml")
    assert "nox -s secrets" in workflow.read_text(encoding="utf-8")
    assert "window_days: 30" in (repo / "monitoring" / "monitoring.yaml").read_text(encoding="utf-8")
    name = "churn-model" if generator == "copier" else "support-assistant"
    if generator == "copier":
        answers = yaml.safe_load((repo / ".copier-answers.yml").read_text(encoding="utf-8"))
        assert answers["_commit"] == V1
    else:
        state = json.loads((repo / ".cruft.json").read_text(encoding="utf-8"))
        answers = state["context"]["cookiecutter"]
        assert state["commit"] == git(Path(state["template"]), "rev-list", "-n1", V1).strip()
    # A changed question default never overrides an answer already given.
    assert answers["poc_monthly_requests"] == example(name)["poc_monthly_requests"]


@pytest.mark.parametrize("generator", UPDATERS)
def test_genuine_conflict_is_marked_inline(updated: dict[str, Updated], generator: str) -> None:
    from prodready.template.fleet import changed_paths, conflicted

    repo = updated[generator].repo
    text = (repo / "monitoring" / "monitoring.yaml").read_text(encoding="utf-8")
    block = text[text.index("<<<<<<<") : text.index(">>>>>>>")]
    assert "psi_alert: 0.3" in block and "psi_alert: 0.2" in block  # the team's value and the template's
    assert conflicted(changed_paths(repo)) == ["monitoring/monitoring.yaml"]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.parametrize("generator", UPDATERS)
def test_pre_commit_catches_leftover_markers(
    updated: dict[str, Updated], generator: str, tmp_path: Path, pre_commit_home: Path
) -> None:
    """`git add` clears git's conflict state; the generated hook still refuses the markers."""
    repo = tmp_path / "repo"
    shutil.copytree(updated[generator].repo, repo, symlinks=True)
    git(repo, "add", "-A")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home)}
    hook = [tool("pre-commit"), "run", "check-merge-conflict", "--all-files"]
    caught = run(hook, cwd=repo, env=environment)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "monitoring/monitoring.yaml" in caught.stdout
    monitoring = repo / "monitoring" / "monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    resolved = text[: text.index("<<<<<<<")] + "  psi_alert: 0.3\n" + text[text.index(">>>>>>>") :].split("\n", 1)[1]
    monitoring.write_text(resolved, encoding="utf-8")
    git(repo, "add", "-A")
    clean = run(hook, cwd=repo, env=environment)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_cruft_check_follows_the_releases(updated: dict[str, Updated]) -> None:
    repo = updated["cruft"].repo
    assert updated["cruft"].checked_before == 1  # out of date before the update
    # cruft check compares with the template's default branch unless given a ref.
    assert run([tool("cruft"), "check", "--checkout", V1, "--project-dir", str(repo)]).returncode == 0
    assert run([tool("cruft"), "check", "--project-dir", str(repo)]).returncode == 1  # N+2 is out


def test_copier_migration_keeps_edits_of_a_renamed_file(updated: dict[str, Updated], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(updated["copier"].repo, repo, symlinks=True)
    monitoring = repo / "monitoring" / "monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    monitoring.write_text(
        text.replace(text[text.index("<<<<<<<") : text.index("psi_alert: 0.2")], ""), encoding="utf-8"
    )
    monitoring.write_text(
        monitoring.read_text(encoding="utf-8").replace(">>>>>>> after updating\n", ""), encoding="utf-8"
    )
    commit_all(repo, "update to the next template release, conflict resolved")
    proc = run([tool("copier"), "update", "--trust", "--defaults", "--vcs-ref", V2, "."], cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    old, new = RENAMED
    assert "prodready migration: docs/runbook.md is now docs/operations/runbook.md" in proc.stdout + proc.stderr
    assert not (repo / old).exists()
    assert TEAM_NOTE in (repo / new).read_text(encoding="utf-8")
    assert not [path for path in repo.rglob("*.rej")]


@pytest.fixture(scope="module")
def fleet_report(history: History, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, dict], str]:
    """`prodready update` over a folder of POCs in every state a fleet has."""
    fleet = history.fleet
    readme = fleet / "dirty" / FLEET_POC / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nwork in progress\n", encoding="utf-8")
    team_edits(fleet / "edited" / FLEET_POC)
    current = render("copier", history.template, example("docs-assistant"), fleet / "current")
    assert current.returncode == 0, current.output
    commit_all(current.destination, "generated at the newest release")
    plain = fleet / "plain"
    plain.mkdir()
    (plain / "README.md").write_text("not from the template\n", encoding="utf-8")
    commit_all(plain, "a repository of another kind")
    foreign = fleet / "foreign" / current.destination.name
    shutil.copytree(current.destination, foreign, symlinks=True)
    answers = foreign / ".copier-answers.yml"
    recorded = yaml.safe_load(answers.read_text(encoding="utf-8"))["_src_path"]
    answers.write_text(answers.read_text(encoding="utf-8").replace(recorded, str(tmp_path_factory.mktemp("evil"))))
    commit_all(foreign, "points at a template nobody trusts")
    report = tmp_path_factory.mktemp("fleet-report") / "update.json"
    command = [tool("prodready"), "update", str(fleet), str(plain), "--format", "json", "--output", str(report)]
    refused = run(command)
    assert refused.returncode == 2 and "--template-source" in refused.stderr and not report.exists()
    proc = run([*command, "--template-source", str(history.template)])
    outcomes = {
        Path(entry["repository"]).relative_to(fleet).parts[0]: entry
        for entry in json.loads(report.read_text(encoding="utf-8"))["repositories"]
    }
    return proc.returncode, outcomes, proc.stderr


def test_fleet_update_reports_each_repository(fleet_report: tuple[int, dict[str, dict], str]) -> None:
    returncode, outcomes, progress = fleet_report
    assert returncode == 1  # not every repository could be brought up to date
    assert {name: entry["status"] for name, entry in outcomes.items()} == {
        "clean": "updated",
        "cruft": "updated",
        "current": "current",
        "dirty": "skipped",
        "edited": "conflicts",
        "foreign": "skipped",
        "plain": "skipped",
    }
    assert (outcomes["clean"]["before"], outcomes["clean"]["after"]) == (str(CURRENT), V2[1:])
    assert "governance/checklist.yaml" in outcomes["clean"]["files"]
    assert outcomes["current"]["reason"] == f"already on {V2[1:]}"
    assert "uncommitted changes in 1 file(s), e.g. README.md" in outcomes["dirty"]["reason"]
    assert outcomes["edited"]["files"] == ["monitoring/monitoring.yaml"]
    assert "not generated from the template" in outcomes["plain"]["reason"]
    assert "not the trusted source" in outcomes["foreign"]["reason"]
    assert "[7/7] " in progress


def test_fleet_update_applies_migrations_and_leaves_dirty_trees_alone(
    history: History, fleet_report: tuple[int, dict[str, dict], str]
) -> None:
    clean = history.fleet / "clean" / FLEET_POC
    assert (clean / RENAMED[1]).exists() and not (clean / RENAMED[0]).exists()
    assert ".copier-answers.yml" in git(clean, "status", "--porcelain")  # left for review, not committed
    dirty = history.fleet / "dirty" / FLEET_POC
    assert git(dirty, "status", "--porcelain").split() == ["M", "README.md"]
    assert (dirty / RENAMED[0]).exists()


def test_audit_reports_versions_behind(history: History, fleet_report: tuple[int, dict[str, dict], str]) -> None:
    from prodready.audit.engine import audit_repository

    def tpl002(name: str, **options: str) -> tuple[str, str]:
        audit = audit_repository(history.fleet / name / FLEET_POC, **options)
        finding = next(f for f in audit.findings if f.id == "TPL002")
        return finding.status, finding.message

    assert tpl002("dirty") == ("failed", f"2 versions behind the template: at {CURRENT}, newest {V2[1:]}")
    assert tpl002("dirty", template_version=V1) == (
        "failed",
        f"1 version behind the template: at {CURRENT}, newest {V1[1:]}",
    )
    assert tpl002("dirty", template_version="9.0") == (
        "failed",
        f"3 versions behind the template: at {CURRENT}, newest 9.0",
    )
    assert tpl002("current") == ("passed", "")
    assert tpl002("clean")[0] == "passed"  # updated, not yet committed: the answers file says N+2
    status, message = tpl002("dirty", template_source=str(history.fleet / "plain"))
    assert (status, message.split(" (")[0]) == ("skipped", "newest template version unknown")
    cli = run([tool("prodready"), "audit", str(history.fleet / "dirty"), "--template-version", "not a version"])
    assert cli.returncode == 2 and "'not a version' is not a PEP 440 version: give one such as 0.3.0" in cli.stderr


def test_migrations_rename_answers_and_refuse_paths_outside(tmp_path: Path) -> None:
    from hooks.migrate import MigrationError, main, rename_answer, rename_file

    (tmp_path / ".copier-answers.yml").write_text("_commit: v1\nowner_mail: a@b.org\nother: 1\n", encoding="utf-8")
    state = {"template": "x", "commit": "y", "context": {"cookiecutter": {"owner_mail": "a@b.org"}}}
    (tmp_path / ".cruft.json").write_text(json.dumps(state), encoding="utf-8")
    assert len(rename_answer("owner_mail", "owner_email", tmp_path)) == 2
    assert rename_answer("owner_mail", "owner_email", tmp_path) == []  # safe to run twice
    assert yaml.safe_load((tmp_path / ".copier-answers.yml").read_text(encoding="utf-8"))["owner_email"] == "a@b.org"
    cruft = json.loads((tmp_path / ".cruft.json").read_text(encoding="utf-8"))["context"]["cookiecutter"]
    assert cruft == {"owner_email": "a@b.org"}
    for hostile in ("../outside.md", "/etc/passwd", ""):
        with pytest.raises(MigrationError, match="must be a relative path inside the repository"):
            rename_file(hostile, "docs/x.md", tmp_path)
    with pytest.raises(MigrationError, match="is not an answer name"):
        rename_answer("a: b", "c", tmp_path)
    assert main(["rename-file", "only-one"]) == 2


def test_changelog_names_this_release() -> None:
    from .helpers import ROOT

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = [Version(match) for match in re.findall(r"^## (\S+) — \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)]
    assert released and released[0] == CURRENT
    assert released == sorted(released, reverse=True)
