"""One error root, one mapping: every error prodready raises on purpose is one line and its exit code.

The exception classes are found by walking the package, so a new one without a case
here fails the suite; each is raised from inside a command to prove the CLI maps the
root in one place. Then every command meets bad input of its own and answers in one
line naming the file and the fix, never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import prodready
from prodready.audit.git import GitError
from prodready.cli import main
from prodready.core.cost_model import CostModelError
from prodready.data.sql import UnsafeSQL
from prodready.errors import InputError, ProdreadyError
from prodready.template.new import GenerationRefused
from prodready.template.source import TemplateSourceError

PACKAGE = Path(prodready.__file__).parent

#: One way to build each of prodready's exceptions, and the exit code the CLI must give it.
EXAMPLES: dict[type[ProdreadyError], tuple[Callable[[], ProdreadyError], int]] = {
    InputError: (lambda: InputError("contracts/x.odcs.yaml", "bad value", "use a good one", line=3), 2),
    CostModelError: (lambda: CostModelError(("stages", "poc"), "is not a number", "write a number"), 2),
    TemplateSourceError: (lambda: TemplateSourceError("cannot list the tags of x"), 2),
    GenerationRefused: (lambda: GenerationRefused("prodready refused 1 answer; nothing was generated:"), 1),
    UnsafeSQL: (lambda: UnsafeSQL("it is a COPY, not a SELECT"), 2),
    GitError: (lambda: GitError("git blame gave no answer in 30 s"), 2),
}


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def _import_everything() -> None:
    for module in pkgutil.walk_packages([str(PACKAGE)], "prodready."):
        if not module.name.startswith("prodready._template"):
            importlib.import_module(module.name)


def test_every_exception_class_prodready_defines_derives_from_the_root():
    """Found by what they are (subclasses of BaseException defined in the package), not by their names."""
    _import_everything()
    defined = [
        cls
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith("prodready.")
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, BaseException) and cls.__module__ == module.__name__
    ]
    assert len(defined) >= len(EXAMPLES), "the walk found fewer classes than the cases name"
    outside = [f"{cls.__module__}.{cls.__name__}" for cls in defined if not issubclass(cls, ProdreadyError)]
    assert outside == [], f"not under ProdreadyError: {outside}"


def test_every_exception_type_has_a_case_here():
    _import_everything()
    missing = {cls.__name__ for cls in _all_subclasses(ProdreadyError)} - {cls.__name__ for cls in EXAMPLES}
    assert not missing, f"add a case to EXAMPLES for {sorted(missing)}"


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda cls: cls.__name__)
def test_the_cli_maps_each_exception_type_in_one_place(cls, monkeypatch, tmp_path):
    """Raised from deep inside a command, each type becomes one line and its exit code."""
    build, code = EXAMPLES[cls]
    error = build()

    def explode(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("prodready.contracts.lint.lint_contract", explode)
    contract = tmp_path / "x.odcs.yaml"
    contract.write_text("kind: DataContract\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["contracts", "lint", str(contract)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"{error.prefix}{error}"]


def test_interrupt_is_one_line_and_exit_130(monkeypatch, tmp_path):
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("prodready.contracts.lint.lint_contract", interrupt)
    contract = tmp_path / "x.odcs.yaml"
    contract.write_text("kind: DataContract\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["contracts", "lint", str(contract)])
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted: nothing more was written"


def _files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


BROKEN_YAML = "key: [unclosed\n"

#: (command line, files to write first, what the one line must name). Paths are relative to tmp_path.
COMMANDS = [
    (["new", "--answers", "answers.yaml"], {"answers.yaml": BROKEN_YAML}, "answers.yaml:2"),
    (["new", "--example", "no-such-example"], {}, "no example named"),
    (["contracts", "lint", "c.odcs.yaml"], {"c.odcs.yaml": BROKEN_YAML}, "c.odcs.yaml:2"),
    (["contracts", "lint", "empty-dir"], {"empty-dir/.keep": ""}, "no *.odcs.yaml contract found"),
    (["contracts", "check", "c.odcs.yaml"], {"c.odcs.yaml": BROKEN_YAML}, "c.odcs.yaml:2"),
    (["contracts", "infer", "data.xlsx"], {"data.xlsx": "x"}, "cannot tell the format"),
    (["cost", "model.yaml"], {"model.yaml": BROKEN_YAML}, "model.yaml:2"),
    (["cost", "model.yaml"], {"model.yaml": "currency: EUR\nstages: 5\n"}, "model.yaml"),
    (["audit", "not-a-dir"], {}, "not a directory"),
    (["audit", "empty"], {"empty/README.md": "hello"}, "no repository"),
    (["drift", "profile", "data.xlsx", "-o", "p.json"], {"data.xlsx": "x"}, "cannot tell the format"),
    (["drift", "check", "data.csv", "--profile", "p.json"], {"data.csv": "a\n1\n", "p.json": "{not json"}, "p.json:1"),
    (["monitoring", "lint", "m.yaml"], {"m.yaml": BROKEN_YAML}, "m.yaml:2"),
    (["update", "pocs"], {"pocs/.keep": ""}, "no trusted template source"),
    (
        ["decide", "go", "poc", "--reason", "the KPI is on track"],
        {"poc/ownership.yaml": BROKEN_YAML},
        "ownership.yaml:2",
    ),
    (["review", "poc"], {"poc/ownership.yaml": BROKEN_YAML}, "ownership.yaml:2"),
    (["review", "poc", "--html", "pack.html"], {"poc/ownership.yaml": "- a list\n"}, "not a mapping"),
]


@pytest.mark.parametrize(("args", "files", "fragment"), COMMANDS, ids=[" ".join(c[0][:2]) for c in COMMANDS])
def test_every_command_reports_bad_input_in_one_line(args, files, fragment, tmp_path, monkeypatch):
    _files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRODREADY_TEMPLATE_SOURCE", raising=False)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert fragment in lines[0] and "Fix:" in lines[0], lines[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "bad input left files behind"


def test_every_command_is_covered_by_a_bad_input_case():
    def leaves(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from leaves(command, (*prefix, name))
            else:
                yield (*prefix, name)

    covered = {
        tuple(args[:2]) if args[0] in ("contracts", "drift", "monitoring") else (args[0],) for args, _, _ in COMMANDS
    }
    uncovered = set(leaves(main)) - covered
    assert not uncovered, f"add a bad-input case for {sorted(uncovered)}"
