"""Tests and models used by the workforce family: comparing two proportions (z, Fisher,
risk-ratio interval) and ordinary least squares for trends and interrupted time series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ...metrics._stats import Z95


def two_proportion_z(a, n1, c, n2) -> tuple[np.ndarray, np.ndarray]:
    """Pooled two-proportion z statistic for a/n1 vs c/n2 and its two-sided p-value
    (NaN when the pooled proportion is 0 or 1: no variation to test)."""
    a, n1 = np.asarray(a, float), np.asarray(n1, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (a + c) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (a / n1 - c / n2) / se, np.nan)
    return z, np.where(np.isnan(z), np.nan, 2 * stats.norm.sf(np.abs(z)))


def fisher_exact_p(a: int, n1: int, c: int, n2: int) -> float:
    """Two-sided Fisher exact p-value for the 2x2 table [[a, n1-a], [c, n2-c]]."""
    if n1 <= 0 or n2 <= 0:
        return float("nan")
    return float(stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue)


def risk_ratio_ci(a, n1, c, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% interval for (a/n1)/(c/n2) on the log scale (Katz et al. 1978):
    exp(log RR +- z sqrt(1/a - 1/n1 + 1/c - 1/n2)). When a or c is 0 the log is undefined, so
    0.5 is added to every cell of that 2x2 table (Haldane-Anscombe) for the interval only,
    and when a is 0 the lower limit is 0 (the ratio itself is 0)."""
    a_raw = a
    a, n1 = np.asarray(a, float), np.asarray(n1, float)
    c_arr = np.full_like(a, float(c))
    n2_arr = np.full_like(a, float(n2))
    zero = (a == 0) | (c_arr == 0)
    a, c_arr = np.where(zero, a + 0.5, a), np.where(zero, c_arr + 0.5, c_arr)
    n1, n2_arr = np.where(zero, n1 + 1, n1), np.where(zero, n2_arr + 1, n2_arr)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rr = np.log((a / n1) / (c_arr / n2_arr))
        se = np.sqrt(1 / a - 1 / n1 + 1 / c_arr - 1 / n2_arr)
    low, high = np.exp(log_rr - z * se), np.exp(log_rr + z * se)
    # with no events in the group the ratio itself is 0, so the interval starts at 0
    return np.where(np.asarray(a_raw, float) == 0, 0.0, low), high


@dataclass
class OlsFit:
    coef: np.ndarray
    se: np.ndarray
    df_resid: int
    residual_sd: float

    def ci(self, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        t = stats.t.ppf(0.5 + conf / 2, self.df_resid)
        return self.coef - t * self.se, self.coef + t * self.se

    def p_values(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2 * stats.t.sf(np.abs(self.coef / self.se), self.df_resid)


def ols(design: np.ndarray, y: np.ndarray) -> OlsFit:
    """Least squares with classical standard errors: s^2 (X'X)^-1, s^2 = RSS / (n - p)."""
    x, y = np.asarray(design, float), np.asarray(y, float)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    df_resid = x.shape[0] - x.shape[1]
    s2 = float(resid @ resid / df_resid) if df_resid > 0 else float("nan")
    cov = s2 * np.linalg.inv(x.T @ x)
    return OlsFit(coef=coef, se=np.sqrt(np.diag(cov)), df_resid=df_resid, residual_sd=float(np.sqrt(s2)))
