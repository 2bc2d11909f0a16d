"""``prodready update``: move a fleet of POCs to the newest template release."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from .options import EXIT_FAILED, EXIT_OK, FILE, template_options


def _fleet_roots(paths: tuple[Path, ...]) -> list[Path]:
    """Each PATH as a repository, or the generated repositories found under a folder."""
    from ..audit.portfolio import discover
    from ..template.source import ANSWER_FILES

    roots: list[Path] = []
    for path in paths:
        if path.is_dir() and not any((path / marker).exists() for marker in (".git", *ANSWER_FILES)):
            roots += discover(path) or [path]
        else:
            roots.append(path)
    return roots


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@template_options("Update to this release (a tag of the template) instead of the newest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", type=FILE, help="Also write the report to this file.")
def update(
    paths: tuple[Path, ...],
    template_version: str | None,
    template_source: str | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Update POC repositories to the newest template release (copier or cruft).

    PATHS are repositories, or folders under which generated repositories are found.
    Each is reported as updated, conflicts, current, skipped (with why) or failed.
    Repositories with uncommitted changes are refused; nothing is committed. An update
    runs the template's own code (copier with --trust, cruft's hooks), so only the
    template named by --template-source (or PRODREADY_TEMPLATE_SOURCE) is used: a
    repository that records another source is skipped, its template never contacted.
    Exit 0 when every repository is updated or current, 1 otherwise.
    """
    from ..io.outputs import write_atomic
    from ..template.fleet import FORMATS, update_fleet

    if template_source is None:
        raise InputError(
            "--template-source",
            "no trusted template source: an update runs the template's own code",
            "name the template repository you trust with --template-source or PRODREADY_TEMPLATE_SOURCE",
        )
    roots = _fleet_roots(paths)

    def progress(items: Any) -> Any:
        for number, root in enumerate(items, 1):
            click.echo(f"[{number}/{len(roots)}] {root}", err=True)
            yield root

    outcomes = update_fleet(roots, template_version, template_source, progress)
    report = FORMATS[output_format](outcomes)
    click.echo(report, nl=False)
    if output:
        write_atomic(output, report)
    sys.exit(EXIT_OK if all(outcome.status in ("updated", "current") for outcome in outcomes) else EXIT_FAILED)
