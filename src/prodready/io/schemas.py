"""JSON Schema validation of the files prodready reads, with paths for line numbers.

The schemas are bundled in ``prodready/io/jsonschemas``: the ODCS JSON Schema of each
published apiVersion, byte for byte as the standard publishes it (sources and checksums
in its NOTICE), and prodready's own for monitoring.yaml. A contract is validated against
the schema of its own ``apiVersion``, as its authors wrote it. Validation uses
jsonschema-rs, which implements the 2019-09 and 2020-12 drafts the schemas use
(``unevaluatedProperties`` included) about a hundred times faster than the pure-Python
implementation: a portfolio audit of a thousand repositories validates a thousand
contracts.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

#: The ODCS apiVersions whose official JSON Schema is bundled, oldest first; the last is the newest.
ODCS_VERSIONS = ("v3.0.0", "v3.0.1", "v3.0.2", "v3.1.0")
#: Bundled schemas by name: ``odcs`` is the newest ODCS version (what prodready writes),
#: ``odcs-v3.0.2`` and the like are each version's own.
SCHEMAS = {
    "odcs": f"odcs-{ODCS_VERSIONS[-1][1:]}.schema.json",
    **{f"odcs-{version}": f"odcs-{version[1:]}.schema.json" for version in ODCS_VERSIONS},
    "monitoring": "monitoring.schema.json",
    "evaluation": "evaluation.schema.json",
}


def odcs_schema(api_version: Any) -> str | None:
    """The name of the bundled schema of an ODCS ``apiVersion`` (``odcs-v3.0.2``), or None if none is bundled."""
    name = f"odcs-{api_version}" if isinstance(api_version, str) else ""
    return name if name in SCHEMAS and name != "odcs" else None


@cache
def schema_document(name: str) -> dict[str, Any]:
    """A bundled schema as parsed JSON (read once per process)."""
    text = resources.files("prodready.io.jsonschemas").joinpath(SCHEMAS[name]).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def validator(name: str) -> Any:
    """The compiled validator of a bundled schema (built once per process)."""
    return jsonschema_rs.validator_for(schema_document(name))


def jsonable(value: Any) -> Any:
    """YAML data as JSON Schema validators take it: keys as text, dates as ISO text, sets as lists.

    YAML has more than JSON: dates, sets, binary, non-text keys, NaN and infinities. The
    validator refuses those with an exception; as text a date is validated like any other
    value (a date where a string is expected passes, as it should), and a value JSON has
    no form for (``!!binary``) becomes its type's name, which no schema takes for data.
    """
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [jsonable(item) for item in items]
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return f"<{type(value).__name__}>"


def schema_errors(name: str, data: Any) -> list[tuple[list[str | int], str]]:
    """Every violation as (path into the document, message), sorted by path."""
    found = [(list(error.instance_path), str(error.message)) for error in validator(name).iter_errors(jsonable(data))]
    return sorted(found, key=lambda item: [str(part) for part in item[0]])
