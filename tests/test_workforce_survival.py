"""Kaplan-Meier with censoring and left truncation, Greenwood errors, the median and the
log-rank test: checked against statsmodels (SurvfuncRight, survdiff - a second, independent
implementation) within 1e-9, and against small examples worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from pipelines.families.workforce.survival import kaplan_meier, logrank_test

Z = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def cohort():
    """400 people: staggered entry (left truncation), tied exit times, 40% censored."""
    rng = np.random.default_rng(20240601)
    entry = rng.integers(0, 60, 400).astype(float)
    exit_ = entry + rng.integers(1, 240, 400)
    event = rng.random(400) < 0.6
    group = rng.choice(["a", "b", "c"], 400, p=[0.5, 0.3, 0.2])
    return entry, exit_, event, group


def test_survival_and_greenwood_match_statsmodels_with_left_truncation(cohort):
    entry, exit_, event, _ = cohort
    km = kaplan_meier(entry, exit_, event)
    ref = SurvfuncRight(exit_, event.astype(int), entry=entry)
    np.testing.assert_array_equal(km.times, ref.surv_times)
    np.testing.assert_allclose(km.survival, ref.surv_prob, rtol=0, atol=1e-9)
    ours = km.survival * np.sqrt(km.greenwood)
    finite = np.isfinite(ref.surv_prob_se)
    np.testing.assert_allclose(ours[finite], ref.surv_prob_se[finite], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(km.at_risk, ref.n_risk)


def test_log_log_interval_from_the_greenwood_error(cohort):
    entry, exit_, event, _ = cohort
    km = kaplan_meier(entry, exit_, event)
    ref = SurvfuncRight(exit_, event.astype(int), entry=entry)
    for t in (30.0, 90.0, 150.0):
        i = np.searchsorted(ref.surv_times, t, side="right") - 1
        s, se = ref.surv_prob[i], ref.surv_prob_se[i]
        sigma = se / (s * abs(np.log(s)))  # delta method: se of log(-log S)
        low, high = km.ci_at(t)
        assert low == pytest.approx(s ** np.exp(Z * sigma), abs=1e-9)
        assert high == pytest.approx(s ** np.exp(-Z * sigma), abs=1e-9)
        assert low < km.survival_at(t) < high


def test_median_and_brookmeyer_crowley_interval_match_statsmodels(cohort):
    entry, exit_, event, group = cohort
    for mask in (np.ones(len(entry), bool), group == "a"):
        km = kaplan_meier(entry[mask], exit_[mask], event[mask])
        ref = SurvfuncRight(exit_[mask], event[mask].astype(int), entry=entry[mask])
        assert not np.isclose(ref.surv_prob, 0.5).any()  # no tie at 0.5: both conventions agree
        assert km.median() == ref.quantile(0.5)
        assert km.median_ci() == pytest.approx(ref.quantile_ci(0.5))


def test_log_rank_matches_statsmodels_survdiff_with_entry(cohort):
    entry, exit_, event, group = cohort
    ours = logrank_test(entry, exit_, event, group)
    chisq, p = survdiff(exit_, event.astype(int), group, entry=entry)
    assert ours.statistic == pytest.approx(chisq, rel=1e-9)
    assert ours.p_value == pytest.approx(p, rel=1e-7)
    assert ours.df == 2


def test_log_rank_two_groups_by_hand():
    # group x: exits at 1 and 3; group y: exit at 2, censored at 4; no truncation.
    # t=1: r=4 (x2,y2), d=1 -> E_x = 1*2/4 = 0.5, V = 1*(4-1)/(4-1) * (2/4)(2/4) = 0.25
    # t=2: r=3 (x1,y2), d=1 (y) -> E_x = 1/3, V = (1/3)(2/3) = 2/9
    # t=3: r=2 (x1,y1), d=1 (x) -> E_x = 1/2, V = 1/4
    # O_x = 2, E_x = 4/3, V = 1/4 + 2/9 + 1/4 = 13/18; chi2 = (2/3)^2 / (13/18) = 8/13
    res = logrank_test([0, 0, 0, 0], [1, 3, 2, 4], [1, 1, 1, 0], ["x", "x", "y", "y"])
    assert res.statistic == pytest.approx(8 / 13, rel=1e-12)
    assert res.p_value == pytest.approx(stats.chi2.sf(8 / 13, 1), rel=1e-12)


def test_left_truncation_by_hand():
    # A: entry 0, exit 3 (event); B: entry 2, exit 5 (event); C: entry 0, censored at 4;
    # D: entry 4, exit 6 (event). At risk when entry < t <= exit:
    #   t=3: A B C -> 3, one exit -> S = 2/3
    #   t=5: B D   -> 2, one exit -> S = 2/3 * 1/2 = 1/3   (C censored at 4, D entered at 4)
    #   t=6: D     -> 1, one exit -> S = 0
    # Greenwood at 5: 1/(3*2) + 1/(2*1) = 2/3, se = (1/3) sqrt(2/3)
    km = kaplan_meier([0, 2, 0, 4], [3, 5, 4, 6], [1, 1, 0, 1])
    assert list(km.at_risk) == [3, 2, 1]
    assert km.survival_at(4.9) == pytest.approx(2 / 3)
    assert km.survival_at(5) == pytest.approx(1 / 3)
    assert km.se_at(5) == pytest.approx(np.sqrt(2 / 3) / 3)
    assert km.survival_at(6) == 0
    # ignoring the late entries (everyone from 0) would give 3/4 at t=3: truncation matters
    assert kaplan_meier([0, 0, 0, 0], [3, 5, 4, 6], [1, 1, 0, 1]).survival_at(3) == pytest.approx(3 / 4)


def test_median_is_the_first_time_at_or_below_one_half():
    # six exits at 1..6: S = 5/6, 4/6, 3/6 ... -> S(3) = 0.5 exactly, so the median is 3
    # (statsmodels, following SAS, takes the first time strictly below 0.5: 4)
    km = kaplan_meier(np.zeros(6), np.arange(1, 7), np.ones(6))
    assert km.median() == 3
    # with everyone censored the curve never drops: no median, no interval
    none = kaplan_meier(np.zeros(3), [5, 6, 7], [0, 0, 0])
    assert np.isnan(none.median()) and np.isnan(none.ci_at(6)[0])
