"""``prodready contracts lint|check|infer``: ODCS data contracts, checked where the data lives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import EXIT_FAILED, EXIT_OK, FILE, contract_files, table_option


@click.group()
def contracts() -> None:
    """Open Data Contract Standard (ODCS v3.0.0 to v3.1.0) contracts."""


@contracts.command("lint")
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def contracts_lint(targets: tuple[Path, ...], output_format: str) -> None:
    """Validate contracts against the ODCS JSON Schema of their apiVersion and semantic rules.

    TARGETS are contract files or directories searched for *.odcs.yaml (default: contracts/).
    """
    from ..contracts.lint import lint_contract

    files = contract_files(targets)
    findings = [finding for path in files for finding in lint_contract(path)]
    errors = [f for f in findings if f.severity == "error"]
    if output_format == "json":
        click.echo(
            json.dumps({"contracts": [str(p) for p in files], "findings": [f.as_dict() for f in findings]}, indent=2)
        )
    else:
        for finding in findings:
            click.secho(str(finding), fg="red" if finding.severity == "error" else "yellow")
        verdict = "ok" if not errors else f"{len(errors)} error(s)"
        click.echo(f"{len(files)} contract(s) linted: {verdict}, {len(findings) - len(errors)} warning(s)")
    sys.exit(EXIT_FAILED if errors else EXIT_OK)


@contracts.command("check")
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--server", help="The contract server to check (default: the first one listed).")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "junit"]), default="table", show_default=True
)
@click.option("--output", type=FILE, help="Write the report to this file.")
@click.option(
    "--samples",
    default=5,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Failing rows shown per check (never protected columns).",
)
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["auto", "spark"]),
    default="auto",
    show_default=True,
    help="auto: DuckDB for files, the server's own database otherwise; spark: Spark SQL.",
)
@click.option(
    "--allow-outside-paths",
    is_flag=True,
    help="Let a server's local path (or a link in it) lead outside the contract's repository: "
    "the nearest directory holding .git (else pyproject.toml, else the contract's own).",
)
def contracts_check(
    targets: tuple[Path, ...],
    server: str | None,
    output_format: str,
    output: Path | None,
    samples: int,
    engine_name: str,
    allow_outside_paths: bool,
) -> None:
    """Check contracts against the data where it lives (DuckDB files, PostgreSQL, warehouses).

    TARGETS are contract files or directories searched for *.odcs.yaml (default: contracts/).
    Exit 1 when any check fails.
    """
    from ..contracts.report import FORMATS
    from ..contracts.run import check_contract
    from ..io.outputs import write_atomic

    files = contract_files(targets)
    progress = (lambda message: click.echo(message, err=True)) if sys.stderr.isatty() else None
    results = [
        result
        for path in files
        for result in check_contract(
            path,
            server,
            sample_size=samples,
            progress=progress,
            engine_name=engine_name,
            allow_outside_paths=allow_outside_paths,
        )
    ]
    report = FORMATS[output_format](results)
    if output:
        write_atomic(output, report)
    else:
        click.echo(report, nl=False)
    sys.exit(EXIT_FAILED if any(r.passed is False for r in results) else EXIT_OK)


@contracts.command("infer")
@click.argument("source")
@click.option("--name", help="Data set name (default: the file or table name).")
@table_option("SOURCE")
@click.option(
    "-o",
    "--output",
    type=FILE,
    help="Write the contract here instead of standard output.",
)
def contracts_infer(source: str, name: str | None, table: str | None, output: Path | None) -> None:
    """Write a starting ODCS contract from a real extract (CSV, Parquet, JSON) or a PostgreSQL table."""
    import yaml

    from ..contracts.infer import infer
    from ..io.outputs import write_atomic

    text = yaml.safe_dump(infer(source, name, table), sort_keys=False, allow_unicode=True)
    if output:
        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
