"""Every DuckDB check the suite runs in process, written both ways and compared.

``data.build`` writes DuckDB's SQL as text (``TextSQL``) so that a check need not
import sqlglot, and promises the very text sqlglot writes (``TreeSQL``). ``PairedSQL``
keeps that promise honest: each expression is built by both, and every query and
every rendered expression must be the same text character by character before it
runs. ``conftest.py`` puts it in place for the whole suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prodready.data.build import TextSQL
from prodready.data.sql import TreeSQL


@dataclass(frozen=True)
class Pair:
    text: Any
    tree: Any


def _side(value: Any, side: str) -> Any:
    if isinstance(value, Pair):
        return getattr(value, side)
    if type(value) in (list, tuple):
        return type(value)(_side(v, side) for v in value)
    return value


class _Recorder:
    """An engine that records the query it is given instead of running it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.queries: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def query(self, sql: str, **_: Any) -> list[tuple[Any, ...]]:
        self.queries.append(sql)
        return []


class PairedSQL:
    """``TextSQL`` and ``TreeSQL("duckdb")`` side by side; any difference in their text fails."""

    dialect = "duckdb"

    def __init__(self) -> None:
        self.text, self.tree = TextSQL(), TreeSQL("duckdb")

    def __getattr__(self, name: str) -> Any:
        def both(*args: Any, **kwargs: Any) -> Pair:
            text = getattr(self.text, name)(*_side(args, "text"), **{k: _side(v, "text") for k, v in kwargs.items()})
            tree = getattr(self.tree, name)(*_side(args, "tree"), **{k: _side(v, "tree") for k, v in kwargs.items()})
            return Pair(text, tree)

        return both

    def adopt(self, tree: Any) -> Pair:
        return Pair(self.text.adopt(tree), self.tree.adopt(tree))

    def render(self, value: Pair) -> str:
        text, tree = self.text.render(value.text), self.tree.render(value.tree)
        assert text == tree, f"TextSQL wrote {text!r}, sqlglot {tree!r}"
        return text

    def run(self, engine: Any, relation: Any, query: Pair) -> list[tuple[Any, ...]]:
        written = _Recorder(engine)
        self.text.run(written, relation, query.text)
        self.tree.run(written, relation, query.tree)
        text, tree = written.queries
        assert text == tree, f"TextSQL wrote {text!r}, sqlglot {tree!r}"
        return engine.query(text)
