"""Retention metrics on the database: the SQL's entry/exit/censoring must equal an
independent date calculation done here in Python, and the Kaplan-Meier figures must equal
statsmodels' SurvfuncRight on those values; the published curves keep small groups out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from pipelines.families.workforce.curves import retention_curves
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact

START, END = dt.date(2021, 1, 1), dt.date(2022, 12, 31)


def _people():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(60):
        hire = dt.date(2017, 1, 1) + dt.timedelta(days=int(rng.integers(0, 6 * 365)))
        leaves = rng.random() < 0.55
        term = hire + dt.timedelta(days=int(rng.integers(20, 900))) if leaves else None
        if term is not None and term < START:  # the export holds people employed since the window
            term = START + dt.timedelta(days=int(rng.integers(0, 600)))
        if term is not None and term > END:
            term = None
        gender = "Non-binary" if i < 2 else "Prefer not to say" if i < 6 else ("Woman" if i % 2 else "Man")
        rows.append(
            {
                "employee_id": f"E{i:03d}",
                "gender": gender,
                "race_ethnicity": "White",
                "birth_year": "1980",
                "hire_date": hire.isoformat(),
                "termination_date": term.isoformat() if term else "",
                "termination_type": "voluntary" if term else "",
            }
        )
    return rows


PEOPLE = _people()


def expected_times(start: dt.date, end: dt.date, people=PEOPLE):
    """Entry/exit tenure in days for the window [start, end], computed without SQL:
    tenure on day D = D - hire + 1 (hire day is day 1); entry = days completed before the
    window; exit = tenure on the last day observed; event = left within the window."""
    entry, exit_, event, gender = [], [], [], []
    for p in people:
        hire = dt.date.fromisoformat(p["hire_date"])
        term = dt.date.fromisoformat(p["termination_date"]) if p["termination_date"] else None
        if hire > end or (term is not None and term < start):
            continue
        last = min(term, end) if term else end
        entry.append(max((start - hire).days, 0))
        exit_.append((last - hire).days + 1)
        event.append(term is not None and term <= end)
        gender.append(p["gender"])
    return np.array(entry, float), np.array(exit_, float), np.array(event), np.array(gender)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("ret") / "data",
        PEOPLE,
        config={"history_start": START.isoformat(), "as_of": END.isoformat(), "privacy": {"k": 3}},
    )
    c = build_and_open(folder)
    yield c
    c.close()


def overall(df):
    return df[df["group"] == "All"].iloc[0]


@pytest.mark.parametrize("name, days", [("retention_12m", 365), ("retention_24m", 730)])
def test_retention_at_horizon_equals_statsmodels_on_independent_entry_and_exit(con, name, days):
    got = overall(compute_exact(con, name, period="custom", date_from=START, date_to=END))
    entry, exit_, event, _ = expected_times(START, END)
    early = entry < days  # only people seen before the horizon inform S(horizon)
    ref = SurvfuncRight(exit_[early], event[early].astype(int), entry=entry[early])
    i = np.searchsorted(ref.surv_times, days, side="right") - 1
    assert got["value"] == pytest.approx(ref.surv_prob[i], abs=1e-9)
    assert got["n"] == early.sum()
    s, se = ref.surv_prob[i], ref.surv_prob_se[i]
    sigma = se / (s * abs(np.log(s)))
    assert got["ci_low"] == pytest.approx(s ** np.exp(1.959963984540054 * sigma), abs=1e-9)


def test_each_year_is_its_own_window(con):
    got = compute_exact(con, "retention_12m")
    entry, exit_, event, _ = expected_times(dt.date(2022, 1, 1), END)
    early = entry < 365
    ref = SurvfuncRight(exit_[early], event[early].astype(int), entry=entry[early])
    i = np.searchsorted(ref.surv_times, 365, side="right") - 1
    row = got[(got["group"] == "All") & (got["period"] == "2022")].iloc[0]
    assert row["value"] == pytest.approx(ref.surv_prob[i], abs=1e-9)


def test_median_tenure_in_months(con):
    got = overall(compute_exact(con, "median_tenure", period="custom", date_from=START, date_to=END))
    entry, exit_, event, _ = expected_times(START, END)
    ref = SurvfuncRight(exit_, event.astype(int), entry=entry)
    if np.isnan(ref.quantile(0.5)):
        pytest.fail("fixture should reach the median")
    assert got["value"] == pytest.approx(ref.quantile(0.5) / (365.25 / 12), abs=1e-9)


def test_curves_publish_only_groups_of_k_and_log_rank_over_them(con):
    res = retention_curves(con, by=["gender"], k=3, exact=True)
    shown = set(res.curves["group"]) - {"All"}
    # Non-binary (2 people) is below k; Prefer not to say (4) is hidden as well, or the
    # overall count minus the shown groups would give the 2 away
    assert shown == {"Man", "Woman"}
    table = res.groups.set_index("group")
    assert table.loc["Non-binary", "suppressed"] and np.isnan(table.loc["Non-binary", "n"])
    assert table.loc["Prefer not to say", "suppressed"]
    assert table.loc["All", "n"] == len(PEOPLE)
    entry, exit_, event, gender = expected_times(START, END)
    keep = np.isin(gender, ["Man", "Woman"])
    chisq, p = survdiff(exit_[keep], event[keep].astype(int), gender[keep], entry=entry[keep])
    assert res.logrank.statistic == pytest.approx(chisq, rel=1e-9)
    assert res.logrank.groups == ["Man", "Woman"]


def test_curve_points_need_k_at_risk_and_a_safe_remainder(con):
    k = 3
    res = retention_curves(con, by=["gender"], k=k, exact=True)
    curves = res.curves
    for group, part in curves.groupby("group"):
        shown = part.dropna(subset=["survival"])
        assert (shown["at_risk"] >= k).all(), group
    # independent at-risk counts at each grid time: entry < t <= exit
    entry, exit_, event, gender = expected_times(START, END)
    overall_pts = curves[curves["group"] == "All"].reset_index(drop=True)
    groups = {g: curves[curves["group"] == g].reset_index(drop=True) for g in ("Man", "Woman")}
    for i, t_months in enumerate(overall_pts["tenure_months"]):
        t = t_months * 365.25 / 12
        total = int(((entry < t) & (t <= exit_)).sum())
        shown_sum = sum(int(g.loc[i, "at_risk"]) for g in groups.values() if g.loc[i, "at_risk"] == g.loc[i, "at_risk"])
        remainder = total - shown_sum
        if overall_pts.loc[i, "survival"] == overall_pts.loc[i, "survival"]:  # published point
            assert overall_pts.loc[i, "at_risk"] == total
            assert remainder == 0 or remainder >= k, (t_months, remainder)


def test_left_truncation_changes_the_estimate(con):
    """A naive estimate that starts everybody at hire (ignoring that early exits before the
    window are not in the export) would be different - the metric must not be that."""
    got = overall(compute_exact(con, "retention_24m", period="custom", date_from=START, date_to=END))
    _, exit_, event, _ = expected_times(START, END)
    naive = SurvfuncRight(exit_, event.astype(int))
    i = np.searchsorted(naive.surv_times, 730, side="right") - 1
    assert abs(got["value"] - naive.surv_prob[i]) > 0.01
