"""Hiring section of the report: the Hiring page's default view - all applications of the data
window pooled, by gender, compared within departments - from the blocks the page draws
(dashboard/families/hiring/blocks.py), so the PDF and the page print the same figures."""

from __future__ import annotations

from pipelines.db import has_table
from pipelines.families.hiring.display import stage_label
from pipelines.formatting import format_p, group_label
from pipelines.metrics import build_context, compute, families
from pipelines.families.hiring.funnel import stage_order
from pipelines.families.hiring.strata import published_impact, stratified_impact, whole_window

from dashboard.block import Section
from dashboard.finding import Finding, by_p
from dashboard.hinted import section_blocks
from dashboard.narrative import FINDING_MIN_N

from . import blocks as B

BY = ("gender",)  # the page's default breakdown
STRATIFY = "department"  # the page's first "Compare within" choice when the breakdown is gender


def build_section(con, k: int, period: str = "year") -> Section | None:
    """The page's default view (its sidebar untouched): every block in the page's order, both
    settings of its per-stage / bottom-line toggle, then the metrics hinted to the page."""
    if not (has_table(con, "fct_applications") and has_table(con, "fct_application_stages")):
        return None
    config = build_context(con)["config"]
    stages, rec = stage_order(config), config["recruiting"]
    snapshot = whole_window(con)
    _, lo, hi = snapshot
    # adverse impact is judged on a span, not year by year (small groups need the n): the
    # page's pooled window, which the summary page's hiring findings use too
    window = {"period": "custom", "date_from": lo, "date_to": hi, "k": k}

    def table(name):
        return compute(con, name, by=list(BY), **window)

    impact = published_impact(con, list(BY), **window)
    result = stratified_impact(con, list(BY), STRATIFY, filters={}, **window)
    strata = B.strata_rows(result.strata, BY)
    blocks = [
        B.funnel_block(table("stage_reach_rate"), table("stage_pass_rate"), stages, k, BY),
        B.impact_block(impact, stages, k, rec, BY, bottom_line=False),
        B.impact_block(impact, stages, k, rec, BY, bottom_line=True),
        B.strata_block(strata, STRATIFY, B.default_stage(strata, stages, rec["significance_alpha"]), k, rec, BY),
        B.cmh_block(result.cmh, STRATIFY, stages),
        B.time_block(table("time_in_stage"), stages, k, BY),
        B.share_block(table("applicant_share"), table("representation"), k, hi, BY),  # gender: a people dimension
    ]
    # metrics with a registry display: hint, over the page's default window and breakdown
    blocks += section_blocks(con, "hiring", k, period, snapshot=snapshot, by=BY)

    meta = families()["hiring"]
    intro = (
        f"{meta['description']} All applications made from {lo} to {hi}, pooled, by gender "
        "(the Hiring page's default view)."
    )
    return Section(family="hiring", title=meta["title"], intro=intro, blocks=blocks, order=meta["order"])


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Comparisons below four-fifths that are also significant after Holm's correction, over
    the whole data window (as the Hiring page shows by default), pooled and within departments."""
    if not (has_table(con, "fct_applications") and has_table(con, "fct_application_stages")):
        return []
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
