"""Retention by tenure: Kaplan-Meier estimates per period and group (retention_12m,
retention_24m, median_tenure).

Each period is its own observation window. Everyone employed at some point in it is
followed on the tenure scale (days since hire): people hired before the window enter the
risk set at their tenure on its first day, not at hire (left truncation: their early
years, before the window, are not observed here), and people still employed at its end are
censored there. Groups use the job held on entry into the window.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from ...metrics._frame import Query
from .common import cube_rows, setting
from .survival import kaplan_meier

DAYS_PER_MONTH = 365.25 / 12  # median tenure is reported in average calendar months


def survival_frame(q: Query) -> pd.DataFrame:
    """One row per period and person employed in it: entry, exit (tenure days), event, dims."""
    q.register_periods()
    on = "greatest(s.hire_date, p.period_start)"
    sql = (
        f"SELECT p.period_start, p.period_end, s.employee_id, "
        f"greatest(p.period_start - s.hire_date, 0) AS entry, "
        f"least(coalesce(s.termination_date, p.period_end), p.period_end) - s.hire_date + 1 AS exit, "
        f"coalesce(s.termination_date <= p.period_end, false) AS event{q.dim_select('s', 'p.period_end')} "
        f"FROM q_periods p JOIN fct_employment_spells s ON s.valid_from <= {on} AND {on} <= s.valid_to "
        f"WHERE s.hire_date <= p.period_end "
        f"AND (s.termination_date IS NULL OR s.termination_date >= p.period_start)"
        f"{q.filter_where('s', 'p.period_end')}"
    )
    return q.frame(sql)


def horizon_days(q: Query, months: int) -> float:
    """12 months of tenure = `workforce.follow_up_days` (365) days; 24 months = twice that."""
    return float(setting(q.config, "follow_up_days")) * months / 12


def _retention_at(horizon: float) -> Callable[[pd.DataFrame], dict[str, Any]]:
    def summarise(part: pd.DataFrame) -> dict[str, Any]:
        entry, exit_, event = part["entry"].to_numpy(float), part["exit"].to_numpy(float), part["event"].to_numpy(bool)
        contributes = entry < horizon
        km = kaplan_meier(entry[contributes], exit_[contributes], event[contributes])
        at_horizon = int(((entry < horizon) & (horizon <= exit_)).sum())
        low, high = km.ci_at(horizon)
        row = {
            "numerator": int((event & contributes & (exit_ <= horizon)).sum()),
            "denominator": int(contributes.sum()),
            "n": int(contributes.sum()),
            "value": km.survival_at(horizon),
            "ci_low": low,
            "ci_high": high,
            "at_risk": at_horizon,
            "note": "",
        }
        if at_horizon == 0:
            row.update(
                value=np.nan,
                ci_low=np.nan,
                ci_high=np.nan,
                note="not estimable: nobody was observed at this tenure in the period",
            )
        return row

    return summarise


def _km_metric(q: Query, summarise) -> pd.DataFrame:
    frame = survival_frame(q)
    if frame.empty:
        return pd.DataFrame(columns=["period_start", "period_end", *q.dims, "_gid"])
    return cube_rows(frame, list(q.dims), ["period_start", "period_end"], summarise)


def retention_12m(q: Query) -> pd.DataFrame:
    return _km_metric(q, _retention_at(horizon_days(q, 12)))


def retention_24m(q: Query) -> pd.DataFrame:
    return _km_metric(q, _retention_at(horizon_days(q, 24)))


def _median(part: pd.DataFrame) -> dict[str, Any]:
    km = kaplan_meier(part["entry"], part["exit"], part["event"].astype(bool))
    low, high = km.median_ci()
    row = {
        "numerator": int(part["event"].sum()),
        "denominator": len(part),
        "n": len(part),
        "value": km.median() / DAYS_PER_MONTH,
        "ci_low": low / DAYS_PER_MONTH,
        "ci_high": high / DAYS_PER_MONTH,
        "note": "",
    }
    notes = []
    if np.isnan(row["value"]):
        notes.append("median not reached: more than half were still employed at the longest tenure seen")
    if np.isinf(row["ci_high"]) or np.isnan(row["value"]):
        # an open-ended interval is not a pair of numbers: say where it starts instead
        if np.isfinite(row["ci_low"]):
            notes.append(f"95% CI from {row['ci_low']:.1f} months, upper limit not reached")
        row["ci_low"] = row["ci_high"] = np.nan
    row["note"] = "; ".join(notes)
    return row


def median_tenure(q: Query) -> pd.DataFrame:
    return _km_metric(q, _median)
