"""Repositories, profiles, cost models and answers written by an attacker, through the real command line.

The platform team audits every POC repository of the company, written by other teams,
in CI. Every case here runs ``prodready`` in a subprocess (``tests/hostile.py``: memory
cap, timeout, a secret planted outside the repository) on a minimal POC written from
inline files (``tests/audit/poc.py``, never rendered) with one thing made hostile, and
asserts that nothing escapes: no traceback, no secret in any output or written file,
nothing written outside, the exit code the gate promises.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .audit.poc import FILES, files
from .hostile import SECRET, Case, run_case

#: The audit as CI runs it, on the repository in the sandbox (the working directory).
AUDIT = ["audit", ".", "--today", "2026-06-01", "--template-version", "0.1.0"]
#: Every report the audit writes, in the sandbox.
REPORTS = {
    "json": "report.json",
    "markdown": "report.md",
    "sarif": "report.sarif",
    "junit": "report.xml",
    "github": "report.github",
}
EVERY_FORMAT = [
    *AUDIT,
    *(part for fmt, name in REPORTS.items() for part in ("--output", f"{fmt}={name}")),
    "--html",
    "portfolio.html",
    "--facts",
    "facts",
]


def without(*names: str, **replaced: str | bytes) -> dict[str, str | bytes]:
    """The POC's files, some left out (to be links), some replaced."""
    return {name: content for name, content in files(**replaced).items() if name not in names}


def written(sandbox: Path) -> str:
    """Every report the audit wrote, as one text."""
    paths = [sandbox / name for name in REPORTS.values()] + [sandbox / "portfolio.html"]
    paths += sorted((sandbox / "facts").glob("*.json"))
    missing = [str(path) for path in paths if not path.is_file()]
    assert not missing, f"reports not written: {missing}"
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def no_raw_html(markdown: str) -> None:
    """No tag a Markdown renderer would pass through: every ``<`` but ``md``'s own ``<br>`` is escaped."""
    tags = re.findall(r"(?<!\\)<(?!br>)[A-Za-z/!?]", markdown)
    assert not tags, f"raw HTML in Markdown: {tags}"


def no_control_characters(text: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F})
    assert not bad, f"control characters reached the output: {bad}"


# -- paths that leave the repository ---------------------------------------------------------------

OUTSIDE_CHECKLIST = f"""
risk_tier: minimal
items:
  - id: GOV-001
    title: Accountable roles are named {SECRET}
    required_stage: poc
    status: "{SECRET}"
"""


def test_a_governance_directory_linked_outside_is_never_read(tmp_path):
    planted = {
        "../outside/checklist.yaml": OUTSIDE_CHECKLIST,
        "../outside/model_card.md": f"TODO {SECRET}\n",
        "../outside/decommission_plan.md": f"TODO {SECRET}\n",
    }
    governance = [name for name in FILES if name.startswith("governance/")]
    case = Case(
        "governance-linked-outside",
        {**without(*governance), **planted},
        EVERY_FORMAT,
        exits=(1,),
        says="symbolic link leaving the repository",
        links={"governance": "../outside"},
    )
    outcome = run_case(tmp_path, case)
    reports = written(tmp_path / "sandbox")
    assert SECRET not in reports and "governance/checklist.yaml" in reports
    assert "GOV001" in outcome.stdout


@pytest.mark.parametrize(
    ("evidence", "says"),
    [
        ("../outside/secret.txt", "climbs out of the repository with `..`"),
        ("{outside}/secret.txt", "is an absolute path, not a file of the repository"),
        ("governance/../../outside/secret.txt", "climbs out of the repository with `..`"),
        ("evidence/secret.txt", "symbolic link leaving the repository"),
    ],
    ids=["dot-dot", "absolute", "dot-dot-inside", "through-a-link"],
)
def test_evidence_outside_the_repository_is_a_finding(tmp_path, evidence, says):
    evidence = evidence.format(outside=tmp_path / "outside")
    checklist = FILES["governance/checklist.yaml"].replace("evidence: ownership.yaml", f"evidence: {evidence}")
    case = Case(
        f"evidence-{evidence}",
        files(**{"governance/checklist.yaml": checklist}),
        [*AUDIT, "--format", "json"],
        exits=(1,),
        says=says,
        links={"evidence": "../outside"},
    )
    report = json.loads(run_case(tmp_path, case).stdout)
    gov002 = next(f for f in report["audits"][0]["findings"] if f["id"] == "GOV002")
    assert gov002["status"] == "failed" and gov002["file"] == "governance/checklist.yaml" and gov002["line"]


@pytest.mark.parametrize(
    ("profile", "links"),
    [
        ("../outside/secret.txt", {}),
        ("monitoring/reference_profile.json", {"monitoring/reference_profile.json": "../../outside/secret.txt"}),
    ],
    ids=["dot-dot", "linked"],
)
def test_a_reference_profile_outside_the_repository_is_a_finding(tmp_path, profile, links):
    monitoring = FILES["monitoring/monitoring.yaml"].replace("monitoring/reference_profile.json", profile)
    case = Case(
        f"reference-profile-{profile}",
        files(**{"monitoring/monitoring.yaml": monitoring}),
        [*AUDIT, "--require", "pilot"],
        exits=(1,),
        says="MON003",
        links=links,
    )
    outcome = run_case(tmp_path, case)
    line = next(line for line in outcome.stdout.splitlines() if "the reference profile" in line)
    assert "leaving the repository" in line or "climbs out" in line


@pytest.mark.parametrize(
    ("removed", "links", "check"),
    [
        (["ownership.yaml"], {"ownership.yaml": "ownership.yaml"}, "OWN001"),
        (
            ["cost/cost_model.yaml"],
            {"cost/cost_model.yaml": "loop.yaml", "cost/loop.yaml": "cost_model.yaml"},
            "COS001",
        ),
        ([n for n in FILES if n.startswith("contracts/")], {"contracts": "contracts"}, "CON001"),
        (["pyproject.toml"], {"pyproject.toml": "pyproject.toml"}, None),
        (["ownership.yaml"], {"ownership.yaml": "../outside/secret.txt"}, "OWN001"),
        ([".github/CODEOWNERS"], {".github/CODEOWNERS": "../../outside/secret.txt"}, "OWN004"),
        ([".github/workflows/ci.yml"], {".github/workflows": "../../outside"}, "CI001"),
        ([".pre-commit-config.yaml"], {".pre-commit-config.yaml": "/dev/zero"}, "CI002"),
    ],
    ids=[
        "file-loop",
        "two-file-loop",
        "directory-loop",
        "pyproject-loop",
        "file-out",
        "codeowners-out",
        "ci-out",
        "dev-zero",
    ],
)
def test_links_out_and_loops_are_findings_not_tracebacks(tmp_path, removed, links, check):
    case = Case(
        f"links-{check}",
        without(*removed),
        AUDIT,
        exits=(1,) if check else (2,),
        says=check or "pyproject.toml",
        links=links,
    )
    outcome = run_case(tmp_path, case)
    if check is not None:
        finding = outcome.stdout[outcome.stdout.index(check) :].splitlines()[1]
        assert "symbolic link" in finding or "not a regular file" in finding, finding


# -- the gate: a declared stage that cannot be known is never a pass ----------------------------------


@pytest.mark.parametrize(
    ("pyproject", "says"),
    [
        ('[tool.prodready]\nstage = "Production"\n', "stage is 'Production', not a readiness stage"),
        ("[tool.prodready]\nstage = 3\n", "set stage to one of poc, pilot, production"),
        ('[tool.prodready\nstage = "production"\n', "pyproject.toml:1: is not valid TOML"),
        (b'[tool.prodready]\nstage = "pr\xffoduction"\n', "not valid UTF-8"),
        ('[tool]\nprodready = "production"\n', "[tool.prodready] is not a table"),
        ("[tool.prodready]\nstage = [" * 1 + "[" * 5000 + "]" * 5001 + "\n", "pyproject.toml"),
    ],
    ids=["unknown-stage", "stage-not-text", "broken-toml", "not-utf8", "not-a-table", "deeply-nested"],
)
def test_a_stage_that_cannot_be_known_is_an_input_error(tmp_path, pyproject, says):
    case = Case(f"stage-{says}", files(**{"pyproject.toml": pyproject}), AUDIT, exits=(2,), says=says)
    outcome = run_case(tmp_path, case)
    assert outcome.stdout == "" and len(outcome.stderr.strip().splitlines()) == 1


def test_one_broken_repository_does_not_hide_the_others(tmp_path):
    broken = files("broken/", **{"pyproject.toml": '[tool.prodready]\nstage = "Production"\n'})
    case = Case(
        "portfolio-broken",
        {**files("good/"), **broken},
        [*AUDIT, "--format", "json", "--html", "portfolio.html"],
        exits=(2,),
        says="1 of 2 repositories could not be audited",
    )
    outcome = run_case(tmp_path, case)
    audits = {Path(a["repository"]).name: a for a in json.loads(outcome.stdout)["audits"]}
    assert audits["good"]["passed"] is True and audits["good"]["level"] == "poc"
    assert audits["broken"]["passed"] is False and "not a readiness stage" in audits["broken"]["error"]
    assert "cannot be audited" in (tmp_path / "sandbox" / "portfolio.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "expires",
    ["2026-07-01T10:00:00", "2026-07-01T10:00:00Z", "10:00:00", "2026-07-01", '"not a date"', "[2026]"],
)
def test_waiver_dates_of_any_toml_type(tmp_path, expires):
    approver = '{role = "production_owner", name = "Amara Okafor"}'
    waiver = f'GOV005 = {{reason = "later", expires = {expires}, approver = {approver}}}'
    pyproject = FILES["pyproject.toml"] + f"\n[tool.prodready.waivers]\n{waiver}\n"
    case = Case(f"waiver-{expires}", files(**{"pyproject.toml": pyproject}), [*AUDIT, "--require", "pilot"], exits=(1,))
    outcome = run_case(tmp_path, case)
    gov005 = outcome.stdout[outcome.stdout.index("GOV005") :].splitlines()[1]
    assert ("waived until 2026-07-01" in gov005) if expires.startswith("2026") else ("is not a date" in gov005)


# -- report files --------------------------------------------------------------------------------


def test_a_report_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"report-\xff\xfe.json")

    def after() -> None:
        report = tmp_path / "sandbox" / name
        assert json.loads(report.read_text(encoding="utf-8"))["audits"][0]["level"] == "poc"

    run_case(tmp_path, Case("non-utf8-name", files(), [*AUDIT, "--output", f"json={name}"], exits=(0,), after=after))


def test_a_repository_name_that_is_not_utf8_is_shown_safely(tmp_path):
    name = os.fsdecode(b"poc-\xff")
    outcome = run_case(
        tmp_path,
        Case(
            "non-utf8-repository",
            files(f"{name}/"),
            [*AUDIT[:1], name, *AUDIT[2:], "--output", "markdown=report.md", "--output", "junit=report.xml"],
            exits=(0,),
        ),
    )
    assert "poc-\ufffd: level poc" in outcome.stdout


@pytest.mark.parametrize("target", ["link", "fifo"])
def test_a_report_is_never_written_through_a_link_or_into_a_fifo(tmp_path, target):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    output = "report.json" if target == "link" else str(fifo)
    case = Case(
        f"output-{target}",
        files(),
        [*AUDIT, "--output", f"json={output}"],
        exits=(2,),
        says="symbolic link" if target == "link" else "FIFO",
        links={"report.json": "SENTINEL"},
    )
    run_case(tmp_path, case)
    assert (tmp_path / "sandbox" / "report.json").is_symlink()


# -- text from the repository: terminal escapes and markup --------------------------------------

HOSTILE_ROLE = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m<script>alert(1)</script>\u202e"


def test_escape_sequences_and_markup_in_ownership_are_stripped_and_escaped(tmp_path):
    role = json.dumps(HOSTILE_ROLE)  # a YAML double-quoted key: \u001b, \u0007, ...
    ownership = FILES["ownership.yaml"].replace(
        "\noncall:", f"\n  {role}: {{name: Eve, email: eve@example.com}}\noncall:"
    )
    pyproject = FILES["pyproject.toml"].replace("Ticket triage", "<script>alert(2)</script>\\u001b[2J")
    case = Case(
        "escape-sequences",
        files(**{"ownership.yaml": ownership, "pyproject.toml": pyproject}),
        [*EVERY_FORMAT, "--require", "pilot"],
        exits=(1,),
        says="OWN007",
    )
    outcome = run_case(tmp_path, case)
    sandbox = tmp_path / "sandbox"
    line = next(line for line in outcome.stdout.splitlines() if "` uses a reserved example domain" in line)
    assert "<script>alert(1)</script>" in line  # text output is not markup: shown, but inert
    no_control_characters(outcome.output)
    markdown = (sandbox / "report.md").read_text(encoding="utf-8")
    assert "\\<script" in markdown
    no_raw_html(markdown)
    no_control_characters(markdown + (sandbox / "report.github").read_text(encoding="utf-8"))
    html = (sandbox / "portfolio.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(2)" in html
    no_control_characters(html)
    assert (
        "\x1b"
        not in json.loads((sandbox / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"][0]["message"][
            "text"
        ]
    )


# -- the template source: git, but never a remote helper ------------------------------------------


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("ext::sh -c touch% ../outside/pwned", "remote helper 'ext'"),
        ("git://127.0.0.1:9/template", "uses git://"),
        ("http://127.0.0.1:9/template", "uses http://"),
        ("ssh://-oProxyCommand=touch% pwned/x", "is not a git URL or path"),
        ("-uhelp", "is not a git URL or path"),
    ],
)
def test_template_sources_git_must_not_run(tmp_path, source, says):
    answers = json.dumps({"_src_path": source, "_commit": "v0.1.0"})
    case = Case(
        f"template-source-{source}",
        files(**{".copier-answers.yml": answers}),
        [*AUDIT[:4], "--require", "pilot"],
        exits=(1,),
        says=says,
    )
    run_case(tmp_path, case)
    assert not (tmp_path / "outside" / "pwned").exists() and not (tmp_path / "sandbox" / "pwned").exists()


# -- drift: profiles and thresholds ---------------------------------------------------------------

DATA = "channel,amount\nweb,1.5\nemail,2.5\nweb,3.5\n"
PROFILE = {
    "version": 2,
    "columns": {
        "channel": {
            "kind": "categorical",
            "categories": ["web", "email"],
            "shares": [0.6, 0.4, 0.0],
            "null_rate": 0.0,
            "tail": [],
        },
        "amount": {"kind": "numeric", "edges": [2.0, 3.0], "shares": [0.3, 0.3, 0.4], "null_rate": 0.0},
    },
}


def _profile(**column: object) -> str:
    data = json.loads(json.dumps(PROFILE))
    data["columns"]["amount"].update(column)
    return json.dumps(data)


GARBAGE_PROFILES = {
    "not-an-object": ("[1, 2]", "not a JSON object"),
    "no-columns": ('{"version": 2}', "no columns"),
    "version-old": ('{"version": 1, "columns": {}}', "the profile is version 1, written by an older prodready"),
    "version-text": ('{"version": "2; DROP", "columns": {}}', "the profile's version is '2; DROP', not 2"),
    "kind-missing": ('{"version": 2, "columns": {"a": {"shares": []}}}', 'columns."a".kind is missing'),
    "unknown-kind": (_profile(kind="text"), "kind is 'text'"),
    "edges-text": (_profile(edges="1,2"), 'amount".edges is not a list'),
    "edges-nan": (_profile(edges=[float("nan"), 3.0]), "edges[0] is nan, not a finite number"),
    "edges-sql": (_profile(edges=["1); DROP TABLE t; --", 3.0]), "not a number"),
    "shares-infinite": (_profile(shares=[0.3, float("inf"), 0.4]), "shares[1]"),
    "shares-short": (_profile(shares=[1.0]), "it needs one per bucket, 3"),
    "null-rate-text": (_profile(null_rate="none"), "null_rate is 'none'"),
    "huge-integer": ('{"version": 2, "columns": {"a": {"null_rate": ' + "9" * 5000 + "}}}", "not a profile"),
    "deeply-nested": ("[" * 100_000 + "]" * 100_000, "p.json"),
    "categories-not-text": (
        json.dumps(
            {
                "version": 2,
                "columns": {
                    "c": {"kind": "categorical", "categories": [1], "shares": [1, 0], "null_rate": 0, "tail": []}
                },
            }
        ),
        "categories is not a list",
    ),
    "unreadable-column": ('{"version": 2, "columns": {"\\u001b[2J": 5}}', 'columns."\\u001b[2J" is int'),
}


@pytest.mark.parametrize("garbage", GARBAGE_PROFILES)
def test_a_garbage_profile_is_a_one_line_input_error(tmp_path, garbage):
    profile, says = GARBAGE_PROFILES[garbage]
    case = Case(
        f"profile-{garbage}",
        {"data.csv": DATA, "p.json": profile},
        ["drift", "check", "data.csv", "--profile", "p.json"],
        exits=(2,),
        says=says,
    )
    outcome = run_case(tmp_path, case)
    assert len(outcome.output.strip().splitlines()) == 1 and "Fix:" in outcome.output
    no_control_characters(outcome.output)


GARBAGE_THRESHOLDS = {
    "text": ("psi_alert: abc", "drift.psi_alert is 'abc' (str), not a number"),
    "list": ("psi_alert: [0.25]", "drift.psi_alert is [0.25] (list), not a number"),
    "nan": ("psi_alert: .nan", "drift.psi_alert is nan, not a finite number"),
    "infinite": ("psi_warn: .inf", "drift.psi_warn is inf, not a finite number"),
    "negative": ("psi_warn: -1", "it must be greater than 0"),
    "above-one": ("js_distance_alert: 2", "it must be at most 1"),
    "huge": ("psi_alert: " + "9" * 400, "drift.psi_alert is too large a number"),
    "boolean": ("psi_alert: true", "not a number"),
    "columns-list": ("columns: [a, b]", "drift.columns is list"),
    "column-text": ("columns: {amount: high}", "drift.columns.amount is str"),
    "column-ignore": ("columns: {amount: {ignore: maybe}}", "drift.columns.amount.ignore is 'maybe'"),
    "column-unknown": ("columns: {amount: {psi: 1}}", "drift.columns.amount.psi is not a threshold"),
}


@pytest.mark.parametrize("garbage", GARBAGE_THRESHOLDS)
def test_garbage_thresholds_are_a_one_line_input_error(tmp_path, garbage):
    line, says = GARBAGE_THRESHOLDS[garbage]
    monitoring = f"schema_version: 1\ndrift:\n  psi_warn: 0.1\n  {line}\n"
    case = Case(
        f"thresholds-{garbage}",
        {"data.csv": DATA, "p.json": json.dumps(PROFILE), "m.yaml": monitoring},
        ["drift", "check", "data.csv", "--profile", "p.json", "--monitoring", "m.yaml"],
        exits=(2,),
        says=says,
    )
    outcome = run_case(tmp_path, case)
    assert "m.yaml:4:" in outcome.output or "m.yaml:3:" in outcome.output, outcome.output


def test_a_drift_report_strips_escape_sequences_and_escapes_markup(tmp_path):
    name = "chan\x1b[2Jnel<script>x</script>"
    data = f'"{name}",amount\nweb,1.5\n'
    profile = json.loads(json.dumps(PROFILE))
    profile["columns"] = {name: PROFILE["columns"]["channel"]}
    case = Case(
        "drift-escapes",
        {"data.csv": data, "p.json": json.dumps(profile)},
        ["drift", "check", "data.csv", "--profile", "p.json", "--output", "html=d.html", "--output", "markdown=d.md"],
        exits=(0, 1),
    )
    outcome = run_case(tmp_path, case)
    no_control_characters(outcome.output)
    assert "<script>x</script>" in outcome.stdout
    sandbox = tmp_path / "sandbox"
    html, markdown = ((sandbox / name).read_text(encoding="utf-8") for name in ("d.html", "d.md"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    no_raw_html(markdown)
    no_control_characters(html + markdown)


# -- cost figures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "says"),
    [
        ("1.0e+26", "input_price_per_million is 1e+26, above 1,000,000,000,000"),
        ("1" + "0" * 26, "above 1,000,000,000,000"),
        ("9" * 4000, "a number of 4000 digits"),
        ("1.0e-300", "too small to be a figure"),
    ],
    ids=["float", "integer", "4000-digits", "tiny"],
)
@pytest.mark.parametrize("command", ["cost", "audit"])
def test_absurd_cost_figures_are_refused(tmp_path, figure, says, command):
    model = FILES["cost/cost_model.yaml"].replace("input_price_per_million: 2.50", f"input_price_per_million: {figure}")
    args = ["cost", "cost/cost_model.yaml"] if command == "cost" else AUDIT
    case = Case(
        f"cost-{figure[:10]}-{command}",
        files(**{"cost/cost_model.yaml": model}),
        args,
        exits=(2,) if command == "cost" else (1,),
        says=says,
    )
    outcome = run_case(tmp_path, case)
    if command == "audit":
        assert "✘ COS001" in outcome.stdout


# -- prodready new --------------------------------------------------------------------------------


def _answers(**changes: str) -> str:
    from .helpers import example

    return json.dumps({**example("docs-assistant"), **changes})


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"production_budget_year1": "1e30"}, "production_budget_year1: got '1e30'; is out of range"),
        ({"poc_budget": "1e-999999"}, "poc_budget: got '1e-999999'"),
        ({"project_slug": "a\x00b"}, "project_slug: got 'a\\x00b'"),
    ],
    ids=["budget-1e30", "budget-tiny", "nul-in-slug"],
)
def test_new_refuses_absurd_answers_and_writes_nothing(tmp_path, changes, says):
    def after() -> None:
        out = tmp_path / "sandbox" / "out"
        assert not out.exists() or not any(out.iterdir()), list(out.iterdir())

    case = Case(
        f"new-{says[:20]}",
        {"answers.yaml": _answers(**changes)},
        ["new", "--answers", "answers.yaml", "-o", "out"],
        exits=(1, 2),
        says=says,
        after=after,
    )
    outcome = run_case(tmp_path, case)
    assert SECRET not in outcome.output
