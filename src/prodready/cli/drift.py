"""``prodready drift profile|check``: drift of the data a model sees."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import InputError
from .options import EXIT_FAILED, EXIT_OK, FILE, parse_outputs, table_option, write_outputs


@click.group()
def drift() -> None:
    """Drift of the data a model sees, against a reference profile."""


@drift.command("profile")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=FILE,
    required=True,
    help="Where to write the profile (JSON).",
)
@table_option("SOURCE")
@click.option("--columns", help="Comma-separated columns to profile (default: all).")
def drift_profile(source: str, output: Path, table: str | None, columns: str | None) -> None:
    """Write a reference profile of SOURCE (a CSV, Parquet or JSON file, or a PostgreSQL table)."""
    from ..drift.profile import profile
    from ..io.outputs import write_atomic

    names = [c.strip() for c in columns.split(",")] if columns else None
    write_atomic(output, json.dumps(profile(source, table, names), indent=2, default=str) + "\n")
    click.echo(f"Wrote {output}", err=True)


@drift.command("check")
@click.argument("current")
@click.option(
    "--profile",
    "profile_file",
    type=FILE,
    help="The reference profile (from `drift profile`).",
)
@click.option(
    "--reference", "reference_source", help="Profile this source in the same run instead of reading --profile."
)
@table_option("CURRENT")
@click.option(
    "--monitoring",
    "monitoring_file",
    type=FILE,
    help="monitoring.yaml with the thresholds (default: monitoring/monitoring.yaml if present).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown", "prometheus", "html"]),
    default="table",
    show_default=True,
)
@click.option(
    "--output", "outputs", multiple=True, metavar="FORMAT=FILE", help="Also write FORMAT to FILE; repeatable."
)
def drift_check(
    current: str,
    profile_file: Path | None,
    reference_source: str | None,
    table: str | None,
    monitoring_file: Path | None,
    output_format: str,
    outputs: tuple[str, ...],
) -> None:
    """Score CURRENT against the reference profile; exit 1 on an alert."""
    from ..drift.profile import read_profile
    from ..drift.report import FORMATS
    from ..drift.score import check
    from ..drift.thresholds import Thresholds
    from ..io.yamlio import load_yaml

    targets = parse_outputs(outputs, FORMATS)
    if (profile_file is None) == (reference_source is None):
        raise click.UsageError("give either --profile FILE or --reference SOURCE")
    if reference_source is not None:
        from ..drift.profile import profile

        reference, origin = profile(reference_source), reference_source
    else:
        assert profile_file is not None
        reference, origin = read_profile(profile_file), str(profile_file)
    thresholds = Thresholds()
    config = monitoring_file or (
        Path("monitoring/monitoring.yaml") if Path("monitoring/monitoring.yaml").is_file() else None
    )
    if config is not None:
        if config.exists() and not config.is_file() and not config.is_dir():
            raise InputError(config, "the monitoring config is not a regular file (a FIFO or a device)", "name a file")
        thresholds = Thresholds.read(load_yaml(config, "monitoring config"))
    report = check(reference, current, table, thresholds, origin)
    click.echo(FORMATS[output_format](report), nl=False)
    write_outputs(targets, FORMATS, report)
    sys.exit(EXIT_FAILED if report.alert else EXIT_OK)
