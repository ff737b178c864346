"""Tier 2 spend: diverse spend of our prime suppliers attributed to us, reported beside (never
added to) Tier 1.

- direct lines (spend on our contracts) count as reported;
- indirect lines (the prime's company-wide diverse spend) are allocated by our share of the
  prime's revenue: amount x min(1, our spend with the prime in the report's period /
  prime_total_revenue) - capped, so a prime is never credited with more than it reported
  (and floored at 0 when our net spend with it is negative).

Amounts and revenue are converted at the rate of the report's last month (the month the
build checks). A report spanning several reporting periods is spread over them by days.
`n` counts the primes (by ultimate parent) behind the figure.
"""

from __future__ import annotations

import pandas as pd

from ...metrics._frame import Query
from .sql import converted_spend_sql, reporting_rate_sql


def allocated_lines_sql(q: Query) -> str:
    """One row per Tier 2 report line with `allocation_ratio` and `allocated` (reporting currency)."""
    join, rate = reporting_rate_sql(q.con, q.config, "r", "r.period_end", "procurement/tier2_spend.csv")
    reports = (
        f"SELECT r.*, CAST(r.amount AS DOUBLE) * {rate} AS amount_rep, "
        f"CAST(r.prime_total_revenue AS DOUBLE) * {rate} AS revenue_rep FROM fct_tier2_spend r{join}"
    )
    ours = (
        f"SELECT w.prime_supplier_id, w.period_start, w.period_end, coalesce(sum(s.amount), 0) AS our_spend "
        f"FROM (SELECT DISTINCT prime_supplier_id, period_start, period_end FROM fct_tier2_spend) w "
        f"LEFT JOIN ({converted_spend_sql(q.con, q.config)}) s ON s.supplier_id = w.prime_supplier_id "
        f"AND s.transaction_date BETWEEN w.period_start AND w.period_end GROUP BY ALL"
    )
    ratio = (
        "CASE WHEN t.attribution = 'direct' THEN 1.0 ELSE greatest(0.0, least(1.0, o.our_spend / t.revenue_rep)) END"
    )
    return (
        f"SELECT t.*, o.our_spend, {ratio} AS allocation_ratio, t.amount_rep * {ratio} AS allocated "
        f"FROM ({reports}) t JOIN ({ours}) o ON o.prime_supplier_id = t.prime_supplier_id "
        f"AND o.period_start = t.period_start AND o.period_end = t.period_end"
    )


def tier2_spend(q: Query) -> pd.DataFrame:
    q.register_periods()
    overlap = (
        "(least(p.period_end, a.period_end) - greatest(p.period_start, a.period_start) + 1)"
        " / (a.period_end - a.period_start + 1)"
    )
    inner = (
        f"SELECT p.period_start, p.period_end{q.dim_select('a', 'p.period_end')}, a.prime_parent_id, "
        f"a.allocated * {overlap} AS amount "
        f"FROM q_periods p JOIN ({allocated_lines_sql(q)}) a "
        f"ON a.period_start <= p.period_end AND a.period_end >= p.period_start "
        f"WHERE true{q.filter_where('a', 'p.period_end')}"
    )
    df = q.frame(q.grouped(inner, {"numerator": "sum(amount)", "n": "count(DISTINCT prime_parent_id)"}))
    df["numerator"] = df["numerator"].astype(float).round(2)  # money in cents, without float noise
    df["value"] = df["numerator"]
    return df
