"""Shared fixtures: one template snapshot, one wheel, and each example rendered once.

Rendering is the slow part of this suite, so every example is rendered by each
generator once per session and the trees are shared by the parity, schema and
generated-session tests (none of them modifies a tree).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prodready import __version__

from .helpers import EXAMPLES, Result, example, make_template_repo, render, run, tool
from .paired_sql import PairedSQL

GENERATORS = ("cookiecutter", "copier", "cruft")
EXAMPLE_NAMES = [path.stem for path in EXAMPLES]


@pytest.fixture(autouse=True)
def _duckdb_sql_written_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every DuckDB check and drift query run in process is written as text and with sqlglot, and compared."""
    import prodready.contracts.compile
    import prodready.drift.profile
    import prodready.drift.score
    from prodready.data.build import builder_for

    def paired(engine: Any) -> Any:
        return PairedSQL() if engine.dialect == "duckdb" else builder_for(engine)

    for module in (prodready.contracts.compile, prodready.drift.profile, prodready.drift.score):
        monkeypatch.setattr(module, "builder_for", paired)


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template_repo(tmp_path_factory.mktemp("template"), f"v{__version__}")


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory, template_repo: Path) -> Path:
    """A wheel of this checkout: the package-index route's index, and the template copy it carries."""
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


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict[str, str | int]]:
    """A real PostgreSQL server on 127.0.0.1, started for this test session.

    In CI (``CI`` set) a missing server is a failure, not a skip: .ci/run installs it.
    PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
    user that Debian's package creates.
    """
    binaries = _postgres_bin()
    if binaries is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    data = Path(tempfile.mkdtemp(prefix="prodready-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    cluster = data / "cluster"
    setup = run(
        [
            *as_user,
            str(binaries / "initdb"),
            "-D",
            str(cluster),
            "-A",
            "trust",
            "-U",
            "prodready",
            "--no-sync",
            "-E",
            "UTF8",
        ]
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = run(
        [*as_user, str(binaries / "pg_ctl"), "-D", str(cluster), "-o", options, "-l", str(data / "log"), "-w", "start"]
    )
    assert start.returncode == 0, start.stdout + start.stderr + (data / "log").read_text(errors="replace")
    try:
        yield {"host": "127.0.0.1", "port": port, "user": "prodready", "database": "postgres"}
    finally:
        run([*as_user, str(binaries / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "stop"])
        shutil.rmtree(data, ignore_errors=True)
