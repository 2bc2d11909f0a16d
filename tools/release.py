"""Check that a release is one fact: the version, its CHANGELOG entry and its git tag agree.

The version is written once, in ``src/prodready/__init__.py``: hatchling reads it for the
package metadata and the template's hooks read it for the release a POC records. A
release is the tag ``v<version>`` on a commit whose CHANGELOG's newest dated entry is
that version and which has nothing left under "Unreleased". The release workflow
(.github/workflows/release.yml) runs ``check --tag``; the test suite runs ``check``.

    python tools/release.py check [--tag v0.3.0]   exit 1 with one line per disagreement
    python tools/release.py notes 0.3.0            print that release's CHANGELOG section
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
#: A released entry: ``## 0.2.0 — 2026-11-22``.
RELEASED = re.compile(r"^## (\d[^\s]*) — (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
UNRELEASED = re.compile(r"^## Unreleased$(.*?)(?=^## )", re.MULTILINE | re.DOTALL)


def package_version(root: Path = ROOT) -> str:
    match = VERSION.search((root / "src" / "prodready" / "__init__.py").read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit("src/prodready/__init__.py: no __version__ line; the version is written there, once")
    return match.group(1)


def released(changelog: str) -> list[str]:
    """The dated versions of the CHANGELOG, newest first."""
    return [match.group(1) for match in RELEASED.finditer(changelog)]


def tags(root: Path = ROOT) -> list[str]:
    """The repository's release tags (``v*``); none in a clone made without them."""
    proc = subprocess.run(["git", "tag", "--list", "v*"], cwd=root, capture_output=True, text=True, check=False)
    return proc.stdout.split() if proc.returncode == 0 else []


def problems(root: Path = ROOT, tag: str | None = None) -> list[str]:
    """Every way the version, the CHANGELOG and the tags disagree (empty: they agree)."""
    version = package_version(root)
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    found: list[str] = []
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    if 'dynamic = ["version"]' not in pyproject or 'path = "src/prodready/__init__.py"' not in pyproject:
        found.append("pyproject.toml: the version must be dynamic, read from src/prodready/__init__.py")
    versions = released(changelog)
    if not versions or versions[0] != version:
        newest = versions[0] if versions else "none"
        found.append(f"CHANGELOG.md: the newest dated entry is {newest}, the package is {version}")
    existing = tags(root)
    for name in existing:
        if name.removeprefix("v") not in versions:
            found.append(f"tag {name}: CHANGELOG.md has no dated entry for {name.removeprefix('v')}")
    pending = UNRELEASED.search(changelog + "\n## ")
    unreleased = bool(pending and pending.group(1).strip())
    if tag is None and unreleased and f"v{version}" in existing:
        # Generated POCs record the package version's tag: it must not name a commit
        # without the changes the package now has.
        found.append(
            f"src/prodready/__init__.py: v{version} is released and CHANGELOG.md has Unreleased entries; "
            "set the next version (and date it when releasing)"
        )
    if tag is not None:
        if tag != f"v{version}":
            found.append(f"tag {tag}: the package version is {version}; tag v{version} or change __version__")
        if unreleased:
            found.append(f"CHANGELOG.md: entries are still under Unreleased; move them under ## {version} — <date>")
    return found


def notes(version: str, root: Path = ROOT) -> str:
    """The CHANGELOG section of one release (the release's notes)."""
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(version)} — .*?$(.*?)(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    if match is None:
        raise SystemExit(f"CHANGELOG.md: no dated entry for {version}")
    return match.group(1).strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="the version, CHANGELOG and tags agree")
    check.add_argument("--tag", help="the tag being released (v<version>)")
    show = commands.add_parser("notes", help="print one release's CHANGELOG section")
    show.add_argument("version")
    args = parser.parse_args(argv)
    if args.command == "notes":
        sys.stdout.write(notes(args.version))
        return 0
    found = problems(tag=args.tag)
    for problem in found:
        print(f"release check: {problem}", file=sys.stderr)
    if not found:
        print(f"release check: version {package_version()}, CHANGELOG and tags agree")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
