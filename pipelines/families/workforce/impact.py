"""Policy-event impact: segmented regression (interrupted time series) on a metric's
monthly series around an event from reference/events.csv.

Model, with t = months from the event month (0 = the first month on or after the event)
and post = 1 from that month on:

    value_t = b0 + b1 t + b2 post + b3 (t x post) + error

b2 is the level change at the event and b3 the change in slope per month, each with a 95%
interval from ordinary least squares (t distribution, n - 4 df). Only published monthly
values are used (the series comes from compute(), so hidden months are gaps); published
results (the default) are fitted to the protected monthly values, so the coefficients are
derived from protected figures only, and `exact=True` fits the data owner's exact series; partial
months and a month the event splits are left out. Adjacent months are not independent and
other things change at the same time, so the result is a description, never causal proof.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...db import has_table
from ...errors import UsageError
from ...metrics._engine import build_context, compute
from ...metrics._registry import registry
from .common import setting
from .stats import ols

CAUTION = (
    "This compares the monthly trend before and after the event. It is not proof that "
    "the event caused any change: other things change at the same time, and neighbouring "
    "months are not independent, so the intervals are if anything too narrow."
)
TERMS = ["baseline level", "baseline slope per month", "level change at event", "slope change per month"]


@dataclass
class ImpactResult:
    metric: str
    event: str
    event_date: dt.date
    group: str
    coefficients: pd.DataFrame  # term, estimate, ci_low, ci_high, p_value
    series: pd.DataFrame  # period, period_start, t, post, value, n, used, reason
    months_before: int
    months_after: int
    residual_autocorrelation: float  # lag-1, a warning sign when large
    caution: str = CAUTION
    notes: list[str] = field(default_factory=list)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def event_date(con, label: str) -> dt.date:
    """The date of the event with this label (case-insensitive); a clear error otherwise."""
    if not has_table(con, "fct_events"):
        raise UsageError("no events loaded: add reference/events.csv to the data folder and rebuild")
    rows = con.execute("SELECT event_date, label FROM fct_events ORDER BY event_date").fetchall()
    hits = [d for d, lab in rows if str(lab).strip().lower() == label.strip().lower()]
    if not hits:
        known = "; ".join(str(lab) for _, lab in rows) or "none"
        raise UsageError(f"no event labelled '{label}'; events: {known}")
    return hits[0]


def segmented_regression(t: np.ndarray, post: np.ndarray, y: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Coefficient table of value ~ 1 + t + post + t:post, and the residuals."""
    t, post, y = np.asarray(t, float), np.asarray(post, float), np.asarray(y, float)
    design = np.column_stack([np.ones_like(t), t, post, t * post])
    fit = ols(design, y)
    low, high = fit.ci()
    table = pd.DataFrame(
        {"term": TERMS, "estimate": fit.coef, "ci_low": low, "ci_high": high, "p_value": fit.p_values()}
    )
    return table, y - design @ fit.coef


def _series(con, metric: str, by: list[str], group: str, when: dt.date, months: int, k, filters, exact: bool = False):
    start = _add_months(dt.date(when.year, when.month, 1), -months)
    end = _add_months(dt.date(when.year, when.month, 1), months + (0 if when.day == 1 else 1)) - dt.timedelta(days=1)
    table = compute(con, metric, by=by, period="month", date_from=start, date_to=end, k=k, filters=filters, exact=exact)
    rows = table[(table["dimensions"] == "|".join(by)) & (table["group"] == group)].copy()
    if rows.empty:
        raise UsageError(f"no group '{group}' in {metric} by {'|'.join(by) or 'overall'}")
    event_month = when.year * 12 + when.month - 1
    starts = pd.to_datetime(rows["period_start"])
    rows["t"] = starts.dt.year * 12 + starts.dt.month - 1 - event_month + (0 if when.day == 1 else -1)
    rows["post"] = (rows["t"] >= 0).astype(int)
    reasons = np.select(
        [
            rows["suppressed"],
            rows["note"].str.contains("partial period"),
            rows["value"].isna(),
            (when.day != 1) & (starts.dt.year * 12 + starts.dt.month - 1 == event_month),
        ],
        ["hidden (small group)", "partial month", "no value", "month split by the event"],
        "",
    )
    rows["reason"] = reasons
    rows["used"] = rows["reason"] == ""
    return rows[["period", "period_start", "t", "post", "value", "n", "used", "reason"]].reset_index(drop=True)


def impact(
    con,
    metric: str,
    event: str,
    months: int | None = None,
    by=(),
    group: str | None = None,
    k: int | None = None,
    filters: dict[str, list[str]] | None = None,
    exact: bool = False,
) -> ImpactResult:
    spec = registry().get(metric)
    if spec is None:
        raise UsageError(f"unknown metric '{metric}'; `equity list` shows the registry")
    if spec.keys:
        raise UsageError(f"{metric} has one table per {', '.join(spec.keys)}; impact needs a single series")
    by = [d for d in by if d]
    if by and not group:
        raise UsageError("--by needs --group (e.g. --by gender --group Woman)")
    config = build_context(con)["config"]
    months = int(months or setting(config, "impact_months"))
    when = event_date(con, event)
    series = _series(con, metric, by, group or "All", when, months, k, filters, exact)
    used = series[series["used"]]
    before, after = int((used["post"] == 0).sum()), int((used["post"] == 1).sum())
    need = int(setting(config, "impact_min_months"))
    if before < need or after < need:
        raise UsageError(
            f"only {before} published month(s) before and {after} after {when} for "
            f"{group or 'All'}; the regression needs at least {need} on each side "
            f"(try more --months, or a larger group)"
        )
    coefficients, resid = segmented_regression(used["t"], used["post"], used["value"].astype(float))
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if len(resid) > 2 else float("nan")
    notes = (
        [
            f"{int((~series['used']).sum())} month(s) left out: "
            + ", ".join(
                f"{p} ({r})"
                for p, r in zip(series.loc[~series["used"], "period"], series.loc[~series["used"], "reason"])
            )
        ]
        if (~series["used"]).any()
        else []
    )
    return ImpactResult(
        metric=metric,
        event=event,
        event_date=when,
        group=group or "All",
        coefficients=coefficients,
        series=series,
        months_before=before,
        months_after=after,
        residual_autocorrelation=rho,
        notes=notes,
    )
