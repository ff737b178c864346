"""Turnover variants, first-year turnover, retention rate and hire/exit shares on a hand-made
folder. Every expected value is counted by hand in the comments (month-end headcounts are
listed month by month); intervals are checked against statsmodels as a second method."""

from __future__ import annotations

import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact


def E(eid, gender, race, hire, term="", ttype="", regretted=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": race,
        "birth_year": "1985",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": ttype,
        "regretted": regretted,
    }


PEOPLE = [
    E("E01", "Woman", "Black", "2015-01-01"),
    E("E02", "Woman", "Black", "2016-01-01", "2021-03-15", "voluntary", "true"),
    E("E03", "Woman", "White", "2017-01-01"),
    E("E04", "Woman", "White", "2018-01-01", "2021-11-30", "involuntary"),
    E("E05", "Man", "White", "2019-01-01", "2022-12-30", "involuntary"),
    E("E06", "Man", "White", "2021-02-01", "2021-08-31", "voluntary", "false"),
    E("E07", "Man", "Black", "2021-03-01", "2022-03-01", "voluntary", "true"),  # 366th day: not first year
    E("E08", "Man", "Asian", "2021-06-01"),
    E("E09", "Woman", "Asian", "2021-09-01", "2022-08-31", "voluntary"),  # 365th day: first year
    E("E10", "Non-binary", "White", "2022-02-01"),
    E("E11", "Man", "White", "2022-05-01", "2022-06-30", "voluntary"),
    E("E12", "Woman", "White", "2020-01-01", "2021-12-31", "voluntary", "true"),  # last day = year end
]
# Month ends of 2021 (active on D means hire <= D <= termination):
#   Jan E01 E02 E03 E04 E05 E12 = 6; Feb +E06 = 7; Mar -E02 +E07 = 7; Apr 7; May 7;
#   Jun +E08 = 8; Jul 8; Aug 8 (E06's last day is 31 Aug); Sep -E06 +E09 = 8; Oct 8;
#   Nov 8 (E04's last day is 30 Nov); Dec -E04 = 7 (E12 still counted on 31 Dec).
HEADCOUNT_2021 = 6 + 7 + 7 + 7 + 7 + 8 + 8 + 8 + 8 + 8 + 8 + 7  # = 89
# Women: Jan 5 (E01 E02 E03 E04 E12), Feb 5, Mar-Aug 4, Sep-Nov 5 (+E09), Dec 4
WOMEN_2021 = 5 + 5 + 4 * 6 + 5 * 3 + 4  # = 53


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("flows") / "data",
        PEOPLE,
        config={"history_start": "2021-01-01", "as_of": "2022-12-31", "privacy": {"k": 3}},
    )
    c = build_and_open(folder)
    yield c
    c.close()


def row(df, group, period="2021", dims=None):
    sel = df[(df["group"] == group) & (df["period"] == period)]
    if dims is not None:
        sel = sel[sel["dimensions"] == dims]
    assert len(sel) == 1, (group, period, df[["period", "dimensions", "group"]])
    return sel.iloc[0]


@pytest.mark.parametrize(
    "name, exits",
    [
        ("turnover_rate", 4),  # E02 E04 E06 E12
        ("turnover_rate_voluntary", 3),  # E02 E06 E12
        ("turnover_rate_involuntary", 1),  # E04
        ("turnover_rate_regretted", 2),  # E02 E12 (E06 regretted=false)
    ],
)
def test_turnover_variants_share_the_average_headcount_denominator(con, name, exits):
    overall = row(compute_exact(con, name), "All")
    assert overall["numerator"] == exits
    assert overall["denominator"] == pytest.approx(HEADCOUNT_2021 / 12)
    assert overall["value"] == pytest.approx(exits / (89 / 12))
    assert overall["n"] == 10  # E01-E09 and E12 on some month end of 2021
    # exact Poisson interval, second method: solve the tail equations for the mean
    lo = optimize.brentq(lambda mu: stats.poisson.sf(exits - 1, mu) - 0.025, 1e-9, 50)
    hi = optimize.brentq(lambda mu: stats.poisson.cdf(exits, mu) - 0.025, 1e-9, 50)
    assert overall["ci_low"] == pytest.approx(lo / (89 / 12), rel=1e-7)
    assert overall["ci_high"] == pytest.approx(hi / (89 / 12), rel=1e-7)


def test_voluntary_turnover_of_women(con):
    woman = row(compute_exact(con, "turnover_rate_voluntary", by=["gender"]), "Woman")
    assert woman["numerator"] == 2  # E02, E12 (E04 was involuntary)
    assert woman["value"] == pytest.approx(2 / (WOMEN_2021 / 12))


def test_first_year_turnover_counts_exits_within_365_days_of_complete_cohorts(con):
    df = unsuppressed_table(con, "first_year_turnover")
    c2021 = row(df, "All")
    # hires of 2021: E06 (left after 7 months), E07 (left on day 366), E08 (stays), E09 (left on day 365)
    assert (c2021["numerator"], c2021["denominator"]) == (2, 4)
    assert c2021["value"] == pytest.approx(0.5)
    lo, hi = proportion_confint(2, 4, method="wilson")
    assert (c2021["ci_low"], c2021["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    # hires of 2022 (E10, E11) cannot be followed for a year by 2022-12-31: no value
    c2022 = row(df, "All", "2022")
    assert c2022["denominator"] == 2 and c2022["value"] != c2022["value"]
    assert "incomplete follow-up" in c2022["note"]


def test_retention_rate_is_stayers_over_people_active_on_the_first_day(con):
    df = compute_exact(con, "retention_rate")
    # 1 Jan 2021: E01 E02 E03 E04 E05 E12; still there on 31 Dec: E01 E03 E05 E12 (last day 31 Dec)
    r21 = row(df, "All")
    assert (r21["numerator"], r21["denominator"]) == (4, 6)
    # 1 Jan 2022: E01 E03 E05 E07 E08 E09; on 31 Dec: E01 E03 E08 (E05 left 30 Dec)
    r22 = row(df, "All", "2022")
    assert (r22["numerator"], r22["denominator"]) == (3, 6)
    lo, hi = proportion_confint(3, 6, method="wilson")
    assert r22["ci_low"] == pytest.approx(lo) and r22["ci_high"] == pytest.approx(hi)


def test_hire_and_exit_shares(con):
    hires = unsuppressed_table(con, "hire_share", by=["gender"])
    # hires of 2021: E06 E07 E08 (men), E09 (woman)
    assert row(hires, "Man")["value"] == pytest.approx(3 / 4)
    assert row(hires, "Woman")["value"] == pytest.approx(1 / 4)
    exits = unsuppressed_table(con, "exit_share", by=["gender"])
    # exits of 2021: E02 E04 E12 (women), E06 (man)
    assert row(exits, "Woman")["value"] == pytest.approx(3 / 4)
    assert row(exits, "Man")["denominator"] == 4


def test_shares_are_suppressed_like_every_metric(con):
    published = compute_exact(con, "hire_share", by=["gender"])
    # one woman hired in 2021 (< k = 3); the men's cell would reveal her by subtraction
    assert row(published, "Woman")["suppressed"] and row(published, "Man")["suppressed"]
    assert row(published, "Woman")[["value", "numerator", "n"]].isna().all()
