"""The pay population: employees active on each period end, with their pay in the reporting
currency, the bonuses they were paid in the 12 months up to that day, and the legitimate
factors of the pay-equity models.

One row per period x employee active on `period_end` (the spell containing that day). Pay is the
full-time-equivalent annual base salary of that spell times the FX rate of the snapshot month
(blank currency = reporting currency); hourly pay = annual FTE pay / (standard weekly hours x
weeks per year). People without a salary on the day (no job record yet, blank or zero salary)
stay in the frame with `has_pay` false: pay measures leave them out and say how many.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ...db import has_table
from ...errors import DataError, UsageError
from ...sqlsafe import ident, literal
from ...metrics._frame import Query
from ...metrics._snapshots import refuse_tenure_factor
from .factors import SPELL_FACTORS, Factor, extra_join, factor_select, resolve_factors, typed_factor

# Columns of fct_employment_spells a category or cohort column may name (factors.py says
# what a legitimate factor may be). Anything else is a usage error, never SQL.
CATEGORICAL_FACTORS = SPELL_FACTORS
NO_RATES = (
    "(SELECT NULL::VARCHAR AS currency, NULL::DATE AS month_start, NULL::DOUBLE AS rate_to_reporting WHERE false)"
)


def factor_column(name: str) -> str:
    """Frame column holding legitimate factor `name` (prefixed so it never clashes with a dimension)."""
    return f"f_{name}"


def extra_column(name: str) -> str:
    """Frame column holding job attribute `name` used for categories and cohorts."""
    return f"x_{name}"


def check_columns(columns, setting: str = "pay.worker_category / pay.cohort_columns") -> list[str]:
    columns = list(columns or [])
    unknown = [c for c in columns if c not in CATEGORICAL_FACTORS]
    if unknown:
        raise UsageError(
            f"{setting}: unknown column(s) {', '.join(map(repr, unknown))}; known: {', '.join(CATEGORICAL_FACTORS)}"
        )
    return columns


def _rates(q: Query) -> str:
    return "dim_fx_rates" if has_table(q.con, "dim_fx_rates") else NO_RATES


def _bonus_sql(q: Query, reporting: str) -> str:
    """Bonus per employee paid in the 12 months up to each period end, in reporting currency."""
    return (
        f"SELECT p.period_start, b.employee_id, "
        f"sum(b.amount * CASE WHEN coalesce(b.currency, {reporting}) = {reporting} THEN 1.0 "
        f"ELSE fx.rate_to_reporting END) AS bonus, "
        f"bool_or(coalesce(b.currency, {reporting}) <> {reporting} AND fx.rate_to_reporting IS NULL) "
        f"AS bonus_rate_missing "
        f"FROM q_periods p JOIN fct_bonuses b "
        f"ON b.paid_date > p.period_end - INTERVAL 12 MONTH AND b.paid_date <= p.period_end "
        f"LEFT JOIN {_rates(q)} fx ON fx.currency = b.currency AND fx.month_start = b.paid_month "
        f"GROUP BY 1, 2"
    )


def snapshot_sql(q: Query, factors: list[Factor] = (), extra_columns=(), bonus: bool = False) -> str:
    """SELECT of the pay population for every period of `q` (q.register_periods() first);
    `factors` as resolve_factors returns them."""
    reporting = literal(q.config["reporting_currency"])
    cur = f"coalesce(s.currency, {reporting})"
    factor_sql = "".join(f", {factor_select(f, factor_column(f.name))}" for f in factors)
    extra_sql = "".join(f", s.{ident(c)} AS {ident(extra_column(c))}" for c in check_columns(extra_columns))
    bonus_join = bonus_cols = ""
    if bonus:
        bonus_cols = ", coalesce(bo.bonus, 0) AS bonus, coalesce(bo.bonus_rate_missing, false) AS bonus_rate_missing"
        bonus_join = (
            f" LEFT JOIN ({_bonus_sql(q, reporting)}) bo "
            f"ON bo.period_start = p.period_start AND bo.employee_id = s.employee_id"
        )
    return (
        f"SELECT p.period_start, p.period_end, s.employee_id{q.dim_select('s', 'p.period_end')}, "
        f"s.annual_base_salary AS salary, {cur} AS currency, s.fte AS fte, "
        f"CASE WHEN {cur} = {reporting} THEN 1.0 ELSE fx.rate_to_reporting END AS rate"
        f"{factor_sql}{extra_sql}{bonus_cols} "
        f"FROM q_periods p JOIN fct_employment_spells s "
        f"ON s.valid_from <= p.period_end AND p.period_end <= s.valid_to "
        f"LEFT JOIN {_rates(q)} fx ON fx.currency = s.currency "
        f"AND fx.month_start = date_trunc('month', p.period_end)"
        f"{extra_join(factors)}{bonus_join} WHERE true{q.filter_where('s', 'p.period_end')}"
    )


def _raise_missing_rates(frame: pd.DataFrame, reporting: str) -> None:
    """A salary in a currency with no rate for the snapshot month stops with a clear message
    (the build checks job-history currencies only for existence, not for every month)."""
    missing = frame[frame["salary"].notna() & frame["rate"].isna()]
    if not missing.empty:
        first = missing.sort_values(["period_end", "currency"]).iloc[0]
        month = pd.Timestamp(first["period_end"]).strftime("%Y-%m")
        count = int(((missing["currency"] == first["currency"]) & (missing["period_end"] == first["period_end"])).sum())
        raise DataError(
            f"no FX rate for {first['currency']} in {month} (reporting currency {reporting}): "
            f"needed to convert the salaries of {count} employee(s) active on "
            f"{pd.Timestamp(first['period_end']).date()}; add the month to reference/fx_rates.csv",
            file="reference/fx_rates.csv",
            column="rate_to_reporting",
        )
    if "bonus_rate_missing" in frame and frame["bonus_rate_missing"].any():
        raise DataError(
            "a bonus has no FX rate for its month (reporting currency "
            f"{reporting}); add the month to reference/fx_rates.csv",
            file="hr/bonuses.csv",
            column="currency",
        )


def snapshot_frame(q: Query, factors=(), extra_columns=(), bonus: bool = False) -> pd.DataFrame:
    """The pay population as a DataFrame, with `annual_pay`, `hourly_pay`, `has_pay` and
    `has_factors` (false when a numeric factor is blank: such people stay out of the models)."""
    q.register_periods()
    if bonus and not has_table(q.con, "fct_bonuses"):
        raise UsageError("bonus measures need hr/bonuses.csv; none was loaded")
    factors = resolve_factors(q.con, q.config, factors)
    if any(f.origin == "tenure" for f in factors):
        refuse_tenure_factor(q.con)
    frame = q.frame(snapshot_sql(q, factors, extra_columns, bonus))
    _raise_missing_rates(frame, q.config["reporting_currency"])
    salary = pd.to_numeric(frame["salary"], errors="coerce").astype(float)
    frame["annual_pay"] = (salary * frame["rate"].astype(float)).where(salary > 0)
    frame["has_pay"] = frame["annual_pay"].notna()
    frame["hourly_pay"] = frame["annual_pay"] / hours_per_year(q.config)
    if bonus:
        frame["bonus"] = frame["bonus"].astype(float)
    unknown = q.config["demographics"]["unknown_label"]
    for f in factors:
        frame[factor_column(f.name)] = typed_factor(frame[factor_column(f.name)], f, unknown)
    numeric = [factor_column(f.name) for f in factors if f.numeric]
    frame["has_factors"] = frame[numeric].notna().all(axis=1) if numeric else True
    # a total order by values (never by id: on Spark ids arrive as per-run pseudonyms), so a fit
    # sums the same rows in the same order whichever engine returned them
    order = [c for c in frame.columns if c != "employee_id"]
    return frame.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)


def hours_per_year(config) -> float:
    pay = config["pay"]
    return float(pay["standard_weekly_hours"]) * float(pay["weeks_per_year"])


def exact_pay(q: Query, frame_sql: str) -> list[tuple]:
    """(period_start, employee_id, exact annual pay as Decimal or None) for Art. 10 checks.

    Salaries are stored as exact decimals; FX rates as doubles, read back through their
    shortest decimal text (the value written in the CSV).
    """
    rows = q.con.execute(f"SELECT period_start, employee_id, salary, rate FROM ({frame_sql})").fetchall()
    out = []
    for start, eid, salary, rate in rows:
        ok = salary is not None and rate is not None and salary > 0
        out.append((start, eid, Decimal(salary) * Decimal(repr(float(rate))) if ok else None))
    return out


def exact_bonus(q: Query) -> dict[tuple, Decimal]:
    """{(period_start, employee_id): exact bonus in reporting currency over the 12 months}."""
    reporting = literal(q.config["reporting_currency"])
    sql = (
        f"SELECT p.period_start, b.employee_id, b.amount, "
        f"CASE WHEN coalesce(b.currency, {reporting}) = {reporting} THEN 1.0 ELSE fx.rate_to_reporting END "
        f"FROM q_periods p JOIN fct_bonuses b "
        f"ON b.paid_date > p.period_end - INTERVAL 12 MONTH AND b.paid_date <= p.period_end "
        f"LEFT JOIN {_rates(q)} fx ON fx.currency = b.currency AND fx.month_start = b.paid_month"
    )
    out: dict[tuple, Decimal] = {}
    for start, eid, amount, rate in q.con.execute(sql).fetchall():
        if rate is None:
            continue  # cannot happen after snapshot_frame's check; never guessed
        out[(start, eid)] = out.get((start, eid), Decimal(0)) + Decimal(amount) * Decimal(repr(float(rate)))
    return out


def excluded_note(frame: pd.DataFrame, period_start) -> str:
    """'N employee(s) without a salary on DATE not included' for the overall row, or ''."""
    rows = frame[frame["period_start"] == period_start]
    missing = int((~rows["has_pay"]).sum())
    if not missing:
        return ""
    day = pd.Timestamp(rows["period_end"].iat[0]).date()
    return f"{missing} employee(s) active on {day} without a recorded salary not included"


def ln_pay(frame: pd.DataFrame) -> np.ndarray:
    return np.log(frame["hourly_pay"].to_numpy(dtype=float))
