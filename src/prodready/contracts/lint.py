"""Lint ODCS v3 data contracts: the standard's JSON Schema, then semantic rules.

The schema is the standard's published JSON Schema of the contract's own ``apiVersion``
(v3.0.0 to v3.1.0), bundled byte for byte in ``prodready/io/jsonschemas`` (not a
hand-copied subset), so a contract that lints here is a contract every ODCS tool
accepts; an apiVersion with no bundled schema is one finding naming those there are.
The semantic rules catch what a schema cannot: a quality rule naming a property that
does not exist, thresholds that contradict each other, personal data left unclassified
(a warning: check runs, and protects such a column as if it were classified),
a password typed into a server block, a ``sql`` rule that is more than one read-only
SELECT of the contract's objects, and values of a type the schema lets through but no
check can use (``mustBe: "abc"``, ``.nan``).
Whatever the types in the file, lint reports findings; it never fails on them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io.schemas import ODCS_VERSIONS, odcs_schema, schema_document, schema_errors
from ..io.yamlio import YamlDocument, load_yaml
from ..results import Finding, display_path
from .model import LEGACY_VERSIONS, OPERATORS, is_number, listed, operand_ok, personal_tags, protected_classification

CONTRACT_SUFFIXES = (".odcs.yaml", ".odcs.yml")
#: Words of a column name that say it holds personal data, on the name in snake case
#: (``personal_name`` splits camelCase first), written with and without separators:
#: ``email``, ``e_mail``, ``emailaddress``, ``email_address`` alike.
PERSONAL_NAME = re.compile(
    r"(^|_)("
    r"e_?mails?|e_?mail_?addr(ess)?(es)?"
    r"|(tele)?phones?(_?(number|num|no|nr))?|mobile(_?(phone|number|num|no))?|cell_?phone|fax(_?number)?|msisdn"
    r"|(first|last|full|given|family|middle|maiden|sur|fore|nick|user|customer|patient|employee|contact|person"
    r"|account_?holder|card_?holder)_?name"
    r"|((street|home|postal|billing|shipping|mailing|residential|delivery|ip|mac)_?)?addr(ess)?(es)?(_?line_?\d*)?"
    r"|post_?code|postal_?code|zip(_?code)?|ip|ipv4|ipv6"
    r"|ssn|social_?security(_?(number|no))?|national_?id(_?number)?|passport(_?(number|no))?|tax_?id"
    r"|drivers?_?licen[cs]e(_?(number|no))?|iban|credit_?card(_?(number|no))?|card_?number"
    r"|birth_?(date|day)|date_?of_?birth|dob"
    r")($|_)",
    re.IGNORECASE,
)
#: What makes a personal-sounding name a measure or a kind of the data, not the data:
#: ``email_count``, ``ipaddress_count``, ``num_phones``, ``has_email``, ``address_type``.
MEASURE_NAME = re.compile(
    r"_(count|counts|cnt|total|sum|avg|mean|ratio|rate|pct|percent|share|verified|valid|type|kind|category)$"
    r"|^(n|num|number_of|count|total|has|is)_",
    re.IGNORECASE,
)
SECRET_KEY = re.compile(r"(password|passwd|secret|token|api_?key|access_?key|private_?key|credential)", re.IGNORECASE)
ENV_NAME = re.compile(r"\$\{?[A-Z_][A-Z0-9_]*\}?|[A-Z_][A-Z0-9_]*")
URL_WITH_PASSWORD = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
MAX_SCHEMA_FINDINGS = 25
#: logicalTypes whose bounds (minimum, maximum...) must be numbers.
NUMBER_TYPES = ("integer", "number")
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")


def personal_name(name: str) -> bool:
    """Whether a column's name says it holds personal data (``customerEmail``, ``phonenumber``, ``date_of_birth``).

    Not ``filename`` or ``hostname``, and not a measure of personal data such as
    ``email_count``: those hold no one's data.
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    words = "_".join(re.findall(r"[a-z0-9]+", spaced.lower()))
    return bool(PERSONAL_NAME.search(words)) and not MEASURE_NAME.search(words)


def _shown(value: Any) -> str:
    """A value from the contract as a message quotes it: short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def find_contracts(targets: list[Path]) -> list[Path]:
    """Expand directories to the contracts inside them (``*.odcs.yaml``), sorted."""
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found += sorted(p for p in target.rglob("*") if p.name.endswith(CONTRACT_SUFFIXES) and p.is_file())
        else:
            found.append(target)
    return found


def schema_findings(document: YamlDocument, file: str) -> list[Finding]:
    """ODCS001: every place the contract breaks the JSON Schema of its own apiVersion (whatever YAML types it holds).

    An apiVersion with no bundled schema (missing, ``v2.2.2``, ``v3.2``) is one finding naming
    the versions prodready validates: another version's schema would report what the
    contract's authors never meant.
    """
    schema = "odcs"  # not a mapping at all: the newest schema says so
    if isinstance(document.data, dict):
        api_version = document.data.get("apiVersion")
        found = odcs_schema(api_version)
        if found is None:
            versions = ", ".join(json.dumps(version) for version in reversed(ODCS_VERSIONS))
            given = json.dumps(api_version) if isinstance(api_version, str) else _shown(api_version)
            wrong = "missing; write one of" if api_version is None else f"{given} is not one of"
            message = f"apiVersion: {wrong} {versions}, the ODCS versions prodready validates"
            return [Finding("ODCS001", message, file, document.line_of(["apiVersion"]))]
        schema = found
    findings: list[Finding] = []
    seen: set[tuple[str, int | None]] = set()
    for path, text in schema_errors(schema, document.data):
        where = "/".join(map(str, path)) or "(top level)"
        message = f"{where}: {_logical_type_message(path, text, schema)}"
        line = document.line_of(path)
        if (message, line) not in seen:
            seen.add((message, line))
            findings.append(Finding("ODCS001", message, file, line))
    return findings[:MAX_SCHEMA_FINDINGS]


def logical_types(path: Sequence[str | int], schema: str = "odcs") -> list[str]:
    """The logicalTypes a version of the standard accepts at ``path``: an object's (``schema/0/logicalType``) or a
    property's (``schema`` names the bundled schema, the newest by default: v3.0.x has no ``timestamp``).
    """
    definition = "SchemaObject" if len(path) == 3 and path[0] == "schema" else "SchemaBaseProperty"
    return list(schema_document(schema)["$defs"][definition]["properties"]["logicalType"]["enum"])


def _logical_type_message(path: Sequence[str | int], text: str, schema: str) -> str:
    """A wrong logicalType's message names every type its version accepts, not the first two "or 7 other candidates"."""
    if not path or path[-1] != "logicalType" or "is not one of" not in text:
        return text
    wrong = text.split(" is not one of", 1)[0]
    accepted = ", ".join(logical_types(path, schema))
    version = schema_document(schema)["properties"]["apiVersion"]["default"]
    return f"{wrong} is not a logicalType of ODCS {version}; use one of: {accepted}"


def _threshold_findings(rule: dict[str, Any], where: list[str | int], doc: YamlDocument, file: str) -> list[Finding]:
    findings = []
    line = doc.line_of(where)
    for key in ("mustBeBetween", "mustNotBeBetween"):
        bounds = rule.get(key)
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(map(is_number, bounds))):
            continue
        if bounds[0] >= bounds[1]:
            findings.append(Finding("ODCS003", f"{key} {bounds} has its smaller number last", file, line))
    if rule.get("unit") == "percent":
        for key, value in rule.items():
            if str(key).startswith("must") and is_number(value) and not 0 <= value <= 100:
                findings.append(Finding("ODCS003", f"{key}: {value} is not a percentage (0 to 100)", file, line))
    for key in (op for op in OPERATORS if op in rule):
        value = rule[key]
        if not operand_ok(key, value) and not _reported_apart(value):  # .nan, !!binary: reported on their own
            wanted = "two numbers, the smaller first" if key.endswith("Between") else "a number"
            findings.append(Finding("ODCS008", f"{key}: {_shown(value)} is not {wanted}", file, line))
    arguments = rule.get("arguments")
    if isinstance(arguments, dict):
        for key in ("validValues", "missingValues", "properties"):
            if key in arguments and not isinstance(arguments[key], list):
                findings.append(
                    Finding("ODCS008", f"arguments.{key}: {_shown(arguments[key])} is not a list", file, line)
                )
        if "pattern" in arguments and not isinstance(arguments["pattern"], str):
            findings.append(
                Finding("ODCS008", f"arguments.pattern: {_shown(arguments['pattern'])} is not text", file, line)
            )
    return findings


def _reported_apart(value: Any) -> bool:
    """Whether ``value`` holds something ``_unusable`` reports (so a second finding would repeat it)."""
    return any(True for _ in _unusable(value, []))


def _unusable(data: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Every value no check can use, with its path: .nan and .inf, and what JSON has no type for
    (``!!binary``, ``!!set``). Iterative: a deep file cannot exhaust the stack.
    """
    stack: list[tuple[Any, list[str | int]]] = [(data, where)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            yield path, f"{node} is not a finite number"
        elif isinstance(node, dict):
            stack += [(value, [*path, key if isinstance(key, int) else str(key)]) for key, value in node.items()]
        elif isinstance(node, list):
            stack += [(value, [*path, index]) for index, value in enumerate(node)]
        elif not isinstance(node, str | int | float | bool | date | datetime | None):
            yield path, f"a {type(node).__name__} value, which a contract cannot hold (write text, a number or a list)"


def _sql_findings(
    rule: dict[str, Any],
    where: list[str | int],
    context: tuple[list[str], list[dict[str, Any]]],
    prop: Any,
    doc: YamlDocument,
    file: str,
) -> list[Finding]:
    """ODCS007: a sql rule must be one read-only SELECT of the contract's objects, in each server's dialect."""
    if rule.get("type") != "sql":
        return []
    # Parsing SQL needs sqlglot, and the audit lints every contract: import it only here.
    from ..data.sources import rule_dialect
    from ..data.sql import UnsafeSQL, column
    from .compile import rule_query

    objects, servers = context
    dialects = sorted({rule_dialect(server) for server in servers}) or ["duckdb"]
    name = rule.get("name") or rule.get("id") or f"#{where[-1]}"
    line = doc.line_of(where)
    query = rule.get("query")
    if not isinstance(query, str) or not query.strip():
        return [Finding("ODCS007", f"sql rule {_shown(name)} has no query", file, line)]
    for dialect in dialects:
        try:
            rule_query(query, dialect, objects, column(str(prop)).sql(dialect) if prop is not None else None)
        except UnsafeSQL as error:
            written = f" (as {dialect} SQL)" if len(dialects) > 1 else ""
            return [Finding("ODCS007", f"sql rule {_shown(name)} is refused{written}: {error}", file, line)]
    return []


def semantic_findings(document: YamlDocument, file: str) -> list[Finding]:
    """ODCS002-ODCS008: rules about meaning, on a contract that parsed as a mapping, whatever its types."""
    data = document.data
    findings: list[Finding] = []
    schema = listed(data.get("schema"))
    servers = [server for server in listed(data.get("servers")) if isinstance(server, dict)]
    objects = [
        str(name)
        for obj in schema
        if isinstance(obj, dict)
        for name in (obj.get("name"), obj.get("physicalName"))
        if isinstance(name, str) and name
    ]
    context = (objects, servers)
    rule_count = 0
    for o, obj in enumerate(schema):
        if not isinstance(obj, dict):
            continue
        rule_count += _object_findings(obj, o, context, document, file, findings)
        for p, prop in enumerate(listed(obj.get("properties"))):
            if isinstance(prop, dict):
                rule_count += _property_findings(
                    prop, ["schema", o, "properties", p], context, document, file, findings
                )
    if schema and rule_count == 0:
        findings.append(
            Finding(
                "ODCS006",
                "the contract has no quality rules: add at least a rowCount rule",
                file,
                document.line_of(["schema"]),
                "warning",
            )
        )
    for s, server in enumerate(listed(data.get("servers"))):
        if isinstance(server, dict):
            findings += _server_findings(server, ["servers", s], document, file)
    findings += _sla_findings(document, file)
    for path, problem in sorted(_unusable(data, []), key=lambda found: document.line_of(found[0]) or 0):
        where = "/".join(map(str, path)) or "(top level)"
        findings.append(Finding("ODCS008", f"{where}: {problem}", file, document.line_of(path)))
    return findings


def _sla_findings(document: YamlDocument, file: str) -> list[Finding]:
    """ODCS008: a latency or freshness SLA whose value is not a number is never checked."""
    findings = []
    for s, sla in enumerate(listed(document.data.get("slaProperties"))):
        if not isinstance(sla, dict) or str(sla.get("property", "")).lower() not in ("latency", "freshness"):
            continue
        value = sla.get("value")
        if not is_number(value) and not _reported_apart(value):
            findings.append(
                Finding(
                    "ODCS008",
                    f"slaProperties/{s}: {sla.get('property')} value {_shown(value)} is not a number",
                    file,
                    document.line_of(["slaProperties", s, "value"]),
                )
            )
    return findings


def _object_findings(
    obj: dict[str, Any],
    o: int,
    context: tuple[list[str], list[dict[str, Any]]],
    document: YamlDocument,
    file: str,
    findings: list[Finding],
) -> int:
    """ODCS002, thresholds and sql rules of an object's own quality rules; returns how many rules it has."""
    names = {str(p.get("name")) for p in listed(obj.get("properties")) if isinstance(p, dict)}
    count = 0
    for q, rule in enumerate(listed(obj.get("quality"))):
        if not isinstance(rule, dict):
            continue
        count += 1
        where: list[str | int] = ["schema", o, "quality", q]
        findings += _threshold_findings(rule, where, document, file)
        findings += _sql_findings(rule, where, context, None, document, file)
        arguments = rule.get("arguments")
        for name in listed(arguments.get("properties") if isinstance(arguments, dict) else None):
            if str(name) not in names:
                findings.append(
                    Finding(
                        "ODCS002",
                        f"quality rule {_shown(rule.get('metric', rule.get('name', q)))} of {_shown(obj.get('name'))} "
                        f"names property {_shown(name)}, which the object does not have",
                        file,
                        document.line_of([*where, "arguments", "properties"]),
                    )
                )
    return count


def _property_findings(
    prop: dict[str, Any],
    where: list[str | int],
    context: tuple[list[str], list[dict[str, Any]]],
    document: YamlDocument,
    file: str,
    findings: list[Finding],
) -> int:
    """Thresholds, sql rules, ODCS003 ranges and ODCS004 personal data of a property; returns its rule count."""
    count = 0
    physical = prop.get("physicalName") or prop.get("name")
    for q, rule in enumerate(listed(prop.get("quality"))):
        if isinstance(rule, dict):
            count += 1
            findings += _threshold_findings(rule, [*where, "quality", q], document, file)
            findings += _sql_findings(rule, [*where, "quality", q], context, physical, document, file)
    options = prop.get("logicalTypeOptions") if isinstance(prop.get("logicalTypeOptions"), dict) else {}
    for low, high in (("minimum", "maximum"), ("minLength", "maxLength"), ("exclusiveMinimum", "exclusiveMaximum")):
        lo, hi = (options.get(low), options.get(high)) if options else (None, None)
        if is_number(lo) and is_number(hi) and lo > hi:
            findings.append(
                Finding(
                    "ODCS003",
                    f"property {_shown(prop.get('name'))}: {low} {lo} is above {high} {hi}",
                    file,
                    document.line_of([*where, "logicalTypeOptions"]),
                )
            )
    version = document.data.get("apiVersion")
    flags = isinstance(version, str) and version in LEGACY_VERSIONS  # v3.0.x: exclusive bounds are true/false
    for key in BOUNDS:
        value = options.get(key) if options else None
        numeric = prop.get("logicalType") in NUMBER_TYPES or key.endswith("Length")
        if flags and key.startswith("exclusive") and isinstance(value, bool):
            continue  # v3.0.x's flag making minimum/maximum strict, as its JSON Schema allows
        if value is not None and numeric and not is_number(value) and not _reported_apart(value):
            findings.append(
                Finding(
                    "ODCS008",
                    f"property {_shown(prop.get('name'))}: {key} {_shown(value)} is not a number",
                    file,
                    document.line_of([*where, "logicalTypeOptions", key]),
                )
            )
    findings += _personal_findings(prop, where, document, file)
    return count


def _personal_findings(
    prop: dict[str, Any], where: list[str | int], document: YamlDocument, file: str
) -> list[Finding]:
    """ODCS004 (a warning): a property, or one nested in it, that looks personal and is not classified so.

    What a protected property encloses is protected with it, so is not reported again.
    """
    classification = prop.get("classification")
    if protected_classification(classification):
        return []
    findings = []
    names = (str(prop.get(key)) for key in ("name", "physicalName") if prop.get(key) is not None)
    if personal_tags(prop.get("tags")) or any(map(personal_name, names)):
        findings.append(
            Finding(
                "ODCS004",
                f"property {_shown(prop.get('name'))} looks like personal data but is classified "
                f"{classification or 'not at all'}: classify it restricted, confidential or personal "
                "(check never shows its values meanwhile)",
                file,
                document.line_of(where),
                "warning",
            )
        )
    nested: list[tuple[Any, list[str | int]]] = [
        (child, [*where, "properties", c]) for c, child in enumerate(listed(prop.get("properties")))
    ]
    nested.append((prop.get("items"), [*where, "items"]))
    for member, place in nested:
        if isinstance(member, dict):
            findings += _personal_findings(member, place, document, file)
    return findings


def _server_findings(server: dict[str, Any], where: list[str | int], doc: YamlDocument, file: str) -> list[Finding]:
    findings = []
    for key, value in server.items():
        if isinstance(value, str) and URL_WITH_PASSWORD.search(value):
            findings.append(
                Finding(
                    "ODCS005",
                    f"server {_shown(server.get('server'))}: {key} embeds a password; "
                    "name an environment variable instead",
                    file,
                    doc.line_of([*where, key]),
                )
            )
        elif SECRET_KEY.search(str(key)) and not (isinstance(value, str) and ENV_NAME.fullmatch(value)):
            findings.append(
                Finding(
                    "ODCS005",
                    f"server {_shown(server.get('server'))}: {key} holds a literal value; "
                    "reference credentials by environment variable name only",
                    file,
                    doc.line_of([*where, key]),
                )
            )
    return findings


def load_contract(path: Path) -> YamlDocument:
    """Read a contract whose top level is a mapping; raise ``InputError`` otherwise."""
    document = load_yaml(path, "data contract", timestamps=False)  # ODCS dates are strings
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else f"a {type(document.data).__name__}"
        raise InputError(
            path,
            f"the data contract is {kind}, not a mapping",
            "write an ODCS v3.1.0 contract (apiVersion, kind, id, ...)",
            line=1,
        )
    return document


def lint_document(document: YamlDocument, file: str) -> list[Finding]:
    """All findings for a loaded contract (``file`` is how findings name it)."""
    return schema_findings(document, file) + semantic_findings(document, file)


def lint_contract(path: Path, root: Path | None = None) -> list[Finding]:
    """All findings for one contract file. Raises ``InputError`` if it cannot be read as YAML."""
    return lint_document(load_contract(path), display_path(path, root))
