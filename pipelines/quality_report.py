"""What went wrong in a build, summarised for `equity quality` and the Data quality page."""

from __future__ import annotations

import duckdb
import pandas as pd

from .db import has_table


def files_loaded(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT file, table_name, family, rows_in, rows_loaded, rows_quarantined, size_bytes, "
        "sha256 FROM manifest_files ORDER BY file, table_name"
    ).df()


EXAMPLES = 3  # example lines shown per file x column x reason


def quarantine_summary_sql(with_values: bool = True) -> str:
    """One row per file x column x reason: how many rows, and the first few lines (with the
    raw value unless `with_values` is false). One `?` parameter: the number of examples."""
    example = (
        "format('line {}: {}', line, coalesce(raw_value, '(blank)'))" if with_values else "format('line {}', line)"
    )
    return (
        'SELECT file, column_name AS "column", reason, count(*) AS "rows", '
        f"string_agg({example}, '; ' ORDER BY line) FILTER (WHERE rn <= ?) AS examples "
        "FROM (SELECT *, row_number() OVER (PARTITION BY file, column_name, reason ORDER BY line) AS rn "
        "      FROM quarantine) GROUP BY ALL"
    )


def quarantine_by_reason(con: duckdb.DuckDBPyConnection, examples: int = EXAMPLES) -> pd.DataFrame:
    """One row per file x column x reason: how many rows, and a few example lines/values.

    A results database from a Spark build holds this summary (`quarantine_summary`) instead
    of the quarantined rows, which stayed on the cluster."""
    if not has_table(con, "quarantine") and has_table(con, "quarantine_summary"):
        return con.execute('SELECT * FROM quarantine_summary ORDER BY "rows" DESC, file, 2, reason').df()
    return con.execute(
        f'SELECT * FROM ({quarantine_summary_sql()}) ORDER BY "rows" DESC, file, 2, reason', [examples]
    ).df()


def expectation_results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        'SELECT suite, expectation, column_name AS "column", severity, success, '
        "unexpected_count, element_count, examples, description FROM dq_expectations "
        "ORDER BY success, severity, suite, expectation"
    ).df()


def run_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT run_id, tool_version, started_at, finished_at, data_dir, config_hash, "
        "history_start, as_of, families FROM run_manifest"
    ).df()


def name_matches(con: duckdb.DuckDBPyConnection, examples: int = EXAMPLES) -> pd.DataFrame:
    """Supplier name matching (mapping_names.py): rows per file x outcome, with a few names."""
    return con.execute(
        "SELECT file, outcome, count(*) AS \"rows\", string_agg(coalesce(name, '(blank)'), '; ' "
        "ORDER BY line) FILTER (WHERE rn <= ?) AS examples FROM (SELECT *, row_number() OVER "
        "(PARTITION BY file, outcome ORDER BY line, name) AS rn FROM supplier_name_matches) "
        "GROUP BY ALL ORDER BY file, outcome",
        [examples],
    ).df()


def quality_summary(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Titled tables: run, files, quarantine by reason, expectation results."""
    out = {"Run": run_summary(con), "Files": files_loaded(con), "Quarantined rows by reason": quarantine_by_reason(con)}
    if has_table(con, "supplier_name_matches"):
        out["Supplier name matching"] = name_matches(con)
    if has_table(con, "dq_expectations"):
        out["Data-quality expectations"] = expectation_results(con)
    return out
