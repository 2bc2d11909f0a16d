"""Escape answer values for the file they land in, so any string round-trips exactly.

A POC's owner is called "O'Brien: Data & AI", its KPI text has a newline and a ``{{``,
its description is in Japanese. Each of those must come back out of the generated
YAML, TOML, Markdown and workflow files byte for byte, and none of them may change the
structure of the file it lands in. These functions are the template's Jinja filters
(registered by ``hooks/prodready_jinja.py`` for cookiecutter and copier alike).

Standard library only, like ``answers``: the template loads this file by path.
"""

from __future__ import annotations

import re

__all__ = ["gha_str", "md", "path_component", "table_cells", "toml_str", "yaml_str"]

_YAML_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def _yaml_printable(code: int) -> bool:
    # YAML 1.1 and 1.2 printable set, minus the characters YAML treats as line breaks
    # (NEL, LS, PS) and the byte-order mark, which a reader may strip.
    return (
        0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    )


def yaml_str(value: object) -> str:
    """A YAML double-quoted scalar holding exactly ``value``."""
    out = ['"']
    for char in str(value):
        code = ord(char)
        if char in _YAML_NAMED:
            out.append(_YAML_NAMED[char])
        elif _yaml_printable(code):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:  # pragma: no cover - every astral code point is printable
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_TOML_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def toml_str(value: object) -> str:
    """A TOML basic string holding exactly ``value``."""
    out = ['"']
    for char in str(value):
        code = ord(char)
        if char in _TOML_NAMED:
            out.append(_TOML_NAMED[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


# Punctuation that can open or close CommonMark/GFM syntax anywhere in a line: code,
# emphasis, links and images, autolinks and HTML, tables, strikethrough, escapes.
_MD_ANYWHERE = frozenset("\\`*[<|~")
# Punctuation that only means something at the start of a line: headings, lists,
# block quotes, setext underlines.
_MD_LINE_START = frozenset("#-+=>")
# "&copy;" and "&#10;" are character references; a lone "&" is just an ampersand.
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# "1." or "12)" at the start of a line opens an ordered list.
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def md(value: object) -> str:
    """Inline Markdown text that renders as exactly ``value`` and still reads as plain text.

    Only what the position needs is escaped: characters that open syntax anywhere
    (backticks, ``*``, ``[``, ``<``, ``|``, ``~``, a backslash), an ``_`` at a word edge,
    an ``&`` that would read as a character reference, and at the start of the value a
    heading, list or quote marker. Whitespace at the edge of a line, which Markdown
    would strip, becomes character references; a line break becomes ``<br>``, so the
    value stays one inline run that works in a paragraph, a heading or a table cell.
    """
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "<br>".join(_md_line(line, first=number == 0) for number, line in enumerate(lines))
    # A line that starts with "<br>" would open an HTML block; a character reference
    # for the first line break keeps the value inline.
    return "&#10;" + text[4:] if text.startswith("<br>") else text


def _md_line(line: str, *, first: bool) -> str:
    # Markdown trims every kind of whitespace (NBSP included) at the edge of a line.
    body = line.strip()
    lead = line[: len(line) - len(line.lstrip())]
    trail = line[len(lead) + len(body) :]
    out: list[str] = []
    for index, char in enumerate(body):
        before = body[index - 1] if index else " "
        after = body[index + 1] if index + 1 < len(body) else " "
        if char in _MD_ANYWHERE or (char == "_" and not (before.isalnum() and after.isalnum())):
            out.append("\\" + char)
        elif char == "&" and _MD_ENTITY.match(body, index):
            out.append("\\&")
        elif char == "\t":
            out.append("&#9;")
        else:
            out.append(char)
    escaped = "".join(out)
    if first and not lead:
        escaped = _MD_ORDERED.sub(r"\1\\\2", escaped)
        if escaped[:1] in _MD_LINE_START:
            escaped = "\\" + escaped
    return _md_references(lead) + escaped + _md_references(trail)


def _md_references(run: str) -> str:
    return "".join(f"&#{ord(char)};" for char in run)


def gha_str(value: object) -> str:
    """A YAML scalar for a GitHub Actions workflow, where ``${{`` starts an expression.

    Each ``${{`` is written as the expression ``${{ '${{' }}``, which GitHub evaluates to
    the literal text, so an answer can never inject an expression into a workflow.
    """
    return yaml_str(str(value).replace("${{", "${{ '${{' }}"))


def path_component(value: object) -> str:
    """A name that stays one directory inside the output directory.

    The project directory is created from the slug before the pre-generation hook runs
    (and refuses an unsafe slug); this keeps even a refused ``../x`` or ``a/b`` from
    creating anything outside, or nested inside, the output directory. Valid slugs pass
    through unchanged.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(value)).strip(".-")
    return name or "refused-project"


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_cells(row: str) -> list[str]:
    """The cells of one pipe-table row, read back as ``md`` escapes them.

    Outer pipes are dropped, the row is split at each ``|`` that is not escaped, and an
    escaped ``\\|`` is read back as ``|``: the audit reads the tables the template wrote.
    """
    text = row.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(text)]
