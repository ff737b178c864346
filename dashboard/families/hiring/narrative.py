"""Hiring's sentences: chart titles that state the finding, and the text summaries printed
under each chart (screen readers, PDF). They moved here from pipelines (issue 21): only the
page and the PDF say them; the CLI prints the tables of pipelines/families/hiring/display.py."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import format_ci, format_p, format_value, group_label
from pipelines.families.hiring.display import significance_flag, stage_label


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["suppressed"] & rows["value"].notna()]


def _hidden_sentence(rows: pd.DataFrame, k: int) -> str:
    hidden = int(rows["suppressed"].sum())
    return (
        f" {hidden} row(s) not shown: fewer than {k} people, or hidden so a smaller group cannot be "
        f"worked out from the totals."
        if hidden
        else ""
    )


def funnel_sentences(rows: pd.DataFrame, stages: list[str], k: int) -> tuple[str, str]:
    """stage_reach_rate rows (overall + one breakdown) -> (title, summary)."""
    last = stages[-1]
    overall = rows[(rows["group"] == "All") & ~rows["suppressed"]].set_index("stage")
    if last not in overall.index:
        return "Hiring funnel: no published figures for the selection", "No published rows." + _hidden_sentence(rows, k)
    o = overall.loc[last]
    groups = _shown(rows[(rows["group"] != "All") & (rows["stage"] == last)])
    title = f"{o['value']:.1%} of {int(o['n']):,} applications reached '{last}'"
    if len(groups) > 1:
        hi, lo = groups.loc[groups["value"].idxmax()], groups.loc[groups["value"].idxmin()]
        title += f": from {group_label(lo['group'])} {lo['value']:.1%} to {group_label(hi['group'])} {hi['value']:.1%}"
    steps = [
        f"{s} {overall.loc[s, 'value']:.0%} ({int(overall.loc[s, 'numerator']):,})"
        for s in stages
        if s in overall.index
    ]
    summary = "Share of all applications reaching each stage: " + ", ".join(steps) + "."
    if len(groups) > 1:
        summary += (
            f" Reaching '{last}': highest {group_label(hi['group'])} {hi['value']:.1%} (n = {int(hi['n']):,}), "
            f"lowest {group_label(lo['group'])} {lo['value']:.1%} (n = {int(lo['n']):,})."
        )
    return title, summary + _hidden_sentence(rows, k)


def impact_sentences(
    rows: pd.DataFrame, k: int, threshold: float, alpha: float, place: str | None = None
) -> tuple[str, str]:
    """adverse_impact_ratio rows of one breakdown (no `All`) -> (title, summary). The title
    leads with the flagged comparison that survives Holm's correction, else the one with
    |z| at the threshold, else the lowest ratio (many comparisons make some |z| >= 2 by chance);
    `place` names a column (e.g. stratum) to say where it is."""
    compared = _shown(rows[rows["z"].notna()])
    if compared.empty:
        return (
            "Adverse impact: no comparison can be shown for this selection",
            "No group is large enough to compare." + _hidden_sentence(rows, k),
        )
    flagged = compared[compared["flagged"].astype(bool)]
    flagged = flagged.assign(_holm=flagged["p_holm"] < alpha, _sig=flagged["significant"].astype(bool)).sort_values(
        ["_holm", "_sig", "value"], ascending=[False, False, True], kind="stable"
    )
    where = (lambda r: f" in {r[place]}") if place else (lambda r: "")
    significant = compared[compared["significant"].astype(bool)]
    after_holm = compared[compared["p_holm"] < alpha]
    if len(flagged):
        worst = flagged.iloc[0]
        # only Holm's p may call it significant: "|z| = 2.1, Holm p = 0.130" alone reads as a finding
        holm = significance_flag(worst, alpha)
        sig = (
            f"{holm}: |z| = {abs(worst['z']):.1f}, {format_p(worst['p_holm'], 'Holm p')}"
            if holm
            else "not statistically significant"
        )
        title = (
            f"{group_label(worst['group'])} at {stage_label(worst['stage'], worst.get('next_stage'))}{where(worst)}: impact ratio "
            f"{worst['value']:.2f} vs {group_label(worst['reference_group'])}, below four-fifths ({sig})"
        )
    else:
        low = compared.loc[compared["value"].idxmin()]
        title = (
            f"No group below four-fifths; lowest {group_label(low['group'])} at "
            f"{stage_label(low['stage'], low.get('next_stage'))} ({low['value']:.2f})"
        )
    summary = (
        f"{len(flagged)} of {len(compared)} comparisons fall below {threshold} (four-fifths rule); "
        f"{len(significant)} have a two-proportion |z| at or above the threshold; {len(after_holm)} "
        f"stay significant after Holm's correction (p < {alpha})."
    )
    for _, r in flagged.head(3).iterrows():
        summary += (
            f" {group_label(r['group'])} at {stage_label(r['stage'], r.get('next_stage'))}{where(r)}: {r['selection_rate']:.1%} "
            f"of {int(r['n']):,} vs {group_label(r['reference_group'])} {r['reference_rate']:.1%}, ratio "
            f"{format_value(r['value'], 'ratio')} (95% CI {format_ci(r['ci_low'], r['ci_high'], 'ratio')}), "
            f"{int(r['shortfall']):,} more selection(s) would reach {threshold}."
        )
    return title, summary + _hidden_sentence(rows, k)


def time_sentences(rows: pd.DataFrame, stages: list[str], k: int) -> tuple[str, str]:
    """time_in_stage rows (overall + one breakdown) -> (title, summary)."""
    overall = _shown(rows[rows["group"] == "All"]).set_index("stage")
    if overall.empty:
        return "Time in stage: no published figures", "No published rows." + _hidden_sentence(rows, k)
    slowest = overall["value"].idxmax()
    nxt = dict(zip(stages, stages[1:]))
    title = f"Slowest step: {slowest} -> {nxt.get(slowest, '')}, median {overall.loc[slowest, 'value']:.0f} days"
    parts = [
        f"{s} -> {nxt.get(s, '')} {overall.loc[s, 'value']:.0f} days (n = {int(overall.loc[s, 'n']):,}, "
        f"{int(overall.loc[s, 'still_open']):,} still open)"
        for s in stages
        if s in overall.index
    ]
    groups = _shown(rows[(rows["group"] != "All") & (rows["stage"] == slowest)])
    summary = "Median days to the next stage (Kaplan-Meier; open applications censored): " + "; ".join(parts) + "."
    if len(groups) > 1:
        hi, lo = groups.loc[groups["value"].idxmax()], groups.loc[groups["value"].idxmin()]
        summary += (
            f" At {slowest}: longest {group_label(hi['group'])} {hi['value']:.0f} days, shortest {group_label(lo['group'])} "
            f"{lo['value']:.0f} days."
        )
    return title, summary + _hidden_sentence(rows, k)
