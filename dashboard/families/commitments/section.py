"""Commitments section of the report (and the Overview's findings): each commitment's
headline label - met, on track, at risk, off track, no recent action - with its reason in
plain language, the register table, and per commitment the trajectory of the linked metric
and the persistence checkpoints. Built from the same assessments as the Commitments page."""

from __future__ import annotations

from pipelines.commitments import assess_register
from pipelines.db import events_of

from ...block import Section
from ...finding import Finding, counted
from .blocks import commitment_blocks, impact_text, register_block
from .narrative import FLAGGED, finding_sentence

ORDER = 0  # right after the executive summary: what was promised comes before the detail
INTRO = (
    "What the organisation committed to, who owns each commitment, and whether the linked metric shows "
    "impact: values are the latest full years from the same published tables as the rest of this "
    "document; the straight-line trend is projected to each due date. Persistence compares the metric "
    "over the months up to each checkpoint after the announcement with the actions and committee "
    "reviews recorded in between."
)


def build_section(con, k: int, period: str = "year") -> Section | None:
    """The Commitments page's blocks (families/commitments/blocks.py). `period` is not used:
    commitments are judged on full years; `k` only words a hidden cell (each linked metric
    keeps its own threshold: people, companies or survey respondents)."""
    assessments = assess_register(con)
    if not assessments:
        return None
    per_commitment = commitment_blocks(
        assessments, k, lambda family: events_of(con, family), lambda c: impact_text(con, c)
    )
    blocks = [register_block(assessments)] + [b for pair in per_commitment for b in pair]
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
