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
bottom line (many groups x stages = many tests).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._frame import Query
from .hiring_funnel import stage_outcomes, withdrawn_counts
from .hiring_rows import add_issue_note, blank_unpublished, published_mask
from .hiring_stats import (below_threshold, fisher_p, holm, impact_ratio, katz_interval, pooled_z,
                           shortfall)

EXTRAS = ["selection_rate", "reference_group", "reference_rate", "pool_share", "z", "p_fisher",
          "p_holm", "shortfall", "flagged", "significant"]


def _settings(config: dict) -> dict:
    rec = config["recruiting"]
    return {"threshold": rec["adverse_impact_threshold"], "min_share": rec["reference_min_share"],
            "z": rec.get("significance_z", 2.0), "alpha": rec.get("significance_alpha", 0.05),
            "mode": rec.get("impact_reference", "highest_rate"),
            "fixed": config.get("reference_groups") or {},
            "non_answers": {str(v) for v in [*(rec.get("never_reference") or []),
                                             config["demographics"]["not_disclosed"],
                                             config["demographics"]["unknown_label"]]}}


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
    order = pool.assign(_label=[_label(r, kept) for _, r in pool.iterrows()]) \
        .sort_values(["value", "denominator", "_label"], ascending=[False, False, True], kind="stable")
    return order.index[0], fallback + "highest selection rate among eligible groups"


def _compare(df: pd.DataFrame, i, ref, s: dict) -> tuple[dict, list[str]]:
    a, n = int(df.at[i, "selected"]), int(df.at[i, "decided"])
    c, m = int(df.at[ref, "selected"]), int(df.at[ref, "decided"])
    low, high, corrected = katz_interval(a, n, c, m)
    z = pooled_z(a, n, c, m)
    flagged = below_threshold(a, n, c, m, s["threshold"])
    significant = bool(abs(z) >= s["z"]) if not math.isnan(z) else False
    out = {"value": impact_ratio(a, n, c, m), "ci_low": low, "ci_high": high, "z": z,
           "p_fisher": fisher_p(a, n, c, m), "shortfall": shortfall(a, n, c, m, s["threshold"]),
           "flagged": flagged, "significant": significant}
    notes = []
    if flagged:
        notes.append(f"below four-fifths: ratio {out['value']:.2f} < {s['threshold']}; "
                     f"{out['shortfall']:,} more selection(s) would reach it")
        notes.append(f"statistically significant (|z| = {abs(z):.2f} >= {s['z']})" if significant else
                     f"not statistically significant (|z| = {abs(z):.2f} < {s['z']}): could be chance")
    elif significant:
        notes.append(f"passes four-fifths but the difference is statistically significant "
                     f"(|z| = {abs(z):.2f} >= {s['z']})")
    if corrected:
        notes.append("interval with 0.5 added to each count (a zero count)")
    return out, notes


def adverse_impact_ratio(q: Query) -> pd.DataFrame:
    s = _settings(q.config)
    dims = list(q.dims)
    df = stage_outcomes(q, include_bottom_line=True).reset_index(drop=True)
    df["numerator"], df["denominator"], df["n"] = df["selected"], df["decided"].astype(float), df["decided"]
    df["selection_rate"] = df["selected"] / df["denominator"].where(df["denominator"] > 0)
    df["value"] = np.nan
    for col in ("ci_low", "ci_high", "reference_rate", "pool_share", "z", "p_fisher", "p_holm"):
        df[col] = np.nan
    df["shortfall"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["flagged"] = pd.array([False] * len(df), dtype="boolean")
    df["significant"] = pd.array([False] * len(df), dtype="boolean")
    df["reference_group"] = None
    shown = published_mask(df, q, ["stage"])
    all_gid = (1 << len(dims)) - 1
    counts_withdrawn = withdrawn_counts(q.config)
    notes: dict[int, list[str]] = {i: [] for i in df.index}
    for i in df.index:
        excluded = [f"{int(df.at[i, 'open']):,} still in progress" if df.at[i, "open"] else "",
                    f"{int(df.at[i, 'withdrawn']):,} withdrew" if df.at[i, "withdrawn"] and
                    not counts_withdrawn else ""]
        excluded = [e for e in excluded if e]
        if excluded:
            notes[i].append("not counted: " + " and ".join(excluded))
    pools = df[df["_gid"] == all_gid].set_index(["period_start", "stage"])["decided"]
    df["pool_share"] = [row.decided / pools.get((row.period_start, row.stage), np.nan)
                        if pools.get((row.period_start, row.stage), 0) else np.nan
                        for row in df.itertuples()]
    for (_, _, gid), part in df[df["_gid"] != all_gid].groupby(["period_start", "stage", "_gid"], sort=False):
        kept = _kept(int(gid), dims)
        part = part.assign(value=part["selection_rate"])
        big_enough = part["pool_share"] >= s["min_share"]
        answered = ~part[kept].astype(str).isin(s["non_answers"]).any(axis=1)
        eligible = pd.Series(shown[part.index], index=part.index) & big_enough & answered
        ref, how = _pick_reference(part, eligible, kept, s)
        for i in part.index[shown[part.index] & ~big_enough.to_numpy()]:
            notes[i].append(f"under {s['min_share']:.0%} of the pool: shown, never the reference")
        for i in part.index[shown[part.index] & ~answered.to_numpy()]:
            notes[i].append("not an answer about identity: compared, never the reference")
        if ref is None:
            for i in part.index:
                notes[i].insert(0, how)
            continue
        label = _label(df.loc[ref], kept)
        df.loc[part.index, "reference_group"] = label
        df.loc[part.index, "reference_rate"] = df.at[ref, "selection_rate"]
        df.at[ref, "value"] = 1.0
        notes[ref].insert(0, f"reference group ({how})")
        for i in part.index[shown[part.index]]:
            if i == ref:
                continue
            values, why = _compare(df, i, ref, s)
            for col, v in values.items():
                df.at[i, col] = v
            notes[i][:0] = why
    family = df.index[shown & df["p_fisher"].notna()]
    for _, idx in df.loc[family].groupby(["period_start", "_gid"]).groups.items():
        df.loc[idx, "p_holm"] = holm(df.loc[idx, "p_fisher"])
    df["note"] = ["; ".join(notes[i]) for i in df.index]
    df.loc[df["_gid"] == all_gid, "note"] = [
        "; ".join(["all applications: the pool groups are compared within", *notes[i]])
        for i in df.index[df["_gid"] == all_gid]]
    df = blank_unpublished(df, shown, EXTRAS)
    df = df[["period_start", "period_end", "stage", "next_stage", *dims, "_gid", "numerator",
             "denominator", "value", "ci_low", "ci_high", "n", "note", *EXTRAS]]
    return add_issue_note(df, q)
