"""Reports of ``contracts check``: a table for people, JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..results import TestCase
from ..results import to_junit as junit_xml
from .compile import CheckResult


def to_table(results: list[CheckResult]) -> str:
    lines = []
    for result in results:
        where = f"{result.contract}:{result.line}" if result.line else result.contract
        subject = f"{result.object}.{result.property}" if result.property else result.object
        mark = {"passed": "ok  ", "failed": "FAIL", "skipped": "skip"}[result.status]
        detail = f"expected {result.expectation}, observed {result.observed}"
        lines.append(
            f"{mark} {subject}: {result.check}{_covers(result)} ({detail}) [{where}]"
            + (f" {result.message}" if result.message and result.passed is not True else "")
        )
        for sample in result.samples:
            lines.append(f"       sample: {sample}")
    failed = sum(r.passed is False for r in results)
    skipped = sum(r.passed is None for r in results)
    lines.append(f"{len(results)} checks: {len(results) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return "\n".join(lines) + "\n"


def _covers(result: CheckResult) -> str:
    """The other rules of the contract a check stands for (``run.merged``): one check, every rule still named."""
    return f" [also {', '.join(result.covers)}]" if result.covers else ""


def to_json(results: list[CheckResult]) -> str:
    """Every result with all its fields and its status, under ``results``."""
    return json.dumps({"results": [asdict(r) | {"status": r.status} for r in results]}, indent=2, default=str) + "\n"


def to_junit(results: list[CheckResult]) -> str:
    """JUnit XML: one test suite per contract, one test case per check."""
    by_contract: dict[str, list[TestCase]] = {}
    for r in results:
        check = r.check + _covers(r)
        name = f"{r.object}.{r.property}: {check}" if r.property else f"{r.object}: {check}"
        by_contract.setdefault(r.contract, []).append(
            TestCase(
                f"{r.contract}.{r.object}",
                name,
                r.status,
                f"expected {r.expectation}, observed {r.observed}" if r.passed is False else r.message,
                r.message if r.passed is False else "",
            )
        )
    return junit_xml("prodready contracts check", by_contract)


FORMATS = {"table": to_table, "json": to_json, "junit": to_junit}
