"""``nox -s integration``: every system of integration/systems.yaml tested against its contract.

Integration is where POCs stall, so each system the POC reads from or writes to is
tested from the start, on loopback, against the contract in this repository:

* a system the POC reads (``in``): its contract is checked against the stand-in the
  POC consumes (the contract's ``ci`` server) by ``prodready contracts check``;
* a system the POC writes (``out``): the POC scores the input sample and writes its
  records where the contract's ``integration`` server says, and those records are
  checked against the contract: what the POC really writes, not a hand-made sample;
* an API (an OpenAPI document): the document is one, with at least one operation;
* provider verification, where the provider can be reached: a system in a ``sandbox``
  or ``live`` environment is checked on its contract's ``sandbox`` or ``production``
  server (an API with schemathesis, at the system's ``base_url``), with the
  credentials CI holds. A ``mocked`` system is not reachable, and the results say so.

    python -m {{ cookiecutter.package_name }}.integration

Writes integration/results.json (per system: the checks run, passed or why not, the
date and the commit), which `prodready audit` reads from the pilot stage, and exits
non-zero naming each system that failed.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .runtime import WRITE_BACK, git_commit, write_whole

SYSTEMS = "integration/systems.yaml"
RESULTS = "integration/results.json"
MODEL_CONFIG = "config/model.yaml"
DIRECTIONS = ("in", "out", "both")
ENVIRONMENTS = ("mocked", "sandbox", "live")
#: The contract server provider verification uses, by environment.
PROVIDER_SERVER = {"sandbox": "sandbox", "live": "production"}
#: At most this many input records are scored for an outbound system's test.
MAX_RECORDS = 200
#: How long one contract check may take.
TIMEOUT_SECONDS = 600


def load_systems(root: Path) -> list[dict[str, Any]]:
    """The systems of the map, or a ValueError naming the file, the system and the fix."""
    data = yaml.safe_load((root / SYSTEMS).read_text(encoding="utf-8")) or {}
    systems = data.get("systems") if isinstance(data, dict) else None
    if not isinstance(systems, list) or not systems:
        raise ValueError(f"{SYSTEMS}: no `systems` list; list every system the POC touches")
    for index, system in enumerate(systems):
        where = f"{SYSTEMS}: systems[{index}]"
        if not isinstance(system, dict) or not system.get("name"):
            raise ValueError(f"{where} has no name")
        if system.get("direction") not in DIRECTIONS:
            raise ValueError(f"{where} ({system['name']}): direction must be in, out or both")
        if system.get("environment") not in ENVIRONMENTS:
            raise ValueError(
                f"{where} ({system['name']}): environment must be mocked, sandbox or live"
            )
        contract = system.get("contract")
        if contract is not None and not _inside(root, str(contract)):
            raise ValueError(
                f"{where} ({system['name']}): contract {contract!r} is not a file here"
            )
    return systems


def _inside(root: Path, relative: str) -> bool:
    path = (root / relative).resolve()
    return path.is_relative_to(root.resolve()) and path.is_file()


def _document(root: Path, relative: str) -> dict[str, Any]:
    text = (root / relative).read_text(encoding="utf-8")
    data = json.loads(text) if relative.endswith(".json") else yaml.safe_load(text)
    return data if isinstance(data, dict) else {}


def _server(contract: dict[str, Any], name: str) -> dict[str, Any] | None:
    servers = contract.get("servers") or []
    return next((s for s in servers if isinstance(s, dict) and s.get("server") == name), None)


def contracts_check(root: Path, contract: str, server: str) -> str | None:
    """``prodready contracts check`` on one server: None when it passes, else its last lines."""
    prodready = shutil.which("prodready")
    if prodready is None:
        return "prodready is not installed (nox -s integration installs it)"
    done = subprocess.run(
        [prodready, "contracts", "check", contract, "--server", server, "--samples", "0"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode == 0:
        return None
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return " | ".join(lines[-3:]) or f"exit {done.returncode}"


def input_rows(root: Path, systems: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Records of the first inbound system's stand-in (its contract's ci server), label removed."""
    for system in systems:
        contract = system.get("contract")
        if system["direction"] in ("in", "both") and contract and contract.endswith(".yaml"):
            server = _server(_document(root, contract), "ci") or {}
            path = server.get("path")
            if server.get("format") == "csv" and path and _inside(root, str(path)):
                with (root / str(path)).open(newline="", encoding="utf-8") as handle:
                    rows = list(itertools.islice(csv.DictReader(handle), MAX_RECORDS))
                label = (
                    yaml.safe_load((root / MODEL_CONFIG).read_text(encoding="utf-8")) or {}
                ).get("label")
                return [{k: v for k, v in row.items() if k != label} for row in rows]
    raise ValueError(f"{SYSTEMS}: no inbound system whose contract has a csv `ci` server to score")


def write_decisions(root: Path, rows: list[dict[str, str]], target: Path) -> int:
    """Score ``rows`` through the runtime wrapper and write the records as the POC writes them back."""
    from . import app as wiring

    scratch = root / "var" / "integration"
    scratch.mkdir(parents=True, exist_ok=True)
    guarded = wiring.guarded(root, scratch / "audit.jsonl")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WRITE_BACK)
    try:
        for row in rows:
            writer.writerow(guarded.decide(row).write_back())
    finally:
        guarded.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_whole(target, out.getvalue())
    return len(rows)


def openapi_problem(document: dict[str, Any]) -> str | None:
    """Why a document is not an OpenAPI 3 description with at least one operation (None if it is)."""
    if not str(document.get("openapi", "")).startswith("3."):
        return "not an OpenAPI 3 document (no `openapi: 3.x`)"
    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        return "describes no operation (`paths` is empty)"
    return None


def verify_api(root: Path, system: dict[str, Any]) -> str | None:
    """Provider verification of an API: schemathesis against the system's base_url."""
    url = system.get("base_url")
    if not url:
        return "set base_url in integration/systems.yaml to verify the provider"
    schemathesis = shutil.which("schemathesis") or shutil.which("st")
    if schemathesis is None:
        return "schemathesis is not installed (nox -s integration installs it for APIs)"
    done = subprocess.run(
        [schemathesis, "run", str(system["contract"]), "--url", str(url), "--max-examples", "10"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return None if done.returncode == 0 else f"schemathesis exit {done.returncode}"


def verify_system(root: Path, system: dict[str, Any], rows: list[dict[str, str]]) -> dict[str, Any]:
    """The checks of one system, each passed (None) or failed (why)."""
    contract, environment = system.get("contract"), system["environment"]
    result: dict[str, Any] = {
        "name": system["name"],
        "direction": system["direction"],
        "environment": environment,
        "contract": contract,
        "checks": {},
    }
    checks: dict[str, str | None] = result["checks"]
    if not contract:
        result["passed"] = None
        result["note"] = "no contract yet: declare one (audit asks from the pilot)"
        return result
    document = _document(root, str(contract))
    if "openapi" in document:
        checks["consumer"] = openapi_problem(document)
        if environment != "mocked":
            checks["provider"] = verify_api(root, system)
    else:
        if system["direction"] in ("in", "both"):
            checks["consumer"] = contracts_check(root, str(contract), "ci")
        if system["direction"] in ("out", "both"):
            server = _server(document, "integration")
            if server is None or not server.get("path"):
                checks["producer"] = (
                    "the contract has no `integration` server (type local, format csv, "
                    f"path var/integration/{system['name']}.csv) for the POC to write to"
                )
            else:
                write_decisions(root, rows, root / str(server["path"]))
                checks["producer"] = contracts_check(root, str(contract), "integration")
        if environment != "mocked":
            checks["provider"] = contracts_check(root, str(contract), PROVIDER_SERVER[environment])
    if environment == "mocked":
        result["note"] = "provider not verified: the system is mocked"
    result["passed"] = all(problem is None for problem in checks.values())
    return result


def run(root: Path) -> dict[str, Any]:
    systems = load_systems(root)
    needs_rows = any(s["direction"] in ("out", "both") and s.get("contract") for s in systems)
    rows = input_rows(root, systems) if needs_rows else []
    results = [verify_system(root, system, rows) for system in systems]
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "commit": git_commit(root),
        "systems": results,
        "passed": all(r["passed"] is not False for r in results),
    }


def needs_api_tools(root: Path) -> bool:
    """Whether an API system will be verified against its provider (schemathesis needed)."""
    return any(
        s.get("environment") != "mocked"
        and s.get("contract")
        and "openapi" in _document(root, str(s["contract"]))
        for s in load_systems(root)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--needs-api-tools",
        action="store_true",
        help="Print yes when an API provider will be verified (the session then installs schemathesis).",
    )
    args = parser.parse_args(argv)
    root = Path(os.environ.get("POC_ROOT", ".")).resolve()
    try:
        if args.needs_api_tools:
            print("yes" if needs_api_tools(root) else "no")
            return 0
        report = run(root)
    except (OSError, ValueError, KeyError, yaml.YAMLError, json.JSONDecodeError) as error:
        print(f"integration: error: {error}", file=sys.stderr)
        return 2
    write_whole(root / RESULTS, json.dumps(report, indent=2) + "\n")
    for system in report["systems"]:
        failed = {name: why for name, why in system["checks"].items() if why is not None}
        verdict = "untested" if system["passed"] is None else "ok" if not failed else "FAILED"
        detail = "; ".join(f"{name}: {why}" for name, why in failed.items()) or system.get(
            "note", ""
        )
        print(
            f"{system['name']} ({system['direction']}, {system['environment']}): {verdict}"
            + (f" - {detail}" if detail else "")
        )
    if not report["passed"]:
        names = ", ".join(s["name"] for s in report["systems"] if s["passed"] is False)
        print(f"integration: failed: {names} (see {RESULTS})", file=sys.stderr)
        return 1
    print(f"integration: {len(report['systems'])} system(s); results in {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
