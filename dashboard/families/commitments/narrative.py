"""Titles, sentences and display tables for commitments, shared by the Commitments page, the
Overview and the PDF section. Inputs are assessments built from published values only; a
hidden value is written "not enough data to report", never as a number."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipelines.families.commitments import Assessment

from ...charts import format_value
from pipelines.formatting import format_ci

NOT_ENOUGH = "not enough data to report"
# the order in which the Overview and the PDF count the headline labels
LABELS = [
    "met",
    "met, not yet certain",
    "on track",
    "at risk",
    "off track",
    "no recent action",
    "too early to project",
    NOT_ENOUGH,
    "dropped",
]
FLAGGED = {"at risk", "off track", "no recent action"}


def value_text(row: pd.Series | None, unit: str) -> str:
    return NOT_ENOUGH if row is None else format_value(row["value"], unit)


def ci_text(row: pd.Series | None, unit: str) -> str:
    return "" if row is None else format_ci(row["ci_low"], row["ci_high"], unit)


def n_text(row: pd.Series | None) -> str:
    return "" if row is None or pd.isna(row["n"]) else f"{int(row['n']):,}"


def counts_text(assessments: list[Assessment]) -> str:
    """'1 met, 1 at risk, 1 no recent action'."""
    counts = Counter(a.assessment for a in assessments)
    return ", ".join(f"{counts[label]} {label}" for label in LABELS if counts[label])


def counts_sentence(assessments: list[Assessment]) -> str:
    """'3 commitments: 1 met, 1 at risk, 1 no recent action.'"""
    return f"{len(assessments)} commitment{'s' * (len(assessments) != 1)}: {counts_text(assessments)}."


def page_title(assessments: list[Assessment]) -> str:
    """States the finding: how many commitments need attention."""
    flagged = [a for a in assessments if a.assessment in FLAGGED]
    if not flagged:
        return f"Commitments: none of {len(assessments)} needs attention"
    return f"Commitments: {len(flagged)} of {len(assessments)} need attention"


def finding_sentence(a: Assessment) -> str:
    c = a.commitment
    return f"Commitment {c.id} ({c.title}; owner: {c.owner}): {a.assessment}. {a.reasons[0]}"


def headline_reasons(assessments: list[Assessment]) -> str:
    """Each commitment's label and the reason for it (the first sentence group of its reasons)."""
    return " ".join(f"{a.commitment.id} ({a.assessment}): {a.reasons[0]}" for a in assessments)


def overview_lines(assessments: list[Assessment]) -> list[str]:
    return [
        f"- **{a.commitment.id}** {a.commitment.title} ({a.commitment.owner}): **{a.assessment}**. {a.reason}"
        for a in assessments
    ]


def register_table(assessments: list[Assessment]) -> pd.DataFrame:
    """One row per commitment: what was promised, by whom, where the metric stands."""
    rows = []
    for a in assessments:
        c, unit = a.commitment, a.commitment.spec.unit
        p = a.projection or {}
        projected = (
            ""
            if not p
            else (
                f"{format_value(p['projected'], unit)} (95% CI "
                f"{format_ci(p['projected_low'], p['projected_high'], unit)})"
            )
        )
        rows.append(
            {
                "ID": c.id,
                "Commitment": c.title,
                "Owner": c.owner,
                "Status": c.status.replace("_", " "),
                "Linked metric": c.linked_label,
                "Baseline period": c.baseline_period,
                "Baseline": value_text(a.baseline, unit),
                "Baseline 95% CI": ci_text(a.baseline, unit),
                "Baseline n": n_text(a.baseline),
                "Latest period": "" if a.latest is None else str(a.latest["period"]),
                "Latest": value_text(a.latest, unit),
                "Latest 95% CI": ci_text(a.latest, unit),
                "Latest n": n_text(a.latest),
                "Target": format_value(c.target, unit),
                "Due": c.due.isoformat(),
                "Projected at due date": projected,
                "Assessment": a.assessment,
                "Reason": a.reason,
            }
        )
    return pd.DataFrame(rows)


def checkpoint_table(a: Assessment) -> pd.DataFrame:
    """The persistence view: the metric and the activity at each checkpoint."""
    unit = a.commitment.spec.unit
    rows = []
    for r in a.checkpoints.itertuples():
        published = r.state == "published"
        rows.append(
            {
                "Checkpoint": r.checkpoint,
                "Date": r.date.isoformat(),
                "Window": f"{r.window_start} to {r.date}",
                "Value": format_value(r.value, unit) if published else (NOT_ENOUGH if r.state == NOT_ENOUGH else ""),
                "95% CI": format_ci(r.ci_low, r.ci_high, unit) if published else "",
                "n": f"{int(r.n):,}" if published and pd.notna(r.n) else "",
                "Actions": "" if pd.isna(r.actions) else str(int(r.actions)),
                "Reviews": "" if pd.isna(r.reviews) else str(int(r.reviews)),
                "Note": r.note,
            }
        )
    return pd.DataFrame(rows)


def persistence_summary(a: Assessment) -> str:
    """Where the metric stood at each checkpoint reached, and when activity stopped."""
    unit = a.commitment.spec.unit
    cps = a.checkpoints
    reached = cps[cps["state"] != "not reached yet"]
    parts = [
        f"{r.checkpoint} ({r.date}): {format_value(r.value, unit) if r.state == 'published' else r.state}"
        for r in reached.itertuples()
    ]
    text = (
        f"The linked metric over the months up to each checkpoint: {'; '.join(parts)}."
        if parts
        else "No checkpoint has been reached yet."
    )
    text += f" Last action, review or announcement: {a.last_activity}."
    hidden = int((cps["state"] == NOT_ENOUGH).sum())
    if hidden:
        text += f" {hidden} checkpoint(s) not shown: the group is below the privacy threshold there."
    return text


def actions_table(a: Assessment) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Date": act.date.isoformat(), "Action": act.text} for act in a.commitment.actions], columns=["Date", "Action"]
    )


def trajectory_title(a: Assessment) -> str:
    """'C3 at risk: 2.7% in 2025, baseline 1.1% in 2021, target 4.0% by 2027-12-31' (short enough
    for a chart title; the heading above the chart names the commitment and its metric)."""
    c, unit = a.commitment, a.commitment.spec.unit
    if a.latest is None or a.baseline is None:
        return f"{c.id} {a.assessment}: {c.linked_label} cannot be shown (below the privacy threshold)"
    return (
        f"{c.id} {a.assessment}: {format_value(a.latest['value'], unit)} in {a.latest['period']}, "
        f"baseline {format_value(a.baseline['value'], unit)} in {c.baseline_period}, "
        f"target {format_value(c.target, unit)} by {c.due}"
    )


def review_table(entries: pd.DataFrame) -> pd.DataFrame:
    """The review log as shown and exported: every entry, corrections and what they replace."""
    if entries.empty:
        return pd.DataFrame(
            columns=[
                "Entry",
                "Commitment",
                "Review date",
                "Decision",
                "Next step",
                "Reviewed by",
                "Recorded by",
                "Recorded at (UTC)",
                "Corrects entry",
                "In force",
            ]
        )
    return pd.DataFrame(
        {
            "Entry": entries["entry_id"].astype(int),
            "Commitment": entries["commitment_id"],
            "Review date": entries["review_date"],
            "Decision": entries["decision"],
            "Next step": entries["next_step"],
            "Reviewed by": entries["reviewed_by"],
            "Recorded by": [
                f"{who} (signed in)" if ok else who
                for who, ok in zip(entries["recorded_by"], entries["identity_verified"].astype(bool))
            ],
            "Recorded at (UTC)": entries["recorded_at"],
            "Corrects entry": entries["supersedes"].map(lambda v: "" if pd.isna(v) else str(int(v))),
            "In force": entries["current"].map({True: "yes", False: "no, corrected"}),
        }
    )
