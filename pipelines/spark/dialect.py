"""DuckDB SQL -> Spark SQL, with sqlglot plus the few rewrites sqlglot does not make.

The project's SQL (models, validation rules, metric queries) is written once, in DuckDB's
dialect. sqlglot transpiles almost all of it; this module adds what it leaves as-is or gets
subtly different from DuckDB:

- `GROUPING(a, b)` with several arguments (DuckDB: a bit mask, first argument most
  significant). Spark's `grouping()` takes one column and its `grouping_id()` refuses a
  subset of the GROUP BY columns (`GROUP BY period, CUBE(a, b)`), so the mask is spelt out
  as `grouping(a) * 2 + grouping(b)`.
- `try_strptime` / `strptime` formats (and their result: a time-zone-less timestamp,
  Spark's TIMESTAMP_NTZ): DuckDB's %d/%m read one or two digits and %y reads
  00-68 as 20xx and 69-99 as 19xx; Spark's `dd`/`MM` need two digits and `yy` reads every
  two-digit year as 20xx. The formats are translated to Spark's variable-width letters and
  a %y year of 2069 or later is moved back a century.

- `format('line {}: {}', ...)`: DuckDB's fmt-style placeholders; sqlglot keeps them, but
  Spark's `format_string` is printf-style, so `{}` becomes `%s` (and `%` becomes `%%`).

- DuckDB functions sqlglot passes through by name: `error(msg)` (Spark: `raise_error`),
  `list_slice(list, begin, end)` (Spark: `slice(array, start, length)`), `list_position`
  (Spark: `array_position`), `list_intersect`, `list_has_all`, `to_months`/`to_days`/
  `to_years` (Spark: `make_ym_interval`/`make_dt_interval`); and `&&` on lists, which
  sqlglot keeps (Spark: `arrays_overlap`).
- What needs the statement's scopes or types is in dialect_types: nested CTEs of the same
  name, `date - date` and `len(list)`.

Statements come back as sqlglot expressions so the adapter can treat DDL itself.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from .dialect_types import RelationTypes, typed, unique_cte_names

READ, WRITE = "duckdb", "spark"

# DuckDB reads a two-digit year below this as 20xx and from it as 19xx; Spark reads all as 20xx
TWO_DIGIT_YEAR_PIVOT = 2069

# strptime directive -> Spark (java.time) parse pattern. Single letters read one or more
# digits, as DuckDB does; letters that need an exact width keep it.
_PARSE_PATTERNS = {
    "Y": "y",
    "y": "yy",
    "m": "M",
    "-m": "M",
    "d": "d",
    "-d": "d",
    "e": "d",
    "b": "MMM",
    "h": "MMM",
    "B": "MMMM",
    "H": "H",
    "-H": "H",
    "I": "h",
    "-I": "h",
    "M": "m",
    "-M": "m",
    "S": "s",
    "-S": "s",
    "p": "a",
    "f": "SSSSSS",
    "j": "D",
    "%": "%",
}
_DIRECTIVE = re.compile(r"%(-?.)")


class UnsupportedSql(ValueError):
    """A statement or format that has no faithful Spark equivalent here."""


def java_parse_format(strptime_format: str) -> tuple[str, bool]:
    """(Spark parse pattern, whether it reads a two-digit %y year) for a DuckDB format."""
    out, pos, two_digit = [], 0, False
    for match in _DIRECTIVE.finditer(strptime_format):
        out.append(_quoted_text(strptime_format[pos : match.start()]))
        code = match.group(1)
        if code not in _PARSE_PATTERNS:
            raise UnsupportedSql(f"date format directive %{code} in {strptime_format!r} is not supported on Spark")
        pattern = _PARSE_PATTERNS[code]
        out.append("'%'" if code == "%" else pattern)
        two_digit |= code == "y"
        pos = match.end()
    out.append(_quoted_text(strptime_format[pos:]))
    return "".join(out), two_digit


def _quoted_text(text: str) -> str:
    """Literal text in a java.time pattern: letters quoted, a quote doubled."""
    if not text:
        return ""
    if re.search(r"[A-Za-z']", text):
        return "'" + text.replace("'", "''") + "'"
    return text


def _parse_call(value: exp.Expression, fmt: exp.Expression, safe: bool) -> exp.Expression:
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        raise UnsupportedSql("strptime on Spark needs a literal format string")
    pattern, two_digit = java_parse_format(fmt.this)
    name = "TRY_TO_TIMESTAMP" if safe else "TO_TIMESTAMP"
    # DuckDB's TIMESTAMP has no time zone: the wall-clock value, not an instant
    call = exp.cast(exp.Anonymous(this=name, expressions=[value, exp.Literal.string(pattern)]), "TIMESTAMP_NTZ")
    if not two_digit:
        return call
    century_back = exp.Sub(
        this=call.copy(), expression=exp.Interval(this=exp.Literal.string("100"), unit=exp.var("YEAR"))
    )
    return exp.Case(
        ifs=[
            exp.If(
                this=exp.GTE(this=exp.Year(this=call.copy()), expression=exp.Literal.number(TWO_DIGIT_YEAR_PIVOT)),
                true=century_back,
            )
        ],
        default=call,
    )


def _grouping_mask(node: exp.Grouping) -> exp.Expression:
    """GROUPING(a, b, c) -> grouping(a) * 4 + grouping(b) * 2 + grouping(c), as BIGINT like
    DuckDB's (Spark's grouping() is a TINYINT). The casts also mark the parts as done."""
    cols = node.expressions
    terms: list[exp.Expression] = []
    for i, col in enumerate(cols):
        one = exp.cast(exp.Grouping(expressions=[col.copy()]), "BIGINT")
        weight = 1 << (len(cols) - 1 - i)
        terms.append(one if weight == 1 else exp.Mul(this=one, expression=exp.Literal.number(weight)))
    total = terms[0]
    for term in terms[1:]:
        total = exp.Add(this=total, expression=term)
    return exp.Paren(this=total) if len(terms) > 1 else total


def _printf_format(node: exp.Format) -> exp.Expression:
    fmt = node.this
    if not (isinstance(fmt, exp.Literal) and fmt.is_string) or re.search(r"\{[^}]", fmt.this):
        raise UnsupportedSql("format() on Spark needs a literal format with only {} placeholders")
    printf = fmt.this.replace("%", "%%").replace("{}", "%s")
    return exp.Anonymous(
        this="FORMAT_STRING", expressions=[exp.Literal.string(printf), *[_inner(e) for e in node.expressions]]
    )


def _list_slice(args: list[exp.Expression]) -> exp.Expression:
    """list_slice(l, begin, end), 1-based and inclusive -> slice(l, begin, length), where an
    end before the beginning is an empty list in both."""
    items, begin, end = (_inner(a) for a in args)
    length = exp.Add(
        this=exp.Sub(this=exp.Paren(this=end), expression=exp.Paren(this=begin.copy())),
        expression=exp.Literal.number(1),
    )
    # sqlglot's own node (rendered SLICE(l, begin, length)), so the typed pass knows it is a list
    return exp.ArraySlice(
        this=items, start=begin, is_length=True, end=exp.Greatest(this=length, expressions=[exp.Literal.number(0)])
    )


def _has_all(args: list[exp.Expression]) -> exp.Expression:
    """list_has_all(l, sub): nothing of `sub` is missing from `l`."""
    items, wanted = (_inner(a) for a in args)
    missing = exp.ArrayExcept(this=wanted, expression=items)
    return exp.Paren(this=exp.EQ(this=exp.ArraySize(this=missing), expression=exp.Literal.number(0)))


def _intersect(args: list[exp.Expression]) -> exp.Expression:
    return exp.ArrayIntersect(expressions=[_inner(a) for a in args])


def _interval(function: str, *fixed: int, at: int = 0):
    """to_months(n) -> make_ym_interval(0, n) and the like: `n` goes in position `at`."""

    def build(args: list[exp.Expression]) -> exp.Expression:
        parts = [exp.Literal.number(v) for v in fixed]
        parts.insert(at, _inner(args[0]))
        return exp.Anonymous(this=function, expressions=parts)

    return build


# DuckDB function -> (Spark function, or a builder taking the arguments)
_RENAMED = {
    "error": "RAISE_ERROR",
    "list_position": "ARRAY_POSITION",
    "list_indexof": "ARRAY_POSITION",
    "list_slice": _list_slice,
    "array_slice": _list_slice,
    "list_intersect": _intersect,
    "array_intersect": _intersect,
    "list_has_all": _has_all,
    "array_has_all": _has_all,
    "to_years": _interval("MAKE_YM_INTERVAL", 0, at=0),
    "to_months": _interval("MAKE_YM_INTERVAL", 0, at=1),
    "to_days": _interval("MAKE_DT_INTERVAL", at=0),
}


def _renamed(node: exp.Anonymous) -> exp.Expression:
    target = _RENAMED[node.name.lower()]
    if callable(target):
        return target(node.expressions)
    return exp.Anonymous(this=target, expressions=[_inner(e) for e in node.expressions])


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Format):
        return _printf_format(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() in _RENAMED:
        return _renamed(node)
    if isinstance(node, exp.ArraySlice) and not node.args.get("is_length") and not node.args.get("step"):
        # sqlglot renders DuckDB's array_slice(l, begin, end) as slice(l, begin, end): end is
        # a length in Spark
        return _list_slice([node.this, node.args["start"], node.args["end"]])
    if isinstance(node, exp.ArrayOverlaps):  # sqlglot keeps DuckDB's `&&`, which Spark lacks
        return exp.Anonymous(this="ARRAYS_OVERLAP", expressions=[_inner(node.this), _inner(node.expression)])
    if isinstance(node, exp.Grouping) and not isinstance(node.parent, exp.Cast):
        return _grouping_mask(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "try_strptime":
        value, fmt = node.expressions
        return _parse_call(_inner(value), fmt, safe=True)
    if isinstance(node, exp.StrToTime):
        return _parse_call(_inner(node.this), node.args["format"], safe=False)
    return node


def _inner(node: exp.Expression) -> exp.Expression:
    """A copy of an argument of a rewritten call, itself rewritten (sqlglot does not descend
    into the node a rewrite returns)."""
    return node.copy().transform(_rewrite)


def parse(sql: str) -> list[exp.Expression]:
    """DuckDB statements, parsed and rewritten for Spark (not yet rendered)."""
    statements = [s for s in sqlglot.parse(sql, read=READ) if s is not None]
    return [unique_cte_names(s.transform(_rewrite)) for s in statements]


def render(statement: exp.Expression, relation_types: RelationTypes | None = None) -> str:
    """One rewritten statement as Spark SQL. With `relation_types` (column types of the
    tables it reads), date arithmetic and list lengths are translated by type too."""
    if relation_types is not None:
        statement = typed(statement, relation_types)
    return statement.sql(dialect=WRITE)


def to_spark(sql: str) -> list[str]:
    """DuckDB SQL text -> Spark SQL statements."""
    return [render(s) for s in parse(sql)]
