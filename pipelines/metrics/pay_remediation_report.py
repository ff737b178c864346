"""Views of a remediation plan: the per-group summary, the total, the cost-to-close curve and
what binds (published), and the per-person rows (confidential).

Published counts and costs go through the shared suppression path (pay_groups.published_cells:
the n >= k rule plus complementary suppression against every margin), applied to the people
each count is about - the people raised, the people paid below prediction - so a group's
count cannot be worked out from the total and the other groups. A cost is shown only with its
published count. The per-person rows are only built on explicit request (the data owner's
`--include-individuals`), never for the dashboard or the PDF.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .pay_groups import published_cells
from .pay_regression import SEP
from .pay_remediation import (LIMIT_CAP, LIMIT_MAX, MET_LOG, Plan, Remediation, closest_pct, plan_for_target,
                              worst_gap_pct)
from .pay_snapshot import factor_column

CURVE_COLUMNS = ["point", "target_gap_pct", "annual_cost", "n_raised", "group", "gap_pct"]


def published_counts(rem: Remediation, mask: np.ndarray, dims: list[str] | None = None,
                     values=None) -> tuple[dict, float]:
    """({cell: count or NaN when suppressed}, total or NaN) of the people in `mask`, by the
    snapshot's groups (or by `dims` of `values`, a frame aligned with the people)."""
    frame = (rem.snap.people if values is None else values).loc[mask]
    dims = list(dims or rem.snap.dims)
    if frame.empty:
        return {}, 0
    cells = published_cells(frame.assign(_period=0), dims, rem.snap.k, ["_period"])
    inner = cells[cells["_gid"] == 0]
    counts = {SEP.join(str(v) for v in row[dims]): (np.nan if row["suppressed"] else int(row["n"]))
              for _, row in inner.iterrows()}
    top = cells[cells["_gid"] == cells["_gid"].max()].iloc[0]
    return counts, (np.nan if top["suppressed"] else int(top["n"]))


def _raised(rem: Remediation, plan: Plan) -> np.ndarray:
    return plan.new_salary > rem.salary


def summary(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Per group of the breakdown: n, people below predicted pay, people raised, annual cost,
    adjusted gap today and after the raises (re-measured), the target, whether it is met."""
    raised = _raised(rem, plan)
    cost = rem.annual_cost(plan.new_salary)
    below, _ = published_counts(rem, rem.below)
    n_raised, _ = published_counts(rem, raised)
    k = rem.snap.k
    rows = []
    for g in rem.targets:
        count = n_raised.get(g, 0)
        shown = not (isinstance(count, float) and math.isnan(count))
        after = plan.gaps_after[g]
        met = math.log1p(after / 100) >= math.log1p(-plan.target_pct / 100) - MET_LOG
        note = "" if shown else f"fewer than {k} people raised (or hidden to protect a smaller count): not shown"
        rows.append({"group": rem.label(g), "reference": rem.label(rem.snap.reference),
                     "n": int((rem.groups == g).sum()), "n_below_prediction": below.get(g, 0),
                     "n_raised": count, "annual_cost": float(cost[raised & (rem.groups == g)].sum()) if shown else np.nan,
                     "gap_before_pct": plan.gaps_before[g], "gap_after_pct": after,
                     "target_gap_pct": -plan.target_pct, "meets_target": met, "note": note})
    for g, reason in rem.skipped.items():
        rows.append({"group": rem.label(g), "reference": rem.label(rem.snap.reference), "n": np.nan,
                     "n_below_prediction": np.nan, "n_raised": np.nan, "annual_cost": np.nan,
                     "gap_before_pct": np.nan, "gap_after_pct": np.nan, "target_gap_pct": -plan.target_pct,
                     "meets_target": None, "note": reason})
    return pd.DataFrame(rows, columns=["group", "reference", "n", "n_below_prediction", "n_raised", "annual_cost",
                                       "gap_before_pct", "gap_after_pct", "target_gap_pct", "meets_target", "note"])


def total(rem: Remediation, plan: Plan) -> dict:
    """The plan's headline: cost and people raised (published or NaN), target, reachability."""
    raised = _raised(rem, plan)
    _, n_raised = published_counts(rem, raised)
    shown = not (isinstance(n_raised, float) and math.isnan(n_raised))
    return {"mode": plan.mode, "target_gap_pct": plan.target_pct, "level_pct": plan.level_pct,
            "annual_cost": float(rem.annual_cost(plan.new_salary).sum()) if shown else np.nan,
            "n_raised": n_raised, "reachable": plan.reachable, "budget": plan.budget,
            "cost_bound": plan.cost_bound if shown else np.nan,
            "currency": rem.snap.config["reporting_currency"]}


def binding(rem: Remediation, plan: Plan) -> list[str]:
    """Sentences on what stops a group reaching the target (empty when the plan meets it)."""
    out = []
    s = rem.settings
    limits = pd.DataFrame({"limit": np.where(plan.log_raise >= rem.hi - 1e-7, rem.hi_limit, "below its limit")})
    for g in rem.targets:
        if math.log1p(plan.gaps_after[g] / 100) >= math.log1p(-plan.target_pct / 100) - MET_LOG:
            continue
        members = rem.groups == g
        counts, _ = published_counts(rem, members & rem.eligible, ["limit"], limits)
        at = {name: counts.get(name, 0) for name in (LIMIT_CAP, LIMIT_MAX)}
        words = [f"{_count(at[LIMIT_CAP], rem.snap.k)} to predicted pay + {s.margin_pct:g}%",
                 f"{_count(at[LIMIT_MAX], rem.snap.k)} by the maximum raise of {s.max_raise_pct:g}%"
                 if s.max_raise_pct is not None else ""]
        text = (f"{rem.label(g)}: {plan.gaps_after[g]:.2f}% at best - every member paid below predicted pay is "
                f"raised to a limit ({', '.join(w for w in words if w)}); members at or above predicted pay are "
                "never raised")
        if (members & rem.below & ~rem.eligible).any():
            text += (f"; people paid less than {s.min_raise_pct:g}% below their limit cannot get the minimum "
                     "raise and are left out")
        out.append(text + ". A larger pay.remediation_max_raise_pct or pay.remediation_margin_pct gets closer.")
    return out


def _count(n, k: int) -> str:
    return f"fewer than {k} (or hidden)" if isinstance(n, float) and math.isnan(n) else f"{n:,}"


def cost_curve(rem: Remediation, points: int, progress=None) -> pd.DataFrame:
    """Least annual cost against the re-fitted adjusted gap, for common targets from today's
    worst gap down to 0 (or the closest the limits allow). Long rows: point, target_gap_pct,
    annual_cost, n_raised, group, gap_pct (only groups paid less than the reference today)."""
    worst, floor = worst_gap_pct(rem), closest_pct(rem)
    paid_less = [g for g in rem.targets if rem.gaps_pct(rem.y)[g] < 0]
    rows = []
    targets = np.linspace(worst, min(floor, worst), max(int(points), 2)) if paid_less else []
    for i, target in enumerate(targets):
        plan = plan_for_target(rem, float(target), refit=False)
        t = total(rem, plan)
        for g in paid_less:
            rows.append({"point": i, "target_gap_pct": float(target), "annual_cost": t["annual_cost"],
                         "n_raised": t["n_raised"], "group": rem.label(g), "gap_pct": plan.gaps_after[g]})
        if progress:
            progress(i + 1, len(targets))
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


def individual_rows(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Confidential: one row per person raised - why (gap to predicted pay, factors, the limit
    the raise stops at) and what to enter in the HR system (new FTE base salary in the
    person's own currency; raises rounded to whole units)."""
    raised = _raised(rem, plan)
    people = rem.snap.people
    predicted = np.exp(rem.pred) * rem.hours / rem.rate
    out = pd.DataFrame({
        "employee_id": people["employee_id"], "group": [rem.label(g) for g in rem.groups],
        "currency": rem.currency, "annual_pay": rem.salary.round(2), "predicted_annual_pay": predicted.round(2),
        "below_prediction_pct": (100 * -np.expm1(rem.y - rem.pred)).round(2),
        "new_annual_pay": plan.new_salary.round(2), "raise": (plan.new_salary - rem.salary).round(2),
        "raise_pct": (100 * (plan.new_salary / rem.salary - 1)).round(3), "limit": rem.limit_reached(plan.log_raise),
        "fte": rem.fte, "annual_cost": rem.annual_cost(plan.new_salary).round(2)})
    for f in rem.snap.factors:
        col = people[factor_column(f)]
        out[f] = col.round(2) if col.dtype.kind == "f" else col
    for c in people.columns:
        if c.startswith("x_") and c[2:] not in out:
            out[c[2:]] = people[c]
    return out[raised].reset_index(drop=True)


def describe(rem: Remediation, plan: Plan) -> list[str]:
    """The plan in sentences (CLI): model, constraints, method, cost, before -> after, what binds."""
    t, s, snap = total(rem, plan), rem.settings, rem.snap
    cur = t["currency"]
    top = "no maximum" if s.max_raise_pct is None else f"at most {s.max_raise_pct:g}%"
    lines = [f"Snapshot {snap.date}, reference {rem.label(snap.reference)}; adjusted model: ln hourly pay ~ "
             f"groups + {', '.join(snap.factors) or 'no factors'}.",
             f"Constraints: only people paid below their predicted pay are raised; a raise is at least "
             f"{s.min_raise_pct:g}% and {top} of base salary, and never above predicted pay + {s.margin_pct:g}%."]
    if plan.mode == "budget":
        lines.append(f"Budget {plan.budget:,.0f} {cur} a year: the worst adjusted gap it buys is "
                     f"-{plan.level_pct:.2f}% (target -{plan.target_pct:g}%).")
    if math.isnan(t["annual_cost"]):
        lines.append(f"Cost: not shown (fewer than {snap.k} people raised).")
    else:
        lines.append(f"Cost: {t['annual_cost']:,.0f} {cur} a year for {t['n_raised']:,} people raised - the least-cost "
                     f"plan (linear programme, HiGHS), at most {t['cost_bound']:,.0f} {cur} above the lowest possible; "
                     f"raises rounded {'up' if plan.mode == 'target' else 'down'} to whole units of each salary's "
                     "currency.")
    if plan.mode == "target" and not plan.reachable:
        lines.append(f"Target -{plan.target_pct:g}% not reachable under these constraints: the closest is a worst "
                     f"gap of -{plan.level_pct:.2f}%.")
    lines.append("Adjusted gap today -> after the raises (the model refitted on the new salaries, as "
                 "`equity pay adjusted` will measure it):")
    for _, row in summary(rem, plan).iterrows():
        if pd.isna(row["gap_before_pct"]):
            lines.append(f"  {row['group']}: not assessed - {row['note']}")
            continue
        extra = "" if row["meets_target"] else " (target not met)"
        lines.append(f"  {row['group']}: {row['gap_before_pct']:.2f}% -> {row['gap_after_pct']:.2f}%{extra}")
    lines += [f"  {text}" for text in binding(rem, plan)]
    if rem.fte_assumed:
        lines.append(f"{rem.fte_assumed} employee(s) without an FTE counted as full time for cost.")
    return lines
