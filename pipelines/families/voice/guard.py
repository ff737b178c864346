"""Differencing guard for survey results: refuse a filtered view that, compared with a
neighbouring view anyone may also request, would single out fewer than k respondents.

Suppression protects the cells *within* one table. Filters make new tables, and two allowed
tables can be subtracted: "Engineering" minus "Engineering, levels L1-L5" is Engineering's
L6 respondents, even when both tables show only large groups. The guard checks, before a
filtered view is published, every *neighbouring* view, one step away:

- the same request with one or more filter dimensions removed (its parents), and
- the same request with one value taken out of a multi-value filter (its siblings: the
  difference is the group of that value).

For every cell both views could publish (at least k respondents in each: complementary
suppression may hide more, so treating those as published errs towards refusing, and keeps
the check to one query per view), the difference in respondents must be 0 or at least k;
otherwise the request is refused with an explanation. A neighbour that is itself refused (by the same rule, recursively) is never
published, so it does not count against the request: selecting every department is not
refused because "all but one department" would be. A request without filters has no
neighbours and is never refused: breakdowns are protected by the table's own complementary
suppression.

A request whose check would need more than `voice.guard_max_views` views is refused as too
complex to check (many filter values at once); a breakdown does the same job safely.

Limits (documented for users): the guard compares pairs of one-step neighbours, not
arbitrary sets of three or more queries; cells of different metrics are not compared; and a
filtered view is not checked against the unfiltered breakdown by the filter's dimension,
whose complementary suppression can hide a cell the filtered table shows.
"""

from __future__ import annotations

from itertools import combinations
from typing import Callable

import pandas as pd

from ...errors import UsageError
from ...metrics._frame import Query
from .sql import voice_settings

Filters = dict[str, list[str]]


class DifferencingRefused(UsageError):
    """A filtered view would reveal a small group by comparison with a wider view."""


def _clean(filters: Filters) -> Filters:
    return {d: list(dict.fromkeys(v)) for d, v in sorted(filters.items()) if v}


def neighbour_views(filters: Filters) -> list[tuple[str, Filters]]:
    """(what differs, filters) for every neighbouring view: a filter dimension (or several)
    removed, or one value taken out of a multi-value filter. Each has fewer filter values in
    total than `filters`, so following neighbours always ends at the unfiltered view."""
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
                out.append(
                    (
                        f"with {dim} = {value} taken out of the filter",
                        {**filters, dim: [v for v in values if v != value]},
                    )
                )
    return out


def published_counts(rows: pd.DataFrame, dims: list[str], keys: list[str], k: int) -> pd.DataFrame:
    """n of the cells a view may publish (n >= k: primary suppression only, see module doc),
    keyed by cell."""
    if rows.empty:
        return pd.DataFrame(columns=["period_start", *keys, "_gid", *dims, "n"])
    n = pd.to_numeric(rows["n"], errors="coerce")
    shown = rows.loc[n >= k, ["period_start", *keys, "_gid", *dims, "n"]].copy()
    for d in dims:  # cells aggregated away on a dimension compare equal (pandas joins NaN keys)
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


class _Views:
    """Published counts of the views reachable from one request, each computed once."""

    def __init__(self, q: Query, rows_for: Callable[[Filters], pd.DataFrame], keys: list[str]):
        self.q, self.rows_for, self.keys = q, rows_for, keys
        self.k = int(q.params["k"])
        self.max_views = int(voice_settings(q.config)["guard_max_views"])
        self.cell = ["period_start", *keys, "_gid", *q.dims]
        self._counts: dict[tuple, pd.DataFrame] = {}
        self._problems: dict[tuple, str | None] = {}

    @staticmethod
    def _key(filters: Filters) -> tuple:
        return tuple((d, tuple(sorted(v))) for d, v in _clean(filters).items())

    def counts(self, filters: Filters) -> pd.DataFrame:
        key = self._key(filters)
        if key not in self._counts:
            if len(self._counts) >= self.max_views:
                raise DifferencingRefused(
                    f"refused: checking that these filters ({_filters_text(self.q.filters)}) cannot single "
                    f"out fewer than {self.k} respondents would need more than {self.max_views} comparisons "
                    "(voice.guard_max_views). Use fewer filter values, or break the results down by that "
                    "dimension instead of filtering."
                )
            self._counts[key] = published_counts(self.rows_for(filters), self.q.dims, self.keys, self.k)
        return self._counts[key]

    def problem(self, filters: Filters) -> str | None:
        """Why `filters` must be refused, or None. A neighbour that is itself refused is
        never published, so a difference with it reveals nothing."""
        key = self._key(filters)
        if key in self._problems:
            return self._problems[key]
        self._problems[key] = None  # neighbours have fewer filter values: no cycles
        for what, other in neighbour_views(filters):
            both = self.counts(filters).merge(self.counts(other), on=self.cell, suffixes=("", "_other"))
            gap = (both["n_other"].astype(float) - both["n"].astype(float)).abs()
            small = both[(gap > 0) & (gap < self.k)]
            if len(small) and self.problem(other) is None:
                labels = {p.start: p.label for p in self.q.periods}
                self._problems[key] = (
                    f"refused to protect anonymity: this view ({_filters_text(filters)}) and the same "
                    f"view {what} ({_filters_text(other)}) can both be published, and for "
                    f"{_describe(small.iloc[0], self.q.dims, self.keys, labels)} they differ by fewer "
                    f"than {self.k} respondents, so subtracting one from the other would reveal the "
                    f"answers of that small group. Widen or remove that filter, or break the results "
                    f"down by that dimension instead of filtering (small groups are then suppressed)."
                )
                break
        return self._problems[key]


def refuse_differencing(q: Query, rows_for: Callable[[Filters], pd.DataFrame], keys: list[str]) -> None:
    """Raise DifferencingRefused if q's filtered view and a neighbouring view that can itself
    be published differ by 1..k-1 respondents in a cell both publish. `rows_for(filters)`
    returns the metric's unsuppressed rows (period_start, keys, _gid, dims, n) for the same
    request with other filters."""
    if not _clean(q.filters):
        return
    why = _Views(q, rows_for, keys).problem(q.filters)
    if why:
        raise DifferencingRefused(why)
