"""Snapshot-shaped HR input: `snapshot:` in the `hr/employees` mapping, for exports that hold
one row per person per snapshot date (yearly payroll files, an HRIS headcount file with an
attrition flag) instead of one row per person with hire and exit dates.

Design: the rows are read, checked and cast like any rows; then each person's rows are
collapsed into the one row per person the contract wants, by stated rules that never invent a
day (docs/data_contract.md, "Snapshot-shaped HR input"):

- hire: a mapped `hire_date` wins. Otherwise a person in the first snapshot was there when
  observation began (left-censored): the hire date is the day before `observed_from`, outside
  the window, so nobody is counted as a hire for it. A person first seen in a later snapshot
  was hired in the interval since the previous one, recorded on the snapshot date they appear.
- exit: a mapped `termination_date` (an attrition flag through `expr`) wins. Otherwise a
  person absent from a later snapshot left in the interval, recorded on the day before the
  first snapshot they are missing from (the last day the exit can have happened).
- censoring: a person in the last snapshot is still employed.
- the person's attributes are those of their latest snapshot (the job history keeps each one).

Rows with a generated id (`{generated: line}`: no person id in the export) cannot be linked
from one snapshot to the next: each row is a person seen on its snapshot date only (hired
and leaving that day), which is right for headcount and pay per snapshot and meaningless for
flows. `snapshot_sources` records what a build can support, and the metrics refuse the rest
(pipelines/metrics/_snapshots.py) instead of reporting every person as a leaver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .db import first_row, scalar
from .errors import DataError
from .sqlsafe import ident, literal

if TYPE_CHECKING:
    from .source_file import SourceFile

SNAPSHOT_KEYS = ("date", "observed_from")
SNAPSHOT_TABLES = ("hr__employees",)  # the contract file a snapshot collapses into people
DATE_COLUMN = "_snapshot"  # raw text of the snapshot date (then _snapshot_date)


@dataclass
class Snapshot:
    date: Any  # ColumnSource of the snapshot date (ingest.py)
    observed_from: dt.date | None = None  # first day observation covers (default: first snapshot)
    hire_mapped: bool = True  # False: hire_date holds the snapshot date until collapsed
    count: int | None = None  # distinct snapshot dates read (set by collapse)
    first: dt.date | None = None
    last: dt.date | None = None
    gaps: int | None = None  # linked people missing from a snapshot between two they are in


def snapshot_spec(spec: dict[str, Any], table_name: str, key: str, parse_date) -> Snapshot | None:
    """The mapping's `snapshot`, checked; `parse_date(column_spec)` resolves its `date` like
    a mapped column (a column name, `{expr: ...}` or `{value: ...}`)."""
    raw = spec.get("snapshot")
    if raw is None:
        return None
    what = f"mapping for '{key}'"
    if table_name not in SNAPSHOT_TABLES:
        raise DataError(
            f"{what}: snapshot is supported for hr/employees only (the job history "
            f"takes one row per snapshot as it is, effective_date = the snapshot date)",
            file="equity.yml",
        )
    if not isinstance(raw, dict) or "date" not in raw or set(raw) - set(SNAPSHOT_KEYS):
        raise DataError(
            f"{what}: snapshot must be {{date: COLUMN or {{expr: ...}}, observed_from: "
            f"YYYY-MM-DD}} (observed_from optional)",
            file="equity.yml",
        )
    observed = raw.get("observed_from")
    if observed is not None and not isinstance(observed, dt.date):
        try:
            observed = dt.date.fromisoformat(str(observed))
        except ValueError:
            raise DataError(
                f"{what}: snapshot.observed_from must be a date YYYY-MM-DD (got {observed!r})", file="equity.yml"
            ) from None
    return Snapshot(date=parse_date(raw["date"]), observed_from=observed)


def linked(sf: "SourceFile") -> bool:
    """Rows can be followed from one snapshot to the next only through a real person id."""
    src = sf.columns.get("employee_id")
    return src is not None and not src.generated


def quarantine_bad_snapshot_dates(con, sf: "SourceFile") -> int:
    """Parse each row's snapshot date into `_snapshot_date`; a row without a readable one goes
    to quarantine (file, line, `snapshot.date`, the raw text) since it belongs to no snapshot."""
    if sf.snapshot is None:
        return 0
    name, fmt = f"raw_{sf.table.name}", sf.snapshot.date.date_format or "%Y-%m-%d"
    con.execute(f"ALTER TABLE {name} ADD COLUMN _snapshot_date DATE")
    con.execute(f"UPDATE {name} SET _snapshot_date = CAST(try_strptime({DATE_COLUMN}, {literal(fmt)}) AS DATE)")
    bad = f"FROM {name} WHERE _snapshot_date IS NULL"
    count = scalar(con, f"SELECT count(*) {bad}")
    con.execute(
        f"INSERT INTO quarantine SELECT {literal(sf.display)}, {literal(sf.table.name)}, _line, "
        f"'snapshot.date', {DATE_COLUMN}, "
        f"{literal(f'snapshot date is missing or not a date ({fmt})')} {bad}"
    )
    con.execute(f"DELETE {bad}")
    return count


def _collapsed_sql(sf: "SourceFile", observed_from: str) -> str:
    """One row per person by the rules in the module docstring (src_ joined to raw_ for dates)."""
    name = sf.table.name
    kept = [c for c in sf.table.columns if c not in ("hire_date", "termination_date")]
    rows = f"SELECT s.*, w._snapshot_date AS _d FROM src_{name} s JOIN raw_{name} w USING (_line)"
    if not linked(sf):  # every row is its own person, present on its snapshot date only
        cols = ", ".join(f"r.{ident(c)}" for c in kept)
        return (
            f"SELECT r._line, {cols}, coalesce(r.hire_date, r._d) AS hire_date, "
            f"coalesce(r.termination_date, r._d) AS termination_date FROM ({rows}) r ORDER BY r._line"
        )
    cols = ", ".join(f"l.{ident(c)}" for c in kept)
    hired = "min(hire_date)" if sf.snapshot.hire_mapped else "NULL::DATE"
    return (
        f"WITH r AS ({rows}), "
        f"dates AS (SELECT _d, lead(_d) OVER (ORDER BY _d) AS next_d FROM (SELECT DISTINCT _d FROM r)), "
        f"per AS (SELECT employee_id, min(_d) AS f, max(_d) AS l, {hired} AS hired FROM r GROUP BY 1), "
        f"l AS (SELECT * FROM r QUALIFY row_number() OVER (PARTITION BY employee_id "
        f"      ORDER BY _d DESC, _line DESC) = 1) "
        f"SELECT l._line, {cols}, "
        f"coalesce(per.hired, CASE WHEN per.f = (SELECT min(_d) FROM r) "
        f"  THEN DATE {literal(observed_from)} - INTERVAL 1 DAY ELSE per.f END)::DATE AS hire_date, "
        f"coalesce(l.termination_date, (d.next_d - INTERVAL 1 DAY)::DATE) AS termination_date "
        f"FROM l JOIN per USING (employee_id) JOIN dates d ON d._d = per.l ORDER BY l._line"
    )


def collapse_snapshots(con, sf: "SourceFile") -> None:
    """Replace src_hr__employees (one row per person per snapshot) by one row per person.
    `sf.rows_loaded` keeps the rows loaded (the rows_in invariant counts rows) and
    `sf.records` the people they describe."""
    if sf.snapshot is None:
        return
    name, snap = sf.table.name, sf.snapshot
    row = first_row(
        con,
        f"SELECT count(DISTINCT w._snapshot_date), min(w._snapshot_date), max(w._snapshot_date) "
        f"FROM src_{name} s JOIN raw_{name} w USING (_line)",
    )
    snap.count, snap.first, snap.last = row
    if not snap.count:
        return
    if snap.observed_from is not None and snap.observed_from > snap.first:
        raise DataError(
            f"snapshot.observed_from {snap.observed_from} is after the first snapshot date {snap.first}",
            file="equity.yml",
        )
    observed = (snap.observed_from or snap.first).isoformat()
    if linked(sf):  # bridged into one spell (the contract holds one per person): counted, not hidden
        snap.gaps = scalar(
            con,
            f"WITH r AS (SELECT s.employee_id, w._snapshot_date AS d FROM src_{name} s "
            f"JOIN raw_{name} w USING (_line)), dates AS (SELECT DISTINCT d FROM r), "
            f"p AS (SELECT employee_id, min(d) AS f, max(d) AS l, count(DISTINCT d) AS n "
            f"FROM r GROUP BY 1) SELECT count(*) FROM p "
            f"WHERE n < (SELECT count(*) FROM dates WHERE dates.d BETWEEN p.f AND p.l)",
        )
    sf.rows_loaded = scalar(con, f"SELECT count(*) FROM src_{name}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE people_{name} AS {_collapsed_sql(sf, observed)}")
    con.execute(f"DROP TABLE src_{name}")
    con.execute(f"ALTER TABLE people_{name} RENAME TO src_{name}")
    sf.records = scalar(con, f"SELECT count(*) FROM src_{name}")


def write_snapshot_sources(con, sources: dict[str, "SourceFile"]) -> None:
    """`snapshot_sources`: which HR source came from snapshots and what it can support, read
    by the metrics that refuse what a snapshot cannot give (pipelines/metrics/_snapshots.py)."""
    con.execute(
        "CREATE OR REPLACE TABLE snapshot_sources (table_name VARCHAR, file VARCHAR, "
        "linked BOOLEAN, snapshots INTEGER, first_date DATE, last_date DATE, "
        "hire_dates_mapped BOOLEAN, exits_mapped BOOLEAN, people_with_gaps INTEGER)"
    )
    for name, sf in sources.items():
        snap = getattr(sf, "snapshot", None)
        if snap is None:
            continue
        con.execute(
            "INSERT INTO snapshot_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                sf.display,
                linked(sf),
                snap.count,
                snap.first,
                snap.last,
                snap.hire_mapped,
                "termination_date" in sf.columns,
                snap.gaps,
            ],
        )
