"""Findings worth acting on (issue 19, item 5): an Art. 10 flag on a group smaller than the
documented minimum is "too small to judge", and is not counted as a finding."""

from __future__ import annotations

import pandas as pd

from dashboard.narrative import FINDING_MIN_N
from dashboard.families.pay.narrative import art10_summary, art10_table


def _flags():
    return pd.DataFrame(
        {
            "period": ["2025"] * 4,
            "category": ["Sales × L3", "Sales × L3", "Ops × L1", "Ops × L2"],
            "component": ["basic", "variable", "basic", "basic"],
            "group": ["Woman"] * 4,
            "reference": ["Man"] * 4,
            "n": [28, 120, 5, 60],
            "gap_pct": [1.76, 21.69, 12.0, 6.04],
            "exact_gap_pct": [1.76, 21.69, 12.0, 6.04],
            "flagged": [False, True, True, True],
            "reason": ["", "x", "x", "x"],
        }
    )


def test_minimum_is_documented_and_sensible():
    assert FINDING_MIN_N == 30
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "30" in doc and "too small to judge" in doc


def test_small_flags_read_too_small_to_judge():
    table = art10_table(_flags())
    assert list(table["Category"]) == ["Sales × L3", "Ops × L1", "Ops × L2"]  # the unflagged row is left out
    assert list(table["Assessment"]) == [
        "joint pay assessment needed",
        "too small to judge (n < 30)",
        "joint pay assessment needed",
    ]
    assert list(table["Gap (%)"]) == ["21.7%", "12.0%", "6.0%"]
    assert "gap_pct" not in table.columns


def test_summary_counts_only_judged_categories():
    text = art10_summary(_flags(), 5)
    # judged: Sales × L3 (variable, n = 120) and Ops × L2 (basic, n = 60); Ops × L1 (n = 5) is too small
    assert text.startswith("2 of 3 categories of workers have a gap of 5% or more")
    assert "(1 in basic pay, 1 in variable pay)" in text
    assert "1 more category is too small to judge" in text


def test_significance_follows_the_holm_adjusted_p():
    from pipelines.families.hiring.display import significance_flag

    # a raw |z| over the threshold but Holm p = 0.13 (the case): not significant
    assert significance_flag({"p_holm": 0.13, "significant": True}) == "not significant after Holm"
    assert significance_flag({"p_holm": 0.0004, "significant": True}) == "significant after Holm"
    assert significance_flag({"p_holm": 0.049, "significant": False}) == "significant after Holm"
    assert significance_flag({"p_holm": 0.2, "significant": False}) == ""
    assert significance_flag({"p_holm": 0.03, "significant": True}, alpha=0.01) == "not significant after Holm"


def test_a_share_of_the_gap_outside_0_to_100_is_phrased_in_points():
    from dashboard.families.pay.narrative import decomposition_title

    # ln gap 0.026 of which 0.0621 unexplained: 239% of the gap (the case); the factors
    # then account for 0.026 - 0.0621 = -0.0361, i.e. -3.6 points
    odd = pd.DataFrame(
        {
            "n_group": [100],
            "group": ["Woman"],
            "reference": ["Man"],
            "raw_gap_pct": [2.6],
            "gap_log_points": [0.026],
            "unexplained": [0.0621],
        }
    )
    title = decomposition_title(odd)
    assert "239%" not in title and "-3.6 points" in title and "+6.2 points are not explained" in title
    usual = odd.assign(raw_gap_pct=8.9, gap_log_points=0.0931, unexplained=0.0554)
    assert decomposition_title(usual).startswith("60% of the 8.9% gap in geometric-mean pay between Woman and Man")


def test_no_simpson_warning_when_neither_view_is_significant():
    from pipelines.families.hiring.strata import views_disagree

    none = "no significant difference"
    # the case: pooled 0.79 (below four-fifths), stratified 0.82, both not significant
    assert not views_disagree(none, none, True, False, 0.82)
    assert views_disagree("selected less often", none, True, False, 0.82)  # conclusions differ
    assert views_disagree("selected less often", "selected less often", True, False, 0.82)  # significant, flags differ
    assert not views_disagree("selected less often", "selected less often", True, True, 0.7)


def test_met_needs_the_interval():
    import datetime as dt

    from pipelines.families.commitments import rules

    shown = pd.DataFrame(
        {
            "period": ["2025"],
            "period_start": [dt.date(2025, 1, 1)],
            "period_end": [dt.date(2025, 12, 31)],
            "value": [0.485],
            "ci_low": [0.426],
            "ci_high": [0.545],
        }
    )
    args = (0.47, dt.date(2025, 12, 31), dt.date(2026, 6, 30), +1, "share", 3)
    uncertain = rules.progress(shown, *args)  # the C1: 48.5% vs 47%, CI 42.6% to 54.5%
    assert uncertain.label == "met, not yet certain"
    assert "95% CI (42.6% to 54.5%)" in uncertain.reason
    certain = rules.progress(shown.assign(ci_low=0.471), *args)
    assert certain.label == rules.MET
    census = rules.progress(shown.assign(ci_low=float("nan"), ci_high=float("nan")), *args)
    assert census.label == rules.MET  # a count without an interval is its own figure


def test_hiring_findings_need_a_group_of_the_minimum():
    # the demo's 8 American Indian or Alaska Native offers made a "finding" at Holm p < 0.001
    from dashboard.families.hiring.section import _flagged

    table = pd.DataFrame(
        {
            "dimensions": ["race_ethnicity"] * 3,
            "suppressed": [False] * 3,
            "n": [8, FINDING_MIN_N, 123],
            "flagged": [True, True, True],
            "p_holm": [0.0001, 0.01, 0.2],
        }
    )
    assert list(_flagged(table, "race_ethnicity", 0.05)["n"]) == [FINDING_MIN_N]


def _impact_row(p_holm: float, z: float, significant: bool) -> dict:
    return {
        "period": "2025",
        "stage": "interview",
        "next_stage": "offer",
        "group": "Woman",
        "reference_group": "Man",
        "dimensions": "gender",
        "value": 0.74,
        "ci_low": 0.55,
        "ci_high": 0.99,
        "z": z,
        "p_holm": p_holm,
        "significant": significant,
        "flagged": True,
        "suppressed": False,
        "n": 120,
        "selection_rate": 0.30,
        "reference_rate": 0.405,
        "shortfall": 8,
        "note": "",
    }


def test_impact_title_states_significance_by_the_holm_p():
    from dashboard.families.hiring.narrative import impact_sentences

    # |z| = 2.1 is over the raw threshold, but Holm p = 0.13: the title must not read as significant
    title, _ = impact_sentences(pd.DataFrame([_impact_row(0.13, -2.1, True)]), 5, 0.8, 0.05)
    assert title.endswith("below four-fifths (not significant after Holm: |z| = 2.1, Holm p = 0.130)")
    title, _ = impact_sentences(pd.DataFrame([_impact_row(0.0004, -3.6, True)]), 5, 0.8, 0.05)
    assert title.endswith("below four-fifths (significant after Holm: |z| = 3.6, Holm p < 0.001)")
    title, _ = impact_sentences(pd.DataFrame([_impact_row(0.4, -0.9, False)]), 5, 0.8, 0.05)
    assert title.endswith("below four-fifths (not statistically significant)")
