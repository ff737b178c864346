"""Sentences for the workforce views: retention curves, impact ratios, pipeline, targets, policy events.

Shared by the dashboard and the PDF; inputs are suppressed tables."""

from __future__ import annotations

import pandas as pd

from ...charts import format_value
from ...narrative import large_enough
from pipelines.formatting import format_ci, group_label, interval_cell


def lowest_retention_group(summary: pd.DataFrame) -> str | None:
    """The group the title names: lowest 24-month retention among groups large enough to judge."""
    shown = large_enough(summary[~summary["suppressed"] & (summary["group"] != "All") & summary["24m"].notna()])
    return None if shown.empty else str(shown.loc[shown["24m"].idxmin(), "group"])


def retention_title(summary: pd.DataFrame) -> str:
    """The lowest published group's 24-month retention against everyone's."""
    overall = summary[summary["group"] == "All"]
    everyone = format_value(overall["24m"].iat[0], "share") if len(overall) and pd.notna(overall["24m"].iat[0]) else ""
    low = lowest_retention_group(summary)
    if low is None:
        return f"{everyone or 'Retention'} still employed 24 months after hire"
    row = summary[summary["group"] == low].iloc[0]
    return f"Still employed 24 months after hire: {low} {format_value(row['24m'], 'share')} vs {everyone} for everyone"


def retention_summary(summary: pd.DataFrame, logrank, k: int) -> str:
    parts = []
    overall = summary[summary["group"] == "All"]
    if not overall.empty and pd.notna(overall["12m"].iat[0]):
        o = overall.iloc[0]
        # the headline "Retention at 12 months" is one year at a time: this pooled figure is a
        # different estimate and says so, or a reader meets two 12-month retentions for one firm
        parts.append(
            f"Pooled over every year of the window, {format_value(o['12m'], 'share')} stay 12 months "
            f"(95% CI {format_ci(o['12m_ci_low'], o['12m_ci_high'], 'share')}) "
            f"and {format_value(o['24m'], 'share')} stay 24 months; n = {int(o['n']):,}. The yearly "
            '"Retention at 12 months" figures (Overview, trends below) measure one year at a time.'
        )
    shown = large_enough(summary[~summary["suppressed"] & (summary["group"] != "All") & summary["24m"].notna()])
    if len(shown) > 1:
        lo = shown.loc[shown["24m"].idxmin()]
        parts.append(
            f"Lowest 24-month retention: {group_label(lo['group'])} {format_value(lo['24m'], 'share')} "
            f"(95% CI {format_ci(lo['24m_ci_low'], lo['24m_ci_high'], 'share')}, n = {int(lo['n']):,})."
        )
    if logrank is not None:
        verdict = "differ" if logrank.p_value < 0.05 else "do not clearly differ"
        parts.append(
            f"The curves of the {len(logrank.groups)} groups shown {verdict} (log-rank "
            f"chi-square {logrank.statistic:.1f} on {logrank.df} df, p = {logrank.p_value:.2g})."
        )
    hidden = int(summary["suppressed"].sum())
    if hidden:
        parts.append(f"{hidden} group(s) not shown: fewer than {k} people (protected count).")
    return " ".join(parts)


def ratio_title(rows: pd.DataFrame, threshold: float) -> str:
    """Names a group only when its whole 95% interval is below the threshold; a low point
    estimate with a wide interval is reported as not clearly below."""
    shown = rows[
        ~rows["suppressed"] & rows["value"].notna() & (rows["group"] != "All") & (rows["note"] != "reference group")
    ]
    if shown.empty:
        return "Promotion impact ratios: no group can be compared"
    ref = shown["reference_group"].iat[0]
    clear = shown[shown["ci_high"] < threshold]
    if not clear.empty:
        lo = clear.loc[clear["value"].idxmin()]
        return (
            f"{group_label(lo['group'])} promoted at {lo['value']:.2f} times the rate of {ref} (95% CI up to "
            f"{format_value(lo['ci_high'], 'ratio')}); {len(clear)} group(s) clearly below {threshold}"
        )
    return f"No group is clearly promoted less than {threshold} times as often as {ref}"


def ratio_summary(rows: pd.DataFrame, k: int) -> str:
    shown = rows[~rows["suppressed"] & rows["value"].notna() & (rows["group"] != "All")]
    if shown.empty:
        return "No group has enough people to be compared."
    parts = [
        f"{group_label(r['group'])}: {format_value(r['value'], 'ratio')} "
        f"(95% CI {format_ci(r['ci_low'], r['ci_high'], 'ratio')}, "
        f"Fisher p = {r['p_value_fisher']:.2g}, n = {int(r['n']):,})"
        for _, r in shown.iterrows()
        if r["note"] != "reference group"
    ]
    ref = shown["reference_group"].dropna()
    lead = f"Reference group: {ref.iat[0]}. " if len(ref) else ""
    hidden = int(rows["suppressed"].sum())
    tail = f" {hidden} group(s) not shown (fewer than {k} people, or protecting one)." if hidden else ""
    return lead + "; ".join(parts) + "." + tail


def pipeline_title(rows: pd.DataFrame, levels: list[str]) -> str:
    """Which published group's share falls most from the lowest to the highest level."""
    shown = rows[~rows["suppressed"] & (rows["group"] != "All") & rows["value"].notna()]
    best = None
    for group, part in shown.groupby("group"):
        part = part.set_index("job_level").reindex([lvl for lvl in levels if lvl in set(part["job_level"])])
        if len(part) < 2:
            continue
        drop = part["value"].iat[0] - part["value"].iat[-1]
        if best is None or drop > best[0]:
            best = (drop, group, part.index[0], part["value"].iat[0], part.index[-1], part["value"].iat[-1])
    if best is None:
        return "Representation by job level"
    _, group, lo_lvl, lo_val, hi_lvl, hi_val = best
    return f"{group}: {format_value(lo_val, 'share')} of {lo_lvl}, {format_value(hi_val, 'share')} of {hi_lvl}"


def target_sentence(row: pd.Series) -> str:
    if pd.isna(row.get("latest")):
        return f"{row['target']}: {row['status']}."
    text = (
        f"{row['target']}: {format_value(row['latest'], 'share')} in {row['latest_period']} "
        f"(n = {int(row['n']):,}) against a target of {format_value(row['target_value'], 'share')} "
        f"by {row['due']}"
    )
    if pd.notna(row.get("projected")):
        text += (
            f"; the straight-line trend reaches {format_value(row['projected'], 'share')} by then "
            f"(95% CI {format_ci(row['projected_low'], row['projected_high'], 'share')})"
        )
    return text + f". Status: {row['status']}."


def impact_sentence(result, unit: str) -> str:
    coef = result.coefficients.set_index("term")
    level, slope = coef.loc["level change at event"], coef.loc["slope change per month"]
    fmt = (lambda v: f"{v * 100:+.2g} points") if unit in ("share", "rate") else (lambda v: f"{v:+.3g}")
    return (
        f"At '{result.event}' ({result.event_date}) the monthly {result.metric.replace('_', ' ')} "
        f"for {group_label(result.group)} changed in level by {fmt(level['estimate'])} (95% CI "
        f"{interval_cell(fmt(level['ci_low']), fmt(level['ci_high']))}) and in slope by {fmt(slope['estimate'])} "
        f"per month (95% CI {interval_cell(fmt(slope['ci_low']), fmt(slope['ci_high']))}), from "
        f"{result.months_before} months before and {result.months_after} after. {result.caution}"
    )


def flow_summary(flows: dict[str, pd.DataFrame], limit: int = 6) -> str:
    """'Woman: 46% of headcount, 48% of hires, 44% of exits; ...' for the largest groups."""
    base = next(iter(flows.values()))
    if base.empty:
        return "No rows for the selected period."
    period = base["period"].iat[0]
    groups = base[(base["group"] != "All") & ~base["suppressed"]].sort_values("n", ascending=False)["group"]
    parts = []
    for group in list(groups)[:limit]:
        shares = []
        for label, rows in flows.items():
            r = rows[rows["group"] == group]
            shares.append(
                f"{'hidden' if r.empty or r['suppressed'].iat[0] else format_value(r['value'].iat[0], 'share')}"
                f" of {label}"
            )
        parts.append(f"{group}: {', '.join(shares)}")
    return f"In {period}: " + "; ".join(parts) + "."


def pipeline_summary(rows: pd.DataFrame, levels: list[str], k: int, limit: int = 4) -> str:
    """Each large group's share level by level, lowest level first."""
    shown = rows[(rows["group"] != "All") & rows["n"].notna()]
    if shown.empty:
        return "No group is large enough to show by level."
    period = rows["period"].iat[0]
    order = shown.groupby("group")["n"].sum().sort_values(ascending=False).index[:limit]
    parts = []
    for group in order:
        part = rows[rows["group"] == group].set_index("job_level")
        cells = [
            f"{lvl} {'hidden' if lvl not in part.index or part.loc[lvl, 'suppressed'] else format_value(part.loc[lvl, 'value'], 'share')}"
            for lvl in levels
        ]
        parts.append(f"{group}: " + ", ".join(cells))
    hidden = int(rows["suppressed"].sum())
    tail = f" Hidden cells: fewer than {k} people, or protecting such a cell." if hidden else ""
    return f"Share of each level, {period}. " + "; ".join(parts) + "." + tail


def impact_title(result, unit: str) -> str:
    """States whether the level changed at the event beyond its 95% interval."""
    level = result.coefficients.set_index("term").loc["level change at event"]
    what = f"{result.metric.replace('_', ' ')} for {group_label(result.group)}"
    if level["ci_low"] > 0 or level["ci_high"] < 0:
        direction = "rose" if level["estimate"] > 0 else "fell"
        size = f"{level['estimate'] * 100:+.2g} points" if unit in ("share", "rate") else f"{level['estimate']:+.3g}"
        return f"Monthly {what} {direction} at '{result.event}' ({size}; not proof of cause)"
    return f"No clear change in the monthly {what} at '{result.event}'"
