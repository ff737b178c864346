"""Interval methods for pay gaps: Bonett-Price median standard errors against the published
statpsych examples, coverage of both gap intervals by simulation, Welch's t against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pipelines.families.pay.stats import (
    gap_interval,
    ln_mean_variance,
    ln_median_variance,
    median_standard_error,
    welch_t,
)


def test_median_standard_error_matches_statpsych_ci_median_example():
    # statpsych::ci.median(.05, y) documents Estimate 20.7, SE 4.292277, LL 10.8, UL 30.9
    y = [30.2, 20.4, 15.1, 10.2, 10.5, 60.8, 20.8, 25.0, 20.7, 30.9, 10.8, 5.1, 50.9, 40.0, 20.9, 10.8, 0, 20.5, 50.8]
    assert np.median(y) == 20.7
    assert median_standard_error(y) == pytest.approx(4.292277, abs=1e-6)


def test_median_standard_errors_match_statpsych_ci_median2_example():
    # statpsych::ci.median2(.05, y1, y2) documents Median1-Median2 = -8.5, SE 4.316291,
    # LL -16.95977, UL -0.04022524 (SE of the difference = sqrt(se1^2 + se2^2))
    y1 = [32, 39, 26, 35, 43, 27, 40, 37, 34, 29]
    y2 = [36, 44, 47, 42, 49, 39, 46, 31, 33, 48]
    se = np.hypot(median_standard_error(y1), median_standard_error(y2))
    assert se == pytest.approx(4.316291, abs=1e-6)
    diff = np.median(y1) - np.median(y2)
    assert diff - 1.959964 * se == pytest.approx(-16.95977, abs=1e-4)


def test_gap_interval_by_hand():
    # group mean 90, reference mean 100, Var(ln) 0.0004 + 0.0005 = 0.0009 -> SE 0.03
    # ln ratio bounds ln(0.9) -+ 1.959964 x 0.03; gap = 100 (1 - ratio)
    gap, lo, hi = gap_interval(90, 100, 0.0004, 0.0005)
    assert gap == pytest.approx(10.0)
    assert lo == pytest.approx(100 * (1 - 0.9 * np.exp(1.959964 * 0.03)), abs=1e-4)
    assert hi == pytest.approx(100 * (1 - 0.9 * np.exp(-1.959964 * 0.03)), abs=1e-4)


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_gap_intervals_cover_the_true_gap_about_95_percent_of_the_time(statistic):
    # log-normal pay, reference median 50, group median 45 (true median gap 10%); the true mean
    # gap is also 10% because both groups share sigma. 1,000 simulated samples of 60 and 80.
    rng = np.random.default_rng(20240601)
    sigma, hits, sims = 0.3, 0, 1000
    for _ in range(sims):
        ref = np.exp(np.log(50) + sigma * rng.standard_normal(80))
        grp = np.exp(np.log(45) + sigma * rng.standard_normal(60))
        if statistic == "mean":
            _, lo, hi = gap_interval(grp.mean(), ref.mean(), ln_mean_variance(grp), ln_mean_variance(ref))
        else:
            _, lo, hi = gap_interval(np.median(grp), np.median(ref), ln_median_variance(grp), ln_median_variance(ref))
        hits += lo <= 10.0 <= hi
    # Monte Carlo SE of a 95% coverage over 1,000 runs is 0.7 points
    assert 0.925 <= hits / sims <= 0.975


def test_welch_t_matches_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(3.9, 0.2, 12), rng.normal(4.0, 0.35, 25)
    t, df, p = welch_t(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert t == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue)
    assert df == pytest.approx(ref.df)
