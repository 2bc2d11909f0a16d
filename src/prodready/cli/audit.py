"""``prodready audit``: readiness of one repository or a whole portfolio."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..core.stages import STAGES
from ..errors import InputError
from ..results import printable
from .options import EXIT_FAILED, EXIT_OK, FILE, parse_outputs, template_options, write_outputs


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--require",
    type=click.Choice(STAGES),
    help="Gate at this stage instead of the one declared in [tool.prodready].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "github", "junit", "sarif"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write FORMAT to FILE (- for standard output); repeatable.",
)
@click.option("--html", type=FILE, help="Write a self-contained HTML portfolio report.")
@click.option(
    "--facts",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write JSON facts per repository into this directory.",
)
@click.option("--jobs", type=click.IntRange(1, 64), help="Parallel audits (default: the number of CPUs).")
@template_options("The newest template version to compare with, instead of the template source's newest tag.")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Audit as of this date (for reproducible reports)."
)
def audit(
    paths: tuple[Path, ...],
    require: str | None,
    output_format: str,
    outputs: tuple[str, ...],
    html: Path | None,
    facts: Path | None,
    jobs: int | None,
    template_version: str | None,
    template_source: str | None,
    today: Any,
) -> None:
    """Audit repositories against the readiness stages (poc, pilot, production).

    PATHS are repositories, or folders under which repositories are found (portfolio
    mode). Exit 0 when every repository reaches its required stage, 1 when one is below,
    2 when a repository's declared stage cannot be known (in portfolio mode, after every
    report is written with that repository as failed).
    """
    from ..audit.portfolio import audit_many, to_html, write_facts
    from ..audit.report import FORMATS, to_text
    from ..io.outputs import write_atomic

    targets = parse_outputs(outputs, FORMATS)
    roots = _repositories(paths or (Path("."),))
    day = today.date() if today else None
    audits = audit_many(
        roots,
        require=require,
        today=day,
        jobs=jobs,
        progress=_progress if len(roots) > 1 and sys.stderr.isatty() else None,
        template_version=template_version,
        template_source=template_source,
        keep_going=len(roots) > 1,
    )
    primary = (
        to_text(audits, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        if output_format == "text"
        else FORMATS[output_format](audits)
    )
    click.echo(primary, nl=False)
    write_outputs(targets, FORMATS, audits)
    if html:
        write_atomic(html, to_html(audits, day))
    if facts:
        write_facts(audits, facts)
    broken = [a for a in audits if a.error is not None]
    if broken:
        raise InputError(
            printable(broken[0].root),
            f"{len(broken)} of {len(audits)} repositories could not be audited (the reports list them as failed); "
            f"the first: {printable(broken[0].error)}",
            "correct pyproject.toml's [tool.prodready] in each",
        )
    sys.exit(EXIT_OK if all(a.passed for a in audits) else EXIT_FAILED)


def _progress(results: Any, length: int) -> Any:
    """A progress bar on standard error while a portfolio is audited."""
    with click.progressbar(results, length=length, label="Auditing", file=sys.stderr) as bar:
        yield from bar


def _repositories(paths: tuple[Path, ...]) -> list[Path]:
    """The repositories to audit: each path, or those found under it (portfolio mode)."""
    from ..audit.portfolio import discover

    roots: list[Path] = []
    for path in paths:
        if not path.is_dir():
            raise InputError(printable(path), "not a directory", "name a repository or a folder of repositories")
        found = discover(path)
        if not found:
            raise InputError(
                printable(path),
                "no repository with ownership.yaml or [tool.prodready] found",
                "name a generated POC repository",
            )
        roots += found
    return roots
