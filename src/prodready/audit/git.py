"""Read a POC's git history the audit can trust: who committed a line, and whose key signed it.

The repository is another team's and may be hostile, so git runs with every setting
that could run a program pinned on its command line (which wins over the repository's
own config): no fsmonitor, hooks, pager or textconv, ``ssh-keygen`` as the SSH
verifier, ``gpg`` as the OpenPGP one, with a GnuPG home of its own that holds only the
keys of ownership.yaml and starts no agent. It only reads (``blame`` of a committed
revision, ``verify-commit``), each program ends within ``TIMEOUT`` seconds, and a
failure is a reason, never an exception.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProdreadyError
from ..io.processes import run_bounded

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


#: How a ``signing_key`` of ownership.yaml begins: an OpenPGP public key block (GPG), or
#: an SSH public key line.
OPENPGP_BLOCK = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
SSH_KEY = re.compile(r"(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) ")


def key_format(key: str) -> str | None:
    """ "openpgp", "ssh", or None for a signing_key that is neither."""
    text = key.strip()
    if text.startswith(OPENPGP_BLOCK):
        return "openpgp"
    return "ssh" if SSH_KEY.match(text) else None


class GitError(ProdreadyError):
    """Why git could not answer (the text is one line, for a finding; the checks catch it)."""


@dataclass(frozen=True)
class Commit:
    """The commit that last changed a line: its id and its author's e-mail."""

    sha: str
    author_email: str


def _run(
    what: str, command: list[str], cwd: Path, environment: dict[str, str], stdin: str | None = None
) -> tuple[int, str, str]:
    """Run ``what`` (``command``) within ``TIMEOUT`` seconds, or raise GitError saying why not."""
    try:
        return run_bounded(command, timeout=TIMEOUT, cwd=cwd, env=environment, stdin=stdin)
    except subprocess.TimeoutExpired:
        raise GitError(f"{what} gave no answer in {TIMEOUT} s") from None
    except OSError as error:
        raise GitError(f"cannot run {what}: {error}") from error


def _environment(home: str | None) -> dict[str, str]:
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
    return environment


def run_git(root: Path, *args: str, config: tuple[str, ...] = (), home: str | None = None) -> str:
    """Run one read-only git command in ``root`` and return its output, or raise GitError."""
    command = ["git", *(part for setting in (*PINNED, *config) for part in ("-c", setting)), *args]
    code, stdout, stderr = _run(f"git {args[0]}", command, root, _environment(home))
    if code != 0:
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


def _gnupg_home(folder: Path) -> Path:
    """An empty GnuPG home that starts no agent (nothing is left running when it is deleted)."""
    home = folder / "gnupg"
    home.mkdir(mode=0o700)
    (home / "gpg.conf").write_text("no-autostart\n", encoding="utf-8")
    return home


def _import_openpgp(home: Path, key: str) -> list[str]:
    """Import an OpenPGP public key block into ``home``; the fingerprints of its primary keys."""
    command = ["gpg", "--batch", "--no-tty", "--with-colons", "--import-options", "import-show", "--import"]
    code, stdout, _ = _run("gpg --import", command, home, _environment(str(home)), stdin=key)
    if code != 0:
        return []
    fingerprints, primary = [], False
    for row in stdout.splitlines():
        kind = row.split(":", 1)[0]
        if kind == "pub":
            primary = True
        elif kind == "fpr" and primary:
            fingerprints.append(row.split(":")[9].upper())
            primary = False
    return fingerprints


def signed_by(root: Path, sha: str, keys: dict[str, str]) -> str | None:
    """The e-mail whose key (``keys``: e-mail -> SSH public key or OpenPGP block) signed ``sha``, or None.

    Both the SSH allowed-signers file and the GnuPG keyring are built from ``keys``
    alone (ownership.yaml), never from the repository's or the machine's configuration.
    An OpenPGP signature is attributed by its primary key's fingerprint, whatever
    user ids the key claims.
    """
    with tempfile.TemporaryDirectory(prefix="prodready-signers-") as folder:
        allowed = Path(folder) / "allowed_signers"
        ssh = {email: key for email, key in keys.items() if key_format(key) == "ssh"}
        allowed.write_text(
            "".join(f'{email} namespaces="git" {key.strip()}\n' for email, key in ssh.items()), encoding="utf-8"
        )
        gnupg = _gnupg_home(Path(folder))
        owners: dict[str, str] = {}
        try:
            for email, key in keys.items():
                if key_format(key) == "openpgp":
                    owners.update(dict.fromkeys(_import_openpgp(gnupg, key), email))
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
    if found:
        return found.group(1).lower()
    valid = re.search(r"^\[GNUPG:\] VALIDSIG (.+)$", output, re.MULTILINE)
    if valid is None:
        return None
    fields = valid.group(1).split()
    return owners.get((fields[9] if len(fields) > 9 else fields[0]).upper())
