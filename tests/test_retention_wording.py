"""The Kaplan-Meier text's 12-month retention is pooled over the window and says so, beside
the yearly headline (issue 19: the Overview said 86.0% for 2025, the KM text 84.7%, with
nothing telling the two apart)."""

from __future__ import annotations

import pandas as pd

from dashboard.families.workforce.narrative import retention_summary


def test_pooled_retention_names_itself_apart_from_the_yearly_headline():
    summary = pd.DataFrame(
        {
            "group": ["All"],
            "12m": [0.847],
            "12m_ci_low": [0.83],
            "12m_ci_high": [0.862],
            "24m": [0.72],
            "24m_ci_low": [0.70],
            "24m_ci_high": [0.74],
            "n": [2491],
            "suppressed": [False],
        }
    )
    text = retention_summary(summary, None, 5)
    assert text.startswith("Pooled over every year of the window, 84.7% stay 12 months (95% CI 83.0% to 86.2%)")
    assert "n = 2,491" in text and "one year at a time" in text


def test_the_retention_title_names_the_lowest_group_large_enough_to_judge():
    from dashboard.families.workforce.narrative import retention_title

    # Non-binary's 40% rests on 9 people (FINDING_MIN_N is 30): the title names Woman's 68% instead
    summary = pd.DataFrame(
        {
            "group": ["All", "Non-binary", "Woman", "Man"],
            "24m": [0.72, 0.40, 0.68, 0.75],
            "n": [2491, 9, 1200, 1282],
            "suppressed": [False] * 4,
        }
    )
    assert retention_title(summary) == "Still employed 24 months after hire: Woman 68.0% vs 72.0% for everyone"
