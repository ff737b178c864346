"""An independent count of the records of each CSV file, so `rows_in` never rests on the
reader that loaded them.

Why: DuckDB 2.0.1's CSV reader drops a record longer than about 32 MB without an error (a
valid row padded with 40 MB of spaces is enough), and the build then reported 4504/4504
with nothing quarantined. Python's csv module is a second, streaming parser that
understands quoted fields and embedded newlines; when the two disagree the build stops and
names the first record DuckDB lost.
"""

from __future__ import annotations

import contextlib
import csv
import sys
from itertools import zip_longest
from pathlib import Path
from typing import Iterator

from .errors import DataError
from .sqlsafe import ident


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    # the csv module refuses fields over 128 KB by default; this count must see every record
    old = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(path: Path, columns: int) -> Iterator[tuple[int, str]]:
    """(start line, first field) of every data record. An empty line is no record when the
    file has several columns (DuckDB skips it); with one column it is a blank value."""
    with _no_field_limit(), path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)  # the header
        start = reader.line_num + 1
        for row in reader:
            if row or columns == 1:
                yield start, (row[0] if row else "")
            start = reader.line_num + 1


def count_records(path: Path, columns: int) -> int:
    """The number of data records in a CSV file, counted by the csv module (the rules of
    _records; `map(bool, ...)` keeps the loop in C: half the time for 1M spend rows)."""
    with _no_field_limit(), path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)  # the header
        return sum(1 for _ in reader) if columns == 1 else sum(map(bool, reader))


def check_all_records_loaded(
    con, path: Path, display: str, columns: list[str], reader_sql: str, loaded: int, expected: int | None = None
) -> None:
    """Raise DataError naming the file and the first record DuckDB did not load (or the
    first extra one) when its row count differs from the csv module's record count
    (`expected`: that count, when taken already)."""
    expected = count_records(path, len(columns)) if expected is None else expected
    if expected == loaded:
        return
    # only now (an error is certain) read the first column again to find where they part
    cur = con.execute(f"SELECT {ident(columns[0])} FROM {reader_sql}")
    duck = (
        value if value is not None else "" for batch in iter(lambda: cur.fetchmany(10_000), []) for (value,) in batch
    )
    for number, (ours, theirs) in enumerate(zip_longest(_records(path, len(columns)), duck), start=1):
        if ours is None or theirs is None or ours[1].strip() != str(theirs).strip():
            where = f"record {number}" + (f", starting on line {ours[0]}," if ours else "")
            raise DataError(
                f"holds {expected} records but the CSV reader loaded {loaded}: {where} was not "
                f"read as the file has it. A record longer than about 32 MB (a huge value, or "
                f"padding) is dropped by DuckDB; shorten it and rebuild",
                file=display,
                line=ours[0] if ours else None,
            )
    raise DataError(f"holds {expected} records but the CSV reader loaded {loaded}", file=display)
