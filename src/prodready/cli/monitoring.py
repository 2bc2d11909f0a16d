"""``prodready monitoring lint``: the monitoring configuration against its schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import EXIT_FAILED, EXIT_OK


@click.group()
def monitoring() -> None:
    """monitoring/monitoring.yaml: SLOs, drift thresholds, alerts, fallback, retraining."""


@monitoring.command("lint")
@click.argument("path", default=".", type=click.Path(path_type=Path))
def monitoring_lint(path: Path) -> None:
    """Validate monitoring.yaml against its schema (PATH: the file or its repository)."""
    from ..audit.checks import monitoring_findings
    from ..audit.repo import Repo
    from ..io.yamlio import load_yaml

    if path.is_dir():
        repo, relative = Repo(path), "monitoring/monitoring.yaml"
    else:
        repo, relative = Repo(path.parent), path.name
    load_yaml(repo.root / relative, "monitoring config")  # unreadable or malformed: an input error, exit 2
    failures = monitoring_findings(repo, relative)
    for failure in failures:
        where = f"{path if not path.is_dir() else path / relative}" + (f":{failure.line}" if failure.line else "")
        click.secho(f"{where}: {failure}", fg="red")
    click.echo(f"monitoring config: {'ok' if not failures else f'{len(failures)} error(s)'}")
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
