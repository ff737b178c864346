"""Targets from equity.yml: progress so far and a straight-line projection to the due date.

A target is `{metric, dimensions, group, value, due, filters}` (dimensions and group may be
lists for an intersectional group). Progress uses the metric's published yearly values of
full periods (suppressed years are gaps, never zeros). The projection is the least-squares
line through those values against time, evaluated at the due date, with the 95%
confidence interval of the line there; it needs `workforce.target_min_periods` years.
Published progress (the default) uses the protected yearly values, so the baseline, latest
value and projection are derived from protected figures only; `exact=True` is the data
owner's exact series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ...config import setting as setting_of
from ...errors import DataError
from ...metrics._engine import build_context, compute
from ...metrics._periods import full_period_rows
from ...metrics._registry import registry
from .common import setting
from .stats import ols
from ...formatting import group_label

SOURCE = "equity.yml"


@dataclass(frozen=True)
class Target:
    index: int
    metric: str
    dims: tuple[str, ...]
    group: str
    value: float
    due: dt.date
    filters: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        where = "; ".join(f"{d.replace('_', ' ')} in {', '.join(map(str, v))}" for d, v in self.filters.items())
        return f"{registry()[self.metric].title}, {group_label(self.group)}{f' ({where})' if where else ''}"


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else ([str(value)] if value else [])


def parse_targets(config: dict) -> list[Target]:
    """The configured targets, checked: a DataError names the entry and the field."""
    out = []
    for i, raw in enumerate(setting_of(config, "targets") or []):
        where = f"targets[{i}]"
        if not isinstance(raw, dict):
            raise DataError(f"{where} must be a mapping with metric, group, value and due", file=SOURCE)
        spec = registry().get(raw.get("metric"))
        if spec is None:
            raise DataError(f"{where}.metric: unknown metric {raw.get('metric')!r}", file=SOURCE)
        dims, group = _as_list(raw.get("dimensions")), _as_list(raw.get("group"))
        bad = [d for d in dims if d not in spec.dimensions]
        if bad or len(dims) != len(group):
            raise DataError(
                f"{where}: dimensions {dims} and group {group} must match one to one and be allowed for {spec.name}",
                file=SOURCE,
            )
        try:
            value = float(raw["value"])
            due = pd.Timestamp(str(raw["due"])).date()
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where}: value must be a number and due a date (YYYY-MM-DD)", file=SOURCE) from None
        filters = {str(d): _as_list(v) for d, v in (raw.get("filters") or {}).items()}
        if any(d not in spec.dimensions for d in filters):
            raise DataError(f"{where}.filters: {spec.name} cannot be filtered by {sorted(filters)}", file=SOURCE)
        out.append(
            Target(
                index=i,
                metric=spec.name,
                dims=tuple(dims),
                group="|".join(group) or "All",
                value=value,
                due=due,
                filters=filters,
            )
        )
    return out


def target_series(con, target: Target, k: int | None = None, exact: bool = False) -> pd.DataFrame:
    """The target group's yearly rows (hidden ones included, as published)."""
    table = compute(con, target.metric, by=list(target.dims), period="year", k=k, filters=target.filters, exact=exact)
    rows = table[(table["dimensions"] == "|".join(target.dims)) & (table["group"] == target.group)]
    return rows.reset_index(drop=True)


def _years(dates) -> np.ndarray:
    """Time in years of 365.25 days (from day 1 of the proleptic calendar)."""
    return np.array([pd.Timestamp(d).date().toordinal() / 365.25 for d in dates])


def project(rows: pd.DataFrame, due: dt.date) -> dict:
    """Least-squares line value ~ time (years) through the full, published rows, at `due`."""
    x, y = _years(rows["period_end"]), rows["value"].to_numpy(float)
    centre = x.mean()  # centred time keeps X'X well conditioned
    design = np.column_stack([np.ones_like(x), x - centre])
    fit = ols(design, y)
    at = np.array([1.0, _years([due])[0] - centre])
    cov = (fit.residual_sd**2) * np.linalg.inv(design.T @ design)
    half = float(np.sqrt(at @ cov @ at)) * float(stats.t.ppf(0.975, fit.df_resid))
    estimate = float(at @ fit.coef)
    return {
        "slope_per_year": float(fit.coef[1]),
        "projected": estimate,
        "projected_low": estimate - half,
        "projected_high": estimate + half,
    }


def _status(target: Target, shown: pd.DataFrame, proj: dict | None, as_of: dt.date) -> str:
    """met / on track / off track / too few years; after the due date, met or missed in the
    year holding the due date (or the last published year before it)."""
    up = target.value >= shown["value"].iat[0]
    meets = (lambda v: v >= target.value) if up else (lambda v: v <= target.value)
    if target.due <= as_of:
        by_due = shown[pd.to_datetime(shown["period_start"]).dt.date <= target.due]
        if by_due.empty:
            return "due date passed before the first published year"
        return "due date passed: met" if meets(by_due["value"].iat[-1]) else "due date passed: missed"
    if meets(shown["value"].iat[-1]):
        return "met"
    if proj is None:
        return "too few years to project"
    return "on track" if meets(proj["projected"]) else "off track"


def target_progress(con, k: int | None = None, exact: bool = False) -> pd.DataFrame:
    """One row per configured target: baseline, latest, projection at the due date, status."""
    ctx = build_context(con)
    as_of, need = ctx["as_of"], int(setting(ctx["config"], "target_min_periods"))
    rows = []
    for target in parse_targets(ctx["config"]):
        series = target_series(con, target, k, exact)
        full = full_period_rows(series)
        shown = full[~full["suppressed"] & full["value"].notna()]
        row = {
            "target": target.label,
            "metric": target.metric,
            "group": target.group,
            "target_value": target.value,
            "due": target.due,
        }
        if shown.empty:
            rows.append({**row, "status": "not shown: the group is below the privacy threshold"})
            continue
        first, last = shown.iloc[0], shown.iloc[-1]
        proj = project(shown, target.due) if len(shown) >= need else None
        rows.append(
            {
                **row,
                "baseline_period": first["period"],
                "baseline": first["value"],
                "latest_period": last["period"],
                "latest": last["value"],
                "n": last["n"],
                "latest_ci_low": last["ci_low"],
                "latest_ci_high": last["ci_high"],
                **(proj or {}),
                "years_used": len(shown),
                "status": _status(target, shown, proj, as_of),
            }
        )
    return pd.DataFrame(rows)
