"""The parts of an ODCS v3.1.0 contract that checks need, as typed objects.

Parsing assumes the contract passed ``lint`` (the JSON Schema guarantees the shapes);
it keeps each rule's place in the file so a failed check can point at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..io.yamlio import YamlDocument

#: Classifications whose values never appear in samples, logs or reports.
PROTECTED_CLASSES = frozenset({"personal", "confidential", "restricted", "pii", "sensitive", "secret"})
PERSONAL_TAGS = frozenset({"personal-data", "personal_data", "pii", "gdpr"})
#: Server environments that hold a committed extract, not the pipeline's data: their
#: age says nothing about freshness, and a contract checked only there is not checked.
SAMPLE_ENVIRONMENTS = frozenset({"ci", "test", "sample", "fixture"})
OPERATORS = (
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
)
METRICS = ("rowCount", "nullValues", "missingValues", "invalidValues", "duplicateValues")


@dataclass(frozen=True)
class Threshold:
    """An ODCS operator and its operand(s): what the observed value must satisfy."""

    operator: str
    operand: Any

    def holds(self, value: Decimal) -> bool:
        op, x = self.operator, self.operand
        if op in ("mustBeBetween", "mustNotBeBetween"):
            low, high = (Decimal(str(v)) for v in x)
            inside = low <= value <= high
            return inside if op == "mustBeBetween" else not inside
        number = Decimal(str(x))
        return {
            "mustBe": value == number,
            "mustNotBe": value != number,
            "mustBeGreaterThan": value > number,
            "mustBeGreaterOrEqualTo": value >= number,
            "mustBeLessThan": value < number,
            "mustBeLessOrEqualTo": value <= number,
        }[op]

    def __str__(self) -> str:
        words = {
            "mustBe": "=",
            "mustNotBe": "!=",
            "mustBeGreaterThan": ">",
            "mustBeGreaterOrEqualTo": ">=",
            "mustBeLessThan": "<",
            "mustBeLessOrEqualTo": "<=",
        }
        if self.operator == "mustBeBetween":
            return f"between {self.operand[0]} and {self.operand[1]}"
        if self.operator == "mustNotBeBetween":
            return f"not between {self.operand[0]} and {self.operand[1]}"
        return f"{words[self.operator]} {self.operand}"


ZERO_ROWS = Threshold("mustBe", 0)


@dataclass(frozen=True)
class QualityRule:
    """A ``quality`` entry of an object or a property."""

    metric: str | None  # one of METRICS, or None for a sql rule
    threshold: Threshold
    unit: str  # "rows" or "percent"
    arguments: dict[str, Any]
    query: str | None
    name: str | None
    line: int | None


@dataclass(frozen=True)
class Property:
    name: str
    physical_name: str
    logical_type: str | None
    required: bool
    unique: bool
    primary_key_position: int | None
    options: dict[str, Any]
    protected: bool
    quality: list[QualityRule]
    line: int | None


@dataclass(frozen=True)
class SchemaObject:
    name: str
    physical_name: str
    properties: list[Property]
    quality: list[QualityRule]
    line: int | None

    def find(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    @property
    def primary_key(self) -> list[Property]:
        keyed = [p for p in self.properties if p.primary_key_position is not None]
        return sorted(keyed, key=lambda p: p.primary_key_position or 0)


@dataclass(frozen=True)
class Freshness:
    """A latency/freshness SLA on a timestamp property: the newest row is at most this old."""

    object: str
    property: str
    max_age_seconds: Decimal
    text: str
    line: int | None


@dataclass(frozen=True)
class Contract:
    path: Path
    id: str
    version: str
    objects: list[SchemaObject]
    servers: list[dict[str, Any]]
    freshness: list[Freshness] = field(default_factory=list)

    def server(self, name: str | None) -> dict[str, Any] | None:
        if not self.servers:
            return None
        if name is None:
            return self.servers[0]
        return next((s for s in self.servers if s.get("server") == name), None)


_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "y": 31536000,
    "yr": 31536000,
    "year": 31536000,
    "years": 31536000,
}
FRESHNESS_PROPERTIES = frozenset({"latency", "freshness"})


def is_protected(prop: dict[str, Any]) -> bool:
    """Whether a property's values must never be shown (samples, reports, logs)."""
    tags = {str(t).lower() for t in prop.get("tags") or []}
    return str(prop.get("classification") or "").lower() in PROTECTED_CLASSES or bool(tags & PERSONAL_TAGS)


def _rules(entries: Any, where: list[str | int], doc: YamlDocument) -> list[QualityRule]:
    rules = []
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or entry.get("type") in ("text", "custom"):
            continue  # text rules are for humans; custom rules belong to other engines
        operators = [op for op in OPERATORS if op in entry]
        if not operators:
            continue
        metric = entry.get("metric") or entry.get("rule")
        if entry.get("type") != "sql" and metric not in METRICS:
            continue
        rules.append(
            QualityRule(
                metric=None if entry.get("type") == "sql" else metric,
                threshold=Threshold(operators[0], entry[operators[0]]),
                unit="percent" if entry.get("unit") == "percent" else "rows",
                arguments=dict(entry["arguments"]) if isinstance(entry.get("arguments"), dict) else {},
                query=entry.get("query"),
                name=entry.get("name") or entry.get("id"),
                line=doc.line_of([*where, index]),
            )
        )
    return rules


def parse_contract(doc: YamlDocument) -> Contract:
    """Build the check model from a contract document that passed lint."""
    data = doc.data
    objects = []
    for o, obj in enumerate(data.get("schema") or []):
        props = []
        for p, prop in enumerate(obj.get("properties") or []):
            position = prop.get("primaryKeyPosition")
            pk = bool(prop.get("primaryKey"))
            props.append(
                Property(
                    name=prop["name"],
                    physical_name=prop.get("physicalName") or prop["name"],
                    logical_type=prop.get("logicalType"),
                    required=bool(prop.get("required")),
                    unique=bool(prop.get("unique")),
                    primary_key_position=(position if isinstance(position, int) and position > 0 else p + 1)
                    if pk
                    else None,
                    options=prop.get("logicalTypeOptions") or {},
                    protected=is_protected(prop),
                    quality=_rules(prop.get("quality"), ["schema", o, "properties", p, "quality"], doc),
                    line=doc.line_of(["schema", o, "properties", p]),
                )
            )
        objects.append(
            SchemaObject(
                name=obj["name"],
                physical_name=obj.get("physicalName") or obj["name"],
                properties=props,
                quality=_rules(obj.get("quality"), ["schema", o, "quality"], doc),
                line=doc.line_of(["schema", o]),
            )
        )
    return Contract(
        path=doc.path,
        id=str(data.get("id")),
        version=str(data.get("version")),
        objects=objects,
        servers=[s for s in data.get("servers") or [] if isinstance(s, dict)],
        freshness=_freshness(doc),
    )


def _freshness(doc: YamlDocument) -> list[Freshness]:
    """The latency/freshness SLAs that name an ``object.property`` element and a known unit."""
    freshness = []
    for s, sla in enumerate(doc.data.get("slaProperties") or []):
        if str(sla.get("property", "")).lower() not in FRESHNESS_PROPERTIES:
            continue
        element = str(sla.get("element") or "")
        unit = str(sla.get("unit") or "d").lower()
        if "." not in element or unit not in _UNIT_SECONDS or not isinstance(sla.get("value"), int | float):
            continue
        obj_name, prop_name = element.split(".", 1)
        freshness.append(
            Freshness(
                obj_name,
                prop_name,
                Decimal(str(sla["value"])) * _UNIT_SECONDS[unit],
                f"{sla['property']} {sla['value']} {sla.get('unit', 'd')}",
                doc.line_of(["slaProperties", s]),
            )
        )
    return freshness
