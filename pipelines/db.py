"""Small DuckDB helpers used everywhere (one place for connection rules)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import duckdb


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
    return duckdb.connect(str(path), read_only=True)


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))
