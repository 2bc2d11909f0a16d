"""Day one as a new user lives it: no package index for prodready, no find-links, no edits.

The template is served from a local git repository with a release tag, as a platform
team's copy would be from its git host. docs/getting-started.md runs line by line (its
one URL pointed at that repository): install prodready from the repository at the tag,
generate with ``prodready new``, commit, run the POC's own ``nox`` (every session,
prodready installed by the generated files themselves), audit; then the template
releases again and ``copier update`` takes the POC to the new tag. The same journey runs
through plain cookiecutter and ``cruft update``, and through the package-index route.
Nothing here sets ``PIP_FIND_LINKS``/``UV_FIND_LINKS`` or an index for prodready: the
machine's own installer settings for public packages are all there is.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from prodready import __version__
from prodready.core.next_steps import SESSIONS, next_steps
from prodready.core.project import repository_url

from .helpers import GIT_IDENTITY, ROOT, commit_all, example, git, neutral_environment, run, tool
from .test_docs import commands, script
from .test_updates import NEW_ITEM, V0, V1, release_next

PAGE = ROOT / "docs" / "getting-started.md"
SOURCE_LINE = f"export PRODREADY_TEMPLATE_SOURCE={repository_url()}"
pytestmark = pytest.mark.slow


def clean_environment(home: Path) -> dict[str, str]:
    """A reader's shell: no test tools on PATH, nothing pointing installers at prodready."""
    test_bin = str(Path(sys.executable).parent)
    env = neutral_environment(**GIT_IDENTITY, PRE_COMMIT_HOME=str(home / "pre-commit"))
    env["PATH"] = os.pathsep.join(part for part in env["PATH"].split(os.pathsep) if part != test_bin)
    return env


def installed_from(site_packages: Path) -> dict[str, object]:
    """How pip or uv recorded the prodready it installed (PEP 610 direct_url.json)."""
    (record,) = site_packages.glob("prodready-*.dist-info/direct_url.json")
    return json.loads(record.read_text(encoding="utf-8"))


def clone(template_repo: Path, destination: Path) -> Path:
    """The platform's copy of the template: a git repository with its release tags."""
    proc = run(["git", "clone", "--quiet", str(template_repo), str(destination)])
    assert proc.returncode == 0, proc.stderr
    return destination


def session_installs(project: Path) -> list[Path]:
    return sorted(project.glob(".nox/*/lib/python*/site-packages"))


def test_the_page_names_this_release_and_the_package_repository() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert SOURCE_LINE in text, "the page's template source is the package metadata's repository"
    assert f"@{V0}" in text and f"--branch {V0}" in text and f"=={__version__}" in text


def test_getting_started_runs_as_written(tmp_path: Path, template_repo: Path) -> None:
    template = clone(template_repo, tmp_path / "template")
    steps = [
        (command.replace(SOURCE_LINE, f"export PRODREADY_TEMPLATE_SOURCE=file://{template}"), status)
        for command, status in commands(PAGE)
    ]
    assert sum(command.startswith("export PRODREADY_TEMPLATE_SOURCE=file://") for command, _ in steps) == 1
    reader = tmp_path / "reader"
    reader.mkdir()
    env = clean_environment(tmp_path)
    proc = run(["bash", "-c", script(steps)], cwd=reader, env=env, timeout=1800)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    for session in SESSIONS:
        assert f"* {session}: success" in output

    # prodready came from the template's repository at the tag, into the reader's
    # environment and into every session of the POC, which installed it itself.
    site = next((reader / ".venv" / "lib").glob("python*/site-packages"))
    assert installed_from(site)["vcs_info"]["requested_revision"] == V0  # type: ignore[index]
    project = reader / "support-reply-assistant"
    sessions = session_installs(project)
    assert {path.parts[-4] for path in sessions} >= {"contracts", "drift", "cost", "audit"}
    for site_packages in sessions:
        if list(site_packages.glob("prodready-*.dist-info")):
            recorded = installed_from(site_packages)
            assert recorded["url"] == f"file://{template}" and recorded["vcs_info"]["requested_revision"] == V0  # type: ignore[index]
    # The generated CI runs exactly these sessions, after installing nox and uv: green here
    # with no edit and no index for prodready is green on a hosted runner.
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [step["run"] for step in workflow["jobs"]["checks"]["steps"] if "run" in step]
    assert steps == ['python -m pip install "nox>=2024.10.9" "uv>=0.4.20"', *(f"nox -s {name}" for name in SESSIONS)]
    assert "env" not in workflow["jobs"]["checks"], "nothing to configure on the default route"
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert f"_src_path: {template}" in answers and f"_commit: {V0}" in answers
    assert "site-packages" not in answers

    # The platform releases again; the POC takes the release, requirement included.
    release_next(template)
    update = run(["bash", "-c", ". ../.venv/bin/activate && copier update --trust --defaults"], cwd=project, env=env)
    assert update.returncode == 0, update.stdout + update.stderr
    assert NEW_ITEM in (project / "governance" / "checklist.yaml").read_text(encoding="utf-8")
    assert f"prodready @ git+file://{template}@{V1}" in (project / "pyproject.toml").read_text(encoding="utf-8")
    commit_all(project, "Template release " + V1)
    audit = run(["bash", "-c", ". ../.venv/bin/activate && nox -s audit"], cwd=project, env=env, timeout=900)
    assert audit.returncode == 0, (audit.stdout + audit.stderr)[-4000:]
    assert (
        installed_from(project / next(p for p in session_installs(project) if p.parts[-4] == "audit"))["vcs_info"][
            "requested_revision"
        ]
        == V1
    )  # type: ignore[index]


def test_cookiecutter_then_cruft_update(tmp_path: Path, template_repo: Path) -> None:
    """The same day with plain cookiecutter, and the next release with ``cruft update``."""
    template = clone(template_repo, tmp_path / "template")
    env = clean_environment(tmp_path)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # cookiecutter, cruft, nox
    answers = [f"{key}={value}" for key, value in example("churn-model").items()]
    proc = run([tool("cookiecutter"), "--no-input", "-o", str(tmp_path), str(template), *answers], env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.endswith("Next steps:\n" + next_steps("churn-early-warning") + "\n"), proc.stdout
    project = tmp_path / "churn-early-warning"
    state = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert state["template"] == str(template) and state["commit"] == git(template, "rev-parse", "HEAD").strip()
    commit_all(project, "Generated by prodready")
    checks = run([tool("nox"), "--no-color"], cwd=project, env=env, timeout=1500)
    output = checks.stdout + checks.stderr
    assert checks.returncode == 0, output[-6000:]
    for session in SESSIONS:
        assert f"* {session}: success" in output
    # The checks leave the working tree as committed, but for the evidence `nox -s eval`,
    # `nox -s load` and `nox -s integration` write for the team to commit: the evaluation's
    # results, the model card's evaluation section, the load and the integration tests' results.
    changed = sorted(line[3:] for line in git(project, "status", "--porcelain").splitlines())
    assert changed == [
        "evaluation/results.json",
        "governance/model_card.md",
        "integration/results.json",
        "load/",
    ], changed
    integration = json.loads((project / "integration" / "results.json").read_text(encoding="utf-8"))
    assert integration["passed"] and [s["name"] for s in integration["systems"]] == ["customer-accounts", "decisions"]
    load = json.loads((project / "load" / "results.json").read_text(encoding="utf-8"))
    assert load["breaches"] == [] and load["projected_batch_seconds"] < load["window_seconds"]
    results = json.loads((project / "evaluation" / "results.json").read_text(encoding="utf-8"))
    assert results["passed"] and results["placeholder"] and results["metric"] == "recall"
    # The gate fails, in one line, when eval.yaml asks more than the golden set achieves.
    settings = project / "evaluation" / "eval.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("min_margin: 0.2", "min_margin: 0.99"))
    raised = run([tool("nox"), "--no-color", "-s", "eval"], cwd=project, env=env, timeout=600)
    assert raised.returncode != 0
    assert (
        "eval: failed: recall 0.750 does not beat the baseline's 0.000 by the margin 0.99"
        in raised.stdout + raised.stderr
    )
    run(["git", "checkout", "--", "."], cwd=project)
    run(["git", "clean", "-fdq"], cwd=project)

    release_next(template)
    update = run([tool("cruft"), "update", "--skip-apply-ask", "--checkout", V1], cwd=project, env=env)
    assert update.returncode == 0, update.stdout + update.stderr
    assert NEW_ITEM in (project / "governance" / "checklist.yaml").read_text(encoding="utf-8")
    assert f"prodready @ git+file://{template}@{V1}" in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert (
        json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["commit"]
        == git(template, "rev-parse", f"{V1}^{{commit}}").strip()
    )
    commit_all(project, "Template release " + V1)
    audit = run([tool("nox"), "--no-color", "-s", "audit"], cwd=project, env=env, timeout=900)
    assert audit.returncode == 0, (audit.stdout + audit.stderr)[-4000:]


def test_the_other_install_routes_of_the_page(tmp_path: Path, template_repo: Path, wheelhouse: Path) -> None:
    """From a clone at the tag, and from a package index once the platform publishes to one."""
    from .test_generated_sessions import simple_index

    env = clean_environment(tmp_path)
    routes = {
        "clone": f'git clone --quiet --branch {V0} {template_repo} prodready && python -m pip install --quiet "./prodready[template]"',
        "index": f'PIP_EXTRA_INDEX_URL={simple_index(wheelhouse, tmp_path / "index")} python -m pip install --quiet "prodready[template]=={__version__}"',
    }
    text = PAGE.read_text(encoding="utf-8")
    assert (
        "git clone --branch" in text
        and '"./prodready[template]"' in text
        and f'"prodready[template]=={__version__}"' in text
    )
    for name, install in routes.items():
        where = tmp_path / f"reader-{name}"
        where.mkdir()
        commands = f"python3 -m venv .venv && . .venv/bin/activate && python -m pip install --quiet --upgrade pip && {install} && prodready --version"
        proc = run(["bash", "-c", commands], cwd=where, env=env, timeout=900)
        assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"
        assert proc.stdout.strip().endswith(__version__)
        site = next((where / ".venv" / "lib").glob("python*/site-packages"))
        if name == "clone":
            assert "dir_info" in installed_from(site), "installed from the clone's directory"
        else:  # from an index: pip records no direct URL
            assert not list(site.glob("prodready-*.dist-info/direct_url.json"))
