"""Helpers shared by the workforce family's modules: table checks, keyed grouping, the
job-level ranks (the order itself is the engine's, metrics/_levels.py) and CUBE-style grouping
of per-person frames computed in Python."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable

import pandas as pd

from ...config import setting as loaded_setting
from ...db import has_table
from ...sqlsafe import literal
from ...metrics._engine import NoDataError
from ...metrics._frame import Query
from ...metrics._levels import ordered_levels  # the engine's: pay ranks levels the same way


def setting(config: dict[str, Any], key: str) -> Any:
    """A `workforce.*` setting of the loaded config (a database built before the setting existed
    has it from defaults.yml through build_context's with_defaults, not from a fallback here)."""
    return loaded_setting(config, f"workforce.{key}")


def require_table(q: Query, table: str, files: str) -> None:
    """NoDataError naming the CSV to supply when an optional mart was not built."""
    if not has_table(q.con, table):
        raise NoDataError(f"no data loaded for this metric ({files} not supplied; add it and rebuild)")


def in_list(values: Iterable[Any]) -> str:
    """A SQL IN list of string literals (values come from config: quoted, never raw)."""
    return ", ".join(literal(str(v).lower()) for v in values) or "NULL"


def level_ranks(q: Query) -> pd.DataFrame:
    """job_level -> level_rank (0 = lowest). Unknown and unlisted levels get no rank, so a
    move into or out of them is never read as a promotion."""
    found = [r[0] for r in q.con.execute("SELECT DISTINCT job_level FROM stg_hr__job_history").fetchall()]
    levels = ordered_levels(found, q.config)
    return pd.DataFrame({"job_level": levels, "level_rank": range(len(levels))})


def register_level_ranks(q: Query) -> pd.DataFrame:
    ranks = level_ranks(q)
    q.con.register("q_level_ranks", ranks)
    return ranks


def cube_rows(
    frame: pd.DataFrame, dims: list[str], by: list[str], summarise: Callable[[pd.DataFrame], dict[str, Any]]
) -> pd.DataFrame:
    """Apply `summarise` to every group of every subset of `dims` (as GROUP BY CUBE would),
    within each combination of `by` columns. Returns one row per group with `by`, the dims
    (None where aggregated away) and `_gid` (bit set = dimension aggregated away)."""
    rows = []
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(dims, size):
            gid = sum(1 << (len(dims) - 1 - i) for i, d in enumerate(dims) if d not in subset)
            keys = list(by) + list(subset)
            parts = frame.groupby(keys, sort=True, dropna=False) if keys else [((), frame)]
            for values, part in parts:
                values = values if isinstance(values, tuple) else (values,)
                row = dict(zip(keys, values))
                row.update({d: None for d in dims if d not in subset})
                row["_gid"] = gid
                row.update(summarise(part))
                rows.append(row)
    return pd.DataFrame(rows)


def flagged_share(q: Query, inner: str, flag: str) -> pd.DataFrame:
    """Share of the rows of `inner` (one per person and period, with group keys) whose boolean
    column `flag` is true: retention, first-year turnover and promotion rates are all this."""
    df = q.frame(
        q.grouped(inner, {"numerator": f"count(*) FILTER (WHERE {flag})", "denominator": "count(*)", "n": "count(*)"})
    )
    df["value"] = df["numerator"] / df["denominator"]
    return df
