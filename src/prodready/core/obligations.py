"""The governance catalogue (obligations.toml), and which of its items a POC owes.

One data file for the template (which assembles governance/checklist.yaml from it), the
audit (GOV001 compares the checklist with what the recorded answers require) and the
docs (docs/governance.md is generated from it). What a POC owes follows from its
answers: the risk tier, the organisation's role under the EU AI Act (provider,
deployer or both), the Annex III area and whether it processes personal data, is
generative, is used at the workplace.

Standard library only: the template's hooks load this module without prodready installed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .questions import choices

CATALOGUE = Path(__file__).with_name("obligations.toml")
#: The tiers a POC can have: every choice of risk_tier but the prohibited one (refused).
TIERS: tuple[str, ...] = tuple(sorted(set(choices("risk_tier")) - {"unacceptable"}, key=choices("risk_tier").index))
#: The answers of ai_act_role, and the roles of the EU AI Act each holds ("provider-and-deployer": both).
AI_ACT_ROLES: dict[str, frozenset[str]] = {
    answer: frozenset(answer.split("-and-")) for answer in choices("ai_act_role")
}
#: The answers of annex_iii_area: "none" first, then the areas in Annex III's order, so
#: an area's place in the list is its point number (employment is point 4).
ANNEX_III: dict[str, int | None] = {area: number or None for number, area in enumerate(choices("annex_iii_area"))}
#: System kinds that generate text for people (Article 50 transparency; NIST AI 600-1):
#: every kind of ai_system_type but the classical model.
GENERATIVE_KINDS = frozenset(choices("ai_system_type")) - {"classical-ml"}
CONDITIONS = frozenset({"personal_data", "generative", "transparency", "workers", "impact_assessment", "article_6_3"})
FRAMEWORKS: tuple[tuple[str, str], ...] = (
    ("eu_ai_act", "EU AI Act"),
    ("nist_ai_rmf", "NIST AI RMF 1.0"),
    ("nist_ai_600_1", "NIST AI 600-1"),
    ("iso_42001", "ISO/IEC 42001:2023"),
)
_ARTICLE = re.compile(r"Article \d+")


@dataclass(frozen=True)
class Item:
    """One obligation of the catalogue (see obligations.toml for the meaning of each field)."""

    id: str
    title: str
    summary: str
    references: dict[str, tuple[str, ...]]
    owed_by: frozenset[str]
    tiers: frozenset[str]
    when: frozenset[str]
    stage: str
    signers: tuple[str, ...]
    owner: str
    evidence: str | None
    applies_from: date | None
    #: awaiting-sign-off when the generator made its evidence and the audit checks it;
    #: todo otherwise (``evidence`` then only says where the evidence will be).
    status: str


@dataclass(frozen=True)
class Classification:
    """What decides the items a POC owes."""

    tier: str
    roles: frozenset[str]
    conditions: frozenset[str]


@cache
def catalogue() -> tuple[Item, ...]:
    """Every item of obligations.toml, in the file's order."""
    data = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    dates: dict[str, date] = data["applies_from"]
    items = []
    for raw in data["item"]:
        unknown = set(raw.get("when", ())) - CONDITIONS
        if unknown:
            raise ValueError(f"{CATALOGUE.name}: {raw['id']} names unknown conditions {sorted(unknown)}")
        references = {key: tuple(raw.get(key, ())) for key, _ in FRAMEWORKS}
        articles = {found.group() for ref in references["eu_ai_act"] if (found := _ARTICLE.match(ref))}
        items.append(
            Item(
                id=raw["id"],
                title=raw["title"],
                summary=raw["summary"],
                references=references,
                owed_by=frozenset(raw["owed_by"]),
                tiers=frozenset(raw["tiers"]),
                when=frozenset(raw.get("when", ())),
                stage=raw["stage"],
                signers=tuple(raw["signers"]),
                owner=raw["owner"],
                evidence=raw.get("evidence"),
                applies_from=max((dates[a] for a in articles), default=None),
                status=raw.get("status", "awaiting-sign-off" if raw.get("evidence") else "todo"),
            )
        )
    return tuple(items)


def _text(answers: Mapping[str, object], key: str, default: str = "") -> str:
    value = answers.get(key)
    return default if value is None or str(value).strip() == "" else str(value).strip().lower()


def classify(answers: Mapping[str, object]) -> Classification:
    """The classification the answers (of the questionnaire, or recorded in a POC) give.

    An answer a POC generated before a question existed is read as its safest value:
    no ai_act_role is both roles, no annex_iii_area is none.
    """
    tier = _text(answers, "risk_tier")
    both = AI_ACT_ROLES["provider-and-deployer"]
    roles = AI_ACT_ROLES.get(_text(answers, "ai_act_role", "provider-and-deployer"), both)
    area = _text(answers, "annex_iii_area", "none")
    conditions = set()
    if _text(answers, "personal_data") == "yes":
        conditions.add("personal_data")
    if _text(answers, "ai_system_type") in GENERATIVE_KINDS:
        conditions.add("generative")
    # Article 50 follows what the system does, not its tier: it writes what people read,
    # or (answered limited risk) people interact with it. A high-risk batch score does neither.
    if "generative" in conditions or tier == "limited":
        conditions.add("transparency")
    if tier == "high" and "deployer" in roles:
        if _text(answers, "workers_affected") == "yes":
            conditions.add("workers")
        if ANNEX_III.get(area) == 5:
            conditions.add("impact_assessment")
    if ANNEX_III.get(area) is not None and tier != "high" and _text(answers, "article_6_3_rationale"):
        conditions.add("article_6_3")
    return Classification(tier, frozenset(roles), frozenset(conditions))


def applicable(classification: Classification) -> list[Item]:
    """The items a POC so classified owes, in the catalogue's order."""
    return [
        item
        for item in catalogue()
        if classification.tier in item.tiers
        and item.owed_by & classification.roles
        and item.when <= classification.conditions
    ]


def checklist_items(answers: Mapping[str, object]) -> list[dict[str, object]]:
    """The items of a generated checklist, as the template renders them (owner e-mails resolved)."""
    emails = {
        "production_owner": answers.get("production_owner_email"),
        "business_owner": answers.get("business_owner_email"),
        "technical_lead": answers.get("technical_lead_email"),
        "kill_authority": answers.get("kill_authority_email"),
        "data_owner": answers.get("primary_dataset_owner_email"),
    }
    return [
        {
            "id": item.id,
            "title": item.title,
            "frameworks": {key: list(item.references[key]) for key, _ in FRAMEWORKS},
            "applies_from": item.applies_from.isoformat() if item.applies_from else None,
            "owed_by": sorted(item.owed_by),
            "required_stage": item.stage,
            "owner": str(emails.get(item.owner) or ""),
            "signers": list(item.signers),
            "status": item.status,
            "evidence": item.evidence.format(primary_dataset=answers.get("primary_dataset")) if item.evidence else None,
        }
        for item in applicable(classify(answers))
    ]
