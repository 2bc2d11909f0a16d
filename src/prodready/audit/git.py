"""Read a POC's git history the audit can trust: who committed a line, and whose key signed it.

The repository is another team's and may be hostile, so git runs with every setting
that could run a program pinned on its command line (which wins over the repository's
own config): no fsmonitor, hooks, pager or textconv, ``ssh-keygen`` as the SSH
verifier, and an empty GnuPG home. It only reads (``blame`` of a committed revision,
``verify-commit``), ends within ``TIMEOUT`` seconds, and a failure is a reason, never
an exception.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProdreadyError

#: Seconds one git command may take on a repository of any size.
TIMEOUT = 30

#: Settings a repository's config could point at a program; pinned for every command.
PINNED = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "gpg.program=gpg",
    "gpg.ssh.program=ssh-keygen",
    "gpg.x509.program=gpgsm",
    "safe.directory=*",  # a CI checkout owned by another user is still read, never written
)


class GitError(ProdreadyError):
    """Why git could not answer (the text is one line, for a finding; the checks catch it)."""


@dataclass(frozen=True)
class Commit:
    """The commit that last changed a line: its id and its author's e-mail."""

    sha: str
    author_email: str


def run_git(root: Path, *args: str, config: tuple[str, ...] = (), home: str | None = None) -> str:
    """Run one read-only git command in ``root`` and return its output, or raise GitError."""
    command = ["git", *(part for setting in (*PINNED, *config) for part in ("-c", setting)), *args]
    environment = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }
    if home is not None:
        environment["GNUPGHOME"] = home
    try:
        with subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            env=environment,
            start_new_session=True,
        ) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise GitError(f"git {args[0]} gave no answer in {TIMEOUT} s") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from error
    if proc.returncode != 0:
        reason = (stderr.strip().splitlines() or [f"git {args[0]} failed"])[0].removeprefix("fatal: ")
        raise GitError(reason)
    return stdout + stderr if args[0] == "verify-commit" else stdout


def history_problem(root: Path) -> str | None:
    """Why ``root``'s history cannot tell who wrote a line (not a repository, a shallow clone), or None."""
    try:
        top = run_git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository").split("\n")
    except GitError as error:
        return f"its git history cannot be read ({error})"
    if Path(top[0]).resolve() != root.resolve():
        return f"it is not the top of a git repository (that is {top[0]})"
    if len(top) > 1 and top[1] == "true":
        return "the clone is shallow: fetch the whole history (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0)"
    return None


def blame(root: Path, file: str) -> dict[int, Commit]:
    """Line number -> the commit that last changed it, for ``file`` as committed at HEAD."""
    output = run_git(root, "blame", "--porcelain", "--no-textconv", "HEAD", "--", file)
    authors: dict[str, str] = {}
    lines: dict[int, Commit] = {}
    sha, line = "", 0
    for row in output.splitlines():
        header = re.match(r"([0-9a-f]{40,64}) \d+ (\d+)", row)
        if header:
            sha, line = header.group(1), int(header.group(2))
        elif row.startswith("author-mail "):
            authors[sha] = row.removeprefix("author-mail ").strip("<>").lower()
        elif row.startswith("\t"):
            lines[line] = Commit(sha, authors.get(sha, ""))
    return lines


def signed_by(root: Path, sha: str, keys: dict[str, str]) -> str | None:
    """The e-mail whose SSH key (``keys``: e-mail -> public key) signed commit ``sha``, or None.

    The allowed-signers file is built from ``keys`` alone (ownership.yaml), never from
    the repository's or the machine's git config.
    """
    with tempfile.TemporaryDirectory(prefix="prodready-signers-") as folder:
        allowed = Path(folder) / "allowed_signers"
        allowed.write_text(
            "".join(f'{email} namespaces="git" {key.strip()}\n' for email, key in keys.items()), encoding="utf-8"
        )
        gnupg = Path(folder) / "gnupg"
        gnupg.mkdir(mode=0o700)
        try:
            output = run_git(
                root,
                "verify-commit",
                "--raw",
                sha,
                config=(f"gpg.ssh.allowedSignersFile={allowed}",),
                home=str(gnupg),
            )
        except GitError:
            return None
    found = re.search(r'Good "git" signature for (\S+) with', output)
    return found.group(1).lower() if found else None
