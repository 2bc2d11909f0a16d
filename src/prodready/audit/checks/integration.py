"""Integration: every system the POC touches, mapped, contracted and tested (INT001-INT004).

Integration is where POCs stall after the demo: the systems a POC reads from and writes
to are found one at a time, late, each with an owner nobody asked. integration/systems.yaml
maps them from day one; the generated POC's ``nox -s integration`` tests each against
its contract and writes integration/results.json, which the audit reads (it never runs
the tests, nor reaches a system).
"""

from __future__ import annotations

import re
from typing import Any

from ...core.answers import email_problem
from ...core.integration import DIRECTIONS, ENVIRONMENTS, FAILURE_BEHAVIOURS, NAME
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, indexed, load, load_json, mapping, stated
from .ci import CiConfig, session_step, unrun
from .evaluation import FRESH_DAYS, days_old

SYSTEMS = "integration/systems.yaml"
RESULTS = "integration/results.json"
RUNBOOK = "docs/runbook.md"
CATALOG = "catalog-info.yaml"
#: A CI step running the integration tests.
INTEGRATION_STEP = session_step("integration", "integration")
#: What a system must say by the pilot, beyond its name and direction.
DESCRIBED = ("protocol", "auth", "failure", "contract")
INBOUND, OUTBOUND = ("in", "both"), ("out", "both")


@fixture
def systems(prodready: Repo) -> YamlFile | Failure:
    """integration/systems.yaml, the map of the systems the POC reads from and writes to."""
    return load(prodready, SYSTEMS)


@fixture
def integration_results(prodready: Repo) -> dict[str, Any] | Failure:
    """integration/results.json as `nox -s integration` wrote it (or why it cannot be read)."""
    return load_json(prodready, RESULTS)


def entries(systems: YamlFile) -> list[tuple[int, dict[str, Any]]]:
    """(index, system) for each system that is a mapping."""
    return indexed(systems.data.get("systems"))


def owned(system: dict[str, Any]) -> bool:
    """Whether the system names an owner: a team, or a contact e-mail."""
    owner = mapping(system.get("owner"))
    contact = str(owner.get("contact") or "")
    return stated(owner.get("team")) or (bool(contact) and email_problem(contact) is None)


def _shape_problems(systems: YamlFile, prodready: Repo) -> list[Failure]:
    """Each system's name, direction, environment, failure behaviour and contract file, as the map defines them."""
    found, seen = [], set()
    for index, system in entries(systems):
        name = system.get("name")
        at: list[str | int] = ["systems", index]
        if not isinstance(name, str) or not NAME.fullmatch(name):
            found.append(systems.fail(f"systems[{index}] has no name of lowercase letters, digits, '-', '_'", at))
            continue
        if name in seen:
            found.append(systems.fail(f"{name} is listed twice", [*at, "name"]))
        seen.add(name)
        for key, allowed, optional in (
            ("direction", DIRECTIONS, False),
            ("environment", ENVIRONMENTS, False),
            ("failure", FAILURE_BEHAVIOURS, True),
        ):
            value = system.get(key)
            if (value is not None or not optional) and value not in allowed:
                found.append(systems.fail(f"{name}: {key} is {value!r}, not one of {', '.join(allowed)}", [*at, key]))
        contract = system.get("contract")
        if contract is not None and (not isinstance(contract, str) or not prodready.exists(contract)):
            found.append(
                systems.fail(f"{name}: contract {contract!r} is not a file of the repository", [*at, "contract"])
            )
    return found


class INT001(Check, family="integration"):
    """Every system the POC touches is mapped: at least one inbound and one outbound, each with an owner

    Integration, not the model, is where most POCs stall: the system of record that must
    take the decisions, the source that must feed it, each owned by a team nobody asked.
    Fix: list every system in integration/systems.yaml (name, direction, protocol, owner,
    auth, environment, failure, contract), with at least the source of the input data
    (direction: in) and the system the decisions are written to (direction: out), each
    with its owner's team or contact.
    """

    @staticmethod
    def check(systems: YamlFile | Failure, prodready: Repo) -> Result:
        if isinstance(systems, Failure):
            return systems
        listed = entries(systems)
        if not listed:
            return systems.fail("no systems are listed: map every system the POC reads from or writes to", [])
        found = _shape_problems(systems, prodready)
        for directions, what in ((INBOUND, "inbound (direction: in)"), (OUTBOUND, "outbound (direction: out)")):
            if not any(s.get("direction") in directions and owned(s) for _, s in listed):
                found.append(
                    systems.fail(
                        f"no {what} system with an owner: add it with its owner's team or contact", ["systems"]
                    )
                )
        return every(found, "problems in the integration map")


class INT002(Check, family="integration"):
    """CI runs the integration tests

    A map nobody tests is a list of hopes. Fix: keep the template's CI step
    `nox -s integration`, which tests each system against its contract.
    """

    @staticmethod
    def check(ci: CiConfig) -> Result:
        return unrun(ci, INTEGRATION_STEP, "the integration tests", "integration") or True


def _catalogued(catalog: YamlFile | Failure) -> set[str]:
    """The entity references of catalog-info.yaml's spec.dependsOn and spec.consumesApis."""
    spec = catalog.section("spec") if isinstance(catalog, YamlFile) else {}
    listed = [*(spec.get("dependsOn") or []), *(spec.get("consumesApis") or [])]
    return {str(ref).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for ref in listed if isinstance(ref, str)}


def _verified(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The results' systems by name."""
    listed = results.get("systems")
    return {str(s.get("name")): s for s in (listed if isinstance(listed, list) else []) if isinstance(s, dict)}


def _verification_problem(name: str, environment: Any, verified: dict[str, dict[str, Any]]) -> str | None:
    """Why a system's latest results do not show it verified against its provider (None when they do)."""
    result = verified.get(name)
    if result is None:
        return f"{name} is not in {RESULTS}: run `nox -s integration` and commit it"
    checks = mapping(result.get("checks"))
    if result.get("environment") != environment:
        return f"{name} was tested {result.get('environment')!r}, not {environment!r}: run `nox -s integration` again"
    if result.get("passed") is not True or "provider" not in checks:
        failed = "; ".join(f"{key}: {why}" for key, why in checks.items() if why) or "its provider was not verified"
        return f"{name} did not pass: {str(failed)[:200]}"
    return None


class INT003(Check, family="integration", stage="pilot", requires={"INT001"}):
    """Every system is described, contracted and verified in a sandbox by CI

    A pilot's real users reach real systems: each needs its owner, protocol,
    authentication, failure behaviour and contract known, and a sandbox (or the live
    system) the POC's integration tests have passed against, and the developer portal
    must show the dependency. Fix: complete each system in integration/systems.yaml,
    add its `sandbox` (or `production`) server to its contract, set environment:
    sandbox, commit the integration/results.json that `nox -s integration` writes in CI,
    and list each system in catalog-info.yaml (spec.dependsOn, or consumesApis for an API).
    """

    @staticmethod
    def check(
        systems: YamlFile,
        integration_results: dict[str, Any] | Failure,
        prodready: Repo,
        catalog: YamlFile | Failure,
    ) -> Result:
        found, stale = [], []
        if isinstance(integration_results, Failure):
            verified: dict[str, dict[str, Any]] = {}
            stale.append(Failure(f"{integration_results}: run `nox -s integration` and commit it", RESULTS, None))
        else:
            verified = _verified(integration_results)
            age = days_old(integration_results.get("date"), prodready.today)
            if age is None or age > FRESH_DAYS:
                message = f"{RESULTS} is not from the last {FRESH_DAYS} days: run `nox -s integration`"
                stale.append(Failure(message, RESULTS, None))
        catalogued = _catalogued(catalog)
        for index, system in entries(systems):
            name = str(system.get("name"))
            at: list[str | int] = ["systems", index]
            unsaid = [key for key in DESCRIBED if system.get(key) in (None, "")]
            if not stated(mapping(system.get("owner")).get("team")):
                unsaid.insert(0, "owner.team")
            if name not in catalogued:
                found.append(systems.fail(f"{name} is not in {CATALOG}'s spec.dependsOn (or consumesApis)", at))
            if unsaid:
                found.append(systems.fail(f"{name}: {', '.join(unsaid)} not stated", at))
            elif system.get("environment") == "mocked":
                found.append(
                    systems.fail(f"{name} is still mocked: reach a sandbox and verify it", [*at, "environment"])
                )
            elif not isinstance(integration_results, Failure):
                problem = _verification_problem(name, system.get("environment"), verified)
                if problem:
                    found.append(systems.fail(problem, at))
        return every(found + stale, "systems not ready for the pilot")


class INT004(Check, family="integration", stage="production", requires={"INT001"}):
    """Every outbound system is live, verified and named in the runbook

    At production, the decisions reach the real system of record: the on-call team must
    know every system the POC writes to, and the live one must have passed its
    verification. Fix: set environment: live once verified against the live system,
    commit integration/results.json, and name each outbound system in docs/runbook.md.
    """

    @staticmethod
    def check(systems: YamlFile, integration_results: dict[str, Any] | Failure, prodready: Repo) -> Result:
        runbook = prodready.text(RUNBOOK) or ""
        verified = {} if isinstance(integration_results, Failure) else _verified(integration_results)
        found = []
        for index, system in entries(systems):
            if system.get("direction") not in OUTBOUND:
                continue
            name = str(system.get("name"))
            at: list[str | int] = ["systems", index]
            if system.get("environment") != "live":
                found.append(systems.fail(f"{name} is {system.get('environment')}, not live", [*at, "environment"]))
            else:
                problem = _verification_problem(name, "live", verified)
                if problem:
                    found.append(systems.fail(problem, at))
            if f"`{name}`" not in runbook and not re.search(rf"\b{re.escape(name)}\b", runbook):
                found.append(systems.fail(f"{name} is not named in {RUNBOOK}", at))
        return every(found, "outbound systems not ready for production")
