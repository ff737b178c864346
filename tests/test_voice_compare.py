"""Gaps to everyone else, change since the previous wave, and outcomes side by side.

Expected values are worked out by hand from the survey in test_voice_metrics (docstring
there) and checked against statsmodels as a second implementation; the interval method is
also checked against the worked examples published with it (Newcombe 1998).
"""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from pipelines.metrics import registry
from pipelines.families.voice.compare import voice_change, voice_gaps
from pipelines.families.voice.outcomes import outcome_window, outcomes_side_by_side
from pipelines.metrics._stats import holm_adjusted
from pipelines.families.voice.stats import difference_interval, two_proportion_test
from tests.helpers import build_and_open, employees_folder
from tests.test_voice_metrics import voice_folder_a


def E(eid, gender, term=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": "White",
        "birth_year": "1985",
        "hire_date": "2015-01-01",
        "termination_date": term,
        "termination_type": "voluntary" if term else "",
    }


# HR: 6 women (W6 leaves 2023-09-15) and 4 men, all hired 2015.
HR = [E(f"W{i}", "Woman", "2023-09-15" if i == 6 else "") for i in range(1, 7)] + [
    E(f"M{i}", "Man") for i in range(1, 5)
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = voice_folder_a(tmp_path_factory.mktemp("compare") / "data")
    employees_folder(
        folder, HR, config={"history_start": "2020-01-01", "as_of": "2025-12-31", "privacy": {"k": 3, "survey_k": 5}}
    )
    c = build_and_open(folder)
    yield c
    c.close()


def pick(df, group, **keys):
    sel = df[df["group"] == group]
    for col, value in keys.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1
    return sel.iloc[0]


def test_newcombe_interval_matches_the_published_worked_examples():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10:
    # 56/70 - 48/80 -> 0.0524 to 0.3339; 9/10 - 3/10 -> 0.1705 to 0.8090
    low, high = difference_interval([56 / 70, 0.9], [70, 10], [48 / 80, 0.3], [80, 10], alpha=0.05)
    assert low == pytest.approx([0.0524, 0.1705], abs=5e-5)
    assert high == pytest.approx([0.3339, 0.8090], abs=5e-5)


def test_holm_adjustment_matches_statsmodels():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan, 0.5])
    ok = ~np.isnan(p)
    expected = multipletests(p[ok], method="holm")[1]
    assert holm_adjusted(p)[ok] == pytest.approx(expected)
    assert np.isnan(holm_adjusted(p)[4])


def test_gap_to_everyone_else_on_the_hand_example(con):
    df = voice_gaps(con, "favourability", by=["gender"], exact=True)
    women = pick(df, "Woman", period="S1", construct="belonging")
    # women 6/10 answers favourable, 6 respondents; All 11/20, 11 respondents
    # rest = (11 - 6) / (20 - 10) = 0.5 over 11 - 6 = 5 respondents; gap = 0.6 - 0.5 = 0.1
    assert (women["value"], women["rest_value"], women["rest_n"]) == (pytest.approx(0.6), pytest.approx(0.5), 5)
    assert women["gap"] == pytest.approx(0.1)
    # second implementation: statsmodels, with respondents as the sample sizes (3.6 of 6, 2.5 of 5)
    lo, hi = confint_proportions_2indep(3.6, 6, 2.5, 5, method="newcomb", compare="diff")
    assert (women["ci_low"], women["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    z, p = proportions_ztest([3.6, 2.5], [6, 5])
    # by hand: pooled 6.1/11 = 0.554545, se = sqrt(0.554545 * 0.445455 * (1/6 + 1/5)) = 0.300959,
    # z = 0.1 / 0.300959 = 0.33227
    assert women["z"] == pytest.approx(0.33227, abs=1e-5) and women["z"] == pytest.approx(z)
    assert women["p_value"] == pytest.approx(p)
    # men vs rest is the mirror image (same |z|, same p): Holm over the two gives min(1, 2p)
    men = pick(df, "Man", period="S1", construct="belonging")
    assert men["gap"] == pytest.approx(-0.1)
    assert women["p_holm"] == pytest.approx(min(1, 2 * p)) and men["p_holm"] == pytest.approx(min(1, 2 * p))
    assert not women["significant"]


def test_change_since_the_previous_wave(con):
    df = voice_change(con, "favourability", by=["gender"], exact=True)
    assert set(df["period"]) == {"S2"} and set(df["previous_period"]) == {"S1"}
    women = pick(df, "Woman", construct="belonging")
    # S2 women: B1 5,5,5,5,5,2 -> 5/6 (6 respondents); S1: 0.6 (6 respondents)
    assert women["change"] == pytest.approx(5 / 6 - 0.6)
    lo, hi = confint_proportions_2indep(5, 6, 3.6, 6, method="newcomb", compare="diff")
    assert (women["ci_low"], women["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    z, p = proportions_ztest([5, 3.6], [6, 6])
    assert (women["z"], women["p_value"]) == (pytest.approx(z), pytest.approx(p))
    index = pick(voice_change(con, "inclusion_index", exact=True), "All")
    # index S1 0.525 (11 respondents); S2: belonging 7/11 (B1 fav R21-R25, R27, R28), fairness 1
    assert index["change"] == pytest.approx((7 / 11 + 1) / 2 - 0.525)


def test_comparisons_of_suppressed_rows_are_suppressed(con):
    # k = 6: men (5) are hidden in S1 and S2, so women are hidden as their complement
    df = voice_change(con, "favourability", by=["gender"], k=6, exact=True)
    women = pick(df, "Woman", construct="belonging")
    assert np.isnan(women["change"]) and np.isnan(women["ci_low"]) and np.isnan(women["p_value"])
    assert women["note"].startswith("suppressed")
    gaps = voice_gaps(con, "favourability", by=["gender"], k=6, exact=True)
    assert gaps["gap"].isna().all() and (gaps["note"] == "group suppressed").all()


def test_two_proportion_test_is_zero_for_equal_shares():
    z, p = two_proportion_test([0.5], [10], [0.5], [20])
    assert z[0] == 0 and p[0] == pytest.approx(1.0)


def test_outcome_window_is_the_months_before_the_survey():
    import datetime as dt

    assert outcome_window(dt.date(2024, 3, 1), 12) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


def test_outcomes_side_by_side_on_the_hand_example(con):
    df = outcomes_side_by_side(con, by=["gender"], survey_id="S1", exact=True)
    women = pick(df, "Woman")
    assert women["inclusion_index_value"] == pytest.approx(0.5)  # test_voice_metrics
    # turnover over 2023-03-01 .. 2024-02-29: 12 month ends; women 6 on Mar-Aug, 5 on Sep-Feb
    # (W6 left 2023-09-15) -> average 66/12 = 5.5; one separation -> 1 / 5.5
    assert women["turnover_rate_value"] == pytest.approx(1 / 5.5)
    assert women["turnover_rate_period"] == "2023-03-01 to 2024-02-29"
    men = pick(df, "Man")
    assert men["turnover_rate_value"] == 0 and men["inclusion_index_value"] == pytest.approx(0.55)
    # all: 10 on Mar-Aug, 9 on Sep-Feb -> 114/12 = 9.5; index 0.525
    everyone = pick(df, "All")
    assert everyone["turnover_rate_value"] == pytest.approx(1 / 9.5)
    # aggregated tables only: no person-level column, and promotion rate appears exactly when
    # the registry has it
    assert not any(c in df.columns for c in ("response_id", "employee_id"))
    assert any(c.startswith("promotion_rate") for c in df.columns) == ("promotion_rate" in registry())


def test_outcome_sides_keep_their_own_suppression(tmp_path):
    # survey_k 6: men (5 respondents) are hidden on the survey side, and women (6) as their
    # complement; HR k 3: the 4 men and 6 women are shown on the turnover side.
    folder = voice_folder_a(tmp_path / "data")
    employees_folder(
        folder, HR, config={"history_start": "2020-01-01", "as_of": "2025-12-31", "privacy": {"k": 3, "survey_k": 6}}
    )
    c = build_and_open(folder)
    df = outcomes_side_by_side(c, by=["gender"], survey_id="S1", exact=True)
    men, women = pick(df, "Man"), pick(df, "Woman")
    assert men["inclusion_index_suppressed"] and men["inclusion_index_note"] == "n<k"
    assert women["inclusion_index_suppressed"] and np.isnan(women["inclusion_index_value"])
    assert not men["turnover_rate_suppressed"] and men["turnover_rate_value"] == 0
    assert women["turnover_rate_value"] == pytest.approx(1 / 5.5)
    c.close()
