"""Small DuckDB helpers used everywhere (one place for connection rules).

They also accept the Spark adapter (pipelines.spark.adapter.SparkConnection), which has no
information_schema: where DuckDB answers from it, the adapter's own method of the same name
is used instead (looked up by name, so this module never imports PySpark).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import duckdb

if TYPE_CHECKING:  # a type only: this module must not import pandas (equity list stays fast)
    import pandas as pd


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None):
    """The first row of a query, or None. Fetches everything so the connection is free again
    (DuckDB 2 refuses new work while a result is only partly fetched)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None):
    """The single value a query returns (None when it returns no row)."""
    row = first_row(con, sql, params)
    return row[0] if row else None


def connect_readonly(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open a built database for reading; a clear error when it does not exist yet."""
    from .errors import UsageError

    path = Path(path)
    if not path.exists():
        raise UsageError(f"no database at {path}; build one with: equity build --data DIR --db {path}")
    return lock_down(duckdb.connect(str(path), read_only=True))


def lock_down(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No file, URL or extension access, and no way to turn it back on, for a connection that
    only reads the built database (metrics CLI, dashboard, PDF).

    Defence in depth: settings and data are quoted or validated before they reach SQL, but
    if an expression ever slipped through, `read_text('/etc/passwd')`, `read_csv`, `COPY TO`
    or `INSTALL httpfs` would now fail instead of reading or writing files. The setting is
    per database instance, i.e. for every connection to this file in the process; registered
    pandas frames still work (they are in memory, not files).
    """
    locked, external = con.execute(
        "SELECT current_setting('lock_configuration'), current_setting('enable_external_access')"
    ).fetchall()[0]
    if not locked:  # another connection to the same file in this process may have done it
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    elif external:
        raise RuntimeError("this database is open with file access locked on; cannot lock it down")
    return con


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Is `name` a table or view in this database (physically present, not only recorded)?"""
    if hasattr(con, "has_table"):
        return con.has_table(name)
    return bool(scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


def table_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Column names of a table, in order (empty when it does not exist)."""
    if hasattr(con, "table_columns"):
        return con.table_columns(name) if con.has_table(name) else []
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [name]
        ).fetchall()
    ]


def sql_errors(con) -> tuple[type[BaseException], ...]:
    """The exception types a connection raises for a failing statement."""
    return getattr(con, "sql_errors", (duckdb.Error,))


def built_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables the build produced, wherever they live.

    A DuckDB build holds them all. A results database from a Spark build (it has
    `metric_results`) holds only small tables; its marts stayed on the cluster and are
    listed in manifest_models with status 'built', so "is this family loaded?" is answered
    the same way for both.
    """
    if hasattr(con, "table_names"):  # the Spark adapter: its catalog holds everything built
        return set(con.table_names())
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "metric_results" in names and "manifest_models" in names:
        names |= {r[0] for r in con.execute("SELECT model FROM manifest_models WHERE status = 'built'").fetchall()}
    return names


def is_built(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Was table `name` built (here, or on the cluster for a Spark results database)?"""
    return name in built_tables(con)


def events_of(con: duckdb.DuckDBPyConnection, family: str | None = None) -> "pd.DataFrame":
    """Policy events (date, label, description, family), oldest first; with `family` only the
    events drawn on that family's charts: its own and those given no family."""
    import pandas as pd  # imported here: the CLI's quick commands never load pandas

    if not has_table(con, "fct_events"):
        return pd.DataFrame(columns=["event_date", "label", "description", "family"])
    cols = set(table_columns(con, "fct_events"))
    # a database built before events had a family: every event is drawn on every chart
    family_col = "family" if "family" in cols else "CAST(NULL AS VARCHAR) AS family"
    rows = con.execute(f"SELECT event_date, label, description, {family_col} FROM fct_events ORDER BY event_date").df()
    if family is None:
        return rows
    return rows[rows["family"].isna() | (rows["family"] == family)].reset_index(drop=True)


def any_repeat(con, relation: str, cols: str, where: str = "true") -> bool:
    """Whether two rows of `relation` (WHERE `where`) may be equal in `cols`: grouped by one
    hash of them, a fraction of the cost of grouping by the text itself (1M spend rows).
    Equal rows always hash alike, so False is certain; True (or a collision) is for the
    exact query that names the lines to confirm."""
    return bool(
        first_row(con, f"SELECT 1 FROM {relation} WHERE {where} GROUP BY hash({cols}) HAVING count(*) > 1 LIMIT 1")
    )
