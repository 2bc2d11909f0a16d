"""The systems a POC reads from and writes to: the integration map seeded at generation.

Integration is where POCs stall after the demo, so every POC starts with a map
(integration/systems.yaml) instead of a runbook line. Two systems are derived from
answers already given: the primary data set comes in, and the POC's decisions go out to
the system of record of the process it retires. The answer ``other_systems`` lists the
rest as ``name:direction`` pairs; what generation cannot know about them (owner,
protocol, contract) is left null and marked, for the audit to ask for by the pilot.

The template (integration/systems.yaml, catalog-info.yaml, the runbook) and the answer
rules read this one module. Standard library only: the template's hooks load it by path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Which way data flows between the POC and a system.
DIRECTIONS: tuple[str, ...] = ("in", "out", "both")
#: How far a system's integration has come: a stand-in, a test instance, the real one.
ENVIRONMENTS: tuple[str, ...] = ("mocked", "sandbox", "live")
#: What the POC does when the system fails.
FAILURE_BEHAVIOURS: tuple[str, ...] = ("retry", "dead-letter", "fallback")
#: The outbound system's contract: the decision records the POC writes back.
DECISIONS_CONTRACT = "contracts/decisions.odcs.yaml"
#: A system name: lowercase letters, digits, '-' and '_' (it becomes a catalog entity name).
NAME = re.compile(r"[a-z][a-z0-9_-]{0,62}")
#: More systems than this in one answer is a list to keep in the map, not a questionnaire answer.
MAX_OTHER_SYSTEMS = 20
DECISIONS_SYSTEM = "decisions"


def parse_other_systems(raw: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``"crm:out, pricing-api:in"`` as [(name, direction)], and a problem for each pair that is not one."""
    systems: list[tuple[str, str]] = []
    problems: list[str] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part or part.lower() in ("none", "-"):
            continue
        name, _, direction = (piece.strip().lower() for piece in part.partition(":"))
        if not NAME.fullmatch(name):
            problems.append(f"{part[:40]!r} does not start with a system name (lowercase letters, digits, '-', '_')")
        elif direction not in DIRECTIONS:
            problems.append(f"{part[:40]!r} has no direction: add :in, :out or :both")
        elif any(name == known for known, _ in systems):
            problems.append(f"{name!r} is listed twice")
        else:
            systems.append((name, direction))
    if len(systems) > MAX_OTHER_SYSTEMS:
        problems.append(f"it lists {len(systems)} systems (at most {MAX_OTHER_SYSTEMS}; add the rest to the map)")
    return systems, problems


def dataset_system(dataset: str) -> str:
    """The name of the system a data set comes from in the map: support_tickets -> support-tickets."""
    return "-".join(dataset.split("_"))


def systems(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The integration map a POC starts with, from its answers (each system as systems.yaml holds it).

    Facts generation knows are filled in; the rest are None, each with a ``todo`` saying
    what to find out (the template renders it as a comment beside the system).
    """
    dataset = str(answers.get("primary_dataset", ""))
    seeded: list[dict[str, Any]] = [
        {
            "name": dataset_system(dataset),
            "direction": "in",
            "description": f"The source of the primary data set {dataset}",
            "protocol": "file",
            "owner": {"team": None, "contact": answers.get("primary_dataset_owner_email")},
            "auth": None,
            "environment": "mocked",
            "failure": "retry",
            "contract": f"contracts/{dataset}.odcs.yaml",
            "todo": "name the owner's team, the protocol and the authentication of the real source",
        },
        {
            "name": DECISIONS_SYSTEM,
            "direction": "out",
            "description": "The system of record of the retired process, where the POC's decisions are written: "
            + str(answers.get("process_retired", "")).strip(),
            "protocol": None,
            "owner": {"team": None, "contact": answers.get("business_owner_email")},
            "auth": None,
            "environment": "mocked",
            "failure": "dead-letter",
            "contract": DECISIONS_CONTRACT,
            "todo": "name the system of record, its owner's team, its protocol and authentication",
        },
    ]
    taken = {system["name"] for system in seeded}
    others, _ = parse_other_systems(str(answers.get("other_systems") or ""))
    for name, direction in others:
        if name in taken:
            continue
        seeded.append(
            {
                "name": name,
                "direction": direction,
                "description": None,
                "protocol": None,
                "owner": None,
                "auth": None,
                "environment": "mocked",
                "failure": None,
                "contract": None,
                "todo": "name its owner, protocol, authentication, failure behaviour and contract by the pilot",
            }
        )
    return seeded
