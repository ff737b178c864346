"""The span a build's data covers (history_start .. as_of) and the `build_params` table the
SQL models read it from, with the reporting settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from .contract import load_contract
from .db import has_table, scalar
from .errors import DataError
from .sqlsafe import ident, literal


def history_window(
    con: duckdb.DuckDBPyConnection, config: dict[str, Any], families: set[str] | None = None
) -> tuple[dt.date, dt.date]:
    """(history_start, as_of): the span over which the data is complete.

    With HR data: as_of configured, else the latest HR date not after today (future-dated
    records are plans, not history); history_start configured, else the start of the fiscal
    year of the earliest exit, since exports usually hold only people employed since some date.
    Without HR data (recruiting-only, procurement-only ...) both come from the dates of the
    files present (window_dates), so no dummy HR file is needed to place the window.
    """
    has_hr = families is None or "hr" in families
    as_of = config.get("as_of")
    if as_of is None:
        dates = (
            (
                "SELECT hire_date AS d FROM src_hr__employees UNION ALL "
                "SELECT termination_date FROM src_hr__employees UNION ALL "
                "SELECT effective_date FROM src_hr__job_history"
            )
            if has_hr
            else window_dates(con)
        )
        as_of = scalar(con, f"SELECT max(d) FROM ({dates}) WHERE d <= current_date")
    start = config.get("history_start")
    if start is None:
        first = (
            scalar(con, "SELECT coalesce(min(termination_date), min(hire_date)) FROM src_hr__employees")
            if has_hr
            else scalar(con, f"SELECT min(d) FROM ({window_dates(con)})")
        )
        if first is None:
            raise DataError(
                "has no rows that could be loaded", file="hr/employees.csv" if has_hr else "the data folder"
            )
        m = config["fiscal_year_start_month"]
        year = first.year if first.month >= m else first.year - 1
        start = dt.date(year, m, 1)
    if as_of is None:
        raise DataError(
            "has no dated rows to place the reporting window; set as_of in equity.yml", file="the data folder"
        )
    as_of, start = pd.Timestamp(as_of).date(), pd.Timestamp(start).date()
    if start > as_of:
        raise DataError(f"history_start {start} is after as_of {as_of}", file="equity.yml")
    return start, as_of


def window_dates(con: duckdb.DuckDBPyConnection) -> str:
    """SELECT of every date (as `d`) in the loaded sources other than reference tables (events
    and FX months annotate the data; they do not say what period it covers)."""
    parts = [
        f"SELECT {ident(c.name)} AS d FROM src_{t.name}"
        for t in load_contract().values()
        if t.family != "reference"
        for c in t.columns.values()
        if c.type == "date" and has_table(con, f"src_{t.name}")
    ]
    return " UNION ALL ".join(parts) or "SELECT NULL::DATE AS d WHERE false"


def write_params(con, config: dict[str, Any], start: dt.date, as_of: dt.date) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE build_params AS SELECT "
        f"DATE {literal(start.isoformat())} AS history_start, DATE {literal(as_of.isoformat())} AS as_of, "
        f"{literal(config['reporting_currency'])} AS reporting_currency, "
        f"{int(config['fiscal_year_start_month'])} AS fiscal_year_start_month, "
        f"{literal(config['demographics']['not_disclosed'])} AS not_disclosed_label, "
        f"{literal(config['demographics']['unknown_label'])} AS unknown_label"
    )
