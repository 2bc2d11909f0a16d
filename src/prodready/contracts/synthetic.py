"""A synthetic sample that a contract accepts, never a copy of the data it was inferred from.

A POC commits a small sample so its checks run from the first push; a copy of a real
extract would put customers' e-mails and messages into git. The sample is made from the
contract alone (types, required, unique, ranges, lengths, valid values, patterns), with a
seeded generator, so the same contract always gives the same file. Protected columns
(classification restricted/confidential, or personal data) get values that are plainly
made up (``person-7@example.invalid``, ``synthetic text 7``): nothing in the sample can be
a value of the extract, because the extract is never read here.

Nested columns (object, array) cannot be held by a CSV file; they are refused.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..errors import InputError
from .model import is_number, is_protected, listed, mapping

#: Rows in a sample: enough for every check to mean something, small enough to read.
ROWS = 30
#: The seed of the generator: the same contract gives the same sample, run after run.
SEED = 14
#: An e-mail pattern (the one the template's contracts declare): values follow it.
EMAIL = re.compile(r"e_?mail", re.IGNORECASE)
#: Dates and timestamps start here and step forward, so they read as a recent window.
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
STEP = timedelta(hours=7, minutes=13)
#: Letters for short codes, so a text value never reads as a number, a date or a boolean.
LETTERS = "abcdeghjkmpqrsuvwxz"


def _options(prop: dict[str, Any]) -> dict[str, Any]:
    return mapping(prop.get("logicalTypeOptions"))


def valid_values(prop: dict[str, Any]) -> list[Any]:
    """The values an invalidValues rule of the property allows ([] when it has none)."""
    for rule in map(mapping, listed(prop.get("quality"))):
        if rule.get("metric") == "invalidValues":
            allowed = listed(mapping(rule.get("arguments")).get("validValues"))
            if allowed:
                return allowed
    return []


def _code(index: int, width: int) -> str:
    """The ``index``-th short code of at most ``width`` letters (a, b, ..., aa, ab, ...)."""
    base, text = len(LETTERS), ""
    index += 1
    while index:
        index, rest = divmod(index - 1, base)
        text = LETTERS[rest] + text
    return text[-width:] if width > 0 else text


def capacity(prop: dict[str, Any]) -> int | None:
    """How many distinct values the property can hold (None: more than a sample needs)."""
    allowed = valid_values(prop)
    if allowed:
        return len(allowed)
    options = _options(prop)
    kind = prop.get("logicalType")
    if kind == "integer" and is_number(options.get("minimum")) and is_number(options.get("maximum")):
        return int(options["maximum"]) - int(options["minimum"]) + 1
    if kind == "boolean":
        return 2
    if kind in (None, "string") and is_number(options.get("maxLength")):
        return len(LETTERS) ** int(options["maxLength"]) if options["maxLength"] < 4 else None
    return None


def _text(prop: dict[str, Any], index: int) -> str:
    """A made-up text that fits the property's lengths and, for an e-mail, its shape."""
    options = _options(prop)
    name = str(prop.get("name") or "value")
    longest = int(options["maxLength"]) if is_number(options.get("maxLength")) else 4000
    shortest = int(options["minLength"]) if is_number(options.get("minLength")) else 1
    number = index + 1
    if EMAIL.search(name) or options.get("format") == "email" or "@" in str(options.get("pattern", "")):
        candidates = [f"person-{number}@example.invalid", f"p{number}@example.invalid", f"p{number}@x.invalid"]
    elif is_protected(prop):
        candidates = [f"synthetic text {number}", f"synthetic {number}"]
    else:
        stem = re.sub(r"[^a-z]+", "-", name.lower()).strip("-") or "value"
        candidates = [f"{stem}-{_code(index, 8)}"]
    value = next((c for c in candidates if len(c) <= longest), _code(index, longest))
    return value.ljust(shortest, "x")


def _number(prop: dict[str, Any], index: int, rng: random.Random, unique: bool) -> str:
    """A number within the property's range: distinct steps when unique, else drawn at random."""
    options = _options(prop)
    low: float = options["minimum"] if is_number(options.get("minimum")) else 0
    high: float = options["maximum"] if is_number(options.get("maximum")) else max(low, 0) + 1000
    if prop.get("logicalType") == "integer":
        return str(int(low) + index) if unique else str(rng.randint(int(low), int(high)))
    value = low + (high - low) * (index + 1) / (ROWS + 1) if unique else rng.uniform(low, high)
    return repr(min(max(round(value, 2), low), high))


def _value(prop: dict[str, Any], index: int, rng: random.Random) -> str:
    """The property's value in row ``index``, as CSV text."""
    unique = prop.get("unique") is True or prop.get("primaryKey") is True
    allowed = valid_values(prop)
    if allowed:
        return str(allowed[index % len(allowed)] if unique else rng.choice(allowed))
    kind = prop.get("logicalType")
    if kind in ("integer", "number"):
        return _number(prop, index, rng, unique)
    if kind == "boolean":
        return "true" if (index % 2 if unique else rng.random() < 0.5) else "false"
    moment = START + STEP * index
    generators: dict[str, Callable[[], str]] = {
        "timestamp": lambda: moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": lambda: (date(2026, 1, 5) + timedelta(days=index)).isoformat(),
        "time": lambda: moment.strftime("%H:%M:%S"),
    }
    if kind in generators:
        return generators[kind]()
    return _text(prop, index)


def sample_rows(properties: list[dict[str, Any]], where: str, rows: int = ROWS, seed: int = SEED) -> list[list[str]]:
    """``rows`` rows (fewer when a unique column holds fewer distinct values) that the properties accept.

    An optional column is left empty in one row in seven, so the sample has the gaps real
    data has. ``where`` names the contract in errors.
    """
    for prop in properties:
        if prop.get("logicalType") in ("object", "array"):
            raise InputError(
                where,
                f"column {prop.get('name')!r} is nested ({prop.get('logicalType')}); a CSV sample cannot hold it",
                "give a flat extract (a CSV file, or a view that flattens the nested columns)",
            )
    limits = [capacity(p) for p in properties if p.get("unique") is True or p.get("primaryKey") is True]
    count = min([rows, *(limit for limit in limits if limit is not None)])
    if count < 1:
        raise InputError(where, "a unique column can hold no value", "widen the column's range or lengths")
    rng = random.Random(seed)
    table = []
    for index in range(count):
        row = []
        for prop in properties:
            optional = prop.get("required") is not True and prop.get("unique") is not True
            row.append("" if optional and index % 7 == 3 else _value(prop, index, rng))
        table.append(row)
    return table


def sample_csv(properties: list[dict[str, Any]], where: str, rows: int = ROWS, seed: int = SEED) -> str:
    """The synthetic sample as CSV text, with a header of the properties' physical names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(p.get("physicalName") or p.get("name")) for p in properties])
    writer.writerows(sample_rows(properties, where, rows, seed))
    return buffer.getvalue()
