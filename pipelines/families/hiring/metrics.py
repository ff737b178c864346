"""Hiring-funnel metrics: pass-through, reach, withdrawal, selection (bottom line), offer
acceptance, applicant share and source mix. The adverse-impact ratio is in impact.py,
time in stage in time_in_stage.py.

Cohort: applications whose applied_date falls in the period. Each function returns
unsuppressed long rows for every subset of the requested dimensions; the engine adds
intervals, suppression and labels. Extra per-group columns are blanked here for the rows
the engine will suppress (rows.published_mask).
"""

from __future__ import annotations

import pandas as pd

from pipelines.metrics._frame import Query
from .funnel import (
    OUTCOME_MEASURES,
    applications_sql,
    bottom_line_sql,
    register_stage_order,
    stage_outcomes,
    withdrawn_counts,
)
from .rows import add_issue_note, blank_unpublished, long_rows, published_mask


def _rate(df: pd.DataFrame, numerator: str, denominator: str) -> pd.DataFrame:
    """numerator / denominator, with n = the denominator: every rate here counts its n in the
    people it divides by (those who could have passed, withdrawn, reached or accepted)."""
    df["numerator"] = df[numerator]
    df["denominator"] = df[denominator].astype(float)
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["n"] = df[denominator]
    return df


def _excluded_note(open_: int, withdrawn: int, counts_withdrawn: bool) -> str:
    parts = []
    if open_:
        parts.append(f"{open_:,} still in progress")
    if withdrawn and not counts_withdrawn:
        parts.append(f"{withdrawn:,} withdrew")
    return f"not counted: {' and '.join(parts)}" if parts else ""


def _with_exclusion_notes(df: pd.DataFrame, q: Query) -> pd.DataFrame:
    counts = withdrawn_counts(q.config)
    df["note"] = [_excluded_note(int(o), int(w), counts) for o, w in zip(df["open"], df["withdrawn"])]
    return df


def _finish(df: pd.DataFrame, q: Query, keys: list[str], extras=(), labels=()) -> pd.DataFrame:
    """The long rows in the engine's order, extra columns blanked where the engine will hide the
    row (suppression partitions by `keys`; `labels` are key-like columns that name a key's
    value, as next_stage names a stage's), the data-issue note added."""
    df = long_rows(df, [*keys, *labels], q.dims, extras).reset_index(drop=True)
    df = blank_unpublished(df, published_mask(df, q, keys), extras)
    return add_issue_note(df, q)


def stage_pass_rate(q: Query) -> pd.DataFrame:
    df = _rate(stage_outcomes(q), "selected", "decided")
    df = _with_exclusion_notes(df, q)
    df = df.rename(columns={"open": "still_open", "withdrawn": "withdrew"})
    return _finish(df, q, ["stage"], ["entered", "still_open", "withdrew"], labels=["next_stage"])


def withdrawal_rate(q: Query) -> pd.DataFrame:
    df = stage_outcomes(q)
    df["finished"] = df["entered"] - df["open"]
    df = _rate(df, "withdrawn", "finished")
    df["note"] = [f"not counted: {int(o):,} still in progress" if o else "" for o in df["open"]]
    return _finish(df, q, ["stage"])


def stage_reach_rate(q: Query) -> pd.DataFrame:
    register_stage_order(q)
    q.register_periods()
    inner = f"SELECT a.*, o.stage FROM ({applications_sql(q)}) a JOIN q_stage_order o ON o.position <= a.furthest"
    reached = q.frame(q.grouped(inner, {"reached": "count(*)"}, keys=["stage"]))
    apps = q.frame(
        q.grouped(applications_sql(q), {"applications": "count(*)", "in_progress": "count_if(status = 'in_progress')"})
    )
    df = reached.merge(apps, on=["period_start", "period_end", *q.dims, "_gid"], how="left")
    df = _rate(df, "reached", "applications")
    df["note"] = [f"{int(o):,} still in progress (may reach later stages)" if o else "" for o in df["in_progress"]]
    return _finish(df, q, ["stage"])


def selection_rate(q: Query) -> pd.DataFrame:
    register_stage_order(q)
    q.register_periods()
    df = q.frame(q.grouped(bottom_line_sql(q), OUTCOME_MEASURES))
    df = _rate(df, "selected", "decided")
    df = _with_exclusion_notes(df, q)
    return _finish(df, q, [])


def offer_acceptance_rate(q: Query) -> pd.DataFrame:
    stages = register_stage_order(q)
    q.register_periods()
    offer, last = len(stages) - 2, len(stages) - 1
    inner = f"SELECT * FROM ({applications_sql(q)}) WHERE furthest >= {offer}"
    df = q.frame(
        q.grouped(
            inner,
            {
                "accepted": f"count_if(furthest = {last})",
                "declined": f"count_if(furthest = {offer} AND status = 'withdrawn')",
                "rescinded": f"count_if(furthest = {offer} AND status = 'rejected')",
                "open": f"count_if(furthest = {offer} AND status = 'in_progress')",
            },
        )
    )
    df["answered"] = df["accepted"] + df["declined"]
    df = _rate(df, "accepted", "answered")
    df["note"] = [
        "; ".join(
            p
            for p in (
                f"{int(o):,} offers still open" if o else "",
                f"{int(r):,} rejected at the offer stage" if r else "",
            )
            if p
        )
        for o, r in zip(df["open"], df["rescinded"])
    ]
    df["note"] = ["not counted: " + n if n else "" for n in df["note"]]
    return _finish(df, q, [])


def applicant_share(q: Query) -> pd.DataFrame:
    register_stage_order(q)
    q.register_periods()
    df = q.frame(q.grouped(applications_sql(q), {"numerator": "count(*)"}))
    totals = df[df["_gid"] == (1 << len(q.dims)) - 1].set_index("period_start")["numerator"]
    df["denominator"] = df["period_start"].map(totals).astype(float)
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["n"] = df["numerator"]
    df["note"] = ""
    return _finish(df, q, [])


def source_mix(q: Query) -> pd.DataFrame:
    """Within each group, the share of its applications from each source: one table per source
    (key), n = the group's applications, so every source table hides the same groups and a
    hidden group's sources cannot be recovered by subtracting the others from its total."""
    register_stage_order(q)
    q.register_periods()
    totals = q.frame(q.grouped(applications_sql(q), {"denominator": "count(*)"}))
    counts = q.frame(q.grouped(applications_sql(q), {"numerator": "count(*)"}, keys=["_source"]))
    sources = sorted(counts["_source"].dropna().unique())
    cells = ["period_start", "period_end", *q.dims, "_gid"]
    # every group in every source table (0 when none came from it), so the tables line up
    full = totals.merge(pd.DataFrame({"_source": sources}), how="cross")
    df = full.merge(counts, on=[*cells, "_source"], how="left").rename(columns={"_source": "source"})
    df["numerator"] = df["numerator"].fillna(0).astype(int)
    df["denominator"] = df["denominator"].astype(float)
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["n"] = df["denominator"].astype(int)
    df["note"] = ""
    return _finish(df, q, ["source"])
