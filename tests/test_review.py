"""``prodready review``: the review pack of an example POC with decisions and KPI actuals, in a real browser.

The pack is rendered from the support-assistant example after two recorded decisions
and a quarter of KPI actuals, then opened in headless Chromium (as the portfolio report
is): the DOM must hold every section and the chart, and a screenshot is taken the way
docs/images/review-pack.png was made (`python tools/review_screenshot.py`).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from tools.review_screenshot import kpi_actuals, prepare

from prodready.cli import main
from prodready.review.evidence import collect
from prodready.review.pack import to_html

from .helpers import in_chromium

TODAY = date.today()


@pytest.fixture
def poc(rendered, tmp_path) -> Path:
    """The support-assistant example after a quarter of KPI actuals, an extension and the pilot decision."""
    root = tmp_path / "poc"
    shutil.copytree(rendered[("support-assistant", "copier")].destination, root)
    prepare(root, TODAY)
    return root


def test_the_review_pack_shows_what_the_kill_authority_decides_on(poc: Path, tmp_path: Path) -> None:
    html, markdown = tmp_path / "pack.html", tmp_path / "pack.md"
    contracts = tmp_path / "contracts.json"
    contracts.write_text(
        json.dumps({"results": [{"object": "tickets", "property": "id", "check": "unique", "status": "failed"}]}),
        encoding="utf-8",
    )
    args = ["review", str(poc), "--html", str(html), "--markdown", str(markdown), "--contracts-report", str(contracts)]
    result = CliRunner().invoke(main, [*args, "--today", str(TODAY)])
    assert result.exit_code == 0, result.output
    assert "recommendation: go:" in result.output  # the last actual, 1.9 hours, beats the 2-hour target
    text = markdown.read_text(encoding="utf-8")
    for section in (
        "Business case",
        "KPI actuals",
        "Cost",
        "Data",
        "Audit",
        "Governance",
        "Waivers",
        "Decisions so far",
    ):
        assert f"## {section}" in text
    assert "POC: 23,525 EUR of a 25,000 EUR budget (94%)" in text
    assert "Contract check: 1 failed; failed: tickets.id: unique." in text
    assert text.count("| 0001-") == 0 and "decisions/0001-" in text and "decisions/0002-" in text
    assert all(f"| {when} |" in text for when, _, _ in kpi_actuals(TODAY))
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "http://" not in page.replace("http://www.w3.org", "")

    dom, shot = in_chromium(html, tmp_path, "1280,1600")
    for heading in ("Business case", "KPI actuals", "Cost against budget", "Data in production", "Open waivers"):
        assert f"<h2>{heading}</h2>" in dom
    assert "<polyline" in dom and dom.count("<circle") == len(kpi_actuals(TODAY))
    assert "kill threshold 4" in dom and "Recommendation: go" in dom
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_recommendation_follows_the_kill_criteria(poc: Path) -> None:
    actuals = poc / "kpi" / "actuals.csv"
    actuals.write_text(actuals.read_text(encoding="utf-8") + f"{TODAY},4.6,helpdesk export\n", encoding="utf-8")
    verdict, why = collect(poc, today=TODAY).recommendation()
    assert verdict == "kill" and "worse than the kill threshold 4: the kill criteria are met" in why


def test_hostile_text_is_escaped(poc: Path) -> None:
    actuals = poc / "kpi" / "actuals.csv"
    actuals.write_text(
        actuals.read_text(encoding="utf-8") + f'{TODAY},2.1,"<script>alert(1)</script>\x1b[31m"\n', encoding="utf-8"
    )
    page = to_html(collect(poc, today=TODAY))
    assert "<script>alert(1)" not in page and "\x1b" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_a_report_that_is_not_one_is_a_one_line_error(poc: Path, tmp_path: Path, content: str) -> None:
    report = tmp_path / "drift.json"
    report.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["review", str(poc), "--drift-report", str(report), "--html", str(tmp_path / "p.html")]
    )
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert "drift check report" in result.output and not (tmp_path / "p.html").exists()


def test_review_reads_and_never_writes(poc: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in poc.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["review", str(poc), "--today", str(TODAY + timedelta(days=1))])
    assert result.exit_code == 0 and result.output.startswith("# Review pack: Support reply assistant")
    assert {p: p.stat().st_mtime_ns for p in poc.rglob("*") if p.is_file()} == before
