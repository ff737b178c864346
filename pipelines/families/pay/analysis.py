"""Shared set-up for the point-in-time pay analyses (decomposition, cohort review,
remediation): one snapshot date, the group each person belongs to, the model inputs.

The default date is the end of the latest *full* reporting year (a partial year's end is
not a year-end snapshot); any date inside the data window can be asked for.

Published by default: `pay_snapshot(..., exact=False)` attaches a Protection (protect.py), and
every analysis built on the snapshot publishes protected counts and figures. `exact=True` (the
data owner's `--exact`) leaves `protection` None: exact figures, n < k and complementary
suppression, not for publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from ...config import effective_k
from ...errors import UsageError
from ...metrics._engine import build_context, latest_full_data_period
from ...metrics._frame import Query, all_dimensions
from ...metrics._periods import Period
from .groups import reference_values, split_dims
from .protect import Protection, protection_for
from .factors import factor_names
from .regression import SEP, factor_matrix
from .snapshot import ln_pay, snapshot_frame


@dataclass
class PaySnapshot:
    """Everyone with a salary on `date`, their group (`group` column) and model inputs."""

    date: dt.date
    people: pd.DataFrame
    dims: list[str]
    reference: str
    k: int
    config: dict[str, Any]
    excluded: int = 0
    factors: list[str] = field(default_factory=list)
    protection: Protection | None = None  # None: the data owner's exact figures

    @property
    def exact(self) -> bool:
        return self.protection is None

    def label(self, group: str) -> str:
        return group.replace(SEP, "|")

    def ln_pay(self):
        return ln_pay(self.people)

    def factor_matrix(self) -> pd.DataFrame:
        return factor_matrix(self.people, self.factors)

    def design_without_groups(self) -> pd.DataFrame:
        """Constant + legitimate factors (the model remediation predicts pay from)."""
        x = self.factor_matrix()
        x.insert(0, "const", 1.0)
        return x


def pay_snapshot(
    con: duckdb.DuckDBPyConnection,
    by=("gender",),
    date: dt.date | None = None,
    filters: dict[str, list[str]] | None = None,
    k: int | None = None,
    extra_columns=(),
    exact: bool = False,
) -> PaySnapshot:
    """The pay population on `date` (default: latest full year end) grouped by `by`;
    protected for publication unless `exact`."""
    ctx = build_context(con)
    config = ctx["config"]
    dims = [d for d in by if d]
    compared, within = split_dims(dims, config)
    if not compared or within:
        raise UsageError(
            "group the analysis by group dimensions (gender, race_ethnicity, ...); "
            f"narrow it to a department, family, level or location with a filter (got {dims})"
        )
    for d in dims + list(filters or {}):
        if d not in all_dimensions():
            raise UsageError(f"unknown dimension '{d}'")
    date = date or latest_full_data_period(con, "year").end
    if not ctx["history_start"] <= date <= ctx["as_of"]:
        raise UsageError(f"{date} is outside the data ({ctx['history_start']} to {ctx['as_of']})")
    threshold = effective_k(config, k)
    protection = None if exact else protection_for(con, date, filters)
    factors = factor_names(config)
    q = Query(
        con=con.cursor(),
        dims=dims,
        periods=[Period(date, date, str(date))],
        filters=dict(filters or {}),
        config=config,
        params={**ctx, "k": threshold},
    )
    # category and cohort columns always come along (Art. 9(1)(g) categories, cohort review)
    extra = list(dict.fromkeys([*config["pay"]["worker_category"], *config["pay"]["cohort_columns"], *extra_columns]))
    frame = snapshot_frame(q, factors=factors, extra_columns=extra)
    refs = reference_values(frame, dims, config)
    people = frame[frame["has_pay"] & frame["has_factors"]].reset_index(drop=True)
    people["group"] = people[dims].astype(str).agg(SEP.join, axis=1)
    return PaySnapshot(
        date=date,
        people=people,
        dims=dims,
        reference=SEP.join(refs[d] for d in dims),
        k=threshold,
        config=config,
        factors=factors,
        excluded=int((~(frame["has_pay"] & frame["has_factors"])).sum()),
        protection=protection,
    )


def group_cells(snap: PaySnapshot) -> pd.DataFrame:
    """The breakdown's cells (`_gid` 0) with `n` (protected unless exact) and `suppressed`:
    exact path n >= k plus complementary suppression against every margin; protected path
    hidden iff the protected n is below k."""
    from .groups import published_cells

    cells = published_cells(snap.people.assign(_period=0), snap.dims, snap.k, ["_period"], snap.protection)
    full = cells[cells["_gid"] == 0].copy()
    full["group"] = full[snap.dims].astype(str).agg(SEP.join, axis=1) if len(full) else []
    return full


def published_groups(snap: PaySnapshot) -> set[str]:
    """Groups that may be shown (see group_cells)."""
    full = group_cells(snap)
    return set(full.loc[~full["suppressed"], "group"])


def published_n(snap: PaySnapshot) -> dict[str, float]:
    """{group: the n to publish} (protected unless exact)."""
    full = group_cells(snap)
    return dict(zip(full["group"], full["n"].astype(float)))
