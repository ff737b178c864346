"""Kaplan-Meier retention curves per group over one observation window, and the log-rank
test between the groups shown.

Published curves (the default, `exact=False`) are protected: curves_protected.py
says how. The data owner's exact curves (`exact=True`, `--exact`): the groups of the breakdown (with their margins) go through the shared
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

from ...config import effective_k
from ...errors import UsageError
from ...privacy.keys import read_salt
from ...metrics._engine import build_context, compute, validate_dims
from ...metrics._snapshots import refuse_snapshot
from ...metrics._frame import Query
from ...metrics._periods import Period
from ...metrics._published import whole_years
from ...metrics._registry import registry
from ...metrics._suppression import suppression_mask
from .common import cube_rows, setting
from .curves_protected import CURVE_COLUMNS, one_value_filters, protected_curve, protected_logrank
from .retention import DAYS_PER_MONTH, survival_frame
from .survival import LogRank, at_risk_counts, kaplan_meier, logrank_test

OVERALL = "All"


@dataclass
class RetentionCurves:
    curves: pd.DataFrame  # group, tenure_months, survival, ci_low, ci_high, at_risk
    groups: pd.DataFrame  # every group of the breakdown: n, exits, published
    logrank: LogRank | None  # between the published groups (None with fewer than two)
    window: Period
    k: int
    dims: list[str]
    exact: bool = False  # True: the data owner's exact curves, not for publication


def _window(ctx: dict, date_from: dt.date | None, date_to: dt.date | None, exact: bool = False) -> Period:
    lo = max(ctx["history_start"], date_from) if date_from else ctx["history_start"]
    hi = min(ctx["as_of"], date_to) if date_to else ctx["as_of"]
    if lo > hi:
        raise UsageError(f"the requested range {lo} to {hi} is empty or outside the data")
    if not exact:  # published ranges are whole years (docs/privacy.md); the owner's are as asked
        lo, hi = whole_years(ctx, lo, hi)
    return Period(lo, hi, f"{lo} to {hi}")


def _labels(frame: pd.DataFrame, dims: list[str]) -> pd.Series:
    if not dims:
        return pd.Series(OVERALL, index=frame.index)
    return frame[dims].astype(str).apply(lambda r: "|".join(v.replace("|", "/") for v in r), axis=1)


def _curve(part: pd.DataFrame, grid_days: np.ndarray) -> pd.DataFrame:
    km = kaplan_meier(part["entry"], part["exit"], part["event"].astype(bool))
    cis = [km.ci_at(t) for t in grid_days]
    return pd.DataFrame(
        {
            "tenure_months": grid_days / DAYS_PER_MONTH,
            "survival": [km.survival_at(t) for t in grid_days],
            "ci_low": [c[0] for c in cis],
            "ci_high": [c[1] for c in cis],
            "at_risk": at_risk_counts(part["entry"].to_numpy(float), part["exit"].to_numpy(float), grid_days),
        }
    )


def _grid(frame: pd.DataFrame, config: dict) -> np.ndarray:
    step = float(setting(config, "curve_step_months"))
    top = float(frame["exit"].max()) if len(frame) else 0.0
    return np.arange(1, int(top / DAYS_PER_MONTH / step) + 1) * step * DAYS_PER_MONTH


def window_table(
    con,
    name: str,
    dims: list[str],
    window: Period,
    k: int | None,
    filters: dict[str, list[str]] | None,
    exact: bool = False,
) -> pd.DataFrame:
    """compute()'s long table of `name` over the curves' window as one custom period (whole
    years when published, as compute() requires of a custom range)."""
    if not exact:
        filters = {d: [v] for d, v in one_value_filters(filters).items()}
    return compute(
        con,
        name,
        by=dims,
        period="custom",
        date_from=window.start,
        date_to=window.end,
        k=k,
        filters=filters,
        exact=exact,
    )


def retention_curves(
    con,
    by=(),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    k: int | None = None,
    filters: dict[str, list[str]] | None = None,
    exact: bool = False,
) -> RetentionCurves:
    """The curves of every group of `by` (0-3 dimensions) over the window. Published
    (protected) by default; `exact=True` is the data owner's exact curves."""
    spec = registry()["retention_12m"]  # the curves accept what the KM metrics accept
    dims = validate_dims(spec, list(by))
    for dim in filters or {}:
        if dim not in spec.dimensions:
            raise UsageError(f"cannot filter retention curves by '{dim}'")
    if not exact:
        one_value_filters(filters)
    cur = con.cursor()
    try:
        refuse_snapshot(cur, spec)
        ctx = build_context(cur)
        config = ctx["config"]
        k_used = effective_k(config, k)
        # whole years only when published: a window one day shorter would differ by one
        # day's hires and leavers
        window = _window(ctx, date_from, date_to, exact)
        q = Query(
            con=cur,
            dims=dims,
            periods=[window],
            filters=dict(filters or {}),
            config=config,
            params={**ctx, "k": k_used},
        )
        frame = survival_frame(q)
    finally:
        cur.close()
    if not exact:
        return _published_curves(con, frame, dims, window, k_used, filters, config)
    groups = (
        cube_rows(frame, dims, [], lambda p: {"n": len(p), "exits": int(p["event"].sum())})
        if len(frame)
        else pd.DataFrame(columns=[*dims, "_gid", "n", "exits"])
    )
    groups["period_start"] = window.start
    hidden, _ = suppression_mask(groups, dims, k_used)
    groups["published"] = ~hidden
    finest = groups[groups["_gid"] == 0] if dims else groups.iloc[0:0]
    shown = _labels(finest, dims)[finest["published"].astype(bool)].tolist() if len(finest) else []
    frame["group"] = _labels(frame, dims)
    grid = _grid(frame, config)
    curves = [_curve(frame[frame["group"] == g], grid).assign(group=g) for g in shown]
    overall = _curve(frame, grid).assign(group=OVERALL)
    curves = _mask_points(overall, curves, k_used)
    people = frame[frame["group"].isin(shown)]
    test = logrank_test(people["entry"], people["exit"], people["event"], people["group"]) if len(shown) > 1 else None
    return RetentionCurves(
        curves=curves, groups=_group_table(groups, dims), logrank=test, window=window, k=k_used, dims=dims, exact=True
    )


def _published_curves(
    con, frame: pd.DataFrame, dims: list[str], window: Period, k: int, filters, config: dict
) -> RetentionCurves:
    """The protected curves: groups as median_tenure publishes them over the window (n,
    exits, hidden iff protected n < k), curves that step only over k exits."""
    salt = read_salt(con)
    table = window_table(con, "median_tenure", dims, window, k, filters)
    groups = pd.DataFrame(
        {
            "dimensions": table["dimensions"],
            "group": table["group"],
            "n": table["n"],
            "exits": table["numerator"],
            "suppressed": table["suppressed"].astype(bool),
        }
    )
    groups = groups.sort_values(["dimensions", "group"]).reset_index(drop=True)
    finest = groups[(groups["dimensions"] == "|".join(dims)) & ~groups["suppressed"]] if dims else groups.iloc[0:0]
    shown = finest["group"].tolist()
    frame["group"] = _labels(frame, dims)
    grid = _grid(frame, config)
    fixed = one_value_filters(filters)
    name = f"{window.start}..{window.end}"
    parts = [protected_curve(frame, grid, k, salt, name, fixed).assign(group=OVERALL)]
    for label in shown:
        part = frame[frame["group"] == label]
        if part.empty:
            continue
        constraints = {**fixed, **{d: str(part[d].iat[0]) for d in dims}}
        parts.append(protected_curve(part, grid, k, salt, name, constraints).assign(group=label))
    curves = pd.concat(parts, ignore_index=True)[CURVE_COLUMNS]
    test = protected_logrank(frame, shown, groups[groups["dimensions"] == "|".join(dims)], k, salt)
    return RetentionCurves(curves=curves, groups=groups, logrank=test, window=window, k=k, dims=dims)


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
    out = pd.DataFrame(
        {
            "dimensions": [
                "|".join(d for j, d in enumerate(dims) if not (int(g) >> (len(dims) - 1 - j)) & 1)
                for g in groups["_gid"]
            ],
            "group": [
                "|".join(
                    str(r[d]).replace("|", "/")
                    for j, d in enumerate(dims)
                    if not (int(r["_gid"]) >> (len(dims) - 1 - j)) & 1
                )
                or OVERALL
                for _, r in groups.iterrows()
            ],
            "n": groups["n"].where(groups["published"]),
            "exits": groups["exits"].where(groups["published"]),
            "suppressed": ~groups["published"],
        }
    )
    return out.sort_values(["dimensions", "group"]).reset_index(drop=True)


SUMMARY_METRICS = {"retention_12m": "12m", "retention_24m": "24m", "median_tenure": "median_months"}


def group_summary(con, res: RetentionCurves, filters: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The curve groups with their retention at 12 and 24 months and median tenure over the
    same window, each with its 95% interval - compute()'s cells, protected (or exact) as the
    curves are: the median is a protected magnitude, not one person's tenure."""
    out = res.groups.copy()
    for name, short in SUMMARY_METRICS.items():
        table = window_table(con, name, res.dims, res.window, res.k, filters, exact=res.exact)
        cols = table[["dimensions", "group", "value", "ci_low", "ci_high"]].rename(
            columns={"value": short, "ci_low": f"{short}_ci_low", "ci_high": f"{short}_ci_high"}
        )
        out = out.merge(cols, on=["dimensions", "group"], how="left")
    return out
