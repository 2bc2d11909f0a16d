"""Files in and out: the YAML loader's budgets and atomic outputs that never replace special files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from prodready.cli import main
from prodready.errors import InputError
from prodready.io.outputs import write_atomic
from prodready.io.yamlio import MAX_DEPTH, load_yaml

#: 9^8 = 43 million values from about 400 bytes, the "billion laughs" shape.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        (ALIAS_BOMB, "expands to more than", 1),
        ("d: 2026-02-30\n" + ALIAS_BOMB, "expands to more than", 2),
        ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nests deeper than", 1),
        ("a: " + "[" * 2000 + "]" * 2000 + "\n", "invalid YAML", 1),
        ("x: 1\ny:\n  - ok\n  - 2026-02-30\n", "cannot be read (day is out of range", 4),
        ("when: 2024-13-01\n", "cannot be read", 1),
        ("n: " + "9" * 5000 + "\n", "cannot be read", 1),
    ],
    ids=["alias bomb", "bad date before a bomb", "deep", "very deep", "impossible date", "month 13", "huge integer"],
)
def test_hostile_yaml_is_a_one_line_input_error(tmp_path, text, fragment, line):
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as raised:
        load_yaml(path)
    assert time.perf_counter() - started < 5, "the budget must stop the work early"
    assert fragment in raised.value.message and raised.value.line == line
    assert "\n" not in str(raised.value)


def test_the_alias_bomb_through_the_cli_is_exit_2(tmp_path):
    (tmp_path / "c.odcs.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    result = CliRunner().invoke(main, ["contracts", "lint", str(tmp_path / "c.odcs.yaml")])
    assert result.exit_code == 2 and "expands to more than" in result.output


def test_ordinary_aliases_still_load(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &base {a: 1}\nother: *base\n", encoding="utf-8")
    assert load_yaml(path).data == {"base": {"a": 1}, "other": {"a": 1}}


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {a: 1, b: [x, 2]}\nmerged: {<<: *b, b: 3}\nmany: {<<: [*b, {c: 4}]}\n",
        "set: !!set {a, b}\nomap: !!omap [{x: 1}, {y: 2}]\npairs: !!pairs [{x: 1}, {x: 2}]\n",
        "when: 2026-05-01\nat: 2026-05-01T10:00:00Z\nnull: ~\nyes: yes\n1: one\n1.5: [true, .inf, 0x1F]\n",
        "dup: 1\ndup: 2\nstr: !!str 12\nbin: !!binary aGVsbG8=\nnested: [[[{a: [b]}]]]\n",
        "- just\n- a\n- list\n",
        "scalar\n",
    ],
    ids=["merge keys", "sets and ordered maps", "implicit types", "duplicates, explicit tags", "list", "scalar"],
)
@pytest.mark.parametrize("timestamps", [True, False])
def test_the_loader_builds_exactly_what_pyyaml_builds(tmp_path, text, timestamps):
    """The fast path for text, mappings and sequences changes nothing PyYAML's safe loader would return."""
    import yaml

    from prodready.io.yamlio import _loader

    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    expected = yaml.load(text, Loader=_loader(timestamps))
    assert load_yaml(path, timestamps=timestamps).data == expected


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("ok: 1\n? [a, b]\n: value\n", "found unhashable key", 2),
        ("ok: 1\nevil: !!python/object/apply:os.system [echo hi]\n", "could not determine a constructor", 2),
    ],
    ids=["unhashable key", "python tag"],
)
def test_what_the_safe_loader_refuses_is_still_refused_at_its_line(tmp_path, text, fragment, line):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_yaml(path)
    assert fragment in raised.value.message and raised.value.line == line


def test_outputs_refuse_symbolic_links_and_special_files(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, kind in ((link, "symbolic link"), (fifo, "not a regular file"), (tmp_path, "not a regular file")):
        with pytest.raises(InputError, match=kind):
            write_atomic(path, "report")
    assert target.read_text(encoding="utf-8") == "keep me" and link.is_symlink()


def test_outputs_replace_a_regular_file_atomically(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("old", encoding="utf-8")
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_new_refuses_an_existing_project_and_touches_nothing(tmp_path):
    existing = tmp_path / "churn-early-warning"
    existing.mkdir()
    (existing / "notes.md").write_text("the team's", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--example", "churn-model", "--output-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "already exists and is not empty" in result.output and len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in existing.iterdir()) == ["notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["churn-early-warning"], "no staging directory left"


@pytest.mark.parametrize("generator", ["cookiecutter", "copier"])
def test_new_leaves_no_bytecode_in_the_project(tmp_path, generator):
    result = CliRunner().invoke(
        main, ["new", "--example", "churn-model", "--generator", generator, "--output-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.rglob("__pycache__"))
    assert [p.name for p in tmp_path.iterdir()] == ["churn-early-warning"]


def test_new_interrupted_leaves_nothing(tmp_path, monkeypatch):
    def interrupted(*args: object, **kwargs: object) -> Path:
        (Path(str(args[1])) / "half-made").mkdir()  # the generator had started writing (in staging)
        raise KeyboardInterrupt

    monkeypatch.setattr("prodready.template.new._cookiecutter", interrupted)
    result = CliRunner().invoke(main, ["new", "--example", "churn-model", "--output-dir", str(tmp_path)])
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("generator", ["cookiecutter", "cruft"])
def test_new_leaves_no_copy_of_the_answers_in_the_temp_directory(tmp_path, monkeypatch, generator):
    """cookiecutter runs the pre-generation hook from a rendered copy holding every answer."""
    import tempfile

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["new", "--example", "churn-model", "--generator", generator, "-o", str(out)])
    assert result.exit_code == 0, result.output
    leftovers = [p for p in private.rglob("*") if p.is_file() and b"kwame.mensah" in p.read_bytes()]
    assert not leftovers


def test_new_with_a_nul_in_the_slug_is_refused_and_writes_nothing(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('project_name: Churn\nproject_slug: "churn\\0poc"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["new", "--answers", str(answers), "-o", str(out)])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def _template_copy(root: Path) -> Path:
    from .helpers import ROOT

    shutil.copytree(ROOT / "hooks", root / "hooks")
    shutil.copytree(ROOT / "src" / "prodready" / "core", root / "src" / "prodready" / "core")
    shutil.copy(ROOT / "cookiecutter.json", root / "cookiecutter.json")
    return root


def _hook_module(template: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, template / "hooks" / "prodready_jinja.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hooks_load_core_from_their_own_template(tmp_path):
    """A process that renders from two templates (a suite, a fleet) keeps their core modules apart."""
    first = _hook_module(_template_copy(tmp_path / "first"), "_first_glue")
    first.load("answers")  # type: ignore[attr-defined]
    shutil.rmtree(tmp_path / "first")  # a temporary template, gone once rendered
    second = _hook_module(_template_copy(tmp_path / "second"), "_second_glue")
    costing = second.load("costing")  # type: ignore[attr-defined]
    assert Path(costing.__file__).is_relative_to(tmp_path / "second")


def test_the_bundled_odcs_schemas_are_the_bytes_notice_names():
    """NOTICE names each ODCS schema's source and SHA-256; a changed byte (a "fixed" copy) fails here."""
    import hashlib
    import re

    from prodready.io.schemas import ODCS_VERSIONS, SCHEMAS

    folder = Path(__file__).parents[1] / "src" / "prodready" / "io" / "jsonschemas"
    notice = (folder / "NOTICE").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^file: (\S+)\n(?:.+\n)*?sha256: ([0-9a-f]{64})$", notice, re.MULTILINE))
    bundled = {SCHEMAS[f"odcs-{version}"] for version in ODCS_VERSIONS}
    assert set(entries) == bundled == {path.name for path in folder.glob("odcs-*.json")}
    for name, digest in entries.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert notice.count("licence: Apache-2.0") == len(bundled)
    assert notice.count("commit: ") == len(bundled)


def test_contracts_read_timestamps_as_the_text_written(tmp_path):
    """ODCS types dates as strings: an unquoted one stays its text, with its line; other files keep YAML's dates."""
    from datetime import date

    text = "a: 2022-10-03\nb:\n  - 2024-05-01T10:00:00Z\n  - 2026-02-30\nc: !!timestamp 2024-05-01 10:00:00\n"
    (tmp_path / "x.yaml").write_text(text)
    document = load_yaml(tmp_path / "x.yaml", timestamps=False)
    assert document.data == {"a": "2022-10-03", "b": ["2024-05-01T10:00:00Z", "2026-02-30"], "c": "2024-05-01 10:00:00"}
    assert [document.line_of(["b", 1]), document.line_of(["c"])] == [4, 5]
    (tmp_path / "y.yaml").write_text("a: 2022-10-03\n")
    assert load_yaml(tmp_path / "y.yaml").data == {"a": date(2022, 10, 3)}
