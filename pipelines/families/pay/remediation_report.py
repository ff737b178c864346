"""Views of a remediation plan: the per-group summary, the total, the cost-to-close curve and
what binds (published), and the per-person rows (confidential).

The optimiser works on exact data; only group-level figures are published. Published counts
are about the people each count names - the people raised, the people paid below prediction -
and go through groups.published_cells: protected counts hidden iff below k by default, the
n >= k rule plus complementary suppression on the data owner's exact path (`--exact`). A cost
is shown only with its published count; on the protected path costs are protected magnitudes
(up to 4/n of themselves, n the people raised) and adjusted gaps before and after move like
the long tables' adjusted gap (up to 2/n of themselves). The per-person rows are only built on
explicit request on the exact path (`--include-individuals --exact`), never for the dashboard
or the PDF.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...errors import UsageError
from ...privacy.protect import VALUE_SPREAD, protected_magnitude
from .analysis import published_n
from .groups import published_cells
from .regression import SEP
from .remediation import (
    LIMIT_CAP,
    LIMIT_MAX,
    MET_LOG,
    Plan,
    Remediation,
    closest_pct,
    plan_for_target,
    worst_gap_pct,
)
from .snapshot import factor_column
from ...formatting import group_label

CURVE_COLUMNS = ["point", "target_gap_pct", "annual_cost", "n_raised", "group", "gap_pct"]


def published_counts(
    rem: Remediation,
    mask: np.ndarray,
    dims: list[str] | None = None,
    values=None,
    counted: str = "pay.remediation.raised",
) -> tuple[dict, float]:
    """({cell: count or NaN when suppressed}, total or NaN) of the people in `mask`, by the
    snapshot's groups (or by `dims` of `values`, a frame aligned with the people); `counted`
    names who they are (their key on the protected path)."""
    frame = (rem.snap.people if values is None else values).loc[mask]
    dims = list(dims or rem.snap.dims)
    if frame.empty:
        return {}, 0
    cells = published_cells(
        frame.assign(_period=0), dims, rem.snap.k, ["_period"], rem.snap.protection, counted=counted
    )
    inner = cells[cells["_gid"] == 0]
    counts = {
        SEP.join(str(v) for v in row[dims]): (np.nan if row["suppressed"] else int(row["n"]))
        for _, row in inner.iterrows()
    }
    top = cells[cells["_gid"] == cells["_gid"].max()].iloc[0]
    return counts, (np.nan if top["suppressed"] else int(top["n"]))


def _raised(rem: Remediation, plan: Plan) -> np.ndarray:
    return plan.new_salary > rem.salary


def _raised_counted(plan: Plan) -> str:
    """Who the raised people are: the plan's raises depend on its target (or budget)."""
    goal = f"budget={plan.budget!r}" if plan.mode == "budget" else f"target={plan.target_pct!r}"
    return f"pay.remediation.raised|{goal}"


def _cost(rem: Remediation, cost: float, n: int) -> float:
    """A published cost: exact on the exact path, else a protected magnitude of n people."""
    if rem.snap.exact or not math.isfinite(cost):
        return cost
    return float(
        protected_magnitude(rem.snap.protection.salt, "pay.remediation.cost", np.array([cost]), np.array([max(n, 1)]))[
            0
        ]
    )


def _gap(rem: Remediation, kind: str, gap: float, n: int) -> float:
    """A published adjusted gap: moved like the long tables' adjusted gap (2/n of itself)."""
    if rem.snap.exact or not math.isfinite(gap):
        return gap
    return float(
        protected_magnitude(rem.snap.protection.salt, kind, np.array([gap]), np.array([max(n, 1)]), VALUE_SPREAD)[0]
    )


def summary(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Per group of the breakdown: n, people below predicted pay, people raised, annual cost,
    adjusted gap today and after the raises (re-measured), the target, whether it is met."""
    raised = _raised(rem, plan)
    cost = rem.annual_cost(plan.new_salary)
    below, _ = published_counts(rem, rem.below, counted="pay.remediation.below")
    n_raised, _ = published_counts(rem, raised, counted=_raised_counted(plan))
    sizes = published_n(rem.snap)
    k = rem.snap.k
    rows = []
    for g in rem.targets:
        count = n_raised.get(g, 0)
        shown = not (isinstance(count, float) and math.isnan(count))
        after = plan.gaps_after[g]
        met = meets_target(after, plan.target_pct)
        note = "" if shown else f"fewer than {k} people raised (or hidden to protect a smaller count): not shown"
        mine = raised & (rem.groups == g)
        n_g = int((rem.groups == g).sum())
        rows.append(
            {
                "group": rem.label(g),
                "reference": rem.label(rem.snap.reference),
                "n": int(sizes[g]),
                "n_below_prediction": below.get(g, 0),
                "n_raised": count,
                "annual_cost": _cost(rem, float(cost[mine].sum()), int(mine.sum())) if shown else np.nan,
                "gap_before_pct": _gap(rem, "adjusted_pay_gap.value", plan.gaps_before[g], n_g),
                "gap_after_pct": _gap(rem, "pay.remediation.gap_after", after, n_g),
                "target_gap_pct": plan.target_pct,
                "meets_target": met,
                "note": note,
            }
        )
    for g, reason in rem.skipped.items():
        rows.append(
            {
                "group": rem.label(g),
                "reference": rem.label(rem.snap.reference),
                "n": np.nan,
                "n_below_prediction": np.nan,
                "n_raised": np.nan,
                "annual_cost": np.nan,
                "gap_before_pct": np.nan,
                "gap_after_pct": np.nan,
                "target_gap_pct": plan.target_pct,
                "meets_target": None,
                "note": reason,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "group",
            "reference",
            "n",
            "n_below_prediction",
            "n_raised",
            "annual_cost",
            "gap_before_pct",
            "gap_after_pct",
            "target_gap_pct",
            "meets_target",
            "note",
        ],
    )


def total(rem: Remediation, plan: Plan) -> dict:
    """The plan's headline: cost and people raised (published or NaN), target, reachability."""
    raised = _raised(rem, plan)
    _, n_raised = published_counts(rem, raised, counted=_raised_counted(plan))
    shown = not (isinstance(n_raised, float) and math.isnan(n_raised))
    n = int(raised.sum())
    worst = max(plan.gaps_after, key=plan.gaps_after.get) if plan.gaps_after else None  # paid least
    n_worst = int((rem.groups == worst).sum()) if worst is not None else 1
    return {
        "mode": plan.mode,
        "target_gap_pct": plan.target_pct,
        "level_pct": _gap(rem, "pay.remediation.level", plan.level_pct, n_worst),
        "annual_cost": _cost(rem, float(rem.annual_cost(plan.new_salary).sum()), n) if shown else np.nan,
        "n_raised": n_raised,
        "reachable": plan.reachable,
        "budget": plan.budget,
        "cost_bound": _cost(rem, plan.cost_bound, n) if shown else np.nan,
        "currency": rem.snap.config["reporting_currency"],
    }


def meets_target(gap_pct: float, target_pct: float) -> bool:
    """A re-measured gap at or below the target, compared in log points (beta = ln(1 - gap)) as
    the optimiser solved it, so a plan solved to the target is never read as a hair short."""
    return math.log1p(-gap_pct / 100) >= math.log1p(-target_pct / 100) - MET_LOG


def binding(rem: Remediation, plan: Plan) -> list[str]:
    """Sentences on what stops a group reaching the target (empty when the plan meets it)."""
    out = []
    s = rem.settings
    limits = pd.DataFrame({"limit": np.where(plan.log_raise >= rem.hi - 1e-7, rem.hi_limit, "below its limit")})
    for g in rem.targets:
        if meets_target(plan.gaps_after[g], plan.target_pct):
            continue
        members = rem.groups == g
        counts, _ = published_counts(
            rem,
            members & rem.eligible,
            ["limit"],
            limits,
            counted=f"pay.remediation.at_limit|{g}|{_raised_counted(plan)}",
        )
        at = {name: counts.get(name, 0) for name in (LIMIT_CAP, LIMIT_MAX)}
        words = [
            f"{_count(at[LIMIT_CAP], rem.snap.k)} to predicted pay + {s.margin_pct:g}%",
            f"{_count(at[LIMIT_MAX], rem.snap.k)} by the maximum raise of {s.max_raise_pct:g}%"
            if s.max_raise_pct is not None
            else "",
        ]
        best = _gap(rem, "pay.remediation.gap_after", plan.gaps_after[g], int(members.sum()))
        text = (
            f"{rem.label(g)}: {best:.2f}% at best - every member paid below predicted pay is "
            f"raised to a limit ({', '.join(w for w in words if w)}); members at or above predicted pay are "
            "never raised"
        )
        if (members & rem.below & ~rem.eligible).any():
            text += (
                f"; people paid less than {s.min_raise_pct:g}% below their limit cannot get the minimum "
                "raise and are left out"
            )
        out.append(text + ". A larger pay.remediation_max_raise_pct or pay.remediation_margin_pct gets closer.")
    return out


def _count(n, k: int) -> str:
    return f"fewer than {k} (or hidden)" if isinstance(n, float) and math.isnan(n) else f"{n:,}"


def cost_curve(rem: Remediation, points: int, progress=None) -> pd.DataFrame:
    """Least annual cost against the re-fitted adjusted gap, for common targets from today's
    worst gap down to 0 (or the closest the limits allow). Long rows: point, target_gap_pct,
    annual_cost, n_raised, group, gap_pct (only groups paid less than the reference today)."""
    worst, floor = worst_gap_pct(rem), closest_pct(rem)
    paid_less = [g for g in rem.targets if rem.gaps_pct(rem.y)[g] > 0]
    rows = []
    targets = np.linspace(worst, min(floor, worst), max(int(points), 2)) if paid_less else []
    for i, target in enumerate(targets):
        plan = plan_for_target(rem, float(target), refit=False)
        t = total(rem, plan)
        for g in paid_less:
            gap = _gap(rem, "pay.remediation.gap_after", plan.gaps_after[g], int((rem.groups == g).sum()))
            rows.append(
                {
                    "point": i,
                    "target_gap_pct": float(target),
                    "annual_cost": t["annual_cost"],
                    "n_raised": t["n_raised"],
                    "group": rem.label(g),
                    "gap_pct": gap,
                }
            )
        if progress:
            progress(i + 1, len(targets))
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


def individual_rows(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Confidential: one row per person raised - why (gap to predicted pay, factors, the limit
    the raise stops at) and what to enter in the HR system (new FTE base salary in the
    person's own currency; raises rounded to whole units). Exact path only."""
    if not rem.snap.exact:
        raise UsageError(
            "individual remediation rows are payroll data for the data owner: ask for them with "
            "--include-individuals --exact (not for publication)"
        )
    raised = _raised(rem, plan)
    people = rem.snap.people
    predicted = np.exp(rem.pred) * rem.hours / rem.rate
    out = pd.DataFrame(
        {
            "employee_id": people["employee_id"],
            "group": [rem.label(g) for g in rem.groups],
            "currency": rem.currency,
            "annual_pay": rem.salary.round(2),
            "predicted_annual_pay": predicted.round(2),
            "below_prediction_pct": (100 * -np.expm1(rem.y - rem.pred)).round(2),
            "new_annual_pay": plan.new_salary.round(2),
            "raise": (plan.new_salary - rem.salary).round(2),
            "raise_pct": (100 * (plan.new_salary / rem.salary - 1)).round(3),
            "limit": rem.limit_reached(plan.log_raise),
            "fte": rem.fte,
            "annual_cost": rem.annual_cost(plan.new_salary).round(2),
        }
    )
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
    lines = [
        f"Snapshot {snap.date}, reference {rem.label(snap.reference)}; adjusted model: ln hourly pay ~ "
        f"groups + {', '.join(snap.factors) or 'no factors'}.",
        f"Constraints: only people paid below their predicted pay are raised; a raise is at least "
        f"{s.min_raise_pct:g}% and {top} of base salary, and never above predicted pay + {s.margin_pct:g}%.",
    ]
    if plan.mode == "budget":
        lines.append(
            f"Budget {plan.budget:,.0f} {cur} a year: the worst adjusted gap it buys is "
            f"{t['level_pct']:.2f}% (target {plan.target_pct:g}% or less)."
        )
    if math.isnan(t["annual_cost"]):
        lines.append(f"Cost: not shown (fewer than {snap.k} people raised).")
    else:
        lines.append(
            f"Cost: {t['annual_cost']:,.0f} {cur} a year for {t['n_raised']:,} people raised - the least-cost "
            f"plan (linear programme, HiGHS), at most {t['cost_bound']:,.0f} {cur} above the lowest possible; "
            f"raises rounded {'up' if plan.mode == 'target' else 'down'} to whole units of each salary's "
            "currency."
        )
    if plan.mode == "target" and not plan.reachable:
        lines.append(
            f"Target {plan.target_pct:g}% not reachable under these constraints: the closest is a worst "
            f"gap of {t['level_pct']:.2f}%."
        )
    lines.append(
        "Adjusted gap today -> after the raises (the model refitted on the new salaries, as "
        "`equity pay adjusted` will measure it):"
    )
    for _, row in summary(rem, plan).iterrows():
        if pd.isna(row["gap_before_pct"]):
            lines.append(f"  {group_label(row['group'])}: not assessed - {row['note']}")
            continue
        extra = "" if row["meets_target"] else " (target not met)"
        lines.append(
            f"  {group_label(row['group'])}: {row['gap_before_pct']:.2f}% -> {row['gap_after_pct']:.2f}%{extra}"
        )
    lines += [f"  {text}" for text in binding(rem, plan)]
    if rem.fte_assumed:
        lines.append(f"{rem.fte_assumed} employee(s) without an FTE counted as full time for cost.")
    return lines
