"""One severity model across the report formats: only a failure that gates the declared stage is an error.

The repositories are ``poc.py``'s minimal POC: at stage poc it reaches poc, and its pilot
and production checks fail (TODOs, open checklist items, no answers file), as a freshly
generated POC's do.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from prodready.audit.engine import Audit, audit_repository
from prodready.audit.portfolio import to_html
from prodready.audit.report import FORMATS, severity, to_github, to_json, to_junit, to_markdown, to_sarif, to_text
from prodready.core.project import documentation_url

from .helpers import TODAY, line_of, write
from .poc import FILES, OWNERSHIP, PYPROJECT

#: The checks the minimal POC fails: all first due at pilot or production.
DUE_LATER = {
    "BUS003",
    "CON005",
    "MON003",
    "EVL004",
    "EVL005",
    "EVL006",
    "EVL007",
    "GOV003",
    "GOV004",
    "GOV005",
    "GOV009",
    "LOD002",
    "INT003",
    "INT004",
    "ADO002",
    "ADO003",
    "OWN009",
    "OWN010",
    "TPL001",
}
#: Of those, the ones first due at production.
PRODUCTION = {"GOV004", "EVL007", "OWN010", "INT004"}
BROKEN_EMAIL = OWNERSHIP.replace("email: amara.okafor@acme.io", 'email: ""')


def audit(root: Path, files: dict[str, str | bytes], require: str | None = None) -> Audit:
    return audit_repository(write(root, files), today=TODAY, template_version="0.1.0", require=require)


@pytest.fixture
def fresh(tmp_path: Path) -> Audit:
    """The minimal POC at stage poc: it passes the gate, its later checks fail."""
    return audit(tmp_path / "fresh", dict(FILES))


@pytest.fixture
def gated(tmp_path: Path) -> Audit:
    """The minimal POC with an empty production owner e-mail: OWN002, a poc check, fails the gate."""
    return audit(tmp_path / "gated", {**FILES, "ownership.yaml": BROKEN_EMAIL})


def junit_cases(audits: list[Audit]) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    """The (single) test suite and its test cases by check id."""
    suite = ElementTree.fromstring(to_junit(audits).split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    return suite, {case.get("name", "").split()[0]: case for case in suite.iter("testcase")}


def sarif_levels(audits: list[Audit]) -> dict[str, str]:
    return {r["ruleId"]: r["level"] for r in json.loads(to_sarif(audits))["runs"][0]["results"]}


def github_levels(audits: list[Audit]) -> dict[str, str]:
    """Annotation level by check id (the title starts with the id)."""
    levels = {}
    for line in to_github(audits).splitlines():
        level, _, rest = line[2:].partition(" ")
        if "title=" in rest and not rest.startswith("title=prodready audit"):
            levels[rest.split("title=", 1)[1].split()[0]] = level
    return levels


def test_a_fresh_poc_failing_only_later_checks_has_no_junit_failure(fresh: Audit) -> None:
    assert fresh.passed and {f.id for f in fresh.findings if f.status == "failed"} == DUE_LATER
    suite, cases = junit_cases([fresh])
    # + TPL002 (needs TPL001), GOV008 (no risk assessment: not a high-risk system),
    # LOD003 (no load results to compare the cost model with) and ADO004 (needs ADO003)
    assert (suite.get("failures"), suite.get("skipped")) == ("0", str(len(DUE_LATER) + 4))
    assert not list(suite.iter("failure"))
    skipped = cases["GOV005"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "due at stage pilot (gated at poc): still says TODO: TODO: intended use."
    production = cases["GOV004"].find("skipped")
    assert production is not None and production.get("message", "").startswith("due at stage production (gated at poc)")


def test_a_fresh_poc_failing_only_later_checks_is_warnings_in_sarif_and_github(fresh: Audit) -> None:
    assert sarif_levels([fresh]) == dict.fromkeys(DUE_LATER, "warning")
    assert github_levels([fresh]) == dict.fromkeys(DUE_LATER, "warning")
    assert "::error" not in to_github([fresh])


def test_a_gating_failure_is_an_error_in_every_format(gated: Audit, tmp_path: Path) -> None:
    assert not gated.passed and [f.id for f in gated.findings if gated.gates(f)] == ["OWN002"]
    line = line_of(BROKEN_EMAIL, 'email: ""')
    suite, cases = junit_cases([gated])
    failure = cases["OWN002"].find("failure")
    assert suite.get("failures") == "1" and failure is not None
    assert failure.get("message") == "the e-mail of `production_owner` is empty (got '')"
    assert sarif_levels([gated]) == {"OWN002": "error"} | dict.fromkeys(DUE_LATER, "warning")
    assert github_levels([gated]) == {"OWN002": "error"} | dict.fromkeys(DUE_LATER, "warning")
    assert f"::error file=ownership.yaml,line={line},title=OWN002 " in to_github([gated])


def test_require_moves_the_gate_and_the_severities_with_it(tmp_path: Path) -> None:
    pilot = audit(tmp_path / "pilot", dict(FILES), require="pilot")
    assert not pilot.passed
    errors = DUE_LATER - PRODUCTION
    assert sarif_levels([pilot]) == dict.fromkeys(errors, "error") | dict.fromkeys(PRODUCTION, "warning")
    suite, cases = junit_cases([pilot])
    assert suite.get("failures") == str(len(errors))
    assert {check_id for check_id, case in cases.items() if case.find("failure") is not None} == errors
    skipped = cases["GOV004"].find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith("due at stage production (gated at pilot)")
    # Every missing pilot item is named with its place: the people, the integration, the adoption plan.
    text = to_text([pilot])
    for named in (
        "✘ ADO002 (pilot)",
        "gaps in the adoption plan",
        "[docs/adoption_plan.md:",
        "✘ INT003 (pilot)",
        "[integration/systems.yaml:",
        "✘ OWN009 (pilot)",
        "✘ LOD002 (pilot)",
    ):
        assert named in text
    declared = audit(tmp_path / "declared", {**FILES, "pyproject.toml": PYPROJECT.replace('"poc"', '"pilot"')})
    # Declaring the pilot without the kill authority's decision record is one more error.
    assert sarif_levels([declared]) == sarif_levels([pilot]) | {"BUS004": "error"}


def test_a_waived_failure_is_a_suppressed_warning_and_a_skipped_case(tmp_path: Path) -> None:
    waiver = '\n[tool.prodready.waivers]\nGOV005 = {reason = "written in July", expires = "2026-07-01", approver = {role = "production_owner", name = "Amara Okafor"}}\n'
    waived = audit(tmp_path / "waived", {**FILES, "pyproject.toml": PYPROJECT + waiver}, require="pilot")
    assert next(f for f in waived.findings if f.id == "GOV005").status == "waived"
    result = next(r for r in json.loads(to_sarif([waived]))["runs"][0]["results"] if r["ruleId"] == "GOV005")
    assert result["level"] == "warning" and result["suppressions"][0]["kind"] == "external"
    assert sarif_levels([waived])["GOV003"] == "error"  # the other pilot failures still gate
    _, cases = junit_cases([waived])
    assert cases["GOV005"].find("skipped") is not None and cases["GOV005"].find("failure") is None
    assert github_levels([waived])["GOV005"] == "warning"


def test_text_markdown_and_json_show_the_same_severity(gated: Audit) -> None:
    text = to_text([gated])
    assert "  ✘ OWN002 (poc)" in text and "  ! GOV005 (pilot)" in text and "✘ GOV005" not in text
    markdown = to_markdown([gated])
    assert "| poc | failed |" in markdown and markdown.count("| warning |") == len(DUE_LATER)
    findings = {f["id"]: f for f in json.loads(to_json([gated]))["audits"][0]["findings"]}
    assert {check_id: f["severity"] for check_id, f in findings.items() if f["severity"]} == {
        "OWN002": "error"
    } | dict.fromkeys(DUE_LATER, "warning")
    assert findings["OWN001"]["severity"] is None and findings["OWN002"]["status"] == "failed"


def test_the_portfolio_page_marks_only_gating_failures(gated: Audit) -> None:
    html = to_html([gated])
    assert (
        '<span class="below" title="the e-mail of `production_owner` is empty (got &#x27;&#x27;)">OWN002</span>' in html
    )
    assert '<span title="still says TODO: TODO: intended use.">GOV005</span>' in html


def test_severity_is_the_one_decision_every_format_follows(fresh: Audit, gated: Audit) -> None:
    for current in (fresh, gated):
        expected = {f.id: severity(current, f) for f in current.findings if severity(current, f)}
        assert sarif_levels([current]) == expected == github_levels([current])
        _, cases = junit_cases([current])
        assert {i for i, case in cases.items() if case.find("failure") is not None} == {
            i for i, level in expected.items() if level == "error"
        }
    assert set(FORMATS) == {"text", "json", "markdown", "github", "junit", "sarif"}


def test_sarif_names_the_documentation_site(fresh: Audit) -> None:
    driver = json.loads(to_sarif([fresh]))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == documentation_url() == "https://prodready.readthedocs.io"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["GOV005"]["helpUri"] == "https://prodready.readthedocs.io/checks/#gov005"
