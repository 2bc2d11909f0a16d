"""Lint ODCS v3.1.0 data contracts: the standard's JSON Schema, then semantic rules.

The schema is the standard's published JSON Schema, bundled unmodified in
``prodready/io/jsonschemas`` (not a hand-copied subset), so a contract that lints here is a
contract every ODCS tool accepts. The semantic rules catch what a schema cannot: a
quality rule naming a property that does not exist, thresholds that contradict each
other, personal data left unclassified, a password typed into a server block.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io.schemas import schema_errors
from ..io.yamlio import YamlDocument, load_yaml
from ..results import Finding, display_path
from .model import PERSONAL_TAGS, PROTECTED_CLASSES

CONTRACT_SUFFIXES = (".odcs.yaml", ".odcs.yml")
PERSONAL_NAME = re.compile(
    r"(^|_)(e_?mail|phone|mobile|first_?name|last_?name|full_?name|surname|address|postcode|zip_?code|"
    r"ssn|passport|birth_?date|date_of_birth|dob|national_id|iban|ip_address)($|_)",
    re.IGNORECASE,
)
SECRET_KEY = re.compile(r"(password|passwd|secret|token|api_?key|access_?key|private_?key|credential)", re.IGNORECASE)
ENV_NAME = re.compile(r"\$\{?[A-Z_][A-Z0-9_]*\}?|[A-Z_][A-Z0-9_]*")
URL_WITH_PASSWORD = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
MAX_SCHEMA_FINDINGS = 25


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
    """ODCS001: every place the contract breaks the standard's JSON Schema."""
    findings: list[Finding] = []
    seen: set[tuple[str, int | None]] = set()
    for path, text in schema_errors("odcs", document.data):
        where = "/".join(map(str, path)) or "(top level)"
        message = f"{where}: {text}"
        line = document.line_of(path)
        if (message, line) not in seen:
            seen.add((message, line))
            findings.append(Finding("ODCS001", message, file, line))
    return findings[:MAX_SCHEMA_FINDINGS]


def _threshold_findings(rule: dict[str, Any], where: list[str | int], doc: YamlDocument, file: str) -> list[Finding]:
    findings = []
    line = doc.line_of(where)
    for key in ("mustBeBetween", "mustNotBeBetween"):
        bounds = rule.get(key)
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, int | float) for b in bounds)):
            continue
        if bounds[0] >= bounds[1]:
            findings.append(Finding("ODCS003", f"{key} {bounds} has its smaller number last", file, line))
    if rule.get("unit") == "percent":
        for key, value in rule.items():
            if key.startswith("must") and isinstance(value, int | float) and not 0 <= value <= 100:
                findings.append(Finding("ODCS003", f"{key}: {value} is not a percentage (0 to 100)", file, line))
    return findings


def semantic_findings(document: YamlDocument, file: str) -> list[Finding]:
    """ODCS002-ODCS006: rules about meaning, on a contract that parsed as a mapping."""
    data = document.data
    findings: list[Finding] = []
    schema = data.get("schema") if isinstance(data.get("schema"), list) else []
    rule_count = 0
    for o, obj in enumerate(schema):
        if not isinstance(obj, dict):
            continue
        rule_count += _object_findings(obj, o, document, file, findings)
        for p, prop in enumerate(obj.get("properties") or []):
            if isinstance(prop, dict):
                rule_count += _property_findings(prop, ["schema", o, "properties", p], document, file, findings)
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
    for s, server in enumerate(data.get("servers") or []):
        if isinstance(server, dict):
            findings += _server_findings(server, ["servers", s], document, file)
    return findings


def _object_findings(obj: dict[str, Any], o: int, document: YamlDocument, file: str, findings: list[Finding]) -> int:
    """ODCS002 and thresholds for an object's own quality rules; returns how many rules it has."""
    names = {p.get("name") for p in obj.get("properties") or [] if isinstance(p, dict)}
    count = 0
    for q, rule in enumerate(obj.get("quality") or []):
        if not isinstance(rule, dict):
            continue
        count += 1
        where: list[str | int] = ["schema", o, "quality", q]
        findings += _threshold_findings(rule, where, document, file)
        arguments = rule.get("arguments")
        for name in (arguments.get("properties") if isinstance(arguments, dict) else None) or []:
            if name not in names:
                findings.append(
                    Finding(
                        "ODCS002",
                        f"quality rule {rule.get('metric', rule.get('name', q))!r} of {obj.get('name')!r} "
                        f"names property {name!r}, which the object does not have",
                        file,
                        document.line_of([*where, "arguments", "properties"]),
                    )
                )
    return count


def _property_findings(
    prop: dict[str, Any], where: list[str | int], document: YamlDocument, file: str, findings: list[Finding]
) -> int:
    """Thresholds, ODCS003 ranges and ODCS004 personal data of a property; returns its rule count."""
    count = 0
    for q, rule in enumerate(prop.get("quality") or []):
        if isinstance(rule, dict):
            count += 1
            findings += _threshold_findings(rule, [*where, "quality", q], document, file)
    options = prop.get("logicalTypeOptions") if isinstance(prop.get("logicalTypeOptions"), dict) else {}
    for low, high in (("minimum", "maximum"), ("minLength", "maxLength"), ("exclusiveMinimum", "exclusiveMaximum")):
        lo, hi = (options.get(low), options.get(high)) if options else (None, None)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            findings.append(
                Finding(
                    "ODCS003",
                    f"property {prop.get('name')!r}: {low} {lo} is above {high} {hi}",
                    file,
                    document.line_of([*where, "logicalTypeOptions"]),
                )
            )
    tags = {str(t).lower() for t in prop.get("tags") or []}
    personal = bool(tags & PERSONAL_TAGS) or bool(PERSONAL_NAME.search(str(prop.get("name", ""))))
    classification = str(prop.get("classification") or "").lower()
    if personal and classification not in PROTECTED_CLASSES:
        findings.append(
            Finding(
                "ODCS004",
                f"property {prop.get('name')!r} looks like personal data but is classified "
                f"{classification or 'not at all'}: classify it restricted, confidential or personal",
                file,
                document.line_of(where),
            )
        )
    return count


def _server_findings(server: dict[str, Any], where: list[str | int], doc: YamlDocument, file: str) -> list[Finding]:
    findings = []
    for key, value in server.items():
        if isinstance(value, str) and URL_WITH_PASSWORD.search(value):
            findings.append(
                Finding(
                    "ODCS005",
                    f"server {server.get('server')!r}: {key} embeds a password; name an environment variable instead",
                    file,
                    doc.line_of([*where, key]),
                )
            )
        elif SECRET_KEY.search(str(key)) and not (isinstance(value, str) and ENV_NAME.fullmatch(value)):
            findings.append(
                Finding(
                    "ODCS005",
                    f"server {server.get('server')!r}: {key} holds a literal value; "
                    "reference credentials by environment variable name only",
                    file,
                    doc.line_of([*where, key]),
                )
            )
    return findings


def load_contract(path: Path) -> YamlDocument:
    """Read a contract whose top level is a mapping; raise ``InputError`` otherwise."""
    document = load_yaml(path, "data contract")
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
