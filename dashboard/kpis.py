"""Headline figures shared by the Overview page and the PDF executive summary (one source,
so the two can never disagree)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.formatting import format_ci
from pipelines.metrics import MetricSpec, NoDataError, compute, registry

from .charts import format_value
from .narrative import full_periods


@dataclass
class Headline:
    spec: MetricSpec
    period: str
    label: str
    value: str
    change: str
    n: str
    ci: str
    trend: pd.DataFrame  # the overall rows of every full period (for a sparkline)
    suppressed: bool

    @property
    def n_text(self) -> str:
        """'n = 2,491 (what it counts)': headcount's n (people on one day) and turnover's n
        (everyone employed in the period) sit side by side and differ, so each says what it counts."""
        return f"n = {self.n} ({self.spec.n})" if self.n else ""


def full_or_all_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of complete periods (a partial year is not compared with full ones); all rows
    when every period is partial (a data window shorter than one period)."""
    full = full_periods(rows)
    return full if not full.empty else rows


def change_text(spec: MetricSpec, latest: pd.Series, previous: pd.Series | None) -> str:
    if previous is None or latest["suppressed"] or previous["suppressed"]:
        return ""
    diff = latest["value"] - previous["value"]
    if spec.unit in ("share", "rate"):
        return f"{diff * 100:+.1f} pts vs {previous['period']}"
    if spec.unit == "percent":
        return f"{diff:+.1f} pts vs {previous['period']}"
    return f"{diff:+,.0f} vs {previous['period']}" if spec.unit == "count" else f"{diff:+.3g} vs {previous['period']}"


def headline(con, spec: MetricSpec, period: str = "year", **kwargs) -> Headline | None:
    """The latest full period's overall value; None for a composition metric (its overall
    row is 100% by definition, e.g. representation) or when there is no row."""
    try:
        table = compute(con, spec.name, period=period, **kwargs)
    except NoDataError:  # a metric the data cannot support (e.g. turnover from unlinked snapshots)
        return None
    overall = table[table["group"] == "All"]
    label = ""
    for key in spec.keys:  # one series per key value (e.g. spend share of addressable vs all spend):
        first = overall[key].dropna().iloc[0] if overall[key].notna().any() else None  # the registry's first
        overall = overall[overall[key] == first]
        label += f" ({first})"
    overall = full_or_all_periods(overall).sort_values("period_start")
    if overall.empty:
        return None
    latest = overall.iloc[-1]
    if spec.unit == "share" and latest["numerator"] == latest["denominator"]:
        return None
    previous = overall.iloc[-2] if len(overall) > 1 else None
    suppressed = bool(latest["suppressed"])
    ci = ""
    if not suppressed and pd.notna(latest["ci_low"]):
        ci = format_ci(latest["ci_low"], latest["ci_high"], spec.unit)
    return Headline(
        spec=spec,
        period=str(latest["period"]),
        label=f"{spec.title}{label}",
        value="fewer than k" if suppressed else format_value(latest["value"], spec.unit),
        change=change_text(spec, latest, previous),
        n="" if suppressed else f"{int(latest['n']):,}",
        ci=ci,
        trend=overall,
        suppressed=suppressed,
    )


def headline_specs(available_tables: set[str]) -> list[MetricSpec]:
    """Registry metrics flagged `headline: true` whose data is loaded."""
    return [s for s in registry().values() if s.headline and set(s.requires) <= available_tables]
