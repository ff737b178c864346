"""Published shares and their intervals lie in [0, 1], rates and counts are not negative
(pipelines/privacy/bounds.py), on a hand-made population whose protected counts cross.

The population: everyone hired on 2020-01-01; seven Non-binary employees and twenty Women
all stay, three Men leave (one a year from 2021). With the salt below, the cell keys give
the Non-binary retention cell of 2020 (exactly 7 retained of 7) a protected numerator of 9
and a protected denominator of 7: unclamped, a retention rate of 9/7 = 128.6% and no Wilson
interval at all (9 successes of 7 trials has none).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipelines.metrics import compute, registry
from pipelines.metrics._engine import unsuppressed_table
from pipelines.privacy.bounds import bounded_table
from tests.helpers import build_and_open, employees_folder

SALT = "tests-fixed-salt"  # the cell keys of the crossing cell below follow from it
Z = 1.959963984540054  # two-sided 95% normal quantile


def _people() -> list[dict]:
    base = {"birth_year": "1980", "race_ethnicity": "White", "hire_date": "2020-01-01"}
    people = [{"employee_id": f"N{i}", "gender": "Non-binary", **base} for i in range(7)]
    people += [{"employee_id": f"W{i}", "gender": "Woman", **base} for i in range(20)]
    for i in range(20):
        leaves = {"termination_date": f"{2021 + i}-06-30", "termination_type": "voluntary"} if i < 3 else {}
        people.append({"employee_id": f"M{i}", "gender": "Man", **base, **leaves})
    return people


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUITY_RECORD_KEY_SALT", SALT)  # the build stores it; the keys follow from it
    root = tmp_path_factory.mktemp("bounds")
    config = {"history_start": "2020-01-01", "as_of": "2023-12-31", "privacy": {"k": 5}}
    c = build_and_open(employees_folder(root / "data", _people(), config=config))
    mp.undo()
    yield c
    c.close()


def _row(table: pd.DataFrame, period: str, group: str) -> pd.Series:
    return table[(table["period"] == period) & (table["group"] == group)].iloc[0]


def test_a_small_group_pushed_above_100_percent_is_published_at_100_with_its_interval(con):
    exact = _row(unsuppressed_table(con, "retention_rate", by=["gender"]), "2020", "Non-binary")
    assert (exact["numerator"], exact["denominator"]) == (7, 7)  # nobody left
    row = _row(compute(con, "retention_rate", by=["gender"]), "2020", "Non-binary")
    # the perturbation pushed the numerator past the denominator: 9 / 7 unclamped
    assert (row["numerator"], row["denominator"]) == (9, 7)
    assert row["value"] == 1.0
    # Wilson interval of 7 out of 7 (the share shown): lower = n / (n + z^2), upper = 1
    assert row["ci_low"] == pytest.approx(7 / (7 + Z**2), abs=1e-9)  # 0.64567
    assert row["ci_high"] == 1.0


@pytest.mark.parametrize("metric", ["retention_rate", "retention_12m", "retention_24m", "representation"])
def test_every_published_share_of_the_population_and_its_interval_lie_in_0_1(con, metric):
    table = compute(con, metric, by=["gender"])
    shown = table[~table["suppressed"] & table["value"].notna()]  # a 24-month figure of 2020: none yet
    assert len(shown) >= 3  # retention_12m and _24m: the 2020 cohort only
    value, low, high = (shown[c].astype(float) for c in ("value", "ci_low", "ci_high"))
    assert value.between(0, 1).all()
    has_ci = low.notna()
    assert (low[has_ci] >= 0).all() and (high[has_ci] <= 1).all()
    assert (low[has_ci] <= value[has_ci]).all() and (value[has_ci] <= high[has_ci]).all()


def _spec(unit: str, ci: str = "custom"):
    base = registry()["retention_12m"]
    import dataclasses

    return dataclasses.replace(base, unit=unit, ci=ci)


def _table(value, low, high, n=10, numerator=3.0, denominator=10.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": [value],
            "ci_low": [low],
            "ci_high": [high],
            "n": [n],
            "numerator": [numerator],
            "denominator": [denominator],
        }
    )


@pytest.mark.parametrize(
    "unit, given, expected",
    [
        # the example: 109.4% with an interval reaching 100.4% -> 100%, [lower, 100%]
        ("share", (1.094, 0.80, 1.004), (1.0, 0.80, 1.0)),
        # an interval wholly above 1 collapses onto the value shown
        ("share", (1.20, 1.05, 1.30), (1.0, 1.0, 1.0)),
        ("share", (-0.03, -0.10, 0.20), (0.0, 0.0, 0.20)),
        ("share", (0.40, 0.25, 0.55), (0.40, 0.25, 0.55)),  # in range: unchanged
        # a turnover rate per average headcount can truly exceed 1: only the floor is fixed
        ("rate", (1.30, 0.90, 1.80), (1.30, 0.90, 1.80)),
        ("rate", (-0.05, -0.20, 0.10), (0.0, 0.0, 0.10)),
        # a pay gap can be negative: left alone
        ("percent", (-12.0, -20.0, -4.0), (-12.0, -20.0, -4.0)),
    ],
)
def test_values_and_intervals_are_clamped_into_their_units_range(unit, given, expected):
    out = bounded_table(_table(*given), _spec(unit))
    assert tuple(out.loc[0, ["value", "ci_low", "ci_high"]]) == pytest.approx(expected)
    again = bounded_table(out, _spec(unit))  # idempotent: stored Spark results are bounded again
    pd.testing.assert_frame_equal(again, out)


def test_counts_are_not_negative_and_a_hidden_row_stays_blank():
    table = pd.DataFrame(
        {
            "value": [0.5, np.nan],
            "ci_low": [0.2, np.nan],
            "ci_high": [0.8, np.nan],
            "n": pd.array([6, 3], dtype="Int64"),
            "numerator": [-1.0, np.nan],  # a spend share's numerator is a moved magnitude
            "denominator": [6.0, np.nan],
        }
    )
    out = bounded_table(table, _spec("share"))
    assert out["numerator"].tolist()[0] == 0.0 and out["n"].tolist() == [6, 3]
    assert out.loc[1, ["value", "ci_low", "ci_high", "numerator", "denominator"]].isna().all()


def test_a_wilson_share_whose_numerator_exceeds_its_denominator_gets_the_interval_of_n_of_n():
    # 9 of 7 has no Wilson interval (NaN); shown as 7 of 7 it is [7 / (7 + z^2), 1]
    table = _table(1.0, np.nan, np.nan, n=7, numerator=9.0, denominator=7.0)
    out = bounded_table(table, _spec("share", ci="wilson"))
    assert out.loc[0, "ci_low"] == pytest.approx(7 / (7 + Z**2), abs=1e-9)
    assert out.loc[0, "ci_high"] == 1.0
    assert (out.loc[0, "numerator"], out.loc[0, "denominator"]) == (9.0, 7.0)  # counts as published
