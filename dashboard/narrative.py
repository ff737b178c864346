"""Plain-language titles, summaries and display tables for published metric rows.

Shared by the dashboard and the PDF so a sentence never contradicts its table. Inputs are
always the suppressed long table: nothing here can reveal a suppressed value.
"""

from __future__ import annotations


import pandas as pd

from pipelines.metrics import MetricSpec, latest_full_period_rows
from pipelines.formatting import breakdown_label, format_ci, hidden_label

# the minimum n a headline names a group with, and the one period rule of headlines, titles and
# summaries: the Overview's, the PDF's and `equity headlines`' (pipelines/headlines.py)
from pipelines.headlines import BOUNDARY_MIN_N, FINDING_MIN_N, large_enough, picked_row  # noqa: F401
from pipelines.headlines import headline_rows as headline_period
from pipelines.headlines import sized_enough as _sized_enough

from .charts import format_value, group_label


def too_small_to_judge(shown: pd.DataFrame, unit: str | None, noun: str = "people") -> list[str]:
    """The sentences counting drawn groups that large_enough leaves out, each with its reason."""
    sized = len(_sized_enough(shown))
    parts = []
    if small := len(shown) - sized:
        parts.append(f"{small} group(s) of fewer than {FINDING_MIN_N} {noun} are drawn but too small to judge.")
    if at_limit := sized - len(large_enough(shown, unit)):
        parts.append(
            f"{at_limit} group(s) at 0% or 100% on fewer than {BOUNDARY_MIN_N} {noun} are drawn but not judged: "
            f"their 95% interval still allows 1 in {FINDING_MIN_N} or more on the empty side."
        )
    return parts


# 'fewer than k' for a small group; a protecting cell says why it is hidden (one wording for
# dashboard, PDF and CLI: pipelines/formatting.py)
suppressed_label = hidden_label


def groups_not_shown(hidden: int, k: int) -> list[str]:
    """The sentence counting a summary's hidden groups (none when nothing is hidden), worded
    once for every page and report section that uses it."""
    return [f"{hidden} group(s) not shown: their protected count is below {k}."] if hidden else []


def finding_title(spec: MetricSpec, rows: pd.DataFrame) -> str:
    """A chart title that states the finding for the latest full period."""
    latest, period = headline_period(rows)
    if latest.empty:
        return f"{spec.title}: no data for the selected period"
    shown = latest[~latest["suppressed"] & latest["value"].notna()]
    if shown.empty:
        return f"{spec.title}, {period}: every group is below the privacy threshold"
    if (shown["group"] == "All").all():
        row = shown.iloc[0]
        return f"{spec.title} was {format_value(row['value'], spec.unit)} in {period}"
    if len(shown) == 1:
        row = shown.iloc[0]
        return (
            f"{spec.title}, {period}: {group_label(row['group'])} {format_value(row['value'], spec.unit)}; "
            "other groups are too small to show"
        )
    # "Prefer not to say highest (37.5%)" on n = 8 is noise, not a finding: highest and lowest
    # are named among groups large enough to judge
    judged = large_enough(shown, spec.unit)
    if len(judged) < 2:
        return (
            f"{spec.title}, {period}: {'no two groups are' if judged.empty else 'only one group is'} "
            f"large enough to compare (n of at least {FINDING_MIN_N})"
        )
    hi, lo = picked_row(judged, "highest"), picked_row(judged, "lowest")  # the Overview's rule
    if spec.higher_is_better is False:
        return (
            f"{spec.title}, {period}: highest for {group_label(hi['group'])} ({format_value(hi['value'], spec.unit)}), "
            f"lowest for {group_label(lo['group'])} ({format_value(lo['value'], spec.unit)})"
        )
    return (
        f"{spec.title}, {period}: {group_label(hi['group'])} highest ({format_value(hi['value'], spec.unit)}), "
        f"{group_label(lo['group'])} lowest ({format_value(lo['value'], spec.unit)})"
    )


def summary_text(spec: MetricSpec, rows: pd.DataFrame, overall: pd.DataFrame, k: int) -> str:
    """Two or three sentences a screen-reader user gets instead of the chart, of the same
    period as its title."""
    latest, period = headline_period(rows)
    if latest.empty:
        return "No rows for the selected period."
    parts = []
    ov = overall[overall["period_start"] == latest["period_start"].iat[0]] if len(overall) else overall
    composition = (
        not ov.empty and spec.unit == "share" and bool((ov["numerator"] == ov["denominator"]).fillna(False).iat[0])
    )  # shares of a whole
    if composition and not bool(ov["suppressed"].fillna(True).iat[0]):
        parts.append(f"{period}: shares of {int(ov['n'].iat[0]):,} people.")
    elif not ov.empty and not bool(ov["suppressed"].fillna(True).iat[0]):
        o = ov.iloc[0]
        ci = ""
        if pd.notna(o["ci_low"]):
            ci = f" (95% CI {format_ci(o['ci_low'], o['ci_high'], spec.unit)})"
        parts.append(
            f"Overall {spec.title.lower()} in {period}: {format_value(o['value'], spec.unit)}{ci}, n = {int(o['n']):,}."
        )
    shown = latest[~latest["suppressed"] & latest["value"].notna() & (latest["group"] != "All")]
    judged = large_enough(shown, spec.unit)
    if len(judged) > 1:
        hi = judged.loc[judged["value"].idxmax()]
        lo = judged.loc[judged["value"].idxmin()]
        parts.append(
            f"Highest: {group_label(hi['group'])} {format_value(hi['value'], spec.unit)} (n = {int(hi['n']):,}); "
            f"lowest: {group_label(lo['group'])} {format_value(lo['value'], spec.unit)} (n = {int(lo['n']):,})."
        )
    parts += too_small_to_judge(shown, spec.unit)
    parts += groups_not_shown(int(latest["suppressed"].sum()), k)
    return " ".join(parts)


def display_table(rows: pd.DataFrame, spec: MetricSpec, k: int) -> pd.DataFrame:
    """The table shown under a chart (and downloaded as CSV): formatted, suppression spelled out."""
    out = pd.DataFrame(
        {
            "Period": rows["period"],
            "Breakdown": rows["dimensions"].map(breakdown_label),
            "Group": rows["group"].map(group_label),
        }
    )
    values, cis, ns = [], [], []
    for _, r in rows.iterrows():
        if r["suppressed"]:
            values.append(suppressed_label(r["note"], k))
            cis.append("")
            ns.append("")
            continue
        values.append(format_value(r["value"], spec.unit))
        cis.append(format_ci(r["ci_low"], r["ci_high"], spec.unit))
        ns.append("" if pd.isna(r["n"]) else f"{int(r['n']):,}")
    out[spec.title] = values
    out["95% CI"] = cis
    out["n"] = ns
    out["Note"] = rows["note"].fillna("")
    return out.reset_index(drop=True)


# rows of the latest period not cut short by the data window (else the latest period): the one
# rule of pipelines/metrics/_periods.py, which the headlines use too
latest_full_period = latest_full_period_rows


def periods_with_values(rows: pd.DataFrame, overall: pd.DataFrame) -> pd.DataFrame:
    """Rows of the periods whose overall value is published (a cohort still being followed
    up has none yet, and a title about it would say nothing)."""
    done = overall.loc[overall["value"].notna() & ~overall["suppressed"], "period_start"]
    return rows[rows["period_start"].isin(set(done))]
