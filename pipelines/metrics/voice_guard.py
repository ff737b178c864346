"""Differencing guard for survey results: refuse a filtered view that, compared with a wider
view anyone may also request, would single out fewer than k respondents.

Suppression protects the cells *within* one table. Filters make new tables, and two allowed
tables can be subtracted: "Engineering" minus "Engineering, levels L1-L5" is Engineering's
L6 respondents, even when both tables show only large groups. The guard checks, before a
filtered view is published, every *neighbouring* view one step wider:

- the same request with one or more filter dimensions removed (its parents), and
- the same request with one value taken out of a multi-value filter (its siblings: the
  difference is the group of that value).

For every cell both views publish (after their own suppression with the same k), the
difference in respondents must be 0 or at least k; otherwise the request is refused with
an explanation. A request without filters has no neighbours of this kind and is never
refused: breakdowns are protected by the table's own complementary suppression.

Limits (documented for users): the guard compares pairs of one-step neighbours, not
arbitrary sets of three or more queries, and cells of different metrics are not compared.
"""
from __future__ import annotations

from itertools import combinations
from typing import Callable

import pandas as pd

from ..errors import UsageError
from ._frame import Query
from ._suppression import suppression_mask

Filters = dict[str, list[str]]


class DifferencingRefused(UsageError):
    """A filtered view would reveal a small group by comparison with a wider view."""


def _clean(filters: Filters) -> Filters:
    return {d: list(dict.fromkeys(v)) for d, v in sorted(filters.items()) if v}


def neighbour_views(filters: Filters) -> list[tuple[str, Filters]]:
    """(what differs, filters) for every view one step wider than `filters`."""
    filters = _clean(filters)
    dims = list(filters)
    out: list[tuple[str, Filters]] = []
    for size in range(1, len(dims) + 1):
        for removed in combinations(dims, size):
            what = "without the filter on " + " and ".join(removed)
            out.append((what, {d: v for d, v in filters.items() if d not in removed}))
    for dim, values in filters.items():
        if len(values) > 1:
            for value in values:
                out.append((f"with {dim} = {value} taken out of the filter",
                            {**filters, dim: [v for v in values if v != value]}))
    return out


def published_counts(rows: pd.DataFrame, dims: list[str], keys: list[str], k: int) -> pd.DataFrame:
    """n of the cells a view publishes (after suppression with k), keyed by cell."""
    if rows.empty:
        return pd.DataFrame(columns=["period_start", *keys, "_gid", *dims, "n"])
    hidden, _ = suppression_mask(rows.reset_index(drop=True), dims, k, ["period_start", *keys])
    shown = rows.reset_index(drop=True).loc[~hidden, ["period_start", *keys, "_gid", *dims, "n"]]
    for d in dims:   # cells aggregated away on a dimension compare equal (pandas joins NaN keys)
        shown[d] = shown[d].astype(object).where(shown[d].notna(), None)
    return shown


def _describe(cell: pd.Series, dims: list[str], keys: list[str], labels: dict) -> str:
    gid = int(cell["_gid"])
    present = [d for j, d in enumerate(dims) if not (gid >> (len(dims) - 1 - j)) & 1]
    group = "|".join(str(cell[d]) for d in present) or "All"
    extra = "".join(f", {key} {cell[key]}" for key in keys)
    wave = labels.get(pd.Timestamp(cell["period_start"]).date(), cell["period_start"])
    return f"group {group} in survey {wave}{extra}"


def _filters_text(filters: Filters) -> str:
    return ", ".join(f"{d} = {', '.join(v)}" for d, v in _clean(filters).items()) or "no filter"


def refuse_differencing(q: Query, rows_for: Callable[[Filters], pd.DataFrame], keys: list[str]) -> None:
    """Raise DifferencingRefused if q's filtered view and a wider neighbour differ by 1..k-1
    respondents in a cell both publish. `rows_for(filters)` returns the metric's unsuppressed
    rows (period_start, keys, _gid, dims, n) for the same request with other filters."""
    if not _clean(q.filters):
        return
    k = int(q.params["k"])
    cell = ["period_start", *keys, "_gid", *q.dims]
    mine = published_counts(rows_for(q.filters), q.dims, keys, k)
    labels = {p.start: p.label for p in q.periods}
    for what, wider in neighbour_views(q.filters):
        theirs = published_counts(rows_for(wider), q.dims, keys, k)
        both = mine.merge(theirs, on=cell, suffixes=("", "_wider"))
        gap = both["n_wider"].astype(float) - both["n"].astype(float)
        small = both[(gap > 0) & (gap < k)]
        if len(small):
            raise DifferencingRefused(
                f"refused to protect anonymity: this view ({_filters_text(q.filters)}) and the same "
                f"view {what} ({_filters_text(wider)}) are both published, and for "
                f"{_describe(small.iloc[0], q.dims, keys, labels)} they differ by fewer than {k} "
                f"respondents, so subtracting one from the other would reveal the answers of that "
                f"small group. Widen or remove that filter, or break the results down by that "
                f"dimension instead of filtering (small groups are then suppressed).")
