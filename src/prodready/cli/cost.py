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
@click.option(
    "--measured",
    type=FILE,
    help="A load test's results (load/results.json): project again with its measured figures beside the assumed.",
)
@click.option(
    "--quota-tokens-per-minute",
    type=click.IntRange(min=1),
    help="With --measured: the provider's tokens-per-minute quota to check the production peak against.",
)
def cost(
    model_file: Path,
    output_format: str,
    output: Path | None,
    chart: Path | None,
    measured: Path | None,
    quota_tokens_per_minute: int | None,
) -> None:
    """Project costs from POC to production scale (MODEL_FILE: cost/cost_model.yaml).

    With --measured, exits 1 when the production peak exceeds the given quota.
    """
    from ..cost.report import FORMATS, load_projection, to_svg
    from ..io.outputs import write_atomic

    if quota_tokens_per_minute is not None and measured is None:
        raise click.UsageError("--quota-tokens-per-minute needs --measured (the tokens per request come from it)")
    projection = load_projection(model_file)
    exceeded = False
    if measured is None:
        report = FORMATS[output_format](projection)
        if chart:
            write_atomic(chart, to_svg(projection))
    else:
        from decimal import Decimal

        from ..cost import measured as compare

        quota = Decimal(quota_tokens_per_minute) if quota_tokens_per_minute else None
        result = compare.measured_cost(projection.model, compare.load_measurement(measured), quota)
        report = compare.FORMATS[output_format](result)
        exceeded = result.quota_exceeded
    if output:
        write_atomic(output, report)
    else:
        click.echo(report, nl=False)
    if measured is None and output_format == "table":  # Markdown and JSON carry the warnings in the report
        for warning in projection.warnings():
            click.secho(f"warning: {warning}", fg="yellow", err=True)
    if exceeded:
        raise SystemExit(1)
