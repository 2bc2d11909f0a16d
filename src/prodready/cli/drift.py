"""``prodready drift profile|check``: drift of the data a model sees."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from .options import EXIT_FAILED, EXIT_OK, FILE, parse_outputs, table_option, write_outputs

CONTRACT = click.option(
    "--contract",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The data's ODCS contract: its protected, primaryKey/unique and date/timestamp properties.",
)
TIMESTAMPS = click.option(
    "--timestamps",
    type=click.Choice(["exclude", "calendar"]),
    default="exclude",
    show_default=True,
    help="Leave date and timestamp columns out, or profile their weekdays and hours.",
)


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
@CONTRACT
@TIMESTAMPS
def drift_profile(
    source: str, output: Path, table: str | None, columns: str | None, contract: Path | None, timestamps: str
) -> None:
    """Write a reference profile of SOURCE (a CSV, Parquet or JSON file, or a PostgreSQL table).

    Identifiers and timestamps are left out, and protected columns are profiled
    without their values (hash buckets and text lengths): see docs/drift.md.
    """
    from ..drift.profile import profile, profile_text
    from ..io.outputs import write_atomic

    names = [c.strip() for c in columns.split(",")] if columns else None
    reference = profile(source, table, names, contract=contract, timestamps=timestamps)
    write_atomic(output, profile_text(reference))
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
@CONTRACT
@TIMESTAMPS
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
    contract: Path | None,
    timestamps: str,
    monitoring_file: Path | None,
    output_format: str,
    outputs: tuple[str, ...],
) -> None:
    """Score CURRENT against the reference profile; exit 1 on an alert.

    --contract and --timestamps apply to --reference (a --profile was written with its own).
    """
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

        reference, origin = profile(reference_source, contract=contract, timestamps=timestamps), reference_source
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
