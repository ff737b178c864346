"""Derived columns: `{expr: "MonthlyIncome * 12"}` in a mapping, evaluated safely.

An expression is hostile text that reaches SQL, so it is parsed (sqlglot, DuckDB dialect) and
every node of the tree is checked against an allow-list: column references of this source,
literals, arithmetic, comparisons, CASE/IF, casts to plain types and a short list of
functions. Anything else (a subquery, a table, read_csv, getenv, current_date ...) is refused
with the mapping key named. The checked tree is then rendered per file, each column
reference replaced by that file's trimmed text (blank = NULL).

Source columns are text. A column used in arithmetic, compared with a number or cast is
converted first; a value that does not convert makes the result `#cannot read <column> as
<type>: <value>`, which a numeric or date contract column quarantines with that text, so a bad
cell is reported with its file and line instead of silently becoming blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .errors import DataError
from .sqlsafe import literal

_STRUCTURE = {
    "Column",
    "Identifier",
    "Literal",
    "Boolean",
    "Null",
    "Paren",
    "Var",
    "DataType",
    "Interval",
    "Cast",
    "TryCast",
    "Case",
    "If",
    "Add",
    "Sub",
    "Mul",
    "Div",
    "IntDiv",
    "Mod",
    "Neg",
    "DPipe",
    "EQ",
    "NEQ",
    "GT",
    "GTE",
    "LT",
    "LTE",
    "And",
    "Or",
    "Not",
    "Is",
    "In",
    "Between",
    "Like",
    "ILike",
}
# sqlglot's names for the allowed functions (strptime is StrToTime, strftime TimeToStr, ...)
_FUNCTIONS = {
    "Lower",
    "Upper",
    "Trim",
    "Substring",
    "Left",
    "Right",
    "Length",
    "Concat",
    "Replace",
    "RegexpReplace",
    "Coalesce",
    "Nullif",
    "Round",
    "Abs",
    "Floor",
    "Ceil",
    "Greatest",
    "Least",
    "Year",
    "Month",
    "Day",
    "StrToTime",
    "StrToDate",
    "TimeToStr",
    "DateFromParts",
    "DateDiff",
    "DateAdd",
    "DateSub",
}
_ANONYMOUS = {"to_years", "to_months", "to_days"}
FUNCTION_NAMES = (
    "lower, upper, trim, substr, left, right, length, concat, replace, regexp_replace, "
    "coalesce, nullif, round, abs, floor, ceil, greatest, least, year, month, day, "
    "strptime, strftime, make_date, date_diff, date_add, to_years, to_months, to_days"
)
_TYPES = {"DOUBLE", "FLOAT", "DECIMAL", "INT", "BIGINT", "SMALLINT", "TINYINT", "VARCHAR", "TEXT", "DATE", "BOOLEAN"}
_ARITHMETIC = {"Add", "Sub", "Mul", "Div", "IntDiv", "Mod", "Neg"}
_COMPARISON = {"EQ", "NEQ", "GT", "GTE", "LT", "LTE", "Between"}


@dataclass
class Derived:
    """A checked expression and the source columns it reads."""

    text: str
    tree: object  # sqlglot Expression
    sources: dict[str, str]  # name as written -> the source column it refers to

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.sources.values()))


def _sqlglot():
    import sqlglot
    from sqlglot import exp

    return sqlglot, exp


def parse_expr(text: object, what: str, match: Callable[[str], str | None], header: list[str]) -> Derived:
    """The checked expression; a DataError naming `what` (the mapping key) when it is refused.
    `match(name)` gives the source column a name refers to, or None."""
    sqlglot, exp = _sqlglot()
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{what}: expr must be a non-empty SQL expression", file="equity.yml")
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise DataError(f"{what}: expr cannot be parsed ({str(exc).splitlines()[0]})", file="equity.yml") from None
    sources: dict[str, str] = {}
    for node in tree.walk():
        kind = type(node).__name__
        if isinstance(node, exp.Anonymous):
            if node.name.lower() not in _ANONYMOUS:
                raise DataError(_refused(what, f"the function {node.name}"), file="equity.yml")
        elif kind in _FUNCTIONS or kind in _STRUCTURE:
            pass
        else:
            raise DataError(_refused(what, f"{node.sql(dialect='duckdb')[:60]!r} ({kind})"), file="equity.yml")
        if isinstance(node, exp.DataType) and node.this.name not in _TYPES:
            raise DataError(_refused(what, f"the type {node.sql(dialect='duckdb')}"), file="equity.yml")
        if isinstance(node, exp.Column):
            if node.table:
                raise DataError(
                    f"{what}: expr names {node.sql(dialect='duckdb')}; a column name with a dot "
                    f'must be double-quoted ("yrs.since.phd")',
                    file="equity.yml",
                )
            source = match(node.name)
            if source is None:
                raise DataError(
                    f"{what}: expr refers to column '{node.name}', which is not in the header "
                    f"(header has: {', '.join(header)})",
                    file="equity.yml",
                )
            sources[node.name] = source
    if not sources:
        raise DataError(f"{what}: expr reads no column; use `value` for a constant", file="equity.yml")
    return Derived(text=text, tree=tree, sources=sources)


def _refused(what: str, thing: str) -> str:
    return (
        f"{what}: expr may use only this source's columns, literals, arithmetic, comparisons, "
        f"CASE and the functions {FUNCTION_NAMES}; {thing} is not allowed"
    )


def _numeric_context(node) -> str | None:
    """The type a column reference must convert to where it stands, or None (text)."""
    _, exp = _sqlglot()
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    kind = type(parent).__name__
    if kind in _ARITHMETIC:
        return "DOUBLE"
    if kind in _COMPARISON and any(isinstance(a, exp.Literal) and not a.is_string for a in parent.iter_expressions()):
        return "DOUBLE"
    if isinstance(parent, (exp.Cast, exp.TryCast)):  # the column is what is cast
        return parent.to.sql(dialect="duckdb")
    return None


def render_expr(derived: Derived, column_sql: Callable[[str], str]) -> str:
    """SQL text (VARCHAR, NULL when blank) for one file; `column_sql(source)` is that file's text."""
    sqlglot, exp = _sqlglot()
    tree = derived.tree.copy()
    checks: list[str] = []
    for node in list(tree.find_all(exp.Column)):
        source = derived.sources[node.name]
        text = f"nullif(trim({column_sql(source)}), '')"
        target = _numeric_context(node)
        if target is None:
            node.replace(sqlglot.parse_one(text, read="duckdb"))
            continue
        converted = f"TRY_CAST({text} AS {target})"
        checks.append(
            f"WHEN {text} IS NOT NULL AND {converted} IS NULL THEN "
            f"{literal(f'#cannot read {source} as {target}: ')} || {text}"
        )
        node.replace(sqlglot.parse_one(converted, read="duckdb"))
    for cast in list(tree.find_all(exp.Cast)):  # a failed cast is reported, never a build crash
        cast.replace(exp.TryCast(this=cast.this, to=cast.to))
    # date +/- interval is a TIMESTAMP in DuckDB: a midnight one is written as the date it is
    body = f"nullif(trim(regexp_replace(CAST(({tree.sql(dialect='duckdb')}) AS VARCHAR), ' 00:00:00$', '')), '')"
    return f"(CASE {' '.join(checks)} ELSE {body} END)" if checks else body
