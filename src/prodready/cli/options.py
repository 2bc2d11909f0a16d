"""Exit codes and the options several commands share, validated while parsing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

#: 2 (a usage or input error) is ``ProdreadyError.exit_code``, given where errors are mapped.
EXIT_OK, EXIT_FAILED = 0, 1
#: What a shell reports for a process stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _pep440(_context: click.Context, _parameter: click.Parameter, value: str | None) -> str | None:
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
            envvar="PRODREADY_TEMPLATE_SOURCE",
            help="The template repository the platform trusts (default: $PRODREADY_TEMPLATE_SOURCE); "
            "its release tags are read instead of the source each repository records.",
        )(command)
        return click.option("--template-version", metavar="VERSION", callback=_pep440, help=version_help)(command)

    return decorate


#: A file the command writes or reads, never a directory.
FILE = click.Path(dir_okay=False, path_type=Path)


def table_option(argument: str) -> Callable[[F], F]:
    """``--table``: the table to read when the source ARGUMENT is a database URL."""
    return click.option("--table", help=f"Table to read when {argument} is a postgresql:// URL.")


def parse_outputs(values: tuple[str, ...], formats: Mapping[str, Any]) -> list[tuple[str, str]]:
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


def write_outputs(targets: list[tuple[str, str]], formats: Mapping[str, Callable[[Any], str]], subject: Any) -> None:
    """Render ``subject`` in each requested format, to standard output or atomically to a file."""
    from ..io.outputs import write_atomic

    for fmt, target in targets:
        report = formats[fmt](subject)
        if target == "-":
            click.echo(report, nl=False)
        else:
            write_atomic(Path(target), report)


def contract_files(targets: tuple[Path, ...]) -> list[Path]:
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
