"""A generated repository on the package-index route passes its own sessions.

The default route (prodready from the template's git repository at its tag) runs end to
end in tests/test_getting_started.py, through copier and through cookiecutter. Here the
docs-assistant POC is generated with ``prodready_install: package-index``, and its
sessions install prodready from a package index (a PEP 503 index of this checkout's
wheel, named only by ``PRODREADY_INDEX_URL`` as its CI variable would); without the
variable, the sessions stop with a one-line error before installing anything.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from prodready import __version__
from prodready.core.next_steps import SESSIONS

from .helpers import example, neutral_environment, render, run, tool

pytestmark = pytest.mark.slow


def simple_index(wheelhouse: Path, root: Path) -> str:
    """A file:// package index (PEP 503 simple API) holding prodready's wheel only."""
    (wheel,) = wheelhouse.glob("prodready-*.whl")
    project = root / "simple" / "prodready"
    project.mkdir(parents=True)
    (root / "simple" / "index.html").write_text('<html><body><a href="prodready/">prodready</a></body></html>\n')
    (project / "index.html").write_text(f'<html><body><a href="{wheel.as_uri()}">{wheel.name}</a></body></html>\n')
    return (root / "simple").as_uri()


@pytest.fixture(scope="module")
def indexed_poc(tmp_path_factory: pytest.TempPathFactory, template_repo: Path) -> Path:
    out = tmp_path_factory.mktemp("index-route")
    result = render("copier", template_repo, {**example("docs-assistant"), "prodready_install": "package-index"}, out)
    assert result.returncode == 0, result.output
    return result.destination


def test_index_route_renders_one_requirement(indexed_poc: Path) -> None:
    requirement = f"prodready=={__version__}"
    assert f'checks = ["{requirement}"]' in (indexed_poc / "pyproject.toml").read_text(encoding="utf-8")
    assert "allow-direct-references" not in (indexed_poc / "pyproject.toml").read_text(encoding="utf-8")
    assert f'additional_dependencies: ["{requirement}"]' in (indexed_poc / ".pre-commit-config.yaml").read_text()
    workflow = (indexed_poc / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "PRODREADY_INDEX_URL: ${{ vars.PRODREADY_INDEX_URL }}" in workflow


def test_index_route_without_the_variable_stops_in_one_line(indexed_poc: Path) -> None:
    proc = run([tool("nox"), "--no-color", "-s", "cost"], cwd=indexed_poc, env=neutral_environment(), timeout=600)
    assert proc.returncode != 0
    assert "PRODREADY_INDEX_URL is not set: set it (a CI variable, or in your shell)" in proc.stdout + proc.stderr


def test_index_route_sessions_pass(indexed_poc: Path, wheelhouse: Path, tmp_path: Path) -> None:
    env = neutral_environment(PRODREADY_INDEX_URL=simple_index(wheelhouse, tmp_path))
    proc = run([tool("nox"), "--no-color"], cwd=indexed_poc, env=env, timeout=1500)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    for session in SESSIONS:
        assert f"* {session}: success" in output
    assert "2 contract(s) linted: ok" in output
    assert "decisions (out, mocked): ok" in output  # what the POC writes back, checked against its contract


def test_load_gates_on_the_slos_and_falls_back_without_dropping_a_request(indexed_poc: Path, tmp_path: Path) -> None:
    """`nox -s load` fails on a p95 SLO the service cannot reach; under forced fallback every request is answered."""
    project = tmp_path / "poc"
    shutil.copytree(indexed_poc, project, ignore=shutil.ignore_patterns(".nox"))
    monitoring = project / "monitoring" / "monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    monitoring.write_text(text.replace("latency_p95_seconds: 4.0", "latency_p95_seconds: 0.000001"), encoding="utf-8")
    env = neutral_environment()
    strict = run([tool("nox"), "--no-color", "-s", "load", "--", "--duration", "4"], cwd=project, env=env, timeout=900)
    assert strict.returncode != 0
    assert (
        "load: failed: p95" in strict.stdout + strict.stderr
        and "is above the SLO of 1e-06 s" in strict.stdout + strict.stderr
    )
    monitoring.write_text(text, encoding="utf-8")
    forced = neutral_environment(ENGINEERING_HANDBOOK_ASSISTANT_FORCE_FALLBACK="1")
    fallback = run(
        [tool("nox"), "--no-color", "-s", "load", "--", "--duration", "4"], cwd=project, env=forced, timeout=900
    )
    results = json.loads((project / "load" / "results.json").read_text(encoding="utf-8"))
    assert results["requests"] > 0 and results["error_rate"] == 0 and results["fallback_rate"] == 1.0
    assert (
        fallback.returncode == 1
        and "load: failed: fallback rate 1.000 is above 0.05" in fallback.stdout + fallback.stderr
    )


def test_integration_fails_naming_the_system_whose_contract_the_poc_breaks(
    indexed_poc: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    """The write-back contract asks for a column the POC does not write: `nox -s integration` names the system."""
    project = tmp_path / "poc"
    shutil.copytree(indexed_poc, project, ignore=shutil.ignore_patterns(".nox", "var"))
    contract = project / "contracts" / "decisions.odcs.yaml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace("- name: model_version", "- name: model_release"), encoding="utf-8")
    env = neutral_environment(PRODREADY_INDEX_URL=simple_index(wheelhouse, tmp_path / "index"))
    proc = run([tool("nox"), "--no-color", "-s", "integration"], cwd=project, env=env, timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    assert "decisions (out, mocked): FAILED - producer:" in output
    assert "integration: failed: decisions (see integration/results.json)" in output
    results = json.loads((project / "integration" / "results.json").read_text(encoding="utf-8"))
    assert [s["passed"] for s in results["systems"]] == [True, False]
