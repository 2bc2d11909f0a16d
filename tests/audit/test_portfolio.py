"""Portfolio mode: templates are not POCs, and POCs are named by their path below the folder given."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from prodready.audit.portfolio import audit_many, discover, is_template, names, to_html, write_facts
from prodready.audit.report import FORMATS
from prodready.cli import main

from .helpers import TODAY, write
from .poc import files

COPIER_ANSWERS = "_commit: v0.2.0\n_src_path: https://github.com/acme/prodready\nproject_slug: churn\n"


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """Two POCs named churn in two team folders, beside templates that hold POC-like files."""
    root = tmp_path / "fleet"
    write(root, files("team-a/churn/"))
    write(root, files("team-b/churn/", **{".copier-answers.yml": COPIER_ANSWERS}))  # generated, not a template
    write(root / "prodready-fork", {"copier.yml": "project_slug: {type: str}\n", "cookiecutter.json": "{}\n"})
    write(root / "prodready-fork", files("{{cookiecutter.project_slug | prodready_dirname}}/"))
    write(
        root / "copier-only", {"copier.yaml": "_subdirectory: template\n", **files()}
    )  # a template root that looks like a POC
    write(root / "cookiecutter-only", {"cookiecutter.json": "{}\n", **files("{{ cookiecutter.slug }}/")})
    write(root / "loose", files("{{project_slug}}/"))  # a template's directory, copied out of its template
    return root


def test_discovery_skips_templates_and_keeps_generated_repositories(fleet: Path) -> None:
    assert discover(fleet) == [fleet / "team-a" / "churn", fleet / "team-b" / "churn"]
    assert is_template(fleet / "prodready-fork") and is_template(fleet / "copier-only")
    assert is_template(fleet / "loose" / "{{project_slug}}") and not is_template(fleet / "team-b" / "churn")


def test_a_repository_named_explicitly_is_audited_even_inside_a_template(fleet: Path) -> None:
    inner = fleet / "copier-only"
    assert discover(inner) == [inner]


def test_a_template_marker_is_never_opened(tmp_path: Path) -> None:
    template = tmp_path / "fleet" / "fifo-template"
    write(template, files())
    os.mkfifo(template / "copier.yml")  # opening it would block
    assert is_template(template) and discover(tmp_path / "fleet") == []


def test_names_are_paths_below_the_common_folder() -> None:
    assert names([Path("/x/fleet/team-a/churn")]) == ["churn"]
    assert names([Path("/x/fleet/team-a/churn"), Path("/x/fleet/team-b/churn")]) == ["team-a/churn", "team-b/churn"]
    assert names([Path("/x/fleet/a"), Path("/x/fleet/a/b"), Path("/x/fleet/c/d/e")]) == ["a", "a/b", "c/d/e"]
    assert names([Path("/x/fleet"), Path("/x/fleet/b")]) == ["fleet", "b"]


def test_every_portfolio_format_tells_two_pocs_of_the_same_name_apart(fleet: Path, tmp_path: Path) -> None:
    audits = audit_many(discover(fleet), today=TODAY, template_version="0.2.0", keep_going=True)
    assert [a.name for a in audits] == ["team-a/churn", "team-b/churn"]
    text, markdown = FORMATS["text"](audits), FORMATS["markdown"](audits)
    assert "team-a/churn: level poc" in text and "team-b/churn: level poc" in text
    assert "prodready audit: team-a/churn" in markdown and "prodready audit: team-b/churn" in markdown
    assert [a["name"] for a in json.loads(FORMATS["json"](audits))["audits"]] == ["team-a/churn", "team-b/churn"]
    suites = ElementTree.fromstring(FORMATS["junit"](audits).split("\n", 1)[1]).iter("testsuite")
    assert [suite.get("name") for suite in suites] == ["team-a/churn", "team-b/churn"]
    github = FORMATS["github"](audits)
    assert "::notice title=prodready audit::team-a/churn: level poc" in github
    assert f"file={fleet.as_posix()}/team-b/churn/governance/model_card.md".replace(":", "%3A") in github
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(FORMATS["sarif"](audits))["runs"][0]["results"]
        if r["ruleId"] == "GOV005"
    }
    assert uris == {f"{fleet.as_posix()}/{team}/churn/governance/model_card.md" for team in ("team-a", "team-b")}
    html = to_html(audits, TODAY)
    assert "<code>team-a/churn</code>" in html and "<code>team-b/churn</code>" in html
    written = write_facts(audits, tmp_path / "facts")
    assert [path.name for path in written] == ["team-a-churn.json", "team-b-churn.json"]
    assert json.loads(written[1].read_text(encoding="utf-8"))["name"] == "team-b/churn"


def test_the_command_line_names_repositories_below_the_folder_given(fleet: Path, tmp_path: Path) -> None:
    html = tmp_path / "portfolio.html"
    arguments = ["audit", str(fleet), "--format", "json", "--html", str(html), "--template-version", "0.2.0"]
    result = CliRunner().invoke(main, [*arguments, "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    audits = json.loads(result.output)["audits"]
    assert [(a["name"], a["repository"]) for a in audits] == [
        ("team-a/churn", str(fleet / "team-a" / "churn")),
        ("team-b/churn", str(fleet / "team-b" / "churn")),
    ]
    assert "<code>team-b/churn</code>" in html.read_text(encoding="utf-8")
