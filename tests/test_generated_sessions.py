"""A freshly generated repository passes its own checks, in fresh virtual environments.

Each example's repository runs every default nox session (lint, tests, contracts,
cost) exactly as its CI would, installing prodready from a wheel of this checkout the
way it would install it from an organisation's package index.
"""

from __future__ import annotations

import os
import shutil

import pytest

from .conftest import EXAMPLE_NAMES
from .helpers import run, tool


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_generated_repository_sessions_pass(name, rendered, wheelhouse, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(rendered[(name, "cookiecutter")].destination, project)
    env = {**os.environ, "UV_FIND_LINKS": str(wheelhouse), "PIP_FIND_LINKS": str(wheelhouse), "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    proc = run([tool("nox"), "--no-color"], cwd=project, env=env, timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    for session in ("lint", "tests", "contracts", "drift", "cost", "audit"):
        assert f"* {session}: success" in output
    assert "passed" in output and "1 contract(s) linted: ok" in output
