"""Findings worth acting on (issue 19, item 5): an Art. 10 flag on a group smaller than the
documented minimum is "too small to judge", and is not counted as a finding."""
from __future__ import annotations

import pandas as pd

from dashboard.narrative import FINDING_MIN_N
from dashboard.narrative_pay import art10_summary, art10_table


def _flags():
    return pd.DataFrame({
        "period": ["2025"] * 4, "category": ["Sales × L3", "Sales × L3", "Ops × L1", "Ops × L2"],
        "component": ["basic", "variable", "basic", "basic"], "group": ["Woman"] * 4, "reference": ["Man"] * 4,
        "n": [28, 120, 5, 60], "gap_pct": [1.76, 21.69, 12.0, 6.04], "exact_gap_pct": [1.76, 21.69, 12.0, 6.04],
        "flagged": [False, True, True, True], "reason": ["", "x", "x", "x"]})


def test_minimum_is_documented_and_sensible():
    assert FINDING_MIN_N == 30
    from pathlib import Path
    doc = (Path(__file__).resolve().parent.parent / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "30" in doc and "too small to judge" in doc


def test_small_flags_read_too_small_to_judge():
    table = art10_table(_flags())
    assert list(table["Category"]) == ["Sales × L3", "Ops × L1", "Ops × L2"]     # the unflagged row is left out
    assert list(table["Assessment"]) == ["joint pay assessment needed", "too small to judge (n < 30)",
                                         "joint pay assessment needed"]
    assert list(table["Gap (%)"]) == ["21.7%", "12.0%", "6.0%"]
    assert "gap_pct" not in table.columns


def test_summary_counts_only_judged_categories():
    text = art10_summary(_flags(), 5)
    # judged: Sales × L3 (variable, n = 120) and Ops × L2 (basic, n = 60); Ops × L1 (n = 5) is too small
    assert text.startswith("2 of 3 categories of workers have a gap of 5% or more")
    assert "(1 in basic pay, 1 in variable pay)" in text
    assert "1 more category is too small to judge" in text
