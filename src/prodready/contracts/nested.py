"""Checks of nested data: an object's ``properties`` and an array's ``items``, at any depth.

Every nested check is a row predicate, so it joins the object's one aggregate scan like
any other (``Compiler.add``), counts rows, and finds its sample rows the same way. Inside
an array, a row violates a rule when one of its items does: DuckDB and Spark ask
``LIST_FILTER``/``FILTER`` for the violating items of the row's list, PostgreSQL asks
``EXISTS`` over ``json(b)_array_elements``. Results name the property by its path
(``customer.address.zip``, ``lines[].sku``).

Typed nested columns (DuckDB and Spark STRUCT, LIST, MAP) say what they hold: whether a
nested field exists and its type are decided from the column's type, before any query.
JSON columns (PostgreSQL ``json`` and ``jsonb``) hold anything, row by row: their types are
checked by ``json(b)_typeof`` in the scan, and a value of the wrong JSON type is never cast
(a failed cast's message would quote it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlglot import exp

from ..data.build import NUMERIC
from ..data.sql import as_text, column, is_null, not_null, number
from ..data.types import EngineType, conforms, parse_type, rows_decide_type
from .model import ZERO_ROWS, Property, QualityRule, Threshold

if TYPE_CHECKING:
    from .compile import Compiler

ITEMS = "[]"
Build = Callable[[exp.Expr, exp.Expr], exp.Expr]  # (parent, value) -> violation

#: A JSON string's shape for each temporal logicalType (JSON has no dates).
_TEMPORAL = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "timestamp": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$",
    "time": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
}
_JSON_TYPES = {"string": "string", "number": "number", "integer": "number", "boolean": "boolean"}
_JSON_TYPES |= {"object": "object", "array": "array", "date": "string", "timestamp": "string", "time": "string"}


def path_name(steps: list[str]) -> str:
    """``["lines", "[]", "sku"]`` as ``lines[].sku``."""
    text = ""
    for step in steps:
        text += step if step == ITEMS or not text else f".{step}"
    return text


class Reach(ABC):
    """How an engine's SQL reaches inside one column: members, items, and values as text or numbers."""

    dynamic = False

    @abstractmethod
    def member(self, node: exp.Expr, name: str) -> exp.Expr: ...

    @abstractmethod
    def some_item(self, array: exp.Expr, test: Callable[[exp.Expr], exp.Expr], depth: int) -> exp.Expr:
        """Whether an item of ``array`` passes ``test``: the predicate of a row with a violating item."""

    @abstractmethod
    def missing(self, node: exp.Expr) -> exp.Expr: ...

    @abstractmethod
    def text(self, node: exp.Expr) -> exp.Expr: ...

    @abstractmethod
    def number(self, node: exp.Expr) -> exp.Expr:
        """The value as a number, NULL when it is none."""

    def any_text(self, node: exp.Expr) -> exp.Expr:
        """Any value as text, whatever its type: what a list of valid values is compared with."""
        return self.text(node)


class TypedReach(Reach):
    """DuckDB and Spark STRUCT, LIST and MAP: ``node['name']``, and the violating items of a list."""

    def member(self, node: exp.Expr, name: str) -> exp.Expr:
        return exp.Bracket(this=node, expressions=[exp.Literal.string(name)])

    def some_item(self, array: exp.Expr, test: Callable[[exp.Expr], exp.Expr], depth: int) -> exp.Expr:
        item = exp.to_identifier(f"prodready_item_{depth}")
        chosen = exp.ArrayFilter(this=array, expression=exp.Lambda(this=test(exp.column(item)), expressions=[item]))
        return exp.GT(this=exp.ArraySize(this=chosen), expression=number(0))

    def missing(self, node: exp.Expr) -> exp.Expr:
        return is_null(node)

    def text(self, node: exp.Expr) -> exp.Expr:
        return as_text(node)

    def number(self, node: exp.Expr) -> exp.Expr:
        return node


class JsonReach(Reach):
    """PostgreSQL ``json`` or ``jsonb``: the same operations under each type's function names."""

    dynamic = True

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "json" or "jsonb": the prefix of every function

    def call(self, name: str, *args: exp.Expr) -> exp.Expr:
        return exp.Anonymous(this=f"{self.kind}_{name}", expressions=list(args))

    def typeof(self, node: exp.Expr) -> exp.Expr:
        return self.call("typeof", node)

    def is_type(self, node: exp.Expr, json_type: str) -> exp.Expr:
        return exp.EQ(this=self.typeof(node), expression=exp.Literal.string(json_type))

    def member(self, node: exp.Expr, name: str) -> exp.Expr:
        return self.call("extract_path", node, exp.Literal.string(name))

    def some_item(self, array: exp.Expr, test: Callable[[exp.Expr], exp.Expr], depth: int) -> exp.Expr:
        arrays_only = exp.Case(ifs=[exp.If(this=self.is_type(array.copy(), "array"), true=array.copy())])
        alias = exp.TableAlias(this=exp.to_identifier(f"prodready_items_{depth}"), columns=[exp.to_identifier("v")])
        item = exp.column("v", table=f"prodready_items_{depth}")
        rows = exp.Table(this=self.call("array_elements", arrays_only), alias=alias)
        return exp.Exists(this=exp.select("1").from_(rows).where(test(item)))

    def missing(self, node: exp.Expr) -> exp.Expr:
        return exp.or_(is_null(node.copy()), self.is_type(node.copy(), "null"))

    def scalar(self, node: exp.Expr, json_type: str, cast: str | None = None) -> exp.Expr:
        """The value as text (or cast) when it is of ``json_type``, else NULL."""
        value: exp.Expr = exp.JSONBExtractScalar(this=node.copy(), expression=exp.Literal.string("{}"))
        if cast:
            value = exp.Cast(this=value, to=exp.DataType.build(cast))
        return exp.Case(ifs=[exp.If(this=self.is_type(node.copy(), json_type), true=value)])

    def text(self, node: exp.Expr) -> exp.Expr:
        return self.scalar(node, "string")

    def any_text(self, node: exp.Expr) -> exp.Expr:
        return exp.JSONBExtractScalar(this=node, expression=exp.Literal.string("{}"))

    def number(self, node: exp.Expr) -> exp.Expr:
        return self.scalar(node, "number", "NUMERIC")

    def wrong_type(self, node: exp.Expr, logical: str, legacy: bool) -> exp.Expr:
        """A value present that is not ``logical`` (a key of ``_JSON_TYPES``; v3.0.x ``date``: any date or time)."""
        fits = self.is_type(node.copy(), _JSON_TYPES[logical])
        if logical == "integer":
            value = self.number(node.copy())
            fits = exp.and_(fits, exp.EQ(this=value, expression=exp.func("TRUNC", value.copy())))
        kinds = ["date", "timestamp", "time"] if legacy and logical == "date" else [logical]
        shapes = [_TEMPORAL[k] for k in kinds if k in _TEMPORAL]
        if shapes:
            text = self.text(node.copy())
            fits = exp.and_(
                fits, exp.or_(*(exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(s)) for s in shapes))
            )
        return exp.and_(exp.not_(self.missing(node.copy())), exp.not_(fits, copy=False))


def reach_for(engine_type: EngineType, dialect: str) -> Reach | None:
    """How to reach inside a column of this type on this engine; None when prodready cannot."""
    if rows_decide_type(engine_type, dialect):
        return JsonReach(engine_type.text.strip().lower())
    if (
        dialect in ("duckdb", "spark")
        and not engine_type.dynamic
        and (engine_type.fields or engine_type.items is not None)
    ):
        return TypedReach()
    return None


class NestedChecks:
    """The checks of what is nested in one top-level property, added to its object's compiler."""

    def __init__(self, compiler: Compiler, top: Property) -> None:
        self.compiler, self.top = compiler, top
        self.legacy = compiler.contract.legacy
        self.type = parse_type(compiler.columns[top.physical_name], compiler.engine.dialect)
        self.reach = reach_for(self.type, compiler.engine.dialect)

    def compile(self) -> None:
        if self.reach is None:
            for member in self.top.members:
                why = f"nested properties are not checked inside a {self.type.text} column on this engine"
                self.skipped(member, [member.physical_name], [member.name], "schema", why)
            return
        if isinstance(self.reach, JsonReach) and self.top.logical_type:
            self.json_type(self.top, [])
        self.descend(self.top, [], [], None if self.reach.dynamic else self.type)

    def label(self, names: list[str]) -> str:
        return path_name([self.top.name, *names])

    def walk(self, prop: Property, steps: list[str], names: list[str], engine_type: EngineType | None) -> None:
        """Check one nested property, then what is nested in it."""
        named = replace(prop, name=self.label(names))
        if not self.reach or not self.reach.dynamic:
            if engine_type is None:
                self.static(named, "field present", "schema", False, "missing", f"field {named.name!r} not in the data")
                return
            if prop.logical_type:
                fits = conforms(engine_type, prop.logical_type, string_format=_format(prop), legacy=self.legacy)
                message = "" if fits else f"type {engine_type.text} is not {prop.logical_type}"
                self.static(named, f"logicalType {prop.logical_type}", "logicalType", fits, engine_type.text, message)
            if engine_type.dynamic:
                return  # a JSON value inside a typed column: what is in it is not known here
        else:
            self.json_type(named, steps)
        self.values(named, steps, names, engine_type)
        self.descend(prop, steps, names, engine_type)

    def descend(self, prop: Property, steps: list[str], names: list[str], engine_type: EngineType | None) -> None:
        """Walk the children and the items of ``prop``, with the types the engine gives them (None: JSON)."""
        for child in prop.children:
            inner = engine_type.member(child.physical_name) if engine_type else None
            self.walk(child, [*steps, child.physical_name], [*names, child.name], inner)
        if prop.items:
            self.walk(prop.items, [*steps, ITEMS], [*names, ITEMS], engine_type.items if engine_type else None)

    def json_type(self, named: Property, steps: list[str]) -> None:
        """The logicalType of a value in a JSON column, row by row."""
        logical, reach, legacy = named.logical_type, self.reach, self.legacy
        if isinstance(reach, JsonReach) and logical in _JSON_TYPES:
            check = f"logicalType {logical}"
            self.add(named, steps, check, "logicalType", lambda _, v: reach.wrong_type(v, logical, legacy))

    def values(self, prop: Property, steps: list[str], names: list[str], engine_type: EngineType | None) -> None:
        """required, ranges, lengths, pattern and quality rules of one nested property, as row predicates."""
        reach = self.reach
        assert reach is not None
        if prop.required:
            self.add(
                prop,
                steps,
                "required",
                "required",
                lambda p, v: exp.and_(exp.not_(reach.missing(p)), reach.missing(v)),
            )
        if prop.unique:
            self.skipped(prop, steps, names, "unique", "unique is checked on top-level properties only")
        numeric = prop.logical_type in NUMERIC and (
            reach.dynamic or (engine_type is not None and engine_type.kind in NUMERIC)
        )
        for key, op in (
            ("minimum", exp.LT),
            ("maximum", exp.GT),
            ("exclusiveMinimum", exp.LTE),
            ("exclusiveMaximum", exp.GTE),
        ):
            bound = prop.options.get(key)
            if numeric and isinstance(bound, int | float) and not isinstance(bound, bool):
                self.add(prop, steps, f"{key} {bound}", "logicalTypeOptions", _compare(reach, op, bound))
        for key, op in (("minLength", exp.LT), ("maxLength", exp.GT)):
            bound = prop.options.get(key)
            if isinstance(bound, int) and not isinstance(bound, bool):
                self.add(prop, steps, f"{key} {bound}", "logicalTypeOptions", _length(reach, op, bound))
        pattern = prop.options.get("pattern")
        if isinstance(pattern, str):
            self.add(prop, steps, "pattern", "logicalTypeOptions", lambda _, v: _not_matching(reach.text(v), pattern))
        for rule in prop.quality:
            self.quality(rule, prop, steps, names, numeric)

    def quality(self, rule: QualityRule, prop: Property, steps: list[str], names: list[str], numeric: bool) -> None:
        label = rule.name or rule.metric or "sql"
        build = _violation(self.reach, rule, numeric) if self.reach else None
        if build is None:
            why = f"{rule.metric or 'a sql rule'} is checked on top-level properties only, or needs its arguments"
            self.skipped(prop, steps, names, label, why, rule)
            return
        unit = " %" if rule.unit == "percent" else ""
        expectation = f"{rule.metric} {rule.threshold}{unit}"
        self.add(prop, steps, label, str(rule.metric), build, rule.threshold, rule.unit, rule.line, expectation)

    def add(
        self,
        prop: Property,
        steps: list[str],
        check: str,
        rule: str,
        build: Build,
        threshold: Threshold = ZERO_ROWS,
        unit: str = "rows",
        line: int | None = None,
        expectation: str | None = None,
    ) -> None:
        compiler = self.compiler
        compiler.add(
            prop, check, rule, compiler.sql.adopt(self.locate(steps, build)), threshold, unit, line or prop.line
        )
        if expectation:
            compiler.pending[-1].result.expectation = expectation

    def locate(self, steps: list[str], build: Build) -> exp.Expr:
        """The row predicate of ``build`` at ``steps`` inside the column: through members, and any item of arrays."""
        reach = self.reach
        assert reach is not None

        def walk(node: exp.Expr, parent: exp.Expr, rest: list[str], depth: int) -> exp.Expr:
            if not rest:
                return build(parent.copy(), node.copy())
            step, more = rest[0], rest[1:]
            if step == ITEMS:
                return reach.some_item(node.copy(), lambda item: walk(item, node, more, depth + 1), depth)
            return walk(reach.member(node.copy(), step), node, more, depth)

        root = column(self.top.physical_name)
        return walk(root, root, steps, 0)

    def static(
        self, prop: Property, check: str, rule: str, passed: bool | None, observed: str | None, message: str
    ) -> None:
        result = self.compiler.result(prop, check, rule, check, prop.line)
        result.passed, result.observed, result.message = passed, observed, message
        self.compiler.static.append(result)

    def skipped(
        self, prop: Property, steps: list[str], names: list[str], check: str, why: str, rule: QualityRule | None = None
    ) -> None:
        named = replace(prop, name=self.label(names))
        result = self.compiler.result(
            named, check, rule.metric or "sql" if rule else check, check, rule.line if rule else prop.line
        )
        result.message = why
        self.compiler.static.append(result)


def _format(prop: Property) -> str | None:
    value = prop.options.get("format")
    return value if isinstance(value, str) else None


def _compare(reach: Reach, op: type[exp.Binary], bound: float) -> Build:
    return lambda _, value: op(this=reach.number(value), expression=number(bound))


def _length(reach: Reach, op: type[exp.Binary], bound: int) -> Build:
    return lambda _, value: op(this=exp.Length(this=reach.text(value)), expression=number(bound))


def _not_matching(text: exp.Expr, pattern: str) -> exp.Expr:
    matches = exp.RegexpLike(this=text.copy(), expression=exp.Literal.string(pattern))
    return exp.and_(not_null(text), exp.not_(matches))


def _violation(reach: Reach, rule: QualityRule, numeric: bool) -> Build | None:
    """A nested value's violation of a nullValues, missingValues, invalidValues or (v3.0.x) range rule."""
    args = rule.arguments

    def present(parent: exp.Expr, condition: exp.Expr) -> exp.Expr:
        return exp.and_(exp.not_(reach.missing(parent)), condition)

    if rule.metric == "nullValues":
        return lambda p, v: present(p, reach.missing(v))
    if rule.metric == "missingValues":
        given = args.get("missingValues", [None, ""])
        words = [exp.Literal.string(str(w)) for w in (given if isinstance(given, list) else []) if w is not None]
        if not words:
            return lambda p, v: present(p, reach.missing(v))
        return lambda p, v: present(
            p, exp.or_(reach.missing(v), exp.In(this=reach.any_text(v.copy()), expressions=words))
        )
    if rule.metric == "range" and numeric:
        bounds = [(op, args.get(key)) for key, op in (("minimum", exp.LT), ("maximum", exp.GT))]
        tests = [_compare(reach, op, b) for op, b in bounds if isinstance(b, int | float) and not isinstance(b, bool)]
        return (lambda p, v: exp.or_(*(t(p, v.copy()) for t in tests))) if tests else None
    if rule.metric != "invalidValues":
        return None
    valid, pattern = args.get("validValues"), args.get("pattern")
    conditions: list[Build] = []
    if isinstance(valid, list) and valid:
        numbers = numeric and all(isinstance(x, int | float) and not isinstance(x, bool) for x in valid)
        members = [number(x) if numbers else exp.Literal.string(str(x)) for x in valid]
        target = reach.number if numbers else reach.any_text
        conditions.append(
            lambda _, v: exp.and_(
                exp.not_(reach.missing(v.copy())), exp.not_(exp.In(this=target(v), expressions=members))
            )
        )
    if isinstance(pattern, str):
        conditions.append(lambda _, v: _not_matching(reach.text(v), pattern))
    if not conditions:
        return None
    return lambda p, v: exp.or_(*(c(p.copy(), v.copy()) for c in conditions))
