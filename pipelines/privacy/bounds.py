"""Published figures kept inside the range their unit can take: the last step of every
published long table (metrics/_published.py applies it to each table compute() publishes,
whichever engine computed it, DuckDB or Spark). Grain: compute()'s long table.

Why: the protected numerator and denominator of a share are perturbed separately, and model
results move by a fraction of themselves, so a small group's protected share can come out at
109% or -3%, with an interval reaching past 100%. A reader takes that for a bug, and a value
out of range tells an attacker which way the noise went.

Why this cannot leak more (docs/privacy.md): every step below is a fixed function of the
*protected* row alone (its published value, interval and counts), never of an exact figure.
Anyone holding the unclamped published table could compute the clamped one themselves, so
the clamped table tells nothing the protected one did not (post-processing): no hidden cell
is reopened (hidden rows stay blank), no count changes except a negative one raised to 0,
and the same protected row gets the same clamped row in every view.

- a share (unit `share`) lies in [0, 1]; a rate, count, ratio or duration is at least 0 (a
  turnover rate per average headcount can truly exceed 1, so only its floor is fixed);
- the interval holds the value: ci_low in [floor, value], ci_high in [value, ceiling]. A
  Wilson interval of a share whose protected numerator exceeds its denominator is the
  Wilson interval of numerator = denominator (the share it is shown as: 100%), not NaN;
- `n`, and numerator and denominator of a bounded unit (counts, or amounts such as spend),
  are at least 0. Numerator and denominator are otherwise published as protected, so a
  share's numerator can exceed its denominator by the noise; they are the same protected
  counts other metrics publish for the same people (`counts:` in the registry), and
  changing one here would give the same people two published figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# unit -> (floor, ceiling) of every published value of a metric in that unit; units not
# listed (percent gaps, currency, scores) can be negative or unbounded and are left as they are
UNIT_RANGE: dict[str, tuple[float, float]] = {
    "share": (0.0, 1.0),
    "rate": (0.0, np.inf),
    "count": (0.0, np.inf),
    "ratio": (0.0, np.inf),
    "days": (0.0, np.inf),
    "months": (0.0, np.inf),
}


def unit_range(spec) -> tuple[float, float] | None:
    """(floor, ceiling) of the metric's published values, None when its unit has none."""
    return UNIT_RANGE.get(spec.unit)


def _numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def _at_least_zero(df: pd.DataFrame, col: str) -> None:
    values = _numbers(df, col)
    if (values < 0).any():  # only then: a whole-number column keeps its dtype
        df[col] = df[col].where(~(values < 0), 0)


def bounded_table(df: pd.DataFrame, spec) -> pd.DataFrame:
    """The published table with every value and interval inside its unit's range (a copy;
    see the module docstring). Idempotent: a stored table (Spark results) read back and
    bounded again is unchanged."""
    df = df.copy()
    if "n" in df:
        _at_least_zero(df, "n")
    limits = unit_range(spec)
    if limits is None:
        return df
    floor, ceiling = limits
    for col in ("numerator", "denominator"):
        if col in df:
            _at_least_zero(df, col)
    value = np.clip(_numbers(df, "value"), floor, ceiling)
    df["value"] = value
    if "ci_low" not in df:
        return df
    low, high = _numbers(df, "ci_low"), _numbers(df, "ci_high")
    if spec.ci == "wilson":
        low, high = _wilson_of_crossed_counts(df, low, high)
    known = np.isfinite(value)
    low = np.clip(low, floor, ceiling)
    high = np.clip(high, floor, ceiling)
    df["ci_low"] = np.where(known & (low > value), value, low)
    df["ci_high"] = np.where(known & (high < value), value, high)
    return df


def _wilson_of_crossed_counts(df: pd.DataFrame, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the protected numerator exceeds the denominator (the share is shown as 1), the
    Wilson interval of denominator out of denominator; elsewhere the interval as computed."""
    from ..metrics._stats import wilson_interval

    num, den = _numbers(df, "numerator"), _numbers(df, "denominator")
    crossed = np.isfinite(num) & (den > 0) & (num > den)
    if not crossed.any():
        return low, high
    w_low, w_high = wilson_interval(np.where(crossed, den, 0.0), np.where(crossed, den, 1.0))
    return np.where(crossed, w_low, low), np.where(crossed, w_high, high)
