"""Aggregated rows: `weight: Freq` in a mapping, for exports where one row stands for several
applications (UCBAdmissions: one row per Admit x Gender x Dept with a count).

Design: a weighted row is expanded at ingest into `weight` identical rows, so every count
downstream (applications, selection rates, impact ratios, Mantel-Haenszel strata, funnels)
and the protection of published counts work on people, as they do for individual rows, with
no metric having to know about weights. What that cannot give - each person's own dates or
pay - is refused: the contract says which files may carry a weight (`weight_ids` in
contract.yml), and metrics that need one row per person name the files in
`needs_individual_rows` and stop with a message when such a file was weighted.

Checks, because the weight is hostile text like every cell: it must be a whole number >= 0
(`12` or `12.0`), at most `max` (default MAX_WEIGHT, so that a typo of 10**9 cannot fill the
disk); anything else sends the row to quarantine naming the weight column and why. A weight of
0 is a loaded row that stands for nobody. The copies of a row share its line, and their ids
(the contract's `weight_ids`: the key and the candidate) get `#1`..`#n` appended, so the
ids are unique and the same on every rebuild of the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .contract import load_contract
from .db import scalar
from .errors import DataError
from .sqlsafe import ident, literal

if TYPE_CHECKING:
    from .contract import Table
    from .source_file import SourceFile

MAX_WEIGHT = 100_000  # per row, unless the mapping sets `max`
MAX_RECORDS = 50_000_000  # per source after expansion: beyond this, stop rather than fill the disk
WEIGHT_KEYS = ("column", "max")
_WHOLE = r"^[0-9]+(\.0*)?$"  # 12 or 12.0 (R and pandas write counts as doubles)


@dataclass(frozen=True)
class Weight:
    column: str  # the source (header) column holding the count
    max: int = MAX_WEIGHT


def weight_spec(
    spec: dict[str, Any], table: "Table", match: Callable[[str], str | None], header: list[str], display: str
) -> Weight | None:
    """The mapping's `weight`, checked: a config error when the contract file cannot carry one."""
    raw = spec.get("weight")
    if raw is None:
        return None
    what = f"mapping for '{table.key}'"
    if table.weight_ids is None:
        raise DataError(
            f"{what}: weight is not supported for this file; its metrics need one row "
            f"per person or transaction (pay, dates, amounts). Rows may carry a weight in: "
            f"{', '.join(weighted_keys())}",
            file="equity.yml",
        )
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict) or "column" not in raw or set(raw) - set(WEIGHT_KEYS):
        raise DataError(f"{what}: weight must be a column name or {{column: NAME, max: N}}", file="equity.yml")
    limit = raw.get("max", MAX_WEIGHT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise DataError(f"{what}: weight.max must be a whole number of at least 1 (got {limit!r})", file="equity.yml")
    column = match(str(raw["column"]))
    if column is None:
        raise DataError(
            f"{what}: weight refers to column '{raw['column']}', which is not in the header "
            f"(header has: {', '.join(header)})",
            file=display,
            line=1,
        )
    return Weight(column=column, max=limit)


def weighted_keys() -> list[str]:
    return [t.key for t in load_contract().values() if t.weight_ids is not None]


def quarantine_bad_weights(con, sf: "SourceFile") -> int:
    """Rows of raw_<table> whose `_weight` is not a whole number in 0..max go to quarantine
    (file, line, the weight column, the raw value, why); returns how many."""
    if sf.weight is None:
        return 0
    w, limit = "_weight", int(sf.weight.max)
    reason = (
        f"CASE WHEN {w} IS NULL THEN 'weight is missing' "
        f"WHEN regexp_matches({w}, '^-[0-9.]+$') THEN 'weight is negative' "
        f"WHEN NOT regexp_matches({w}, {literal(_WHOLE)}) "
        f"THEN 'weight is not a whole number of people' "
        f"WHEN TRY_CAST({w} AS DOUBLE) > {limit} "
        f"THEN {literal(f'weight above the limit of {limit} (weight: {{max: ...}} in the mapping)')} END"
    )
    bad = f"SELECT _line, {w}, {reason} AS why FROM raw_{sf.table.name}"
    con.execute(
        f"INSERT INTO quarantine SELECT {literal(sf.display)}, {literal(sf.table.name)}, _line, "
        f"{literal(sf.weight.column)}, {w}, why FROM ({bad}) WHERE why IS NOT NULL"
    )
    count = scalar(con, f"SELECT count(*) FROM ({bad}) WHERE why IS NOT NULL")
    con.execute(f"DELETE FROM raw_{sf.table.name} WHERE _line IN (SELECT _line FROM ({bad}) WHERE why IS NOT NULL)")
    return count


def expand_weighted(con, sf: "SourceFile") -> None:
    """Replace src_<table> by `weight` copies of each row (ids suffixed #1..#n). Records the
    rows loaded before expansion in `sf.rows_loaded` (the rows_in invariant counts rows) and
    the records after it in `sf.records`."""
    if sf.weight is None:
        return
    name = sf.table.name
    sf.rows_loaded = scalar(con, f"SELECT count(*) FROM src_{name}")
    total = scalar(
        con,
        f"SELECT coalesce(sum(CAST(CAST(r._weight AS DOUBLE) AS BIGINT)), 0) "
        f"FROM src_{name} s JOIN raw_{name} r USING (_line)",
    )
    if total > MAX_RECORDS:
        raise DataError(
            f"weights add up to {total} records, above the limit of {MAX_RECORDS}; "
            f"aggregate counts this large are not expanded",
            file=sf.display,
            column=sf.weight.column,
        )
    ids = set(sf.table.weight_ids or ())
    cols = ", ".join(
        f"s.{ident(c)} || '#' || CAST(t.k AS VARCHAR) AS {ident(c)}" if c in ids else f"s.{ident(c)}"
        for c in sf.table.columns
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE expanded_{name} AS SELECT s._line, {cols} "
        f"FROM src_{name} s JOIN raw_{name} r USING (_line), "
        f"range(1, CAST(CAST(r._weight AS DOUBLE) AS BIGINT) + 1) t(k) ORDER BY s._line, t.k"
    )
    con.execute(f"DROP TABLE src_{name}")
    con.execute(f"ALTER TABLE expanded_{name} RENAME TO src_{name}")
    sf.records = scalar(con, f"SELECT count(*) FROM src_{name}")


def write_weighted_sources(con, sources: dict[str, "SourceFile"]) -> None:
    """`weighted_sources`: which contract files were read from aggregated rows, so metrics
    that need one row per person can refuse them (pipelines/metrics/_engine.py)."""
    rows = [
        f"({literal(n)}, {literal(sf.display)}, {literal(sf.weight.column)})"
        for n, sf in sources.items()
        if sf.weight is not None
    ]
    con.execute("CREATE OR REPLACE TABLE weighted_sources (table_name VARCHAR, file VARCHAR, weight_column VARCHAR)")
    if rows:
        con.execute(f"INSERT INTO weighted_sources VALUES {', '.join(rows)}")
