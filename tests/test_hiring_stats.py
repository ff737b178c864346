"""Hiring statistics on plain counts. Expected values are worked out by hand in the comments,
taken from the issue's worked example, or computed by a second implementation (scipy's
hypergeometric distribution, statsmodels multipletests / StratifiedTable / SurvfuncRight)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

from pipelines.metrics._stats import holm_adjusted
from pipelines.families.hiring.stats import (
    below_threshold,
    fisher_p,
    impact_ratio,
    katz_interval,
    km_median,
    mantel_haenszel,
    pooled_z,
    shortfall,
)


def test_worked_example_from_the_issue():
    # reference 48 of 80 selected (0.60), group 12 of 40 (0.30)
    assert impact_ratio(12, 40, 48, 80) == pytest.approx(0.50)
    # pooled rate P = 60/120 = 0.5; SE = sqrt(0.25 * (1/40 + 1/80)) = sqrt(0.009375) = 0.0968246
    # z = (0.60 - 0.30) / 0.0968246 = 3.0984
    assert pooled_z(12, 40, 48, 80) == pytest.approx(3.0984, abs=1e-4)
    assert round(pooled_z(12, 40, 48, 80), 2) == 3.10
    # issue: Fisher two-sided p ~ 0.0034
    assert fisher_p(12, 40, 48, 80) == pytest.approx(0.0034, abs=5e-5)
    # 0.8 x 0.60 x 40 = 19.2 selections needed -> 20 -> 8 more than 12
    assert shortfall(12, 40, 48, 80, 0.8) == 8
    assert impact_ratio(12 + 8, 40, 48, 80) >= 0.8 > impact_ratio(12 + 7, 40, 48, 80)
    assert below_threshold(12, 40, 48, 80, 0.8)


def test_fisher_p_matches_a_hand_summed_hypergeometric():
    # second implementation: the two-sided p sums the probabilities of every table with the
    # same margins that is no more likely than the observed one (Fisher's definition)
    a, n, c, m = 12, 40, 48, 80
    dist = stats.hypergeom(n + m, a + c, n)  # selections falling in the group
    observed = dist.pmf(a)
    support = np.arange(max(0, a + c - m), min(n, a + c) + 1)
    probs = dist.pmf(support)
    expected = probs[probs <= observed * (1 + 1e-7)].sum()
    assert fisher_p(a, n, c, m) == pytest.approx(expected, rel=1e-9)


def test_katz_interval_by_hand():
    # ln RR = ln 0.5; SE = sqrt(1/12 - 1/40 + 1/48 - 1/80) = sqrt(0.0666667) = 0.2581989
    # 0.5 * exp(-+1.959964 * 0.2581989) = 0.5 * (0.60287, 1.65874) = (0.30143, 0.82937)
    low, high, corrected = katz_interval(12, 40, 48, 80)
    assert (low, high) == (pytest.approx(0.30143, abs=1e-5), pytest.approx(0.82937, abs=1e-5))
    assert not corrected


def test_katz_interval_with_a_zero_count_adds_one_half():
    # 0 of 20 vs 10 of 20: 0.5 added -> (0.5/20.5) / (10.5/20.5) = 0.047619;
    # SE = sqrt(1/0.5 - 1/20.5 + 1/10.5 - 1/20.5) = sqrt(2 - 0.0487805 + 0.0952381 - 0.0487805)
    #    = sqrt(1.9976771) = 1.413392
    # upper = 0.047619 * exp(1.959964 * 1.413392) = 0.7587; the ratio itself is 0 (no selections),
    # so the lower limit is 0: an interval must contain its estimate
    low, high, corrected = katz_interval(0, 20, 10, 20)
    assert corrected
    assert high == pytest.approx(0.047619 * math.exp(1.959964 * 1.413392), rel=1e-5)
    assert low == 0.0 and impact_ratio(0, 20, 10, 20) == 0.0
    # a zero in the reference only (group 5 of 20): corrected both ways around ln(5.5/20.5 / 0.5/20.5)
    low, high, corrected = katz_interval(5, 20, 0, 20)
    se = math.sqrt(1 / 5.5 - 1 / 20.5 + 1 / 0.5 - 1 / 20.5)
    assert corrected and low == pytest.approx(11 * math.exp(-1.959964 * se), rel=1e-6)


def test_four_fifths_is_strictly_below_and_exact():
    # 40/100 vs 50/100 = 0.8 exactly: not flagged; 39/100 is
    assert not below_threshold(40, 100, 50, 100, 0.8)
    assert below_threshold(39, 100, 50, 100, 0.8)
    # 8/25 vs 2/5 is exactly 4/5, but (8/25)/(2/5) = 0.7999999999999999 in floating point:
    # a float comparison would flag it and ask for one more selection
    assert (8 / 25) / (2 / 5) < 0.8
    assert not below_threshold(8, 25, 2, 5, 0.8)
    assert shortfall(8, 25, 2, 5, 0.8) == 0
    assert shortfall(7, 25, 2, 5, 0.8) == 1


def test_pooled_z_sign_and_degenerate_tables():
    assert pooled_z(48, 80, 12, 40) == pytest.approx(-3.0984, abs=1e-4)  # group above the reference
    assert pooled_z(5, 5, 10, 10) == 0.0  # everyone selected
    assert math.isnan(impact_ratio(3, 10, 0, 10))  # reference rate 0


def test_holm_on_a_hand_example():
    # sorted: 0.005 0.01 0.03 0.04 -> x4 x3 x2 x1 = 0.02 0.03 0.06 0.04 -> running max
    # 0.02 0.03 0.06 0.06; back in input order:
    p = [0.01, 0.04, 0.03, 0.005]
    assert holm_adjusted(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm_adjusted(p) == pytest.approx(multipletests(p, method="holm")[1])
    # NaN (no test) stays NaN and is not counted in m
    out = holm_adjusted([0.01, np.nan, 0.04])
    assert math.isnan(out[1]) and out[[0, 2]] == pytest.approx([0.02, 0.04])


def test_holm_is_multipletests_to_the_last_bit():
    # holm_adjusted reimplements multipletests(method="holm") (which runs gc.collect() per
    # call): random families with ties and values that reach the cap of 1 give the same floats
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 17, 60):
        p = np.round(rng.uniform(0, 0.6, size), 2)  # rounded: ties
        assert np.array_equal(holm_adjusted(p), multipletests(p, method="holm")[1])


# A Simpson-type table: department A admits most, B few; women apply mostly to B.
#              selected  not
#   A women        13      7     (0.65)     A men   48  32 (0.60)
#   B women        18     62     (0.225)    B men    4  16 (0.20)
# Pooled: women 31/100 = 0.31, men 52/100 = 0.52 -> ratio 0.60; within each department
# women do better.
SIMPSON = [[[13, 7], [48, 32]], [[18, 62], [4, 16]]]


def test_mantel_haenszel_matches_statsmodels_on_a_simpson_table():
    mh = mantel_haenszel(SIMPSON)
    ref = StratifiedTable([np.array(t) for t in SIMPSON])
    assert mh.odds_ratio == pytest.approx(ref.oddsratio_pooled, rel=1e-10)
    assert mh.rate_ratio == pytest.approx(ref.riskratio_pooled, rel=1e-10)
    low, high = ref.oddsratio_pooled_confint()
    assert (mh.or_low, mh.or_high) == (pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
    test = ref.test_null_odds(correction=False)
    assert mh.chi2 == pytest.approx(test.statistic, rel=1e-10)
    assert mh.p == pytest.approx(test.pvalue, rel=1e-8)
    # women are above men within departments: odds ratio > 1, z negative (our sign: + = less)
    assert mh.odds_ratio > 1 and mh.rate_ratio > 1 and mh.z < 0
    # while the pooled comparison says the opposite, strongly
    assert impact_ratio(31, 100, 52, 100) == pytest.approx(0.596, abs=1e-3)
    assert pooled_z(31, 100, 52, 100) > 2


def test_mantel_haenszel_by_hand_on_two_strata():
    # stratum 1: a=2 b=3 c=4 d=1 (n=10); stratum 2: a=5 b=5 c=5 d=5 (n=20)
    # R = 2*1/10 + 5*5/20 = 0.2 + 1.25 = 1.45; S = 3*4/10 + 5*5/20 = 1.2 + 1.25 = 2.45
    # OR_MH = 1.45/2.45 = 0.591837
    # E[a] = 5*6/10 + 10*10/20 = 3 + 5 = 8; observed 7; Var = 5*5*6*4/(100*9) + 10*10*10*10/(400*19)
    #      = 0.666667 + 1.315789 = 1.982456; chi2 = 1/1.982456 = 0.504425; z = +0.710229
    mh = mantel_haenszel([[[2, 3], [4, 1]], [[5, 5], [5, 5]]])
    assert mh.odds_ratio == pytest.approx(1.45 / 2.45)
    assert mh.chi2 == pytest.approx(1 / 1.982456, rel=1e-6)
    assert mh.z == pytest.approx(0.710229, rel=1e-5)
    assert mh.strata == 2


def test_km_median_by_hand_with_censoring():
    # advanced after 2, 3, 5, 9 days; still open (censored) at 8, 8, 10 days; n = 7
    # S(2) = 6/7 = 0.857; S(3) = 0.857*5/6 = 0.714; at 5 five at risk: 0.714*4/5 = 0.571;
    # 8, 8 censored; at 9 two at risk: 0.571*1/2 = 0.286 < 0.5 -> median 9.
    # Dropping the open ones instead would give 2, 3, 5, 9 -> S = .75 .5 .25 -> median 5.
    days = [2, 3, 5, 9, 8, 8, 10]
    advanced = [1, 1, 1, 1, 0, 0, 0]
    median, low, high = km_median(days, advanced)
    assert median == 9
    sf = SurvfuncRight(np.array(days, float), np.array(advanced, float))
    assert sf.quantile(0.5) == median
    ref_low, ref_high = sf.quantile_ci(0.5)
    assert low == ref_low
    assert (math.isnan(high) and math.isinf(ref_high)) or high == ref_high


@pytest.mark.parametrize("seed", range(6))
def test_km_median_and_interval_match_statsmodels(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(15, 300))
    days = rng.integers(0, 40, n).astype(float)
    advanced = (rng.random(n) < rng.uniform(0.5, 0.95)).astype(float)
    sf = SurvfuncRight(days, advanced)
    median, low, high = km_median(days, advanced)
    expected = sf.quantile(0.5)
    assert (math.isnan(median) and math.isnan(expected)) or median == expected
    ref_low, ref_high = sf.quantile_ci(0.5)
    if math.isnan(ref_low):  # the one documented difference: the day-grid case below
        assert low == high == median
    else:
        assert low == ref_low
        assert (math.isnan(high) and math.isinf(ref_high)) or high == ref_high


def test_km_interval_pinned_to_the_median_day_when_the_estimate_jumps_across_one_half():
    # 1000 applications, all advancing: 400 on day 1, 200 on day 2, 400 on day 3.
    # S(1) = 0.6 (SE 0.0155) and S(2) = 0.4 (SE 0.0155): both are > 6 SE from 0.5 on the
    # cloglog scale, so no day is compatible with S = 0.5 and statsmodels gives no interval;
    # the median is day 2 with certainty on a day grid, so the interval is [2, 2].
    days = [1] * 400 + [2] * 200 + [3] * 400
    sf = SurvfuncRight(np.array(days, float), np.ones(1000))
    assert math.isnan(sf.quantile_ci(0.5)[0]) and sf.quantile(0.5) == 2
    assert km_median(days, np.ones(1000)) == (2.0, 2.0, 2.0)


def test_km_median_not_reached_when_most_are_still_open():
    median, low, high = km_median([1, 2, 5, 5, 5], [1, 0, 0, 0, 0])
    # S(1) = 4/5 = 0.8 and nothing else happens: fewer than half have advanced
    assert math.isnan(median)
