"""The minimum-n rule of titles and headlines for a rate at 0% or 100% (issue 19): its n
counts only the non-empty side (a supplier split's n is the smaller NON-EMPTY side), so
"Logistics 0.0%" with n = 31 passed n >= 30 although 0 of 31 is no evidence of a 0% rate:
its 95% Wilson interval reaches 11%. Such a rate is named only once the interval keeps the
empty side below 1 in FINDING_MIN_N (docs/findings.md). Data made by hand; the Wilson bounds
come from statsmodels."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from dashboard.families.suppliers.charts import breakdown_summary, breakdown_title
from dashboard.narrative import BOUNDARY_MIN_N, FINDING_MIN_N, finding_title, large_enough, summary_text
from pipelines.metrics import registry


def test_the_boundary_n_is_where_wilson_rules_out_one_in_thirty():
    assert FINDING_MIN_N == 30
    # 0 of 31: the interval reaches 11.0% - a rate of 1 in 9 is as consistent with it as 0%
    assert proportion_confint(0, 31, method="wilson")[1] == pytest.approx(0.110, abs=0.001)
    assert proportion_confint(0, BOUNDARY_MIN_N, method="wilson")[1] <= 1 / 30
    assert proportion_confint(0, BOUNDARY_MIN_N - 1, method="wilson")[1] > 1 / 30
    assert BOUNDARY_MIN_N == 112  # z^2 x 29 = 111.4, by hand


def _rows(groups, period="2025"):
    return pd.DataFrame(
        [
            {
                "period": period,
                "period_start": pd.Timestamp("2025-01-01"),
                "period_end": pd.Timestamp("2025-12-31"),
                "dimensions": "" if g == "All" else "category",
                "group": g,
                "value": v,
                "n": n,
                "numerator": pd.NA,
                "denominator": pd.NA,
                "ci_low": float("nan"),
                "ci_high": float("nan"),
                "suppressed": False,
                "note": "",
            }
            for g, v, n in groups
        ]
    )


def test_a_zero_share_on_31_companies_is_drawn_but_not_named():
    rows = _rows([("All", 0.05, 400), ("Logistics", 0.0, 31), ("Travel", 0.02, 45), ("Facilities", 0.09, 60)])
    # before: "highest in Facilities (9.0%), lowest in Logistics (0.0%)"
    assert breakdown_title(rows, "category") == (
        "Diverse share by category, 2025: highest in Facilities (9.0%), lowest in Travel (2.0%)"
    )
    summary = breakdown_summary(rows, "category", 3)
    assert "Logistics 0.0% (n = 31)" in summary  # still listed with its n
    assert "1 group(s) at 0% or 100% on fewer than 112 companies are drawn but not judged" in summary
    assert "fewer than 30 companies" not in summary  # it is not small: its claim is


def test_the_boundary_rule_on_either_side_and_from_112():
    rows = _rows(
        [
            ("A", 0.0, 111),  # Wilson upper 3.34%: still 1 in 30
            ("B", 0.0, 112),  # 3.32%: named
            ("C", 1.0, 40),  # 100%: the empty side is the other one
            ("D", 1.0, 500),
            ("E", 0.5, 30),  # not at a limit: the size rule alone
            ("F", 0.2, 29),  # too small whatever its rate
        ]
    )
    assert list(large_enough(rows, "share")["group"]) == ["B", "D", "E"]
    assert list(large_enough(rows, "rate")["group"]) == ["B", "D", "E"]
    # a count or a pay gap has no empty side: n alone decides, as before
    assert list(large_enough(rows)["group"]) == ["A", "B", "C", "D", "E"]
    assert list(large_enough(rows, "count")["group"]) == ["A", "B", "C", "D", "E"]


def test_the_generic_title_and_summary_follow_it():
    spec = next(s for s in registry().values() if s.unit == "rate" and s.higher_is_better is False)
    rows = _rows([("All", 0.12, 300), ("Logistics", 0.0, 31), ("Sales", 0.10, 90), ("Ops", 0.18, 120)])
    title = finding_title(spec, rows)
    assert title == f"{spec.title}, 2025: highest for Ops (18.0%), lowest for Sales (10.0%)"
    summary = summary_text(spec, rows, rows[rows["group"] == "All"], 5)
    assert "lowest: Sales 10.0% (n = 90)" in summary
    assert "1 group(s) at 0% or 100% on fewer than 112 people are drawn but not judged" in summary


def test_headlines_follow_the_same_boundary_rule_as_titles():
    """The Overview, PDF summary and `equity headlines` pick their group through
    pipelines.headlines.picked_row: with the metric's unit a 0% on 31 is not named the lowest
    (the title rule above), while 2% on 40 is; without a proportion unit only n >= 30 counts."""
    from pipelines.headlines import picked_row

    rows = _rows([("Logistics", 0.0, 31), ("Facilities", 0.02, 40), ("Tiny", 0.0, 5)])
    rows["suppressed"] = False
    assert picked_row(rows, "lowest", unit="share")["group"] == "Facilities"
    assert picked_row(rows, "lowest")["group"] == "Logistics"  # a count or gap: n >= 30 alone
    big = _rows([("Logistics", 0.0, 112), ("Facilities", 0.02, 40)])
    big["suppressed"] = False
    assert picked_row(big, "lowest", unit="rate")["group"] == "Logistics"
