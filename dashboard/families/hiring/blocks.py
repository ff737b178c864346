"""Hiring's blocks, defined once: the funnel, adverse impact per stage and for the bottom line,
adverse impact within a stratum with its Cochran-Mantel-Haenszel comparison, time in stage and
applicants beside the workforce. The Hiring page draws them (components.show_block) and the PDF
section prints them (section.py), so a view shows the same figures on both
(tests/test_page_pdf_parity_hiring.py). Streamlit-free: every input is a published (protected)
long table the caller fetched for its view; nothing here reads data."""

from __future__ import annotations

import pandas as pd

from dashboard.block import Block
from pipelines.formatting import format_ci, group_label
from pipelines.families.hiring.display import cmh_display, funnel_display, impact_display, sort_stages, time_display
from pipelines.families.hiring.funnel import BOTTOM_LINE

from .charts import funnel_figure, impact_figure, share_comparison_figure, time_in_stage_figure
from .narrative import funnel_sentences, impact_sentences, time_sentences

CMH_NOTES = 3  # disagreements quoted in the comparison's summary; the table lists every one


def view_rows(table: pd.DataFrame, by, overall: bool = True) -> pd.DataFrame:
    """The rows of the breakdown `by` (and the overall "All" rows unless overall=False)."""
    keep = ["|".join(by), ""] if overall else ["|".join(by)]
    return table[table["dimensions"].isin(keep)].reset_index(drop=True)


def _by_words(by) -> str:
    return " × ".join(by)


def funnel_block(reach: pd.DataFrame, passing: pd.DataFrame, stages: list[str], k: int, by) -> Block:
    """stage_reach_rate and stage_pass_rate of the view -> the funnel block."""
    reach, passing = view_rows(reach, by), view_rows(passing, by)
    title, summary = funnel_sentences(reach, stages, k)
    return Block(
        title=title,
        summary=summary,
        table=funnel_display(reach, passing, stages, k),
        figure=funnel_figure(reach, stages, title),
        alt=f"Line chart: share of applications reaching each stage, by {_by_words(by)}. {summary}",
    )


def impact_block(impact: pd.DataFrame, stages: list[str], k: int, rec: dict, by, bottom_line: bool) -> Block:
    """adverse_impact_ratio of the view -> the per-stage block, or the bottom line's (hired ÷
    decided): stages can each pass four-fifths while the end-to-end ratio fails."""
    threshold, alpha = rec["adverse_impact_threshold"], rec["significance_alpha"]
    rows = view_rows(impact, by)
    wanted = rows["stage"] == BOTTOM_LINE
    rows = sort_stages(rows[wanted if bottom_line else ~wanted], stages)
    groups = rows[rows["group"] != "All"]
    title, summary = impact_sentences(groups, k, threshold, alpha)
    what = "the bottom line" if bottom_line else "each stage"
    return Block(
        title=title,
        summary=summary,
        table=impact_display(rows, k, alpha),
        figure=impact_figure(groups, title, threshold),
        alt=f"Dot plot: impact ratio with 95% interval at {what} by {_by_words(by)}, line at {threshold}. {summary}",
    )


def strata_rows(strata: pd.DataFrame, by) -> pd.DataFrame:
    return strata[strata["dimensions"] == "|".join(by)]


def default_stage(strata: pd.DataFrame, stages: list[str], alpha: float) -> str:
    """The stage the within-stratum view opens on: that of the strongest finding - flagged and
    significant after Holm first, then |z| at the threshold, a stage before the bottom line (it
    says where the gap arises), the lowest ratio; the bottom line when nothing is flagged."""
    flagged = strata[strata["flagged"].fillna(False).astype(bool)]
    flagged = flagged.assign(
        _holm=flagged["p_holm"] < alpha,
        _sig=flagged["significant"].fillna(False).astype(bool),
        _end=flagged["stage"] == BOTTOM_LINE,
    ).sort_values(["_holm", "_sig", "_end", "value"], ascending=[False, False, True, True])
    return flagged["stage"].iat[0] if len(flagged) else BOTTOM_LINE


def strata_block(strata: pd.DataFrame, stratify: str, stage: str, k: int, rec: dict, by) -> Block:
    """Adverse impact of one stage within each value of `stratify` (strata_rows of the view)."""
    threshold, alpha = rec["adverse_impact_threshold"], rec["significance_alpha"]
    rows = strata[strata["stage"] == stage]
    title, summary = impact_sentences(rows, k, threshold, alpha, place="stratum")
    title = f"Within each {stratify}: {title}"
    return Block(
        title=title,
        summary=summary,
        table=impact_display(rows, k, alpha).assign(**{stratify: rows["stratum"].to_numpy()}),
        figure=impact_figure(rows, title, threshold, label="stratum"),
        alt=f"Dot plot: impact ratio with 95% interval per {stratify} by {_by_words(by)}, line at {threshold}. "
        + summary,
    )


def cmh_block(cmh: pd.DataFrame, stratify: str, stages: list[str]) -> Block:
    """The pooled ratio beside the Mantel-Haenszel ratio across strata, per group and stage: a
    table without a chart, its summary the comparisons where the two views disagree."""
    notes = cmh.loc[cmh["disagree"].astype(bool), "note"]
    summary = (
        f"For each group and stage, the pooled ratio beside the Mantel-Haenszel ratio across {stratify}s "
        f"(the impact ratio with {stratify} held constant), the common odds ratio and the CMH test. "
        f"When the two disagree, which {stratify}s people applied to explains or hides part of the gap "
        "(Simpson's paradox, as in the 1973 Berkeley admissions). "
    )
    if notes.empty:
        summary += f"The pooled and within-{stratify} views agree for every comparison shown."
    else:
        summary += f"{len(notes)} comparison(s) disagree: " + " ".join(
            n[0].upper() + n[1:] for n in notes.head(CMH_NOTES)
        )
        if len(notes) > CMH_NOTES:
            summary += f" The table lists the other {len(notes) - CMH_NOTES}."
    return Block(
        title=f"Pooled vs within each {stratify} (Cochran-Mantel-Haenszel)",
        summary=summary,
        table=cmh_display(sort_stages(cmh, stages), stratify),
    )


def time_block(times: pd.DataFrame, stages: list[str], k: int, by) -> Block:
    """time_in_stage of the view -> Kaplan-Meier median days per step."""
    times = view_rows(times, by)
    title, summary = time_sentences(times, stages, k)
    return Block(
        title=title,
        summary=summary,
        table=time_display(times, stages, k),
        figure=time_in_stage_figure(times, stages, title),
        alt=f"Bar chart: median days per step by {_by_words(by)} with 95% intervals. {summary}",
    )


def _share_table(both: pd.DataFrame, k: int, hi) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(chart data, display table) of applicant and workforce shares merged per group (suffixes
    _a and _w); a hidden share is blank in the chart data and says why in the display table."""
    table = pd.DataFrame({"group": both["group"]})
    shown = pd.DataFrame({"Group": both["group"].map(group_label)})
    for col, sfx, label in (("applicants", "_a", "Applicants"), ("workforce", "_w", f"Workforce on {hi}")):
        hidden = both[f"suppressed{sfx}"].fillna(True).astype(bool)
        for part, src in (("", "value"), ("_low", "ci_low"), ("_high", "ci_high"), ("_n", "n")):
            table[f"{col}{part}"] = both[f"{src}{sfx}"].where(~hidden)
        shown[f"{label}: share"] = [
            f"fewer than {k} or protecting one" if h else f"{v:.1%}" for h, v in zip(hidden, both[f"value{sfx}"])
        ]
        shown[f"{label}: 95% CI"] = [
            "" if h else format_ci(lo, up, "share")
            for h, lo, up in zip(hidden, both[f"ci_low{sfx}"], both[f"ci_high{sfx}"])
        ]
        shown[f"{label}: n"] = ["" if h else f"{int(n):,}" for h, n in zip(hidden, both[f"n{sfx}"])]
    return table, shown


def share_block(apps: pd.DataFrame, rep: pd.DataFrame, k: int, hi, by) -> Block:
    """applicant_share and representation (on `hi`, the window's last day) of the view -> each
    group's share of applicants beside its share of the workforce."""
    both = view_rows(apps, by, overall=False).merge(
        view_rows(rep, by, overall=False), on="group", how="outer", suffixes=("_a", "_w")
    )
    table, shown = _share_table(both, k, hi)
    gap = table.assign(diff=table["applicants"] - table["workforce"]).dropna(subset=["diff"])
    if len(gap):
        g = gap.loc[gap["diff"].abs().idxmax()]
        title = (
            f"{group_label(g['group'])}: {g['applicants']:.1%} of applicants vs {g['workforce']:.1%} of the workforce "
            f"on {hi}"
        )
    else:
        title = "Applicants and workforce: no group can be compared"
    summary = (
        "; ".join(
            f"{group_label(r.group)}: applicants {r.applicants:.1%} (n = {int(r.applicants_n):,}), workforce "
            f"{r.workforce:.1%} (n = {int(r.workforce_n):,})"
            for r in gap.itertuples()
        )
        + "."
        if len(gap)
        else "No group has both its applicant and its workforce share published."
    )
    return Block(
        title=title,
        summary=summary,
        table=shown,
        figure=share_comparison_figure(table, title),
        alt=f"Bar chart: share of applicants beside share of the workforce, by {_by_words(by)}. {summary}",
    )
