"""`equity voice change` and `equity voice gaps` print a difference of two shares in
percentage points ('pts'), never as '%' (issue 19): 60% -> 70% is +10.0 points, a 16.7%
rise; the table view printed '10.0%' (and a z of 0.831 as '83.1%') because a column whose
values lie in 0-1 was read as a share. Hand-made wave table; the expected cells are worked
by hand and the interval by statsmodels' Newcombe method. CSV/JSON keep the raw numbers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep

from pipelines.cli_table import readable_frame
from pipelines.families.voice.compare import change_since_previous, gaps_to_rest


def _waves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": ["inclusion_index"] * 2,
            "period": ["W1", "W2"],
            "period_start": [dt.date(2024, 10, 1), dt.date(2025, 10, 1)],
            "dimensions": ["", ""],
            "group": ["All", "All"],
            "value": [0.60, 0.70],
            "n": [100, 100],
            "suppressed": [False, False],
        }
    )


def test_change_between_waves_reads_in_points():
    change = change_since_previous(_waves(), 0.05)
    row = readable_frame(change).iloc[0]
    assert row["Change"] == "+10.0 pts"  # 0.70 - 0.60 = 0.10 = 10 percentage points
    low, high = confint_proportions_2indep(70, 100, 60, 100, method="newcomb", compare="diff")
    assert row["95% CI"] == f"{low * 100:+.1f} pts to {high * 100:+.1f} pts"  # -3.2 pts to +22.7 pts
    # pooled z: p = 130/200 = 0.65, se = sqrt(0.65 * 0.35 * (1/100 + 1/100)) = 0.06745, z = 0.10 / 0.06745
    assert row["Z"] == "1.48"
    assert float(change["change"].iat[0]) == 0.70 - 0.60  # machines keep the fraction


def test_gap_to_everyone_else_reads_in_points_and_z_is_not_a_share():
    table = pd.DataFrame(
        {
            "metric": ["favourability"] * 3,
            "period": ["W"] * 3,
            "period_start": [dt.date(2025, 10, 1)] * 3,
            "period_end": [dt.date(2025, 10, 31)] * 3,
            "construct": ["belonging"] * 3,
            "dimensions": ["", "gender", "gender"],
            "group": ["All", "Woman", "Man"],
            "numerator": [130, 60, 70],
            "denominator": [200, 100, 100],
            "value": [0.65, 0.60, 0.70],
            "n": [200, 100, 100],
            "suppressed": [False] * 3,
        }
    )
    gaps = gaps_to_rest(table, 10, 0.05)
    rows = readable_frame(gaps).set_index("Group")
    # Woman 60/100 against everyone else (130 - 60) / (200 - 100) = 70/100: -10.0 points
    assert rows.loc["Woman", "Gap"] == "-10.0 pts"
    low, high = confint_proportions_2indep(60, 100, 70, 100, method="newcomb", compare="diff")
    assert rows.loc["Woman", "95% CI"] == f"{low * 100:+.1f} pts to {high * 100:+.1f} pts"
    assert rows.loc["Woman", "Z"] == "-1.48" and rows.loc["Man", "Z"] == "1.48"  # not "148.2%"
