"""One sign for every pay gap (issue 19 item 1; docs/metrics.md, "How pay gaps are signed"):
(reference - group) / reference, positive = the group is paid less; the adjusted gap is
1 - exp(beta). Expected values are worked out by hand or with statsmodels."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from dashboard.families.pay.charts import GAP_AXIS, gap_trend_figure
from pipelines.families.pay.regression import fit_adjusted, gap_percent
from tests.helpers import build_and_open, compute_exact, employees_folder


@pytest.fixture(scope="module")
def men_20_women_18(tmp_path_factory):
    """Men on 20 an hour, women on 18 (annual pay = hourly x the one hours divisor); three of
    each, as no table is computed for groups under k = 3 (the smallest k allowed)."""
    hours = 40 * 52.143
    pay = {f"M{i}": ("Man", 20) for i in range(3)} | {f"W{i}": ("Woman", 18) for i in range(3)}
    employees = [{"employee_id": e, "gender": g, "hire_date": "2024-01-01"} for e, (g, _) in pay.items()]
    jobs = [
        {
            "employee_id": e,
            "effective_date": "2024-01-01",
            "department": "Ops",
            "job_family": "Care",
            "job_level": "L1",
            "location": "Leeds",
            "fte": "1",
            "annual_base_salary": f"{hourly * hours:.2f}",
            "currency": "USD",
            "performance_rating": "3",
            "change_reason": "hire",
        }
        for e, (_, hourly) in pay.items()
    ]
    folder = employees_folder(
        tmp_path_factory.mktemp("four") / "data",
        employees,
        jobs,
        config={"history_start": "2024-01-01", "as_of": "2024-12-31"},
    )
    con = build_and_open(folder)
    yield con
    con.close()


def _woman(table: pd.DataFrame) -> pd.Series:
    return table[(table["dimensions"] == "gender") & (table["group"] == "Woman")].iloc[-1]


def test_men_on_20_women_on_18_give_a_gap_of_plus_ten_percent(men_20_women_18):
    # (20 - 18) / 20 = +10%: the women are paid 10% less. With every factor the same for all
    # six, the adjusted model is ln pay ~ gender: beta = ln 18 - ln 20 = ln 0.9, 1 - 0.9 = +10%.
    raw = _woman(compute_exact(men_20_women_18, "pay_gap_mean", by=["gender"], k=3))
    assert raw["value"] == pytest.approx(10.0, abs=1e-6)
    adjusted = _woman(compute_exact(men_20_women_18, "adjusted_pay_gap", by=["gender"], k=3))
    assert adjusted["numerator"] == pytest.approx(np.log(0.9), abs=1e-9)
    assert adjusted["value"] == pytest.approx(10.0, abs=1e-6)


def test_adjusted_gap_is_one_minus_exp_of_the_statsmodels_coefficient():
    frame = pd.DataFrame(
        {
            "group": ["Man"] * 5 + ["Woman"] * 5,
            "level": ["L1", "L2"] * 5,
            "pay": [20, 25, 21, 26, 19, 18, 24, 17, 23, 19],
        }
    )
    coef = smf.ols("np.log(pay) ~ C(group, Treatment('Man')) + C(level)", data=frame).fit()
    beta = coef.params["C(group, Treatment('Man'))[T.Woman]"]
    levels = (frame["level"] == "L2").astype(float).to_frame("level=L2")
    fit = fit_adjusted(np.log(frame["pay"]), frame["group"], "Man", levels)
    assert fit["groups"]["Woman"]["beta"] == pytest.approx(beta, abs=1e-12)
    assert gap_percent(fit["groups"]["Woman"]["beta"]) == pytest.approx(100 * (1 - np.exp(beta)), abs=1e-9)
    assert 100 * (1 - np.exp(beta)) > 0  # the women here earn less at each level: a positive gap


def test_the_chart_names_the_highest_gap_worst_and_says_which_side_is_paid_less():
    rows = pd.DataFrame(
        [
            {
                "period": "2025",
                "period_start": dt.date(2025, 1, 1),
                "period_end": dt.date(2025, 12, 31),
                "group": group,
                "measure": measure,
                "gap": gap,
                "ci_low": gap - 1,
                "ci_high": gap + 1,
                "n": n,
            }
            for group, gap, n in (("Non-binary", -1.0, 500), ("Woman", 5.4, 400))
            for measure in ("adjusted", "raw")
        ]
    )
    fig = gap_trend_figure(rows, title="t")
    # Woman is paid 5.4% less (the highest gap) and is drawn first, although Non-binary is larger
    assert fig.data[0].name.startswith("Woman,") and list(fig.data[0].y) == [5.4]
    assert fig.layout.yaxis.title.text == GAP_AXIS == "Pay gap to the reference, % (above 0 = paid less)"
