"""The questionnaire as cookiecutter.json declares it: answer keys and choice lists.

cookiecutter.json is the one source of the questions (copier.yml is generated from
it). The answer rules read the choices from it instead of keeping copies, so adding a
choice is one edit. The file sits at the checkout's root, or beside the package in the
wheel (``prodready/_template``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (
    _HERE.parents[2] / "cookiecutter.json",  # a checkout: src/prodready/core -> root
    _HERE.parent / "_template" / "cookiecutter.json",  # the wheel: prodready/_template
)


@cache
def questionnaire() -> dict[str, Any]:
    """cookiecutter.json, parsed once."""
    for candidate in _CANDIDATES:
        if candidate.is_file():
            data: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))
            return data
    raise FileNotFoundError("cookiecutter.json is neither in the checkout nor in the wheel's _template")


def answer_keys() -> list[str]:
    """Every answer, in questionnaire order (cookiecutter's private keys left out)."""
    return [key for key in questionnaire() if not key.startswith("_")]


def choices(key: str) -> tuple[str, ...]:
    """The choices of a choice question, as cookiecutter offers them (the first is the default)."""
    value = questionnaire()[key]
    if not isinstance(value, list):
        raise KeyError(f"{key} is not a choice question in cookiecutter.json")
    return tuple(str(choice) for choice in value)


#: Generation inputs that are not questions: the extract (or table) of the primary data
#: set the contract is inferred from, by answers-file key, with the environment variable
#: that carries it to the generators' rendering. No generator records them (a local path
#: or a URL with a password has no place in a POC's answers file); the interactive
#: questionnaire does not ask them.
GENERATION_INPUTS = {
    "primary_dataset_sample": "PRODREADY_SAMPLE",
    "primary_dataset_sample_table": "PRODREADY_SAMPLE_TABLE",
}
