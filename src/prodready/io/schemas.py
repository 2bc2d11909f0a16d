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


def schema_errors(name: str, data: Any) -> list[tuple[list[str | int], str]]:
    """Every violation as (path into the document, message), sorted by path."""
    found = [(list(error.instance_path), str(error.message)) for error in validator(name).iter_errors(data)]
    return sorted(found, key=lambda item: [str(part) for part in item[0]])
