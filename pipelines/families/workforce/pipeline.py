"""The leaky pipeline: each group's share of every job level on the period end, and how
that share changes from one level to the next one up (1.0 = the group keeps its share)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...metrics._frame import Query
from ...metrics._suppression import suppression_mask
from .common import register_level_ranks

KEYS = ["job_level"]


def representation_by_level(q: Query) -> pd.DataFrame:
    """One table per job level: group's employees at the level / all employees at the level."""
    q.register_periods()
    inner = (
        f"SELECT p.period_start, p.period_end, s.employee_id, s.job_level AS job_level"
        f"{q.dim_select('s', 'p.period_end')} FROM q_periods p JOIN fct_employment_spells s "
        f"ON s.valid_from <= p.period_end AND p.period_end <= s.valid_to "
        f"WHERE true{q.filter_where('s', 'p.period_end')}"
    )
    df = q.frame(q.grouped(inner, {"numerator": "count(*)"}, keys=KEYS))
    all_gid = (1 << len(q.dims)) - 1
    totals = df[df["_gid"] == all_gid].set_index(["period_start", "job_level"])["numerator"]
    df["denominator"] = [float(totals.get((p, lvl), np.nan)) for p, lvl in zip(df["period_start"], df["job_level"])]
    df["value"] = df["numerator"] / df["denominator"]
    df["n"] = df["numerator"]
    return df


def pipeline_index(q: Query) -> pd.DataFrame:
    """Share at level L / share at the ranked level below. Published only where both shares
    are published in representation_by_level: otherwise the index and the share at L
    together would reveal a hidden share at the level below."""
    ranks = register_level_ranks(q).set_index("job_level")["level_rank"]
    rep = representation_by_level(q).reset_index(drop=True)
    dims = list(q.dims)
    hidden = suppression_mask(rep, dims, int(q.params["k"]), ["period_start", *KEYS])[0]
    rep["_hidden"] = hidden
    rep["_rank"] = rep["job_level"].map(ranks)
    ranked = rep.dropna(subset=["_rank"])
    order = sorted(ranked["_rank"].unique())
    below = dict(zip(order[1:], order[:-1]))
    cell = ["period_start", "_gid", *dims]
    lower = ranked[ranked["_rank"].isin(list(below.values()))][cell + ["_rank", "value", "n", "_hidden"]].copy()
    lower["_rank"] = lower["_rank"].map({v: k for k, v in below.items()})
    upper = ranked[ranked["_rank"].isin(list(below))]
    merged = upper.merge(lower, on=cell + ["_rank"], how="left", suffixes=("", "_below"))
    merged["numerator"] = merged["value"]
    merged["denominator"] = merged["value_below"]
    merged["value"] = merged["value"] / merged["value_below"].where(merged["value_below"] > 0)
    either_hidden = merged["_hidden"] | merged["_hidden_below"].fillna(True).astype(bool)
    merged["n"] = np.minimum(merged["n"], merged["n_below"].fillna(0)).where(~either_hidden)
    level_below = {lvl: None for lvl in ranks.index}
    names = {r: lvl for lvl, r in ranks.items()}
    level_below.update({names[u]: names[lo] for u, lo in below.items()})
    merged["level_below"] = merged["job_level"].map(level_below)
    return merged.drop(
        columns=[c for c in merged.columns if c.endswith("_below") and c != "level_below"] + ["_hidden", "_rank"]
    )
