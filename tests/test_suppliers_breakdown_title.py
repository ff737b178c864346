"""A supplier breakdown's title names the highest and lowest group only among groups of at
least FINDING_MIN_N (30) companies (docs/findings.md, issue 19 item 5): a 14.4% share resting
on 3 companies is drawn and listed, never the headline. Expected strings written by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.families.suppliers.charts import breakdown_summary, breakdown_title


def _rows(groups):
    """Published rows of one period: (group, share or None for hidden, n companies)."""
    return pd.DataFrame(
        [
            {
                "period": "2025",
                "dimensions": "" if g == "All" else "category",
                "group": g,
                "value": np.nan if v is None else v,
                "n": pd.NA if v is None else n,
                "suppressed": v is None,
                "note": "n<k" if v is None else "",
            }
            for g, v, n in groups
        ]
    )


def test_the_highest_and_lowest_are_named_among_groups_of_at_least_30_companies():
    rows = _rows(
        [
            ("All", 0.05, 80),
            ("Facilities", 0.144, 3),  # the highest share, but 3 companies: not the headline
            ("Logistics", 0.065, 31),
            ("Travel", 0.02, 45),
            ("Marketing", 0.001, 29),  # the lowest share, 29 companies: one short of judging
            ("IT", None, None),
        ]
    )
    assert breakdown_title(rows, "category") == (
        "Diverse share by category, 2025: highest in Logistics (6.5%), lowest in Travel (2.0%)"
    )
    summary = breakdown_summary(rows, "category", 3)
    assert "Facilities 14.4% (n = 3)" in summary  # still listed with its n
    assert "2 group(s) of fewer than 30 companies are drawn but too small to judge." in summary


def test_with_fewer_than_two_large_groups_the_title_names_none():
    one = _rows([("All", 0.05, 80), ("Facilities", 0.144, 3), ("Logistics", 0.065, 31)])
    assert breakdown_title(one, "category") == (
        "Diverse share by category, 2025: only one group is large enough to compare (n of at least 30 companies)"
    )
    none = _rows([("All", 0.05, 20), ("Facilities", 0.144, 3), ("IT", 0.03, 5)])
    assert breakdown_title(none, "category") == (
        "Diverse share by category, 2025: no two groups are large enough to compare (n of at least 30 companies)"
    )
