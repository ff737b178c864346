"""Flows in and out of the workforce: retention over a period, first-year turnover of each
hiring cohort, and each group's share of hires and of exits (to set against its share of
headcount: a group whose exit share exceeds its hire share is shrinking)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...metrics._frame import Query
from .metrics import _event_count
from .common import flagged_share, setting


def retention_rate(q: Query) -> pd.DataFrame:
    """Active on period_start and still active on period_end / active on period_start.
    Groups use the job held on the first day of the period."""
    q.register_periods()
    inner = (
        f"SELECT p.period_start, p.period_end, s.employee_id, "
        f"(s.termination_date IS NULL OR s.termination_date >= p.period_end) AS stayed"
        f"{q.dim_select('s', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_employment_spells s "
        f"ON s.valid_from <= p.period_start AND p.period_start <= s.valid_to "
        f"WHERE true{q.filter_where('s', 'p.period_end')}"
    )
    return flagged_share(q, inner, "stayed")


def first_year_turnover(q: Query) -> pd.DataFrame:
    """Of the people hired in the period, the share whose last day came within their first
    `follow_up_days` days (termination_date <= hire_date + follow_up_days - 1). A cohort
    whose last hire cannot yet be followed for a full year is marked incomplete, not shown."""
    q.register_periods()
    days = int(setting(q.config, "follow_up_days"))
    inner = (
        f"SELECT p.period_start, p.period_end, e.employee_id, (x.termination_date IS NOT NULL "
        f"AND x.termination_date <= e.event_date + {days - 1}) AS left_early"
        f"{q.dim_select('e', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_hires e ON e.event_date BETWEEN p.period_start AND p.period_end "
        f"JOIN stg_hr__employees x ON x.employee_id = e.employee_id "
        f"WHERE true{q.filter_where('e', 'p.period_end')}"
    )
    df = flagged_share(q, inner, "left_early")
    as_of = pd.Timestamp(q.params["as_of"]).date()
    needed = pd.to_datetime(df["period_end"]).dt.date.map(lambda end: end + dt.timedelta(days=days - 1))
    complete = needed <= as_of
    df["value"] = df["value"].where(complete)
    df["numerator"] = df["numerator"].astype(float).where(complete)
    df["note"] = np.where(
        complete, "", [f"incomplete follow-up: a full year of data for this cohort runs to {d}" for d in needed]
    )
    return df


def _event_share(q: Query, table: str) -> pd.DataFrame:
    """Each group's events / all events in the period (the row with every dimension rolled up)."""
    df = _event_count(q, table)
    all_gid = (1 << len(q.dims)) - 1
    totals = df[df["_gid"] == all_gid].set_index("period_start")["numerator"]
    df["denominator"] = df["period_start"].map(totals).astype(float)
    df["value"] = df["numerator"] / df["denominator"]
    return df


def hire_share(q: Query) -> pd.DataFrame:
    return _event_share(q, "fct_hires")


def exit_share(q: Query) -> pd.DataFrame:
    return _event_share(q, "fct_separations")
