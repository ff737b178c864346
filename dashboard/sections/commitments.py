"""Commitments section of the report (and the Overview's findings): each commitment's
headline label - met, on track, at risk, off track, no recent action - with its reason in
plain language, the register table, and per commitment the trajectory of the linked metric
and the persistence checkpoints. Built from the same assessments as the Commitments page."""

from __future__ import annotations

from pipelines.commitments import assess_register
from pipelines.db import events_of

from ..charts_commitments import trajectory_figure
from ..narrative_commitments import (
    FLAGGED,
    checkpoint_table,
    counts_sentence,
    counts_text,
    finding_sentence,
    headline_reasons,
    persistence_summary,
    register_table,
    trajectory_title,
)
from ..finding import Finding, counted
from . import Block, Section

ORDER = 0  # right after the executive summary: what was promised comes before the detail
INTRO = (
    "What the organisation committed to, who owns each commitment, and whether the linked metric shows "
    "impact: values are the latest full years from the same published tables as the rest of this "
    "document; the straight-line trend is projected to each due date. Persistence compares the metric "
    "over the months up to each checkpoint after the announcement with the actions and committee "
    "reviews recorded in between."
)
# each commitment's block below gives the full reasons; the table stays readable on a page
REGISTER_COLUMNS = ["ID", "Commitment", "Owner", "Status", "Baseline", "Latest", "Target", "Due", "Assessment"]


def build_section(con, k: int, period: str = "year") -> Section | None:
    """`k` and `period` are not used: each linked metric keeps its own threshold (people,
    companies or survey respondents) and commitments are judged on full years."""
    assessments = assess_register(con)
    if not assessments:
        return None
    blocks = [
        Block(
            title=f"Commitments: {counts_text(assessments)}",
            summary=f"{counts_sentence(assessments)} {headline_reasons(assessments)}",
            table=register_table(assessments)[REGISTER_COLUMNS],
        )
    ]
    for a in assessments:
        title = trajectory_title(a)
        drawable = a.baseline is not None and a.latest is not None
        figure = (
            trajectory_figure(a, title=title, events=events_of(con, a.commitment.spec.family)) if drawable else None
        )
        blocks.append(
            Block(
                title=title,
                summary=f"{a.reason} {persistence_summary(a)}",
                table=checkpoint_table(a),
                figure=figure,
                alt=(
                    f"Line chart of {a.commitment.linked_label} by year with the straight-line projection, the "
                    f"target at the due date and the value at each checkpoint. {a.reasons[0]}"
                )
                if drawable
                else "",
            )
        )
    return Section(family="commitments", title="Commitments", intro=INTRO, blocks=blocks, order=ORDER)


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Commitments that are at risk, off track or have seen no recent action. "No recent action"
    is counted from the recorded actions and reviews; at risk and off track rest on the projected
    trend (a forecast)."""
    return [
        counted(
            finding_sentence(a),
            "commitments",
            size_text=a.assessment,
            owner=a.commitment.owner,
            certainty="counted" if a.assessment == "no recent action" else "forecast",
            basis="actions and reviews recorded" if a.assessment == "no recent action" else "projected trend",
        )
        for a in assess_register(con)
        if a.assessment in FLAGGED
    ]
