"""Numbers in sentences: the same formats as the dashboard (dashboard.charts.format_value),
kept here so the CLI and the reasons need no dashboard import; tests/test_commitments_rules.py
checks that the two agree."""
from __future__ import annotations

import datetime as dt

import pandas as pd


def format_value(value: float | None, unit: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if unit in ("share", "rate"):
        return f"{value:.1%}"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in ("count", "currency"):
        return f"{value:,.0f}"
    return f"{value:.3g}"


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (a day count would say 5.9 for 'six months')."""
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
