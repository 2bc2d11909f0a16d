"""``prodready cost``: project costs from POC to production scale."""

from __future__ import annotations

from pathlib import Path

import click

from .options import FILE


@click.command()
@click.argument("model_file", default="cost/cost_model.yaml", type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True
)
@click.option(
    "--output",
    type=FILE,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--chart",
    type=FILE,
    help="Also write an SVG chart of monthly cost and value over the first year.",
)
def cost(model_file: Path, output_format: str, output: Path | None, chart: Path | None) -> None:
    """Project costs from POC to production scale (MODEL_FILE: cost/cost_model.yaml)."""
    from ..cost.report import FORMATS, load_projection, to_svg
    from ..io.outputs import write_atomic

    projection = load_projection(model_file)
    report = FORMATS[output_format](projection)
    if chart:
        write_atomic(chart, to_svg(projection))
    if output:
        write_atomic(output, report)
    else:
        click.echo(report, nl=False)
    if output_format == "table":  # Markdown and JSON carry the warnings in the report
        for warning in projection.warnings():
            click.secho(f"warning: {warning}", fg="yellow", err=True)
