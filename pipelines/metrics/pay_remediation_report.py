"""Published views of a remediation: per-group summary, cost-to-close curve, individual rows.

Every aggregate over raised people hides its budget and count when fewer than k people are
raised (a total over one or two raises would be their pay rises); the individual rows are
confidential and only built on explicit request.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .pay_remediation import Plan, Remediation, budget_of, worst_gap_pct


def summary(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Per targeted group: n, candidates, raised, cost, adjusted gap before and after."""
    raises = rem.raises(plan)
    k = rem.snap.k
    rows = []
    for g in rem.targets:
        m = rem.members[g]
        raised = m & (raises["raise"].to_numpy() > 1e-9)
        n_raised = int(raised.sum())
        shown = n_raised == 0 or n_raised >= k
        rows.append({"group": rem.snap.label(g), "reference": rem.snap.label(rem.snap.reference),
                     "n": int(m.sum()), "n_below_prediction": int((m & (rem.y < rem.pred)).sum()),
                     "n_raised": n_raised if shown else np.nan,
                     "annual_cost": float(raises.loc[raised, "annual_cost"].sum()) if shown else np.nan,
                     "gap_before_pct": rem.gap_pct(g, rem.y), "gap_after_pct": plan.gaps_pct[g],
                     "target_gap_pct": -plan.target_pct,
                     "note": "" if shown else f"fewer than {k} people raised: cost not shown"})
    out = pd.DataFrame(rows)
    if len(out):   # the n_below_prediction of a group is a count of >= 0 people of a published group
        small = out["n_below_prediction"] < k
        out.loc[small, "n_below_prediction"] = np.nan
    return out


def total(rem: Remediation, plan: Plan) -> dict:
    cost, n_raised = budget_of(rem, plan)
    shown = n_raised == 0 or n_raised >= rem.snap.k
    return {"target_gap_pct": plan.target_pct, "annual_cost": cost if shown else np.nan,
            "n_raised": n_raised if shown else np.nan, "reachable": plan.reachable}


def cost_curve(rem: Remediation, points: int) -> pd.DataFrame:
    """Budget -> resulting adjusted gap, for targets from today's worst gap down to 0.

    Long rows: point, target_gap_pct, annual_cost, n_raised, group, gap_pct.
    """
    worst = worst_gap_pct(rem)
    # groups paid at least as much as the reference are never raised: not on the curve
    paid_less = [g for g in rem.targets if rem.gap_pct(g, rem.y) < 0]
    rows = []
    for i, target in enumerate(np.linspace(worst, 0.0, max(int(points), 2))):
        plan = rem.plan(float(target))
        t = total(rem, plan)
        for g in paid_less:
            rows.append({"point": i, "target_gap_pct": float(target), "annual_cost": t["annual_cost"],
                         "n_raised": t["n_raised"], "group": rem.snap.label(g), "gap_pct": plan.gaps_pct[g]})
    return pd.DataFrame(rows, columns=["point", "target_gap_pct", "annual_cost", "n_raised", "group", "gap_pct"])


def individual_rows(rem: Remediation, plan: Plan) -> pd.DataFrame:
    """Confidential: one row per person raised, with job attributes (only on explicit request)."""
    raises = rem.raises(plan)
    people = rem.snap.people
    jobs = {c: people[c] for c in people.columns if c.startswith("x_")}
    out = pd.concat([raises, pd.DataFrame({c[2:]: v for c, v in jobs.items()})], axis=1)
    return out[out["raise"] > 1e-9].reset_index(drop=True)
