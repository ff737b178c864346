"""One run of each metric function per metric x grain, shared by every breakdown of the plan.

A metric function returns its rows for *every subset* of the requested dimensions (GROUP BY
CUBE, see pipelines/metrics/_frame.py), so the rows it computes for `gender x race_ethnicity`
already hold the `gender`, the `race_ethnicity` and the overall grouping sets. The results plan
asks for all four; computed one by one, each request sends the metric's SQL to Spark again
(several Spark jobs per request, ~400 requests in the default plan). Here the function runs
once for the widest breakdown of the plan that contains the request, and each narrower table
is cut from those rows: the grouping sets whose other dimensions are aggregated away, with
`_gid` renumbered for the narrower dimensions. Protection and suppression (finalize) still run
per table, on exactly the rows a direct computation would have given them.

Metrics whose function relates the grouping sets to each other (a reference group chosen
among the requested breakdown's groups, a regression with the breakdown's dimensions as
covariates, suppression inside the function) give other figures for `gender` when
`race_ethnicity` is requested too: they are COMPUTED_ALONE, one run per table as before.
tests/test_spark_batch.py checks, on DuckDB, that every other registry metric's tables cut
this way equal the ones computed alone, and that each metric listed here does differ (so the
list holds exactly the metrics that need it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

import numpy as np
import pandas as pd

from ..metrics._engine import metric_rows
from ..metrics._frame import Query
from ..metrics._registry import MetricSpec


COMPUTED_ALONE = frozenset(
    {
        "adjusted_pay_gap",
        "adverse_impact_ratio",
        "pay_gap_by_category",
        "pipeline_index",
        "promotion_impact_ratio",
        "stage_pass_rate",
        "time_in_stage",
    }
)


def widest(breakdowns: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The breakdowns that are no subset of another one (in plan order): the ones computed."""
    plan = list(dict.fromkeys(tuple(b) for b in breakdowns))
    return [b for b in plan if not any(set(b) < set(other) for other in plan)]


def narrowed(rows: pd.DataFrame, wide: list[str], dims: list[str]) -> pd.DataFrame:
    """The rows of `rows` (computed for `wide`) that a computation for `dims` (a subset of
    `wide`, in any order) returns, with `_gid` as that computation numbers it."""
    if not len(rows):
        return rows.drop(columns=[d for d in wide if d not in dims and d in rows.columns])
    gid = rows["_gid"].astype("int64").to_numpy()
    bit = {d: (gid >> (len(wide) - 1 - i)) & 1 for i, d in enumerate(wide)}  # 1: aggregated away
    keep = np.ones(len(rows), dtype=bool)
    for d in wide:
        if d not in dims:
            keep &= bit[d] == 1
    renumbered = sum((bit[d] << (len(dims) - 1 - j) for j, d in enumerate(dims)), np.zeros(len(rows), "int64"))
    out = rows.loc[keep].drop(columns=[d for d in wide if d not in dims and d in rows.columns])
    out["_gid"] = renumbered[keep].astype(rows["_gid"].dtype)
    return out.reset_index(drop=True)


class SharedRows:
    """`rows(spec, q)` for the engine's _table: each metric function runs once per metric,
    grain (q.periods) and widest breakdown; the rows of the last such run are kept."""

    def __init__(self, breakdowns: dict[str, list[tuple[str, ...]]]):
        self.widest = {name: widest(plan) for name, plan in breakdowns.items()}
        self.alone = COMPUTED_ALONE
        self.runs = 0  # metric-function runs, for the job-count test and the progress log
        self._last: tuple[tuple, pd.DataFrame, list] | None = None
        self._failed: set[tuple] = set()

    def __call__(self, spec: MetricSpec, q: Query) -> pd.DataFrame:
        wide = next((w for w in self.widest.get(spec.name, []) if set(q.dims) <= set(w)), None)
        if wide is None or q.filters or spec.name in self.alone:
            self.runs += 1
            return metric_rows(spec, q)  # not part of the plan: computed alone, as compute() would
        key = (spec.name, wide, tuple((p.start, p.end) for p in q.periods))
        if key in self._failed:
            self.runs += 1
            return metric_rows(spec, q)
        if self._last is None or self._last[0] != key:
            wide_q = replace(q, dims=list(wide))
            self.runs += 1
            try:
                rows = metric_rows(spec, wide_q)
            except Exception:  # the narrower tables may still work alone (the error, if it
                self._failed.add(key)  # is theirs too, is then reported for each of them)
                self.runs += 1
                return metric_rows(spec, q)
            if len(rows) and "_gid" not in rows:
                raise ValueError(f"{spec.name} returned rows without _gid for {list(wide)}")
            self._last = (key, rows, wide_q.periods)
        _, rows, periods = self._last
        q.periods = periods  # a family that replaces the periods (survey waves) did so on the wide run
        if list(q.dims) == list(wide):
            return rows.copy()  # finalize() adds columns to the frame it is given
        return narrowed(rows, list(wide), list(q.dims))
