"""Hiring section of the report: the funnel, adverse impact per stage and bottom line, the
within-department view and time in stage, by gender, for the latest full period."""

from __future__ import annotations

from pipelines.db import has_table
from pipelines.formatting import format_p
from pipelines.metrics import build_context, compute, families, latest_full_data_period
from pipelines.metrics.hiring_display import (
    cmh_display,
    funnel_display,
    funnel_sentences,
    impact_display,
    impact_sentences,
    sort_stages,
    time_display,
    time_sentences,
)
from pipelines.metrics.hiring_funnel import stage_order
from pipelines.metrics.hiring_strata import published_impact, stratified_impact

from ..charts_hiring import funnel_figure, impact_figure, time_in_stage_figure
from ..finding import Finding, by_p
from ..hinted import section_blocks
from ..narrative import FINDING_MIN_N
from . import Block, Section
from pipelines.formatting import group_label

BY = ("gender",)
STRATIFY = "department"


def _rows(table):
    return table[table["dimensions"].isin(["|".join(BY), ""])].reset_index(drop=True)


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not (has_table(con, "fct_applications") and has_table(con, "fct_application_stages")):
        return None
    config = build_context(con)["config"]
    stages, rec = stage_order(config), config["recruiting"]
    threshold, alpha = rec["adverse_impact_threshold"], rec["significance_alpha"]
    chosen = latest_full_data_period(con, period)
    # the chosen period itself (published figures take whole periods, never a custom range)
    window = {"period": period, "date_from": chosen.start, "date_to": chosen.end, "k": k}
    blocks = []

    reach = _rows(compute(con, "stage_reach_rate", by=list(BY), **window))
    passing = _rows(compute(con, "stage_pass_rate", by=list(BY), **window))
    title, summary = funnel_sentences(reach, stages, k)
    blocks.append(
        Block(
            title=title,
            summary=summary,
            table=funnel_display(reach, passing, stages, k),
            figure=funnel_figure(reach, stages, title),
            alt=f"Line chart: share of applications reaching each stage, by gender. {summary}",
        )
    )

    impact = sort_stages(_rows(published_impact(con, list(BY), **window)), stages)
    groups = impact[impact["group"] != "All"]
    title, summary = impact_sentences(groups, k, threshold, alpha)
    blocks.append(
        Block(
            title=title,
            summary=summary,
            table=impact_display(impact, k),
            figure=impact_figure(groups, title, threshold),
            alt=f"Dot plot: impact ratio with 95% interval per stage and gender, line at {threshold}. {summary}",
        )
    )

    result = stratified_impact(con, list(BY), STRATIFY, filters={}, **window)
    strata = result.strata[(result.strata["dimensions"] == "|".join(BY))]
    flagged = strata[strata["flagged"].fillna(False).astype(bool)]
    title, summary = impact_sentences(flagged, k, threshold, alpha, place="stratum")
    notes = " ".join(result.cmh.loc[result.cmh["disagree"], "note"].head(3))
    blocks.append(
        Block(
            title=f"Within each {STRATIFY}: {title}",
            summary=f"{summary} {notes}".strip(),
            table=cmh_display(sort_stages(result.cmh, stages), STRATIFY),
            figure=impact_figure(flagged, title, threshold, label="stratum") if len(flagged) else None,
            alt=f"Dot plot of the comparisons below four-fifths within {STRATIFY}s. {summary}",
        )
    )

    times = _rows(compute(con, "time_in_stage", by=list(BY), **window))
    title, summary = time_sentences(times, stages, k)
    blocks.append(
        Block(
            title=title,
            summary=summary,
            table=time_display(times, stages, k),
            figure=time_in_stage_figure(times, stages, title),
            alt=f"Bar chart: median days per step and gender with 95% intervals. {summary}",
        )
    )

    blocks += section_blocks(con, "hiring", k, period)  # metrics with a registry display: hint

    meta = families()["hiring"]
    intro = f"{meta['description']} Applications made in {chosen.label} (the latest full period)."
    return Section(family="hiring", title=meta["title"], intro=intro, blocks=blocks, order=meta["order"])


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Comparisons below four-fifths that are also significant after Holm's correction, over
    the whole data window (as the Hiring page shows by default), pooled and within departments."""
    if not (has_table(con, "fct_applications") and has_table(con, "fct_application_stages")):
        return []
    from pipelines.metrics.hiring_display import stage_label

    ctx = build_context(con)
    alpha = ctx["config"]["recruiting"]["significance_alpha"]
    window = {"period": "custom", "date_from": ctx["history_start"], "date_to": ctx["as_of"], "k": k}
    out = []
    for dim in ("gender", "race_ethnicity"):
        table = published_impact(con, [dim], **window)
        out += [_impact_finding(r, stage_label, None) for _, r in _flagged(table, dim, alpha).iterrows()]
    strata = stratified_impact(con, ["gender"], STRATIFY, filters={}, **window).strata
    out += [_impact_finding(r, stage_label, r["stratum"]) for _, r in _flagged(strata, "gender", alpha).iterrows()]
    return out


def _flagged(table, dim: str, alpha: float):
    # a group large enough to act on (docs/findings.md): 8 people decided at a stage make no finding
    rows = table[(table["dimensions"] == dim) & ~table["suppressed"] & (table["n"] >= FINDING_MIN_N)]
    return rows[rows["flagged"].fillna(False).astype(bool) & (rows["p_holm"] < alpha)]


def _impact_finding(row, stage_label, stratum) -> Finding:
    where = f" in {stratum}" if stratum else ""
    text = (
        f"Hiring{where}: {group_label(row['group'])} applicants at {stage_label(row['stage'], row.get('next_stage'))} are "
        f"selected at {row['value']:.2f} times the rate of {group_label(row['reference_group'])} (below four-fifths; "
        f"Holm {format_p(row['p_holm'])}, n = {int(row['n']):,})."
    )
    return by_p(
        text,
        "hiring",
        size=(1 - row["value"]) * 100,
        p=row["p_holm"],
        size_text=f"{1 - row['value']:.0%} lower selection rate",
    )
