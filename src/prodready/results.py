r"""What every check reports, in one vocabulary, and the one JUnit XML writer.

The audit, contract checks and drift all end in outcomes of the same kinds: a
``Status`` per check (passed, failed, skipped, waived) and lint ``Finding``\ s with a
``Severity``. CI systems read them as JUnit XML, written here once for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

Severity = Literal["error", "warning"]
#: The outcome of one check. ``waived``: failed, but a waiver in force covers it.
Status = Literal["passed", "failed", "skipped", "waived"]


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line`` is 1-based, from the parser, or None."""

    rule: str
    message: str
    file: str
    line: int | None = None
    severity: Severity = "error"

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity} {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should see it: relative to ``root`` (or the cwd) when inside it."""
    base = (root or Path.cwd()).resolve()
    try:
        return str(path.resolve().relative_to(base))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class TestCase:
    """One JUnit test case: a check's outcome, with where and why."""

    classname: str
    name: str
    status: Status
    message: str = ""
    detail: str = ""
    file: str | None = None
    line: int | None = None


# XML 1.0 admits no C0 control character but tab, newline and carriage return; an
# unpaired surrogate (a file name that is not UTF-8) cannot even be encoded.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


#: What a terminal or a renderer must never receive from a file prodready read: C0 and C1
#: control characters (ESC starts a terminal escape sequence), DEL, the bidirectional
#: overrides and isolates that reorder what is shown ("Trojan Source"), the line and
#: paragraph separators, and unpaired surrogates (a file name that is not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_BREAKS = {"\t": " ", "\n": " ", "\r": " "}


def printable(text: object, *, lines: bool = False) -> str:
    """``text`` safe to print: control characters removed, unpaired surrogates as U+FFFD.

    Tabs and line breaks become spaces, so a value stays on the one line a report gives
    it; with ``lines=True`` line breaks (``\\n``) are kept.
    """

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if lines and char in "\n\r":
            return "\n" if char == "\n" else ""
        if "\ud800" <= char <= "\udfff":
            return "\ufffd"
        return _BREAKS.get(char, "")

    return _UNPRINTABLE.sub(replace, str(text))


def to_junit(title: str, suites: Mapping[str, Iterable[TestCase]]) -> str:
    """JUnit XML: a test suite per key of ``suites``; waived and skipped cases are skipped."""
    root = ElementTree.Element("testsuites", name=xml_text(title))
    for suite_name, cases in suites.items():
        items = list(cases)
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=xml_text(suite_name),
            tests=str(len(items)),
            failures=str(sum(c.status == "failed" for c in items)),
            skipped=str(sum(c.status in ("skipped", "waived") for c in items)),
        )
        for case in items:
            element = ElementTree.SubElement(
                suite, "testcase", classname=xml_text(case.classname), name=xml_text(case.name)
            )
            if case.file:
                element.set("file", xml_text(case.file))
            if case.line:
                element.set("line", str(case.line))
            if case.status == "failed":
                failure = ElementTree.SubElement(element, "failure", message=xml_text(case.message))
                failure.text = xml_text(case.detail) or None
            elif case.status in ("skipped", "waived"):
                ElementTree.SubElement(element, "skipped", message=xml_text(case.message))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
