"""time_in_stage: Kaplan-Meier median days from entering a stage to entering the next one.

Applications still open at a stage on the as-of date are censored there (they have waited at
least as-of minus entry days), not dropped, so a backlog of open applications does not make
a stage look faster than it is. Applications that left the funnel at the stage (rejected or
withdrew) carry no exit date in the data contract, so they are outside this measure - it is
the time to *advance* - and counted in `left_funnel`. The first stage is entered on the
application date when it has no record of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.sqlsafe import ident
from pipelines.metrics._frame import Query
from .funnel import applications_sql, register_stage_order
from .rows import add_issue_note, blank_unpublished, cube_apply, published_mask
from .stats import km_median

EXTRAS = ["advanced", "still_open", "left_funnel"]


def _spells_sql(q: Query, last: int) -> str:
    """One row per application per stage it entered (before the last), with the next entry."""
    return (
        "WITH recorded AS (SELECT s.application_id, o.position, o.stage, s.entered_date "
        "  FROM fct_application_stages s JOIN q_stage_order o ON o.stage = s.stage), "
        "first_implied AS (SELECT a.application_id, 0 AS position, "
        "  (SELECT stage FROM q_stage_order WHERE position = 0) AS stage, a.applied_date AS entered_date "
        "  FROM fct_applications a WHERE NOT EXISTS (SELECT 1 FROM recorded r "
        "  WHERE r.application_id = a.application_id AND r.position = 0)), "
        "entries AS (SELECT * FROM recorded UNION ALL SELECT * FROM first_implied), "
        "spells AS (SELECT *, lead(entered_date) OVER (PARTITION BY application_id ORDER BY position) "
        "  AS next_date FROM entries) "
        f"SELECT a.period_start, a.period_end, a.status, a.furthest, s.stage, s.position, "
        f"  s.entered_date, s.next_date{''.join(f', a.{ident(d)}' for d in q.dims)} "
        f"FROM ({applications_sql(q)}) a JOIN spells s ON s.application_id = a.application_id "
        f"WHERE s.position < {last}"
    )


KM_COLUMNS = ["usable", "days", "advanced", "left", "negative"]


def _km_row(cols: dict[str, np.ndarray]) -> dict:
    usable = cols["usable"].astype(bool)
    days, advanced = cols["days"][usable], cols["advanced"][usable]
    median, low, high = km_median(days, advanced)
    n_advanced = int(advanced.sum())
    return {
        "value": median,
        "ci_low": low,
        "ci_high": high,
        "advanced": n_advanced,
        "still_open": int(usable.sum() - n_advanced),
        "left_funnel": int(cols["left"].sum()),
        "negative": int(cols["negative"].sum()),
        "n": int(usable.sum()),
    }


def time_in_stage(q: Query) -> pd.DataFrame:
    stages = register_stage_order(q)
    q.register_periods()
    rows = q.frame(_spells_sql(q, len(stages) - 1))
    as_of = pd.Timestamp(q.params["as_of"])
    entered = pd.to_datetime(rows["entered_date"])
    nxt = pd.to_datetime(rows["next_date"])
    rows["advanced"] = nxt.notna()
    is_open = ~rows["advanced"] & (rows["status"] == "in_progress") & (rows["furthest"] == rows["position"])
    end = nxt.where(rows["advanced"], as_of)
    rows["days"] = (end - entered).dt.days.astype(float)
    rows["negative"] = (rows["advanced"] | is_open) & (rows["days"] < 0)
    rows["usable"] = (rows["advanced"] | is_open) & ~rows["negative"]
    rows["left"] = ~rows["advanced"] & ~is_open
    keys = ["period_start", "period_end", "stage"]
    df = cube_apply(rows, list(q.dims), keys, _km_row, KM_COLUMNS)
    if df.empty:
        return pd.DataFrame(columns=[*keys, *q.dims, "_gid", "value", "n"])
    df["numerator"] = df["advanced"]
    df["denominator"] = df["n"].astype(float)
    df["note"] = [_note(r) for r in df.itertuples()]
    df = df.reset_index(drop=True)
    df = blank_unpublished(df, published_mask(df, q, ["stage"]), EXTRAS)
    df = df[[*keys, *q.dims, "_gid", "numerator", "denominator", "value", "ci_low", "ci_high", "n", "note", *EXTRAS]]
    return add_issue_note(df, q)


def _note(r) -> str:
    parts = []
    if r.still_open:
        parts.append(f"{r.still_open:,} still open (censored)")
    if np.isnan(r.value) and r.n:
        parts.append("median not reached: fewer than half have advanced")
    elif np.isnan(r.ci_high) and r.n:
        parts.append("upper limit not reached")
    if r.negative:
        parts.append(f"{r.negative:,} left out: next stage dated before this one")
    return "; ".join(parts)
