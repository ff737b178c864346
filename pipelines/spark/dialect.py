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

Statements come back as sqlglot expressions so the adapter can treat DDL itself.
"""
from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

READ, WRITE = "duckdb", "spark"

# DuckDB reads a two-digit year below this as 20xx and from it as 19xx; Spark reads all as 20xx
TWO_DIGIT_YEAR_PIVOT = 2069

# strptime directive -> Spark (java.time) parse pattern. Single letters read one or more
# digits, as DuckDB does; letters that need an exact width keep it.
_PARSE_PATTERNS = {
    "Y": "y", "y": "yy", "m": "M", "-m": "M", "d": "d", "-d": "d", "e": "d", "b": "MMM",
    "h": "MMM", "B": "MMMM", "H": "H", "-H": "H", "I": "h", "-I": "h", "M": "m", "-M": "m",
    "S": "s", "-S": "s", "p": "a", "f": "SSSSSS", "j": "D", "%": "%",
}
_DIRECTIVE = re.compile(r"%(-?.)")


class UnsupportedSql(ValueError):
    """A statement or format that has no faithful Spark equivalent here."""


def java_parse_format(strptime_format: str) -> tuple[str, bool]:
    """(Spark parse pattern, whether it reads a two-digit %y year) for a DuckDB format."""
    out, pos, two_digit = [], 0, False
    for match in _DIRECTIVE.finditer(strptime_format):
        out.append(_quoted_text(strptime_format[pos:match.start()]))
        code = match.group(1)
        if code not in _PARSE_PATTERNS:
            raise UnsupportedSql(f"date format directive %{code} in {strptime_format!r} is not "
                                 f"supported on Spark")
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
    call = exp.cast(exp.Anonymous(this=name, expressions=[value, exp.Literal.string(pattern)]),
                    "TIMESTAMP_NTZ")
    if not two_digit:
        return call
    century_back = exp.Sub(this=call.copy(), expression=exp.Interval(
        this=exp.Literal.string("100"), unit=exp.var("YEAR")))
    return exp.Case(ifs=[exp.If(this=exp.GTE(this=exp.Year(this=call.copy()),
                                             expression=exp.Literal.number(TWO_DIGIT_YEAR_PIVOT)),
                                true=century_back)], default=call)


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
    return exp.Anonymous(this="FORMAT_STRING",
                         expressions=[exp.Literal.string(printf), *[e.copy() for e in node.expressions]])


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Format):
        return _printf_format(node)
    if isinstance(node, exp.Grouping) and not isinstance(node.parent, exp.Cast):
        return _grouping_mask(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "try_strptime":
        value, fmt = node.expressions
        return _parse_call(value, fmt, safe=True)
    if isinstance(node, exp.StrToTime):
        return _parse_call(node.this, node.args["format"], safe=False)
    return node


def parse(sql: str) -> list[exp.Expression]:
    """DuckDB statements, parsed and rewritten for Spark (not yet rendered)."""
    statements = [s for s in sqlglot.parse(sql, read=READ) if s is not None]
    return [s.transform(_rewrite) for s in statements]


def render(statement: exp.Expression) -> str:
    """One rewritten statement as Spark SQL."""
    return statement.sql(dialect=WRITE)


def to_spark(sql: str) -> list[str]:
    """DuckDB SQL text -> Spark SQL statements."""
    return [render(s) for s in parse(sql)]
