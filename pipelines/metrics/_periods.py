"""Reporting periods: year (fiscal-year aware), quarter, month, or one custom range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import UsageError

GRAINS = ("year", "quarter", "month", "custom")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    is_partial: bool = False  # clipped by the data window or by --from/--to


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def _label(start: dt.date, grain: str, fiscal_start: int) -> str:
    if grain == "month":
        return f"{start:%Y-%m}"
    # a fiscal year is named by the calendar year in which it ends (FY2025 = Apr 2024-Mar 2025)
    fy = start.year if fiscal_start == 1 else (start.year + 1 if start.month >= fiscal_start else start.year)
    prefix = "" if fiscal_start == 1 else "FY"
    if grain == "year":
        return f"{prefix}{fy}"
    quarter = ((start.month - fiscal_start) % 12) // 3 + 1
    return f"{prefix}{fy}-Q{quarter}"


def make_periods(
    grain: str,
    history_start: dt.date,
    as_of: dt.date,
    fiscal_start_month: int = 1,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Period]:
    """Periods covering [max(history_start, from), min(as_of, to)], clipped to that window.

    A period cut short by the window keeps its label and is marked partial, so a reader
    never compares a half year with a full one without being told.
    """
    if grain not in GRAINS:
        raise UsageError(f"unknown period '{grain}'; use one of: {', '.join(GRAINS)}")
    lo = max(history_start, date_from) if date_from else history_start
    hi = min(as_of, date_to) if date_to else as_of
    if lo > hi:
        raise UsageError(f"the requested range {lo} to {hi} is empty or outside the data ({history_start} to {as_of})")
    if grain == "custom":
        if not (date_from and date_to):
            raise UsageError("a custom period needs both --from and --to")
        return [Period(lo, hi, f"{lo} to {hi}", is_partial=(lo, hi) != (date_from, date_to))]
    step = {"year": 12, "quarter": 3, "month": 1}[grain]
    # first period boundary on or before lo, aligned to the fiscal year start
    anchor = dt.date(lo.year if lo.month >= fiscal_start_month else lo.year - 1, fiscal_start_month, 1)
    while _add_months(anchor, step) <= lo:
        anchor = _add_months(anchor, step)
    periods = []
    start = anchor
    while start <= hi:
        end = _add_months(start, step) - dt.timedelta(days=1)
        clipped_start, clipped_end = max(start, lo), min(end, hi)
        periods.append(
            Period(
                clipped_start,
                clipped_end,
                _label(start, grain, fiscal_start_month),
                is_partial=(clipped_start, clipped_end) != (start, end),
            )
        )
        start = _add_months(start, step)
    return periods


def snapshot_dates(period: Period) -> list[dt.date]:
    """Month-end dates inside the period (for average monthly headcount); the period end
    when the period contains no month end."""
    dates = []
    d = _add_months(dt.date(period.start.year, period.start.month, 1), 1) - dt.timedelta(days=1)
    while d <= period.end:
        if d >= period.start:
            dates.append(d)
        d = _add_months(d + dt.timedelta(days=1), 1) - dt.timedelta(days=1)
    return dates or [period.end]


# --- the one latest-full-period rule -------------------------------------------------------
# A figure shown on its own (a headline, a statutory table, a snapshot date, a target's latest
# value) is for the latest period not cut short by the data window, so a half year is never set
# against full ones; only when every period is partial (a window shorter than one period) is the
# latest partial period used. Every family, the commitments and the dashboard use these.

PARTIAL_NOTE = "partial period"  # finalize()'s note on a row of a clipped period


def full_periods(periods: list[Period]) -> list[Period]:
    """The periods not cut short by the data window or by --from/--to."""
    return [p for p in periods if not p.is_partial]


def latest_full_period(periods: list[Period]) -> Period:
    """The latest full period (the latest period when every one is partial)."""
    if not periods:
        raise UsageError("no reporting period in the data window")
    return (full_periods(periods) or periods)[-1]


def full_period_rows(rows):
    """Rows of a long table (a DataFrame) whose period is not partial."""
    return rows[~rows["note"].fillna("").astype(str).str.contains(PARTIAL_NOTE, regex=False)]


def latest_full_period_rows(rows):
    """Rows of the latest full period of a long table (the latest period when every one is
    partial); empty rows stay empty."""
    full = full_period_rows(rows)
    pick = full if len(full) else rows
    return pick[pick["period_start"] == pick["period_start"].max()] if len(pick) else pick
