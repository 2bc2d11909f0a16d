"""The ``prodready`` command line.

Exit codes, the same for every command: 0 all good, 1 checks ran and found problems
(or the answers were refused), 2 usage or input error (unreadable, malformed or
mistyped input, reported on one line naming the file, the place and the fix).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _pep440(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    from ..template.source import parse_version

    if value is not None and parse_version(value) is None:
        raise click.BadParameter(f"{value!r} is not a PEP 440 version: give one such as 0.3.0")
    return value


def template_options(version_help: str) -> Callable[[F], F]:
    """``--template-version`` and ``--template-source``, shared by audit and update."""

    def decorate(command: F) -> F:
        command = click.option(
            "--template-source",
            metavar="PATH|URL",
            help="Read template release tags from here instead of the source each repository records.",
        )(command)
        return click.option("--template-version", metavar="VERSION", callback=_pep440, help=version_help)(command)

    return decorate


def reports_input_errors(command: F) -> F:
    """Turn ``InputError`` into its one-line message and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            click.secho(f"error: {error}", fg="red", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="prodready")
def main() -> None:
    """Make every AI proof of concept answer the production questions from day one."""


@main.command()
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path),
    help="YAML answers file (see examples/); without it, ask interactively.",
)
@click.option(
    "--example",
    metavar="NAME",
    help="Use a bundled example's answers: support-assistant, churn-model or docs-assistant.",
)
@click.option(
    "--generator",
    type=click.Choice(["cookiecutter", "copier", "cruft"]),
    default="cookiecutter",
    show_default=True,
    help="Which generator renders the template.",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where the POC directory is created.",
)
@click.option(
    "--template",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Template checkout to use instead of the bundled one (cruft needs a git repository).",
)
@reports_input_errors
def new(
    answers_file: Path | None, example: str | None, generator: str, output_dir: Path, template: Path | None
) -> None:
    """Generate a POC repository from the prodready template."""
    from ..template.new import GenerationRefused, example_answers, generate, load_answers

    if example and answers_file:
        raise InputError("--example", "both --example and --answers given", "pass one of them")
    if example:
        answers_file = example_answers(example)

    answers = load_answers(answers_file) if answers_file else None
    if answers is None and not sys.stdin.isatty():
        raise InputError(
            "--answers",
            "no answers file and no terminal to ask the questions on",
            "pass --answers FILE (see examples/)",
        )
    try:
        project = generate(answers, generator, output_dir, template)  # type: ignore[arg-type]
    except GenerationRefused as refused:
        click.secho(str(refused), fg="red", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"Generated {project}")
    click.echo(f"Next: cd {project} && nox   # lint, tests, contracts, cost")


def _contract_files(targets: tuple[Path, ...]) -> list[Path]:
    """The contracts named, or found in the directories named (default: contracts/)."""
    from ..contracts.lint import find_contracts

    files = find_contracts(list(targets) or [Path("contracts")])
    if not files:
        raise InputError(
            ", ".join(map(str, targets or ("contracts",))),
            "no *.odcs.yaml contract found",
            "name a contract file or a directory that holds one",
        )
    return files


@main.group()
def contracts() -> None:
    """Open Data Contract Standard (ODCS v3.1.0) contracts."""


@contracts.command("lint")
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_input_errors
def contracts_lint(targets: tuple[Path, ...], output_format: str) -> None:
    """Validate contracts against the ODCS v3.1.0 JSON Schema and semantic rules.

    TARGETS are contract files or directories searched for *.odcs.yaml (default: contracts/).
    """
    from ..contracts.lint import lint_contract

    files = _contract_files(targets)
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


@main.command()
@click.argument("model_file", default="cost/cost_model.yaml", type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an SVG chart of monthly cost and value over the first year.",
)
@reports_input_errors
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


@contracts.command("check")
@click.argument("targets", nargs=-1, type=click.Path(path_type=Path))
@click.option("--server", help="The contract server to check (default: the first one listed).")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "junit"]), default="table", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
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
@reports_input_errors
def contracts_check(
    targets: tuple[Path, ...],
    server: str | None,
    output_format: str,
    output: Path | None,
    samples: int,
    engine_name: str,
) -> None:
    """Check contracts against the data where it lives (DuckDB files, PostgreSQL, warehouses).

    TARGETS are contract files or directories searched for *.odcs.yaml (default: contracts/).
    Exit 1 when any check fails.
    """
    from dataclasses import asdict

    from ..contracts.run import check_contract, to_junit, to_table
    from ..io.outputs import write_atomic

    files = _contract_files(targets)
    progress = (lambda message: click.echo(message, err=True)) if sys.stderr.isatty() else None
    results = [
        result
        for path in files
        for result in check_contract(path, server, sample_size=samples, progress=progress, engine_name=engine_name)
    ]
    if output_format == "json":
        report = (
            json.dumps({"results": [asdict(r) | {"status": r.status} for r in results]}, indent=2, default=str) + "\n"
        )
    elif output_format == "junit":
        report = to_junit(results)
    else:
        report = to_table(results)
    if output:
        write_atomic(output, report)
    else:
        click.echo(report, nl=False)
    sys.exit(EXIT_FAILED if any(r.passed is False for r in results) else EXIT_OK)


@contracts.command("infer")
@click.argument("source")
@click.option("--name", help="Data set name (default: the file or table name).")
@click.option("--table", help="Table to read when SOURCE is a postgresql:// URL.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the contract here instead of standard output.",
)
@reports_input_errors
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


def _parse_outputs(values: tuple[str, ...], formats: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``--output FORMAT=FILE`` values, checked before any work starts."""
    outputs = []
    for value in values:
        fmt, _, target = value.partition("=")
        if fmt not in formats or not target:
            raise click.BadParameter(
                f"{value!r}: use FORMAT=FILE (or FORMAT=- for standard output), FORMAT one of {', '.join(formats)}"
            )
        outputs.append((fmt, target))
    return outputs


def _write_outputs(targets: list[tuple[str, str]], formats: Mapping[str, Callable[[Any], str]], subject: Any) -> None:
    """Render ``subject`` in each requested format, to standard output or atomically to a file."""
    from ..io.outputs import write_atomic

    for fmt, target in targets:
        report = formats[fmt](subject)
        if target == "-":
            click.echo(report, nl=False)
        else:
            write_atomic(Path(target), report)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--require",
    type=click.Choice(["poc", "pilot", "production"]),
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
@click.option(
    "--html", type=click.Path(dir_okay=False, path_type=Path), help="Write a self-contained HTML portfolio report."
)
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
@reports_input_errors
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
    mode). Exit 0 when every repository reaches its required stage, 1 when one is below.
    """
    from ..audit.portfolio import audit_many, discover, to_html, write_facts
    from ..audit.report import FORMATS, to_text
    from ..io.outputs import write_atomic

    targets = _parse_outputs(outputs, FORMATS)
    roots: list[Path] = []
    for path in paths or (Path("."),):
        if not path.is_dir():
            raise InputError(path, "not a directory", "name a repository or a folder of repositories")
        found = discover(path)
        if not found:
            raise InputError(
                path, "no repository with ownership.yaml or [tool.prodready] found", "name a generated POC repository"
            )
        roots += found
    day = today.date() if today else None
    progress = None
    if len(roots) > 1 and sys.stderr.isatty():

        def progress(results: Any, length: int) -> Any:
            with click.progressbar(results, length=length, label="Auditing", file=sys.stderr) as bar:
                yield from bar

    audits = audit_many(
        roots,
        require=require,
        today=day,
        jobs=jobs,
        progress=progress,
        template_version=template_version,
        template_source=template_source,
    )
    primary = (
        to_text(audits, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        if output_format == "text"
        else FORMATS[output_format](audits)
    )
    click.echo(primary, nl=False)
    _write_outputs(targets, FORMATS, audits)
    if html:
        write_atomic(html, to_html(audits, day))
    if facts:
        write_facts(audits, facts)
    sys.exit(EXIT_OK if all(a.passed for a in audits) else EXIT_FAILED)


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@template_options("Update to this release (a tag of the template) instead of the newest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report to this file.")
@reports_input_errors
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
    Repositories with uncommitted changes are refused; nothing is committed. Exit 0
    when every repository is updated or current, 1 otherwise.
    """
    from ..io.outputs import write_atomic
    from ..template.fleet import FORMATS, update_fleet

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


@main.group()
def drift() -> None:
    """Drift of the data a model sees, against a reference profile."""


@drift.command("profile")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the profile (JSON).",
)
@click.option("--table", help="Table to read when SOURCE is a postgresql:// URL.")
@click.option("--columns", help="Comma-separated columns to profile (default: all).")
@reports_input_errors
def drift_profile(source: str, output: Path, table: str | None, columns: str | None) -> None:
    """Write a reference profile of SOURCE (a CSV, Parquet or JSON file, or a PostgreSQL table)."""
    from ..drift.score import profile
    from ..io.outputs import write_atomic

    names = [c.strip() for c in columns.split(",")] if columns else None
    write_atomic(output, json.dumps(profile(source, table, names), indent=2, default=str) + "\n")
    click.echo(f"Wrote {output}", err=True)


@drift.command("check")
@click.argument("current")
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The reference profile (from `drift profile`).",
)
@click.option(
    "--reference", "reference_source", help="Profile this source in the same run instead of reading --profile."
)
@click.option("--table", help="Table to read when CURRENT is a postgresql:// URL.")
@click.option(
    "--monitoring",
    "monitoring_file",
    type=click.Path(dir_okay=False, path_type=Path),
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
@reports_input_errors
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
    from ..drift.report import FORMATS
    from ..drift.score import Thresholds, check
    from ..io.yamlio import load_yaml, read_text

    targets = _parse_outputs(outputs, FORMATS)
    if (profile_file is None) == (reference_source is None):
        raise click.UsageError("give either --profile FILE or --reference SOURCE")
    if reference_source is not None:
        from ..drift.score import profile

        reference = profile(reference_source)
    else:
        try:
            reference = json.loads(read_text(profile_file, "profile"))  # type: ignore[arg-type]
        except json.JSONDecodeError as error:
            raise InputError(
                str(profile_file),
                f"not JSON ({error.msg})",
                "write it with `prodready drift profile`",
                line=error.lineno,
            ) from error
    thresholds = Thresholds()
    config = monitoring_file or (
        Path("monitoring/monitoring.yaml") if Path("monitoring/monitoring.yaml").is_file() else None
    )
    if config is not None:
        data = load_yaml(config, "monitoring config").data
        if isinstance(data, dict) and isinstance(data.get("drift"), dict):
            thresholds = Thresholds.from_monitoring(data["drift"])
    report = check(reference, current, table, thresholds)
    click.echo(FORMATS[output_format](report), nl=False)
    _write_outputs(targets, FORMATS, report)
    sys.exit(EXIT_FAILED if report.alert else EXIT_OK)


@main.group()
def monitoring() -> None:
    """monitoring/monitoring.yaml: SLOs, drift thresholds, alerts, fallback, retraining."""


@monitoring.command("lint")
@click.argument("path", default=".", type=click.Path(path_type=Path))
@reports_input_errors
def monitoring_lint(path: Path) -> None:
    """Validate monitoring.yaml against its schema (PATH: the file or its repository)."""
    from ..audit.checks import monitoring_findings
    from ..audit.repo import Repo

    if path.is_dir():
        repo, relative = Repo(path), "monitoring/monitoring.yaml"
    else:
        repo, relative = Repo(path.parent), path.name
    failures = monitoring_findings(repo, relative)
    for failure in failures:
        where = f"{path if not path.is_dir() else path / relative}" + (f":{failure.line}" if failure.line else "")
        click.secho(f"{where}: {failure}", fg="red")
    click.echo(f"monitoring config: {'ok' if not failures else f'{len(failures)} error(s)'}")
    sys.exit(EXIT_FAILED if failures else EXIT_OK)
