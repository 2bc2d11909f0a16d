"""``prodready contracts check``: lint, connect, check each object, report.

A contract that does not lint is not checked (its rules could mean anything); a
server that cannot be reached or data that cannot be read is an input error, never
a partial result presented as a pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from ..data.engines import engine_for
from ..errors import InputError
from ..results import display_path
from .compile import CheckResult, check_object
from .lint import lint_document, load_contract
from .model import parse_contract

#: Sample servers hold a committed extract: its age says nothing about the pipeline.
STATIC_ENVIRONMENTS = frozenset({"ci", "test", "sample", "fixture"})


def check_contract(
    path: Path,
    server_name: str | None = None,
    *,
    sample_size: int = 5,
    progress: Callable[[str], None] | None = None,
    engine_name: str = "auto",
) -> list[CheckResult]:
    """Check one contract against one of its servers."""
    document = load_contract(path)  # read once: linted, then checked
    errors = [f for f in lint_document(document, display_path(path)) if f.severity == "error"]
    if errors:
        raise InputError(
            path,
            f"the contract does not lint ({errors[0].location()}: {errors[0].message})",
            "run `prodready contracts lint` and fix the contract first",
        )
    contract = parse_contract(document)
    server = contract.server(server_name)
    if server is None:
        names = ", ".join(str(s.get("server")) for s in contract.servers) or "none"
        raise InputError(
            path,
            f"no server {server_name!r} (servers: {names})" if server_name else "the contract declares no server",
            "name one of the contract's servers with --server, or add a server",
        )
    static = str(server.get("environment", "")).lower() in STATIC_ENVIRONMENTS
    engine = engine_for(server, path, progress=progress is not None and sys.stderr.isatty(), engine=engine_name)
    results = []
    try:
        for index, obj in enumerate(contract.objects, start=1):
            if progress:
                where = f"server {server.get('server')} ({index}/{len(contract.objects)})"
                progress(f"{display_path(path)}: checking {obj.name} on {where}")
            results += check_object(contract, obj, engine, sample_size=sample_size, skip_freshness=static)
    finally:
        engine.close()
    file = display_path(path)
    for result in results:
        result.contract = file
    return results


def to_junit(results: list[CheckResult]) -> str:
    """JUnit XML: one test suite per contract, one test case per check."""
    suites = ElementTree.Element("testsuites", name="prodready contracts check")
    by_contract: dict[str, list[CheckResult]] = {}
    for result in results:
        by_contract.setdefault(result.contract, []).append(result)
    for contract, items in by_contract.items():
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=contract,
            tests=str(len(items)),
            failures=str(sum(r.passed is False for r in items)),
            skipped=str(sum(r.passed is None for r in items)),
        )
        for result in items:
            name = (
                f"{result.object}.{result.property}: {result.check}"
                if result.property
                else f"{result.object}: {result.check}"
            )
            case = ElementTree.SubElement(suite, "testcase", classname=f"{contract}.{result.object}", name=name)
            if result.passed is False:
                failure = ElementTree.SubElement(
                    case, "failure", message=f"expected {result.expectation}, observed {result.observed}"
                )
                failure.text = result.message or None
            elif result.passed is None:
                ElementTree.SubElement(case, "skipped", message=result.message)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def to_table(results: list[CheckResult]) -> str:
    lines = []
    for result in results:
        where = f"{result.contract}:{result.line}" if result.line else result.contract
        subject = f"{result.object}.{result.property}" if result.property else result.object
        mark = {"passed": "ok  ", "failed": "FAIL", "skipped": "skip"}[result.status]
        detail = f"expected {result.expectation}, observed {result.observed}"
        lines.append(
            f"{mark} {subject}: {result.check} ({detail}) [{where}]"
            + (f" {result.message}" if result.message and result.passed is not True else "")
        )
        for sample in result.samples:
            lines.append(f"       sample: {sample}")
    failed = sum(r.passed is False for r in results)
    skipped = sum(r.passed is None for r in results)
    lines.append(f"{len(results)} checks: {len(results) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return "\n".join(lines) + "\n"
