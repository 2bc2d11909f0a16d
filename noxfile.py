"""Every developer task of prodready is a nox session (uv creates the environments).

nox -s demo     generate the example POC and run its own checks
nox -s tests    the test suite (.ci/run runs it with lint and spark)
nox -s spark    the contract checks on Spark SQL
nox -s lint     ruff and mypy
nox -s sync     rewrite copier.yml from cookiecutter.json
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_external_run = True

ROOT = Path(__file__).parent
DEMO_EXAMPLE = ROOT / "examples" / "support-assistant.yaml"


def template_snapshot(session: nox.Session, out: Path) -> Path:
    """This checkout's files as a git repository tagged with its release: the demo's template source.

    A POC installs prodready from its template's repository at the release tag, as a
    platform team's copy would serve it; the snapshot includes uncommitted changes, so
    the demo shows the working tree.
    """
    init = (ROOT / "src" / "prodready" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r'^__version__ = "([^"]+)"', init, re.MULTILINE).group(1)  # type: ignore[union-attr]
    shutil.rmtree(out, ignore_errors=True)
    listed = session.run(
        "git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", external=True, silent=True
    )
    for name in filter(None, str(listed).split("\0")):
        if (ROOT / name).is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, out / name)
    identity = ["-c", "user.name=prodready demo", "-c", "user.email=demo@prodready.invalid"]
    steps = (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"], ["tag", f"v{version}"])
    for command in steps:
        session.run("git", "-C", str(out), *identity, *command, external=True, silent=True)
    return out


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, including the generated repositories' own sessions."""
    session.install("-e", ".[test]")
    # loadgroup keeps a module-scoped template history (tests/test_updates.py) on one worker.
    workers = ["-n", "2", "--dist", "loadgroup"] if not session.posargs else []
    env = {"PRODREADY_SARIF_SCHEMA": os.environ.get("PRODREADY_SARIF_SCHEMA", "")}
    session.run("pytest", "-m", "not spark", *workers, *session.posargs, env=env)


@nox.session
def spark(session: nox.Session) -> None:
    """The contract checks on Spark SQL (a local SparkSession; needs Java 17+)."""
    session.install("-e", ".[test,spark]")
    session.run("pytest", "-m", "spark", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Generate examples/support-assistant.yaml into demo/ and run its readiness checks.

    The example POC is generated from a tagged git snapshot of this checkout (demo/template)
    and installs prodready from it, at the tag, exactly as a POC installs it from the
    platform's template repository: no package index, no find-links.
    """
    session.install(".[template]")
    destination = ROOT / "demo"
    shutil.rmtree(destination, ignore_errors=True)
    template = template_snapshot(session, destination / "template")
    session.run(
        "prodready",
        "new",
        *("--answers", str(DEMO_EXAMPLE), "--generator", "copier"),
        *("--template-source", str(template), "--output-dir", str(destination)),
    )
    (project,) = [p for p in destination.iterdir() if p.is_dir() and p != template]
    session.chdir(project)
    session.run("nox", "--no-color", external=True)
    session.log(f"The example POC is in {project}; its checks passed.")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on everything, mypy --strict on the package, vulture for dead code."""
    session.install("ruff>=0.6", "mypy>=1.11", "types-PyYAML", "vulture>=2.11", "-e", ".[template]")
    # Named paths: the template directory holds Jinja templates, not Python to lint.
    paths = ["src", "tests", "hooks", "tools", "benchmarks", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)
    session.run("mypy")
    session.run("vulture")


@nox.session
def sync(session: nox.Session) -> None:
    """Rewrite copier.yml from cookiecutter.json (the questionnaire's single source)."""
    session.install("pyyaml>=6.0")
    session.run("python", "tools/sync_copier_yml.py")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with MkDocs (Material) in strict mode: any warning fails."""
    session.install("mkdocs>=1.6", "mkdocs-material>=9.5")
    env = {"NO_MKDOCS_2_WARNING": "1"}  # Material's banner about its successor, not a build problem
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "site"), *session.posargs, env=env)


@nox.session
def docs_checks(session: nox.Session) -> None:
    """Rewrite docs/checks.md from the audit's checks."""
    session.install("-e", ".")
    session.run("python", "tools/gen_check_docs.py")
