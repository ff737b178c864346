"""Oaxaca-Blinder decomposition of the mean ln(hourly pay) gap between the reference group (A)
and one other group (B), with the conventions of statsmodels' OaxacaBlinder (swap=False,
reference first), which computes the parts:

- gap = mean(y_A) - mean(y_B) (log points; positive = B paid less)
- twofold, pooled (Jann 2008; Fortin 2008): beta* from one regression on both groups that
  includes the group indicator; explained = (xbar_A - xbar_B) beta*, unexplained =
  xbar_A (beta_A - beta*) + xbar_B (beta* - beta_B)
- threefold: endowments (xbar_A - xbar_B) beta_B, coefficients xbar_B (beta_A - beta_B),
  interaction (xbar_A - xbar_B)(beta_A - beta_B)

Each factor's contribution to the explained part is the sum over its columns (all the dummies
of job_level together), so no single small category is described on its own. Regressions use
the minimum-norm least-squares solution, like statsmodels' pinv, when a group lacks a level.

Published (protected) tables: the groups shown and their n are the protected counts (hidden iff
below k); every part moves by up to twice the largest change one person can make to the gap
(max |ln pay - group mean| / n over the two groups), keyed by the exact part, with the
identities kept (unexplained = gap - explained, interaction = gap - endowments - coefficients,
factor parts summing to the explained part). The exact path is the data owner's `--exact`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .analysis import PaySnapshot, published_groups, published_n
from .protect import DERIVED_SPREAD, one_person_scale, shifted


def _ols(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(x, y, rcond=None)[0]


def decompose(y, x: pd.DataFrame, in_b) -> dict:
    """Decompose mean(y[A]) - mean(y[B]); `x` includes the constant, `in_b` marks group B.

    The twofold and threefold parts are statsmodels' OaxacaBlinder (reference first, never
    swapped). Own code stays for the explained part per factor: statsmodels returns the totals
    only, and a page names factors (the pooled regression below, whose parts sum to explained)."""
    from statsmodels.stats.oaxaca import OaxacaBlinder

    y = np.asarray(y, dtype=float)
    xv = x.to_numpy(dtype=float)
    b = np.asarray(in_b, dtype=bool)
    ob = OaxacaBlinder(y, np.column_stack([xv, b.astype(float)]), bifurcate=xv.shape[1], hasconst=True, swap=False)
    unexplained, explained, gap = (float(v) for v in ob.two_fold(two_fold_type="pooled").params)
    endowments, coefficients, interaction, _ = (float(v) for v in ob.three_fold().params)
    pooled = _ols(y, np.column_stack([xv, b.astype(float)]))[:-1]
    contributions = pd.Series((xv[~b].mean(axis=0) - xv[b].mean(axis=0)) * pooled, index=x.columns)
    factors = contributions.groupby([c.split("=")[0] for c in x.columns], sort=False).sum()
    return {
        "gap": gap,
        "explained": explained,
        "unexplained": unexplained,
        "endowments": endowments,
        "coefficients": coefficients,
        "interaction": interaction,
        "factors": factors.drop(labels=["const"], errors="ignore"),
        "n_a": int((~b).sum()),
        "n_b": int(b.sum()),
    }


def decomposition_tables(snap: PaySnapshot) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(summary per group, explained part per factor) for every published group against the
    reference; a group is left out when it or the reference is suppressed."""
    shown = published_groups(snap)
    if snap.reference not in shown:
        return pd.DataFrame(), pd.DataFrame()
    summary, factors = [], []
    people = snap.people
    shown_n = published_n(snap)
    for group in sorted(shown - {snap.reference}):
        pair = people[people["group"].isin([snap.reference, group])].reset_index(drop=True)
        x = pd.DataFrame({"const": 1.0}, index=pair.index)
        x = pd.concat(
            [
                x,
                PaySnapshot(
                    snap.date, pair, snap.dims, snap.reference, snap.k, snap.config, factors=snap.factors
                ).factor_matrix(),
            ],
            axis=1,
        )
        if len(pair) <= x.shape[1]:
            continue
        ln_y = np.log(pair["hourly_pay"].to_numpy(float))
        res = decompose(ln_y, x, pair["group"] == group)
        if not snap.exact:
            in_b = (pair["group"] == group).to_numpy()
            res = _protected(snap, res, one_person_scale(ln_y[~in_b], ln_y[in_b]))
            res["n_a"], res["n_b"] = shown_n[snap.reference], shown_n[group]
        name = snap.label(group)
        gap = res["gap"]
        summary.append(
            {
                "group": name,
                "reference": snap.label(snap.reference),
                "n_reference": res["n_a"],
                "n_group": res["n_b"],
                "gap_log_points": gap,
                "raw_gap_pct": 100 * (1 - np.exp(-gap)),
                "explained": res["explained"],
                "unexplained": res["unexplained"],
                "explained_share": res["explained"] / gap if gap else np.nan,
                "endowments": res["endowments"],
                "coefficients": res["coefficients"],
                "interaction": res["interaction"],
            }
        )
        for factor, value in res["factors"].items():
            factors.append({"group": name, "factor": factor, "explained": float(value)})
        factors.append({"group": name, "factor": "unexplained", "explained": res["unexplained"]})
    summary, factors = pd.DataFrame(summary), pd.DataFrame(factors)
    if len(summary) and not snap.exact:
        for col in ("n_reference", "n_group"):
            summary[col] = summary[col].round().astype("Int64")
    if len(summary):  # largest group first, in both tables
        summary = summary.sort_values("n_group", ascending=False, kind="stable").reset_index(drop=True)
        order = {g: i for i, g in enumerate(summary["group"])}
        factors = factors.iloc[factors["group"].map(order).argsort(kind="stable")].reset_index(drop=True)
    return summary, factors


def _protected(snap: PaySnapshot, res: dict, scale: float) -> dict:
    """The parts of one decomposition as published: each moved by up to `scale` (one
    person's largest effect on the gap) x DERIVED_SPREAD, keyed by the exact part; the identities
    kept."""
    prot = snap.protection

    def move(kind, value):
        return float(shifted(prot, f"pay.oaxaca.{kind}", [value], scale, DERIVED_SPREAD)[0])

    out = dict(res)
    out["gap"] = move("gap", res["gap"])
    out["explained"] = move("explained", res["explained"])
    out["unexplained"] = out["gap"] - out["explained"]
    out["endowments"] = move("endowments", res["endowments"])
    out["coefficients"] = move("coefficients", res["coefficients"])
    out["interaction"] = out["gap"] - out["endowments"] - out["coefficients"]
    parts = res["factors"]
    if len(parts):
        moved = pd.Series(
            shifted(prot, "pay.oaxaca.factor", parts.to_numpy(float), scale, DERIVED_SPREAD), index=parts.index
        )
        out["factors"] = moved + (out["explained"] - moved.sum()) / len(moved)
    return out
