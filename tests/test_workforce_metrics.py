"""Foundation workforce metrics on a hand-made folder; every expected value is worked out
by hand in the comments (month-end headcounts listed month by month)."""

from __future__ import annotations

import datetime as dt

import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact


def E(eid, gender, race, hire, term="", ttype=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": race,
        "birth_year": "1985",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": ttype,
    }


PEOPLE = [
    E("E01", "Woman", "Black", "2015-01-01"),
    E("E02", "Woman", "Black", "2016-01-01", "2021-03-15", "voluntary"),
    E("E03", "Woman", "White", "2017-01-01"),
    E("E04", "Woman", "White", "2018-01-01"),
    E("E05", "Man", "White", "2019-01-01"),
    E("E06", "Man", "White", "2019-06-01", "2021-06-30", "involuntary"),
    E("E07", "Man", "Black", "2020-01-01"),
    E("E08", "Man", "Black", "2021-07-01"),
    E("E09", "Man", "Asian", "2021-02-01", "2021-09-10", "voluntary"),
    E("E10", "", "Asian", "2020-05-01"),
    E("E11", "Non-binary", "White", "2021-04-01"),
    E("E12", "Woman", "Asian", "2014-01-01", "2020-12-31", "voluntary"),  # left before the window
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("wf") / "data",
        PEOPLE,
        config={"history_start": "2021-01-01", "as_of": "2021-12-31", "privacy": {"k": 3}},
    )
    c = build_and_open(folder)
    yield c
    c.close()


def row(df, group, dims=None):
    sel = df[df["group"] == group]
    if dims is not None:
        sel = sel[sel["dimensions"] == dims]
    assert len(sel) == 1, (group, dims, df[["dimensions", "group"]])
    return sel.iloc[0]


def test_headcount_counts_people_active_on_period_end(con):
    df = compute_exact(con, "headcount", by=["gender"])
    assert list(df["period"].unique()) == ["2021"]
    # active on 2021-12-31: E01 E03 E04 (women), E05 E07 E08 (men), E10 (blank), E11
    assert row(df, "All")["value"] == 8
    assert row(df, "Woman")["value"] == 3
    raw = unsuppressed_table(con, "headcount", by=["gender"])
    assert row(raw, "Man")["value"] == 3


def test_complementary_suppression_widens_a_line_whose_hidden_cells_are_too_few(con):
    df = compute_exact(con, "headcount", by=["gender"])
    # hidden: Not disclosed (1) + Non-binary (1) = 2 people < k=3, so the next-smallest
    # published cell (Man 3, tie with Woman 3 broken by label) is suppressed as well
    man = row(df, "Man")
    assert man["suppressed"] and "cannot be recovered" in man["note"]
    assert not row(df, "Woman")["suppressed"]


def test_blank_gender_is_not_disclosed_and_small_groups_are_suppressed(con):
    df = compute_exact(con, "headcount", by=["gender"])
    nd = row(df, "Not disclosed")
    nb = row(df, "Non-binary")
    for r in (nd, nb):  # one person each: below k=3
        assert r["suppressed"] and "n<k" in r["note"]
        assert r[["value", "numerator", "n", "ci_low"]].isna().all()


def test_representation_share_and_wilson_interval(con):
    df = compute_exact(con, "representation", by=["gender"])
    woman = row(df, "Woman")
    assert woman["value"] == pytest.approx(3 / 8)
    assert woman["denominator"] == 8
    lo, hi = proportion_confint(3, 8, alpha=0.05, method="wilson")  # statsmodels as second method
    assert woman["ci_low"] == pytest.approx(lo, abs=1e-9)
    assert woman["ci_high"] == pytest.approx(hi, abs=1e-9)


def test_hires_and_separations_in_period(con):
    hires = compute_exact(con, "hires")
    seps = compute_exact(con, "separations", by=["gender"])
    assert row(hires, "All")["value"] == 3  # E08, E09, E11
    assert row(seps, "All")["value"] == 3  # E02, E06, E09 (E12 left in 2020)


def test_turnover_rate_is_separations_over_average_month_end_headcount(con):
    df = unsuppressed_table(con, "turnover_rate", by=["gender"])
    # month-end headcounts Jan..Dec: 8 9 8 9 9 9 9 9 8 8 8 8 = 102 -> mean 8.5
    overall = row(df, "All")
    assert overall["numerator"] == 3
    assert overall["denominator"] == pytest.approx(102 / 12)
    assert overall["value"] == pytest.approx(3 / 8.5)
    # women: 4 4 then 3 x 10 = 38 -> 38/12; one exit (E02)
    assert row(df, "Woman")["value"] == pytest.approx(1 / (38 / 12))
    # men: 3, then 4 x 7 (Feb-Aug; E06 counted on 30 Jun, E08 from July), then 3 x 4 = 43
    assert row(df, "Man")["value"] == pytest.approx(2 / (43 / 12))


def test_turnover_interval_is_exact_poisson(con):
    overall = row(compute_exact(con, "turnover_rate"), "All")
    exposure = 102 / 12
    # second method: solve P(X >= 3 | mu) = 0.025 and P(X <= 3 | mu) = 0.025 for mu numerically
    lo_mu = optimize.brentq(lambda mu: stats.poisson.sf(2, mu) - 0.025, 1e-9, 50)
    hi_mu = optimize.brentq(lambda mu: stats.poisson.cdf(3, mu) - 0.025, 1e-9, 50)
    assert overall["ci_low"] == pytest.approx(lo_mu / exposure, rel=1e-7)
    assert overall["ci_high"] == pytest.approx(hi_mu / exposure, rel=1e-7)


def test_intersectional_groups_and_margins(con):
    df = compute_exact(con, "headcount", by=["gender", "race_ethnicity"], k=3)
    assert set(df["dimensions"]) == {"", "gender", "race_ethnicity", "gender|race_ethnicity"}
    # White women on 2021-12-31: E03, E04 -> 2 < 3, suppressed; Black women: E01 -> suppressed
    assert row(df, "Woman|White")["suppressed"]
    assert row(df, "Not disclosed|Asian", "gender|race_ethnicity")["suppressed"]
    assert row(df, "White", "race_ethnicity")["value"] == 4  # E03 E04 E05 E11


def test_quarterly_periods_and_custom_range(con):
    q = compute_exact(con, "separations", period="quarter", k=3)
    overall = q[q["group"] == "All"]
    assert list(overall["period"]) == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    custom = compute_exact(
        con, "hires", period="custom", date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 6, 30), k=3
    )
    assert row(custom, "All")["numerator"] is not None
    # hires Jan-Jun: E09 (Feb), E11 (Apr) = 2 < 3 -> suppressed overall
    assert row(custom, "All")["suppressed"]


def test_k_below_three_is_refused(con):
    from pipelines.errors import UsageError

    with pytest.raises(UsageError, match="at least 3"):
        compute_exact(con, "headcount", k=2)


def test_a_period_with_nothing_to_count_still_has_its_overall_row(con):
    # nobody was hired in 2021 Q4 (hires: E08 2021-07-01 is Q3, E11 2021-04-01 Q2, E09 Q1)
    df = compute_exact(
        con, "hires", by=["gender"], period="custom", date_from=dt.date(2021, 10, 1), date_to=dt.date(2021, 12, 31)
    )
    assert df["group"].tolist() == ["All"]
    assert df["suppressed"].tolist() == [True] and df["note"].tolist() == ["n<k"]  # 0 people < k
