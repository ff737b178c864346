"""Workforce metrics: headcount, representation, hires, separations and the turnover rates
(all exits, voluntary, involuntary, regretted).

Each function returns unsuppressed long rows for every subset of the requested
dimensions; the engine adds confidence intervals, suppression and labels.
"""

from __future__ import annotations

import pandas as pd

from ...metrics._frame import Query


def _people_on(q: Query, date_col: str, source: str = "q_periods") -> str:
    """Employees active on `p.<date_col>` of each period, with the requested dimensions."""
    return (
        f"SELECT p.period_start, p.period_end, p.{date_col} AS on_date, s.employee_id"
        f"{q.dim_select('s', 'p.period_end')} "
        f"FROM {source} p JOIN fct_employment_spells s "
        f"ON s.valid_from <= p.{date_col} AND p.{date_col} <= s.valid_to "
        f"WHERE true{q.filter_where('s', 'p.period_end')}"
    )


def _events_in(q: Query, table: str, where: str = "true") -> str:
    """Hire/separation events dated inside each period, with the requested dimensions;
    `where` is a fixed condition on the event row (never user text)."""
    return (
        f"SELECT p.period_start, p.period_end, e.employee_id{q.dim_select('e', 'p.period_end')} "
        f"FROM q_periods p JOIN {table} e "
        f"ON e.event_date BETWEEN p.period_start AND p.period_end "
        f"WHERE {where}{q.filter_where('e', 'p.period_end')}"
    )


def headcount(q: Query) -> pd.DataFrame:
    q.register_periods()
    sql = q.grouped(_people_on(q, "period_end"), {"numerator": "count(*)"})
    df = q.frame(sql)
    df["value"] = df["numerator"].astype(float)
    df["n"] = df["numerator"]
    return df


def representation(q: Query) -> pd.DataFrame:
    df = headcount(q)
    totals = df[df["_gid"] == df["_gid"].max()].set_index("period_start")["numerator"]
    df["denominator"] = df["period_start"].map(totals).astype(float)
    df["value"] = df["numerator"] / df["denominator"]
    return df


def _event_count(q: Query, table: str) -> pd.DataFrame:
    q.register_periods()
    df = q.frame(q.grouped(_events_in(q, table), {"numerator": "count(*)"}))
    df["value"] = df["numerator"].astype(float)
    df["n"] = df["numerator"]
    return df


def hires(q: Query) -> pd.DataFrame:
    return _event_count(q, "fct_hires")


def separations(q: Query) -> pd.DataFrame:
    return _event_count(q, "fct_separations")


def per_average_headcount(q: Query, events_inner: str) -> pd.DataFrame:
    """Rows of `events_inner` (one per event, with period and group keys) counted per period and
    group / that group's average month-end headcount; `n` is the people in those snapshots.
    Turnover and parental-leave uptake share this denominator so their rates compare."""
    snapshots = q.grouped(
        _people_on(q, "snap_date", source="q_snapshots"),
        {"headcount_days": "count(*)", "n": "count(DISTINCT employee_id)"},
    )
    events = q.grouped(events_inner, {"events": "count(*)"})
    sql = (
        f"WITH snaps AS ({snapshots}), events AS ({events}), "
        f"per_period AS (SELECT period_start, count(*) AS snaps FROM q_snapshots GROUP BY 1) "
        f"SELECT {q.keys('a', 'b')}, coalesce(b.events, 0) AS numerator, "
        f"coalesce(a.headcount_days, 0) / pp.snaps AS denominator, coalesce(a.n, 0) AS n "
        f"FROM snaps a FULL JOIN events b ON {q.join_on('a', 'b')} "
        f"JOIN per_period pp ON pp.period_start = coalesce(a.period_start, b.period_start)"
    )
    df = q.frame(sql)
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    return df


def _turnover(q: Query, exits_where: str = "true") -> pd.DataFrame:
    """Separations matching `exits_where` / average month-end headcount (SHRM-style). Every
    turnover variant shares this denominator, so voluntary + involuntary = turnover_rate
    whenever every exit has a termination type."""
    q.register_periods()
    return per_average_headcount(q, _events_in(q, "fct_separations", exits_where))


def turnover_rate(q: Query) -> pd.DataFrame:
    return _turnover(q)


def turnover_rate_voluntary(q: Query) -> pd.DataFrame:
    return _turnover(q, "e.termination_type = 'voluntary'")


def turnover_rate_involuntary(q: Query) -> pd.DataFrame:
    return _turnover(q, "e.termination_type = 'involuntary'")


def turnover_rate_regretted(q: Query) -> pd.DataFrame:
    return _turnover(q, "e.is_regretted")
