"""Pay equity metrics: raw gaps (UK six measures, EU Art. 9), quartile shares, category gaps.

Each function returns unsuppressed long rows for every subset of the requested dimensions;
the engine adds suppression and labels. The population is the pay snapshot on each period
end (snapshot.py); the adjusted gap lives in regression.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...metrics._frame import Query
from .gaps import empty_rows, gap_rows
from .groups import reference_values, subsets
from .quartiles import QUARTILES, quartile_weights
from .snapshot import check_columns, excluded_note, extra_column, snapshot_frame

CATEGORY_JOIN = " × "
BASIC, VARIABLE = "basic", "variable"


def _k(q: Query) -> int:
    return int(q.params.get("k") or q.config["privacy"]["k"])


def _note_excluded(rows: pd.DataFrame, frame: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """The overall row says how many active employees had no salary (never dropped silently)."""
    all_gid = (1 << len(dims)) - 1
    for start in rows["period_start"].unique():
        note = excluded_note(frame, start)
        if note:
            mask = (rows["period_start"] == start) & (rows["_gid"] == all_gid)
            rows.loc[mask, "note"] = [f"{n}; {note}" if n else note for n in rows.loc[mask, "note"]]
    return rows


def _pay_gap(q: Query, stat: str) -> pd.DataFrame:
    frame = snapshot_frame(q)
    refs = reference_values(frame, q.dims, q.config)
    paid = frame[frame["has_pay"]]
    if paid.empty:
        return empty_rows(q.dims)
    rows = gap_rows(paid, q.dims, refs, _k(q), "hourly_pay", stat)
    return _note_excluded(rows, frame, q.dims)


def pay_gap_mean(q: Query) -> pd.DataFrame:
    return _pay_gap(q, "mean")


def pay_gap_median(q: Query) -> pd.DataFrame:
    return _pay_gap(q, "median")


def _bonus_gap(q: Query, stat: str) -> pd.DataFrame:
    frame = snapshot_frame(q, bonus=True)
    refs = reference_values(frame, q.dims, q.config)  # same reference as the pay gaps
    recipients = frame[frame["bonus"] > 0]
    if recipients.empty:
        return empty_rows(q.dims)
    return gap_rows(recipients, q.dims, refs, _k(q), "bonus", stat)


def bonus_gap_mean(q: Query) -> pd.DataFrame:
    return _bonus_gap(q, "mean")


def bonus_gap_median(q: Query) -> pd.DataFrame:
    return _bonus_gap(q, "median")


def bonus_receipt_rate(q: Query) -> pd.DataFrame:
    frame = snapshot_frame(q, bonus=True)
    frame["received"] = (frame["bonus"] > 0).astype(int)
    parts = []
    for gid, present in subsets(q.dims):
        agg = (
            frame.groupby(["period_start", "period_end", *present], dropna=False, sort=True)
            .agg(numerator=("received", "sum"), denominator=("received", "size"))
            .reset_index()
        )
        for d in q.dims:
            if d not in present:
                agg[d] = None
        agg["_gid"] = gid
        parts.append(agg)
    df = pd.concat(parts, ignore_index=True)
    df["value"] = df["numerator"] / df["denominator"]
    df["n"] = df["denominator"]
    return df


def pay_quartile_share(q: Query) -> pd.DataFrame:
    frame = snapshot_frame(q)
    paid = frame[frame["has_pay"]].reset_index(drop=True)
    bands = [f"_w{j}" for j in range(len(QUARTILES))]
    weights = np.zeros((len(paid), len(QUARTILES)))
    sizes = {}
    for start, positions in paid.groupby("period_start", sort=True).indices.items():
        weights[positions] = quartile_weights(paid["hourly_pay"].to_numpy()[positions])
        sizes[start] = weights[positions].sum(axis=0)
    paid[bands] = weights
    # one groupby per breakdown over every period and band (the sums per group are the same
    # rows in the same order as a groupby per period and band), sliced in that order below
    sums = {
        gid: paid.groupby(["period_start", "period_end", *present], dropna=False, sort=True)[bands].sum().reset_index()
        for gid, present in subsets(q.dims)
    }
    parts = []
    for start in sorted(sizes):
        for j, name in enumerate(QUARTILES):
            for gid, present in subsets(q.dims):
                table = sums[gid]
                agg = table.loc[table["period_start"] == start, ["period_start", "period_end", *present, bands[j]]]
                agg = agg.rename(columns={bands[j]: "numerator"}).reset_index(drop=True)
                for d in q.dims:
                    if d not in present:
                        agg[d] = None
                agg["_gid"], agg["quartile"], agg["denominator"] = gid, name, round(sizes[start][j], 9)
                parts.append(agg)
    if not parts:
        return empty_rows(q.dims, ["quartile"])
    df = pd.concat(parts, ignore_index=True)
    df["numerator"] = df["numerator"].round(9)  # fractional people from split ties
    df["value"] = df["numerator"] / df["denominator"]
    df["n"] = df["numerator"]
    rows = df[df["numerator"] > 0].reset_index(drop=True)
    return _note_excluded(rows.assign(note=""), frame, q.dims)


def category_frame(q: Query, with_bonus: bool) -> pd.DataFrame:
    """Snapshot with a `category` label (pay.worker_category columns joined by ' × ')."""
    columns = check_columns(q.config["pay"]["worker_category"])
    frame = snapshot_frame(q, extra_columns=columns, bonus=with_bonus)
    labels = [frame[extra_column(c)].fillna(q.config["demographics"]["unknown_label"]).astype(str) for c in columns]
    frame["category"] = labels[0].str.cat(labels[1:], sep=CATEGORY_JOIN) if len(labels) > 1 else labels[0]
    return frame


def pay_gap_by_category(q: Query) -> pd.DataFrame:
    from ...db import has_table

    with_bonus = has_table(q.con, "fct_bonuses")
    frame = category_frame(q, with_bonus)
    refs = reference_values(frame, q.dims, q.config)
    paid = frame[frame["has_pay"]]
    parts = [paid.assign(component=BASIC, _pay=paid["hourly_pay"])]
    if with_bonus:  # variable pay per worker of the category, zeros included
        parts.append(paid.assign(component=VARIABLE, _pay=paid["bonus"]))
    long = pd.concat(parts, ignore_index=True)
    if long.empty:
        return empty_rows(q.dims, ["category", "component"])
    # a category whose reference group earns no variable pay has no variable gap (gap_interval)
    return gap_rows(long, q.dims, refs, _k(q), "_pay", "mean", keys=["category", "component"])
