"""The planted truths of sample_data/README.md that concern the workforce (1: Black women
leave twice as often; 5: the 2022 parental-leave policy) are recovered by the published
metrics on the committed sample. Expected numbers are the README's "Demo" figures; where a
README figure uses another denominator, the check is the documented effect instead."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from pipelines.metrics._engine import unsuppressed_table
from pipelines.families.workforce.curves import retention_curves
from pipelines.families.workforce.impact import impact
from tests.conftest import SAMPLE_DIR
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow
BW = "Woman|Black or African American"
TO_2025 = dt.date(2025, 12, 31)


def pooled(df: pd.DataFrame, dims: str, group: str) -> float:
    """Sum of numerators / sum of denominators over the years 2019-2025 (all published)."""
    rows = df[(df["dimensions"] == dims) & (df["group"] == group)]
    assert not rows["suppressed"].any(), (dims, group)
    return rows["numerator"].sum() / rows["denominator"].sum()


@pytest.fixture(scope="module")
def tables(sample_db):
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    by = ["gender", "race_ethnicity"]
    out = {
        name: compute_exact(con, name, by=by, date_to=TO_2025) for name in ("turnover_rate", "turnover_rate_voluntary")
    }
    # 2019's Black women retention cell is hidden by complementary suppression in the
    # published table; the README pools every year, so this check reads the raw table
    out["retention_rate"] = unsuppressed_table(con, "retention_rate", by=by, date_to=TO_2025)
    yield out
    con.close()


def test_truth1_black_women_voluntary_turnover_is_about_twice(tables):
    vol = tables["turnover_rate_voluntary"]
    bw, white_w = pooled(vol, "gender|race_ethnicity", BW), pooled(vol, "gender|race_ethnicity", "Woman|White")
    man, woman = pooled(vol, "gender", "Man"), pooled(vol, "gender", "Woman")
    black = pooled(vol, "race_ethnicity", "Black or African American")
    # README: "a little more than twice" White women's or men's rate for voluntary exits
    assert 2.0 <= bw / white_w <= 2.8 and 2.0 <= bw / man <= 2.8
    assert bw > black > woman  # the single-axis groups dilute the effect
    everyone = tables["turnover_rate"]
    assert 1.7 <= pooled(everyone, "gender|race_ethnicity", BW) / pooled(everyone, "", "All") <= 2.3


def test_truth1_every_year_black_women_turnover_ci_is_above_everyone(tables):
    df = tables["turnover_rate"]
    bw = df[(df["group"] == BW)].set_index("period")
    allp = df[df["group"] == "All"].set_index("period")
    shown = bw[~bw["suppressed"]]
    assert len(shown) >= 6
    assert (shown["value"] > allp.loc[shown.index, "value"]).all()


def test_truth1_retention_rate_matches_the_readme(tables):
    df = tables["retention_rate"]
    # README "share still employed at the end of the year", 2019-2025 pooled:
    # Black women 75.5%, Black 82.9% (82.99% before rounding down), Woman 86.7%, everyone 87.4%
    assert pooled(df, "gender|race_ethnicity", BW) == pytest.approx(0.755, abs=0.0006)
    assert pooled(df, "race_ethnicity", "Black or African American") == pytest.approx(0.829, abs=0.0015)
    assert pooled(df, "gender", "Woman") == pytest.approx(0.867, abs=0.0006)
    assert pooled(df, "", "All") == pytest.approx(0.874, abs=0.0006)


def _window_times(start: dt.date, end: dt.date) -> pd.DataFrame:
    """Entry/exit tenure per person over [start, end] straight from employees.csv (no SQL)."""
    emp = pd.read_csv(
        SAMPLE_DIR / "hr" / "employees.csv",
        parse_dates=["hire_date", "termination_date"],
        keep_default_na=False,
        na_values={"termination_date": [""]},
    )
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    emp = emp[(emp["hire_date"] <= e) & (emp["termination_date"].isna() | (emp["termination_date"] >= s))]
    last = emp["termination_date"].fillna(e).clip(upper=e)
    return pd.DataFrame(
        {
            "entry": (s - emp["hire_date"]).dt.days.clip(lower=0).astype(float),
            "exit": ((last - emp["hire_date"]).dt.days + 1).astype(float),
            "event": (emp["termination_date"].notna() & (emp["termination_date"] <= e)).astype(int),
            "group": (emp["gender"] + "|" + emp["race_ethnicity"]).where(emp["race_ethnicity"] != "", emp["gender"]),
            "gender": emp["gender"].replace("", "Not disclosed"),
        }
    )


def test_truth1_km_retention_matches_statsmodels_and_black_women_stay_less(sample_con):
    start, end = dt.date(2019, 1, 1), TO_2025
    kwargs = dict(by=["gender", "race_ethnicity"], period="custom", date_from=start, date_to=end)
    r12, r24 = (
        compute_exact(sample_con, "retention_12m", **kwargs),
        compute_exact(sample_con, "retention_24m", **kwargs),
    )
    times = _window_times(start, end)
    bw = times[times["group"] == BW]
    for table, days in ((r12, 365), (r24, 730)):
        got = table[table["group"] == BW].iloc[0]
        early = bw[bw["entry"] < days]
        ref = SurvfuncRight(early["exit"], early["event"], entry=early["entry"])
        i = np.searchsorted(ref.surv_times, days, side="right") - 1
        assert got["value"] == pytest.approx(ref.surv_prob[i], abs=1e-9)
    everyone = lambda t: t[t["group"] == "All"].iloc[0]  # noqa: E731
    black_women = lambda t: t[t["group"] == BW].iloc[0]  # noqa: E731
    # demo: 82.0% vs 84.8% at 12 months (few Black women hired: 107, noisy), and at 24 months
    # 49.8% vs 72.4% - the doubled hazard is unmistakable once the second year is in
    assert black_women(r12)["value"] < everyone(r12)["value"]
    assert black_women(r24)["ci_high"] < everyone(r24)["ci_low"]


def test_truth1_log_rank_by_gender_equals_statsmodels(sample_con):
    res = retention_curves(sample_con, by=["gender"], date_to=TO_2025, exact=True)
    times = _window_times(res.window.start, res.window.end)
    keep = times["gender"].isin(res.logrank.groups)
    chisq, _ = survdiff(
        times.loc[keep, "exit"].to_numpy(),
        times.loc[keep, "event"].to_numpy(),
        times.loc[keep, "gender"].to_numpy(),
        entry=times.loc[keep, "entry"].to_numpy(),
    )
    assert res.logrank.statistic == pytest.approx(chisq, rel=1e-9)
    inter = retention_curves(sample_con, by=["gender", "race_ethnicity"], date_to=TO_2025, exact=True)
    assert inter.logrank.p_value < 1e-6  # the intersectional groups differ clearly


def test_truth5_mens_parental_leave_uptake_roughly_triples(sample_con):
    df = compute_exact(sample_con, "parental_leave_uptake", by=["gender"], date_to=TO_2025)
    men = df[df["group"] == "Man"].set_index("period")["value"]
    # README (starts per man employed on 1 July): 1.3 1.2 1.1 | 2.7 2.6 3.0 2.7 %. Ours divides
    # by the average month-end headcount instead, so each year may differ by a rounding step.
    readme = {"2019": 0.013, "2020": 0.012, "2021": 0.011, "2022": 0.027, "2023": 0.026, "2024": 0.030, "2025": 0.027}
    for year, value in readme.items():
        assert men[year] == pytest.approx(value, abs=0.001), year
    before, after = men[["2019", "2020", "2021"]].mean(), men[["2022", "2023", "2024", "2025"]].mean()
    assert after / before > 2.0


def test_truth5_women_still_employed_after_leave_rises_from_80_to_92(sample_con):
    def women(date_from, date_to):
        df = compute_exact(
            sample_con, "return_after_leave_12m", by=["gender"], period="custom", date_from=date_from, date_to=date_to
        )
        return df[df["group"] == "Woman"].iloc[0]

    before = women(dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    after = women(dt.date(2022, 1, 1), dt.date(2026, 9, 30))
    # README: 80.8% of 120 leaves starting before 2022, 93.8% of 97 starting after
    assert (before["numerator"], before["denominator"]) == (97, 120)
    assert (after["numerator"], after["denominator"]) == (91, 97)
    assert before["ci_high"] < after["value"]


def test_truth5_policy_event_raises_mens_uptake_level(sample_con):
    res = impact(
        sample_con,
        "parental_leave_uptake",
        "Parental leave 26 weeks",
        months=36,
        by=["gender"],
        group="Man",
        exact=True,
    )
    level = res.coefficients.set_index("term").loc["level change at event"]
    assert level["ci_low"] > 0
    assert res.months_before == 36 and res.months_after == 36
