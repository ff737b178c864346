"""DuckDB -> Spark SQL rewrites on hand-made cases (sqlglot only; no Spark needed).

Where the rewritten SQL is also valid DuckDB SQL (the GROUPING bit mask), DuckDB itself is
the independent check: the original and the rewrite must return the same rows.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
import sqlglot

from pipelines.metrics._frame import Query
from pipelines.spark import dialect


@pytest.mark.parametrize(
    "fmt,expected,two_digit",
    [
        ("%Y-%m-%d", "y-M-d", False),  # one or two digits for day and month, as DuckDB reads
        ("%m/%d/%Y", "M/d/y", False),
        ("%d.%m.%y", "d.M.yy", True),
        ("%d %B %Y", "d MMMM y", False),
        ("%Y-%m-%dT%H:%M:%S", "y-M-d'T'H:m:s", False),  # letters are quoted text
        ("%d/%m/%Y at noon", "d/M/y' at noon'", False),
        ("%Y%%", "y'%'", False),
        ("%j/%Y", "D/y", False),
    ],
)
def test_strptime_formats_become_java_parse_patterns(fmt, expected, two_digit):
    assert dialect.java_parse_format(fmt) == (expected, two_digit)


def test_a_quote_in_format_text_is_doubled():
    assert dialect.java_parse_format("%d o'clock") == ("d' o''clock'", False)


def test_unknown_directive_is_refused_not_guessed():
    with pytest.raises(dialect.UnsupportedSql, match="%Q"):
        dialect.java_parse_format("%Y-%Q")


def test_two_digit_years_are_moved_to_duckdbs_century():
    sql = dialect.to_spark("SELECT try_strptime(x, '%d.%m.%y') FROM t")[0]
    assert "TRY_TO_TIMESTAMP(x, 'd.M.yy')" in sql
    assert f">= {dialect.TWO_DIGIT_YEAR_PIVOT}" in sql and "INTERVAL '100' YEAR" in sql


def test_strict_strptime_stays_strict():
    assert "TO_TIMESTAMP(x, 'y-M-d')" in dialect.to_spark("SELECT strptime(x, '%Y-%m-%d')")[0]
    assert "TRY_" not in dialect.to_spark("SELECT strptime(x, '%Y-%m-%d')")[0]


def test_fmt_style_format_becomes_printf():
    sql = dialect.to_spark("SELECT format('line {}: {} (100%)', line, v) FROM q")[0]
    assert "FORMAT_STRING('line %s: %s (100%%)', line, v)" in sql


def test_positional_format_placeholders_are_refused():
    with pytest.raises(dialect.UnsupportedSql):
        dialect.to_spark("SELECT format('{1} {0}', a, b)")


def _grouping_rows(sql: str, frame: pd.DataFrame) -> list[tuple]:
    con = duckdb.connect()
    con.register("cells", frame)
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_grouping_mask_rewrite_returns_duckdbs_bits():
    frame = pd.DataFrame(
        {
            "period_start": ["p1", "p1", "p2", "p2", "p2"],
            "period_end": ["e1", "e1", "e2", "e2", "e2"],
            "a": ["x", "y", "x", "x", "y"],
            "b": ["u", "u", "v", "u", "v"],
            "c": ["k", "l", "k", "k", "l"],
        }
    )
    q = Query(con=None, dims=["a", "b", "c"], periods=[])
    original = q.grouped("SELECT * FROM cells", {"numerator": "count(*)"})
    rewritten = dialect.parse(original)[0]
    assert "GROUPING(a, b" not in rewritten.sql("spark").replace("`", "")
    # the rewrite is plain SQL DuckDB runs too: it must give the same _gid on every row
    assert _grouping_rows(rewritten.sql("duckdb"), frame) == _grouping_rows(original, frame)
    gids = {r[5] for r in _grouping_rows(original, frame)}
    assert gids == set(range(8))  # every subset of three dimensions is present


def test_single_column_grouping_is_a_bigint():
    sql = dialect.to_spark("SELECT GROUPING(a) AS g FROM t GROUP BY CUBE(a)")[0]
    assert "CAST(GROUPING(a) AS BIGINT)" in sql


def test_identifiers_and_literals_with_hostile_text_survive():
    sql = dialect.to_spark("""SELECT "we""ird `col`" AS "x y", 'it''s a\\b' AS v FROM t""")[0]
    parsed = sqlglot.parse_one(sql, read="spark")
    assert parsed.expressions[0].this.name == 'we"ird `col`'
    assert parsed.expressions[1].this.this == "it's a\\b"
