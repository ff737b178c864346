"""Rows as exports come: repeated lines, and no id column at all.

An export often repeats a line exactly (a payment listed twice, a join that fanned out). Such a
row adds nothing but a second count, so by default it goes to quarantine with the line it
repeats; `duplicates: keep` keeps every row (a payroll without ids, where two people can share
department, grade and salary), `duplicates: error` stops the build. "Exactly" means equal in
every column the mapping reads; generated ids are left out of the comparison, since they
differ on every line by construction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .db import any_repeat, first_row
from .errors import DataError
from .sqlsafe import ident, literal

if TYPE_CHECKING:
    from .source_file import SourceFile

DUPLICATE_POLICIES = ("quarantine", "keep", "error")
GENERATED = ("line",)


def duplicate_policy(spec: dict, what: str) -> str:
    policy = spec.get("duplicates", "quarantine")
    if policy not in DUPLICATE_POLICIES:
        raise DataError(
            f"{what}: duplicates must be one of {', '.join(DUPLICATE_POLICIES)} (got {policy!r})", file="equity.yml"
        )
    return policy


def generated_id_sql(display: str, line_sql: str) -> str:
    """`<file>:<line>`: the same id for the same line of the same file on every rebuild, and
    the same id in every contract file fed from that export, so they link up."""
    return f"({literal(display + ':')} || CAST({line_sql} AS VARCHAR))"


def _compared(sf: "SourceFile") -> list[str]:
    # a weighted row's count is part of it: two cells with the same labels and different
    # counts are two rows, not a repeat (mapping_weight)
    return [c for c, src in sf.columns.items() if not src.generated] + (["_weight"] if sf.weight is not None else [])


def _repeats_sql(sf: "SourceFile", relation: str, prefix: str) -> str:
    """(_line, first_line) for each row of `relation` that repeats an earlier row exactly."""
    cols = ", ".join(ident(prefix + c) for c in _compared(sf))
    return (
        f"SELECT _line, first_line FROM (SELECT _line, min(_line) OVER (PARTITION BY {cols}) AS first_line "
        f"FROM {relation}) WHERE _line > first_line"
    )


def _where(sf: "SourceFile", line_sql: str) -> str:
    """SQL text 'line N' (one file) or 'FILE line N' (stacked files) for a source-wide line."""
    if len(sf.parts) <= 1:
        return f"'line ' || CAST({line_sql} AS VARCHAR)"
    cases = " ".join(
        f"WHEN {line_sql} <= {int(p.base + p.rows + 1)} THEN "
        f"{literal(p.display + ' line ')} || CAST({line_sql} - {int(p.base)} AS VARCHAR)"
        for p in sf.parts
    )
    return f"CASE {cases} END"


def handle_duplicates(con, sf: "SourceFile", can_quarantine: bool = True, relation: str = "", prefix: str = "") -> int:
    """Apply the source's duplicate policy to `relation` (default raw_<table>, whose columns
    are the text of each value; checked_<table> keeps it as `_raw_<column>`: `prefix`);
    returns the rows quarantined.

    `can_quarantine` False (the Spark engine, whose quarantine is assembled differently)
    turns the default into a clear refusal rather than a different answer."""
    if sf.duplicates == "keep" or not _compared(sf):
        return 0
    relation = relation or f"raw_{sf.table.name}"
    # the window below partitions every row by every column; most files repeat nothing
    if not any_repeat(con, relation, ", ".join(ident(prefix + c) for c in _compared(sf))):
        return 0
    repeats = _repeats_sql(sf, relation, prefix)
    row = first_row(con, f"SELECT _line, first_line FROM ({repeats}) ORDER BY _line LIMIT 1")
    if row is None:
        return 0
    if sf.duplicates == "error" or not can_quarantine:
        file, line = sf.locate(row[0])
        hint = "" if can_quarantine else " (quarantining repeats is done by the duckdb engine)"
        raise DataError(
            f"repeats line {sf.locate(row[1])[1]} exactly; set duplicates: keep or quarantine for this mapping{hint}",
            file=file,
            line=line,
        )
    reason = f"'exact duplicate of ' || {_where(sf, 'first_line')}"
    con.execute(
        f"INSERT INTO quarantine SELECT {literal(sf.display)}, {literal(sf.table.name)}, _line, "
        f"'(row)', NULL, {reason} FROM ({repeats})"
    )
    count = con.execute(f"SELECT count(*) FROM ({repeats})").fetchone()[0]
    con.execute(f"DELETE FROM {relation} WHERE _line IN (SELECT _line FROM ({repeats}))")
    return count
