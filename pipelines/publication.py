"""How exact (data owner's) output says what it is, in every format the CLI writes."""

from __future__ import annotations

EXACT_NOTICE = "exact figures for the data owner — not for publication"
EXACT_COLUMN = "publication"


def mark_exact(df):
    """The table with a first column saying, on every row, that it is not for publication
    (a CSV or JSON file carries the warning wherever it is copied)."""
    out = df.copy()
    out.insert(0, EXACT_COLUMN, EXACT_NOTICE)
    return out
