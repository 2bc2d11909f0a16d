"""``prodready new``: generate a POC repository from the template."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from ..template import GENERATORS


@click.command()
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
    type=click.Choice(GENERATORS),
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
    help="Template checkout to render instead of the bundled one.",
)
@click.option(
    "--template-source",
    envvar="PRODREADY_TEMPLATE_SOURCE",
    metavar="URL",
    help="The template's git repository the POC records, for updates and for installing prodready "
    "[env: PRODREADY_TEMPLATE_SOURCE; default: the --template checkout, else the package's repository].",
)
@click.option(
    "--sample",
    metavar="FILE|URL",
    help="An extract of the primary data set (CSV, Parquet, JSON file or glob, http(s) URL, or a "
    "postgresql:// URL with --sample-table): the contract gets its schema and the POC a synthetic "
    "sample made from it. Used at generation only, recorded nowhere.",
)
@click.option("--sample-table", metavar="TABLE", help="The table of a database --sample.")
def new(
    answers_file: Path | None,
    example: str | None,
    generator: str,
    output_dir: Path,
    template: Path | None,
    template_source: str | None,
    sample: str | None,
    sample_table: str | None,
) -> None:
    """Generate a POC repository from the prodready template.

    The POC records the template source and the release of this prodready version, so
    `copier update`, `cruft update` and `prodready update` can reach it later, and its
    checks install this release of prodready from that source. Without --sample (or
    primary_dataset_sample in the answers file) the contract is the template's
    placeholder, which the audit refuses from the pilot stage.
    """
    import os

    from ..core.next_steps import next_steps
    from ..template.new import example_answers, generate, load_answers

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
    if sample_table and not sample:
        raise InputError("--sample-table", "--sample-table without --sample", "pass --sample URL as well")
    extract = (sample, sample_table or "") if sample else None
    project = generate(answers, generator, output_dir, template, template_source, extract)  # type: ignore[arg-type]
    click.echo(f"Generated {project}")
    click.echo("Next steps:\n" + next_steps(os.path.relpath(project)))
