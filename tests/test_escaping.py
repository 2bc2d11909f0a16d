"""Any answer text round-trips exactly into the YAML, TOML, Markdown and workflow files.

First the filters on their own (many examples, fast), then whole generations through
cookiecutter with arbitrary owner names, descriptions and KPI texts.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from prodready.core.answers import validate
from prodready.core.escape import gha_str, md, path_component, toml_str, yaml_str
from prodready.template.new import cookiecutter_context

from .helpers import ROOT, example
from .test_answers import complete

HOSTILE = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "${{",
    "}}",
    ": ",
    " #",
    "'",
    '"',
    "\\",
    "|",
    "&amp;",
    "<br>",
    "- ",
    "1. ",
    "* ",
    "`",
    "[x](y)",
    "\t",
    "  ",
    "&#32;",
    "---",
    "~~",
]
# Printable text of any script; control characters and line separators are refused by the rules.
CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff")
ONE_LINE = st.lists(st.one_of(st.text(CHARS, max_size=6), st.sampled_from(HOSTILE)), max_size=8).map("".join)
MULTI_LINE = st.lists(st.one_of(ONE_LINE, st.just("\n")), max_size=4).map("".join)
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)

MARKDOWN = MarkdownIt("commonmark").enable("table")


def markdown_text(source: str, strict: bool = True) -> list[str]:
    """The text of each inline run (paragraph or table cell), as a reader sees it.

    ``strict`` fails on any markup at all: for sources made only of escaped values.
    """
    runs = []
    for token in MARKDOWN.parse(source):
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in ("text", "text_special"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak") or (child.type == "html_inline" and child.content == "<br>"):
                parts.append("\n")
            elif child.type == "code_inline" and not strict:
                parts.append(child.content)
            elif strict:
                raise AssertionError(f"markup leaked: {child.type} {child.content!r} in {source!r}")
        runs.append("".join(parts))
    return runs


@settings(max_examples=400)
@given(ANY_TEXT)
def test_yaml_str_round_trips(value):
    assert yaml.safe_load(f"key: {yaml_str(value)}\n")["key"] == value


@settings(max_examples=400)
@given(ANY_TEXT)
def test_toml_str_round_trips(value):
    assert tomllib.loads(f"key = {toml_str(value)}\n")["key"] == value


@settings(max_examples=400)
@given(st.one_of(ONE_LINE, MULTI_LINE))
def test_md_round_trips_in_paragraphs_and_table_cells(value):
    paragraph = markdown_text(f"Intro.\n\n{md(value)}\n") if value else ["Intro."]
    assert paragraph[-1] == (value or "Intro.")
    cells = markdown_text(f"| a | b |\n|---|---|\n| {md(value)} | end |\n")
    assert cells[-2:] == [value, "end"]


@settings(max_examples=300)
@given(ONE_LINE)
def test_gha_str_never_opens_an_expression(value):
    text = yaml.safe_load(f"name: {gha_str(value)}\n")["name"]
    # GitHub evaluates ${{ '${{' }} to the literal text '${{'; nothing else is an expression.
    assert text.replace("${{ '${{' }}", "\0").count("${{") == 0
    assert text.replace("${{ '${{' }}", "${{") == value


@given(ANY_TEXT)
def test_path_component_stays_one_level_deep(value):
    name = path_component(value)
    assert name and "/" not in name and "\\" not in name and name not in (".", "..")


# Each example renders a whole repository: no shrinking (it would re-render hundreds of
# times); a failure is reported with the example as found.
@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(owner=ONE_LINE, description=MULTI_LINE, kpi=ONE_LINE)
def test_generated_files_keep_arbitrary_text(owner, description, kpi, tmp_path_factory):
    from cookiecutter.main import cookiecutter

    answers = {
        **example("support-assistant"),
        "production_owner_name": owner,
        "description": description,
        "business_kpi": kpi,
        # Kill criteria must name the KPI: "the KPI" does, whatever its text.
        "kill_criteria": "The KPI is not 10% better than its baseline at the decision date",
    }
    assume(validate(complete(answers)) == [])  # any text the rules accept
    out = tmp_path_factory.mktemp("escaping")
    project = Path(
        cookiecutter(str(ROOT), no_input=True, extra_context=cookiecutter_context(answers), output_dir=str(out))
    )
    ownership = yaml.safe_load((project / "ownership.yaml").read_text(encoding="utf-8"))
    assert ownership["roles"]["production_owner"]["name"] == owner
    assert ownership["business"]["kpi"]["name"] == kpi
    catalog = yaml.safe_load((project / "catalog-info.yaml").read_text(encoding="utf-8"))
    assert catalog["metadata"]["description"] == description
    monitoring = yaml.safe_load((project / "monitoring" / "monitoring.yaml").read_text(encoding="utf-8"))
    assert monitoring["kpi"]["name"] == kpi
    tool = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["prodready"]
    assert (tool["production_owner"], tool["description"], tool["business_kpi"]) == (owner, description, kpi)
    readme = markdown_text((project / "README.md").read_text(encoding="utf-8"), strict=False)
    assert description in readme and owner in readme
    assert any(run.startswith(kpi + ": from ") for run in readme)
