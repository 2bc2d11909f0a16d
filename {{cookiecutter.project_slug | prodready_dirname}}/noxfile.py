"""Developer tasks for this POC; CI runs the same sessions.

Each readiness concern has its own session, so a failure names the concern:
``nox -s lint tests eval load integration contracts drift cost audit``. The sessions install what they need into fresh
virtual environments (uv when available), so they give the same result on a laptop
and in CI.
"""

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = [
    "lint",
    "tests",
    "eval",
    "load",
    "integration",
    "contracts",
    "drift",
    "cost",
    "audit",
]
nox.options.error_on_external_run = True

CHECKS = ".[checks]"  # prodready, as pyproject.toml's `checks` extra names it


def install_checks(session: nox.Session) -> None:
{%- if cookiecutter.prodready_install == 'package-index' %}
    """Install prodready from the package index named by {{ prodready_index_variable }} (a CI variable).

    The index is searched before the public one, so no other package named prodready
    can stand in for it. Its URL holds no token: an index that needs one reads it from
    the installer's usual settings (a CI secret, a netrc file).
    """
    index = os.environ.get("{{ prodready_index_variable }}", "").strip()
    if not index:
        session.error(
            "{{ prodready_index_variable }} is not set: set it (a CI variable, or in your shell) "
            "to the URL of the package index prodready is published to"
        )
    session.install(CHECKS, env={"UV_EXTRA_INDEX_URL": index, "PIP_EXTRA_INDEX_URL": index})
{%- else %}
    """Install prodready from the template's git repository, at this POC's release (no index)."""
    session.install(CHECKS)
{%- endif %}


@nox.session
def lint(session: nox.Session) -> None:
    """Static checks of the code: ruff lint and format."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """The POC's own tests: the runtime wrapper, the model's code{{ ', the service (schemathesis)' if prodready_online(cookiecutter) else '' }}, feedback."""
    session.install("-e", ".[test{{ ',api-test' if prodready_online(cookiecutter) else '' }}]")
    session.run("pytest", *session.posargs)


@nox.session(name="eval")
def evaluate(session: nox.Session) -> None:
    """Run the golden set through the model and its baseline; fail below evaluation/eval.yaml's bounds.

    Writes evaluation/results.json and the model card's evaluation section. Offline by
    default (config/model.yaml's provider{{ ': stub' if cookiecutter.ai_system_type != 'classical-ml' else '' }}): nothing here needs the network.
    """
    session.install("-e", ".")
    session.run("python", "-m", "{{ cookiecutter.package_name }}.evaluate", *session.posargs)


@nox.session
def load(session: nox.Session) -> None:
    """The POC at its production peak{{ ' (locust against the local service)' if prodready_online(cookiecutter) else ' (a synthetic batch against the window)' }}; fail on an SLO breach.

    Writes load/results.json, which `prodready cost --measured load/results.json` reads.
    ``nox -s load -- --duration 60`` loads for longer.
    """
    session.install("-e", ".{{ '[load-test]' if prodready_online(cookiecutter) else '' }}")
    session.run("python", "-m", "{{ cookiecutter.package_name }}.loadtest", *session.posargs)


@nox.session
def integration(session: nox.Session) -> None:
    """Test every system of integration/systems.yaml against its contract; fail naming the system.

    On loopback: what the POC reads and writes is checked against the contracts here;
    a system in a sandbox or live is verified against its provider too (credentials
    from the environment). Writes integration/results.json.
    """
    install_checks(session)
    session.install("-e", ".")
    module = "{{ cookiecutter.package_name }}.integration"
    needs = session.run("python", "-m", module, "--needs-api-tools", silent=True)
    if isinstance(needs, str) and needs.strip().endswith("yes"):
        session.install("-e", ".[api-test]")
    session.run("python", "-m", module, *session.posargs)


@nox.session
def contracts(session: nox.Session) -> None:
    """Lint every data contract, then check it against a server's data (default: ci).

    ``nox -s contracts -- production`` checks the production server instead; its
    credentials come from the environment (for PostgreSQL: PGUSER, PGPASSWORD).
    """
    install_checks(session)
    server = session.posargs[0] if session.posargs else "ci"
    session.run("prodready", "contracts", "lint", "contracts")
    session.run("prodready", "contracts", "check", "contracts", "--server", server)


@nox.session
def drift(session: nox.Session) -> None:
    """Score the current window against the committed reference profile; fail when it drifts.

    The reference is monitoring/reference_profile.json (monitoring.yaml's
    drift.reference_profile): the template ships the profile of the committed sample;
    profile the data the model is built on and commit it in its place
    (``prodready drift profile DATA --contract CONTRACT -o monitoring/reference_profile.json``).
    The current window is the contract's ci server data, the committed sample;
    ``nox -s drift -- CURRENT`` scores another (a file, or a postgresql:// URL with ``--table``).
    """
    install_checks(session)
    current = session.posargs or ["tests/data/{{ cookiecutter.primary_dataset }}.csv"]
    reference = "monitoring/reference_profile.json"
    session.run("prodready", "drift", "check", "--profile", reference, *current)


@nox.session
def cost(session: nox.Session) -> None:
    """Project the cost from POC to production scale; in CI, into the job summary."""
    install_checks(session)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    output = ["--output", summary] if summary else []
    report = ["cost/cost_model.yaml", "--format", "markdown", *output, *session.posargs]
    session.run("prodready", "cost", *report)


@nox.session
def audit(session: nox.Session) -> None:
    """Gate on readiness: fail when the repository is below its declared stage."""
    install_checks(session)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    output = ["--output", f"markdown={summary}"] if summary else []
    session.run("prodready", "audit", ".", *output, *session.posargs)
