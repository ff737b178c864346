"""The read step of a DuckDB build: each source file read, typed and quarantined in the
order its checks need, then the checks across files (orphans), and the manifest's per-file
counts."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .build_manifest import load_stats
from .contract import load_contract
from .errors import DataError
from .ingest import load_raw
from .mapping_names import group_suppliers_by_name, lines_loaded, match_certifications
from .mapping_rows import handle_duplicates
from .mapping_snapshot import collapse_snapshots, quarantine_bad_snapshot_dates
from .mapping_weight import expand_weighted, quarantine_bad_weights
from .source_file import SourceFile
from .sqlsafe import ident
from .validate import (
    cast_and_quarantine,
    check_duplicate_keys,
    check_order,
    load_checked,
    needs_text_copy,
    quarantine_checked,
    quarantine_orphans,
)


def read_sources(con, sources: dict[str, SourceFile], names: set[str], config: dict[str, Any], step) -> None:
    """Read, cast and quarantine the sources `names`, then their orphan checks."""
    for name, sf in sources.items():
        if name in names:
            step(f"reading {sf.display}")
            with _in_own_file(sf):
                if needs_text_copy(sf):
                    load_raw(con, sf)
                    match_certifications(con, sf, sources)
                    quarantine_bad_weights(con, sf)
                    quarantine_bad_snapshot_dates(con, sf)
                    handle_duplicates(con, sf)
                    check_duplicate_keys(con, sf)
                    cast_and_quarantine(con, sf, config)
                else:  # one typed read of each file, its text kept beside each value
                    load_checked(con, sf, config)
                    handle_duplicates(con, sf, relation=f"checked_{name}", prefix="_raw_")
                    check_duplicate_keys(con, sf, relation=f"checked_{name}", prefix="_raw_")
                    quarantine_checked(con, sf)
                group_suppliers_by_name(con, sf)
                expand_weighted(con, sf)
                collapse_snapshots(con, sf)
                check_order(con, sf)  # again: hire and exit dates were derived
    for name, sf in sources.items():
        if name in names:
            quarantine_orphans(con, sf, sources)
            lines_loaded(con, sf)
    for name, sf in sources.items():
        if name in names and len(sf.parts) > 1:
            stacked_quarantine_lines(con, sf)


@contextmanager
def _in_own_file(sf: SourceFile) -> Iterator[None]:
    """An error on a line of stacked files names the file and its own line."""
    try:
        yield
    except DataError as exc:
        if len(sf.parts) <= 1 or exc.file != sf.display or exc.line is None:
            raise
        file, line = sf.locate(exc.line)
        raise DataError(exc.reason, file=file, line=line, column=exc.column) from None


def stacked_quarantine_lines(con, sf: SourceFile) -> None:
    """Quarantine rows of stacked files: the file each row came from and its own line."""
    for part in sf.parts:
        con.execute(
            "UPDATE quarantine SET file = ?, line = line - ? "
            "WHERE table_name = ? AND file = ? AND line > ? AND line <= ?",
            [part.display, part.base, sf.table.name, sf.display, part.base, part.base + part.rows + 1],
        )


def file_stats(con, sources: dict[str, SourceFile], read: set[str], kept: dict[str, dict]) -> list[dict[str, Any]]:
    """Manifest rows in source order: counted for sources read, the last build's for the others."""
    counted = {r["table_name"]: r for r in load_stats(con, {n: sf for n, sf in sources.items() if n in read})}
    return [counted[n] if n in counted else kept[n] for n in sources]


# An optional file whose absence should not switch off the file that needs it: applications
# without a stage history are a one-stage funnel (applied -> status), not "no hiring data".
STAND_INS = {"recruiting__application_stages": "recruiting__applications"}
_SQL_TYPES = {
    "date": "DATE",
    "month": "DATE",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "money": "DECIMAL(18,2)",
    "boolean": "BOOLEAN",
}


def empty_stand_ins(con, sources: dict[str, SourceFile]) -> set[str]:
    """Empty, typed src_ tables for STAND_INS whose parent is supplied; their names."""
    made = set()
    for name, parent in STAND_INS.items():
        if name in sources or parent not in sources:
            continue
        cols = ", ".join(
            f"{ident(c.name)} {_SQL_TYPES.get(c.type, 'VARCHAR')}" for c in load_contract()[name].columns.values()
        )
        con.execute(f"CREATE OR REPLACE TABLE src_{name} (_line BIGINT, {cols})")
        made.add(f"src_{name}")
    return made
