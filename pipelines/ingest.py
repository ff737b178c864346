"""Ingest: read each contract file as text and map it onto the contract's columns.

Every value is read as VARCHAR so that none is lost before validation decides what to do
with it (DuckDB's `ignore_errors` would drop bad rows silently): trimmed text, blanks as
NULL, value maps applied, plus `_line`, the line of the record in the source file (header =
line 1). `raw_select` is that SELECT for one file; `load_raw` stores it as `raw_<table>`
for the mappings that reshape rows as text, and validate.load_checked types it in the same
read. Which files there are and how they map is pipelines.sources.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor

import duckdb

from .db import scalar
from .errors import DataError
from .mapping_files import SourcePart
from .mapping_expr import render_expr
from .mapping_rows import generated_id_sql
from .mapping_snapshot import DATE_COLUMN
from .mapping_names import NAME_COLUMN
from .record_count import check_all_records_loaded, count_records
from .source_file import ColumnSource, SourceFile, source_digest
from .sqlsafe import ident, literal

log = logging.getLogger(__name__)

_LINE_RE = re.compile(r"Line:\s*(\d+)")


def raw_expr(src: ColumnSource, part: SourcePart | None = None, line_sql: str = "") -> str:
    """SQL for one contract column as trimmed text (NULL when blank), value maps applied.
    With `part`, a mapping name is that file's header column (or its file-name value);
    `line_sql` is the row's own line in its file (for generated ids)."""
    if src.generated:
        return generated_id_sql(part.display, line_sql)
    if src.expr is not None:
        return render_expr(src.expr, lambda name: _source_sql(name, part))
    if src.constant is not None:
        return literal(src.constant) if src.constant != "" else "NULL"
    col = f"nullif(trim({_source_sql(src.source, part)}), '')"
    if src.values:
        cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in src.values.items())
        col = f"nullif(CASE lower({col}) {cases} ELSE {col} END, '')"
    if src.part == "year":
        parsed = f"try_strptime({col}, {literal(src.date_format or '%Y-%m-%d')})"
        if src.two_digit_year == "past":
            parsed = f"CASE WHEN {parsed} > current_date THEN {parsed} - INTERVAL 100 YEAR ELSE {parsed} END"
        col = f"coalesce(CAST(year({parsed}) AS VARCHAR), {col})"
    return col


def _source_sql(name: str, part: SourcePart | None) -> str:
    if part is None:
        return ident(name)
    if name in part.from_name:
        return literal(part.from_name[name])
    return ident(part.names[name])


def load_raw(con: duckdb.DuckDBPyConnection, sf: SourceFile) -> int:
    """Create `raw_<table>` (trimmed text) from the file(s); returns the number of data rows read."""
    return load_parts(con, sf, f"raw_{sf.table.name}", lambda part: raw_select(sf, part))


def load_parts(con: duckdb.DuckDBPyConnection, sf: SourceFile, table: str, select_for) -> int:
    """Create TEMP `table` from `select_for(part)` over each file of the source; returns the
    number of data rows read, each file's rows counted again by a second parser.

    Stacked files are appended in order; each file's lines are shifted by the rows before it
    (SourcePart.base), so `_line` stays unique and SourceFile.locate gives file and line back.
    TEMP: the copy is dropped at the end of the build, so writing it to the file is waste."""
    parts = sf.parts or [
        SourcePart(path=sf.path, display=sf.display, header=sf.header, names={h: h for h in sf.header})
    ]
    base = 0
    for number, part in enumerate(parts):
        part.base = base
        select = select_for(part)
        sql = f"CREATE OR REPLACE TEMP TABLE {table} AS {select}" if number == 0 else f"INSERT INTO {table} {select}"
        # a second parser's count, since DuckDB drops very long records without an error; it
        # runs in a thread while DuckDB reads (which releases the GIL), so it costs no extra time
        with ThreadPoolExecutor(1) as pool:
            counted = pool.submit(count_records, part.path, len(part.header))
            _execute_read(con, sql, part)
            part.rows = scalar(con, f"SELECT count(*) FROM {table}") - sum(p.rows for p in parts[:number])
            expected = counted.result()
        check_all_records_loaded(con, part.path, part.display, part.header, _reader(part), part.rows, expected)
        base += part.rows + 1
    sf.rows_in = sum(p.rows for p in parts)
    if not sf.sha256:  # an incremental build has hashed it already
        sf.sha256, sf.size = source_digest(sf)
    log.info("read %s: %d rows", sf.display, sf.rows_in)
    return sf.rows_in


def _reader(part: SourcePart) -> str:
    """DuckDB's read_csv of one file: every column as text, strict CSV."""
    cols = "{" + ", ".join(f"{literal(h)}: 'VARCHAR'" for h in part.header) + "}"
    return (
        f"read_csv({literal(str(part.path))}, header=true, auto_detect=false, columns={cols}, "
        "delim=',', quote='\"', escape='\"', strict_mode=true, encoding='utf-8')"
    )


def raw_select(sf: SourceFile, part: SourcePart, every_column: bool = False) -> str:
    """SELECT of one file's rows as the contract's columns in trimmed text, with `_line`;
    with `every_column`, the contract columns the file lacks as NULL text too."""
    # _line: the record's line in the file, counting the header as line 1. DuckDB keeps the
    # file's row order (preserve_insertion_order), so row_number() over the scan is that order.
    line = "(row_number() OVER () + 1)"
    selects = [f"{raw_expr(src, part, line)} AS {ident(col)}" for col, src in sf.columns.items()]
    if every_column:
        selects += [f"NULL::VARCHAR AS {ident(col)}" for col in sf.table.columns if col not in sf.columns]
    if sf.weight is not None:  # the count stays text here; mapping_weight checks and applies it
        selects.append(f"{raw_expr(ColumnSource(source=sf.weight.column), part)} AS _weight")
    if sf.snapshot is not None:  # parsed and checked by mapping_snapshot
        selects.append(f"{raw_expr(sf.snapshot.date, part, line)} AS {DATE_COLUMN}")
    selects += [
        f"{raw_expr(ColumnSource(source=name), part)} AS {NAME_COLUMN.format(i)}"
        for i, name in enumerate(sf.name_columns)
    ]
    return f"SELECT CAST({line} + {int(part.base)} AS BIGINT) AS _line, {', '.join(selects)} FROM {_reader(part)}"


def _execute_read(con: duckdb.DuckDBPyConnection, sql: str, part: SourcePart) -> None:
    """Run a statement that reads `part`; a CSV error becomes a DataError naming file and line."""
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        text = str(exc)
        match = _LINE_RE.search(text)
        first = text.split("\n")[0].replace("Invalid Input Error: ", "")
        reason = next(
            (
                ln.strip()
                for ln in text.split("\n")[1:]
                if ln.strip() and not ln.startswith(("Original Line", "Possible", "*", "  file"))
            ),
            "",
        )
        raise DataError(
            f"cannot be read as CSV: {reason or first}".rstrip(),
            file=part.display,
            line=int(match.group(1)) if match else None,
        ) from None
