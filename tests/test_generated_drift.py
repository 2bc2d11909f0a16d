"""A generated repository's drift session can fail: it checks the window against the committed profile.

The docs-assistant POC is generated on the package-index route (as in
tests/test_generated_sessions.py) and its own ``nox -s drift`` runs twice: on the
committed sample, which matches the template's reference profile, it passes; with the
sample replaced by a drifted window (every request from the web, every label billing)
it fails, naming the drifted columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from .helpers import example, neutral_environment, render, run, tool
from .test_generated_sessions import simple_index

pytestmark = pytest.mark.slow


def test_the_drift_session_passes_on_the_sample_and_fails_on_a_drifted_window(
    template_repo: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    answers = {**example("docs-assistant"), "prodready_install": "package-index"}
    result = render("cookiecutter", template_repo, answers, tmp_path / "out")
    assert result.returncode == 0, result.output
    poc, sample = result.destination, result.destination / "tests" / "data" / f"{answers['primary_dataset']}.csv"
    env = neutral_environment(PRODREADY_INDEX_URL=simple_index(wheelhouse, tmp_path / "index"))

    passed = run([tool("nox"), "--no-color", "-s", "drift"], cwd=poc, env=env, timeout=900)
    assert passed.returncode == 0, (passed.stdout + passed.stderr)[-4000:]
    assert "Session drift was successful" in passed.stderr

    rows = list(csv.DictReader(io.StringIO(sample.read_text(encoding="utf-8"))))
    drifted = io.StringIO()
    writer = csv.DictWriter(drifted, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "channel": "web", "label": "billing"} for row in rows)
    sample.write_text(drifted.getvalue(), encoding="utf-8")
    # -R: the session's environment as the first run left it, nothing installed again
    failed = run([tool("nox"), "--no-color", "-R", "-s", "drift"], cwd=poc, env=env, timeout=900)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output[-4000:]
    assert "Session drift failed" in output and "DATASET DRIFT" in output
    table = {line.split()[0]: line for line in output.splitlines() if line.split()[:1] in (["channel"], ["label"])}
    assert "alert" in table["channel"] and "alert" in table["label"], output[-4000:]
