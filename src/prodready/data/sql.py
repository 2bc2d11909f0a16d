"""SQL as sqlglot trees, shared by the contract compiler (``TreeSQL``), ``contracts infer`` and
drift, and the one gate that SQL written by someone else passes before it runs.

Queries are sqlglot trees over a placeholder table, rendered in the engine's dialect;
``run`` puts the engine's relation (a table, or a view of DuckDB's reader of a file) in
the placeholder's place in the tree, never in the text. Every identifier is quoted, so
any column name works.

``read_only_query`` is that gate: a contract's ``sql`` rule is accepted only as one
read-only query (WITH and UNION allowed) over the tables it is given and its own CTEs.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlglot
import sqlglot.errors
from sqlglot import exp

from ..errors import ProdreadyError
from .build import COMPARISONS, DECLARED_TYPES, PLACEHOLDER

if TYPE_CHECKING:
    from .engines import Engine, Relation


def column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def number(value: Any) -> exp.Expr:
    return exp.Literal.number(str(value))


def is_null(value: exp.Expr) -> exp.Expr:
    return exp.Is(this=value, expression=exp.Null())


def not_null(value: exp.Expr) -> exp.Expr:
    return exp.Not(this=is_null(value))


def as_text(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value, to=exp.DataType.build("TEXT"))


def count_where(predicate: exp.Expr) -> exp.Expr:
    return exp.func("SUM", exp.Case(ifs=[exp.If(this=predicate, true=number(1))], default=number(0)))


def scan(*expressions: exp.Expr) -> exp.Select:
    """``SELECT expressions FROM`` the placeholder table."""
    return exp.select(*expressions).from_(exp.to_table(PLACEHOLDER))


def declared(relation: Relation) -> dict[str, str]:
    """The relation's columns that its contract declares with a scalar logicalType, and that type."""
    return {
        prop.physical_name: prop.logical_type for prop in relation.properties if prop.logical_type in DECLARED_TYPES
    }


def typed_select(table: exp.Table, columns: Iterable[str], types: Mapping[str, str]) -> exp.Select:
    """Every column of ``table``, the declared ones (``types``: column to logicalType) cast to their type.

    A value that does not convert is NULL here (``TRY_CAST``): counting those is the
    logicalType check's work, on the text. This is what a contract's own SQL reads.
    """

    def value(name: str) -> exp.Expr:
        logical = types.get(name)
        if logical is None or logical == "string":
            return column(name)
        to = exp.DataType.build(DECLARED_TYPES[logical], dialect="duckdb")
        return exp.TryCast(this=column(name), to=to).as_(exp.to_identifier(name, quoted=True))

    return exp.select(*(value(name) for name in columns)).from_(table.copy())


def placed(table: exp.Table, relation: exp.Table) -> exp.Table:
    """``relation`` where ``table`` was, keeping the name it was referred to by as its alias."""
    located = relation.copy()
    located.set("alias", table.args.get("alias") or exp.TableAlias(this=table.this.copy()))
    return located


def run(engine: Engine, relation: Relation, query: exp.Expr) -> list[tuple[Any, ...]]:
    """Run a query over the placeholder table on the relation, rendered in the engine's dialect.

    The relation replaces the placeholder in the tree: a value in the query that happens
    to spell the placeholder stays a value.
    """
    target = engine.table(relation)

    def put(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.name == PLACEHOLDER and not node.db:
            return placed(node, target)
        return node

    return engine.query(query.transform(put).sql(dialect=engine.dialect))


class TreeSQL:
    """The checks' SQL as sqlglot trees, for any dialect sqlglot writes (see ``build.SQL``)."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    def column(self, name: str) -> exp.Expr:
        return column(name)

    def number(self, value: float) -> exp.Expr:
        return number(value)

    def string(self, value: str) -> exp.Expr:
        return exp.Literal.string(value)

    def is_null(self, value: exp.Expr) -> exp.Expr:
        return is_null(value.copy())

    def not_(self, value: exp.Expr) -> exp.Expr:
        return exp.not_(value)

    def and_(self, *values: exp.Expr) -> exp.Expr:
        return exp.and_(*values)

    def or_(self, *values: exp.Expr) -> exp.Expr:
        return exp.or_(*values)

    def compare(self, op: str, left: exp.Expr, right: exp.Expr) -> exp.Expr:
        return _OPERATORS[op](this=left.copy(), expression=right.copy())

    def in_(self, value: exp.Expr, members: Sequence[exp.Expr]) -> exp.Expr:
        return exp.In(this=value.copy(), expressions=[m.copy() for m in members])

    def cast(self, value: exp.Expr, to: str, *, try_: bool = False) -> exp.Expr:
        kind = exp.TryCast if try_ else exp.Cast
        return kind(this=value.copy(), to=exp.DataType.build(to, dialect="duckdb"))

    def as_text(self, value: exp.Expr) -> exp.Expr:
        return as_text(value.copy())

    def length(self, value: exp.Expr) -> exp.Expr:
        return exp.Length(this=value.copy())

    def matches(self, value: exp.Expr, pattern: str) -> exp.Expr:
        return exp.RegexpLike(this=value.copy(), expression=exp.Literal.string(pattern))

    def count_rows(self) -> exp.Expr:
        return exp.func("COUNT", exp.Star())

    def count_where(self, predicate: exp.Expr) -> exp.Expr:
        return count_where(predicate.copy())

    def maximum(self, value: exp.Expr) -> exp.Expr:
        return exp.Max(this=value.copy())

    def minus(self, left: exp.Expr, right: exp.Expr) -> exp.Expr:
        return exp.Sub(this=left.copy(), expression=right.copy())

    def count_distinct(self, values: Sequence[exp.Expr]) -> exp.Expr:
        return exp.Count(this=exp.Distinct(expressions=[v.copy() for v in values]))

    def hash_bucket(self, values: Sequence[exp.Expr], buckets: int) -> exp.Expr:
        hashed = exp.Anonymous(this="hash", expressions=[v.copy() for v in values])
        return exp.EQ(this=exp.Mod(this=hashed, expression=number(buckets)), expression=number(0))

    def alias(self, value: exp.Expr, name: str, *, quoted: bool = False) -> exp.Expr:
        return value.copy().as_(name, quoted=quoted)

    def ref(self, name: str) -> exp.Expr:
        return exp.column(name)

    def desc(self, value: exp.Expr) -> exp.Expr:
        return exp.Ordered(this=value.copy(), desc=True)

    def false(self) -> exp.Expr:
        return exp.false()

    def count(self, value: exp.Expr) -> exp.Expr:
        return exp.func("COUNT", value.copy())

    def average(self, value: exp.Expr) -> exp.Expr:
        return exp.Avg(this=value.copy())

    def minimum(self, value: exp.Expr) -> exp.Expr:
        return exp.Min(this=value.copy())

    def approx_distinct(self, value: exp.Expr) -> exp.Expr:
        return exp.ApproxDistinct(this=value.copy())

    def like(self, value: exp.Expr, pattern: str) -> exp.Expr:
        return exp.Like(this=value.copy(), expression=exp.Literal.string(pattern))

    def md5_prefix(self, value: exp.Expr, digits: int) -> exp.Expr:
        return exp.Substring(this=exp.MD5(this=value.copy()), start=number(1), length=number(digits))

    def extract(self, part: str, value: exp.Expr) -> exp.Expr:
        return exp.Extract(this=exp.var(part), expression=value.copy())

    def case_when(self, predicate: exp.Expr, value: exp.Expr) -> exp.Expr:
        return exp.Case(ifs=[exp.If(this=predicate.copy(), true=value.copy())])

    def filtered(self, aggregate: exp.Expr, predicate: exp.Expr) -> exp.Expr:
        return exp.Filter(this=aggregate.copy(), expression=exp.Where(this=predicate.copy()))

    def numbers(self, values: Sequence[float]) -> exp.Expr:
        return exp.Array(expressions=[number(repr(float(v))) for v in values])

    def call(self, name: str, *args: exp.Expr) -> exp.Expr:
        return exp.Anonymous(this=name, expressions=[a.copy() for a in args])

    def adopt(self, tree: exp.Expr) -> exp.Expr:
        return tree

    def render(self, value: exp.Expr) -> str:
        return value.sql(dialect=self.dialect)

    def select(
        self,
        items: Sequence[exp.Expr],
        *,
        where: exp.Expr | None = None,
        group_by: Sequence[exp.Expr] = (),
        having: exp.Expr | None = None,
        order_by: Sequence[exp.Expr] = (),
        limit: int | None = None,
        distinct: bool = False,
    ) -> exp.Select:
        query = scan(*(i.copy() for i in items))
        if distinct:
            query = query.distinct()
        if where is not None:
            query = query.where(where.copy())
        if group_by:
            query = query.group_by(*(g.copy() for g in group_by))
        if having is not None:
            query = query.having(having.copy())
        if order_by:
            query = query.order_by(*(o.copy() for o in order_by))
        return query.limit(limit) if limit is not None else query

    def from_subquery(self, query: exp.Query, alias: str, order_by: Sequence[exp.Expr] = ()) -> exp.Select:
        outer = exp.select(exp.Star()).from_(query.subquery(alias))
        return outer.order_by(*(o.copy() for o in order_by)) if order_by else outer

    def union_all(self, queries: Sequence[exp.Query]) -> exp.Query:
        union = queries[0]
        for query in queries[1:]:
            union = exp.union(union, query, distinct=False)
        return union

    def run(self, engine: Engine, relation: Relation, query: exp.Expr) -> list[tuple[Any, ...]]:
        return run(engine, relation, query)


_OPERATORS: dict[str, type[exp.Binary]] = dict(
    zip(COMPARISONS, (exp.LT, exp.GT, exp.LTE, exp.GTE, exp.EQ), strict=True)
)


# -- SQL written by someone else ------------------------------------------------------------------


class UnsafeSQL(ProdreadyError):
    """A statement that is not one read-only query of the allowed tables; the text says why."""


#: Statements (and clauses) that are never part of a read-only query, by how a message names them.
_STATEMENTS: tuple[tuple[type[exp.Expr], str], ...] = (
    (exp.Into, "SELECT INTO (it creates a table)"),
    (exp.Lock, "FOR UPDATE/FOR SHARE (it locks rows)"),
    (exp.Insert, "an INSERT"),
    (exp.Update, "an UPDATE"),
    (exp.Delete, "a DELETE"),
    (exp.Merge, "a MERGE"),
    (exp.Copy, "a COPY"),
    (exp.Create, "a CREATE"),
    (exp.Drop, "a DROP"),
    (exp.Alter, "an ALTER"),
    (exp.Command, "a command sqlglot cannot read"),
    (exp.DDL, "a definition"),
    (exp.DML, "a change of data"),
    *(
        (getattr(exp, name), f"a {name.upper()} statement")
        for name in (
            "Attach",
            "Detach",
            "Install",
            "Pragma",
            "Set",
            "Use",
            "Describe",
            "Show",
            "Summarize",
            "Transaction",
            "Commit",
            "Rollback",
            "Export",
            "Kill",
            "Grant",
            "Revoke",
            "Cache",
            "Uncache",
            "Refresh",
            "LoadData",
            "Analyze",
        )
        if hasattr(exp, name)
    ),
)
#: Functions that reach beyond the rows: files, the network, other databases, settings,
#: sequences, the server's processes, or time (sleep). Names, and prefixes ending in ``_``.
DENIED_FUNCTIONS = frozenset(
    {
        "columns",
        "current_setting",
        "currval",
        "dblink",
        "getenv",
        "getvariable",
        "glob",
        "lastval",
        "load_extension",
        "nextval",
        "set_config",
        "setval",
        "sleep",
    }
)
DENIED_PREFIXES = (
    "pg_",
    "lo_",
    "dblink_",
    "read_",
    "query",
    "duckdb_",
    "pragma_",
    "sniff_",
    "parquet_",
    "json_execute",
    "sqlite_",
    "postgres_",
    "mysql_",
    "iceberg_",
    "delta_",
    "ducklake_",
    "txid_",
    "http",
    "system",
)
DENIED_PARTS = ("to_xml",)  # query_to_xml, table_to_xml, cursor_to_xml, database_to_xml...


def _function_names(node: exp.Func) -> set[str]:
    """The names a function call goes by: as written (anonymous) and sqlglot's own."""
    names = {node.sql_name().lower()}
    if isinstance(node, exp.Anonymous):
        names.add(node.name.lower())
    return names


def _excerpt(node: exp.Expr | str, dialect: str = "duckdb") -> str:
    """A piece of the query for a message: one line, printable, short."""
    text = node if isinstance(node, str) else node.sql(dialect)
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _denied(name: str) -> bool:
    return name in DENIED_FUNCTIONS or name.startswith(DENIED_PREFIXES) or any(part in name for part in DENIED_PARTS)


def _parse(sql: str, dialect: str) -> list[exp.Expr]:
    """The statements of ``sql``, without sqlglot's warnings about what it could not read."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (sqlglot.errors.SqlglotError, RecursionError, ValueError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UnsafeSQL(f"it cannot be parsed as {dialect} SQL ({_excerpt(message)})") from error
    finally:
        logger.setLevel(level)


def _ctes_in_scope(table: exp.Table) -> Iterator[str]:
    """The CTE names visible where ``table`` is: those of every enclosing query's WITH."""
    node: exp.Expr | None = table
    while node is not None:
        with_ = node.args.get("with_") or node.args.get("with") if isinstance(node, exp.Query) else None
        if isinstance(with_, exp.With):
            for cte in with_.expressions:
                yield cte.alias_or_name.lower()
        node = node.parent


def _allowed_name(identifier: exp.Identifier, tables: Collection[str]) -> str | None:
    """The allowed table an identifier names: exactly when quoted, in any case when not."""
    name = identifier.name
    if name in tables:
        return name
    if not identifier.quoted:
        return next((t for t in tables if t.lower() == name.lower()), None)
    return None


def read_only_query(sql: str, dialect: str, tables: Collection[str]) -> tuple[exp.Query, list[tuple[exp.Table, str]]]:
    """``sql`` as one read-only query over ``tables`` and its own CTEs, or ``UnsafeSQL`` saying why not.

    Returns the parsed query and each of its references to an allowed table, with the
    name it matched. Run the query rendered from this tree (without comments), never
    the text: what runs is then what was checked.
    """
    statements = _parse(sql, dialect)
    if not statements:
        raise UnsafeSQL("the query is empty")
    if len(statements) > 1:
        raise UnsafeSQL(f"it holds {len(statements)} statements: a sql rule is one statement, a SELECT")
    (query,) = statements
    if not isinstance(query, exp.Select | exp.SetOperation):
        kind = query.key.upper() if isinstance(query, exp.Expr) else type(query).__name__
        raise UnsafeSQL(f"it is a {kind} statement, not a SELECT")
    found: list[tuple[exp.Table, str]] = []
    for node in query.walk():
        for statement, words in _STATEMENTS:
            if isinstance(node, statement):
                raise UnsafeSQL(f"it holds {words}: a sql rule only reads")
        if isinstance(node, exp.Func):
            denied = sorted(name for name in _function_names(node) if _denied(name))
            if denied:
                raise UnsafeSQL(f"it calls {_excerpt(denied[0])}, which reaches beyond the contract's rows")
        if isinstance(node, exp.From | exp.Join | exp.Lateral) and not isinstance(
            node.this, exp.Table | exp.Subquery | exp.Unnest | exp.Values | exp.Lateral
        ):
            raise UnsafeSQL(f"it reads a table function ({_excerpt(node.this, dialect)}), not the contract's objects")
        if isinstance(node, exp.TableFromRows):
            raise UnsafeSQL("it reads a table function, not the contract's objects")
        if isinstance(node, exp.Table):
            found += _reference(node, tables, dialect)
    return query, found


def _reference(table: exp.Table, tables: Collection[str], dialect: str) -> list[tuple[exp.Table, str]]:
    """The allowed table a FROM or JOIN names, nothing for a CTE; ``UnsafeSQL`` for anything else."""
    if not isinstance(table.this, exp.Identifier):
        raise UnsafeSQL(f"it reads a table function ({_excerpt(table.this, dialect)}), not the contract's objects")
    if table.args.get("db") or table.args.get("catalog"):
        raise UnsafeSQL(f"it reads a qualified table name ({_excerpt(table, dialect)}); name the object as ${{object}}")
    allowed = _allowed_name(table.this, tables)
    if allowed is not None:
        return [(table, allowed)]
    if table.name.lower() in set(_ctes_in_scope(table)):
        return []
    raise UnsafeSQL(f"it reads table {table.name!r}, which is not one of the contract's objects")
