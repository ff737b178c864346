"""Engine pieces every family uses once (issue 21): Query.grouped with key columns and the one
latest-full-period rule. Expected values are counted by hand from the rows below."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipelines.metrics import full_period_rows, full_periods, latest_full_period, latest_full_period_rows, make_periods
from pipelines.metrics._frame import Query

D = dt.date


def test_latest_full_period_skips_a_clipped_last_year():
    # window 1 Mar 2021 - 30 Jun 2024: 2021 and 2024 are clipped, 2022 and 2023 whole
    periods = make_periods("year", D(2021, 3, 1), D(2024, 6, 30))
    assert [p.label for p in full_periods(periods)] == ["2022", "2023"]
    assert latest_full_period(periods).label == "2023"
    assert (latest_full_period(periods).start, latest_full_period(periods).end) == (D(2023, 1, 1), D(2023, 12, 31))


def test_latest_full_period_is_the_latest_when_every_period_is_partial():
    periods = make_periods("year", D(2024, 2, 1), D(2024, 6, 30))
    assert full_periods(periods) == []
    assert latest_full_period(periods).label == "2024" and latest_full_period(periods).is_partial


def test_the_rule_on_long_table_rows():
    rows = pd.DataFrame(
        {
            "period_start": [D(2022, 1, 1), D(2023, 1, 1), D(2023, 1, 1), D(2024, 1, 1)],
            "group": ["All", "All", "Woman", "All"],
            "note": ["", None, "n<k", "partial period"],
        }
    )
    assert list(full_period_rows(rows)["period_start"]) == [D(2022, 1, 1), D(2023, 1, 1), D(2023, 1, 1)]
    assert list(latest_full_period_rows(rows)["group"]) == ["All", "Woman"]
    only_partial = rows.iloc[[3]]
    assert list(latest_full_period_rows(only_partial)["period_start"]) == [D(2024, 1, 1)]
    assert latest_full_period_rows(rows.iloc[[]]).empty


def _none(v):
    return None if pd.isna(v) else v


@pytest.fixture()
def query():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        "(DATE '2024-01-01', DATE '2024-12-31', 'screen', 'Woman'), "
        "(DATE '2024-01-01', DATE '2024-12-31', 'screen', 'Woman'), "
        "(DATE '2024-01-01', DATE '2024-12-31', 'screen', 'Man'), "
        "(DATE '2024-01-01', DATE '2024-12-31', 'offer', 'Woman')) v(period_start, period_end, stage, gender)"
    )
    yield con
    con.close()


def test_grouped_keeps_key_columns_in_every_grouping_set(query):
    q = Query(con=query, dims=["gender"], periods=[])
    df = q.frame(q.grouped("SELECT * FROM t", {"n": "count(*)"}, keys=["stage"]))
    got = {(r["stage"], _none(r["gender"]), r["_gid"]): r["n"] for r in df.to_dict("records")}
    # by hand: screen has 2 women and 1 man, offer 1 woman; each stage has its own overall row
    assert got == {
        ("screen", "Woman", 0): 2,
        ("screen", "Man", 0): 1,
        ("screen", None, 1): 3,
        ("offer", "Woman", 0): 1,
        ("offer", None, 1): 1,
    }


def test_grouped_without_dimensions_and_without_keys(query):
    no_dims = Query(con=query, dims=[], periods=[])
    df = no_dims.frame(no_dims.grouped("SELECT * FROM t", {"n": "count(*)"}, keys=["stage"]))
    assert dict(zip(df["stage"], df["n"])) == {"screen": 3, "offer": 1} and set(df["_gid"]) == {0}
    q = Query(con=query, dims=["gender"], periods=[])
    plain = q.frame(q.grouped("SELECT * FROM t", {"n": "count(*)"}))
    assert "stage" not in plain
    assert {(_none(r["gender"]), r["_gid"]): r["n"] for r in plain.to_dict("records")} == {
        ("Woman", 0): 3,
        ("Man", 0): 1,
        (None, 1): 4,
    }
