"""Each fact prodready relies on is written once; a copy that comes back fails here.

The copies that drifted before (the roles rule in the answers and in the audit, the
choice lists, the stages, the protected classifications) were literal tuples and sets
typed again in a second module. These tests read every module of the package (and the
template hooks) with ``ast`` and refuse a literal that restates a fact outside the one
module that owns it. ``core`` must also stay on the standard library alone: the
template hooks load it by path where prodready's dependencies may be missing.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import prodready
from prodready.core import answers, people, questions, stages

from .helpers import ROOT

PACKAGE = Path(prodready.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "hooks").glob("*.py")) + sorted((ROOT / "tools").glob("*.py"))
QUESTIONNAIRE = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))


def _string_collections(path: Path) -> Iterator[tuple[int, frozenset[str]]]:
    """(line, strings) of every tuple, list or set literal made only of strings, and of frozenset({...})."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:  # the cookiecutter hook is a Jinja template, not Python
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts):
                yield node.lineno, frozenset(values)


def _copies(fact: frozenset[str], home: str, *, at_least: int | None = None) -> list[str]:
    """Places outside ``home`` whose literal holds the fact (or ``at_least`` of its members)."""
    need = len(fact) if at_least is None else at_least
    found = []
    for path in SOURCES:
        relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if str(relative).replace("\\", "/").endswith(home):
            continue
        for line, values in _string_collections(path):
            if len(values & fact) >= need and len(fact) > 1:
                found.append(f"{relative}:{line}")
    return found


CHOICE_QUESTIONS = [key for key, value in QUESTIONNAIRE.items() if isinstance(value, list)]


@pytest.mark.parametrize("key", CHOICE_QUESTIONS)
def test_choice_lists_are_read_from_cookiecutter_json(key):
    """A choice list typed again, whole or but for one choice, is a copy."""
    fact = frozenset(str(choice) for choice in QUESTIONNAIRE[key])
    assert questions.choices(key) == tuple(QUESTIONNAIRE[key])
    assert not _copies(fact, "cookiecutter.json", at_least=max(2, len(fact) - 1)), f"the choices of {key} are copied"


def test_the_answer_rules_use_the_questionnaires_choices():
    assert tuple(QUESTIONNAIRE["ai_system_type"]) == answers.AI_SYSTEM_TYPES
    assert tuple(QUESTIONNAIRE["risk_tier"]) == answers.RISK_TIERS
    assert tuple(QUESTIONNAIRE["currency"]) == answers.CURRENCIES


def test_roles_are_defined_once():
    assert not _copies(frozenset(people.ROLE_KEYS), "prodready/core/people.py", at_least=3)
    # The separation rule names two roles: a copy of it is any literal holding both.
    assert not _copies(frozenset(people.NOT_THE_TECHNICAL_LEAD), "prodready/core/people.py")


def test_stages_are_defined_once():
    assert not _copies(frozenset(stages.STAGES), "prodready/core/stages.py")


def test_protected_classifications_are_defined_once():
    from prodready.contracts.model import PERSONAL_TAGS, PROTECTED_CLASSES

    assert not _copies(PROTECTED_CLASSES, "prodready/contracts/model.py", at_least=3)
    assert not _copies(PERSONAL_TAGS, "prodready/contracts/model.py", at_least=3)


def test_sample_environments_are_defined_once():
    from prodready.contracts.model import SAMPLE_ENVIRONMENTS

    assert not _copies(SAMPLE_ENVIRONMENTS, "prodready/contracts/model.py", at_least=3)


#: Facts that happen to share the price-age limit's number of days, by the name that holds them.
SAME_NUMBER_OTHER_FACT = {"REVIEW_DAYS"}  # a production system is reviewed every 180 days


def test_the_price_age_limit_is_defined_once():
    from prodready.core.costing import PRICE_AGE_WARNING_DAYS

    copies = []
    for path in SOURCES:
        if path.name == "costing.py":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        other = {
            id(constant)
            for node in ast.walk(tree)
            if isinstance(node, ast.AnnAssign | ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in SAME_NUMBER_OTHER_FACT for t in ast.walk(node))
            for constant in ast.walk(node)
        }
        copies += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value == PRICE_AGE_WARNING_DAYS
            and type(node.value) is int
            and id(node) not in other
        ]
    assert not copies


def test_type_words_are_defined_once():
    words = frozenset({"int", "double", "float", "real", "decimal", "numeric"})
    assert not _copies(words, "prodready/data/sql.py", at_least=4)


def _calls_and_strings(path: Path) -> Iterator[tuple[int, str]]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_one_junit_writer():
    writers = [
        f"{path.name}:{line}"
        for path in SOURCES
        for line, value in _calls_and_strings(path)
        if value == "testsuites" and path.name != "results.py"
    ]
    assert not writers, "JUnit XML is written by prodready.results.to_junit only"


def _replace_calls(path: Path) -> Iterator[tuple[int, str]]:
    """(line, first argument) of every ``.replace("x", ...)`` call with a literal first argument."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "replace"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_one_markdown_escaper():
    """Markdown text is escaped by prodready.core.escape.md: no hand-rolled escaping of its syntax elsewhere."""
    markup = set("|*_`[]<>#")
    escaped_pipes = [
        f"{path.name}:{line}"
        for path in SOURCES
        if path.name != "escape.py"
        for line, value in _calls_and_strings(path)
        if value in ("\\|", "\\\\|")
    ]
    replaced_markup = [
        f"{path.name}:{line}"
        for path in SOURCES
        if path.name != "escape.py"
        for line, value in _replace_calls(path)
        if value in markup
    ]
    hand_rolled = escaped_pipes + replaced_markup
    assert not hand_rolled


def _imports(path: Path) -> Iterator[tuple[int, str, int]]:
    """(line, module, level) of every import statement, however deeply nested."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, node.module or "", node.level


def test_core_imports_only_the_standard_library():
    """Read from the source, not from what happens to be installed: PyYAML being present must not hide a leak."""
    core = PACKAGE / "core"
    bad = []
    for path in sorted(core.glob("*.py")):
        for line, module, level in _imports(path):
            if level == 1:
                target = module.split(".")[0]
                if target and not (core / f"{target}.py").is_file():
                    bad.append(f"{path.name}:{line} imports .{module}")
            elif level > 1:
                bad.append(f"{path.name}:{line} imports outside core ({'.' * level}{module})")
            elif module.split(".")[0] not in sys.stdlib_module_names and module != "__future__":
                bad.append(f"{path.name}:{line} imports {module}")
    assert not bad, bad


def test_the_standard_library_check_would_catch_a_leak(tmp_path):
    leak = tmp_path / "leak.py"
    leak.write_text("def f():\n    import yaml\n    from ..errors import InputError\n", encoding="utf-8")
    assert [(m, lvl) for _, m, lvl in _imports(leak)] == [("yaml", 0), ("errors", 2)]


def _format_choices(*path: str) -> list[str]:
    from prodready.cli import main

    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    (option,) = [p for p in command.params if p.name == "output_format"]
    return list(option.type.choices)


@pytest.mark.parametrize(
    ("command", "module"),
    [
        (("audit",), "prodready.audit.report"),
        (("cost",), "prodready.cost.report"),
        (("drift", "check"), "prodready.drift.report"),
        (("update",), "prodready.template.fleet"),
        (("contracts", "check"), "prodready.contracts.report"),
    ],
)
def test_format_choices_are_the_reports_formats(command, module):
    """The CLI names its formats without importing every report (start-up time); this holds them equal."""
    import importlib

    assert _format_choices(*command) == list(importlib.import_module(module).FORMATS)
