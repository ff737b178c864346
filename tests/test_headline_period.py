"""A chart title and its summary speak of the latest full period, as the Overview and the PDF
do (issue 19: the Overview said Man 50.8% for 2025 while the page title gave the partial
2026's 50.3%, unmarked); when every period is partial the title says so."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.narrative import finding_title, summary_text
from pipelines.metrics import registry


def _rows(periods):
    out = []
    for year, note, man, woman in periods:
        start = dt.date(year, 1, 1)
        for group, value, n in (("All", 1.0, 200), ("Man", man, 101), ("Woman", woman, 99)):
            out.append(
                {
                    "period": str(year),
                    "period_start": start,
                    "period_end": dt.date(year, 12, 31),
                    "dimensions": "" if group == "All" else "gender",
                    "group": group,
                    "value": value,
                    "ci_low": float("nan"),
                    "ci_high": float("nan"),
                    "n": n,
                    "numerator": n,
                    "denominator": 200,
                    "suppressed": False,
                    "note": note,
                }
            )
    return pd.DataFrame(out)


def test_title_and_summary_use_the_latest_full_year_not_the_partial_one():
    spec = registry()["representation"]
    rows = _rows([(2025, "", 0.508, 0.492), (2026, "partial period", 0.503, 0.497)])
    groups, overall = rows[rows["group"] != "All"], rows[rows["group"] == "All"]
    title = finding_title(spec, groups)
    assert "2025" in title and "50.8%" in title and "2026" not in title and "50.3%" not in title
    summary = summary_text(spec, groups, overall, 5)
    assert "2025" in summary and "50.8%" in summary and "2026" not in summary


def test_a_window_of_only_partial_periods_is_named_partial():
    spec = registry()["representation"]
    rows = _rows([(2026, "partial period", 0.503, 0.497)])
    title = finding_title(spec, rows[rows["group"] != "All"])
    assert title.startswith(f"{spec.title}, 2026 (partial period):") and "50.3%" in title


def _pay_rows():
    """Raw and adjusted pay gaps of women to men (positive = paid less): 2025 full (adjusted
    +5.4%), 2026 partial (+5.3%)."""
    out = []
    for year, note, adjusted, raw in ((2025, "", 5.4, 8.8), (2026, "partial period", 5.3, 7.9)):
        for measure, value in (("adjusted", adjusted), ("raw", raw)):
            out.append(
                {
                    "period": str(year),
                    "period_start": dt.date(year, 1, 1),
                    "period_end": dt.date(year, 12, 31),
                    "group": "Woman",
                    "reference": "Man",
                    "measure": measure,
                    "gap": value,
                    "ci_low": value - 1,
                    "ci_high": value + 1,
                    "n": 900,
                    "suppressed": False,
                    "note": note,
                }
            )
    return pd.DataFrame(out)


def test_pay_gap_title_and_summary_use_the_latest_full_year():
    from dashboard.families.pay.narrative import pay_gap_summary, pay_gap_title

    title = pay_gap_title(_pay_rows(), "job level")
    assert title == "Adjusted pay gap, 2025: Woman paid 5.4% less than Man with the same job level"
    summary = pay_gap_summary(_pay_rows(), 5)
    assert "(2025)" in summary and "8.8% less before them" in summary and "2026" not in summary


def test_highest_and_lowest_are_named_among_groups_large_enough_to_judge():
    spec = registry()["turnover_rate"]  # lower is better: "highest for", "lowest for"
    rows = pd.DataFrame(
        [
            {
                "period": "2025",
                "period_start": dt.date(2025, 1, 1),
                "period_end": dt.date(2025, 12, 31),
                "dimensions": "gender",
                "group": g,
                "value": v,
                "ci_low": float("nan"),
                "ci_high": float("nan"),
                "n": n,
                "suppressed": False,
                "note": "",
            }
            for g, v, n in (("Prefer not to say", 0.375, 8), ("Woman", 0.16, 900), ("Man", 0.12, 1100))
        ]
    )
    # the case: "Prefer not to say highest (37.5%)" on n = 8; FINDING_MIN_N is 30
    title = finding_title(spec, rows)
    assert title == f"{spec.title}, 2025: highest for Woman (16.0%), lowest for Man (12.0%)"
    summary = summary_text(spec, rows, rows.iloc[0:0], 5)
    assert "Highest: Woman 16.0% (n = 900); lowest: Man 12.0% (n = 1,100)." in summary
    assert "1 group(s) of fewer than 30 people are drawn but too small to judge." in summary
    small = rows.assign(n=[8, 20, 25])
    assert finding_title(spec, small) == (
        f"{spec.title}, 2025: no two groups are large enough to compare (n of at least 30)"
    )


def test_pay_gap_title_names_only_a_group_large_enough_to_judge():
    from dashboard.families.pay.narrative import pay_gap_title

    small = _pay_rows().assign(group="Non-binary", n=12)  # +5.4% on 12 people: under FINDING_MIN_N 30
    rows = pd.concat([_pay_rows().assign(gap=lambda d: d["gap"] / 2), small], ignore_index=True)
    assert (
        pay_gap_title(rows, "job level")
        == "Adjusted pay gap, 2025: Woman paid 2.7% less than Man with the same job level"
    )
    assert pay_gap_title(small, "job level") == "Pay gaps, 2025: no group is large enough to judge (n of at least 30)"


def test_bar_titles_compare_only_groups_large_enough_to_judge():
    from dashboard.hinted import bar_sentences

    spec = registry()["stage_pass_rate"]  # keyed by stage
    rows = pd.DataFrame(
        [
            {
                "period": "2025",
                "stage": "interview",
                "group": g,
                "value": v,
                "n": n,
                "suppressed": False,
                "dimensions": "gender",
            }
            for g, v, n in (("Non-binary", 0.90, 6), ("Woman", 0.40, 300), ("Man", 0.50, 320))
        ]
    )
    title, summary = bar_sentences(spec, rows.iloc[0:0], rows, 5)
    # Non-binary's 90% of 6 people is not compared: Man 50% highest, Woman 40% lowest
    assert title == f"{spec.title}, 2025, interview: Man highest (50.0%), Woman lowest (40.0%)"
    assert "Non-binary" not in summary
