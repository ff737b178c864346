"""The retention curves' data table (issue 19): 'Still employed' carries the protected value the
chart draws at every shown point, and a blank point reads "hidden" with the reason, in the one
word the product uses for a hidden figure, instead of "not shown" with no reason."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.families.workforce.curve_table import curve_table, group_table


def test_shown_points_carry_their_value_and_blank_points_say_why():
    curves = pd.DataFrame(
        {
            "group": ["All", "All", "Woman|Asian", "Woman|Asian"],
            "tenure_months": [3.0, 6.0, 3.0, 6.0],
            "survival": [0.9, 0.8125, 0.95, np.nan],
            "ci_low": [0.88, 0.79, 0.9, np.nan],
            "ci_high": [0.92, 0.83, 0.98, np.nan],
            "at_risk": [2406.0, np.nan, 40.0, np.nan],
            "shown_as": ["step of at least k exits", "interpolated between steps", "step of at least k exits", None],
        }
    )
    table = curve_table(curves, k=5)
    # by hand: 0.9 -> 90.0%, 0.8125 -> 81.2% (round half to even of 81.25), 0.95 -> 95.0%
    assert table["Still employed"].tolist() == ["90.0%", "81.2%", "95.0%", "hidden"]
    assert table["95% CI low"].tolist() == ["88.0%", "79.0%", "90.0%", ""]
    assert table["At risk (n, at steps)"].tolist() == ["2,406", "", "40", ""]
    assert table["Group"].tolist() == ["All", "All", "Woman, Asian", "Woman, Asian"]
    assert table["Point"].iat[1] == "interpolated between steps"
    assert table["Point"].iat[3] == "hidden: fewer than 5 at risk, or fewer than 5 exits since the curve's last step"


def test_group_table_formats_retention_and_hides_small_groups():
    summary = pd.DataFrame(
        {
            "group": ["All", "Non-binary"],
            "n": [2491.0, np.nan],
            "exits": [900.0, np.nan],
            "suppressed": [False, True],
            "12m": [0.861, np.nan],
            "12m_ci_low": [0.847, np.nan],
            "12m_ci_high": [0.874, np.nan],
            "24m": [0.723, np.nan],
            "24m_ci_low": [0.704, np.nan],
            "24m_ci_high": [0.741, np.nan],
            "median_months": [55.4, np.nan],
            "median_months_ci_low": [51.0, np.nan],
            "median_months_ci_high": [60.2, np.nan],
        }
    )
    table = group_table(summary, k=5)
    assert table.loc[0, ["n", "Exits", "12 months", "24 months", "Median tenure (months)"]].tolist() == [
        "2,491",
        "900",
        "86.1%",
        "72.3%",
        "55",
    ]
    assert table.loc[0, "12 months, 95% CI"] == "84.7% to 87.4%"
    assert table.loc[1, ["n", "Exits", "12 months", "12 months, 95% CI"]].tolist() == ["fewer than 5", "", "hidden", ""]
