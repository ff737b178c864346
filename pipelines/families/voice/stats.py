"""Tests and intervals for comparing two survey shares (vectorised).

Both are computed from published figures only (each share and its n), so a comparison can
never reveal more than the tables it compares.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ...metrics._stats import wilson_interval


def z_value(alpha: float) -> float:
    """Two-sided critical value: 1.96 for alpha = 0.05."""
    return float(stats.norm.ppf(1 - alpha / 2))


def difference_interval(p1, n1, p2, n2, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval (method 10, Newcombe 1998) for p1 - p2, built from
    the two Wilson intervals; well behaved for small n and shares near 0 or 1."""
    z = z_value(alpha)
    p1, n1, p2, n2 = (np.asarray(a, dtype=float) for a in (p1, n1, p2, n2))
    l1, u1 = wilson_interval(p1 * n1, n1, z=z)
    l2, u2 = wilson_interval(p2 * n2, n2, z=z)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return low, high


def two_proportion_test(p1, n1, p2, n2) -> tuple[np.ndarray, np.ndarray]:
    """(z, two-sided p) of the pooled two-proportion z-test of p1 = p2."""
    p1, n1, p2, n2 = (np.asarray(a, dtype=float) for a in (p1, n1, p2, n2))
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p1 - p2) / se, 0.0)
    return z, 2 * stats.norm.sf(np.abs(z))
