"""Audit reports: text, JSON, Markdown, GitHub annotations, JUnit XML and SARIF 2.1.0.

Names, messages and file names come from repositories other teams wrote: every human
format (text, Markdown, GitHub annotations, SARIF messages) passes them through
``printable`` (no terminal escape sequence, no control character, no unpaired
surrogate of a non-UTF-8 file name), Markdown escapes them with ``md`` (no raw HTML),
JUnit with ``xml_text``; JSON escapes them itself.

One severity model runs through every format: ``Audit.gates`` decides whether a failure
holds the repository below its required stage, and ``severity`` turns that into the
words each format has. A gating failure is an error (SARIF, GitHub) and a failed test
case (JUnit); a failure of a check first due at a later stage, or a waived one, is a
warning and a skipped test case. A fresh POC's pilot checks fail without failing its CI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import click

from .. import __version__
from ..core.escape import md
from ..core.project import documentation_url
from ..results import Severity, TestCase, printable
from ..results import to_junit as to_junit_xml
from .checks import CHECKS
from .engine import Audit, Finding

#: A place that can stand in a Markdown code span as it is.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/:@+-]*")
MARKS = {"passed": "✔", "failed": "✘", "warning": "!", "skipped": "–", "waived": "~"}
COLOURS = {"passed": "green", "failed": "red", "warning": "yellow", "skipped": "yellow", "waived": "cyan"}


def severity(audit: Audit, finding: Finding) -> Severity | None:
    """A finding's severity in every format: error when it gates, warning when failed or waived but not gating.

    None for a passed or skipped check. Only errors fail CI, so the formats agree with
    the exit status.
    """
    if finding.status not in ("failed", "waived"):
        return None
    return "error" if audit.gates(finding) else "warning"


def label(audit: Audit, finding: Finding) -> str:
    """The status people read (text, Markdown): ``warning`` for a failure that does not gate."""
    if finding.status == "failed" and severity(audit, finding) == "warning":
        return "warning"
    return finding.status


def _due(audit: Audit, finding: Finding) -> str:
    """Why a failure does not gate, for the formats that say it in words (JUnit)."""
    return f"due at stage {finding.stage} (gated at {audit.required})"


def _location(finding: Finding) -> str:
    if not finding.file:
        return ""
    return printable(f"{finding.file}:{finding.line}" if finding.line else finding.file)


def _where(finding: Finding) -> str:
    return f" [{_location(finding)}]" if finding.file else ""


def _verdict(audit: Audit) -> str:
    name = printable(audit.name)
    if audit.error is not None:
        return f"{name}: cannot be audited: {printable(audit.error)}"
    level = audit.level or "none"
    gate = "meets" if audit.passed else "is below"
    return f"{name}: level {level}; {gate} the required stage {audit.required}"


def to_text(audits: list[Audit], colour: bool = False) -> str:
    lines = []
    for audit in audits:
        lines.append(click.style(_verdict(audit), bold=True) if colour else _verdict(audit))
        for finding in audit.findings:
            status = label(audit, finding)
            head = f"  {MARKS[status]} {finding.id} ({finding.stage}) {finding.title}"
            if colour:
                head = click.style(head, fg=COLOURS[status])
            lines.append(head)
            if finding.status in ("failed", "waived", "skipped") and finding.message:
                lines.append(f"      {printable(finding.message)}{_where(finding)}")
    return "\n".join(lines) + "\n"


def as_dict(audit: Audit) -> dict[str, object]:
    """An audit for JSON: each finding with its ``severity`` (error: it gates; warning: it does not)."""
    findings = [{**f.as_dict(), "severity": severity(audit, f)} for f in audit.findings]
    return {
        "name": audit.name,
        "repository": str(audit.root),
        "declared_stage": audit.declared or None,  # None: the repository could not be audited
        "required_stage": audit.required or None,
        "level": audit.level,
        "passed": audit.passed,
        "facts": audit.facts,
        "findings": findings,
        "error": audit.error,
    }


def to_json(audits: list[Audit]) -> str:
    return json.dumps({"prodready": __version__, "audits": [as_dict(a) for a in audits]}, indent=2, default=str) + "\n"


def to_markdown(audits: list[Audit]) -> str:
    lines = []
    for audit in audits:
        icon = "✅" if audit.passed else "❌"
        lines += [f"## {icon} prodready audit: {md(printable(audit.name))}", ""]
        if audit.error is not None:
            lines += [f"Cannot be audited: {md(printable(audit.error))}", ""]
            continue
        lines += [f"Level reached: **{audit.level or 'none'}**; required stage: **{audit.required}**.", ""]
        problems = [f for f in audit.findings if f.status in ("failed", "waived")]
        if problems:
            lines += ["| check | stage | status | finding | where |", "|---|---|---|---|---|"]
            for f in problems:
                lines.append(
                    f"| [{f.id}]({f.url}) {md(f.title)} | {f.stage} | {label(audit, f)} | {md(printable(f.message))} "
                    f"| {_md_where(f)} |"
                )
        else:
            lines.append("Every check passed.")
        passed = sum(f.status == "passed" for f in audit.findings)
        lines += ["", f"{passed} of {len(audit.findings)} checks passed.", ""]
    return "\n".join(lines)


def _md_where(finding: Finding) -> str:
    """The place as a code span when it is a plain path, else as escaped Markdown text."""
    where = _location(finding)
    return f"`{where}`" if _PLAIN_PATH.fullmatch(where) else md(where)


def _escape_data(text: str) -> str:
    text = printable(text, lines=True)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _artifact(audit: Audit, file: str, many: bool) -> str:
    """Where a file is for a CI system: as the finding says, or under the repository's path as given.

    With several repositories the path as given is kept (relative to where the audit
    runs, the checkout in CI), so annotations and code scanning find the file.
    """
    return f"{audit.root.as_posix().rstrip('/')}/{file}" if many else file


def to_github(audits: list[Audit]) -> str:
    """GitHub Actions workflow commands: an annotation per failed or waived finding, at its severity."""
    lines = []
    for audit in audits:
        if audit.error is not None:
            lines.append(f"::error title=prodready audit::{_escape_data(_verdict(audit))}")
            continue
        for f in audit.findings:
            level = severity(audit, f)
            if level is None:
                continue
            props = []
            if f.file:
                props.append(f"file={_escape_property(_artifact(audit, f.file, len(audits) > 1))}")
                if f.line:
                    props.append(f"line={f.line}")
            props.append(f"title={_escape_property(f'{f.id} {f.title}')}")
            lines.append(f"::{level} {','.join(props)}::{_escape_data(f.message)}")
        lines.append(f"::notice title=prodready audit::{_escape_data(_verdict(audit))}")
    return "\n".join(lines) + "\n"


def _case(audit: Audit, f: Finding) -> TestCase:
    """A finding as a test case: a failure only when it gates; one due later is skipped, saying when."""
    status, message = f.status, f.message
    if severity(audit, f) == "warning" and f.status == "failed":
        status, message = "skipped", f"{_due(audit, f)}: {f.message}"
    detail = f"{f.file or ''}:{f.line or ''} {f.message}"
    return TestCase(f"{audit.name}.{f.family}", f"{f.id} {f.title}", status, message, detail, f.file, f.line)


def _cases(audit: Audit) -> list[TestCase]:
    if audit.error is not None:
        return [TestCase(f"{audit.name}.audit", "the repository can be audited", "failed", audit.error, audit.error)]
    return [_case(audit, f) for f in audit.findings]


def to_junit(audits: list[Audit]) -> str:
    return to_junit_xml("prodready audit", {audit.name: _cases(audit) for audit in audits})


def _sarif_result(f: Finding, level: Severity, rule_index: int, uri: str) -> dict[str, object]:
    """One failed or waived finding as a SARIF result (a waiver is a suppression)."""
    result: dict[str, object] = {
        "ruleId": f.id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": printable(f.message)},
    }
    if f.file:
        location: dict[str, object] = {"artifactLocation": {"uri": printable(uri)}}
        if f.line:
            location["region"] = {"startLine": f.line}
        result["locations"] = [{"physicalLocation": location}]
    if f.status == "waived":
        result["suppressions"] = [{"kind": "external", "justification": printable(f.message)}]
    return result


def to_sarif(audits: list[Audit]) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it (one run, rules from the catalogue)."""
    rules = [
        {
            "id": check_id,
            "shortDescription": {"text": check.title()},
            "fullDescription": {"text": check.explanation() or check.title()},
            "helpUri": check.url,
            "properties": {"family": check.family, "stage": check.stage},
        }
        for check_id, check in CHECKS.items()
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        _sarif_result(f, level, index[f.id], _artifact(audit, f.file or "", len(audits) > 1))
        for audit in audits
        for f in audit.findings
        if (level := severity(audit, f)) is not None
    ]
    broken = [
        {"level": "error", "message": {"text": printable(_verdict(audit))}}
        for audit in audits
        if audit.error is not None
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prodready",
                        "version": __version__,
                        "informationUri": documentation_url(),
                        "rules": rules,
                    }
                },
                "results": results,
                **(
                    {"invocations": [{"executionSuccessful": False, "toolExecutionNotifications": broken}]}
                    if broken
                    else {}
                ),
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"


FORMATS: dict[str, Callable[[list[Audit]], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "github": to_github,
    "junit": to_junit,
    "sarif": to_sarif,
}
