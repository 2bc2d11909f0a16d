"""Compile a contract's schema and quality rules into aggregate SQL.

Each object becomes one aggregate query: every row-level rule is a
``SUM(CASE WHEN <violation> THEN 1 ELSE 0 END)`` over the same scan, distinct counts
give duplicates, ``MAX`` gives freshness. The query is written by the engine's builder
(``data.build``: DuckDB text, or sqlglot for other dialects) with every identifier
quoted, so a column named ``select`` or ``naïve "quoted" name`` works everywhere.
``run`` executes and judges it.

A ``sql`` rule is someone else's SQL: it runs only as one read-only SELECT of the
contract's own objects (``rule_query``), rendered from its checked tree; its result
must be a number, and a number computed from a protected column is judged, not shown.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..data.build import DECLARED_TYPES, NUMERIC, PLACEHOLDER, Expr, builder_for
from ..data.engines import Engine
from ..data.types import EngineType, conforms, parse_type, rows_decide_type
from ..errors import InputError
from ..results import Status
from .model import ZERO_ROWS, Contract, Freshness, Property, QualityRule, SchemaObject, Threshold

if TYPE_CHECKING:
    from sqlglot import exp

#: logicalType -> the SQL type a text value must cast to (untyped sources such as CSV):
#: the type a reader would read it as, for every type but text itself.
CAST_TYPES = {logical: sql_type for logical, sql_type in DECLARED_TYPES.items() if logical != "string"}

_STATUS: dict[bool | None, Status] = {True: "passed", False: "failed", None: "skipped"}
#: What a report shows in place of a value it must not show.
NOT_A_NUMBER = "not a number"
HIDDEN = "hidden: computed from a protected column"
OBJECT_TOKENS = ("${object}", "{object}")
#: Bounds on a value, and the comparison that finds a value beyond each.
BOUNDS = (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">="))
LENGTHS = (("minLength", "<"), ("maxLength", ">"))
PROPERTY_TOKENS = ("${property}", "{property}")


def rule_query(
    text: str, dialect: str, objects: Collection[str], property_sql: str | None = None
) -> tuple[exp.Query, list[tuple[exp.Table, str]]]:
    """A sql rule's query, parsed and checked: ``UnsafeSQL`` unless one read-only SELECT of the contract's objects.

    ``${object}`` (or ``{object}``) names the rule's object, an object's name or
    physicalName names that object; ``${property}`` is the rule's column, as
    ``property_sql`` (quoted in ``dialect``). Returns the query and its object references.
    """
    from ..data.sql import read_only_query

    for token in OBJECT_TOKENS:
        text = text.replace(token, PLACEHOLDER)
    if property_sql is not None:
        for token in PROPERTY_TOKENS:
            text = text.replace(token, property_sql)
    return read_only_query(text, dialect, {PLACEHOLDER, *objects})


def reads_only(query: exp.Expr, visible: Collection[str]) -> bool:
    """Whether a query's result can only come from ``visible`` columns (and the query's own aliases).

    A column it does not know (a protected one, a table alias standing for a whole row,
    a column renamed by a table alias), or a ``*`` outside ``COUNT(*)``, is a doubt:
    the result may carry a protected value.
    """
    from sqlglot import exp

    known = {name.lower() for name in visible} | {a.alias.lower() for a in query.find_all(exp.Alias)}
    for node in query.find_all(exp.Column, exp.Star):
        if isinstance(node, exp.Star):
            if not isinstance(node.parent, exp.Count):
                return False
        elif isinstance(node.this, exp.Star) or node.name.lower() not in known:
            return False
    return True


@dataclass
class CheckResult:
    """The verdict of one check; ``passed`` is None when it could not run (and why is in ``message``)."""

    contract: str
    object: str
    property: str | None
    check: str
    rule: str
    expectation: str
    observed: str | None
    passed: bool | None
    message: str = ""
    line: int | None = None
    failed_rows: int | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)  # the contract's other rules this check stands for

    @builtins.property  # the field `property` shadows the builtin in this class body
    def status(self) -> Status:
        return _STATUS[self.passed]


@dataclass
class Pending:
    """A check compiled into one aggregate column of the object's query."""

    result: CheckResult
    aggregate: Expr | None  # None: computed by a grouped query (duplicates)
    threshold: Threshold
    unit: str
    sample: Expr | None = None  # the violation predicate, for sample rows
    group: list[str] | None = None  # key columns of a duplicates check
    group_visible: bool = True  # whether the key values may be shown
    judge: Callable[[Any], tuple[bool, str]] | None = None  # custom verdict (freshness)


class Compiler:
    """Builds one object's checks against the columns the engine reports.

    ``pending`` checks are judged on the object's one aggregate scan (or a grouped
    query, for duplicates); ``static`` ones are decided while compiling.
    """

    def __init__(
        self, contract: Contract, obj: SchemaObject, engine: Engine, columns: dict[str, str], *, skip_freshness: bool
    ) -> None:
        self.contract, self.obj, self.engine, self.columns = contract, obj, engine, columns
        self.sql = builder_for(engine)
        self.skip_freshness = skip_freshness
        self.pending: list[Pending] = []
        self.static: list[CheckResult] = []
        self.name = str(contract.path)

    def result(self, prop: Property | None, check: str, rule: str, expectation: str, line: int | None) -> CheckResult:
        return CheckResult(
            self.name, self.obj.name, prop.name if prop else None, check, rule, expectation, None, None, line=line
        )

    def typed_value(self, prop: Property) -> Expr:
        """The property's values in their logical type (cast from text for untyped sources)."""
        col = self.sql.column(prop.physical_name)
        if self.engine.typed or prop.logical_type not in CAST_TYPES:
            return col
        # v3.0.x ``date`` covers date-times: text of either kind casts to a timestamp.
        cast = "timestamp" if self.contract.legacy and prop.logical_type == "date" else prop.logical_type
        return self.sql.cast(col, CAST_TYPES[cast], try_=True)

    def text_value(self, prop: Property) -> Expr:
        col = self.sql.column(prop.physical_name)
        return self.sql.as_text(col) if self.engine.typed else col

    def is_null(self, prop: Property) -> Expr:
        return self.sql.is_null(self.sql.column(prop.physical_name))

    def add(
        self,
        prop: Property | None,
        check: str,
        rule: str,
        predicate: Expr,
        threshold: Threshold = ZERO_ROWS,
        unit: str = "rows",
        line: int | None = None,
    ) -> None:
        share = unit == "percent"
        expectation = f"share of violating rows {threshold} %" if share else f"violating rows {threshold}"
        self.pending.append(
            Pending(
                self.result(prop, check, rule, expectation, line),
                self.sql.count_where(predicate),
                threshold,
                unit,
                sample=predicate,
            )
        )

    # -- schema attributes ----------------------------------------------------------------

    def compile(self) -> None:
        self.pending.append(
            Pending(
                self.result(None, "row count", "rowCount", "rows read", self.obj.line),
                self.sql.count_rows(),
                Threshold("mustBeGreaterOrEqualTo", 0),
                "rows",
            )
        )
        self.primary_key()
        for prop in self.obj.properties:
            if prop.physical_name not in self.columns:
                result = self.result(prop, "column present", "schema", "the column exists", prop.line)
                result.passed, result.observed, result.message = (
                    False,
                    "missing",
                    f"column {prop.physical_name!r} not found in the data",
                )
                self.static.append(result)
                continue
            self.property_checks(prop)
            for rule in prop.quality:
                self.quality(rule, prop)
            if prop.members or rows_decide_type(self.engine_type(prop), self.engine.dialect):
                from .nested import NestedChecks  # sqlglot's trees: only for nested data

                NestedChecks(self, prop).compile()
        for rule in self.obj.quality:
            self.quality(rule, None)
        for sla in self.contract.freshness:
            if sla.object == self.obj.name:
                self.freshness(sla)

    def primary_key(self) -> None:
        """Not null and unique: first, so that ``required`` or ``unique`` saying it again merges into them."""
        keys = self.obj.primary_key
        if not keys or not all(k.physical_name in self.columns for k in keys):
            return  # a missing key column fails "column present"
        names = ", ".join(k.name for k in keys)
        for key in keys:
            self.add(key, f"primary key ({names}) not null", "primaryKey", self.is_null(key), line=key.line)
        self.duplicates(keys, f"primary key ({names}) unique", "primaryKey", ZERO_ROWS, "rows", keys[0].line)

    def property_checks(self, prop: Property) -> None:
        if prop.required:
            self.add(prop, "required", "required", self.is_null(prop), line=prop.line)
        if prop.unique:
            self.duplicates([prop], "unique", "unique", ZERO_ROWS, "rows", prop.line)
        self.type_check(prop)
        options = prop.options
        value = self.typed_value(prop)
        # Comparing a typed column of another type with numbers or dates would make the
        # engine cast its values, and a failed cast's message quotes the value: the
        # logicalType check fails instead, and the bounds wait for the right type.
        comparable = not self.engine.typed or self.conforming(prop)
        sql = self.sql
        for key, op in BOUNDS:
            bound = options.get(key) if comparable else None
            if isinstance(bound, int | float) and not isinstance(bound, bool):
                violation = sql.compare(op, value, sql.number(bound))
                self.add(prop, f"{key} {bound}", "logicalTypeOptions", violation, line=prop.line)
            elif isinstance(bound, str | date) and prop.logical_type in ("date", "timestamp"):
                literal = sql.cast(sql.string(str(bound)), CAST_TYPES[prop.logical_type])
                self.add(prop, f"{key} {bound}", "logicalTypeOptions", sql.compare(op, value, literal), line=prop.line)
        text = self.text_value(prop)
        for key, op in LENGTHS:
            bound = options.get(key)
            if isinstance(bound, int) and not isinstance(bound, bool):
                violation = sql.compare(op, sql.length(text), sql.number(bound))
                self.add(prop, f"{key} {bound}", "logicalTypeOptions", violation, line=prop.line)
        pattern = options.get("pattern")
        if isinstance(pattern, str):
            self.add(prop, "pattern", "logicalTypeOptions", self.not_matching(text, pattern), line=prop.line)

    def engine_type(self, prop: Property) -> EngineType:
        return parse_type(self.columns[prop.physical_name], self.engine.dialect)

    def conforming(self, prop: Property) -> bool:
        """Whether a typed column holds the property's logical type (so its values compare as such)."""
        if prop.logical_type is None:
            return True
        form = prop.options.get("format")
        return conforms(
            self.engine_type(prop),
            prop.logical_type,
            string_format=form if isinstance(form, str) else None,
            legacy=self.contract.legacy,
        )

    def not_matching(self, text: Expr, pattern: str) -> Expr:
        sql = self.sql
        return sql.and_(sql.not_(sql.is_null(text)), sql.not_(sql.matches(text, pattern)))

    def type_check(self, prop: Property) -> None:
        if prop.logical_type is None:
            return
        if self.engine.typed:
            if rows_decide_type(self.engine_type(prop), self.engine.dialect):
                return  # JSON: each row's value is checked (``NestedChecks``)
            actual = self.columns[prop.physical_name]
            result = self.result(
                prop, f"logicalType {prop.logical_type}", "logicalType", f"a {prop.logical_type} column", prop.line
            )
            result.observed, result.passed = actual, self.conforming(prop)
            result.message = "" if result.passed else f"column type {actual} is not {prop.logical_type}"
            self.static.append(result)
        elif prop.logical_type in CAST_TYPES:
            sql = self.sql
            cast_fails = sql.and_(sql.not_(self.is_null(prop)), sql.is_null(self.typed_value(prop)))
            self.add(prop, f"logicalType {prop.logical_type}", "logicalType", cast_fails, line=prop.line)

    def duplicates(
        self, props: list[Property], check: str, rule: str, threshold: Threshold, unit: str, line: int | None
    ) -> None:
        """Duplicates come from one grouped query per key (``run.duplicates``), not from the main scan."""
        unit_text = " %" if unit == "percent" else ""
        expectation = f"duplicate rows {threshold}{unit_text}"
        result = self.result(props[0] if len(props) == 1 else None, check, rule, expectation, line)
        keys = [p.physical_name for p in props]
        visible = not any(p.protected for p in props)
        self.pending.append(Pending(result, None, threshold, unit, group=keys, group_visible=visible))

    # -- quality rules ------------------------------------------------------------------------

    def quality(self, rule: QualityRule, prop: Property | None) -> None:
        label = rule.name or rule.metric or "sql"
        if rule.metric is None:
            self.sql_rule(rule, prop, label)
        elif rule.metric == "rowCount":
            result = self.result(prop, label, "rowCount", f"rows {rule.threshold}", rule.line)
            self.pending.append(Pending(result, self.sql.count_rows(), rule.threshold, "value"))
        elif rule.metric == "duplicateValues":
            self.duplicate_rule(rule, prop, label)
        elif prop is None:
            self.unchecked(None, label, rule, "a property", f"{rule.metric} needs a property: move the rule under one")
        else:
            predicate = self.violation(rule, prop, label)
            if predicate is None:
                return
            unit_text = " %" if rule.unit == "percent" else ""
            result = self.result(prop, label, rule.metric, f"{rule.metric} {rule.threshold}{unit_text}", rule.line)
            self.pending.append(
                Pending(result, self.sql.count_where(predicate), rule.threshold, rule.unit, sample=predicate)
            )

    def unchecked(self, prop: Property | None, label: str, rule: QualityRule, expectation: str, why: str) -> None:
        """A rule that cannot run as written: skipped, with the reason."""
        result = self.result(prop, label, rule.metric or "sql", expectation, rule.line)
        result.message = why
        self.static.append(result)

    def duplicate_rule(self, rule: QualityRule, prop: Property | None, label: str) -> None:
        names = rule.arguments.get("properties") or ([prop.name] if prop else [])
        props = [self.obj.find(n) for n in names] if isinstance(names, list) else []
        found = [p for p in props if p is not None and p.physical_name in self.columns]
        if not props or len(found) < len(props):
            self.unchecked(
                prop, label, rule, "duplicates", "the rule names no property, or one that is not in the data"
            )
            return
        self.duplicates(found, label, "duplicateValues", rule.threshold, rule.unit, rule.line)

    def violation(self, rule: QualityRule, prop: Property, label: str) -> Expr | None:
        """The predicate of a violating row for nullValues, missingValues and invalidValues."""
        sql = self.sql
        missing_value = self.is_null(prop)
        text = self.text_value(prop)
        if rule.metric == "nullValues":
            return missing_value
        if rule.metric == "range":
            return self.out_of_range(rule, prop, label)
        if rule.metric == "missingValues":
            given = rule.arguments.get("missingValues", [None, ""])
            missing = [v for v in (given if isinstance(given, list) else []) if v is not None]
            if not missing:
                return missing_value
            return sql.or_(missing_value, sql.in_(text, [sql.string(str(v)) for v in missing]))
        valid = rule.arguments.get("validValues")
        pattern = rule.arguments.get("pattern")
        conditions: list[Expr] = []
        if isinstance(valid, list) and valid:
            numeric = (
                prop.logical_type in NUMERIC
                and (not self.engine.typed or self.conforming(prop))
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in valid)
            )
            target = self.typed_value(prop) if numeric else text
            members = [sql.number(v) if numeric else sql.string(str(v)) for v in valid]
            conditions.append(sql.and_(sql.not_(missing_value), sql.not_(sql.in_(target, members))))
        if isinstance(pattern, str):
            conditions.append(self.not_matching(text, pattern))
        if not conditions:
            why = "invalidValues needs arguments.validValues or arguments.pattern"
            self.unchecked(prop, label, rule, "valid values", why)
            return None
        return sql.or_(*conditions)

    def out_of_range(self, rule: QualityRule, prop: Property, label: str) -> Expr | None:
        """A v3.0.x ``between``/``minCheck``/``maxCheck`` rule: a value below its minimum or above its maximum."""
        if prop.logical_type not in NUMERIC or (self.engine.typed and not self.conforming(prop)):
            self.unchecked(prop, label, rule, "values in range", "a range rule needs a number or integer property")
            return None
        sql = self.sql
        bounds = [(op, rule.arguments.get(key)) for key, op in (("minimum", "<"), ("maximum", ">"))]
        return sql.or_(
            *(sql.compare(op, self.typed_value(prop), sql.number(bound)) for op, bound in bounds if bound is not None)
        )

    def sql_rule(self, rule: QualityRule, prop: Property | None, label: str) -> None:
        """Run a sql rule, checked and rendered from its tree, and judge the one number it returns.

        Its objects are read as ``rule_table`` gives them (declared columns in their
        types). A rule that cannot run (binder error, failed cast, timeout) is a failed
        check of its own, so one broken rule never hides the others; unsafe SQL is
        never run and refuses the contract, as lint refuses it.
        """
        result = self.result(prop, label, "sql", f"value {rule.threshold}", rule.line)
        self.static.append(result)
        if not rule.query:
            result.message = "a sql rule needs a query"
            return
        from sqlglot import exp  # a contract's own SQL is parsed, checked and rendered by sqlglot

        from ..data.sql import UnsafeSQL, column, placed

        objects = {name: obj for obj in self.contract.objects for name in (obj.name, obj.physical_name)}
        objects[PLACEHOLDER] = self.obj
        written = self.engine.written_in
        try:
            query, tables = rule_query(
                rule.query, written, objects, column(prop.physical_name).sql(written) if prop else None
            )
        except UnsafeSQL as error:
            raise InputError(
                self.name,
                f"sql rule {label!r} is refused: {error}",
                "write one SELECT that reads only ${object} (see prodready contracts lint)",
                line=rule.line,
            ) from error
        everywhere = [p for o in self.contract.objects for p in o.properties]
        hidden = {p.physical_name for p in everywhere if p.protected}
        visible = {p.physical_name for p in everywhere} - hidden
        shown = reads_only(query, visible) and not (prop is not None and prop.protected)
        for table, name in tables:
            table.replace(placed(table, self.engine.rule_table(objects[name])))
        try:
            rows = self.engine.query(
                query.sql(dialect=self.engine.dialect, comments=False), untrusted=True, verbatim=shown
            )
        except InputError as error:
            casts = sorted({c.name for cast in query.find_all(exp.Cast) for c in cast.find_all(exp.Column)})
            converts = f" (it converts {', '.join(casts)})" if casts and "cannot be converted" in error.message else ""
            result.passed, result.observed = False, "error"
            result.message = f"the rule could not run: sql rule {label!r}{converts}: {error.message}"
            return
        value = rows[0][0] if rows and rows[0] else None
        if not _finite_number(value):
            result.observed, result.passed, result.message = NOT_A_NUMBER, False, "the query must return one number"
        else:
            measured = Decimal(str(value))
            result.passed = rule.threshold.holds(measured)
            result.observed = format_number(measured) if shown else HIDDEN

    def freshness(self, sla: Freshness) -> None:
        prop = self.obj.find(sla.property)
        result = self.result(prop, f"freshness ({sla.text})", "sla", f"newest row at most {sla.text} old", sla.line)
        if self.skip_freshness:
            result.message = "not checked on a static sample server: its data is as old as the commit that added it"
            self.static.append(result)
            return
        if prop is None or prop.physical_name not in self.columns:
            result.message = f"the SLA names {sla.object}.{sla.property}, which is not in the data"
            self.static.append(result)
            return
        value = prop if prop.logical_type in ("timestamp", "date") else None
        if value:
            target = self.typed_value(value)
        else:
            target = self.sql.cast(self.sql.column(prop.physical_name), CAST_TYPES["timestamp"], try_=True)

        def judge(newest: Any) -> tuple[bool, str]:
            if newest is None:
                return False, "no timestamp to measure"
            moment = newest if isinstance(newest, datetime) else datetime.combine(newest, datetime.min.time())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            age = Decimal(str((datetime.now(UTC) - moment).total_seconds()))
            fresh = age <= sla.max_age_seconds
            if prop.protected:  # its newest value, or its age, would tell a protected timestamp
                return fresh, f"newest row {'within' if fresh else 'older than'} {sla.text} (protected: not shown)"
            return fresh, f"newest row {moment.isoformat()} ({_age(age)} old)"

        self.pending.append(Pending(result, self.sql.maximum(target), ZERO_ROWS, "value", judge=judge))


def _finite_number(value: Any) -> bool:
    """A number a threshold can judge: not a bool, not NaN, not infinite."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _age(seconds: Decimal) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} d"


def format_number(value: Decimal) -> str:
    """A count or measure as a report shows it: integers exactly, fractions to four places."""
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.4f}".rstrip("0").rstrip(".")
