"""What `equity map` learns from the CSV files of a folder: encoding, delimiter, header, and
the shape of each column's values (blank, numbers, dates and their format, small value sets).

Every file is hostile: only files inside the folder are opened (pipelines/paths.py, after
symlinks), and only a bounded sample of each (SAMPLE_ROWS rows within SAMPLE_BYTES bytes), so a
huge or malformed export costs a bounded time. Cells are cut to MAX_CELL characters and at
most MAX_DISTINCT distinct values are counted per column: the inspection is a guess for a
person to review, never a load.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .csv_files import unnamed_placeholders
from .errors import DataError
from .paths import resolve_source_path

SAMPLE_ROWS = 5000
SAMPLE_BYTES = 8 << 20
MAX_CELL = 200
MAX_DISTINCT = SAMPLE_ROWS  # so that a sampled id column can be seen to be unique
MAX_FILES = 200
DELIMITERS = (",", ";", "\t", "|")
# strptime codes DuckDB and Python read alike (checked against both); the first that reads
# every sampled value is proposed, so the more usual of two readings comes first
DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M",
)
_DATE_CHECKED = 200  # distinct values tried against each format
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
BOOLEAN_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f", "1", "0"}


@dataclass
class ColumnProfile:
    """The sampled values of one column."""

    name: str
    filled: int = 0
    blank: int = 0
    values: Counter = field(default_factory=Counter)  # value -> count (up to MAX_DISTINCT values)
    overflow: bool = False  # more distinct values than were counted
    numbers: int = 0
    integers: int = 0
    low: float | None = None
    high: float | None = None

    def add(self, cell: str) -> None:
        cell = cell.strip()[:MAX_CELL]
        if not cell:
            self.blank += 1
            return
        self.filled += 1
        if cell in self.values or len(self.values) < MAX_DISTINCT:
            self.values[cell] += 1
        else:
            self.overflow = True
        if _NUMBER.match(cell):
            self.numbers += 1
            self.integers += bool(_INTEGER.match(cell))
            number = float(cell)
            self.low = number if self.low is None else min(self.low, number)
            self.high = number if self.high is None else max(self.high, number)

    def merge(self, other: "ColumnProfile") -> None:
        """Add another file's profile of the same column (stacked files)."""
        self.filled += other.filled
        self.blank += other.blank
        for value, count in other.values.items():
            if value in self.values or len(self.values) < MAX_DISTINCT:
                self.values[value] += count
            else:
                self.overflow = True
        self.overflow |= other.overflow
        self.numbers += other.numbers
        self.integers += other.integers
        for bound, pick in (("low", min), ("high", max)):
            mine, theirs = getattr(self, bound), getattr(other, bound)
            setattr(self, bound, theirs if mine is None else mine if theirs is None else pick(mine, theirs))

    @property
    def distinct(self) -> int:
        return len(self.values)

    @property
    def numeric(self) -> bool:
        return self.filled > 0 and self.numbers == self.filled

    @property
    def integer(self) -> bool:
        return self.filled > 0 and self.integers == self.filled

    @property
    def unique(self) -> bool:
        """Every sampled value differs (an id, a name or a row number)."""
        return self.filled > 1 and not self.overflow and self.distinct == self.filled and self.blank == 0

    @property
    def boolean(self) -> bool:
        return self.filled > 0 and not self.overflow and {v.lower() for v in self.values} <= BOOLEAN_WORDS

    def date_formats(self) -> list[str]:
        """The formats that read every sampled value (none for numbers or free text)."""
        if self.filled == 0 or self.numeric:
            return []
        sample = list(self.values)[:_DATE_CHECKED]
        out = []
        for fmt in DATE_FORMATS:
            try:
                for value in sample:
                    dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            out.append(fmt)
        return out

    def same_dates(self, a: str, b: str) -> bool:
        """Whether two formats read every sampled value as the same date (7/7/2020 under
        %m/%d and %d/%m): then the choice does not matter."""
        return all(
            dt.datetime.strptime(v, a).date() == dt.datetime.strptime(v, b).date()
            for v in list(self.values)[:_DATE_CHECKED]
        )


@dataclass
class FileProfile:
    """One CSV file as sampled."""

    rel: str  # relative to the data folder, with / separators
    encoding: str  # utf-8, utf-8 with BOM, utf-16 ..., or a guess when not UTF-8
    delimiter: str
    header: list[str]
    columns: dict[str, ColumnProfile]
    rows: int  # data rows read
    complete: bool  # the sample reached the end of the file
    problems: list[str] = field(default_factory=list)

    @property
    def readable_by_build(self) -> bool:
        """The build reads UTF-8 (BOM or not) comma-separated files only."""
        return self.encoding in ("utf-8", "utf-8 with BOM") and self.delimiter == ","


def csv_files_in(folder: Path) -> tuple[list[str], list[str]]:
    """(CSV files inside `folder`, relative, sorted; notes on what was skipped).

    Folders reached through a symbolic link are not entered, and a file whose real path is
    outside the folder is skipped, not read."""
    root = Path(folder).resolve()
    found, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.lower().endswith(".csv") or name.startswith("."):
                continue
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            try:
                path = resolve_source_path(root, rel)
            except DataError:
                skipped.append(f"{rel}: links outside the folder, not read")
                continue
            if not path.is_file():
                skipped.append(f"{rel}: not a regular file, not read")
                continue
            found.append(rel)
    if len(found) > MAX_FILES:
        skipped.append(f"{len(found) - MAX_FILES} more CSV file(s) after the first {MAX_FILES}, not read")
        found = found[:MAX_FILES]
    return found, skipped


def _decode(raw: bytes, complete: bool) -> tuple[str, str, list[str]]:
    """(text, encoding label, problems) for the sampled bytes."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding, label, raw = "utf-8", "utf-8 with BOM", raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        return text, "utf-16", ["is UTF-16: the build reads UTF-8 only; save it as UTF-8 CSV"]
    else:
        encoding, label = "utf-8", "utf-8"
    try:
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=complete), label, []
    except UnicodeDecodeError:
        # cp1252 is what spreadsheet exports usually are when they are not UTF-8
        return (
            raw.decode("cp1252", errors="replace"),
            "not UTF-8 (cp1252?)",
            ["is not UTF-8 text: the build reads UTF-8 only; save it as UTF-8 CSV"],
        )


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields."""
    head = text[:65536]
    best, best_score = ",", (0.0, 0)
    for delim in DELIMITERS:
        try:
            rows = [r for _, r in zip(range(50), csv.reader(io.StringIO(head), delimiter=delim)) if r]
        except csv.Error:
            continue
        if len(rows) < 1 or len(rows[0]) < 2:
            continue
        if len(rows) > 1:
            rows = rows[:-1]  # the last line of the cut may be partial
        same = sum(len(r) == len(rows[0]) for r in rows) / len(rows)
        score = (same, len(rows[0]))
        if score > best_score:
            best, best_score = delim, score
    return best


def profile_file(folder: Path, rel: str) -> FileProfile:
    """Sample one CSV file (relative to `folder`; refused if it resolves outside)."""
    path = resolve_source_path(Path(folder), rel)
    with path.open("rb") as fh:
        raw = fh.read(SAMPLE_BYTES + 1)
    cut = len(raw) > SAMPLE_BYTES
    complete = not cut
    text, encoding, problems = _decode(raw[:SAMPLE_BYTES], complete)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] = []
    rows = ragged = 0
    records: list[list[str]] = []
    stopped = False
    try:
        header = [h.strip() for h in next(reader, [])]
        for record in reader:
            if rows >= SAMPLE_ROWS:
                complete, stopped = False, True
                break
            records.append(record)
            rows += 1
    except csv.Error as exc:
        problems.append(f"cannot be read as CSV after data row {rows} ({exc}); only the rows before were sampled")
        complete, stopped = False, True
    if cut and not stopped and records:
        records.pop()  # the byte cut may have split the last record
        rows -= 1
    header = unnamed_placeholders(header)
    lowered = Counter(h.lower() for h in header)
    if any(n > 1 for n in lowered.values()):
        problems.append(
            "the header repeats a column name (the build stops on it): "
            + ", ".join(sorted(h for h, n in lowered.items() if n > 1))
        )
    columns = {h: ColumnProfile(h) for h in header}
    for record in records:
        if record == []:
            rows -= 1
            continue
        ragged += len(record) != len(header)
        for name, cell in zip(header, record):
            columns[name].add(cell)
    if ragged:
        problems.append(f"{ragged} sampled row(s) have a different number of fields than the header")
    if not header or not any(not h.startswith("_unnamed") for h in header):
        problems.append("has no header row")
    return FileProfile(
        rel=rel,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        columns=columns,
        rows=rows,
        complete=complete,
        problems=problems,
    )
