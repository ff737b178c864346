"""All data access for the dashboard: read-only DuckDB, cached per database version.

The cache key includes the database file's inode and modification time, so when
`equity build` atomically swaps in a new file the next rerun reads it: no restart needed.
Nothing here imports Great Expectations or other heavy build-time modules.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines.db import built_tables, events_of, has_table, lock_down
from pipelines.metrics._snapshots import snapshot_refusal
from pipelines.metrics import NoDataError, all_dimensions, build_context, compute, families, registry
from pipelines.quality_report import quality_summary
from pipelines.sqlsafe import ident

BUILD_HINT = "equity build --data DATA_FOLDER --db {db}"


@dataclass(frozen=True)
class DbVersion:
    path: str
    inode: int
    mtime_ns: int


def db_path() -> Path:
    return Path(os.environ.get("EQUITY_DB", "equity.duckdb")).resolve()


def db_version() -> DbVersion | None:
    """The current database file's identity, or None when no database exists yet."""
    path = db_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return DbVersion(str(path), stat.st_ino, stat.st_mtime_ns)


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: DbVersion) -> duckdb.DuckDBPyConnection:
    # Within one process DuckDB hands every connect(path) the instance already open for that
    # (canonical) path, so after a rebuild swapped the file we would keep reading the old one.
    # Each version is opened through its own hard link beside the database (a different path
    # to that version's file); links of older versions are removed, their open instances keep
    # reading the file they have open until they are dropped.
    path = Path(version.path)
    link = path.with_name(f".{path.name}.view-{version.inode}-{version.mtime_ns}")
    try:
        if not link.exists():
            os.link(path, link)
        for old in path.parent.glob(f".{path.name}.view-*"):
            if old != link:
                old.unlink(missing_ok=True)
        target = link
    except OSError:  # read-only folder: fall back to the path (a rebuild then needs a restart)
        target = path
    return lock_down(duckdb.connect(str(target), read_only=True))  # no file access from SQL


def cursor(version: DbVersion) -> duckdb.DuckDBPyConnection:
    """A fresh cursor (one per request/thread) on the cached read-only connection."""
    return _connection(version).cursor()


@st.cache_data(max_entries=16, show_spinner=False)
def run_info(version: DbVersion) -> dict:
    cur = cursor(version)
    ctx = build_context(cur)
    tables = built_tables(cur)  # with a Spark results database: the marts built on the cluster
    precomputed = has_table(cur, "metric_results")  # a results-only database from a Spark build
    return {
        "precomputed": precomputed,
        "run_id": ctx["run_id"],
        "as_of": ctx["as_of"],
        "history_start": ctx["history_start"],
        "organisation": ctx["config"]["organisation"],
        "k": ctx["config"]["privacy"]["k"],
        "survey_k": ctx["config"]["privacy"]["survey_k"],
        "fiscal_year_start_month": ctx["config"]["fiscal_year_start_month"],
        "tables": tables,
        "reporting_currency": ctx["config"]["reporting_currency"],
    }


@st.cache_data(max_entries=256, show_spinner=False)
def unsupported(version: DbVersion, name: str) -> str | None:
    """Why metric `name` cannot be computed from this build (a snapshot source without person
    ids has no turnover: pipelines/metrics/_snapshots.py); None when it can."""
    return snapshot_refusal(cursor(version), registry()[name])


def computable(version: DbVersion, names: list[str]) -> list[str]:
    """The metrics of `names`, in their order, that this build can compute (see unsupported)."""
    return [name for name in names if unsupported(version, name) is None]


def family_loaded(version: DbVersion, family: str) -> bool:
    """Are all marts a family's metrics need present in this build?"""
    needs = {t for s in registry().values() if s.family == family for t in s.requires}
    return bool(needs) and needs <= run_info(version)["tables"]


@st.cache_data(max_entries=256, show_spinner=False)
def metric_table(
    version: DbVersion,
    name: str,
    by: tuple[str, ...] = (),
    period: str = "year",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    filters: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> pd.DataFrame:
    """The suppressed long table (exactly what compute() publishes)."""
    return compute(
        cursor(version),
        name,
        by=list(by),
        period=period,
        date_from=date_from,
        date_to=date_to,
        filters={d: list(v) for d, v in filters},
    )


@st.cache_data(max_entries=8, show_spinner=False)
def dimension_values(version: DbVersion, dim: str) -> list[str]:
    """Distinct values of an org dimension (for filter pickers)."""
    if dim not in all_dimensions() or dim == "age_band":  # allow-listed: never SQL from a URL
        return []
    cur = cursor(version)
    if not has_table(cur, "fct_employment_spells"):
        return []
    return [
        r[0]
        for r in cur.execute(f"SELECT DISTINCT {ident(dim)} FROM fct_employment_spells ORDER BY 1").fetchall()
        if r[0] is not None
    ]


@st.cache_data(max_entries=8, show_spinner=False)
def events(version: DbVersion, family: str | None = None) -> pd.DataFrame:
    """Policy events; with `family`, only those drawn on that family's charts (its own and
    those given no family)."""
    return events_of(cursor(version), family)


@st.cache_data(max_entries=8, show_spinner=False)
def quality(version: DbVersion) -> dict[str, pd.DataFrame]:
    return quality_summary(cursor(version))


__all__ = [
    "BUILD_HINT",
    "DbVersion",
    "NoDataError",
    "cursor",
    "db_path",
    "db_version",
    "events",
    "families",
    "family_loaded",
    "unsupported",
    "metric_table",
    "quality",
    "registry",
    "run_info",
]
