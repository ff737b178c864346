"""Optional checks on real public pay data (read from ../shared/data/real, written only to a
temporary folder, never into the repository): the raw gaps match a direct pandas computation
and the adjusted gap matches a direct statsmodels fit on the published files."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from tests.conftest import REAL_DATA
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow
SNAPSHOT = dt.date(2019, 6, 30)
PROF = REAL_DATA / "prof_salaries" / "Salaries.csv"
MONTGOMERY = REAL_DATA / "montgomery_salaries" / "Employee_Salaries_-_2019.csv"


def _folder(path, frame: pd.DataFrame, factors: list[str]):
    """Contract CSVs for one snapshot: columns gender, salary, level, family, hire."""
    employees = [
        {
            "employee_id": f"P{i:05d}",
            "gender": r.gender,
            "race_ethnicity": "",
            "birth_year": "",
            "hire_date": r.hire.isoformat(),
        }
        for i, r in enumerate(frame.itertuples())
    ]
    jobs = [
        {
            "employee_id": f"P{i:05d}",
            "effective_date": r.hire.isoformat(),
            "department": r.family,
            "job_family": r.family,
            "job_level": r.level,
            "location": "",
            "fte": "1",
            "annual_base_salary": f"{r.salary:.2f}",
            "currency": "USD",
            "performance_rating": "",
            "change_reason": "hire",
        }
        for i, r in enumerate(frame.itertuples())
    ]
    config = {"history_start": "2019-01-01", "as_of": SNAPSHOT.isoformat(), "pay": {"legitimate_factors": factors}}
    return employees_folder(path, employees, jobs, config=config)


def _gap_row(con, metric, group="Woman", **kw):
    table = compute_exact(con, metric, by=["gender"], **kw)
    return table[table["group"] == group].iloc[0]


@pytest.mark.skipif(not PROF.exists(), reason="real data not available (../shared/data/real/prof_salaries)")
def test_professor_salaries_raw_and_adjusted_gap(tmp_path):
    raw = pd.read_csv(PROF)
    frame = pd.DataFrame(
        {
            "gender": raw["sex"].map({"Male": "Man", "Female": "Woman"}),
            "salary": raw["salary"].astype(float),
            "level": raw["rank"],
            "family": raw["discipline"],
            "hire": [SNAPSHOT - dt.timedelta(days=int(round(y * 365.25))) for y in raw["yrs.service"]],
        }
    )
    con = build_and_open(_folder(tmp_path / "prof", frame, ["job_level", "job_family", "tenure_years"]))
    try:
        men, women = frame.loc[frame["gender"] == "Man", "salary"], frame.loc[frame["gender"] == "Woman", "salary"]
        assert len(women) == 39
        assert _gap_row(con, "pay_gap_mean")["value"] == pytest.approx(100 * (men.mean() - women.mean()) / men.mean())
        assert _gap_row(con, "pay_gap_median")["value"] == pytest.approx(
            100 * (men.median() - women.median()) / men.median()
        )
        data = frame.assign(tenure=[(SNAPSHOT - h).days / 365.25 for h in frame["hire"]])
        ref = smf.ols("np.log(salary) ~ C(gender, Treatment('Man')) + C(level) + C(family) + tenure", data=data).fit(
            cov_type="HC1"
        )
        name = "C(gender, Treatment('Man'))[T.Woman]"
        adjusted = _gap_row(con, "adjusted_pay_gap")
        assert adjusted["numerator"] == pytest.approx(ref.params[name], abs=1e-9)
        assert adjusted["denominator"] == pytest.approx(ref.bse[name], abs=1e-9)
        # the low-n case: with k = 40 the 39 women are a small group and nothing about them is shown
        hidden = _gap_row(con, "adjusted_pay_gap", k=40)
        assert hidden["suppressed"] and np.isnan(hidden["value"])
    finally:
        con.close()


@pytest.mark.skipif(not MONTGOMERY.exists(), reason="real data not available (../shared/data/real/montgomery_salaries)")
def test_montgomery_county_payroll_gap_within_grade(tmp_path):
    raw = pd.read_csv(MONTGOMERY)
    frame = pd.DataFrame(
        {
            "gender": raw["Gender"].map({"M": "Man", "F": "Woman"}),
            "salary": raw["Base Salary"].astype(float),
            "level": raw["Grade"].astype(str),
            "family": raw["Department"],
            "hire": dt.date(2015, 1, 1),
        }
    )
    con = build_and_open(_folder(tmp_path / "mc", frame, ["job_level"]))
    try:
        men, women = frame.loc[frame["gender"] == "Man", "salary"], frame.loc[frame["gender"] == "Woman", "salary"]
        row = _gap_row(con, "pay_gap_mean")
        assert row["n"] == len(women) == 4148
        assert row["value"] == pytest.approx(100 * (men.mean() - women.mean()) / men.mean(), abs=1e-9)
        ref = smf.ols("np.log(salary) ~ C(gender, Treatment('Man')) + C(level)", data=frame).fit(cov_type="HC1")
        name = "C(gender, Treatment('Man'))[T.Woman]"
        adjusted = _gap_row(con, "adjusted_pay_gap")
        assert adjusted["numerator"] == pytest.approx(ref.params[name], abs=1e-8)
        assert adjusted["value"] == pytest.approx(100 * (1 - np.exp(ref.params[name])), abs=1e-6)
    finally:
        con.close()
