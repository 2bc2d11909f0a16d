"""``prodready review``: the review pack for the go/no-go meeting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .options import FILE


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--html", "html_file", type=FILE, help="Write the pack as one self-contained HTML page.")
@click.option("--markdown", "markdown_file", type=FILE, help="Write the pack as Markdown (default: standard output).")
@click.option(
    "--contracts-report",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The JSON report of `prodready contracts check --format json` against the production server.",
)
@click.option(
    "--drift-report",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The JSON report of `prodready drift check --format json` on production data.",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Review as of this date (for tests).")
def review(
    path: Path,
    html_file: Path | None,
    markdown_file: Path | None,
    contracts_report: Path | None,
    drift_report: Path | None,
    today: Any,
) -> None:
    """Write the review pack of the POC at PATH for its kill authority.

    The business case, KPI actuals against baseline, target and kill threshold, cost
    against budget, the contract check and drift status (from the reports given), the
    audit's findings, who signed what, open waivers, the decisions so far, and a
    recommendation derived from the kill criteria. It reads and never writes the POC.
    """
    from ..audit.repo import Repo
    from ..errors import InputError
    from ..io.outputs import write_atomic
    from ..review.evidence import collect
    from ..review.pack import document, to_html

    if not path.is_dir():
        raise InputError(path, "is not a directory", "pass the POC repository's directory")
    Repo(path).required_mapping("ownership.yaml", "the review pack is built on ownership.yaml: restore it")
    evidence = collect(
        path, today=today.date() if today else None, contracts_report=contracts_report, drift_report=drift_report
    )
    if html_file is not None:
        write_atomic(html_file, to_html(evidence))
    if markdown_file is not None:
        write_atomic(markdown_file, document(evidence))
    if html_file is None and markdown_file is None:
        click.echo(document(evidence), nl=False)
    verdict, why = evidence.recommendation()
    click.echo(f"recommendation: {verdict}: {why}", err=True)
