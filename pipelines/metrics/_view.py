"""MetricFrame: fairlearn-style views over one metric's long table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ._engine import compute


@dataclass
class MetricFrame:
    """`table` is the suppressed long table; the views never un-suppress anything."""

    table: pd.DataFrame
    dims: tuple[str, ...]

    @property
    def overall(self) -> pd.DataFrame:
        return self.table[self.table["group"] == "All"].reset_index(drop=True)

    @property
    def by_group(self) -> pd.DataFrame:
        """Rows of the full requested breakdown (not the margins)."""
        return (
            self.table[self.table["dimensions"] == "|".join(self.dims)].reset_index(drop=True)
            if self.dims
            else self.overall
        )

    def _reference(self, reference: str | None) -> pd.Series:
        rows = self.by_group[~self.by_group["suppressed"]]
        if reference is not None:
            ref = rows[rows["group"] == reference]
        else:  # default reference: the group with the highest value in each period
            ref = rows.loc[rows.groupby("period_start")["value"].idxmax().dropna()]
        return ref.set_index("period_start")["value"]

    def difference(
        self, reference: str | None = None, method: Literal["to_reference", "between_groups"] = "to_reference"
    ) -> pd.DataFrame:
        """Per group and period: value - reference value (or max - min between groups)."""
        groups = self.by_group
        if method == "between_groups":
            shown = groups[~groups["suppressed"]].groupby("period_start")["value"]
            return (shown.max() - shown.min()).rename("difference").reset_index()
        ref = groups["period_start"].map(self._reference(reference))
        return groups.assign(difference=groups["value"] - ref)[["period_start", "group", "difference"]]

    def ratio(self, reference: str | None = None) -> pd.DataFrame:
        """Per group and period: value / reference value (impact-ratio style)."""
        groups = self.by_group
        ref = groups["period_start"].map(self._reference(reference))
        return groups.assign(ratio=groups["value"] / ref)[["period_start", "group", "ratio"]]


def metric_frame(con, name: str, by=(), **kwargs) -> MetricFrame:
    return MetricFrame(table=compute(con, name, by=by, **kwargs), dims=tuple(by))
