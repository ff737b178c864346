"""The long table's shape, shared by every step that produces one: compute() on the marts
(_engine.py), the sum of one-value parts of a published filter (_published.py) and the stored
tables of a results database (_results.py).

It sits below all three, so none of them imports another to reach these: the engine imports
the other two, and they used to import the engine back from inside functions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..privacy.protect import LONG as LONG_COLUMNS  # one list: the privacy layer sits below the engine
from ._registry import MetricSpec
from ._stats import poisson_rate_interval, wilson_interval

__all__ = ["BLANKED", "LONG_COLUMNS", "add_ci", "whole_counts"]

BLANKED = ["numerator", "denominator", "value", "ci_low", "ci_high", "n"]  # hidden when suppressed


def add_ci(df: pd.DataFrame, spec: MetricSpec) -> pd.DataFrame:
    """ci_low/ci_high by the registry's rule (a `custom` metric brings its own)."""
    if "ci_low" in df and spec.ci == "custom":
        return df
    if spec.ci == "wilson":
        df["ci_low"], df["ci_high"] = wilson_interval(df["numerator"], df["denominator"])
    elif spec.ci == "poisson":
        df["ci_low"], df["ci_high"] = poisson_rate_interval(df["numerator"], df["denominator"])
    else:
        df["ci_low"], df["ci_high"] = np.nan, np.nan
    return df


def whole_counts(df: pd.DataFrame) -> None:
    """Counts read as whole numbers when they are whole (in place)."""
    for col in ("n", "numerator"):
        values = df[col].dropna()
        if len(values) and (values == values.round()).all():
            df[col] = df[col].astype("Int64")
