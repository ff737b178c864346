"""Building blocks for metric queries: the query context and SQL fragments for
dimensions, filters and grouping sets.

Every metric returns rows for *all* subsets of the requested dimensions (GROUP BY CUBE),
because complementary suppression needs the margins: `gender|race_ethnicity` cells are
checked against the `gender` and `race_ethnicity` breakdowns and the overall row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ..sqlsafe import ident, literal
from ._periods import Period, snapshot_dates

if TYPE_CHECKING:  # the registry imports this module; `equity list` must not load pandas or DuckDB
    import duckdb
    import pandas as pd


@lru_cache(maxsize=1)
def dimension_sets() -> dict[str, dict[str, str]]:
    """{set name: {dimension: description}} from dimensions.yml."""
    text = resources.files("pipelines.metrics").joinpath("dimensions.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def all_dimensions() -> dict[str, str]:
    out: dict[str, str] = {}
    for dims in dimension_sets().values():
        out.update(dims)
    return out


def age_band_sql(birth_year: str, date_expr: str, config: dict[str, Any]) -> str:
    """CASE expression for the age band on a date (age = year(date) - birth_year)."""
    # int(): the edges are written into SQL as numbers; equity.yml is validated on load, and
    # this refuses anything else again (a stored config edited by hand), so no text gets in
    edges = [int(e) for e in config["demographics"]["age_bands"]]
    age = f"(year({date_expr}) - {birth_year})"
    parts = [
        f"WHEN {birth_year} IS NULL THEN {literal(config['demographics']['not_disclosed'])}",
        f"WHEN {age} < {edges[0]} THEN {literal(f'Under {edges[0]}')}",
    ]
    for lo, hi in zip(edges, edges[1:]):
        parts.append(f"WHEN {age} < {hi} THEN {literal(f'{lo}-{hi - 1}')}")
    parts.append(f"ELSE {literal(f'{edges[-1]} and over')}")
    return "CASE " + " ".join(parts) + " END"


def dim_expr(dim: str, alias: str, date_expr: str, config: dict[str, Any]) -> str:
    """SQL for one dimension of a row aliased `alias`, measured on `date_expr`."""
    if dim == "age_band":
        return age_band_sql(f"{alias}.birth_year", date_expr, config)
    if dim in all_dimensions():  # stored under its own name in the family's marts
        return f"{alias}.{ident(dim)}"
    raise KeyError(dim)


@dataclass
class Query:
    """Everything a metric function needs to compute its unsuppressed long rows."""

    con: duckdb.DuckDBPyConnection
    dims: list[str]
    periods: list[Period]
    filters: dict[str, list[str]] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def register_periods(self) -> None:
        """Expose `q_periods` and `q_snapshots` (month-end dates per period) to SQL."""
        import pandas as pd

        self.con.register(
            "q_periods",
            pd.DataFrame(
                {"period_start": [p.start for p in self.periods], "period_end": [p.end for p in self.periods]}
            ),
        )
        snaps = [(p.start, p.end, d) for p in self.periods for d in snapshot_dates(p)]
        self.con.register("q_snapshots", pd.DataFrame(snaps, columns=["period_start", "period_end", "snap_date"]))

    def dim_select(self, alias: str, date_expr: str) -> str:
        """`<expr> AS dim, ...` for the requested dimensions (empty string when none)."""
        return "".join(f", {dim_expr(d, alias, date_expr, self.config)} AS {ident(d)}" for d in self.dims)

    def filter_where(self, alias: str, date_expr: str) -> str:
        """`AND dim IN (...)` for each org filter (values are literals, never SQL)."""
        out = []
        for dim, values in sorted(self.filters.items()):
            if values:
                vals = ", ".join(literal(v) for v in values)
                out.append(f" AND {dim_expr(dim, alias, date_expr, self.config)} IN ({vals})")
        return "".join(out)

    def grouped(self, inner_sql: str, measures: dict[str, str], keys: tuple[str, ...] | list[str] = ()) -> str:
        """Aggregate `inner_sql` per period over every subset of the dimensions.

        `keys` (a metric's registry `keys`, e.g. stage or spend_base) are grouped plainly, in
        every grouping set: one table per key value. `_gid` is GROUPING(dims...): bit i (from
        the left) set = dimension i aggregated away; keys never count in it.
        """
        meas = ", ".join(f"{expr} AS {ident(name)}" for name, expr in measures.items())
        key_cols = "".join(f", {ident(k)}" for k in keys)
        if not self.dims:
            return (
                f"SELECT period_start, period_end{key_cols}, 0 AS _gid, {meas} FROM ({inner_sql}) "
                f"GROUP BY period_start, period_end{key_cols}"
            )
        cols = ", ".join(ident(d) for d in self.dims)
        return (
            f"SELECT period_start, period_end{key_cols}, {cols}, GROUPING({cols}) AS _gid, {meas} "
            f"FROM ({inner_sql}) GROUP BY period_start, period_end{key_cols}, CUBE({cols})"
        )

    def join_on(self, left: str, right: str) -> str:
        """Null-safe join condition between two `grouped` results."""
        conds = [f"{left}.period_start = {right}.period_start", f"{left}._gid = {right}._gid"]
        conds += [f"{left}.{ident(d)} IS NOT DISTINCT FROM {right}.{ident(d)}" for d in self.dims]
        return " AND ".join(conds)

    def keys(self, left: str, right: str) -> str:
        """coalesce() of the key columns after a FULL JOIN of two `grouped` results."""
        cols = ["period_start", "period_end", "_gid"] + self.dims
        return ", ".join(f"coalesce({left}.{ident(c)}, {right}.{ident(c)}) AS {ident(c)}" for c in cols)

    def frame(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()


def group_positions(frame: pd.DataFrame, by: list[str]):
    """(key tuple, row positions in frame order) for every group of frame.groupby(by, sort=True,
    dropna=False), in that key order: what iterating the groupby gives, without a sub-frame per
    group (building thousands of sub-frames was most of the cost of the per-cell statistics
    SQL cannot aggregate: means with variances, medians, Kaplan-Meier)."""
    import numpy as np

    grouped = frame.groupby(by, dropna=False, sort=True)
    codes = grouped.ngroup().to_numpy(dtype=np.int64)
    order = np.argsort(codes, kind="stable")  # stable: a group's rows keep the frame's order
    ends = np.cumsum(np.bincount(codes, minlength=grouped.ngroups))
    start = 0
    for key, end in zip(grouped.size().index, ends):
        yield (key if isinstance(key, tuple) else (key,)), order[start:end]
        start = end
