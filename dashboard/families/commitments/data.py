"""Commitments data for the dashboard: the linked metric's values are cached per database
version (they only change with a rebuild); the review log is read fresh on every rerun, so
an entry saved by another committee member shows up at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pipelines.commitments import (
    Assessment,
    Commitment,
    ReviewLog,
    assess,
    linked_values,
    load_register,
    review_log_path,
)
from pipelines.commitments.review_log import current_entries, review_dates
from pipelines.commitments.settings import commitment_settings
from pipelines.metrics import build_context

from ... import data
from . import blocks


@st.cache_data(max_entries=4, show_spinner="Reading the commitments register ...")
def _linked(version: data.DbVersion) -> tuple[list[Commitment], dict, list[tuple[pd.DataFrame, pd.DataFrame]]]:
    cur = data.cursor(version)
    register = load_register(cur)
    ctx = build_context(cur)
    if not register:
        return [], ctx, []
    settings = commitment_settings(ctx["config"])
    return register, ctx, [linked_values(cur, c, ctx["history_start"], ctx["as_of"], settings) for c in register]


def log_path(version: data.DbVersion) -> Path | None:
    """The review log beside the database (None when the run has no register)."""
    return review_log_path(data.cursor(version))


def review_log(version: data.DbVersion) -> ReviewLog | None:
    path = log_path(version)
    return ReviewLog(path) if path is not None else None


def log_stamp(version: data.DbVersion) -> int | None:
    """Changes whenever an entry is saved: part of the cache key of anything that reads the log."""
    path = log_path(version)
    try:
        return path.stat().st_mtime_ns if path is not None else None
    except FileNotFoundError:
        return None


def assessments(version: data.DbVersion) -> list[Assessment]:
    register, ctx, values = _linked(version)
    if not register:
        return []
    current = current_entries(log_path(version))
    settings = commitment_settings(ctx["config"])
    return [
        assess(c, yearly, checkpoints, review_dates(current, c.id), ctx["as_of"], settings)
        for c, (yearly, checkpoints) in zip(register, values)
    ]


@st.cache_data(max_entries=16, show_spinner=False)
def impact_text(version: data.DbVersion, c: Commitment) -> str:
    """blocks.impact_text, computed once per database version (it only changes with a rebuild)."""
    return blocks.impact_text(data.cursor(version), c)
