"""Shared pieces of the sample generator: the calendar, random streams and the CSV writer.

Dates are handled as integer day numbers (days since 1970-01-01) and months as integer month
numbers (months since 1970-01) so that whole columns can be computed with numpy; they are turned
into ISO text only when a chunk is written.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

log = logging.getLogger(__name__)

_CONTRACT = Path(__file__).resolve().parents[1] / "contract.yml"
_DEFAULTS = Path(__file__).resolve().parents[1] / "defaults.yml"

NO_DAY = np.iinfo(np.int32).max  # "no date yet" (still employed, leave ongoing ...): sorts last


def day(iso: str) -> int:
    """Day number of an ISO date."""
    return int(np.datetime64(iso, "D").astype(np.int64))


def month_number(year: int, month: int) -> int:
    return (year - 1970) * 12 + month - 1


def month_start(months) -> np.ndarray:
    """Day number of the first day of each month number."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_of(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def year_of(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


# The observation window of the sample: exits are complete from WINDOW_START, data ends at AS_OF.
WINDOW_START = day("2019-01-01")
AS_OF = day("2026-09-30")
FIRST_MONTH = month_number(2005, 1)  # the oldest hire (and the first FX month)
WINDOW_MONTH = month_number(2019, 1)
LAST_MONTH = month_number(2026, 9)
POLICY_DAY = day("2022-01-01")  # parental leave extended to 26 weeks (reference/events.csv)

# Random streams: one per family, so that e.g. changing the spend volume never changes the HR
# files. SeedSequence([seed, stream]) is fully determined by its integers (no hash seeds, no clock).
STREAM_WORKFORCE, STREAM_RECRUITING, STREAM_SUPPLIERS, STREAM_SPEND, STREAM_VOICE, STREAM_FX = range(1, 7)


def rng_for(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), stream]))


def draw_codes(rng: np.random.Generator, probs, size: int) -> np.ndarray:
    """Category codes 0..len(probs)-1 drawn with `probs`; the probability left over (1 - sum)
    becomes code -1, written as a blank cell (an unanswered self-identification question)."""
    cum = np.cumsum(np.asarray(probs, dtype=float))
    if cum[-1] > 1 + 1e-9:
        raise ValueError(f"probabilities sum to {cum[-1]} > 1")
    codes = np.searchsorted(cum, rng.random(size), side="right")
    return np.where(codes >= len(cum), -1, codes).astype(np.int8)


@lru_cache(maxsize=1)
def _contract() -> dict:
    return yaml.safe_load(_CONTRACT.read_text(encoding="utf-8"))["tables"]


def diverse_certifications() -> list[str]:
    """The certifications the metrics count as diverse (from defaults.yml, so the README's
    planted-truth numbers use the same definition as the build)."""
    return list(yaml.safe_load(_DEFAULTS.read_text(encoding="utf-8"))["procurement"]["diverse_certifications"])


# ----------------------------------------------------------------------------------------------
# Column formatters: each returns a pyarrow string array (null = blank cell).


def text(values, mask=None) -> pa.Array:
    return pa.array(values, type=pa.string(), mask=None if mask is None else np.asarray(mask))


def labels(codes, names) -> pa.Array:
    """Codes into a list of labels; negative codes become blanks."""
    codes = np.asarray(codes)
    return pa.array(list(names), type=pa.string()).take(pa.array(codes.astype(np.int32), mask=codes < 0))


def dates(days, mask=None) -> pa.Array:
    """Day numbers as YYYY-MM-DD; `mask` (or NO_DAY) gives a blank."""
    days = np.asarray(days, dtype=np.int64)
    blank = days == NO_DAY if mask is None else np.asarray(mask) | (days == NO_DAY)
    return pa.array(np.where(blank, 0, days).astype(np.int32), mask=blank).cast(pa.date32()).cast(pa.string())


def integers(values, mask=None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=mask).cast(pa.string())


def fixed(units, places: int, mask=None) -> pa.Array:
    """Integers counted in 10**-places (e.g. cents) as exact decimal text: 123456, 2 -> 1234.56."""
    arr = pa.array(np.asarray(units, dtype=np.int64), mask=mask)
    if places == 0:
        return arr.cast(pa.string())
    scale = pa.scalar(Decimal(1).scaleb(-places), pa.decimal128(places + 1, places))
    return pc.multiply(arr.cast(pa.decimal128(19, 0)), scale).cast(pa.string())


def money(amounts, mask=None) -> pa.Array:
    """Amounts rounded half-to-even to cents, written with exactly 2 decimals."""
    return fixed(np.rint(np.asarray(amounts, dtype=float) * 100), 2, mask)


def whole_units(amounts, mask=None) -> pa.Array:
    """Amounts rounded half-to-even to whole currency units, written without decimals (salaries
    and bonuses are set in whole units: their cents would only be simulation noise)."""
    return fixed(np.rint(np.asarray(amounts, dtype=float)), 0, mask)


def booleans(values, mask=None) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(values, dtype=bool), mask=mask), "true", "false")


def ids(prefix: str, numbers, width: int, mask=None) -> pa.Array:
    """E000123-style identifiers (`mask`: blanks)."""
    digits = pa.array(np.asarray(numbers, dtype=np.int64), mask=mask).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width, "0"), "")


def hex_tokens(numbers, width: int) -> pa.Array:
    """Non-negative integers as fixed-width lower-case hex, vectorised (no per-row Python)."""
    numbers = np.asarray(numbers, dtype=np.uint64)
    shifts = np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(4)
    nibbles = (numbers[:, None] >> shifts) & np.uint64(0xF)
    chars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[nibbles.astype(np.intp)]
    return pa.array(np.ascontiguousarray(chars).view(f"S{width}").ravel()).cast(pa.string())


def _quoted(column: pa.Array) -> pa.Array:
    """RFC 4180 quoting, only for the values that need it (free text such as supplier names)."""
    needs = pc.match_substring_regex(column, '[",\r\n]')
    if not pc.any(needs).as_py():
        return column
    escaped = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, escaped, column)


class CsvTable:
    """One contract table written as CSV, chunk by chunk, in the contract's column order.

    Rows are assembled by Arrow's string kernels and the bytes are written straight from the
    joined array's data buffer, so tens of millions of rows stream with bounded memory.
    """

    def __init__(self, out_dir: Path, table: str):
        spec = _contract()[table]
        self.table = table
        self.columns = list(spec["columns"])
        self.path = Path(out_dir) / spec["path"]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._file = open(self.path, "wb")
        self._file.write((",".join(self.columns) + "\n").encode("utf-8"))

    def write(self, chunk: dict[str, pa.Array]) -> None:
        if list(chunk) != self.columns:
            raise ValueError(f"{self.table}: columns {list(chunk)} differ from the contract {self.columns}")
        columns = [_quoted(col) for col in chunk.values()]
        if len(columns[0]) == 0:
            return
        line = pc.binary_join_element_wise(*columns, ",", null_handling="replace", null_replacement="")
        line = pc.binary_join_element_wise(line, "", "\n").cast(pa.large_string())
        offsets = np.frombuffer(line.buffers()[1], dtype=np.int64)[line.offset : line.offset + len(line) + 1]
        self._file.write(memoryview(line.buffers()[2])[offsets[0] : offsets[-1]])
        self.rows += len(line)

    def close(self) -> None:
        self._file.close()
        log.info("wrote %s (%d rows)", self.path, self.rows)

    def __enter__(self) -> "CsvTable":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_rows(out_dir: Path, table: str, n: int, build, chunk_rows: int = 500_000) -> int:
    """Write `n` rows produced by `build(lo, hi) -> {column: array}`, one slice at a time, so that
    only one slice's text is ever held in memory."""
    with CsvTable(out_dir, table) as out:
        for lo in range(0, n, chunk_rows):
            out.write(build(lo, min(n, lo + chunk_rows)))
    return out.rows


def write_records(out_dir: Path, table: str, records, formatters) -> int:
    """Write a small table given as one tuple a row, its fields in the contract's column order;
    `formatters` turns each column into text (text, booleans ...), one per contract column."""
    with CsvTable(out_dir, table) as out:
        if len(formatters) != len(out.columns):
            raise ValueError(f"{table}: {len(formatters)} formatters for the columns {out.columns}")
        out.write({name: fmt([r[i] for r in records]) for i, (name, fmt) in enumerate(zip(out.columns, formatters))})
    return out.rows
