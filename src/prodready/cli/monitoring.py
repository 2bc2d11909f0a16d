"""``prodready monitoring lint``: the monitoring configuration against its schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from .options import EXIT_FAILED, EXIT_OK


@click.group()
def monitoring() -> None:
    """monitoring/monitoring.yaml: SLOs, drift thresholds, alerts, fallback, retraining."""


@monitoring.command("lint")
@click.argument("path", default=".", type=click.Path(path_type=Path))
def monitoring_lint(path: Path) -> None:
    """Validate monitoring.yaml against its schema (PATH: the file or its repository)."""
    from ..audit.checks import monitoring_findings
    from ..audit.repo import Failure, Repo
    from ..io.yamlio import load_yaml
    from ..results import printable

    if path.is_dir():
        # A repository: read its monitoring.yaml as the audit does, never through a link out of it.
        relative, shown = "monitoring/monitoring.yaml", path / "monitoring/monitoring.yaml"
        located = Repo(path).locate(relative)
        if isinstance(located, Failure):
            raise InputError(printable(shown), printable(located), "replace the link with the file itself")
        file = located or shown
    else:
        # A file named on the command line: the user's own choice, links included.
        file = path.resolve() if path.exists() else path
        relative, shown = file.name, path
    # Unreadable (a FIFO, a device), missing or malformed: an input error, exit 2.
    failures = monitoring_findings(load_yaml(file, "monitoring config"), relative)
    for failure in failures:
        where = printable(shown) + (f":{failure.line}" if failure.line else "")
        click.secho(f"{where}: {printable(failure)}", fg="red")
    click.echo(f"monitoring config: {'ok' if not failures else f'{len(failures)} error(s)'}")
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
