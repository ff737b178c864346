"""The cost to close the pay gap is quoted rounded, not to the dollar (issue 19): a protected
estimate of next year's raises is not known to the cent, and 1,962,228.37 USD reads as if it were."""

from __future__ import annotations

import pandas as pd

from dashboard.families.pay.narrative import cost_curve_title, remediation_summary


TOTAL = {
    "target_gap_pct": 2.0,
    "annual_cost": 1_962_228.37,
    "n_raised": 412,
    "reachable": True,
    "level_pct": 1.9,
    "cost_bound": 4_321.5,
}


def test_cost_title_and_summary_round_the_money():
    title = cost_curve_title(TOTAL, "USD")
    assert title == "Closing the adjusted gap to 2% costs 1.96M USD a year in raises for 412 people"
    summary = pd.DataFrame({"group": ["Woman"], "gap_before_pct": [-5.4], "gap_after_pct": [-2.0], "note": [""]})
    text = remediation_summary(summary, TOTAL, "USD")
    assert "Cost 1.96M USD a year (at most 4.3k USD more than the mathematical minimum" in text
    assert "1,962,228" not in text and "4,321" not in text


def test_plan_table_and_its_csv_show_money_in_whole_units_with_separators():
    from dashboard.families.pay.narrative import remediation_table
    from pipelines.export import to_csv

    summary = pd.DataFrame(
        {
            "group": ["Woman", "Non-binary", "Prefer not to say"],
            "reference": ["Man"] * 3,
            "gap_before_pct": [-5.4, -3.1, -2.0],
            "gap_after_pct": [0.0, 0.0, float("nan")],
            "target_gap_pct": [0.0] * 3,
            "n_raised": [412, 31, float("nan")],
            "annual_cost": [1_962_228.37, 950.5, float("nan")],  # hidden: fewer than k raised
            "note": ["", "", "fewer than 5 people raised"],
        }
    )
    table = remediation_table(summary, "USD")
    # rounded half to even by Python's format: 1,962,228.37 -> 1,962,228; 950.5 -> 950; hidden -> empty
    assert table["annual cost (USD)"].tolist() == ["1,962,228", "950", ""]
    csv = to_csv(table)
    assert '"1,962,228"' in csv and "1962228" not in csv and ".37" not in csv
