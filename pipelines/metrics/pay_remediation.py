"""Remediation: the smallest raise budget that brings the adjusted gap to a target, and the
cost-to-close curve.

Method (a "floor below prediction" policy, as pay-equity tools offer it):
1. Predict each person's ln(hourly pay) from the adjusted model with its group terms left out
   (the pay of the same factors in the reference group).
2. A group is disadvantaged when its adjusted gap exp(beta) - 1 (the full model with group
   dummies) is below -target. Its members paid below their prediction are the candidates.
3. Group g gets a floor c_g >= 0 log points: every member is raised to at least
   prediction x exp(-c_g). A lower floor costs more and closes more of the gap; for each group
   the largest c_g (cheapest) whose refitted beta_g reaches ln(1 - target/100) is found by
   bisection. Groups interact only weakly (through the factor coefficients), so the floors are
   solved group by group in rounds until they stop moving.
Raising only changes y, so the refit is exact and cheap: beta = pinv(X) y with X fixed.

This is the smallest budget *of that policy*, not the unconstrained minimum (which would give
every raise to the lowest-paid members of the group). Costs are annual: the raise in FTE
salary times the person's FTE (a blank FTE counts as full time), in the reporting currency.

Privacy: only published groups (n >= k after complementary suppression) are targeted and
reported; a budget or count over fewer than k raised people is never published. Individual
rows exist only when asked for explicitly (`--include-individuals`), never on the dashboard.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .pay_analysis import PaySnapshot, published_groups
from .pay_snapshot import hours_per_year

BISECTION_STEPS = 60     # halvings of the floor interval: far below a cent of pay
MAX_ROUNDS = 50


@dataclass
class Plan:
    target_pct: float
    floors: dict[str, float]          # group -> c_g (log points below prediction); inf = no raise
    new_ln_pay: np.ndarray
    gaps_pct: dict[str, float]        # resulting adjusted gap per targeted group
    reachable: bool


class Remediation:
    """The fitted pieces for one snapshot; `plan(target)` solves the floors for a target."""

    def __init__(self, snap: PaySnapshot):
        self.snap = snap
        people = snap.people
        self.y = snap.ln_pay()
        x0 = snap.design_without_groups().to_numpy(float)
        groups = people["group"].to_numpy()
        others = sorted(set(groups) - {snap.reference})
        dummy = np.column_stack([(groups == g).astype(float) for g in others]) if others else np.zeros((len(people), 0))
        full = np.column_stack([x0[:, :1], dummy, x0[:, 1:]])
        pinv = np.linalg.pinv(full)
        self.weights = {g: pinv[1 + i] for i, g in enumerate(others)}   # beta_g = weights[g] @ y
        # predicted pay = the full model with its group terms left out: what the factors are
        # paid in the reference group (a model fitted without group terms would instead
        # absorb part of the gap into the prediction, and raising to it could not close it)
        coef = pinv @ self.y
        self.pred = x0[:, :1] @ coef[:1] + x0[:, 1:] @ coef[1 + len(others):]
        self.members = {g: groups == g for g in others}
        shown = published_groups(snap)
        self.targets = [g for g in others if g in shown and snap.reference in shown]
        fte = pd.to_numeric(people["fte"], errors="coerce")
        self.fte_assumed = int(fte.isna().sum())
        self.fte = fte.fillna(1.0).to_numpy(float)

    def beta(self, group: str, y: np.ndarray) -> float:
        return float(self.weights[group] @ y)

    def gap_pct(self, group: str, y: np.ndarray) -> float:
        return 100 * float(np.expm1(self.beta(group, y)))

    def raised(self, floors: dict[str, float]) -> np.ndarray:
        y = self.y.copy()
        for g, c in floors.items():
            if np.isfinite(c):
                m = self.members[g]
                y[m] = np.maximum(y[m], self.pred[m] - c)
        return y

    def plan(self, target_pct: float) -> Plan:
        goal = np.log1p(-target_pct / 100)
        floors = {g: np.inf for g in self.targets}
        todo = [g for g in self.targets if self.beta(g, self.y) < goal]
        reachable = True
        for _ in range(MAX_ROUNDS):
            moved = 0.0
            for g in todo:
                old = floors[g]
                floors[g] = self._floor(g, floors, goal)
                moved = max(moved, abs(old - floors[g]) if np.isfinite(old) else np.inf)
            if moved < 1e-12:
                break
        y = self.raised(floors)
        gaps = {g: self.gap_pct(g, y) for g in self.targets}
        reachable = all(self.beta(g, y) >= goal - 1e-9 for g in todo)
        return Plan(target_pct, floors, y, gaps, reachable)

    def _floor(self, group: str, floors: dict[str, float], goal: float) -> float:
        """Largest c (cheapest floor) for `group` with beta >= goal, others' floors fixed."""
        def ok(c):
            return self.beta(group, self.raised({**floors, group: c})) >= goal
        m = self.members[group]
        hi = float(max(np.max(self.pred[m] - self.y[m]), 0.0))   # c = hi: nobody raised
        if ok(hi):
            return np.inf
        if not ok(0.0):
            return 0.0    # even raising everyone to prediction is not enough
        lo = 0.0
        for _ in range(BISECTION_STEPS):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if ok(mid) else (lo, mid)
        return lo

    def raises(self, plan: Plan) -> pd.DataFrame:
        """Per person: annual FTE pay before/after and the annual cost (reporting currency)."""
        hours = hours_per_year(self.snap.config)
        before = np.exp(self.y) * hours
        after = np.exp(plan.new_ln_pay) * hours
        people = self.snap.people
        return pd.DataFrame({
            "employee_id": people["employee_id"], "group": people["group"].map(self.snap.label),
            "annual_pay": before.round(2), "predicted_annual_pay": (np.exp(self.pred) * hours).round(2),
            "new_annual_pay": after.round(2), "raise": (after - before).round(2),
            "raise_pct": (100 * (after / before - 1)).round(4), "fte": self.fte,
            "annual_cost": ((after - before) * self.fte).round(2),
        })


def budget_of(rem: Remediation, plan: Plan) -> tuple[float, int]:
    r = rem.raises(plan)
    raised = r["raise"] > 1e-9
    return float(r.loc[raised, "annual_cost"].sum()), int(raised.sum())


def worst_gap_pct(rem: Remediation) -> float:
    """The largest gap against a targeted group now (0 when none is paid less)."""
    gaps = [-rem.gap_pct(g, rem.y) for g in rem.targets]
    return max([0.0, *gaps])


def plan_for_budget(rem: Remediation, budget: float) -> Plan:
    """The most gap closure (smallest common target) whose budget stays within `budget`."""
    lo, hi = 0.0, worst_gap_pct(rem)     # budget(hi) = 0 <= budget
    if budget_of(rem, rem.plan(lo))[0] <= budget:
        return rem.plan(lo)
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        if budget_of(rem, rem.plan(mid))[0] > budget:
            lo = mid
        else:
            hi = mid
    return rem.plan(hi)
