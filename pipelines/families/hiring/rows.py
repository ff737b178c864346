"""Row helpers shared by the hiring metrics: the suppression mask a metric's rows will get,
blanking of extra per-group columns, pandas CUBE for values SQL cannot aggregate (medians),
and the data-issue note on overall rows."""

from __future__ import annotations

from itertools import combinations
from typing import Callable

import numpy as np
import pandas as pd

from pipelines.metrics._frame import Query, group_positions
from pipelines.metrics._suppression import suppression_mask
from .funnel import funnel_data_issues


def published_mask(df: pd.DataFrame, q: Query, keys: list[str]) -> np.ndarray:
    """True where a row will be published: the very mask finalize() applies to these rows
    (same function, same k, same partitions, same row order), so values derived here from
    other rows (a reference rate) or kept in extra columns never come from a hidden row."""
    suppressed, _ = suppression_mask(df, list(q.dims), int(q.params["k"]), ["period_start", *keys])
    return ~suppressed


def long_rows(df: pd.DataFrame, keys: list[str], dims: list[str], extras=(), ci: bool = False) -> pd.DataFrame:
    """The columns a hiring metric hands the engine, in its order: the period, the metric's keys
    (stage ...), the dimensions and `_gid`, the figures (with the intervals when the metric
    computes its own: `ci`), the note, then the metric's extra columns."""
    intervals = ["ci_low", "ci_high"] if ci else []
    figures = ["numerator", "denominator", "value", *intervals, "n", "note"]
    return df[["period_start", "period_end", *keys, *dims, "_gid", *figures, *extras]]


def blank_unpublished(df: pd.DataFrame, shown: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """Extra columns are not blanked by the engine: blank them for every row it will hide."""
    for col in columns:
        if col not in df:
            continue
        values = df[col]
        if pd.api.types.is_bool_dtype(values):
            values = values.astype("boolean")
        elif pd.api.types.is_integer_dtype(values):
            values = values.astype("Int64")  # stays a whole number once blanked
        df[col] = values.where(shown)
    return df


def gid_of(kept: tuple[str, ...], dims: list[str]) -> int:
    """GROUPING() bits for a subset of dims: bit set (from the left) = dimension aggregated away."""
    return sum(1 << (len(dims) - 1 - j) for j, d in enumerate(dims) if d not in kept)


def cube_apply(
    rows: pd.DataFrame, dims: list[str], by: list[str], fn: Callable[[dict[str, np.ndarray]], dict], columns: list[str]
) -> pd.DataFrame:
    """fn({column: the group's values}) for every group of `by` x every subset of `dims` (GROUP
    BY by, CUBE(dims)), as rows with the dims (None when aggregated away) and `_gid` - what
    Query.grouped gives in SQL, for statistics SQL cannot aggregate such as a Kaplan-Meier
    median. fn gets numpy arrays of `columns` in the rows' order, not a sub-frame: building a
    sub-frame per group cost more than the statistic."""
    arrays = {c: rows[c].to_numpy() for c in columns}
    out = []
    for size in range(len(dims), -1, -1):
        for kept in combinations(dims, size):
            keys = [*by, *kept]
            for values, positions in group_positions(rows, keys):
                record = dict(zip(keys, values))
                record.update({d: None for d in dims if d not in kept})
                record["_gid"] = gid_of(kept, dims)
                record.update(fn({c: a[positions] for c, a in arrays.items()}))
                out.append(record)
    columns = [*by, *dims, "_gid"]
    return pd.DataFrame(out) if out else pd.DataFrame(columns=columns)


def add_issue_note(df: pd.DataFrame, q: Query) -> pd.DataFrame:
    """Say on every overall row what the funnel ignored or reinterpreted (never silently)."""
    issues = funnel_data_issues(q.con, q.config)
    issues = issues[~issues["issue"].str.contains("in progress")]
    if issues.empty or df.empty:
        return df
    text = "; ".join(f"{r.count:,} {r.issue} ({r.treatment})" for r in issues.itertuples())
    overall = df["_gid"] == (1 << len(q.dims)) - 1
    note = df["note"] if "note" in df else pd.Series("", index=df.index)
    df["note"] = note.fillna("").astype(object)
    df.loc[overall, "note"] = [f"{n}; {text}" if n else text for n in df.loc[overall, "note"]]
    return df
