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
            out.append({"period": str(year), "period_start": start, "period_end": dt.date(year, 12, 31),
                        "dimensions": "" if group == "All" else "gender", "group": group, "value": value,
                        "ci_low": float("nan"), "ci_high": float("nan"), "n": n, "numerator": n,
                        "denominator": 200, "suppressed": False, "note": note})
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
