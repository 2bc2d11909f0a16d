"""Shared fixtures: one template snapshot, one wheel, and each example rendered once.

Rendering is the slow part of this suite, so every example is rendered by each
generator once per session and the trees are shared by the parity, schema and
generated-session tests (none of them modifies a tree).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready import __version__

from .helpers import EXAMPLES, Result, example, make_template_repo, render, run, tool

GENERATORS = ("cookiecutter", "copier", "cruft")
EXAMPLE_NAMES = [path.stem for path in EXAMPLES]


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template_repo(tmp_path_factory.mktemp("template"), f"v{__version__}")


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory, template_repo: Path) -> Path:
    """A wheel of this checkout: generated repos install prodready from here, as from an index."""
    out = tmp_path_factory.mktemp("wheelhouse")
    proc = run([tool("uv"), "build", "--wheel", "--out-dir", str(out), str(template_repo)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, template_repo: Path) -> dict[tuple[str, str], Result]:
    """Every example rendered by every generator, keyed by (example, generator)."""
    results = {}
    for name in EXAMPLE_NAMES:
        for generator in GENERATORS:
            out = tmp_path_factory.mktemp(f"{name}-{generator}")
            result = render(generator, template_repo, example(name), out)
            assert result.returncode == 0, f"{generator} failed on {name}:\n{result.output}"
            results[(name, generator)] = result
    return results
