"""Read YAML so that every later finding can point at a file and a line.

PyYAML's composer keeps each node's start mark; walking the node tree alongside the
constructed data gives the line of any value by its path (the same path
``jsonschema`` reports in ``error.absolute_path``). Reading refuses, with an
``InputError``, what no YAML tool should be fed: missing, binary, oversized and
undecodable files, and documents that do not parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

#: libyaml's C parser when PyYAML has it (ten times faster, same marks and results).
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Configuration files are small; a multi-megabyte "YAML" file is a mistake or an attack.
MAX_BYTES = 5 * 1024 * 1024

PathKey = str | int


@dataclass
class YamlDocument:
    """Parsed YAML data plus the line (1-based) of every node, by path."""

    path: Path
    data: Any
    lines: dict[tuple[PathKey, ...], int] = field(default_factory=dict)

    def line_of(self, where: Sequence[PathKey]) -> int | None:
        """The line of the deepest node on ``where`` that exists (a missing key's parent)."""
        key = tuple(where)
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key)


def _index(node: yaml.Node, prefix: tuple[PathKey, ...], lines: dict[tuple[PathKey, ...], int]) -> None:
    lines[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key: PathKey = key_node.value
                _index(value_node, (*prefix, key), lines)
                # A finding about a key points at the key's line, not its value's.
                lines[(*prefix, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index(item, (*prefix, position), lines)


def read_text(path: Path, what: str = "file") -> str:
    """Read a small UTF-8 text file or raise an ``InputError`` saying why not."""
    if path.is_symlink() and not path.exists():
        raise InputError(path, f"the {what} is a broken symbolic link", "point the link at a real file or replace it")
    if not path.exists():
        raise InputError(path, f"the {what} does not exist", "check the path, or create the file")
    if path.is_dir():
        raise InputError(path, f"the {what} is a directory", "name a file inside it")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"the {what} is {size} bytes, over the {MAX_BYTES}-byte limit", "use a smaller file")
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"the {what} cannot be read ({error.strerror})", "check its permissions") from error
    if b"\x00" in raw:
        raise InputError(path, f"the {what} is binary, not text", "name the YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(path, "the file is not valid UTF-8", "save it as UTF-8", line=line) from error


def load_yaml(path: Path, what: str = "file") -> YamlDocument:
    """Parse one YAML document, keeping line numbers; raise ``InputError`` on bad input."""
    text = read_text(path, what)
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(
            path,
            f"invalid YAML: {problem}",
            "correct the YAML syntax at that place (quote values containing ': ' or '#')",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from error
    except yaml.YAMLError as error:
        raise InputError(path, f"invalid YAML: {error}", "correct the YAML syntax") from error
    finally:
        loader.dispose()
    document = YamlDocument(path, data)
    if node is not None:
        _index(node, (), document.lines)
    return document


def require_mapping(document: YamlDocument, what: str) -> dict[str, Any]:
    """The document's top level as a mapping, or an ``InputError`` naming what it is instead."""
    if not isinstance(document.data, dict):
        kind = "empty" if document.data is None else type(document.data).__name__
        raise InputError(
            document.path,
            f"the {what} is {kind}, not a mapping of keys to values",
            f"write the {what} as 'key: value' lines",
            line=1,
        )
    return document.data
