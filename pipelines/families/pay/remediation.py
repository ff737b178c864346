"""Remediation: the cheapest raises that bring every published group's adjusted gap to a
target *as the adjusted model re-measures it after the raises* (docs/metrics.md, "Remediation
plan").

Why the promise holds. The adjusted gap of group g is 1 - exp(beta_g) from the OLS of
y = ln(hourly pay) on a constant, group dummies and the legitimate factors
(regression.fit_adjusted). A raise changes y only, never the design X (factors, groups and
the population stay as they are), so the re-fitted coefficients are the fixed linear map
beta = X^+ y: raising person i by d_i log points moves beta_g by W[g, i] d_i, exactly. The
optimiser (pay_remediation_lp) therefore solves under the re-fitted model, not towards the first
fit's predictions. The plan is then rounded to whole currency units in each person's own salary
currency, converted back to hourly pay exactly as the build does (salary x FX rate of the
snapshot month / hours a year), and refitted with fit_adjusted: the "after" figures are that
refit, i.e. what `equity pay adjusted` will show once the raises are in the HR data.

Constraints (pay.remediation_* settings): only members of published, non-reference groups paid
below their predicted pay are raised - predicted pay is the full model with its group terms
left out (what the same factors are paid in the reference group), fitted on today's data; a
raise is either 0 or between the minimum and maximum raise (% of base salary) and never lifts
anyone above predicted pay x (1 + margin). Cost = sum over raised people of FTE x raise, in the
reporting currency (a blank FTE counts as full time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ...config import setting
from ...errors import UsageError
from . import remediation_lp as lp
from .analysis import PaySnapshot, published_groups
from .regression import fit_adjusted, gap_percent
from .snapshot import hours_per_year

SAFETY_LOG = 1e-6  # solve for the goal plus this (log points, 0.0001 percentage points), so
# solver tolerances and rounding never leave a group a hair short
MET_LOG = 1e-9  # a re-measured beta this close to the goal counts as meeting it
ROUNDING_ROUNDS = 5  # re-solves for the rounding shortfall (one is almost always enough)
LIMIT_CAP, LIMIT_MAX, LIMIT_MIN, LIMIT_PART = (
    "predicted pay + margin",
    "maximum raise",
    "minimum raise",
    "partial: the least-cost plan needs no more",
)


@dataclass(frozen=True)
class Settings:
    """The plan's constraints (percent of the person's base salary / of predicted pay)."""

    min_raise_pct: float = 0.0
    max_raise_pct: float | None = None
    margin_pct: float = 0.0
    cost_tolerance: float = 0.5
    curve_cost_tolerance: float = 5.0

    @classmethod
    def from_config(cls, config, **overrides) -> Settings:
        pay = setting(config, "pay")  # loaded: every remediation_* key is there (defaults.yml)

        def number(key, optional=False):
            value = overrides.get(key, pay[f"remediation_{key}"])
            if value is None and optional:
                return None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise UsageError(
                    f"pay.remediation_{key} must be a number >= 0{' or null' if optional else ''} (got {value!r})"
                )
            return float(value)

        out = cls(
            number("min_raise_pct"),
            number("max_raise_pct", optional=True),
            number("margin_pct"),
            number("cost_tolerance"),
            number("curve_cost_tolerance"),
        )
        if out.max_raise_pct is not None and out.max_raise_pct < out.min_raise_pct:
            raise UsageError(
                f"pay.remediation_max_raise_pct ({out.max_raise_pct:g}) is below "
                f"pay.remediation_min_raise_pct ({out.min_raise_pct:g})"
            )
        for key in ("cost_tolerance", "curve_cost_tolerance"):
            if getattr(out, key) <= 0:
                raise UsageError(f"pay.remediation_{key} must be above 0")
        return out


@dataclass
class Plan:
    """A solved, rounded and re-measured plan. Money: `new_salary` in each person's salary
    currency (whole units of raise), `cost` in the reporting currency."""

    mode: str  # "target" or "budget"
    target_pct: float  # the requested target gap (percent, >= 0)
    log_raise: np.ndarray  # the optimiser's raises (log points), before rounding
    new_salary: np.ndarray  # FTE annual base salary after the rounded raises
    new_ln_pay: np.ndarray  # ln hourly pay from new_salary, as the build computes it
    gaps_before: dict[str, float]  # adjusted gap today, percent (fit_adjusted)
    gaps_after: dict[str, float]  # re-measured: fit_adjusted on new_ln_pay
    reachable: bool  # every targeted group meets the target (re-measured)
    budget: float | None = None
    level_pct: float | None = None  # worst re-measured gap against the reference (percent, >= 0)
    cost_bound: float = 0.0  # the cost is at most this above the lowest possible


class Remediation:
    """The model pieces of one snapshot, the eligibility and limits of every person."""

    def __init__(self, snap: PaySnapshot, settings: Settings | None = None):
        self.snap = snap
        self.settings = settings or Settings.from_config(snap.config)
        people = snap.people
        self.y = snap.ln_pay()
        self.factors = snap.factor_matrix()
        self.groups = people["group"].astype(str).to_numpy()
        x0 = snap.design_without_groups().to_numpy(float)  # constant + factors
        others = sorted(set(self.groups) - {snap.reference})
        dummy = (
            np.column_stack([(self.groups == g).astype(float) for g in others])
            if others
            else np.zeros((len(people), 0))
        )
        full = np.column_stack([x0[:, :1], dummy, x0[:, 1:]])  # fit_adjusted's column order
        if len(people) <= full.shape[1]:
            raise UsageError(
                f"too few people for the adjusted model on {snap.date}: {len(people)} with pay "
                f"for {full.shape[1]} model terms (constant, groups, factor levels)"
            )
        pinv, estimable = _pinv_and_estimable(full)
        coef = pinv @ self.y
        # predicted pay = the full model with its group terms left out: what the factors are
        # paid in the reference group (a model without group terms would absorb part of the gap)
        self.pred = x0[:, :1] @ coef[:1] + x0[:, 1:] @ coef[1 + len(others) :]
        self.skipped = self._skipped(others, estimable[1 : 1 + len(others)])
        self.targets = [g for g in others if g not in self.skipped]
        self.W = (
            np.array([pinv[1 + others.index(g)] for g in self.targets]) if self.targets else np.zeros((0, len(people)))
        )
        self._money(people)
        self._limits()

    def _skipped(self, others, estimable) -> dict[str, str]:
        """Groups the plan cannot assess, with the reason (too small to publish, not estimable)."""
        shown = published_groups(self.snap)
        k = self.snap.k
        out = {}
        for g, ok in zip(others, estimable):
            if self.snap.reference not in shown:
                out[g] = f"the reference group has fewer than {k} people: no gap to close"
            elif g not in shown:
                out[g] = f"fewer than {k} people (or hidden to protect a smaller group): too small to assess"
            elif not ok:
                out[g] = "the adjusted model cannot separate this group from the factors: no gap estimate"
        return out

    def _money(self, people: pd.DataFrame) -> None:
        """Salary (own currency), FX rate and FTE of each person; hand-made frames without
        them are in the reporting currency."""
        hours = hours_per_year(self.snap.config)
        self.hours = hours
        annual = np.exp(self.y) * hours
        self.rate = people["rate"].to_numpy(float) if "rate" in people else np.ones(len(people))
        self.salary = people["salary"].to_numpy(float) if "salary" in people else annual / self.rate
        reporting = self.snap.config["reporting_currency"]
        self.currency = (
            people["currency"].astype(str).to_numpy() if "currency" in people else np.full(len(people), reporting)
        )
        fte = (
            pd.to_numeric(people["fte"], errors="coerce") if "fte" in people else pd.Series(np.nan, index=people.index)
        )
        self.fte_assumed = int(fte.isna().sum())
        self.fte = fte.fillna(1.0).to_numpy(float)
        self.cost_weight = self.fte * self.salary * self.rate  # annual cost of exp(d) - 1

    def _limits(self) -> None:
        s = self.settings
        member = np.isin(self.groups, self.targets)
        self.below = member & (self.y < self.pred)
        self.lo = np.full(len(self.y), math.log1p(s.min_raise_pct / 100))
        cap = self.pred + math.log1p(s.margin_pct / 100) - self.y
        top = math.inf if s.max_raise_pct is None else math.log1p(s.max_raise_pct / 100)
        self.hi = np.where(self.below, np.minimum(cap, top), 0.0)
        self.hi_limit = np.where(cap <= top, LIMIT_CAP, LIMIT_MAX)
        self.eligible = self.below & (self.hi >= self.lo) & (self.hi > 0)

    # -- model ----------------------------------------------------------------------------
    def betas(self, y: np.ndarray) -> np.ndarray:
        """beta of every targeted group for ln pay `y` (the re-fitted model: X fixed)."""
        return self.W @ y

    def label(self, g: str) -> str:
        return self.snap.label(g)

    def measure(self, ln_pay: np.ndarray) -> dict[str, float]:
        """Adjusted gap (percent) of every targeted group, fitted by fit_adjusted - the function
        `equity pay adjusted` fits - on the same people, factors and reference. Stops when that
        fit and the optimiser's linear model disagree (the plan would have been solved for a
        different model than the one that will re-measure it)."""
        with threadpool_limits(limits=1):  # a thin matrix: BLAS threads only contend
            fit = fit_adjusted(
                ln_pay, self.groups, self.snap.reference, self.factors, self.snap.config["pay"]["regression_cov_type"]
            )
        fitted = {g: fit["groups"][g]["beta"] for g in self.targets if g in fit["groups"]}
        mine = dict(zip(self.targets, self.betas(ln_pay)))
        worst = max([0.0, *(abs(fitted[g] - mine[g]) for g in fitted)])
        if worst > 1e-8 or len(fitted) != len(mine):
            raise UsageError(
                f"the remediation model and the adjusted-gap fit disagree by {worst:.2g} log "
                "points: no plan is given for a model that will not re-measure it"
            )
        return {g: float(gap_percent(b)) for g, b in fitted.items()}

    def gaps_pct(self, ln_pay: np.ndarray) -> dict[str, float]:
        """The re-fitted adjusted gaps from the linear map X^+ y (the least-squares solution
        fit_adjusted finds, without its standard errors): for the many points of a curve."""
        return {g: float(gap_percent(b)) for g, b in zip(self.targets, self.betas(ln_pay))}

    def gaps_before(self) -> dict[str, float]:
        if getattr(self, "_before", None) is None:
            self._before = self.measure(self.y)
        return self._before

    # -- money ----------------------------------------------------------------------------
    def rounded_salary(self, log_raise: np.ndarray, up: bool) -> np.ndarray:
        """New salaries with every raise rounded to a whole unit of the person's currency: up
        for a target (never short of it), down for a budget (never over it), and back inside
        the person's limits when rounding would cross one."""
        exact = self.salary * np.expm1(log_raise)
        raised = log_raise > 1e-12
        r = np.ceil(exact - 1e-6) if up else np.floor(exact + 1e-6)
        hi_cash = self.salary * np.expm1(self.hi)
        lo_cash = self.salary * np.expm1(self.lo)
        r = np.where(r > hi_cash + 1e-9, np.floor(hi_cash + 1e-9), r)
        r = np.where(raised & (r < lo_cash - 1e-9), np.minimum(np.ceil(lo_cash - 1e-9), np.floor(hi_cash + 1e-9)), r)
        return self.salary + np.where(raised, np.maximum(r, 0.0), 0.0)

    def ln_pay_of(self, salary: np.ndarray) -> np.ndarray:
        return np.log(salary * self.rate / self.hours)

    def annual_cost(self, new_salary: np.ndarray) -> np.ndarray:
        """Per person: FTE x raise in the reporting currency."""
        return self.fte * (new_salary - self.salary) * self.rate

    def limit_reached(self, log_raise: np.ndarray) -> np.ndarray:
        """Why each raise stops where it does (blank for people not raised)."""
        raised = log_raise > 1e-12
        at_hi = log_raise >= self.hi - 1e-7
        at_lo = (self.lo > 0) & (log_raise <= self.lo + 1e-7)
        out = np.where(at_hi, self.hi_limit, np.where(at_lo, LIMIT_MIN, LIMIT_PART))
        return np.where(raised, out, "")


def _pinv_and_estimable(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X^+ (numpy's pinv cut-off) and, per column, whether its coefficient is identified: a
    coefficient is not when the null space of X has a component along it (the column is a
    combination of the others). One SVD, on one thread: on a busy machine BLAS threads only
    contend for a matrix this thin."""
    with threadpool_limits(limits=1):
        u, sv, vt = np.linalg.svd(x, full_matrices=False)
    keep = sv > 1e-15 * sv.max()  # the rcond of numpy's and statsmodels' pinv
    pinv = (vt[keep].T / sv[keep]) @ u[:, keep].T
    null = vt[sv <= sv.max() * max(x.shape) * np.finfo(float).eps]  # numpy.linalg.matrix_rank's cut-off
    estimable = np.abs(null).max(axis=0) < 1e-8 if len(null) else np.ones(x.shape[1], bool)
    return pinv, estimable


def _finish(
    rem: Remediation, result, mode: str, target_pct: float, up: bool, refit: bool, budget: float | None = None
) -> Plan:
    d = result.log_raise
    salary = rem.rounded_salary(d, up)
    new_y = rem.ln_pay_of(salary)
    after = rem.measure(new_y) if refit else rem.gaps_pct(new_y)
    goal = math.log1p(-target_pct / 100)
    reachable = all(math.log1p(-after[g] / 100) >= goal - MET_LOG for g in after)  # beta = ln(1 - gap)
    level = max([0.0, *after.values()])
    raised = salary > rem.salary
    bound = result.cost_bound + float((rem.fte * rem.rate)[raised].sum())  # + rounding, < 1 unit each
    before = rem.gaps_before() if refit else rem.gaps_pct(rem.y)
    return Plan(
        mode, target_pct, d, salary, new_y, before, after, reachable, budget, level, bound if raised.any() else 0.0
    )


def _shortfall(rem: Remediation, salary: np.ndarray, goal: float) -> float:
    """How far the rounded plan's worst group is below `goal` (log points, 0 when met)."""
    betas = rem.betas(rem.ln_pay_of(salary))
    return max([0.0, *(goal - betas)])


def plan_for_target(rem: Remediation, target_pct: float, refit: bool = True) -> Plan:
    """The cheapest plan meeting the target; when the limits make that impossible, the plan
    that gets the worst group as close as the limits allow (reachable = False).

    Rounding raises up can still leave a group short by a few millionths of a log point (a
    raise stopped at a limit is rounded down); the goal is then raised by the shortfall and the
    plan solved again."""
    goal = math.log1p(-target_pct / 100)
    tol = rem.settings.cost_tolerance if refit else rem.settings.curve_cost_tolerance
    if np.all(rem.betas(rem.y) >= goal - MET_LOG):  # met today: nobody is raised
        return _finish(rem, lp.Result("optimal", np.zeros(len(rem.y))), "target", target_pct, up=True, refit=refit)
    extra = SAFETY_LOG
    for _ in range(ROUNDING_ROUNDS if refit else 1):  # a curve point is plotted where it lands
        result = lp.min_cost(rem, goal + extra, tolerance=tol)
        if result.status == "infeasible":
            closest = lp.max_closure(rem, goal + extra, tolerance=tol)
            result = lp.min_cost(rem, closest.level - SAFETY_LOG, tolerance=tol)
            break
        short = _shortfall(rem, rem.rounded_salary(result.log_raise, up=True), goal)
        if short <= MET_LOG:
            break
        extra += short + SAFETY_LOG
    return _finish(rem, result, "target", target_pct, up=True, refit=refit)


def plan_for_budget(rem: Remediation, budget: float, target_pct: float = 0.0, refit: bool = True) -> Plan:
    """The smallest worst gap the budget buys (never past the target), at the least cost.
    Raises are rounded down, so the rounded plan stays within the budget."""
    goal = math.log1p(-target_pct / 100)
    best = lp.max_closure(rem, goal + SAFETY_LOG, budget=budget)
    result = lp.min_cost(rem, best.level - SAFETY_LOG, budget=budget)
    return _finish(rem, result, "budget", target_pct, up=False, refit=refit, budget=budget)


def closest_pct(rem: Remediation) -> float:
    """The smallest worst gap (percent, >= 0) the limits allow at any cost."""
    # the level does not depend on the cost grid: the curve's (coarser, cached) programme will do
    level = lp.max_closure(rem, 0.0, tolerance=rem.settings.curve_cost_tolerance).level
    return max(0.0, float(gap_percent(level)))


def worst_gap_pct(rem: Remediation) -> float:
    """The largest gap against a targeted group now (0 when none is paid less)."""
    return max([0.0, *gap_percent(rem.betas(rem.y))])
