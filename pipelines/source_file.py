"""A contract file as the build reads it: where each contract column comes from
(ColumnSource) and the files, counts and mapping options of one source (SourceFile)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .contract import Table
from .csv_files import file_digest
from .mapping_expr import Derived
from .mapping_files import SourcePart, part_for_line
from .mapping_snapshot import Snapshot
from .mapping_weight import Weight


@dataclass
class ColumnSource:
    """Where one contract column comes from: a source column, or a constant."""

    source: str | None = None  # header name in the file
    constant: str | None = None  # fixed value for every row
    values: dict[str, str] = field(default_factory=dict)  # lower-cased source value -> value
    date_format: str | None = None
    part: str | None = None  # "year": take the year of a date
    two_digit_year: str | None = None  # "past": 2-digit years never land in the future
    generated: bool = False  # an id made from file and line (mapping_rows)
    expr: Derived | None = None  # a derived column (mapping_expr)


@dataclass
class SourceFile:
    table: Table
    path: Path | None  # None when the rows come from an existing table
    display: str  # path as users know it (relative to the data folder)
    header: list[str]
    columns: dict[str, ColumnSource]  # contract column -> source (absent optional columns missing)
    sha256: str = ""
    size: int = 0
    rows_in: int = 0
    relation: str | None = None  # an existing Spark table read instead of a file
    parts: list[SourcePart] = field(default_factory=list)  # the files stacked (one, usually)
    duplicates: str = "quarantine"  # exact repeats: quarantine | keep | error (mapping_rows)
    weight: Weight | None = None  # aggregated rows: the count column (mapping_weight)
    snapshot: Snapshot | None = None  # one row per person per snapshot date (mapping_snapshot)
    rows_loaded: int | None = None  # weighted: rows loaded before expansion into records
    records: int | None = None  # weighted: records after expansion
    name_columns: list[str] = field(default_factory=list)  # supplier_by_name (mapping_names)
    parent_by_name: bool = False  # vendor ids of one name are one company (mapping_names)

    @property
    def plain(self) -> bool:
        """One file read as it is: no stacking, renames or columns from the file name."""
        return (
            len(self.parts) <= 1
            and all(not p.from_name and all(k == v for k, v in p.names.items()) for p in self.parts)
            and not any(c.generated or c.expr for c in self.columns.values())
            and self.snapshot is None
        )

    def locate(self, line: int | None) -> tuple[str, int | None]:
        """(file, that file's own line) for a line number of this source."""
        if line is None or len(self.parts) <= 1:
            return self.display, line
        part = part_for_line(self.parts, line)
        return part.display, part.locate(line)


def source_digest(sf: "SourceFile") -> tuple[str, int]:
    """SHA-256 and total size of a source's files (one file: that file's own digest)."""
    if len(sf.parts) <= 1:
        return file_digest(sf.path)
    digest, size = hashlib.sha256(), 0
    for part in sf.parts:
        one, n = file_digest(part.path)
        digest.update(f"{part.display}\0{one}\0".encode())
        size += n
    return digest.hexdigest(), size
