"""Interval estimates used across metric families (vectorised, 95% by default)."""
from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion successes/trials (Wilson 1927).

    Well behaved at 0 and 1 and for small n, unlike the normal (Wald) interval.
    Returns NaN where trials is 0 or missing.
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        bad = ~(n > 0)
        return np.where(bad, np.nan, centre - half), np.where(bad, np.nan, centre + half)


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
    """Holm (1979) step-down adjusted p-values for one family of comparisons (NaN entries are
    left out and stay NaN): sorted p_(1) <= ... <= p_(m), adjusted p_(i) =
    max_{j<=i} min(1, (m-j+1) p_(j)). Controls the chance of any false "significant"."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if ok.size == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    m = order.size
    out[order] = np.minimum(np.maximum.accumulate((m - np.arange(m)) * p[order]), 1.0)
    return out
