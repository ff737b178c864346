"""Kaplan-Meier survival with right censoring and left truncation, Greenwood variance,
log-log ("exponential Greenwood") intervals, the median with its Brookmeyer-Crowley
interval, and the k-group log-rank test.

The curve, its Greenwood errors and the Brookmeyer-Crowley interval are statsmodels'
SurvfuncRight (with `entry`). Own code stays for two things statsmodels does differently:
the median is the first time S(t) <= 0.5 (statsmodels, like SAS, takes S(t) < 0.5), and the
log-rank test returns observed and expected exits per group (statsmodels' survdiff gives
only the statistic), which the retention pages show.

Conventions (as in statsmodels' SurvfuncRight and lifelines): subject i is at risk at time
t when entry_i < t <= exit_i; `event` says whether exit_i was an exit (1) or the end of
observation (0, censored). Times here are days of tenure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from ...metrics._stats import Z95


@dataclass(frozen=True)
class KaplanMeier:
    times: np.ndarray  # distinct event times
    at_risk: np.ndarray  # risk-set size just before each time
    events: np.ndarray  # exits at each time
    survival: np.ndarray  # S(t) just after each time
    greenwood: np.ndarray  # cumulative sum d / (r (r - d)) up to each time
    fit: object = field(default=None, compare=False, repr=False)  # statsmodels SurvfuncRight

    def _index(self, t: float) -> int:
        """Position of the last event time <= t (-1 when none)."""
        return int(np.searchsorted(self.times, t, side="right")) - 1

    def survival_at(self, t: float) -> float:
        i = self._index(t)
        return 1.0 if i < 0 else float(self.survival[i])

    def se_at(self, t: float) -> float:
        """Greenwood standard error of S(t) (NaN once S has reached 0)."""
        i = self._index(t)
        if i < 0:
            return 0.0
        s, g = self.survival[i], self.greenwood[i]
        return float(s * np.sqrt(g)) if s > 0 and np.isfinite(g) else float("nan")

    def ci_at(self, t: float, z: float = Z95) -> tuple[float, float]:
        """95% interval from the log(-log S) transform, which stays inside [0, 1]:
        S^exp(+-z sigma), sigma = sqrt(Greenwood sum) / |log S|. Undefined (NaN) while S = 1
        (no exit yet) or once S = 0."""
        s = self.survival_at(t)
        i = self._index(t)
        if i < 0 or not 0 < s < 1 or not np.isfinite(self.greenwood[i]):
            return float("nan"), float("nan")
        sigma = np.sqrt(self.greenwood[i]) / abs(np.log(s))
        return float(s ** np.exp(z * sigma)), float(s ** np.exp(-z * sigma))

    def median(self) -> float:
        """Smallest event time with S(t) <= 0.5 (NaN when the curve never gets there)."""
        # statsmodels forms S as exp(sum log(1 - d/r)): an exact one half can come out a
        # rounding error above it (0.5000000000000001), so "at or below" allows for that
        hit = np.flatnonzero(self.survival <= 0.5 + 1e-12)
        return float(self.times[hit[0]]) if hit.size else float("nan")

    def median_ci(self, z: float = Z95) -> tuple[float, float]:
        """Brookmeyer-Crowley interval with the log(-log) transform (statsmodels' quantile_ci):
        the event times t where |g(S(t)) - g(0.5)| / (g'(S(t)) se(t)) <= z, g(x) = log(-log x).
        The upper limit is the event time after the last such time (infinite when there is none)."""
        if self.fit is None or not len(self.times):
            return float("nan"), float("nan")
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = self.fit.quantile_ci(0.5, alpha=2 * stats.norm.sf(z), method="cloglog")
        return float(low), float(high)


def at_risk_counts(entry: np.ndarray, exit_: np.ndarray, times: np.ndarray) -> np.ndarray:
    """#{i : entry_i < t <= exit_i} for each t."""
    entered = np.searchsorted(np.sort(entry), times, side="left")  # entry < t
    gone = np.searchsorted(np.sort(exit_), times, side="left")  # exit < t
    return entered - gone


def kaplan_meier(entry, exit_, event) -> KaplanMeier:
    """The curve of people at risk while entry < t <= exit (statsmodels SurvfuncRight)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    entry, exit_ = np.asarray(entry, float), np.asarray(exit_, float)
    event = np.asarray(event, bool)
    if not event.any():  # no exit yet: the curve stays at 1 (statsmodels returns no times)
        empty = np.array([], float)
        return KaplanMeier(times=empty, at_risk=empty.astype(int), events=empty, survival=empty, greenwood=empty)
    fit = SurvfuncRight(exit_, event.astype(int), entry=entry)
    survival, se = np.asarray(fit.surv_prob, float), np.asarray(fit.surv_prob_se, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Greenwood's sum back from its standard error S sqrt(sum); infinite once S reaches 0
        greenwood = np.where(survival > 0, (se / survival) ** 2, np.inf)
    return KaplanMeier(
        times=np.asarray(fit.surv_times, float),
        at_risk=np.asarray(fit.n_risk),
        events=np.asarray(fit.n_events, float),
        survival=survival,
        greenwood=greenwood,
        fit=fit,
    )


@dataclass(frozen=True)
class LogRank:
    statistic: float
    df: int
    p_value: float
    observed: np.ndarray
    expected: np.ndarray
    groups: list


def logrank_test(entry, exit_, event, group) -> LogRank:
    """Log-rank (Mantel-Haenszel) test that g groups share one survival curve, with left
    truncation through the risk sets: sum over event times of O - E per group and the
    hypergeometric covariance; statistic (O-E)' V^-1 (O-E) on g-1 groups, chi-square g-1 df."""
    entry, exit_ = np.asarray(entry, float), np.asarray(exit_, float)
    event, group = np.asarray(event, bool), np.asarray(group, object)
    labels = sorted(set(group.tolist()), key=str)
    times = np.unique(exit_[event])
    risk = np.array([at_risk_counts(entry[group == g], exit_[group == g], times) for g in labels], float)
    deaths = np.array(
        [
            np.searchsorted(np.sort(exit_[(group == g) & event]), times, side="right")
            - np.searchsorted(np.sort(exit_[(group == g) & event]), times, side="left")
            for g in labels
        ],
        float,
    )
    r, d = risk.sum(axis=0), deaths.sum(axis=0)
    use = r > 1
    risk, deaths, r, d = risk[:, use], deaths[:, use], r[use], d[use]
    share = risk / r
    observed, expected = deaths.sum(axis=1), (d * share).sum(axis=1)
    scale = d * (r - d) / (r - 1)
    cov = np.diag((scale * share).sum(axis=1)) - (scale * share) @ share.T
    diff = (observed - expected)[:-1]
    stat = float(diff @ np.linalg.solve(cov[:-1, :-1], diff)) if len(labels) > 1 else float("nan")
    dof = len(labels) - 1
    return LogRank(
        statistic=stat,
        df=dof,
        p_value=float(stats.chi2.sf(stat, dof)) if dof else float("nan"),
        observed=observed,
        expected=expected,
        groups=labels,
    )
