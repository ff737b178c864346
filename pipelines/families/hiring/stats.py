"""Statistics for the hiring funnel, on plain counts (no SQL, no suppression).

- Adverse impact (Uniform Guidelines, 29 CFR 1607.4D): impact ratio, pooled two-proportion z,
  Fisher's exact test, Katz log interval for the ratio, shortfall to the four-fifths line.
- Holm's step-down adjustment for many group x stage comparisons.
- Mantel-Haenszel across strata (departments): common odds ratio with the Robins-Breslow-
  Greenland interval, the MH rate ratio and the Cochran-Mantel-Haenszel test.
- Kaplan-Meier median time in a stage with open applications censored.

Sign convention: z is positive when the group is selected LESS often than the reference (the
worked example in the issue: reference 48/80, group 12/40 gives z = +3.10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

from pipelines.metrics._stats import Z95


def exact(value: float | int | Fraction) -> Fraction:
    """A setting such as 0.8 as the exact fraction it was written as (4/5, not 0.8000000000000000444)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def impact_ratio(sel: int, n: int, ref_sel: int, ref_n: int) -> float:
    """(sel/n) / (ref_sel/ref_n); NaN when either rate is undefined or the reference rate is 0."""
    if n <= 0 or ref_n <= 0 or ref_sel <= 0:
        return math.nan
    return (sel / n) / (ref_sel / ref_n)


def below_threshold(sel: int, n: int, ref_sel: int, ref_n: int, threshold) -> bool:
    """Is the impact ratio STRICTLY below the threshold? Decided in exact arithmetic, so a ratio
    of exactly 4/5 is never flagged because of floating-point rounding."""
    if n <= 0 or ref_n <= 0 or ref_sel <= 0:
        return False
    return Fraction(sel * ref_n, n * ref_sel) < exact(threshold)


def pooled_z(sel: int, n: int, ref_sel: int, ref_n: int) -> float:
    """Two-proportion z with the pooled rate: (p_ref - p) / sqrt(P(1-P)(1/n + 1/n_ref))."""
    if n <= 0 or ref_n <= 0:
        return math.nan
    pooled = (sel + ref_sel) / (n + ref_n)
    var = pooled * (1 - pooled) * (1 / n + 1 / ref_n)
    if var <= 0:  # everyone or no one selected in both groups: no difference to test
        return 0.0
    return (ref_sel / ref_n - sel / n) / math.sqrt(var)


def fisher_p(sel: int, n: int, ref_sel: int, ref_n: int) -> float:
    """Two-sided Fisher exact p for the 2x2 table [[sel, n-sel], [ref_sel, ref_n-ref_sel]]."""
    if n <= 0 or ref_n <= 0:
        return math.nan
    return float(stats.fisher_exact([[sel, n - sel], [ref_sel, ref_n - ref_sel]], alternative="two-sided").pvalue)


def katz_interval(sel: int, n: int, ref_sel: int, ref_n: int, z: float = Z95) -> tuple[float, float, bool]:
    """95% Katz log interval for the ratio of two proportions: exp(ln RR +- z*SE),
    SE = sqrt(1/a - 1/n + 1/c - 1/m) (Katz et al. 1978).

    A zero count makes ln RR infinite, so then 0.5 is added to both selection counts and both
    group sizes (the usual Haldane-Anscombe correction); the third value says it was applied.
    With no selections in the group the ratio itself is 0 and nothing rules 0 out, so the lower
    limit is 0 (the corrected interval would otherwise exclude the estimate it belongs to).
    """
    if n <= 0 or ref_n <= 0:
        return math.nan, math.nan, False
    a, m1, c, m2 = float(sel), float(n), float(ref_sel), float(ref_n)
    corrected = sel == 0 or ref_sel == 0
    if corrected:
        a, m1, c, m2 = a + 0.5, m1 + 0.5, c + 0.5, m2 + 0.5
    log_rr = math.log((a / m1) / (c / m2))
    se = math.sqrt(max(1 / a - 1 / m1 + 1 / c - 1 / m2, 0.0))
    low = 0.0 if sel == 0 else math.exp(log_rr - z * se)
    return low, math.exp(log_rr + z * se), corrected


def shortfall(sel: int, n: int, ref_sel: int, ref_n: int, threshold) -> int:
    """Smallest whole number of extra selections of the group (its size and the reference
    rate unchanged) that lifts its impact ratio to the threshold; 0 when it is not below."""
    if n <= 0 or ref_n <= 0 or ref_sel <= 0:
        return 0
    needed = exact(threshold) * Fraction(ref_sel, ref_n) * n  # selections needed, exactly
    return max(0, math.ceil(needed) - sel)


@dataclass(frozen=True)
class MantelHaenszel:
    """Across strata, group (row 1) vs reference (row 2), selected (col 1) vs not (col 2)."""

    strata: int  # strata with at least two applications (the others carry no information)
    odds_ratio: float  # MH common odds ratio, group vs reference
    or_low: float
    or_high: float
    rate_ratio: float  # MH rate ratio: the stratified counterpart of the impact ratio
    chi2: float  # CMH statistic without continuity correction (1 df)
    z: float  # signed sqrt(chi2): positive when the group is selected less than expected
    p: float


def mantel_haenszel(tables) -> MantelHaenszel:
    """Mantel-Haenszel estimates and the Cochran-Mantel-Haenszel test for 2x2xK tables
    [[a, b], [c, d]] (a = group selected, b = group not, c = reference selected, d = not)."""
    t = np.asarray(tables, dtype=float).reshape(-1, 2, 2)
    t = t[t.sum(axis=(1, 2)) >= 2]
    nan = MantelHaenszel(int(len(t)), *([math.nan] * 7))
    if len(t) == 0:
        return nan
    from statsmodels.stats.contingency_tables import StratifiedTable

    a, b, c, d = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
    n = a + b + c + d
    r, s = np.sum(a * d / n), np.sum(b * c / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        st = StratifiedTable(t.transpose(1, 2, 0))  # statsmodels wants 2 x 2 x K
        odds = float(st.oddsratio_pooled) if s > 0 else math.nan
        lo = hi = math.nan
        if r > 0 and s > 0:  # Robins, Breslow & Greenland (1986) interval of ln OR_MH
            lo, hi = (float(v) for v in st.oddsratio_pooled_confint(alpha=2 * stats.norm.sf(Z95)))
        rate = float(st.riskratio_pooled) if np.sum(c * (a + b) / n) > 0 else math.nan
    variance = np.sum((a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1)))
    if variance <= 0:
        return MantelHaenszel(int(len(t)), odds, lo, hi, rate, math.nan, math.nan, math.nan)
    test = st.test_null_odds(correction=False)  # CMH without continuity correction, 1 df
    diff = float(np.sum((a + b) * (a + c) / n) - np.sum(a))  # its sign: selected less than expected
    return MantelHaenszel(
        int(len(t)),
        odds,
        lo,
        hi,
        rate,
        float(test.statistic),
        math.copysign(math.sqrt(test.statistic), diff) if diff else 0.0,
        float(test.pvalue),
    )


def km_median(days, advanced, z: float = Z95) -> tuple[float, float, float]:
    """Kaplan-Meier median days and its 95% interval; `advanced` False = censored (still open).

    Median: the first event day on which the estimated share still waiting falls strictly
    below one half (the SAS LIFETEST and statsmodels SurvfuncRight convention), NaN when it
    never does. Interval: Brookmeyer-Crowley, inverting the test on the complementary log-log
    scale with Greenwood's variance; the upper limit is NaN when it is not reached, and the
    interval is [median, median] when the estimate crosses one half within a single day.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    t = np.asarray(days, dtype=float)
    e = np.asarray(advanced, dtype=float)
    if t.size == 0 or not (e > 0).any():
        return math.nan, math.nan, math.nan
    fit = SurvfuncRight(t, e)
    median = float(fit.quantile(0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = (float(v) for v in fit.quantile_ci(0.5, alpha=2 * stats.norm.sf(z), method="cloglog"))
    if math.isnan(low) and math.isnan(high):
        # Own rule (statsmodels returns no interval here): the share waiting jumps from
        # significantly above one half to significantly below it on the median day itself
        # (many ties on a day grid), so the median is pinned to that day.
        return median, median, median
    return median, low, (math.nan if math.isinf(high) else high)
