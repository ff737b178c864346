"""Published Kaplan-Meier retention curves per group over one observation window, and the
log-rank test between the groups shown.

Privacy: the groups of the breakdown (with their margins) go through the shared
suppression (`suppression_mask`, complementary included) on their number of people; only
published groups get a curve. Along a curve, a point is shown only when at least k people
of the group were at risk at that tenure; a point of the overall curve is shown only when
the people at risk who belong to no shown group are none or at least k (otherwise the
overall minus the shown curves' risk sets would reveal a small group). The log-rank test
uses the published groups only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import effective_k
from ..errors import UsageError
from ._engine import build_context, validate_dims
from ._frame import Query
from ._periods import Period
from ._registry import registry
from ._suppression import suppression_mask
from .workforce_common import cube_rows, setting
from .workforce_retention import DAYS_PER_MONTH, survival_frame
from .workforce_survival import LogRank, at_risk_counts, kaplan_meier, logrank_test

OVERALL = "All"


@dataclass
class RetentionCurves:
    curves: pd.DataFrame        # group, tenure_months, survival, ci_low, ci_high, at_risk
    groups: pd.DataFrame        # every group of the breakdown: n, exits, published
    logrank: LogRank | None     # between the published groups (None with fewer than two)
    window: Period
    k: int
    dims: list[str]


def _window(ctx: dict, date_from: dt.date | None, date_to: dt.date | None) -> Period:
    lo = max(ctx["history_start"], date_from) if date_from else ctx["history_start"]
    hi = min(ctx["as_of"], date_to) if date_to else ctx["as_of"]
    if lo > hi:
        raise UsageError(f"the requested range {lo} to {hi} is empty or outside the data")
    from ._published import whole_years
    lo, hi = whole_years(ctx, lo, hi)   # published ranges are whole years (docs/privacy.md)
    return Period(lo, hi, f"{lo} to {hi}")


def _labels(frame: pd.DataFrame, dims: list[str]) -> pd.Series:
    if not dims:
        return pd.Series(OVERALL, index=frame.index)
    return frame[dims].astype(str).apply(lambda r: "|".join(v.replace("|", "/") for v in r), axis=1)


def _curve(part: pd.DataFrame, grid_days: np.ndarray) -> pd.DataFrame:
    km = kaplan_meier(part["entry"], part["exit"], part["event"].astype(bool))
    cis = [km.ci_at(t) for t in grid_days]
    return pd.DataFrame({
        "tenure_months": grid_days / DAYS_PER_MONTH,
        "survival": [km.survival_at(t) for t in grid_days],
        "ci_low": [c[0] for c in cis], "ci_high": [c[1] for c in cis],
        "at_risk": at_risk_counts(part["entry"].to_numpy(float), part["exit"].to_numpy(float), grid_days)})


def retention_curves(con, by=(), date_from: dt.date | None = None, date_to: dt.date | None = None,
                     k: int | None = None, filters: dict[str, list[str]] | None = None) -> RetentionCurves:
    spec = registry()["retention_12m"]          # the curves accept what the KM metrics accept
    dims = validate_dims(spec, list(by))
    for dim in filters or {}:
        if dim not in spec.dimensions:
            raise UsageError(f"cannot filter retention curves by '{dim}'")
    cur = con.cursor()
    try:
        ctx = build_context(cur)
        config = ctx["config"]
        k_used = effective_k(config, k)
        window = _window(ctx, date_from, date_to)
        q = Query(con=cur, dims=dims, periods=[window], filters=dict(filters or {}), config=config,
                  params={**ctx, "k": k_used})
        frame = survival_frame(q)
    finally:
        cur.close()
    groups = cube_rows(frame, dims, [], lambda p: {"n": len(p), "exits": int(p["event"].sum())}) \
        if len(frame) else pd.DataFrame(columns=[*dims, "_gid", "n", "exits"])
    groups["period_start"] = window.start
    hidden, _ = suppression_mask(groups, dims, k_used)
    groups["published"] = ~hidden
    finest = groups[groups["_gid"] == 0] if dims else groups.iloc[0:0]
    shown = _labels(finest, dims)[finest["published"].astype(bool)].tolist() if len(finest) else []
    frame["group"] = _labels(frame, dims)
    step = float(setting(config, "curve_step_months"))
    top = float(frame["exit"].max()) if len(frame) else 0.0
    grid = np.arange(1, int(top / DAYS_PER_MONTH / step) + 1) * step * DAYS_PER_MONTH
    curves = [_curve(frame[frame["group"] == g], grid).assign(group=g) for g in shown]
    overall = _curve(frame, grid).assign(group=OVERALL)
    curves = _mask_points(overall, curves, k_used)
    people = frame[frame["group"].isin(shown)]
    test = logrank_test(people["entry"], people["exit"], people["event"], people["group"]) \
        if len(shown) > 1 else None
    return RetentionCurves(curves=curves, groups=_group_table(groups, dims), logrank=test,
                           window=window, k=k_used, dims=dims)


def _mask_points(overall: pd.DataFrame, curves: list[pd.DataFrame], k: int) -> pd.DataFrame:
    """Blank points with fewer than k at risk; blank overall points whose at-risk remainder
    (people in no shown group) is between 1 and k-1."""
    shown_risk = np.zeros(len(overall))
    for c in curves:
        ok = c["at_risk"].to_numpy() >= k
        shown_risk += np.where(ok, c["at_risk"].to_numpy(), 0)
        c.loc[~ok, ["survival", "ci_low", "ci_high", "at_risk"]] = np.nan
    remainder = overall["at_risk"].to_numpy() - shown_risk
    bad = (overall["at_risk"].to_numpy() < k) | ((remainder > 0) & (remainder < k))
    overall.loc[bad, ["survival", "ci_low", "ci_high", "at_risk"]] = np.nan
    out = pd.concat([overall, *curves], ignore_index=True)
    return out[["group", "tenure_months", "survival", "ci_low", "ci_high", "at_risk"]]


def _group_table(groups: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """The groups as published: label, breakdown, n and exits (blank when hidden)."""
    out = pd.DataFrame({
        "dimensions": ["|".join(d for j, d in enumerate(dims) if not (int(g) >> (len(dims) - 1 - j)) & 1)
                       for g in groups["_gid"]],
        "group": ["|".join(str(r[d]).replace("|", "/") for j, d in enumerate(dims)
                           if not (int(r["_gid"]) >> (len(dims) - 1 - j)) & 1) or OVERALL
                  for _, r in groups.iterrows()],
        "n": groups["n"].where(groups["published"]),
        "exits": groups["exits"].where(groups["published"]),
        "suppressed": ~groups["published"]})
    return out.sort_values(["dimensions", "group"]).reset_index(drop=True)


SUMMARY_METRICS = {"retention_12m": "12m", "retention_24m": "24m", "median_tenure": "median_months"}


def group_summary(con, res: RetentionCurves, filters: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The curve groups with their retention at 12 and 24 months and median tenure over the
    same window, each with its 95% interval - taken from compute(), so suppressed alike."""
    from ._engine import compute
    out = res.groups.copy()
    for name, short in SUMMARY_METRICS.items():
        table = compute(con, name, by=res.dims, period="custom", date_from=res.window.start,
                        date_to=res.window.end, k=res.k, filters=filters)
        cols = table[["dimensions", "group", "value", "ci_low", "ci_high"]].rename(columns={
            "value": short, "ci_low": f"{short}_ci_low", "ci_high": f"{short}_ci_high"})
        out = out.merge(cols, on=["dimensions", "group"], how="left")
    return out
