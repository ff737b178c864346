"""The Spark connection adapter on hand-made cases, with DuckDB as the second implementation:
the same SQL text over the same frame must give the same values and dtypes on both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.config import default_config
from pipelines.contract import load_contract
from pipelines.db import has_table, scalar, table_columns
from pipelines.ingest import raw_expr
from pipelines.source_file import ColumnSource
from pipelines.metrics._frame import Query
from pipelines.spark.adapter import SparkSqlError
from pipelines.sqlsafe import ident, literal
from pipelines.validate import column_rule

from tests.conftest import SPARK_GROUP

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group(SPARK_GROUP)]

FRAME = pd.DataFrame(
    {
        "name": ["a", "b", None, "d"],
        "day": [dt.date(2020, 1, 31), dt.date(2024, 2, 29), None, dt.date(1999, 12, 31)],
        "n": [1, 2, 3, 4],
        "amount": [1.5, None, 2.25, 1e7],
        "flag": [True, False, None, True],
    }
)


def _both(spark_con, sql: str, params=None, frame: pd.DataFrame = FRAME, name: str = "t"):
    duck = duckdb.connect()
    duck.register(name, frame)
    spark_con.register(name, frame)
    return duck.execute(sql, params or []).df(), spark_con.execute(sql, params).df()


def assert_same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    assert list(left.columns) == list(right.columns)
    assert left.dtypes.to_dict() == right.dtypes.to_dict()
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))


def test_results_have_duckdbs_values_and_dtypes(spark_con):
    sql = (
        "SELECT name, day, n, amount, flag, CAST(amount AS DECIMAL(18, 2)) AS money, "
        "day - 1 AS day_before, n / 2 AS half, strftime(day, '%Y-%m') AS month "
        "FROM t ORDER BY n"
    )
    assert_same(*_both(spark_con, sql))


def test_parameters_and_fetchall(spark_con):
    duck, spark = duckdb.connect(), spark_con
    duck.register("t", FRAME)
    spark.register("t", FRAME)
    sql = "SELECT name, day, CAST(amount AS DECIMAL(18, 2)) FROM t WHERE n >= ? AND name <> ? ORDER BY n"
    assert spark.execute(sql, [2, "b"]).fetchall() == duck.execute(sql, [2, "b"]).fetchall()
    assert spark.execute(sql, [2, "b"]).fetchall()[0] == ("d", dt.date(1999, 12, 31), Decimal("10000000.00"))


def test_cube_with_grouping_mask_matches_duckdb(spark_con):
    frame = pd.DataFrame(
        {
            "period_start": [dt.date(2020, 1, 1)] * 5 + [dt.date(2021, 1, 1)] * 3,
            "period_end": [dt.date(2020, 12, 31)] * 5 + [dt.date(2021, 12, 31)] * 3,
            "gender": ["W", "W", "M", "M", None, "W", "M", "M"],
            "race": ["A", "B", "A", "A", "B", "A", None, "B"],
            "employee_id": [f"E{i}" for i in range(8)],
        }
    )
    q = Query(con=None, dims=["gender", "race"], periods=[])
    sql = q.grouped("SELECT * FROM cells", {"numerator": "count(*)", "n": "count(DISTINCT employee_id)"})
    ordered = f"SELECT * FROM ({sql}) ORDER BY period_start, _gid, gender, race"
    duck, spark = _both(spark_con, ordered, frame=frame, name="cells")
    assert_same(duck, spark)
    assert sorted(spark["_gid"].unique()) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "value,fmt",
    [
        ("3/1/2020", "%d/%m/%Y"),
        ("31/12/2020", "%d/%m/%Y"),
        ("32/1/2020", "%d/%m/%Y"),
        ("7/5/2011", "%m/%d/%Y"),
        ("2020-1-3", "%Y-%m-%d"),
        ("2020-02-30", "%Y-%m-%d"),
        ("12.3.51", "%d.%m.%y"),
        ("12.3.99", "%d.%m.%y"),
        ("1.1.68", "%d.%m.%y"),
        ("1.1.69", "%d.%m.%y"),
        ("Jan 3 2020", "%b %d %Y"),
        ("2020-01-03 10:30", "%Y-%m-%d %H:%M"),
        ("not a date", "%Y-%m-%d"),
    ],
)
def test_try_strptime_reads_dates_as_duckdb_does(spark_con, value, fmt):
    sql = f"SELECT try_strptime({literal(value)}, {literal(fmt)}) AS parsed"
    duck = duckdb.connect().execute(sql).fetchall()[0][0]
    assert spark_con.execute(sql).fetchall()[0][0] == duck


RAW_VALUES = [
    None,
    "",
    "abc",
    "2020-01-05",
    "2020-1-5",
    "2020-02-30",
    "1899-12-31",
    "2101-01-01",
    "2020-01",
    "2020-13",
    "12",
    "+3",
    "-4",
    "0",
    "1",
    "1.5",
    ".5",
    "0.0",
    "1.0001",
    "1e3",
    "1,000",
    "52000.00",
    "true",
    "Yes",
    "N",
    "f",
    "usd",
    "EURO",
    "voluntary",
    "INVOLUNTARY",
    "3/1/2020",
    "12.3.51",
    "it's",
    "a\\b",
]


def _columns_by_type() -> list:
    seen, out = set(), []
    for table in load_contract().values():
        for col in table.columns.values():
            key = (col.type, col.required, col.min, col.max, col.min_exclusive, col.default)
            if key not in seen:
                seen.add(key)
                out.append(col)
    return out


def _rule_cases() -> list:
    cases = [pytest.param(col, None, id=f"{col.type}-{col.name}") for col in _columns_by_type()]
    date_col = next(c for c in _columns_by_type() if c.type == "date")
    return cases + [pytest.param(date_col, fmt, id=f"date-{fmt}") for fmt in ("%d/%m/%Y", "%d.%m.%y")]


@pytest.mark.parametrize("col,date_format", _rule_cases())
def test_validation_rules_cast_and_quarantine_as_in_duckdb(spark_con, col, date_format):
    cast, reason = column_rule(col, date_format, default_config())
    frame = pd.DataFrame({col.name: pd.Series(RAW_VALUES, dtype=object)})
    sql = f"SELECT {cast} AS value, {reason} AS reason FROM raw ORDER BY 1, 2"
    duck, spark = _both(spark_con, sql, frame=frame, name="raw")
    assert_same(duck, spark)
    assert duck["reason"].notna().any() or not col.required  # the case is not vacuous


@pytest.mark.parametrize(
    "source",
    [
        ColumnSource(source="Sex", values={"f": "Woman", "m": "Man", "x": ""}),
        ColumnSource(source="Sex", constant="Not asked"),
        ColumnSource(source="Sex", part="year", date_format="%m/%d/%y", two_digit_year="past"),
        ColumnSource(source="Sex", part="year", date_format="%d.%m.%Y"),
    ],
)
def test_mapping_expressions_match_duckdb(spark_con, source):
    frame = pd.DataFrame({"Sex": [" F", "m ", "X", "", None, "07/04/51", "1/2/99", "03.01.2020", "q"]})
    sql = f"SELECT {raw_expr(source)} AS value FROM src ORDER BY 1"
    assert_same(*_both(spark_con, sql, frame=frame, name="src"))


@pytest.mark.parametrize("text", ["it's", "a\\b", 'say "hi"', "back`tick", "%s {} %%", "line\nbreak"])
def test_hostile_literals_and_identifiers_round_trip(spark_con, text):
    frame = pd.DataFrame({text: [1]})
    spark_con.register("hostile", frame)
    row = spark_con.execute(f"SELECT {literal(text)} AS v, {ident(text)} AS c FROM hostile").fetchall()
    assert row == [(text, 1)]


def test_format_with_placeholders_matches_duckdb(spark_con):
    sql = "SELECT format('line {}: {} (100%)', n, coalesce(name, '(blank)')) AS example FROM t ORDER BY n"
    assert_same(*_both(spark_con, sql))


def test_create_table_as_materialises_and_drop_removes(spark_con):
    spark_con.register("t", FRAME)
    spark_con.execute("CREATE OR REPLACE TABLE doubled AS SELECT n * 2 AS n2 FROM t")
    assert has_table(spark_con, "doubled")
    assert table_columns(spark_con, "doubled") == ["n2"]
    assert scalar(spark_con, "SELECT sum(n2) FROM doubled") == 20
    spark_con.execute("DROP TABLE IF EXISTS doubled")
    assert not has_table(spark_con, "doubled")


def test_cursor_views_are_dropped_on_close(spark_con):
    cur = spark_con.cursor()
    cur.register("q_periods", pd.DataFrame({"period_start": [dt.date(2020, 1, 1)]}))
    assert has_table(spark_con, "q_periods")
    cur.close()
    assert not has_table(spark_con, "q_periods")


def test_writes_that_spark_cannot_do_in_place_are_refused(spark_con):
    spark_con.register("t", FRAME)
    with pytest.raises(SparkSqlError, match="INSERT"):
        spark_con.execute("INSERT INTO t VALUES ('e', DATE '2020-01-01', 5, 1.0, true)")
    with pytest.raises(SparkSqlError, match="only CREATE ... AS SELECT"):
        spark_con.execute("CREATE TABLE empty_one (a INTEGER)")
    assert not has_table(spark_con, "empty_one")


def test_temporary_tables_stay_temporary_with_a_database(spark, tmp_path):
    from pipelines.spark.adapter import SparkConnection

    con = SparkConnection(spark, database="equity_adapter_test")
    try:
        con.register("t", FRAME)
        con.execute("CREATE OR REPLACE TEMP TABLE scratch AS SELECT n FROM t")
        con.execute("CREATE OR REPLACE TABLE kept AS SELECT n FROM t")
        assert scalar(con, "SELECT count(*) FROM scratch") == 4
        assert not spark.catalog.tableExists("equity_adapter_test.scratch")
        assert spark.table("equity_adapter_test.kept").count() == 4
    finally:
        con.release()
        spark.sql("USE default")


def test_a_failing_statement_names_the_statement(spark_con):
    spark_con.register("t", FRAME)
    with pytest.raises(SparkSqlError, match="SELECT no_such_column FROM t"):
        spark_con.execute("SELECT no_such_column FROM t").fetchall()


def test_person_identifiers_reach_the_driver_only_as_pseudonyms(spark_con):
    people = pd.DataFrame({"employee_id": ["E1", "E2", "E1", None], "tenure": [1.0, 2.0, 3.0, 4.0]})
    spark_con.register("people", people)
    before = spark_con.execute("SELECT employee_id FROM people ORDER BY tenure").fetchall()
    assert [r[0] for r in before] == ["E1", "E2", "E1", None]  # not guarded yet (the build's checks)
    spark_con.guard(["employee_id"])
    cur = spark_con.cursor()  # cursors share the guard
    out = cur.execute("SELECT employee_id, tenure FROM people ORDER BY tenure").df()
    ids = out["employee_id"].tolist()
    assert not {"E1", "E2"} & set(ids)
    assert ids[0] == ids[2] != ids[1]  # same person, same pseudonym; another person, another
    assert pd.isna(ids[3])  # no id stays no id
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids[:3])
    again = cur.execute("SELECT DISTINCT employee_id FROM people WHERE tenure = 1").fetchall()
    assert again == [(ids[0],)]  # stable for the whole run
    assert scalar(cur, "SELECT count(DISTINCT employee_id) FROM people") == 2  # SQL sees real ids
    other = type(spark_con)(spark_con.spark)
    other.guard(["employee_id"])
    assert other.execute("SELECT employee_id FROM people ORDER BY tenure").fetchall()[0][0] != ids[0]


def test_pandas_never_crosses_through_pyspark(spark_con, monkeypatch):
    from pyspark.sql import DataFrame

    def refuse(*_args, **_kwargs):
        raise AssertionError("PySpark's pandas conversion was used")

    monkeypatch.setattr(DataFrame, "toPandas", refuse)
    spark_con.register("t", FRAME)
    out = spark_con.execute("SELECT n, amount FROM t ORDER BY n").df()
    assert np.allclose(out["amount"].to_numpy(), [1.5, np.nan, 2.25, 1e7], equal_nan=True)
