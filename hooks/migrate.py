"""Template migrations: carry a POC across a release that renames a file or an answer.

``copier update`` runs the commands listed under ``_migrations`` in copier.yml (written
from ``MIGRATIONS`` in tools/sync_copier_yml.py) inside the repository being updated,
with the interpreter copier runs on. Without them a renamed file arrives as a new file
beside the team's edited old one, and a renamed question is asked again (or silently
takes its default under ``--defaults``).

Two operations, each safe to run twice:

``rename-answer OLD NEW`` (stage "before")
    Renames a recorded answer in .copier-answers.yml (and .cruft.json) before copier
    reads the answers, so nobody retypes it.
``rename-file OLD NEW`` (stage "after")
    Moves the team's copy of OLD over the freshly rendered NEW. A release that renames a
    file must not also change its content (change it in the next release): then the
    team's copy is the old content plus their edits, and nothing of the template is lost.

Standard library only: it runs before anything of prodready is installed.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

USAGE = "usage: migrate.py rename-answer OLD NEW | rename-file OLD NEW"
COPIER_ANSWERS = Path(".copier-answers.yml")
CRUFT_STATE = Path(".cruft.json")


class MigrationError(Exception):
    """A migration that cannot run; its message is one line naming the fix."""


def inside(path: str) -> Path:
    """A relative path that stays inside the repository, or an error."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts:
        raise MigrationError(f"migrate.py: {path!r} must be a relative path inside the repository")
    return Path(*pure.parts)


def answer_key(key: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise MigrationError(f"migrate.py: {key!r} is not an answer name (letters, digits, underscores)")
    return key


def rename_answer(old: str, new: str, root: Path) -> list[str]:
    """Rename a recorded answer; top-level keys of the answers file start at column 0."""
    old, new = answer_key(old), answer_key(new)
    done = []
    answers = root / COPIER_ANSWERS
    if answers.exists():
        text = answers.read_text(encoding="utf-8")
        if re.search(rf"^{re.escape(new)}:", text, flags=re.MULTILINE) is None:
            renamed, count = re.subn(rf"^{re.escape(old)}:", f"{new}:", text, flags=re.MULTILINE)
            if count:
                answers.write_text(renamed, encoding="utf-8")
                done.append(f"{COPIER_ANSWERS}: answer {old} is now {new}")
    state = root / CRUFT_STATE
    if state.exists():
        data = json.loads(state.read_text(encoding="utf-8"))
        context = data.get("context", {}).get("cookiecutter", {})
        if old in context and new not in context:
            context[new] = context.pop(old)
            state.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            done.append(f"{CRUFT_STATE}: answer {old} is now {new}")
    return done


def committed(path: Path, root: Path) -> bytes | None:
    """The file as last committed, or None (not a git repository, or not committed)."""
    proc = subprocess.run(["git", "show", f"HEAD:{path.as_posix()}"], cwd=root, capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def rename_file(old: str, new: str, root: Path) -> list[str]:
    """Keep the team's copy of a renamed file under its new name.

    copier deletes files that left the template before "after" migrations run, so the
    team's copy comes from the working tree if it is still there, else from HEAD
    (updates run on clean trees, so HEAD holds the team's last edits).
    """
    relative_old, relative_new = inside(old), inside(new)
    source, target = root / relative_old, root / relative_new
    content = source.read_bytes() if source.is_file() else committed(relative_old, root)
    if content is None:
        return []
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    source.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        source.parent.rmdir()  # only succeeds when the rename emptied the directory
    return [f"{old} is now {new} (your edits kept)"]


OPERATIONS = {"rename-answer": rename_answer, "rename-file": rename_file}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in OPERATIONS:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        for line in OPERATIONS[argv[0]](argv[1], argv[2], Path.cwd()):
            print(f"prodready migration: {line}")
    except (MigrationError, OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
