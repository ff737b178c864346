"""Requests the data of this build cannot answer: NoDataError, and the refusal of a metric that
needs one row per person when its source held aggregated, weighted rows.

Its own module, below the engine: the snapshot refusals (_snapshots.py) raise the same error,
and the engine imports them, so the error cannot live in the engine without a cycle."""

from __future__ import annotations

from ..db import has_table
from ..errors import UsageError


class NoDataError(UsageError):
    """The metric's family was not part of the build (its CSVs were not supplied)."""

    exit_code = 1


def refuse_weighted(con, spec) -> None:
    """A metric that needs one row per person (`needs_individual_rows` in its registry entry:
    the contract files whose rows must each be one person) stops when one of them was read from
    aggregated, weighted rows: the copies of a row share every value (pipelines/mapping_weight.py)."""
    tables = tuple(t.replace("/", "__") for t in spec.extra.get("needs_individual_rows", ()))
    if not tables or not has_table(con, "weighted_sources"):
        return
    row = con.execute(
        "SELECT file, weight_column FROM weighted_sources WHERE list_contains(?, table_name) ORDER BY 1 LIMIT 1",
        [list(tables)],
    ).fetchone()
    if row:
        raise NoDataError(
            f"{spec.name} needs one row per person, but {row[0]} holds aggregated counts "
            f"(weight: {row[1]}) whose copies share every value and have no dates of their "
            f"own; the counts, rates and ratios of this family use them, {spec.name} cannot"
        )
