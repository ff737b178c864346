"""adverse_impact_ratio: each group's selection rate at a stage (and for the bottom line)
divided by the reference group's rate, with the four-fifths flag, significance, a Katz
interval, Holm-adjusted p-values and the shortfall.

Reference (per period, stage and breakdown): by default the group with the highest rate, as
in the Uniform Guidelines (29 CFR 1607.4D), among groups that are published (a suppressed
group is never the reference: its rate would be published through every ratio) and hold at
least `recruiting.reference_min_share` of the stage's pool (smaller groups are shown and
compared, never the reference: one or two selections would otherwise set the bar for
everyone). With `impact_reference: reference_groups` the configured groups
(`reference_groups`, e.g. {gender: Man}) are the reference when eligible.

Holm: the family is every comparison in one breakdown and period, across all stages and the
bottom line (many groups x stages = many tests); in the stratified view, within one stratum.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipelines.config import setting
from pipelines.metrics._frame import Query
from .funnel import stage_outcomes, withdrawn_counts
from .rows import add_issue_note, blank_unpublished, gid_of, long_rows, published_mask
from pipelines.metrics._stats import holm_adjusted
from .stats import below_threshold, fisher_p, impact_ratio, katz_interval, pooled_z, shortfall

EXTRAS = [
    "selection_rate",
    "reference_group",
    "reference_rate",
    "pool_share",
    "z",
    "p_fisher",
    "p_holm",
    "shortfall",
    "flagged",
    "significant",
]


def _settings(config: dict) -> dict:
    rec = config["recruiting"]
    return {
        "threshold": rec["adverse_impact_threshold"],
        "min_share": rec["reference_min_share"],
        "z": rec["significance_z"],
        "alpha": rec["significance_alpha"],
        "mode": rec["impact_reference"],
        "fixed": setting(config, "reference_groups") or {},
        "non_answers": {
            str(v)
            for v in [
                *(rec["never_reference"] or []),
                config["demographics"]["not_disclosed"],
                config["demographics"]["unknown_label"],
            ]
        },
    }


def _label(row: pd.Series, kept: list[str]) -> str:
    return "|".join(str(row[d]).replace("|", "/") for d in kept) or "All"


def _kept(gid: int, dims: list[str]) -> list[str]:
    return [d for j, d in enumerate(dims) if not (gid >> (len(dims) - 1 - j)) & 1]


def _pick_reference(part: pd.DataFrame, eligible: pd.Series, kept: list[str], s: dict):
    """(index of the reference row or None, how it was chosen)."""
    pool = part[eligible & (part["denominator"] > 0)]
    if s["mode"] == "reference_groups" and kept and all(d in s["fixed"] for d in kept):
        target = pool
        for d in kept:
            target = target[target[d].astype(str) == str(s["fixed"][d])]
        if len(target):
            return target.index[0], "configured reference group"
        fallback = "configured reference group not usable here (too small or under the minimum share); "
    else:
        fallback = ""
    if pool.empty or not (pool["selected"] > 0).any():
        return None, "no group can be the reference (all too small, or no selections)"
    order = pool.assign(_label=[_label(r, kept) for _, r in pool.iterrows()]).sort_values(
        ["value", "denominator", "_label"], ascending=[False, False, True], kind="stable"
    )
    return order.index[0], fallback + "highest selection rate among eligible groups"


def _compare(df: pd.DataFrame, i, ref, s: dict) -> tuple[dict, list[str]]:
    a, n = int(df.at[i, "selected"]), int(df.at[i, "decided"])
    c, m = int(df.at[ref, "selected"]), int(df.at[ref, "decided"])
    low, high, corrected = katz_interval(a, n, c, m)
    z = pooled_z(a, n, c, m)
    flagged = below_threshold(a, n, c, m, s["threshold"])
    significant = bool(abs(z) >= s["z"]) if not math.isnan(z) else False
    out = {
        "value": impact_ratio(a, n, c, m),
        "ci_low": low,
        "ci_high": high,
        "z": z,
        "p_fisher": fisher_p(a, n, c, m),
        "shortfall": shortfall(a, n, c, m, s["threshold"]),
        "flagged": flagged,
        "significant": significant,
    }
    notes = []
    if flagged:
        notes.append(
            f"below four-fifths: ratio {out['value']:.2f} < {s['threshold']}; "
            f"{out['shortfall']:,} more selection(s) would reach it"
        )
        notes.append(
            f"statistically significant (|z| = {abs(z):.2f} >= {s['z']})"
            if significant
            else f"not statistically significant (|z| = {abs(z):.2f} < {s['z']}): could be chance"
        )
    elif significant:
        notes.append(
            f"passes four-fifths but the difference is statistically significant (|z| = {abs(z):.2f} >= {s['z']})"
        )
    if corrected:
        notes.append("interval with 0.5 added to each count (a zero count)")
    return out, notes


def adverse_impact_ratio(q: Query) -> pd.DataFrame:
    return impact_rows(q)


def impact_rows(
    q: Query,
    within: tuple[str, ...] | list[str] = (),
    outcomes: pd.DataFrame | None = None,
    shown: np.ndarray | None = None,
) -> pd.DataFrame:
    """The adverse-impact rows for every breakdown of q.dims. Dimensions in `within` are strata,
    not groups: a reference is chosen, and groups are compared, inside each of their values
    (the stratified view: dims = groups + department, compared within each department).
    `shown`: the rows that will be published, when not the exact path's suppression mask
    (the protected path passes its own: protected n >= k, published.py)."""
    s = _settings(q.config)
    dims = list(q.dims)
    within = [d for d in within if d in dims]
    df = _prepared(stage_outcomes(q, include_bottom_line=True) if outcomes is None else outcomes)
    shown = published_mask(df, q, ["stage"]) if shown is None else np.asarray(shown, dtype=bool)
    notes = _exclusion_notes(df, withdrawn_counts(q.config))
    df["pool_share"] = _pool_shares(df, dims, within)
    for (_, _, gid), part in df.groupby(["period_start", "stage", "_gid"], sort=False):
        kept = _kept(int(gid), dims)
        compare = [d for d in kept if d not in within]
        inner = [d for d in kept if d in within]
        if not compare:  # a pool (overall, or one stratum): nothing to compare it with
            for i in part.index:
                notes[i].insert(0, "all applications of this pool: the groups are compared within it")
            continue
        for _, sub in part.groupby(inner, sort=False, dropna=False) if inner else [(None, part)]:
            _compare_within(df, sub, compare, shown, s, notes)
    # Holm family: every comparison of one breakdown and period across stages - within one
    # stratum in the stratified view, which is one analysis per department (as a job group is)
    family = df.index[shown & df["p_fisher"].notna()]
    keys = ["period_start", "_gid", *within]
    for _, idx in df.loc[family].groupby(keys, dropna=False).groups.items():
        df.loc[idx, "p_holm"] = holm_adjusted(df.loc[idx, "p_fisher"])
    df["note"] = ["; ".join(notes[i]) for i in df.index]
    df = blank_unpublished(df, shown, EXTRAS)
    return add_issue_note(long_rows(df, ["stage", "next_stage"], dims, EXTRAS, ci=True), q)


def _prepared(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    df["numerator"], df["denominator"], df["n"] = df["selected"], df["decided"].astype(float), df["decided"]
    df["selection_rate"] = df["selected"] / df["denominator"].where(df["denominator"] > 0)
    df["value"] = np.nan
    for col in ("ci_low", "ci_high", "reference_rate", "pool_share", "z", "p_fisher", "p_holm"):
        df[col] = np.nan
    df["shortfall"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["flagged"] = pd.array([False] * len(df), dtype="boolean")
    df["significant"] = pd.array([False] * len(df), dtype="boolean")
    df["reference_group"] = None
    return df


def _exclusion_notes(df: pd.DataFrame, counts_withdrawn: bool) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    for i, open_, withdrew in zip(df.index, df["open"], df["withdrawn"]):
        parts = [
            f"{int(open_):,} still in progress" if open_ else "",
            f"{int(withdrew):,} withdrew" if withdrew and not counts_withdrawn else "",
        ]
        parts = [p for p in parts if p]
        notes[i] = ["not counted: " + " and ".join(parts)] if parts else []
    return notes


def _pool_shares(df: pd.DataFrame, dims: list[str], within: list[str]) -> list[float]:
    """Each row's share of its pool: the stage's decided applications overall, or in its
    stratum (the row with every compared dimension aggregated away)."""
    records = df[["period_start", "stage", "_gid", "decided", *dims]].to_dict("records")
    pools = {}
    for r in records:
        kept = _kept(int(r["_gid"]), dims)
        if all(d in within for d in kept):
            pools[(r["period_start"], r["stage"], int(r["_gid"]), tuple(r[d] for d in kept))] = r["decided"]
    shares = []
    for r in records:
        inner = [d for d in _kept(int(r["_gid"]), dims) if d in within]
        pool = pools.get((r["period_start"], r["stage"], gid_of(tuple(inner), dims), tuple(r[d] for d in inner)), 0)
        shares.append(r["decided"] / pool if pool else np.nan)
    return shares


def _compare_within(
    df: pd.DataFrame, part: pd.DataFrame, compare: list[str], shown, s: dict, notes: dict[int, list[str]]
) -> None:
    """Pick the reference among `part` (one breakdown in one pool) and compare the others to it."""
    part = part.assign(value=part["selection_rate"])
    big_enough = part["pool_share"] >= s["min_share"]
    answered = ~part[compare].astype(str).isin(s["non_answers"]).any(axis=1)
    eligible = pd.Series(shown[part.index], index=part.index) & big_enough & answered
    ref, how = _pick_reference(part, eligible, compare, s)
    for i in part.index[shown[part.index] & ~big_enough.to_numpy()]:
        notes[i].append(f"under {s['min_share']:.0%} of the pool: shown, never the reference")
    for i in part.index[shown[part.index] & ~answered.to_numpy()]:
        notes[i].append("not an answer about identity: compared, never the reference")
    if ref is None:
        for i in part.index:
            notes[i].insert(0, how)
        return
    df.loc[part.index, "reference_group"] = _label(df.loc[ref], compare)
    df.loc[part.index, "reference_rate"] = df.at[ref, "selection_rate"]
    df.at[ref, "value"] = 1.0
    notes[ref].insert(0, f"reference group ({how})")
    for i in part.index[shown[part.index]]:
        if i != ref:
            values, why = _compare(df, i, ref, s)
            for col, v in values.items():
                df.at[i, col] = v
            notes[i][:0] = why
