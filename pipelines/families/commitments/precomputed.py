"""Commitments on a results-only database (`equity build --engine spark`).

The linked values of every commitment (its yearly rows and checkpoint windows, filters
included) are computed on the cluster from the marts - already suppressed, exactly as
`linked.py` publishes them - and stored beside the register, so the register page, the
Overview and the PDF judge commitments without the person-level marts.
"""

from __future__ import annotations

import pandas as pd

from ...db import has_table
from ...metrics._results import published_types
from .linked import CHECKPOINT_COLUMNS, checkpoint_rows, yearly_rows
from .register import Commitment
from .settings import Settings

YEARLY = "commitment_linked_yearly"
CHECKPOINTS = "commitment_linked_checkpoints"
LINKED_TABLES = [YEARLY, CHECKPOINTS]


def linked_frames(con, register: list[Commitment], history_start, as_of, settings: Settings) -> dict[str, pd.DataFrame]:
    """{table: frame} of every commitment's published linked values, keyed by `_commitment`."""
    yearly, checkpoints = [], []
    for c in register:
        yearly.append(yearly_rows(con, c).assign(_commitment=c.id))
        checkpoints.append(checkpoint_rows(con, c, history_start, as_of, settings).assign(_commitment=c.id))
    if not register:
        return {}
    return {YEARLY: pd.concat(yearly, ignore_index=True), CHECKPOINTS: pd.concat(checkpoints, ignore_index=True)}


def is_precomputed(con) -> bool:
    return has_table(con, YEARLY)


def stored_linked_values(con, c: Commitment) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The (yearly rows, checkpoint rows) stored for commitment `c`, with compute()'s types."""
    yearly = con.execute(f"SELECT * FROM {YEARLY} WHERE _commitment = ?", [c.id]).df().drop(columns="_commitment")
    for col in ("period_start", "period_end"):
        yearly[col] = pd.to_datetime(yearly[col]).dt.date
    yearly = published_types(yearly)
    points = con.execute(f"SELECT * FROM {CHECKPOINTS} WHERE _commitment = ?", [c.id]).df()
    points = points[CHECKPOINT_COLUMNS].copy()
    for col in ("date", "window_start"):
        points[col] = pd.to_datetime(points[col]).dt.date
    points["n"] = points["n"].astype("Int64")
    points["period"] = points["period"].fillna("").astype(str)
    return yearly.sort_values("period_start", kind="stable").reset_index(drop=True), points
