"""The linked metric's published values for a commitment: yearly rows (baseline, latest,
projection) and checkpoint windows (announcement, +6, +12, +24 months, now).

Every value comes from `compute()`, protected as on the metric's own page: the same group and
period has the same published value here, and a hidden group yields no value, never a number.
Published checkpoints cover whole periods, as every published figure does: the last whole
year (quarter or month, for a `window_months` under 12 or under 3) ending by the checkpoint's
date, so each checkpoint value is one of the values the metric's page shows. `exact=True`
(the data owner's) keeps the rolling `window_months` up to each checkpoint.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...metrics import compute, data_periods, full_periods
from .register import Commitment
from .settings import Settings

NOT_ENOUGH = "not enough data to report"
NOT_REACHED = "not reached yet"
BEFORE_DATA = "before the data window"
CHECKPOINT_COLUMNS = [
    "checkpoint",
    "months",
    "date",
    "window_start",
    "state",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "period",
]


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


def whole_window(con, day: dt.date, months: int) -> tuple[str, dt.date, dt.date] | None:
    """(grain, first day, last day) of the last whole period ending by `day` of the grain
    nearest `months` (year from 12, quarter from 3, else month); None before the data."""
    grain = "year" if months >= 12 else "quarter" if months >= 3 else "month"
    done = [p for p in full_periods(data_periods(con, grain)) if p.end <= day]
    return (grain, done[-1].start, done[-1].end) if done else None


def checkpoint_rows(
    con, c: Commitment, history_start: dt.date, as_of: dt.date, settings: Settings, exact: bool = False
) -> pd.DataFrame:
    """One row per checkpoint: the metric over the window up to it (see the module docstring),
    or why there is none."""
    out = []
    for label, months, day in checkpoint_dates(c.announced, as_of, settings.checkpoint_months):
        grain, start, end = "custom", add_months(day, -settings.window_months) + dt.timedelta(days=1), day
        if not exact and day <= as_of:
            window = whole_window(con, day, settings.window_months)
            grain, start, end = window if window else (grain, history_start - dt.timedelta(days=1), day)
        row = {
            "checkpoint": label,
            "months": months,
            "date": day,
            "window_start": start,
            "state": "published",
            "value": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": pd.NA,
            "period": "",
        }
        if day > as_of:
            row["state"] = NOT_REACHED
        elif start < history_start:
            # a shorter window would not be comparable with the others
            row["state"] = BEFORE_DATA
        else:
            table = compute(
                con,
                c.metric,
                by=list(c.dims),
                period=grain,
                date_from=start,
                date_to=end,
                filters=c.filters,
                exact=exact,
            )
            rows = group_rows(table, c)
            last = rows.iloc[-1] if len(rows) else None  # survey metrics: the latest wave inside the window
            if last is None or last["suppressed"] or pd.isna(last["value"]):
                row["state"] = NOT_ENOUGH
            else:
                row.update(
                    value=float(last["value"]),
                    ci_low=last["ci_low"],
                    ci_high=last["ci_high"],
                    n=last["n"],
                    period=str(last["period"]),
                )
        out.append(row)
    return pd.DataFrame(out, columns=CHECKPOINT_COLUMNS)
