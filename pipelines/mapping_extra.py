"""Columns beyond the contract: `extra_columns` on the `hr/job_history` mapping, for job or
person attributes a pay model controls for that the contract has no column for (years since a
PhD, a grade step, a union code).

Design: an extra column is mapped like any contract column (a source column, a value map, an
`expr`, a constant) and gets a contract type, `number` (read as a decimal; a cell that is not
a number is quarantined with file, line and column, as for a contract number) or `label`
(blank becomes `Unknown`). The source's Table is extended with them, so reading, casting and
quarantine are the contract's own. After ingest they are written, effective-dated like the
job record they come from, to `job_extra_columns` (employee_id, valid_from, valid_to, one
column per extra), which the pay population joins on the period end; a pay-model factor
(`pay.legitimate_factors`) may then name them. Names are lower-case words that cannot shadow a
contract or spells column, so no SQL and no existing column can be reached through them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .contract import Column, Table, load_contract
from .errors import DataError
from .sqlsafe import ident

if TYPE_CHECKING:
    from .source_file import SourceFile

EXTRA_TABLE = "job_extra_columns"
EXTRA_TYPES = {"number": "decimal", "label": "label"}
HOST = "hr__job_history"  # the only contract file that may carry extra columns
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# names of the pay population and the spells mart an extra column may not take
_RESERVED = {
    "valid_from",
    "valid_to",
    "period_start",
    "period_end",
    "salary",
    "rate",
    "annual_pay",
    "hourly_pay",
    "has_pay",
    "bonus",
    "tenure_years",
}


def reserved_names() -> set[str]:
    """Names an extra column may not take: every HR contract column and the pay marts' own."""
    tables = load_contract()
    return _RESERVED | {c for t in tables.values() if t.family == "hr" for c in t.columns}


def with_extra_columns(table: Table, spec: dict[str, Any]) -> tuple[Table, dict[str, Any]]:
    """(the table with the mapping's extra columns added, their column mappings without `type`).
    Without `extra_columns` the table is returned unchanged."""
    raw = spec.get("extra_columns")
    if raw is None:
        return table, {}
    what = f"mapping for '{table.key}'"
    if table.name != HOST:
        raise DataError(
            f"{what}: extra_columns is supported on {load_contract()[HOST].key} only "
            f"(the pay models read job attributes at each period end)",
            file="equity.yml",
        )
    if not isinstance(raw, dict) or not raw:
        raise DataError(
            f"{what}: extra_columns must map new column names to a source column or "
            f"{{column|expr|value: ..., type: number|label}}",
            file="equity.yml",
        )
    columns, specs = dict(table.columns), {}
    reserved = reserved_names()
    for name, col_spec in raw.items():
        name = str(name)
        key = f"{what}: extra_columns.{name}"
        if not _NAME.match(name):
            raise DataError(
                f"{key}: a name must be lower-case letters, digits and _ (starting with a letter), e.g. yrs_since_phd",
                file="equity.yml",
            )
        if name in reserved:
            raise DataError(
                f"{key}: '{name}' is already a column of the HR contract or the pay "
                f"population; map it under columns, or choose another name",
                file="equity.yml",
            )
        kind = "label"
        if isinstance(col_spec, dict):
            col_spec = dict(col_spec)
            kind = str(col_spec.pop("type", "label"))
        if kind not in EXTRA_TYPES:
            raise DataError(f"{key}: type must be one of {', '.join(EXTRA_TYPES)} (got {kind!r})", file="equity.yml")
        columns[name] = Column(name=name, type=EXTRA_TYPES[kind], description=f"extra column from equity.yml ({kind})")
        specs[name] = col_spec
    return replace(table, columns=columns), specs


def extra_names(table: Table) -> list[str]:
    """The extra columns a (mapped) table carries beyond the contract's."""
    contract = load_contract()[table.name].columns
    return [c for c in table.columns if c not in contract]


def write_extra_columns(con, sources: dict[str, "SourceFile"], read: set[str]) -> None:
    """`job_extra_columns` from src_hr__job_history (each record in force from its effective
    date to the day before the next, as int_job_history__spells). Kept as it is when the job
    history was not re-read (an incremental build: same config, hence same extra columns)."""
    sf = sources.get(HOST)
    names = extra_names(sf.table) if sf is not None else []
    if not names:
        con.execute(f"DROP TABLE IF EXISTS {EXTRA_TABLE}")
        return
    if HOST not in read:
        return
    cols = ", ".join(ident(n) for n in names)
    con.execute(
        f"CREATE OR REPLACE TABLE {EXTRA_TABLE} AS SELECT employee_id, effective_date AS valid_from, "
        f"coalesce(lead(effective_date) OVER (PARTITION BY employee_id ORDER BY effective_date) - 1, "
        f"DATE '9999-12-31') AS valid_to, {cols} FROM src_{HOST}"
    )
