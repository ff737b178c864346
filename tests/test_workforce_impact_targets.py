"""Policy-event impact (segmented regression) and target projections: a synthetic series
with a known level change is recovered within its interval, coefficients equal statsmodels
OLS, and a target projection equals a least-squares line worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from pipelines.errors import DataError, UsageError
from pipelines.families.workforce.impact import impact, segmented_regression
from pipelines.families.workforce.targets import parse_targets, project
from tests.helpers import build_and_open, employees_folder, write_csv


def test_segmented_regression_equals_statsmodels_and_recovers_the_planted_change():
    rng = np.random.default_rng(11)
    t = np.arange(-24, 24)
    post = (t >= 0).astype(int)
    y = 5 + 0.2 * t + 4 * post - 0.1 * t * post + rng.normal(0, 1, t.size)
    table, resid = segmented_regression(t, post, y)
    ref = sm.OLS(y, sm.add_constant(np.column_stack([t, post, t * post]).astype(float))).fit()
    np.testing.assert_allclose(table["estimate"], ref.params, atol=1e-9)
    np.testing.assert_allclose(table[["ci_low", "ci_high"]].to_numpy(), ref.conf_int(0.05), atol=1e-9)
    np.testing.assert_allclose(table["p_value"], ref.pvalues, rtol=1e-7)
    level = table.set_index("term").loc["level change at event"]
    slope = table.set_index("term").loc["slope change per month"]
    assert level["ci_low"] < 4 < level["ci_high"]
    assert slope["ci_low"] < -0.1 < slope["ci_high"]
    assert level["ci_low"] > 0  # the planted jump is clearly detected


# A firm of 20 people; 10 more join on the day of the policy (2022-01-01); in month m
# (0 = Jan 2021) m % 3 temporary staff are employed from the 1st to the last day, so the
# month-end headcount is 20 + 10 * post + m % 3: a level change of exactly 10.
def _impact_folder(root):
    people = [{"employee_id": f"B{i:02d}", "hire_date": "2015-01-01"} for i in range(20)]
    people += [{"employee_id": f"N{i:02d}", "hire_date": "2022-01-01"} for i in range(10)]
    for m in range(36):
        first = dt.date(2020 + m // 12, m % 12 + 1, 1)
        last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        for j in range(m % 3):
            people.append(
                {
                    "employee_id": f"T{m:02d}{j}",
                    "hire_date": first.isoformat(),
                    "termination_date": last.isoformat(),
                    "termination_type": "involuntary",
                }
            )
    for p in people:
        p.update(gender="Woman", race_ethnicity="White", birth_year="1980")
    folder = employees_folder(
        root / "data", people, config={"history_start": "2020-01-01", "as_of": "2022-12-31", "privacy": {"k": 3}}
    )
    write_csv(
        folder / "reference" / "events.csv",
        ["event_date", "label", "description"],
        [["2022-01-01", "Policy X", "ten more people"]],
    )
    return folder


@pytest.fixture(scope="module")
def impact_con(tmp_path_factory):
    c = build_and_open(_impact_folder(tmp_path_factory.mktemp("impact")))
    yield c
    c.close()


def test_impact_on_a_database_series_recovers_the_known_level_change(impact_con):
    res = impact(impact_con, "headcount", "policy x", months=12, exact=True)
    assert res.event_date == dt.date(2022, 1, 1)
    assert (res.months_before, res.months_after) == (12, 12)
    # second method: the series written down from the construction, fitted by statsmodels
    m = np.arange(12, 36)  # Jan 2021 .. Dec 2022 (m = 0 is Jan 2020)
    t = m - 24
    y = 20 + 10 * (t >= 0) + m % 3
    ref = sm.OLS(y.astype(float), sm.add_constant(np.column_stack([t, t >= 0, t * (t >= 0)]).astype(float))).fit()
    coef = res.coefficients.set_index("term")
    np.testing.assert_allclose(coef["estimate"], ref.params, atol=1e-9)
    level = coef.loc["level change at event"]
    assert level["ci_low"] <= 10 <= level["ci_high"]
    assert abs(level["estimate"] - 10) < 1


def test_impact_refuses_what_it_cannot_do(impact_con):
    with pytest.raises(UsageError, match="no event labelled 'nope'; events: Policy X"):
        impact(impact_con, "headcount", "nope")
    with pytest.raises(UsageError, match="at least 6 on each side"):
        impact(impact_con, "headcount", "Policy X", months=3)
    with pytest.raises(UsageError, match="one table per job_level"):
        impact(impact_con, "representation_by_level", "Policy X")
    with pytest.raises(UsageError, match="--group"):
        impact(impact_con, "headcount", "Policy X", by=["gender"])


def test_projection_is_the_least_squares_line_at_the_due_date():
    # values .40 .43 .44 .47 at four year ends (x = 0..3): slope = Sxy/Sxx = 0.11/5 = 0.022,
    # intercept .435 - .022 * 1.5 = .402, at x = 4: .490. Residuals -.002 .006 -.006 .002,
    # s^2 = 80e-6 / 2; se of the line at 4 = sqrt(40e-6) * sqrt(1/4 + 2.5^2/5) = .0077460;
    # t(.975, 2) = 4.3027 -> half width .03333
    rows = pd.DataFrame(
        {"period_end": [dt.date(y, 12, 31) for y in (2019, 2020, 2021, 2022)], "value": [0.40, 0.43, 0.44, 0.47]}
    )
    got = project(rows, dt.date(2023, 12, 31))
    # x is in years of 365.25 days, so year ends are 1 +- 0.003 apart: hand values to 1e-3
    assert got["slope_per_year"] == pytest.approx(0.022, abs=1e-4)
    assert got["projected"] == pytest.approx(0.490, abs=1e-3)
    assert got["projected_high"] - got["projected"] == pytest.approx(0.03333, abs=1e-3)


def test_targets_are_checked_with_clear_errors():
    good = {
        "metric": "representation",
        "dimensions": "gender",
        "group": "Woman",
        "value": 0.5,
        "due": "2028-12-31",
        "filters": {"job_level": ["L5", "L6"]},
    }
    [target] = parse_targets({"targets": [good]})
    assert target.group == "Woman" and target.due == dt.date(2028, 12, 31)
    inter = parse_targets(
        {
            "targets": [
                {**good, "dimensions": ["gender", "race_ethnicity"], "group": ["Woman", "Black or African American"]}
            ]
        }
    )
    assert inter[0].group == "Woman|Black or African American"
    with pytest.raises(DataError, match=r"equity.yml: targets\[0\].metric: unknown metric 'nope'"):
        parse_targets({"targets": [{**good, "metric": "nope"}]})
    with pytest.raises(DataError, match=r"targets\[1\]: value must be a number"):
        parse_targets({"targets": [good, {**good, "value": "half"}]})
    with pytest.raises(DataError, match=r"targets\[0\]: dimensions"):
        parse_targets({"targets": [{**good, "dimensions": ["gender", "race_ethnicity"]}]})
