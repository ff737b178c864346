"""Validation: cast each raw table to the contract's types, quarantine bad rows, stop on
structural problems.

Two kinds of problem, two outcomes:
- a bad *value* (not a date, not an allowed value, out of range, missing where required,
  pointing at an unknown employee) sends its row to `quarantine` with the file, line,
  column, raw value and reason; the rest of the file loads;
- a *structural* problem (duplicate key, an end before its start, a currency without an
  FX rate) makes the numbers untrustworthy, so the build stops with a DataError naming
  file, line and column.
Invariant, recorded per file in `load_stats`: rows_in = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .db import any_repeat, first_row
from .contract import Column
from .errors import DataError
from .ingest import load_parts, raw_select
from .source_file import SourceFile
from .sqlsafe import ident, literal

_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$"


def _in_list(values) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")"


def column_rule(col: Column, src_date_format: str | None, config: dict[str, Any]) -> tuple[str, str]:
    """(cast expression, reason expression) for one column of `raw`; reason is NULL when valid."""
    x = f"raw.{ident(col.name)}"
    checks: list[tuple[str, str]] = []  # (condition meaning "invalid", reason)
    if col.required:
        checks.append((f"{x} IS NULL", "required value is missing"))
    t = col.type
    if t == "category":
        cast = f"coalesce({x}, {literal(config['demographics']['not_disclosed'])})"
    elif t == "label":
        cast = f"coalesce({x}, {literal(config['demographics']['unknown_label'])})"
    elif t == "string":
        cast = x
    elif t == "enum":
        cast = f"lower(coalesce({x}, {literal(col.default)}))"
        checks.append(
            (f"{x} IS NOT NULL AND lower({x}) NOT IN {_in_list(col.values)}", f"not one of: {', '.join(col.values)}")
        )
    elif t == "date":
        if src_date_format:
            cast = f"CAST(try_strptime({x}, {literal(src_date_format)}) AS DATE)"
            expected = src_date_format
        else:
            cast = (
                f"CASE WHEN regexp_matches({x}, '^[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}$') "
                f"THEN TRY_CAST({x} AS DATE) END"
            )
            expected = "YYYY-MM-DD"
        checks.append((f"{x} IS NOT NULL AND {cast} IS NULL", f"not a valid date (expected {expected})"))
        checks.append((f"year({cast}) NOT BETWEEN 1900 AND 2100", "date outside 1900-2100"))
    elif t == "month":
        cast = f"CASE WHEN regexp_matches({x}, '^[0-9]{{4}}-[0-9]{{2}}$') THEN TRY_CAST({x} || '-01' AS DATE) END"
        checks.append((f"{x} IS NOT NULL AND {cast} IS NULL", "not a valid month (expected YYYY-MM)"))
    elif t == "integer":
        cast = f"CASE WHEN regexp_matches({x}, '^[+-]?[0-9]+$') THEN TRY_CAST({x} AS BIGINT) END"
        checks.append((f"{x} IS NOT NULL AND {cast} IS NULL", "not a whole number"))
    elif t in ("decimal", "money"):
        target = "DECIMAL(18,2)" if t == "money" else "DOUBLE"
        cast = f"CASE WHEN regexp_matches({x}, {literal(_NUMBER)}) THEN TRY_CAST({x} AS {target}) END"
        checks.append(
            (
                f"{x} IS NOT NULL AND {cast} IS NULL",
                "not a number (use . for decimals, no thousands separators or currency symbols)",
            )
        )
    elif t == "boolean":
        default = "NULL" if col.default is None else col.default.lower()
        cast = (
            f"CASE WHEN lower({x}) IN {_in_list(_TRUE)} THEN true "
            f"WHEN lower({x}) IN {_in_list(_FALSE)} THEN false "
            f"WHEN {x} IS NULL THEN {default} END"
        )
        checks.append((f"{x} IS NOT NULL AND {cast} IS NULL", "not true/false"))
    elif t == "currency":
        cast = f"upper(coalesce({x}, {literal(config['reporting_currency'])}))"
        checks.append((f"NOT regexp_matches({cast}, '^[A-Z]{{3}}$')", "not a 3-letter currency code"))
    else:  # pragma: no cover - contract.py rejects unknown types
        raise ValueError(t)
    if col.min is not None:
        checks.append((f"{cast} < {col.min}", f"below the minimum {col.min}"))
    if col.min_exclusive is not None:
        checks.append((f"{cast} <= {col.min_exclusive}", f"must be greater than {col.min_exclusive}"))
    if col.max is not None:
        checks.append((f"{cast} > {col.max}", f"above the maximum {col.max}"))
    if not checks:
        return cast, "NULL"
    # the first failing check gives the reason (missing before malformed before out of range)
    reason = "CASE " + " ".join(f"WHEN {cond} THEN {literal(why)}" for cond, why in checks) + " END"
    return cast, reason


def check_duplicate_keys(con: duckdb.DuckDBPyConnection, sf: SourceFile, relation: str = "", prefix: str = "") -> None:
    """Stop on a repeated primary key, naming both lines. The key's text is read from
    `relation` (default raw_<table>) as columns `<prefix><column>` (checked_<table>: `_raw_`)."""
    pk = [c for c in sf.table.primary_key if c in sf.columns]
    if pk and getattr(sf, "snapshot", None) is not None:  # one row per person per snapshot
        pk.append("_snapshot_date")
    if not pk:
        return
    relation = relation or f"raw_{sf.table.name}"
    cols = ", ".join(ident(prefix + c) for c in pk)
    not_null = " AND ".join(f"{ident(prefix + c)} IS NOT NULL" for c in pk)
    if not any_repeat(con, relation, cols, not_null):
        return
    row = first_row(
        con,
        f"SELECT {cols}, min(_line) FILTER (WHERE rn = 1), min(_line) FILTER (WHERE rn = 2) "
        f"FROM (SELECT *, row_number() OVER (PARTITION BY {cols} ORDER BY _line) AS rn "
        f"      FROM {relation} WHERE {not_null}) "
        f"GROUP BY {cols} HAVING count(*) > 1 ORDER BY {len(pk) + 2} LIMIT 1",
    )
    if row:
        key = ", ".join(f"{c}={v!r}" for c, v in zip(pk, row[: len(pk)]))
        raise DataError(
            f"duplicate key {key} (first on line {row[len(pk)]})", file=sf.display, line=row[len(pk) + 1], column=pk[-1]
        )


def checked_sql(sf: SourceFile, config: dict[str, Any], raw: str, keep_raw: bool = False) -> str:
    """SELECT of the raw rows (relation `raw`) cast to the contract's types, with a reason
    column `_why_<column>` per column (NULL when the value is valid), and with `keep_raw`
    the raw text as `_raw_<column>` (so quarantine rows need no join back to `raw`)."""
    casts, reasons, kept = [], [], []
    for name, col in sf.table.columns.items():
        src = sf.columns.get(name)
        cast, reason = column_rule(col, src.date_format if src else None, config)
        casts.append(f"{cast} AS {ident(name)}")
        reasons.append(f"{reason} AS {ident('_why_' + name)}")
        kept.append(f", raw.{ident(name)} AS {ident('_raw_' + name)}")
    return (
        f"SELECT raw._line, {', '.join(casts)}, {', '.join(reasons)}"
        f"{''.join(kept) if keep_raw else ''} FROM {raw} AS raw"
    )


def quarantine_column_sql(sf: SourceFile, name: str, checked: str, raw: str | None) -> str:
    """Quarantine rows (file, table, line, column, raw value, reason) for one column; the
    raw value from relation `raw`, or from `checked` itself when `raw` is None."""
    value = f"c.{ident('_raw_' + name)}" if raw is None else f"r.{ident(name)}"
    join = "" if raw is None else f" JOIN {raw} r USING (_line)"
    return (
        f"SELECT {literal(sf.display)}, {literal(sf.table.name)}, c._line, "
        f"{literal(name)}, {value}, c.{ident('_why_' + name)} "
        f"FROM {checked} c{join} "
        f"WHERE c.{ident('_why_' + name)} IS NOT NULL"
    )


def valid_sql(sf: SourceFile, checked: str) -> str:
    """The rows of `checked` with no reason, in the contract's columns."""
    cols = sf.table.columns
    valid = " AND ".join(f"{ident('_why_' + n)} IS NULL" for n in cols)
    return f"SELECT _line, {', '.join(ident(n) for n in cols)} FROM {checked} WHERE {valid}"


def cast_and_quarantine(con: duckdb.DuckDBPyConnection, sf: SourceFile, config: dict[str, Any]) -> None:
    """Create `src_<table>` (typed, valid rows) from `raw_<table>` and add the rest to `quarantine`."""
    t = sf.table
    for name in t.columns:
        if name not in sf.columns:  # optional column absent from the file: default or NULL for every row
            con.execute(f"ALTER TABLE raw_{t.name} ADD COLUMN {ident(name)} VARCHAR")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked_{t.name} AS {checked_sql(sf, config, f'raw_{t.name}')}")
    quarantine_checked(con, sf, raw=f"raw_{t.name}")


def needs_text_copy(sf: SourceFile) -> bool:
    """Whether the source's rows are reshaped as text before they are typed (aggregated
    counts, snapshots, names matched to suppliers): then raw_<table> is read first."""
    return sf.weight is not None or sf.snapshot is not None or bool(sf.name_columns)


def load_checked(con: duckdb.DuckDBPyConnection, sf: SourceFile, config: dict[str, Any]) -> int:
    """Create `checked_<table>` in one read of each file: every value typed, its reason
    (`_why_<column>`, NULL when valid) and its text (`_raw_<column>`, for the quarantine and
    the repeat checks) side by side; returns the rows read. Replaces load_raw followed by
    cast_and_quarantine's typed copy, which read and converted every value twice."""
    return load_parts(
        con,
        sf,
        f"checked_{sf.table.name}",
        lambda part: checked_sql(sf, config, f"({raw_select(sf, part, every_column=True)})", keep_raw=True),
    )


def quarantine_checked(con: duckdb.DuckDBPyConnection, sf: SourceFile, raw: str | None = None) -> None:
    """Quarantine each bad value of `checked_<table>` (its text from `raw`, or kept beside it
    when None) and create `src_<table>` from the valid rows."""
    t = sf.table
    for name in t.columns:
        con.execute(f"INSERT INTO quarantine {quarantine_column_sql(sf, name, f'checked_{t.name}', raw)}")
    # TEMP and unsorted: src_ is dropped once the models ran (writing it to the file was ~1 s of
    # CPU per 1M rows), and the rows are already in line order (preserve_insertion_order)
    con.execute(f"CREATE OR REPLACE TEMP TABLE src_{t.name} AS {valid_sql(sf, f'checked_{t.name}')}")
    check_order(con, sf)


def check_order(con: duckdb.DuckDBPyConnection, sf: SourceFile) -> None:
    for check in sf.table.checks:
        if check["type"] != "order":
            continue
        start, end = check["start"], check["end"]
        row = first_row(
            con,
            f"SELECT _line, {ident(start)}, {ident(end)} FROM src_{sf.table.name} "
            f"WHERE {ident(end)} < {ident(start)} ORDER BY _line LIMIT 1",
        )
        if row:
            raise DataError(f"{end} {row[2]} is before {start} {row[1]}", file=sf.display, line=row[0], column=end)


def quarantine_orphans(con: duckdb.DuckDBPyConnection, sf: SourceFile, sources: dict[str, SourceFile]) -> None:
    """Rows pointing at a key that did not load (absent or quarantined) go to quarantine."""
    for col, parent_sf in orphan_checks(sf, sources):
        orphan = f"FROM src_{sf.table.name} s WHERE {orphan_condition(col, parent_sf)}"
        con.execute(f"INSERT INTO quarantine {orphan_quarantine_sql(sf, col, parent_sf)}")
        con.execute(f"DELETE FROM src_{sf.table.name} WHERE _line IN (SELECT s._line {orphan})")


def orphan_checks(sf: SourceFile, sources: dict[str, SourceFile]) -> list[tuple[str, SourceFile]]:
    """(column, parent source) for each reference whose parent file was supplied."""
    # a parent family that is absent leaves nothing to check against
    return [(col, sources[parent]) for col, parent in sf.table.references.items() if parent in sources]


def orphan_condition(col: str, parent_sf: SourceFile) -> str:
    """True for a row `s` whose `col` points at no loaded row of the parent."""
    pk = parent_sf.table.primary_key[0]
    return (
        f"s.{ident(col)} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM src_{parent_sf.table.name} p WHERE p.{ident(pk)} = s.{ident(col)})"
    )


def orphan_quarantine_sql(sf: SourceFile, col: str, parent_sf: SourceFile) -> str:
    """Quarantine rows for the orphans of one reference column of src_<table>."""
    reason = f"{col} not found among the loaded rows of {parent_sf.display}"
    return (
        f"SELECT {literal(sf.display)}, {literal(sf.table.name)}, s._line, {literal(col)}, "
        f"s.{ident(col)}, {literal(reason)} FROM src_{sf.table.name} s "
        f"WHERE {orphan_condition(col, parent_sf)}"
    )


# (table, date column) pairs whose amounts are converted at the rate of that month
FX_DATED = {
    "hr__bonuses": "paid_date",
    "procurement__spend": "transaction_date",
    "procurement__tier2_spend": "period_end",
    "hr__pay_periods": "period_end",
}


def check_fx(con: duckdb.DuckDBPyConnection, sources: dict[str, SourceFile], config: dict[str, Any]) -> None:
    """Stop when an amount's currency has no FX rate (for its month, for dated amounts)."""
    reporting = literal(config["reporting_currency"])
    has_fx = "reference__fx_rates" in sources
    rates = (
        "src_reference__fx_rates" if has_fx else "(SELECT NULL::VARCHAR AS currency, NULL::DATE AS month WHERE false)"
    )
    for name, sf in sources.items():
        if "currency" not in sf.table.columns:
            continue
        date_col = FX_DATED.get(name)
        if date_col:
            cond = (
                f"NOT EXISTS (SELECT 1 FROM {rates} r WHERE r.currency = s.currency "
                f"AND r.month = date_trunc('month', s.{ident(date_col)}))"
            )
            what = f"strftime(s.{ident(date_col)}, '%Y-%m')"
        else:
            cond = f"s.currency NOT IN (SELECT currency FROM {rates})"
            what = "'any month'"
        row = first_row(
            con,
            f"SELECT s._line, s.currency, {what} FROM src_{name} s "
            f"WHERE s.currency <> {reporting} AND {cond} ORDER BY s._line LIMIT 1",
        )
        if row:
            raise DataError(
                f"no FX rate for {row[1]} in {row[2]} in reference/fx_rates.csv "
                f"(reporting currency {config['reporting_currency']})",
                file=sf.display,
                line=row[0],
                column="currency",
            )
