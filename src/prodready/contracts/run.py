"""``prodready contracts check``: lint, connect, check each object, report.

A contract that does not lint is not checked (its rules could mean anything); a
server that cannot be reached or data that cannot be read is an input error, never
a partial result presented as a pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..data.engines import engine_for
from ..errors import InputError
from ..results import TestCase, display_path
from ..results import to_junit as to_junit_xml
from .compile import CheckResult, check_object
from .lint import lint_document, load_contract
from .model import SAMPLE_ENVIRONMENTS, parse_contract


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
    static = str(server.get("environment", "")).lower() in SAMPLE_ENVIRONMENTS
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
    by_contract: dict[str, list[TestCase]] = {}
    for r in results:
        name = f"{r.object}.{r.property}: {r.check}" if r.property else f"{r.object}: {r.check}"
        by_contract.setdefault(r.contract, []).append(
            TestCase(
                f"{r.contract}.{r.object}",
                name,
                r.status,  # type: ignore[arg-type]
                f"expected {r.expectation}, observed {r.observed}" if r.passed is False else r.message,
                r.message if r.passed is False else "",
            )
        )
    return to_junit_xml("prodready contracts check", by_contract)


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
