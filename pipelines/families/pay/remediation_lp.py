"""The optimiser behind the remediation plan: a linear programme (a mixed-integer one when a
minimum raise is set), solved by HiGHS through scipy.optimize.milp.

Variables: the log raise d_j of every eligible person j, in [0, hi_j] - or in {0} u [lo_j, hi_j]
with a minimum raise lo_j, which takes one binary z_j (raised or not) per person.

Constraints, exact: beta_g(y + d) = beta_g(y) + W_g d >= goal for every targeted group g (the
re-fitted model is linear in ln pay, see remediation.py), plus any budget.

Objective: annual cost sum_j c_j (exp(d_j) - 1), c_j = FTE x annual pay in the reporting
currency. Each term is convex in d_j and is replaced by its chords between breakpoints spaced so
that no chord lies more than the cost tolerance above the curve. The chord slopes increase, so
a minimum fills each person's segments in order without integer variables. Optimality: with
f the true cost, g >= f the chords (equal at the breakpoints) and eps the largest gap between
them, the LP optimum d* and the true optimum d0 satisfy f(d*) <= g(d*) <= g(d0) <= f(d0) + eps:
the plan costs at most eps (n eligible x tolerance, reported) above the lowest possible, on top
of the rounding of each raise to a whole unit.

Why not a greedy rule: with one group and no factors the optimum is water-filling (raise the
lowest-paid first, to a common pay level, capped by each person's limit), but groups share the
factor coefficients, so a raise moves every group's beta and the minimum raise makes the choice
combinatorial; the (mixed-integer) LP handles both exactly. Variables and rows are scaled to
unit size: HiGHS's simplex stalls on pay-sized costs against per-person weights of ~1e-3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from ...errors import DataError

MAX_SEGMENTS = 400  # per person; a finer grid than the tolerance needs is never built
# presolve off: it only costs time on this shape (a few dense rows and bounds), several
# seconds on the first solve of the demo against a tenth of a second without
MIP_OPTIONS = {"mip_rel_gap": 1e-9, "time_limit": 120.0, "presolve": False}


@dataclass
class Result:
    status: str  # "optimal" or "infeasible"
    log_raise: np.ndarray  # per person (0 for everyone not raised)
    level: float = math.nan  # max_closure: the worst group's beta reached
    cost_bound: float = 0.0  # chord approximation bound (reporting currency)


class _Programme:
    """Variable layout: [segments..., z (people with a minimum raise)..., tau?]."""

    def __init__(self, rem, tol: float):
        people = np.flatnonzero(rem.eligible)
        owner, cost, length, bound = [], [], [], 0.0
        start = np.where(rem.lo > 0, rem.lo, 0.0)
        for j in people:
            a, b, c = start[j], rem.hi[j], rem.cost_weight[j]
            if b - a > 1e-12:
                # chord error on [p, p + h] is at most c e^(p+h) h^2 / 8
                h = math.sqrt(8 * tol / (c * math.exp(b)))
                points = np.linspace(a, b, min(MAX_SEGMENTS, max(1, math.ceil((b - a) / h))) + 1)
                f = c * np.expm1(points)
                slope = np.diff(f) / np.diff(points)
                owner += [j] * (len(points) - 1)
                cost += list(slope)
                length += list(np.diff(points))
                bound += _chord_error(c, points, slope)
        self.owner = np.asarray(owner, dtype=int)
        self.binary = people[rem.lo[people] > 0]
        self.n_seg, self.n_bin = len(self.owner), len(self.binary)
        self.cost = np.concatenate([cost, rem.cost_weight[self.binary] * np.expm1(rem.lo[self.binary])])
        self.upper = np.concatenate([length, np.ones(self.n_bin)])
        self.bound = bound
        # d = D x: a segment adds its length, z adds the minimum raise
        n = len(rem.y)
        rows = np.concatenate([self.owner, self.binary])
        vals = np.concatenate([np.ones(self.n_seg), rem.lo[self.binary]])
        self.D = sp.csr_matrix((vals, (rows, np.arange(self.n_seg + self.n_bin))), shape=(n, self.n_seg + self.n_bin))
        self.rem = rem

    def link_rows(self) -> list[LinearConstraint]:
        """sum of a person's segments / (hi - lo) - z <= 0: no segment without the minimum
        raise (divided by the span so every row is of unit size)."""
        if not self.n_bin:
            return []
        index = {j: i for i, j in enumerate(self.binary)}
        span = np.maximum(self.rem.hi[self.binary] - self.rem.lo[self.binary], 1e-12)
        seg = np.array([s for s in range(self.n_seg) if self.owner[s] in index], dtype=int)
        seg_row = np.array([index[j] for j in self.owner[seg]], dtype=int)
        rows = np.concatenate([seg_row, np.arange(self.n_bin)])
        cols = np.concatenate([seg, self.n_seg + np.arange(self.n_bin)])
        vals = np.concatenate([1 / span[seg_row], -np.ones(self.n_bin)])
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(self.n_bin, self.n_seg + self.n_bin))
        return [LinearConstraint(matrix, -np.inf, 0.0)]

    def solve(self, goal: float, budget: float | None, with_tau: bool, tau_max: float = 0.0) -> Result:
        rem = self.rem
        nx = self.n_seg + self.n_bin
        beta0 = rem.betas(rem.y)
        G = sp.csr_matrix(rem.W) @ self.D  # K x nx: beta gained per variable
        scale = np.maximum(np.abs(rem.W).max(axis=1), 1e-300) if len(beta0) else np.ones(0)
        cost_scale = max(float(np.abs(self.cost).max()) if nx else 1.0, 1e-300)
        constraints = self.link_rows()
        if with_tau:  # beta0 + G x - tau >= 0
            G = sp.hstack([G, sp.csr_matrix(-np.ones((len(beta0), 1)))]).tocsr()
            lower = -beta0
        else:
            lower = goal - beta0
        if len(beta0):
            constraints.append(LinearConstraint(sp.diags(1 / scale) @ G, lower / scale, np.inf))
        costs = np.concatenate([self.cost, [0.0]]) if with_tau else self.cost
        if budget is not None:
            constraints.append(LinearConstraint(sp.csr_matrix(costs / cost_scale), -np.inf, budget / cost_scale))
        constraints = [_pad(c, len(costs)) for c in constraints]
        integrality = np.concatenate([np.zeros(self.n_seg), np.ones(self.n_bin), [0] * with_tau])
        upper = np.concatenate([self.upper, [tau_max]]) if with_tau else self.upper
        lower_b = np.concatenate([np.zeros(nx), [-np.inf]]) if with_tau else np.zeros(nx)
        objective = np.concatenate([np.zeros(nx), [-1.0]]) if with_tau else costs / cost_scale
        if not len(costs):
            feasible = bool(np.all(beta0 >= goal)) if not with_tau else True
            return Result(
                "optimal" if feasible else "infeasible",
                np.zeros(len(rem.y)),
                level=min([tau_max, *beta0]) if with_tau else math.nan,
            )
        res = milp(
            objective,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lower_b, upper),
            options=MIP_OPTIONS,
        )
        if res.status == 2:
            return Result("infeasible", np.zeros(len(rem.y)))
        if res.x is None:
            raise DataError(f"the remediation optimiser (HiGHS) stopped without a plan: {res.message}")
        x = np.clip(res.x, lower_b, upper)
        d = np.asarray(self.D @ x[:nx]).ravel()
        return Result("optimal", d, level=float(x[-1]) if with_tau else math.nan, cost_bound=self.bound)


def _pad(c: LinearConstraint, width: int) -> LinearConstraint:
    matrix = sp.csr_matrix(c.A)
    if matrix.shape[1] < width:
        matrix = sp.hstack([matrix, sp.csr_matrix((matrix.shape[0], width - matrix.shape[1]))]).tocsr()
    return LinearConstraint(matrix, c.lb, c.ub)


def _chord_error(c: float, points: np.ndarray, slope: np.ndarray) -> float:
    """Largest gap between the chords and c (exp(d) - 1) over one person's segments."""
    p = points[:-1]
    t = np.clip(np.log(slope / c), p, points[1:])  # where the chord is furthest above
    gap = c * np.expm1(p) + slope * (t - p) - c * np.expm1(t)
    return float(gap.max(initial=0.0))


def _programme(rem, tolerance: float | None) -> _Programme:
    """The programme of `rem` for a chord tolerance (built once: the curve solves many)."""
    tol = float(tolerance or rem.settings.cost_tolerance)
    cache = rem.__dict__.setdefault("_programmes", {})
    if tol not in cache:
        cache[tol] = _Programme(rem, tol)
    return cache[tol]


def min_cost(rem, goal: float, budget: float | None = None, tolerance: float | None = None) -> Result:
    """Cheapest raises with every targeted group's beta >= goal (and cost <= budget)."""
    return _programme(rem, tolerance).solve(goal, budget, with_tau=False)


def max_closure(rem, goal: float, budget: float | None = None, tolerance: float | None = None) -> Result:
    """Raises that lift the worst targeted group's beta as high as possible (never past
    `goal`) within the budget and the limits; `level` is that beta."""
    return _programme(rem, tolerance).solve(goal, budget, with_tau=True, tau_max=goal)
