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
