"""Published (protected) Kaplan-Meier retention curves. Grain: one row per group and point of
the tenure grid, as the exact curves (curves.py), for the groups compute() publishes.

An exact KM curve of a small group publishes every single exit: the curve drops by 1/r at
the month of tenure someone left, so a viewer who knows that a colleague left after 14
months reads off which group (gender, disability, ...) that colleague was in. Here:
- the window is the whole data window or whole years (never a range one day shorter than
  another, which would differ by one day's hires and leavers);
- the groups and their n and exits are median_tenure's protected cells over that window
  (the same figures as `equity metrics median_tenure --period custom`), hidden iff the
  protected n is below k; no complementary suppression;
- a curve *steps* only at whole quarters of tenure (BAND_MONTHS), and only where at least k
  exits (protected count) have accumulated since its previous step and at least k people
  (protected count) are at risk: a step never shows fewer than k - 2 exits and never says
  in which month they were, so no single exit's timing or group can be read off it. The
  step's size is the exact KM drop over the band scaled by protected exits / exact exits
  (a second, independent draw: unbiased); points between two steps are interpolated in
  tenure; points after the last step and points with fewer than k at risk are blank;
- the at-risk count is shown at the steps only, as a protected count keyed by the risk set
  (the same people at several tenures get one draw); intervals move with their estimate;
- the log-rank test is shown only when every group compared has a protected n of 2k or
  more, its statistic moved as a model result and the p-value taken from the moved value.
Keys are canonical definitions (window, tenure band, filter and breakdown values), so the
Woman curve of `--by gender` and the overall curve of `--filter gender=Woman` are the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import UsageError
from ...privacy.cells import definition, hidden_below_k, protected_counts, protected_magnitude
from ...privacy.protect import VALUE_SPREAD
from ...metrics._published import EXACT_HINT
from .retention import DAYS_PER_MONTH
from .survival import LogRank, kaplan_meier, logrank_test

CURVE_COLUMNS = ["group", "tenure_months", "survival", "ci_low", "ci_high", "at_risk", "shown_as"]
STEP, BETWEEN = "step of at least k exits", "interpolated between steps"
BAND_MONTHS = 3  # steps fall on whole quarters of tenure, wherever the exits were


def one_value_filters(filters: dict[str, list[str]] | None) -> dict[str, str]:
    """Published curves take one value per filter: a curve does not add up over its parts."""
    many = [d for d, v in (filters or {}).items() if len(set(map(str, v))) > 1]
    if many:
        raise UsageError(
            f"retention curves do not add up over several {', '.join(many)} values: "
            f"choose one value per filter, or {EXACT_HINT}"
        )
    return {d: str(v[0]) for d, v in (filters or {}).items() if v}


def _fmt(months: float) -> str:
    return f"{months:g}"


def _candidates(months: np.ndarray) -> np.ndarray:
    """Grid points where a step may be placed: the first point at or after each multiple of
    BAND_MONTHS. Fixed by the grid, not by the data: a step placed at an exit's month would
    say that someone of the group left in that very month."""
    band = np.floor(months / BAND_MONTHS + 1e-9)
    return np.flatnonzero(np.diff(np.concatenate([[0.0], band])) > 0)


def protected_curve(
    part: pd.DataFrame, grid_days: np.ndarray, k: int, salt: str, window: str, constraints: dict[str, str]
) -> pd.DataFrame:
    """One group's published curve on the grid (see the module docstring)."""
    entry, exit_ = part["entry"].to_numpy(float), part["exit"].to_numpy(float)
    event = part["event"].to_numpy(bool)
    km = kaplan_meier(entry, exit_, event)
    months = grid_days / DAYS_PER_MONTH
    s = np.array([km.survival_at(t) for t in grid_days])
    ci = np.array([km.ci_at(t) for t in grid_days]).reshape(-1, 2)
    # the risk set changes only when someone enters or leaves it: key it by how many have,
    # so the same people at several tenures get one draw (not several to average)
    entered = np.searchsorted(np.sort(entry), grid_days, side="left")
    gone = np.searchsorted(np.sort(exit_), grid_days, side="left")
    risk_p = protected_counts(
        salt,
        "retention.at_risk",
        [
            definition("at_risk", window, {**constraints, "entered": int(e), "left": int(g)})
            for e, g in zip(entered, gone)
        ],
        entered - gone,
    )
    exits = np.searchsorted(np.sort(exit_[event]), grid_days, side="right")  # exits by each t
    steps = [(-1, 0.0, 1.0, 1.0, 1.0)]  # (index, months, survival, ci_low, ci_high); t = 0
    s_start, e_start = 1.0, 0
    for j in _candidates(months):
        d = int(exits[j] - e_start)
        if d == 0 or s_start <= 0:
            continue
        since = {**constraints, "from_months": _fmt(steps[-1][1])}
        # one draw per (band start, exits so far), so waiting does not redraw the same exits
        # until a draw reaches k; the step's size uses a second, independent draw (sizing it
        # with the draw that passed the test would favour draws above the truth)
        if (
            protected_counts(salt, "retention.step", [definition("exits", window, {**since, "exits": d})], [d])[0] < k
            or risk_p[j] < k
        ):
            continue  # not yet k exits (or too few at risk): no step here
        band = definition("exits", window, {**since, "to_months": _fmt(months[j])})
        d_p = float(protected_counts(salt, "retention.exits", [band], [d])[0])
        factor = float(np.clip(1.0 - (1.0 - s[j] / s_start) * d_p / d, 0.0, 1.0))
        value = steps[-1][2] * factor
        ratio = value / s[j] if s[j] > 0 else np.nan
        low, high = np.clip(ci[j] * ratio, 0.0, 1.0) if np.isfinite(ratio) else (np.nan, np.nan)
        steps.append((j, float(months[j]), value, float(low), float(high)))
        s_start, e_start = s[j], int(exits[j])
    out = pd.DataFrame(
        {
            "tenure_months": months,
            "survival": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "at_risk": np.nan,
            "shown_as": None,
        }
    )
    if len(steps) > 1:
        idx = np.array([st[0] for st in steps[1:]])
        xs = np.array([st[1] for st in steps])
        inside = np.arange(len(months)) <= idx[-1]
        for col, pos in (("survival", 2), ("ci_low", 3), ("ci_high", 4)):
            ys = np.array([st[pos] for st in steps])
            out.loc[inside, col] = np.interp(months[inside], xs, ys)
        out.loc[inside, "shown_as"] = BETWEEN
        out.loc[idx, "shown_as"] = STEP
        out.loc[idx, "at_risk"] = risk_p[idx]  # at-risk only where the curve steps
    blank = hidden_below_k(risk_p, k) | out["survival"].isna().to_numpy()
    out.loc[blank, ["survival", "ci_low", "ci_high", "at_risk", "shown_as"]] = np.nan
    out.loc[blank, "shown_as"] = None
    return out


def protected_logrank(frame: pd.DataFrame, shown: list[str], groups: pd.DataFrame, k: int, salt: str) -> LogRank | None:
    """The log-rank test between the shown groups when each has a protected n of 2k or more."""
    if len(shown) < 2:
        return None
    n_p = groups.set_index("group").loc[shown, "n"].astype(float)
    if (n_p < 2 * k).any():
        return None
    people = frame[frame["group"].isin(shown)]
    if not people["event"].astype(bool).any():
        return None  # no exits at all: nothing to compare (the variance matrix is singular)
    try:
        test = logrank_test(people["entry"], people["exit"], people["event"], people["group"])
    except np.linalg.LinAlgError:  # too few exits to separate the groups
        return None
    stat = float(
        protected_magnitude(
            salt, "retention.logrank", np.array([test.statistic]), np.array([float(n_p.sum())]), VALUE_SPREAD
        )[0]
    )
    exits_p = groups.set_index("group").loc[test.groups, "exits"].to_numpy(float)
    return LogRank(
        statistic=stat,
        df=test.df,
        p_value=float(stats.chi2.sf(stat, test.df)),
        observed=exits_p,
        expected=np.full(len(test.groups), np.nan),
        groups=test.groups,
    )
