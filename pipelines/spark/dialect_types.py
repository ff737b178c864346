"""Rewrites that need more than one node: the statement's scopes, or its column types.

- Nested CTEs. sqlglot moves every CTE of a Spark statement to its top; two subqueries that
  each define `WITH recorded AS (...)` would then collide (Spark refuses duplicate names,
  and the second would read the first). Nested CTEs whose name is already taken get a
  unique one, together with the references in their scope.
- Types. `date - date` is a number of days in DuckDB and an INTERVAL in Spark (an error in
  `greatest(d1 - d2, 0)`, a silently different column in a model); `len(list)` is a list
  length in DuckDB and only a string length in Spark. Neither can be told from the text, so
  the statement is typed with sqlglot's optimizer against the column types of the tables it
  reads (from the Spark catalog) and only those nodes are rewritten: `datediff(d1, d2)` and
  `size(list)`. A statement with nothing to rewrite is rendered as it was.
"""

from __future__ import annotations

import logging
from typing import Callable

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

log = logging.getLogger(__name__)

READ = "duckdb"
# column types of a relation by name ({column: Spark type name}), None when unknown
RelationTypes = Callable[[str], "dict[str, str] | None"]


def unique_cte_names(statement: exp.Expression) -> exp.Expression:
    """Rename nested CTEs whose name an earlier CTE of the statement already has."""
    seen: set[str] = set()
    for with_ in list(statement.find_all(exp.With)):  # outer WITH clauses first
        scope = with_.parent
        for cte in with_.expressions:
            name = cte.alias_or_name
            if name.lower() not in seen:
                seen.add(name.lower())
                continue
            new = _free_name(name, seen)
            seen.add(new.lower())
            cte.set("alias", exp.TableAlias(this=exp.to_identifier(new)))
            for table in scope.find_all(exp.Table):
                if not table.args.get("db") and table.name.lower() == name.lower():
                    table.set("this", exp.to_identifier(new))
    return statement


def _free_name(name: str, taken: set[str]) -> str:
    number = 2
    while f"{name}__{number}".lower() in taken:
        number += 1
    return f"{name}__{number}"


def _needs_types(statement: exp.Expression) -> bool:
    return any(isinstance(node, (exp.Sub, exp.Length)) for node in statement.walk())


def _schema(statement: exp.Expression, relation_types: RelationTypes) -> dict[str, dict[str, exp.DataType]]:
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    schema: dict[str, dict[str, exp.DataType]] = {}
    for table in statement.find_all(exp.Table):
        name = table.name
        if not name or table.args.get("db") or name.lower() in ctes or name in schema:
            continue
        columns = relation_types(name)
        if columns:
            schema[name] = {col: _data_type(kind) for col, kind in columns.items()}
    return schema


def _data_type(kind: str) -> exp.DataType:
    try:
        return exp.DataType.build(kind, dialect="spark")
    except (SqlglotError, ValueError):  # e.g. an interval type: known to exist, type unknown
        return exp.DataType.build("unknown")


def _is(node: exp.Expression, kind: exp.DataType.Type) -> bool:
    return node.type is not None and node.type.is_type(kind)


# expressions that are lists whatever their arguments' types (sqlglot may not type them)
_LIST_NODES = tuple(
    getattr(exp, name)
    for name in (
        "Array",
        "ArraySort",
        "ArrayConcat",
        "ArrayAgg",
        "ArrayAppend",
        "ArrayDistinct",
        "ArrayIntersect",
        "ArrayFilter",
        "ArrayUniqueAgg",
        "ArraySlice",
        "ArrayRemove",
        "ArrayExcept",
        "List",
        "ArrayCompact",
        "ArrayReverse",
    )
    if hasattr(exp, name)
)
_LIST_FUNCTIONS = {
    "ARRAY_INTERSECT",
    "ARRAY_EXCEPT",
    "ARRAY_UNION",
    "SLICE",
    "ARRAY_APPEND",
    "LIST_INTERSECT",
    "LIST_SLICE",
    "LIST_APPEND",
    "LIST_CONCAT",
    "LIST_DISTINCT",
}


def _is_list(node: exp.Expression) -> bool:
    if _is(node, exp.DataType.Type.ARRAY) or isinstance(node, _LIST_NODES):
        return True
    return isinstance(node, exp.Anonymous) and node.name.upper() in _LIST_FUNCTIONS


def typed(statement: exp.Expression, relation_types: RelationTypes) -> exp.Expression:
    """`statement` with date differences and list lengths rewritten by type (see above)."""
    if not _needs_types(statement):
        return statement
    schema = _schema(statement, relation_types)
    try:
        typed_copy = qualify(statement.copy(), schema=schema, dialect=READ, validate_qualify_columns=False)
        annotate_types(typed_copy, schema=schema, dialect=READ)
    except (SqlglotError, KeyError, ValueError) as exc:  # untyped is still the best effort
        log.debug("could not type %s: %s", statement.sql()[:200], exc)
        return statement
    changed = False
    for sub in list(typed_copy.find_all(exp.Sub)):
        if _is(sub.this, exp.DataType.Type.DATE) and _is(sub.expression, exp.DataType.Type.DATE):
            sub.replace(exp.DateDiff(this=sub.this.copy(), expression=sub.expression.copy(), unit=exp.var("DAY")))
            changed = True
    for length in list(typed_copy.find_all(exp.Length)):
        if _is_list(length.this):
            length.replace(exp.ArraySize(this=length.this.copy()))
            changed = True
    return typed_copy if changed else statement
