"""Parental leave: how many people start it (per head of the group), and whether they are
still employed a year after they come back. Leave types counted as parental are
`workforce.parental_leave_types`; a leave belongs to the period in which it starts, so
both metrics describe the same cohort (and a policy dated on a start date splits it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...sqlsafe import literal
from ...metrics._frame import Query
from .metrics import per_average_headcount
from .common import in_list, require_table, setting

LEAVE_FILE = "hr/leave.csv"


def _parental(q: Query) -> str:
    return f"l.leave_type IN ({in_list(setting(q.config, 'parental_leave_types'))})"


def parental_leave_uptake(q: Query) -> pd.DataFrame:
    """Parental leaves starting in the period / average month-end headcount (shown as %, i.e.
    starts per 100 employees); the count of starts is the numerator."""
    require_table(q, "fct_leave_spells", LEAVE_FILE)
    q.register_periods()
    starts_inner = (
        f"SELECT p.period_start, p.period_end, l.employee_id{q.dim_select('l', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_leave_spells l "
        f"ON l.start_date BETWEEN p.period_start AND p.period_end "
        f"WHERE {_parental(q)}{q.filter_where('l', 'p.period_end')}"
    )
    return per_average_headcount(q, starts_inner)


def return_after_leave_12m(q: Query) -> pd.DataFrame:
    """Of the parental leaves starting in the period that have ended, the share whose
    employee is still employed `follow_up_days` days after returning (the return is the day
    after end_date; employed on end_date + 1 + follow_up_days). Leaves whose check date is
    after as_of are left out and the row says how many; leaves still ongoing likewise. A
    person who left during the leave counts as not retained."""
    require_table(q, "fct_leave_spells", LEAVE_FILE)
    q.register_periods()
    days = int(setting(q.config, "follow_up_days"))
    as_of = pd.Timestamp(q.params["as_of"]).date()
    check = f"(l.end_date + {days + 1})"
    inner = (
        f"SELECT p.period_start, p.period_end, l.employee_id, l.end_date IS NULL AS ongoing, "
        f"l.end_date IS NOT NULL AND {check} > DATE {literal(as_of.isoformat())} AS pending, "
        f"(l.termination_date IS NULL OR l.termination_date >= {check}) AS retained"
        f"{q.dim_select('l', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_leave_spells l ON l.start_date BETWEEN p.period_start AND p.period_end "
        f"WHERE {_parental(q)}{q.filter_where('l', 'p.period_end')}"
    )
    observed = "NOT ongoing AND NOT pending"
    df = q.frame(
        q.grouped(
            inner,
            {
                "numerator": f"count(*) FILTER (WHERE {observed} AND retained)",
                "denominator": f"count(*) FILTER (WHERE {observed})",
                "n": f"count(DISTINCT employee_id) FILTER (WHERE {observed})",
                "_waiting": "count(*) FILTER (WHERE ongoing OR pending)",
            },
        )
    )
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["note"] = np.where(
        df["_waiting"] > 0,
        [
            f"incomplete follow-up: {w} leave(s) still ongoing or returned less than {days} days before {as_of}"
            for w in df["_waiting"]
        ],
        "",
    )
    return df.drop(columns=["_waiting"])
