"""The parts of an ODCS contract that checks need, as typed objects.

Parsing assumes the contract passed ``lint`` (the JSON Schema guarantees the shapes);
it keeps each rule's place in the file so a failed check can point at its line.

Each contract is read as its ODCS version means it. v3.1.0 names a library rule's
``metric``; v3.0.x named it ``rule``, with names of its own (``duplicateCount``,
``validValues`` with the values beside it, ``nullCheck``, ``between`` and ``minCheck``
with their bounds in ``customProperties``) and no operator meaning "none": they become
the same checks. v3.0.x ``exclusiveMinimum: true`` made ``minimum`` strict, where v3.1.0
gives the strict bound itself; its ``date`` covered date-times (``legacy``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard

from ..io.yamlio import YamlDocument

#: Words that protect a classification wherever they appear in it, whatever the case and
#: spacing ("Confidential ", "PHI", "Highly Confidential", "pii_data"): values so
#: classified never appear in samples, messages or reports.
PROTECTED_CLASSES = frozenset({"personal", "confidential", "restricted", "pii", "phi", "sensitive", "secret"})
#: The only classifications that leave values visible; any other (an unknown word, a
#: number) is protected, since a classification nobody recognises is a doubt.
UNPROTECTED_CLASSES = frozenset({"public", "internal", "unclassified"})
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
#: v3.0.x library rule names, as the v3.0.x schemas, documentation and examples write them,
#: and the v3.1.0 metric each one is. ``range`` is prodready's name for a v3.0.x bounds rule.
LEGACY_RULES = {
    "duplicateCount": "duplicateValues",
    "validValues": "invalidValues",
    "nullCheck": "nullValues",
    "notNull": "nullValues",
    "rowCount": "rowCount",
    "countCheck": "rowCount",
    "between": "range",
    "minCheck": "range",
    "maxCheck": "range",
    **{metric: metric for metric in METRICS},
}
#: The ODCS versions whose meanings differ from v3.1.0's (see the module's docstring).
LEGACY_VERSIONS = frozenset({"v3.0.0", "v3.0.1", "v3.0.2"})


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

    def allows_none(self, unit: str) -> bool:
        """Whether this threshold allows no violating row at all (and does allow none), however it is written.

        ``mustBe: 0``, ``mustBeLessOrEqualTo: 0`` and ``mustBeBetween: [0, 0]`` do; in rows,
        counts are whole, so ``mustBeLessThan: 1`` does too. In percent any share above
        zero is a row, so only a bound of exactly zero does. A measure (``unit`` value)
        counts no rows.
        """
        if unit not in ("rows", "percent") or not self.holds(Decimal(0)):
            return False
        op, operand = self.operator, self.operand
        if op in ("mustNotBe", "mustNotBeBetween") or op.startswith("mustBeGreater"):
            return False  # they hold for large counts too
        bound = Decimal(str(operand[1] if op == "mustBeBetween" else operand))
        if unit == "percent":
            return bound == 0 and op != "mustBeLessThan"
        return bound <= 1 if op == "mustBeLessThan" else bound < 1

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

    metric: str | None  # one of METRICS (or "range", from v3.0.x), or None for a sql rule
    threshold: Threshold
    unit: str  # "rows" or "percent"
    arguments: dict[str, Any]
    query: str | None
    name: str | None
    line: int | None


@dataclass(frozen=True)
class Property:
    """A property; an object's nested ``children``, an array's ``items`` (named ``[]``).

    ``protected`` holds for a property whose value shows a protected one: its own
    classification, an enclosing property's, or one of its members'.
    """

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
    children: list[Property] = field(default_factory=list)
    items: Property | None = None

    @property
    def members(self) -> list[Property]:
        """The properties nested in this one: its children, then its items."""
        return [*self.children, *([self.items] if self.items else [])]


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
    api_version: str = "v3.1.0"

    @property
    def legacy(self) -> bool:
        """Whether the contract is v3.0.x, read with that version's meanings."""
        return self.api_version in LEGACY_VERSIONS

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


def _words(text: str) -> str:
    """Lower case, with runs of spaces, hyphens, underscores and dots as one space."""
    return " ".join(re.split(r"[\s_.\-]+", text.lower())).strip()


def protected_classification(value: Any) -> bool:
    """Whether a ``classification`` protects its values: when in doubt, it does.

    Absent or empty: not protected. A text containing one of ``PROTECTED_CLASSES``
    (case and spacing aside) is protected; so is any text that is not one of
    ``UNPROTECTED_CLASSES``, and any value that is not text at all.
    """
    if value is None or value == "":
        return False
    if not isinstance(value, str):
        return True
    words = _words(value)
    return any(word in words for word in PROTECTED_CLASSES) or words not in UNPROTECTED_CLASSES


def personal_tags(tags: Any) -> bool:
    """Whether a property's ``tags`` mark personal data (``personal-data``, ``PII``, ``Personal Data``...).

    Tags that are not a list are a doubt, and protect.
    """
    if not tags:
        return False
    if not isinstance(tags, list):
        return True
    personal = {_words(tag) for tag in PERSONAL_TAGS}
    for tag in tags:
        words = _words(str(tag))
        if words in personal or any(word in words.split() for word in PROTECTED_CLASSES):
            return True
    return False


def is_protected(prop: dict[str, Any]) -> bool:
    """Whether a property's values must never be shown (samples, messages, reports): the one rule."""
    return protected_classification(prop.get("classification")) or personal_tags(prop.get("tags"))


def is_number(value: Any) -> TypeGuard[int | float]:
    """A finite int or float, not a bool: what a threshold or a bound must be."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def text(value: Any) -> str:
    """A name as the JSON Schema saw it: YAML's dates as ISO text, anything else as ``str``."""
    return value.isoformat() if isinstance(value, date) else str(value)


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def listed(value: Any) -> list[Any]:
    """``value`` if it is a list, else nothing: a field of the wrong type holds no entries."""
    return value if isinstance(value, list) else []


def operand_ok(operator: str, operand: Any) -> bool:
    """Whether an operator's operand is what it compares with: a finite number, or two for a range."""
    if operator in ("mustBeBetween", "mustNotBeBetween"):
        return isinstance(operand, list) and len(operand) == 2 and all(map(is_number, operand))
    return is_number(operand)


def _rules(entries: Any, where: list[str | int], doc: YamlDocument, legacy: bool) -> list[QualityRule]:
    rules = []
    for index, entry in enumerate(listed(entries)):
        if not isinstance(entry, dict) or entry.get("type") in ("text", "custom"):
            continue  # text rules are for humans; custom rules belong to other engines
        meaning = _meaning(entry, legacy)
        if meaning is None:
            continue  # lint reports it; the check never runs a contract that does not lint
        metric, threshold, arguments = meaning
        rules.append(
            QualityRule(
                metric=metric,
                threshold=threshold,
                unit="percent" if entry.get("unit") == "percent" else "rows",
                arguments=arguments,
                query=entry.get("query") if isinstance(entry.get("query"), str) else None,
                name=str(entry.get("name") or entry.get("id") or "") or None,
                line=doc.line_of([*where, index]),
            )
        )
    return rules


def _meaning(entry: dict[str, Any], legacy: bool) -> tuple[str | None, Threshold, dict[str, Any]] | None:
    """A rule's metric (None: sql), threshold and arguments as v3.1.0 says them; None when prodready cannot run it.

    A v3.0.x library rule is named by ``rule`` in that version's words, and one without
    an operator allows no violation (``validValues: [a, b]`` alone means every value is
    one of them); a v3.0.x row count without an operator says nothing to check.
    """
    sql = entry.get("type") == "sql"
    arguments = dict(entry["arguments"]) if isinstance(entry.get("arguments"), dict) else {}
    metric = None if sql else entry.get("metric") or entry.get("rule")
    if legacy and not sql:
        metric = LEGACY_RULES.get(text(metric)) if metric is not None else None
        arguments = {**_legacy_arguments(entry), **arguments}
    if not sql and metric not in (*METRICS, "range"):
        return None
    operators = [op for op in OPERATORS if op in entry]
    if operators:
        if not operand_ok(operators[0], entry[operators[0]]):
            return None
        threshold = Threshold(operators[0], entry[operators[0]])
    elif legacy and metric not in (None, "rowCount"):
        threshold = ZERO_ROWS
    else:
        return None
    if metric == "range" and not {"minimum", "maximum"} & arguments.keys():
        return None
    return metric, threshold, arguments


def _legacy_arguments(entry: dict[str, Any]) -> dict[str, Any]:
    """A v3.0.x rule's arguments where v3.0.x wrote them: ``validValues`` beside it, bounds as custom properties."""
    found: dict[str, Any] = {}
    if isinstance(entry.get("validValues"), list):
        found["validValues"] = entry["validValues"]
    for custom in listed(entry.get("customProperties")):
        if not isinstance(custom, dict) or not is_number(custom.get("value")):
            continue
        key = {"min": "minimum", "max": "maximum"}.get(str(custom.get("property")).lower())
        if key:
            found[key] = custom["value"]
    return found


def _options(options: dict[str, Any], legacy: bool) -> dict[str, Any]:
    """logicalTypeOptions as v3.1.0 says them: v3.0.x ``exclusiveMinimum: true`` made ``minimum`` the strict bound."""
    if not legacy:
        return options
    said = dict(options)
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        strict = said.pop(flag, None)
        if strict is True and bound in said:
            said[flag] = said.pop(bound)
    return said


def _property(
    prop: dict[str, Any], where: list[str | int], doc: YamlDocument, legacy: bool, enclosed: bool, name: str | None
) -> Property:
    """A property and what is nested in it; ``enclosed`` when an enclosing property is protected.

    ``name`` is given for an array's items, which ODCS leaves unnamed: they are ``[]``.
    """
    protected = enclosed or is_protected(prop)
    children = [
        _property(child, [*where, "properties", c], doc, legacy, protected, None)
        for c, child in enumerate(listed(prop.get("properties")))
        if isinstance(child, dict) and child.get("name") is not None
    ]
    entry = prop.get("items")
    items = _property(entry, [*where, "items"], doc, legacy, protected, "[]") if isinstance(entry, dict) else None
    own = name or text(prop["name"])
    return Property(
        name=own,
        physical_name=name or text(prop.get("physicalName") or prop["name"]),
        logical_type=text(prop["logicalType"]) if prop.get("logicalType") is not None else None,
        required=bool(prop.get("required")),
        unique=bool(prop.get("unique")),
        primary_key_position=None,
        options=_options(mapping(prop.get("logicalTypeOptions")), legacy),
        protected=protected or any(m.protected for m in [*children, *([items] if items else [])]),
        quality=_rules(prop.get("quality"), [*where, "quality"], doc, legacy),
        line=doc.line_of(where),
        children=children,
        items=items,
    )


def _primary_key_position(prop: dict[str, Any], index: int) -> int | None:
    position = prop.get("primaryKeyPosition")
    if not prop.get("primaryKey"):
        return None
    return position if isinstance(position, int) and position > 0 else index + 1


def parse_contract(doc: YamlDocument) -> Contract:
    """Build the check model from a contract document that passed lint, read as its apiVersion means it."""
    data = doc.data
    api_version = text(data.get("apiVersion"))
    legacy = api_version in LEGACY_VERSIONS
    objects = []
    for o, obj in enumerate(listed(data.get("schema"))):
        if not isinstance(obj, dict):
            continue
        props = [
            replace(
                _property(prop, ["schema", o, "properties", p], doc, legacy, False, None),
                primary_key_position=_primary_key_position(prop, p),
            )
            for p, prop in enumerate(listed(obj.get("properties")))
            if isinstance(prop, dict)
        ]
        objects.append(
            SchemaObject(
                name=text(obj["name"]),
                physical_name=text(obj.get("physicalName") or obj["name"]),
                properties=props,
                quality=_rules(obj.get("quality"), ["schema", o, "quality"], doc, legacy),
                line=doc.line_of(["schema", o]),
            )
        )
    return Contract(
        path=doc.path,
        id=str(data.get("id")),
        version=str(data.get("version")),
        objects=objects,
        servers=[s for s in listed(data.get("servers")) if isinstance(s, dict)],
        freshness=_freshness(doc),
        api_version=api_version,
    )


def _freshness(doc: YamlDocument) -> list[Freshness]:
    """The latency/freshness SLAs that name an ``object.property`` element and a known unit."""
    freshness = []
    for s, sla in enumerate(listed(doc.data.get("slaProperties"))):
        if not isinstance(sla, dict):
            continue
        if str(sla.get("property", "")).lower() not in FRESHNESS_PROPERTIES:
            continue
        element = str(sla.get("element") or "")
        unit = str(sla.get("unit") or "d").lower()
        if "." not in element or unit not in _UNIT_SECONDS or not is_number(sla.get("value")):
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
