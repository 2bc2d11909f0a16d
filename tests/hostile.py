"""A harness for hostile input: run one ``prodready`` command on files an attacker wrote.

Each ``Case`` is files, a command and the exit codes it may end with. ``run_case`` runs
the real command line in a subprocess with a memory cap and a timeout, in a sandbox
directory beside an ``outside/`` directory that holds a secret, and checks what a
hostile input must never achieve:

* a traceback, or an exit code other than those allowed (0/1/2 at most);
* the secret marker (a protected value planted in the data, or a file outside the
  repository) in standard output, standard error or any file the command wrote;
* a file written or changed outside the sandbox, or a sentinel file inside it touched;
* more than ``MEMORY_BYTES`` of address space or ``TIMEOUT`` seconds.

Side effects on a database are checked by the cases themselves (row counts, tables),
through the ``after`` callback.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: A value planted where it must never be shown: protected columns, outside files.
SECRET = "SECRET-7f3a9c-MARKER"
MEMORY_BYTES = 1536 * 1024 * 1024
TIMEOUT = 90
PRODREADY = [sys.executable, "-c", "from prodready.cli import main; main()"]


@dataclass
class Case:
    """One hostile input: files (relative to the sandbox), the command line, allowed exits."""

    id: str
    files: dict[str, str | bytes]
    command: list[str]
    exits: tuple[int, ...] = (1, 2)
    #: A fragment the output must contain (the one-line error, a finding), if any.
    says: str | None = None
    #: Symbolic links to create: link (relative to the sandbox) -> target (may leave it).
    links: dict[str, str] = field(default_factory=dict)
    #: Extra checks after the run (a database's row count, say); raise AssertionError.
    after: Callable[[], None] | None = None
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _snapshot(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def prepare(tmp_path: Path, case: Case) -> tuple[Path, Path]:
    """The sandbox (the command's working directory) and the outside directory holding the secret."""
    sandbox, outside = tmp_path / "sandbox", tmp_path / "outside"
    sandbox.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.csv").write_text(f"id,email\n1,{SECRET}\n", encoding="utf-8")
    (sandbox / "SENTINEL").write_text("untouched\n", encoding="utf-8")
    for name, content in case.files.items():
        path = sandbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for link, target in case.links.items():
        (sandbox / link).parent.mkdir(parents=True, exist_ok=True)
        (sandbox / link).symlink_to(target)
    return sandbox, outside


def run_case(tmp_path: Path, case: Case) -> Outcome:
    """Run the case and assert every property a hostile input must not break."""
    sandbox, outside = prepare(tmp_path, case)
    before_outside = _snapshot(tmp_path / "outside")
    before_sandbox = _snapshot(sandbox)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", **case.env}
    try:
        proc = subprocess.run(
            [*PRODREADY, *case.command],
            cwd=sandbox,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            preexec_fn=_limits,  # the memory cap must apply before the command starts
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"{case.id}: still running after {TIMEOUT} s") from expired
    outcome = Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
    where = f"{case.id}: exit {outcome.code}\n{outcome.output[-3000:]}"
    assert "Traceback (most recent call last)" not in outcome.output, where
    assert outcome.code in case.exits, where
    assert SECRET not in outcome.output, f"{case.id}: the secret reached the output\n{where}"
    if case.says is not None:
        assert case.says in outcome.output, where
    assert _snapshot(outside) == before_outside, f"{case.id}: a file outside the sandbox changed"
    assert (sandbox / "SENTINEL").read_text(encoding="utf-8") == "untouched\n", f"{case.id}: the sentinel changed"
    after_sandbox = _snapshot(sandbox)
    for name in set(after_sandbox) - set(before_sandbox):
        data = (sandbox / name).read_bytes()
        assert SECRET.encode() not in data, f"{case.id}: the secret was written to {name}"
    leftovers = [name for name in after_sandbox if name.endswith(".tmp") or "/.prodready-new-" in f"/{name}"]
    assert not leftovers, f"{case.id}: half-written files left behind: {leftovers}"
    if case.after is not None:
        case.after()
    return outcome
