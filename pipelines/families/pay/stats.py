"""Interval estimates for pay gaps: ratios of means and of medians, and Welch's t.

A gap compares a group with the reference: gap % = (reference - group) / reference x 100 =
100 (1 - R) with R = group / reference. Both intervals are built for ln R (delta method for
means; Bonett & Price's distribution-free standard error for medians) and transformed back, so
they never cross zero pay and always contain the estimate.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ...metrics._stats import Z95


def ln_mean_variance(values: np.ndarray) -> float:
    """Var(ln mean) by the delta method: s^2 / (n mean^2). NaN with fewer than two values."""
    x = np.asarray(values, dtype=float)
    if x.size < 2 or not x.mean() > 0:
        return float("nan")
    return float(x.var(ddof=1) / (x.size * x.mean() ** 2))


def median_standard_error(values: np.ndarray, log: bool = False) -> float:
    """Bonett & Price (2002) distribution-free standard error of a sample median.

    With o = round(n/2 - sqrt(n)) (at least 1), the order statistics y(o) and y(n-o+1) bound
    a confidence interval for the median whose exact coverage is 1 - 2 P(Bin(n, 1/2) <= o-1);
    the standard error is its width over 2 z, z the normal quantile of that coverage.
    `log=True` gives the standard error of ln(median) (ln of the order statistics).
    """
    y = np.sort(np.asarray(values, dtype=float))
    n = y.size
    if n < 2:
        return float("nan")
    o = max(int(round(n / 2 - np.sqrt(n))), 1)
    p = stats.binom.cdf(o - 1, n, 0.5)
    z = stats.norm.ppf(1 - p)
    lo, hi = y[o - 1], y[n - o]
    if log:
        if lo <= 0:
            return float("nan")
        lo, hi = np.log(lo), np.log(hi)
    return float((hi - lo) / (2 * z)) if z > 0 else float("nan")


def ln_median_variance(values: np.ndarray) -> float:
    se = median_standard_error(values, log=True)
    return se * se


def gap_interval(
    group: float, reference: float, var_ln_group: float, var_ln_reference: float, z: float = Z95
) -> tuple[float, float, float]:
    """(gap %, low, high): gap = 100 (1 - group/reference), interval from ln(group/reference)."""
    if not (group > 0 and reference > 0):
        gap = 100 * (1 - group / reference) if reference > 0 else float("nan")
        return gap, float("nan"), float("nan")
    ratio = group / reference
    half = z * np.sqrt(var_ln_group + var_ln_reference)
    if not np.isfinite(half):
        return 100 * (1 - ratio), float("nan"), float("nan")
    # a higher ratio is a smaller gap, so the upper ratio bound gives the lower gap bound
    return 100 * (1 - ratio), 100 * (1 - ratio * np.exp(half)), 100 * (1 - ratio * np.exp(-half))


def welch_t(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(t, degrees of freedom, two-sided p) for mean(a) - mean(b), variances not assumed equal."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = np.sqrt(va + vb)
    if not se > 0:
        return float("nan"), float("nan"), float("nan")
    t = (a.mean() - b.mean()) / se
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(t), float(df), float(2 * stats.t.sf(abs(t), df))
