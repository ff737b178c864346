"""Interval estimates used across metric families (vectorised, 95% by default)."""

from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion successes/trials (Wilson 1927), by statsmodels'
    proportion_confint(method="wilson").

    Well behaved at 0 and 1 and for small n, unlike the normal (Wald) interval. Counts may be
    fractional (effective sizes after a design effect). Returns NaN where trials is 0 or missing.
    """
    from statsmodels.stats.proportion import proportion_confint

    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    bad = ~(n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = proportion_confint(x, np.where(bad, 1.0, n), alpha=2 * stats.norm.sf(z), method="wilson")
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def poisson_rate_interval(events, exposure, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a rate events/exposure, events ~ Poisson.

    Used for turnover, where the denominator is an average headcount, not a number of
    trials, and the rate can exceed 1.
    """
    x = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    a = 1 - conf
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(x > 0, stats.chi2.ppf(a / 2, 2 * x) / 2, 0.0) / e
        upper = stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2 / e
        bad = ~(e > 0) | np.isnan(x)
        return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def holm_adjusted(pvalues) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values for one family of comparisons, the arithmetic of
    statsmodels' multipletests(method="holm") step for step (tests/test_hiring_stats.py checks
    it equal): sorted p times m, m-1, ..., 1, running maximum, capped at 1. Not by calling it:
    multipletests runs gc.collect() on every call, which was most of adverse_impact_ratio's
    time (one call per family, hundreds per registry run). NaN entries are left out of the
    family and stay NaN. Controls the chance of any false "significant"."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        family = p[ok]
        order = np.argsort(family)
        adjusted = np.maximum.accumulate(family[order] * np.arange(family.size, 0, -1))
        adjusted[adjusted > 1] = 1
        unsorted = np.empty_like(adjusted)
        unsorted[order] = adjusted
        out[ok] = unsorted
    return out
