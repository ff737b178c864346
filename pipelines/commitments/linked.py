"""The linked metric's published values for a commitment: yearly rows (baseline, latest,
projection) and checkpoint windows (announcement, +6, +12, +24 months, now).

Every value comes from `compute()`, so protection is exactly that of the metric's own
table: a hidden group yields no value here, never a number.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..metrics import compute
from .register import Commitment
from .settings import Settings

NOT_ENOUGH = "not enough data to report"
NOT_REACHED = "not reached yet"
BEFORE_DATA = "before the data window"
CHECKPOINT_COLUMNS = ["checkpoint", "months", "date", "window_start", "state", "value", "ci_low", "ci_high",
                      "n", "period"]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (earlier when negative); the 31st becomes the month's last day."""
    return (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def group_rows(table: pd.DataFrame, c: Commitment) -> pd.DataFrame:
    """The commitment's group (and key values) out of a long table, oldest period first."""
    rows = table[(table["dimensions"] == "|".join(c.dims)) & (table["group"] == c.group)]
    for key, value in c.keys.items():
        rows = rows[rows[key].astype(str) == value]
    return rows.sort_values("period_start", kind="stable").reset_index(drop=True)


def yearly_rows(con, c: Commitment, exact: bool = False) -> pd.DataFrame:
    """The group's rows of every year (or survey wave) as published, partial ones included."""
    table = compute(con, c.metric, by=list(c.dims), period="year", filters=c.filters, exact=exact)
    return group_rows(table, c)


def checkpoint_dates(announced: dt.date, as_of: dt.date, months: tuple[int, ...]) -> list[tuple[str, int, dt.date]]:
    """(label, months after the announcement, date): the announcement, each checkpoint, and
    'now' (the data's as_of) when it is later than the last checkpoint already reached."""
    points = [("announcement", 0, announced)]
    points += [(f"+{m} months", m, add_months(announced, m)) for m in months]
    reached = [d for _, _, d in points if d <= as_of]
    if reached and as_of > max(reached):
        elapsed = (as_of.year - announced.year) * 12 + as_of.month - announced.month
        points.append(("now", elapsed, as_of))
    return points


def checkpoint_rows(con, c: Commitment, history_start: dt.date, as_of: dt.date,
                    settings: Settings, exact: bool = False) -> pd.DataFrame:
    """One row per checkpoint: the metric over the `window_months` up to it, or why there is none."""
    out = []
    for label, months, day in checkpoint_dates(c.announced, as_of, settings.checkpoint_months):
        start = add_months(day, -settings.window_months) + dt.timedelta(days=1)
        row = {"checkpoint": label, "months": months, "date": day, "window_start": start, "state": "published",
               "value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": pd.NA, "period": ""}
        if day > as_of:
            row["state"] = NOT_REACHED
        elif start < history_start:
            # a shorter window would not be comparable with the others
            row["state"] = BEFORE_DATA
        else:
            # the window comes from the register, not from a viewer: one fixed range per checkpoint
            table = compute(con, c.metric, by=list(c.dims), period="custom", date_from=start, date_to=day,
                            filters=c.filters, configured_range=True, exact=exact)
            rows = group_rows(table, c)
            last = rows.iloc[-1] if len(rows) else None   # survey metrics: the latest wave inside the window
            if last is None or last["suppressed"] or pd.isna(last["value"]):
                row["state"] = NOT_ENOUGH
            else:
                row.update(value=float(last["value"]), ci_low=last["ci_low"], ci_high=last["ci_high"],
                           n=last["n"], period=str(last["period"]))
        out.append(row)
    return pd.DataFrame(out, columns=CHECKPOINT_COLUMNS)
