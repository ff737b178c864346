"""The Commitments views, defined once: the register and, per commitment, the trajectory of
its linked metric and its persistence checkpoints. The Commitments page draws these blocks
(components.show_block) and the PDF section prints them, so the two cannot disagree on a
title, a number or a sentence (tests/test_page_pdf_parity_commitments.py).

Commitments do not follow the sidebar: each fixes its own metric, group and filters and is
judged on full years, so a view is only the assessments, the run's k (for the wording of a
hidden cell) and where the policy events and the before/after analysis come from."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipelines.commitments import Assessment, Commitment
from pipelines.errors import UsageError
from pipelines.formatting import group_label
from pipelines.metrics import full_period_rows
from pipelines.families.workforce import event_impact as impact

from ...block import Block
from ...narrative import display_table
from ..workforce import impact_sentence
from .charts import trajectory_figure
from .narrative import (
    NOT_ENOUGH,
    checkpoint_table,
    counts_sentence,
    counts_text,
    headline_reasons,
    persistence_summary,
    register_table,
    trajectory_title,
)

# each commitment's blocks give the full reasons; the table stays readable on a page and in print
REGISTER_COLUMNS = ["ID", "Assessment", "Commitment", "Owner", "Status", "Baseline", "Latest", "Target", "Due"]


def register_block(assessments: list[Assessment]) -> Block:
    """What was promised, by whom, and each commitment's label with the reason for it."""
    return Block(
        title=f"Commitments: {counts_text(assessments)}",
        summary=f"{counts_sentence(assessments)} {headline_reasons(assessments)}",
        table=register_table(assessments)[REGISTER_COLUMNS],
    )


def impact_text(con, c: Commitment) -> str:
    """The segmented regression of the linked metric around the commitment's policy event, in
    words ("" without an event), from published values like every other figure here."""
    if not c.event:
        return ""
    try:
        result = impact(con, c.metric, c.event, by=list(c.dims), group=c.group if c.dims else None, filters=c.filters)
    except UsageError as exc:
        return f"The before-and-after analysis around '{c.event}' is not available: {exc}."
    return impact_sentence(result, c.spec.unit)


def trajectory_block(a: Assessment, k: int, events: pd.DataFrame | None, impact: str = "") -> Block:
    """The linked metric by full year with the projection to the due date and the target; its
    table is the yearly values the chart draws. Without a published baseline and latest value
    there is no chart, only the table saying what is hidden."""
    c = a.commitment
    title = trajectory_title(a)
    drawable = a.baseline is not None and a.latest is not None
    summary = (
        a.reason
        if drawable
        else f"The linked metric is {NOT_ENOUGH} for {group_label(c.group)}: no chart is drawn. {a.reason}"
    )
    if impact:
        summary += f" Around the policy event '{c.event}': {impact}"
    return Block(
        title=title,
        summary=summary,
        table=display_table(full_period_rows(a.yearly), c.spec, k),
        figure=trajectory_figure(a, title=title, events=events) if drawable else None,
        alt=(
            f"Line chart of {c.linked_label} by year with the straight-line projection, the target at the "
            f"due date and the value at each checkpoint. {a.reasons[0]}"
        )
        if drawable
        else "",
    )


def persistence_block(a: Assessment) -> Block:
    """Did the commitment persist after the announcement: the metric and the recorded activity
    at each checkpoint."""
    return Block(
        title=f"{a.commitment.id}: persistence after the announcement",
        summary=persistence_summary(a),
        table=checkpoint_table(a),
    )


def commitment_blocks(
    assessments: list[Assessment],
    k: int,
    events_of: Callable[[str], pd.DataFrame | None],
    impact_of: Callable[[Commitment], str],
) -> list[list[Block]]:
    """Per commitment, in register order, its trajectory and persistence blocks. `events_of(family)`
    and `impact_of(commitment)` are how the caller reads them: the page through its per-version
    cache, the PDF from its connection."""
    return [
        [
            trajectory_block(a, k, events_of(a.commitment.spec.family), impact_of(a.commitment)),
            persistence_block(a),
        ]
        for a in assessments
    ]
