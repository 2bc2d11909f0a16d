"""JSON Schema validation of the files prodready reads, with paths for line numbers.

The schemas are bundled in ``prodready/schemas``: the ODCS v3.1.0 schema as the
standard publishes it, and prodready's own for monitoring.yaml. Validation uses
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

SCHEMAS = {"odcs": "odcs-3.1.0.schema.json", "monitoring": "monitoring.schema.json"}


@cache
def validator(name: str) -> Any:
    """The compiled validator of a bundled schema (built once per process)."""
    text = resources.files("prodready.io.jsonschemas").joinpath(SCHEMAS[name]).read_text(encoding="utf-8")
    return jsonschema_rs.validator_for(json.loads(text))


def jsonable(value: Any) -> Any:
    """YAML data as JSON Schema validators take it: dates as ISO text, keys as text, floats finite.

    YAML has more than JSON: dates, binary, non-text keys, NaN and infinities. The schema
    validator refuses those with an exception; as text they are validated like any
    other value (a date where a string is expected passes, as it should).
    """
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return [jsonable(item) for item in sorted(value, key=str)]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def schema_errors(name: str, data: Any) -> list[tuple[list[str | int], str]]:
    """Every violation as (path into the document, message), sorted by path."""
    found = [(list(error.instance_path), str(error.message)) for error in validator(name).iter_errors(jsonable(data))]
    return sorted(found, key=lambda item: [str(part) for part in item[0]])
