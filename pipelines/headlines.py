"""Headline figures: one function per displayed figure, with one period rule, for every view
that shows it - the Overview, the family page's title, the PDF summary and `equity headlines`
(issue 19: the Overview said Man 50.8% for the full 2025 while the page title gave the partial
2026's 50.3%, unmarked).

The period rule is pipelines/metrics/_periods.py's: the latest period not cut short by the data
window; only when every period is partial is the latest one used, and its label then says
"(partial period)" wherever it is shown. A figure read off one group of a breakdown (the largest
group's share, the largest pay gap) names a group only when at least FINDING_MIN_N people are
behind it, the rule every title follows (docs/findings.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pipelines.formatting import format_ci, format_value, group_label
from pipelines.metrics import MetricSpec, NoDataError, compute, full_period_rows, registry
from pipelines.metrics._stats import Z95

# A headline or a flagged finding names a group only when at least this many people (or
# respondents) are behind it; a flag on a smaller group reads "too small to judge"
# (docs/findings.md). Privacy suppression (k) decides what may be shown at all; this decides
# what is large enough to act on.
FINDING_MIN_N = 30
PARTIAL = " (partial period)"  # how a period label says it is cut short, in every view


@dataclass
class Headline:
    spec: MetricSpec
    period: str
    label: str
    value: str
    change: str
    n: str
    ci: str
    trend: pd.DataFrame  # the rows of every full period (for a sparkline)
    suppressed: bool
    group: str = ""  # the group a figure is read off ("" for the overall value)
    number: float = float("nan")  # the published value, unformatted (csv/json and tests)

    @property
    def n_text(self) -> str:
        """'n = 2,491 (what it counts)': headcount's n (people on one day) and turnover's n
        (everyone employed in the period) sit side by side and differ, so each says what it counts."""
        return f"n = {self.n} ({self.spec.n})" if self.n else ""


@dataclass(frozen=True)
class GroupFigure:
    """A headline read off one group of a breakdown: the group with the highest (or lowest)
    value among those large enough to judge, in the latest full period."""

    metric: str
    by: str
    pick: str  # "highest" | "lowest", or the GroupFigure metric whose group this one follows
    label: str


# Figures read off a group, besides the registry's `headline: true` metrics (overall values).
# Every pay gap has one sign (docs/metrics.md, "How pay gaps are signed"): (reference - group) /
# reference, positive = paid less, so the largest disadvantage is the highest gap; a headline
# still words it "5.4% less" so no sign has to be read.
GROUP_FIGURES = (
    GroupFigure("representation", "gender", "highest", "Representation, largest group"),
    GroupFigure("adjusted_pay_gap", "gender", "highest", "Adjusted pay gap, largest"),
    # the raw gap of the adjusted headline's group: "paid 5.4% less with the same factors, 8.9%
    # less before them" speaks of one group (a raw gap of a smaller group is on the Pay page)
    GroupFigure("pay_gap_mean", "gender", "adjusted_pay_gap", "Raw pay gap (mean hourly)"),
)
OVERALL_FIGURES = ("selection_rate",)  # overall values shown as headlines without `headline: true`
PAY_GAPS = ("adjusted_pay_gap", "pay_gap_mean")  # headline figures worded "% less" / "% more"


# A rate or share at 0% or 100% has one empty side: its n counts only the other side (for a
# split, n is the smaller NON-EMPTY side), so n >= FINDING_MIN_N says nothing about the claim
# "none" or "all". Such a rate is named only when its 95% Wilson interval keeps the empty
# side below 1 in FINDING_MIN_N: for 0 of n the upper bound is z^2 / (n + z^2), at most
# 1 / FINDING_MIN_N from n >= z^2 (FINDING_MIN_N - 1), i.e. 112 (docs/findings.md). 0 of 31
# reaches 11.0%: not evidence of a 0% rate. One rule for titles, the Overview, the PDF and
# `equity headlines`.
BOUNDARY_MIN_N = math.ceil(Z95**2 * (FINDING_MIN_N - 1))
PROPORTION_UNITS = ("share", "rate")


def sized_enough(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows whose group has at least FINDING_MIN_N people behind it."""
    return rows[pd.to_numeric(rows["n"], errors="coerce") >= FINDING_MIN_N]


def large_enough(rows: pd.DataFrame, unit: str | None = None, value: str = "value") -> pd.DataFrame:
    """Rows large enough for a headline or title to name: at least FINDING_MIN_N behind the
    row and, for a share or rate (`unit`) at 0% or 100%, at least BOUNDARY_MIN_N, the n at
    which the Wilson interval rules out 1 in FINDING_MIN_N on the empty side. Without a
    proportion unit only the first rule applies."""
    sized = sized_enough(rows)
    if unit not in PROPORTION_UNITS or sized.empty:
        return sized
    figure = pd.to_numeric(sized[value], errors="coerce")
    at_limit = (figure == 0) | (figure == 1)
    return sized[~at_limit | (pd.to_numeric(sized["n"], errors="coerce") >= BOUNDARY_MIN_N)]


def headline_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows a headline, title or summary speaks of and how it names their period: the
    latest full period; when every period is partial, the latest one, named as partial."""
    full = full_period_rows(rows)
    pick = full if len(full) else rows
    latest = pick[pick["period_start"] == pick["period_start"].max()] if len(pick) else pick
    if latest.empty:
        return latest, ""
    partial = len(full_period_rows(latest)) < len(latest)
    return latest, f"{latest['period'].iat[0]}{PARTIAL if partial else ''}"


def full_or_all_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of complete periods (a partial year is not compared with full ones); all rows
    when every period is partial (a data window shorter than one period)."""
    full = full_period_rows(rows)
    return full if not full.empty else rows


def picked_row(rows: pd.DataFrame, pick: str, value: str = "value", unit: str | None = None) -> pd.Series | None:
    """The shown, large-enough row with the highest or lowest value (None when there is none);
    `unit` applies the 0%/100% rule of large_enough to shares and rates."""
    shown = large_enough(rows[~rows["suppressed"].astype(bool) & rows[value].notna()], unit, value)
    if shown.empty:
        return None
    return shown.loc[shown[value].idxmax() if pick == "highest" else shown[value].idxmin()]


def gap_words(value: float) -> str:
    """A pay gap (positive = paid less) as words: '5.4% less' (or 'more')."""
    return f"{abs(value):.1f}% {'less' if value > 0 else 'more'}"


def change_text(spec: MetricSpec, latest: pd.Series, previous: pd.Series | None) -> str:
    if previous is None or latest["suppressed"] or previous["suppressed"]:
        return ""
    diff = latest["value"] - previous["value"]
    if spec.unit in ("share", "rate"):
        return f"{diff * 100:+.1f} pts vs {previous['period']}"
    if spec.unit == "percent":
        return f"{diff:+.1f} pts vs {previous['period']}"
    return f"{diff:+,.0f} vs {previous['period']}" if spec.unit == "count" else f"{diff:+.3g} vs {previous['period']}"


def _first_key(rows: pd.DataFrame, spec: MetricSpec) -> tuple[pd.DataFrame, str]:
    """One series per key value (e.g. spend share of addressable vs all spend): the registry's first."""
    label = ""
    for key in spec.keys:
        first = rows[key].dropna().iloc[0] if rows[key].notna().any() else None
        rows = rows[rows[key] == first]
        label += f" ({first})"
    return rows, label


def _made(spec, rows, period, label, row, previous, group="") -> Headline:
    suppressed = bool(row["suppressed"])
    gap = spec.name in PAY_GAPS
    low, high = row["ci_low"], row["ci_high"]  # the gap's interval: "% less" reads the same way
    ci = "" if suppressed or pd.isna(low) else format_ci(low, high, spec.unit)
    if suppressed:
        value = "fewer than k"
    else:
        value = gap_words(row["value"]) if gap else format_value(row["value"], spec.unit)
    return Headline(
        spec=spec,
        period=period,
        label=label,
        value=value,
        change="" if gap else change_text(spec, row, previous),
        n="" if suppressed else f"{int(row['n']):,}",
        ci=ci,
        trend=rows,
        suppressed=suppressed,
        group=group,
        number=float("nan") if suppressed else float(row["value"]),
    )


def headline(con, spec: MetricSpec, period: str = "year", **kwargs) -> Headline | None:
    """The latest full period's overall value; None for a composition metric (its overall
    row is 100% by definition, e.g. representation) or when there is no row."""
    try:
        table = compute(con, spec.name, period=period, **kwargs)
    except NoDataError:  # a metric the data cannot support (e.g. turnover from unlinked snapshots)
        return None
    overall, label = _first_key(table[table["group"] == "All"], spec)
    latest, period_label = headline_rows(overall)
    if latest.empty:
        return None
    row = latest.iloc[0]
    if spec.unit == "share" and row["numerator"] == row["denominator"]:
        return None
    trend = full_or_all_periods(overall).sort_values("period_start")
    earlier = trend[trend["period_start"] < row["period_start"]]
    previous = earlier.iloc[-1] if len(earlier) else None
    return _made(spec, trend, period_label, f"{spec.title}{label}", row, previous)


def group_headline(con, figure: GroupFigure, period: str = "year", **kwargs) -> Headline | None:
    """A figure read off one group: the highest or lowest large-enough group of the latest full
    period (the rule of the family page's title), e.g. 'Representation, largest group: Man'."""
    spec = registry()[figure.metric]
    try:
        table = compute(con, spec.name, by=[figure.by], period=period, **kwargs)
    except NoDataError:
        return None
    rows = table[(table["dimensions"] == figure.by) & (table["group"] != table.get("reference", ""))]
    latest, period_label = headline_rows(rows)
    if figure.pick in ("highest", "lowest"):
        row = None if latest.empty else picked_row(latest, figure.pick, unit=spec.unit)
    else:  # the group another figure names
        leader = group_headline(con, next(f for f in GROUP_FIGURES if f.metric == figure.pick), period, **kwargs)
        same = latest[latest["group"] == leader.group] if leader is not None else latest.iloc[0:0]
        row = same.iloc[0] if len(same) else None
    if row is None:
        return None
    trend = full_or_all_periods(rows[rows["group"] == row["group"]]).sort_values("period_start")
    label = f"{figure.label}: {group_label(row['group'])}"
    if "reference" in row and pd.notna(row["reference"]):
        label += f" vs {group_label(row['reference'])}"
    return _made(spec, trend, period_label, label, row, None, group=str(row["group"]))


def headline_specs(available_tables: set[str]) -> list[MetricSpec]:
    """Registry metrics flagged `headline: true` (and OVERALL_FIGURES) whose data is loaded."""
    return [
        s
        for s in registry().values()
        if (s.headline or s.name in OVERALL_FIGURES) and set(s.requires) <= available_tables
    ]


def headline_figures(
    con, available_tables: set[str], period: str = "year", filters: dict | None = None, **kwargs
) -> list[Headline]:
    """Every headline figure whose data is loaded, in the order every view lists them: the
    overall values, then the figures read off a group. `filters` apply to the figures whose
    metric records their dimension (a view says which it could not apply)."""
    specs = registry()

    def scoped(spec):
        return {d: list(v) for d, v in (filters or {}).items() if d in spec.dimensions}

    out = [headline(con, s, period=period, filters=scoped(s), **kwargs) for s in headline_specs(available_tables)]
    out += [
        group_headline(con, f, period=period, filters=scoped(specs[f.metric]), **kwargs)
        for f in GROUP_FIGURES
        if set(specs[f.metric].requires) <= available_tables
    ]
    return [h for h in out if h is not None]
