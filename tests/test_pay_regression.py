"""Adjusted pay gap: the model matches a direct statsmodels formula fit (HC1), the reported
gap is 1 - exp(beta) (positive = paid less, the sign of every pay gap) and Kennedy's
1 - exp(beta - Var/2), and the planted sample gaps are recovered within their confidence intervals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from pipelines.families.pay.regression import details, fit_adjusted, gap_percent, kennedy_percent
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact

SNAPSHOT = dt.date(2024, 12, 31)


def _people(seed=11):
    rng = np.random.default_rng(seed)
    genders = ["Man"] * 40 + ["Woman"] * 30 + ["Non-binary"] * 8
    rows = []
    for i, g in enumerate(genders):
        level = rng.choice(["L1", "L2", "L3"])
        family = rng.choice(["Finance", "Software"])
        rating = rng.choice(["2", "3", "4"])
        hire = dt.date(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 5000)))
        tenure = (SNAPSHOT - hire).days / 365.25
        ln_pay = (
            np.log(50000)
            + 0.25 * int(level[1])
            + 0.15 * (family == "Software")
            + 0.01 * tenure
            - 0.06 * (g == "Woman")
            + 0.05 * rng.standard_normal()
        )
        rows.append(
            {
                "employee_id": f"E{i:03d}",
                "gender": g,
                "level": level,
                "family": family,
                "rating": rating,
                "hire": hire,
                "tenure": tenure,
                "salary": round(float(np.exp(ln_pay)), 2),
            }
        )
    return pd.DataFrame(rows)


def _direct_fit(df):
    data = df.assign(hourly=df["salary"] / (40 * 52.143))
    return smf.ols(
        "np.log(hourly) ~ C(gender, Treatment('Man')) + C(level) + C(family) + tenure + C(rating)", data=data
    ).fit(cov_type="HC1")


def test_fit_adjusted_matches_statsmodels_formula_fit():
    df = _people()
    ref = _direct_fit(df)
    factors = pd.get_dummies(df[["level", "family", "rating"]], drop_first=True, dtype=float)
    factors["tenure"] = df["tenure"]
    fit = fit_adjusted(np.log(df["salary"] / (40 * 52.143)), df["gender"], "Man", factors, "HC1")
    for group in ("Woman", "Non-binary"):
        name = f"C(gender, Treatment('Man'))[T.{group}]"
        est = fit["groups"][group]
        assert est["beta"] == pytest.approx(ref.params[name], abs=1e-10)
        assert est["se"] == pytest.approx(ref.bse[name], abs=1e-10)
        assert est["p"] == pytest.approx(ref.pvalues[name], rel=1e-8)
        assert est["ci_low"] == pytest.approx(ref.conf_int().loc[name, 0], abs=1e-10)
        assert est["ci_high"] == pytest.approx(ref.conf_int().loc[name, 1], abs=1e-10)
    assert fit["r_squared"] == pytest.approx(ref.rsquared) and fit["n"] == ref.nobs == 78
    beta, se = ref.params.iloc[2], ref.bse.iloc[2]
    assert gap_percent(beta) == pytest.approx(100 * (1 - np.exp(beta)))
    assert kennedy_percent(beta, se) == pytest.approx(100 * (1 - np.exp(beta - se**2 / 2)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    df = _people()
    employees = [
        {
            "employee_id": r.employee_id,
            "gender": r.gender,
            "race_ethnicity": "White",
            "birth_year": "1980",
            "hire_date": r.hire.isoformat(),
        }
        for r in df.itertuples()
    ]
    jobs = [
        {
            "employee_id": r.employee_id,
            "effective_date": r.hire.isoformat(),
            "department": "Ops",
            "job_family": r.family,
            "job_level": r.level,
            "location": "New York",
            "fte": "1",
            "annual_base_salary": f"{r.salary:.2f}",
            "currency": "USD",
            "performance_rating": r.rating,
            "change_reason": "hire",
        }
        for r in df.itertuples()
    ]
    folder = employees_folder(
        tmp_path_factory.mktemp("adj") / "data",
        employees,
        jobs,
        config={"history_start": "2024-01-01", "as_of": "2024-12-31", "privacy": {"k": 5}},
    )
    con = build_and_open(folder)
    yield con, df
    con.close()


def test_adjusted_pay_gap_metric_matches_a_direct_fit_on_the_same_data(built):
    con, df = built
    table = details(compute_exact(con, "adjusted_pay_gap", by=["gender"]))
    ref = _direct_fit(df)  # location is constant here, so the default factors reduce to these
    for group in ("Woman", "Non-binary"):
        name = f"C(gender, Treatment('Man'))[T.{group}]"
        r = table[table["group"] == group].iloc[0]
        beta, se = ref.params[name], ref.bse[name]
        assert r["numerator"] == pytest.approx(beta, abs=1e-9) and r["denominator"] == pytest.approx(se, abs=1e-9)
        assert r["value"] == pytest.approx(100 * (1 - np.exp(beta)), abs=1e-7)
        # the gap falls as beta rises: its interval's low end comes from beta's upper end
        assert r["ci_low"] == pytest.approx(100 * (1 - np.exp(ref.conf_int().loc[name, 1])), abs=1e-7)
        assert r["ci_high"] == pytest.approx(100 * (1 - np.exp(ref.conf_int().loc[name, 0])), abs=1e-7)
        assert r["p_value"] == pytest.approx(ref.pvalues[name], rel=1e-6)
        assert r["kennedy_gap"] == pytest.approx(100 * (1 - np.exp(beta - se**2 / 2)), abs=1e-7)
        assert r["r_squared"] == pytest.approx(ref.rsquared)
    man = table[table["group"] == "Man"].iloc[0]
    assert man["value"] == 0 and man["note"] == "reference group"


def test_small_group_coefficients_are_suppressed(built):
    con, _ = built
    table = compute_exact(con, "adjusted_pay_gap", by=["gender"], k=10)  # 8 non-binary people < 10
    nb = table[table["group"] == "Non-binary"].iloc[0]
    assert nb["suppressed"] and nb[["value", "numerator", "denominator", "ci_low", "n"]].isna().all()


@pytest.mark.slow
def test_planted_adjusted_gaps_are_recovered_on_the_sample(sample_con):
    # sample_data/README.md, planted truth 2: Woman ln(0.95) -> paid 5.0% less (gap +5.0%);
    # Black or African American ln(0.97) -> +3.0%; both together x0.9215 -> +7.85%; nobody else.
    table = compute_exact(sample_con, "adjusted_pay_gap", by=["gender", "race_ethnicity"])
    latest = table[table["period"] == "2025"].set_index("group")  # employees on 2025-12-31

    def covers(group, truth):
        r = latest.loc[group]
        assert not r["suppressed"] and r["ci_low"] <= truth <= r["ci_high"], (group, r[["value", "ci_low", "ci_high"]])

    covers("Woman", 5.0)
    covers("Black or African American", 3.0)
    covers("Woman|Black or African American", 100 * (1 - 0.95 * 0.97))
    covers("Non-binary", 0.0)
    assert latest.loc["Woman", "n"] > 900 and latest.loc["Woman", "reference"] == "Man"
    assert latest.loc["Woman|Black or African American", "reference"] == "Man|White"
    gender_only = compute_exact(sample_con, "adjusted_pay_gap", by=["gender"])
    woman = gender_only[(gender_only["period"] == "2025") & (gender_only["group"] == "Woman")].iloc[0]
    assert woman["ci_low"] <= 5.0 <= woman["ci_high"]


@pytest.mark.slow
def test_adjusted_gap_without_a_compared_dimension_gives_sizes_not_gaps(sample_con):
    """Overall (no breakdown) there is no group to compare: one row per year with the number
    of people with pay and no gap - never a crash. n is the yearly pay population, which the
    gender breakdown of the same metric splits into groups (their sizes add up to it)."""
    overall = compute_exact(sample_con, "adjusted_pay_gap")
    by_gender = compute_exact(sample_con, "adjusted_pay_gap", by=["gender"])
    assert len(overall) == overall["period"].nunique() > 0
    assert overall["value"].isna().all() and overall["n"].gt(0).all()
    groups = by_gender[by_gender["dimensions"] == "gender"]
    shown = groups.groupby("period")["suppressed"].sum() == 0
    totals = groups.groupby("period")["n"].sum()
    assert shown.any()
    for period in shown[shown].index:
        assert int(overall.set_index("period").loc[period, "n"]) == int(totals[period])
