"""Reading CSV files as the contract expects them: UTF-8 (BOM or not), a header row."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from .errors import DataError


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def read_header(path: Path, display: str) -> list[str]:
    """The header row (UTF-8, with or without BOM); a clear error when it is unreadable."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError:
        # The text reader decodes a whole buffer (8 KB) at a time, so the bad byte may be on a
        # data line well after the header: name the line it is really on, not always line 1.
        raise DataError(
            "is not UTF-8 text (save it as UTF-8 CSV)", file=display, line=_first_non_utf8_line(path)
        ) from None
    if not header or not any(h.strip() for h in header):
        raise DataError("has no header row", file=display, line=1)
    header = unnamed_placeholders([h.strip() for h in header])
    seen: set[str] = set()
    for name in header:
        if name.lower() in seen:
            raise DataError("the header repeats a column name", file=display, line=1, column=name)
        seen.add(name.lower())
    return header


UNNAMED = "_unnamed_column_{}"


def unnamed_placeholders(header: list[str]) -> list[str]:
    """A blank header cell (the index column pandas writes) named by its position.

    The name is only for reading the file: no mapping can name a blank column, so it is never
    loaded; an unmapped column, named or not, is simply not selected."""
    return [h or UNNAMED.format(i) for i, h in enumerate(header, start=1)]


def _first_non_utf8_line(path: Path) -> int:
    """The first line (1-based) that is not valid UTF-8. Checking line by line is exact:
    the newline byte never occurs inside a multi-byte UTF-8 character."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1  # not reached when the caller saw a decoding error
