"""Read YAML so that every later finding can point at a file and a line.

PyYAML's composer keeps each node's start mark; walking the node tree alongside the
constructed data gives the line of any value by its path (the same path
``jsonschema`` reports in ``error.absolute_path``). Reading refuses, with an
``InputError``, what no YAML tool should be fed: missing, binary, oversized and
undecodable files, documents that do not parse, values that cannot be constructed
(``2026-02-30``, a 5,000-digit integer), and documents whose aliases expand past a
budget of nodes or nest past a depth: a 1 KB "billion laughs" file must not take an
audit of a thousand repositories down with it.

Data contracts are read with ``timestamps=False``: YAML 1.1 turns an unquoted
``2022-10-03`` or ``2024-05-01T10:00:00Z`` into a date, but ODCS types those values as
strings, so a contract keeps them as the text its author wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    import yaml

#: Configuration files are small; a multi-megabyte "YAML" file is a mistake or an attack.
MAX_BYTES = 5 * 1024 * 1024
#: Nodes a document may hold once its aliases are expanded (a large contract has ~20,000).
MAX_NODES = 250_000
#: Nesting a document may reach (a contract's nested properties go a dozen levels deep).
MAX_DEPTH = 64

PathKey = str | int


@cache
def _loader(timestamps: bool) -> type[yaml.SafeLoader]:
    """libyaml's C parser when PyYAML has it (ten times faster, same marks and results).

    Without ``timestamps``, a subclass that leaves YAML timestamps as the text written
    (what JSON-based standards expect). PyYAML is imported here, on the first document
    read, not with this module: a command that reads no YAML does not load it.
    """
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if timestamps:
        return loader

    class TextTimestampLoader(loader):  # type: ignore[valid-type,misc]
        """The loader with YAML timestamps left as the text written."""

    TextTimestampLoader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_yaml_str)
    return TextTimestampLoader


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


def read_text(path: Path, what: str = "file") -> str:
    """Read a small UTF-8 text file or raise an ``InputError`` saying why not."""
    if path.is_symlink() and not path.exists():
        raise InputError(path, f"the {what} is a broken symbolic link", "point the link at a real file or replace it")
    if not path.exists():
        raise InputError(path, f"the {what} does not exist", "check the path, or create the file")
    if path.is_dir():
        raise InputError(path, f"the {what} is a directory", "name a file inside it")
    if not path.is_file():
        raise InputError(path, f"the {what} is not a regular file (a FIFO or device?)", "name a regular file")
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


def _over_budget(node: yaml.Node, count: int, depth: int, path: Path) -> InputError | None:
    """The refusal of a graph past ``MAX_NODES`` values or ``MAX_DEPTH`` levels, at ``node`` (None: within)."""
    if count <= MAX_NODES and depth <= MAX_DEPTH:
        return None
    problem = (
        (f"the document expands to more than {MAX_NODES:,} values (aliases inside aliases?)", "write them out")
        if count > MAX_NODES
        else (f"the document nests deeper than {MAX_DEPTH} levels", "flatten the structure")
    )
    return InputError(path, *problem, line=node.start_mark.line + 1)


def _counted(root: yaml.Node, count: int, depth: int, path: Path) -> int:
    """``count`` plus the values under ``root`` (aliases expanded), refusing a graph past the budget."""
    import yaml

    stack = [(root, depth)]
    while stack:
        node, level = stack.pop()
        count += 1
        refusal = _over_budget(node, count, level, path)
        if refusal is not None:
            raise refusal
        if isinstance(node, yaml.MappingNode):
            stack += [(n, level + 1) for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, level + 1) for item in node.value]
    return count


#: The tags built here without PyYAML's constructor: plain text, mappings and sequences.
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _construct(loader: Any, root: yaml.Node, path: Path) -> tuple[Any, dict[tuple[PathKey, ...], int]]:
    """The data of a node graph and the line (1-based) of every node by its path, in one walk.

    The walk counts every value, each time an alias reaches it (the expanded size, what
    any consumer would traverse), and stops past ``MAX_NODES`` or ``MAX_DEPTH``: an
    alias bomb is refused after a quarter of a million values, not built. Text,
    mappings and sequences, most of a configuration file, are built here directly (an
    audit reads some twenty files per repository, a portfolio a thousand repositories);
    every other node (numbers, booleans, null, dates, sets, a tag the safe loader
    refuses) goes through the loader's own constructor, after its own graph is counted,
    so the result, and every refusal, is PyYAML's. A finding about a key points at the
    key's line, not its value's.
    """
    import yaml

    lines: dict[tuple[PathKey, ...], int] = {}
    count = 0

    def build(node: yaml.Node, depth: int, at: tuple[PathKey, ...] | None) -> Any:
        nonlocal count
        count += 1
        refusal = _over_budget(node, count, depth, path)
        if refusal is not None:
            raise refusal
        if at is not None:
            lines.setdefault(at, node.start_mark.line + 1)
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)
            result = {}
            for key_node, value_node in node.value:
                key = build(key_node, depth + 1, None)
                if isinstance(key, dict | list):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    )
                inner = None
                if at is not None and isinstance(key_node, yaml.ScalarNode):
                    inner = (*at, key_node.value)
                    lines[inner] = key_node.start_mark.line + 1
                result[key] = build(value_node, depth + 1, inner)
            return result
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [build(item, depth + 1, None if at is None else (*at, i)) for i, item in enumerate(node.value)]
        if not isinstance(node, yaml.ScalarNode):
            count = _counted(node, count, depth, path) - 1  # this node is counted already
        return loader.construct_object(node, deep=True)

    return build(root, 1, ()), lines


def _unreadable_line(loader: Any, root: yaml.Node) -> int | None:
    """The line of the first scalar that cannot be constructed (the graph is within budget)."""
    import yaml

    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.MappingNode):
            stack += [n for pair in reversed(node.value) for n in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return None


def _syntax_error(path: Path, error: yaml.MarkedYAMLError) -> InputError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    return InputError(
        path,
        f"invalid YAML: {problem}",
        "correct the YAML syntax at that place (quote values containing ': ' or '#')",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def load_yaml(path: Path, what: str = "file", *, timestamps: bool = True) -> YamlDocument:
    """Read and parse one YAML file, keeping line numbers; raise ``InputError`` on bad input.

    With ``timestamps=False`` unquoted dates and timestamps stay the text written.
    """
    return parse_yaml(read_text(path, what), path, timestamps=timestamps)


def parse_yaml(text: str, path: Path, *, timestamps: bool = True) -> YamlDocument:
    """Parse one YAML document already read from ``path``, with the same budgets and errors."""
    import yaml

    loader = _loader(timestamps)(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            raise _syntax_error(path, error) from error
        except (yaml.YAMLError, RecursionError) as error:
            raise InputError(path, f"invalid YAML: {error}", "correct the YAML syntax") from error
        if node is None:
            return YamlDocument(path, None)
        try:
            data, lines = _construct(loader, node, path)
        except yaml.MarkedYAMLError as error:
            raise _syntax_error(path, error) from error
        except (ValueError, TypeError, OverflowError, yaml.YAMLError) as error:
            _counted(node, 0, 1, path)  # the whole graph within budget before it is searched for the culprit
            raise InputError(
                path,
                f"a value cannot be read ({str(error).split(';')[0]})",
                "quote it if it is text (an impossible date such as 2026-02-30, a huge number), or correct it",
                line=_unreadable_line(loader, node),
            ) from error
    finally:
        loader.dispose()
    return YamlDocument(path, data, lines)


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
