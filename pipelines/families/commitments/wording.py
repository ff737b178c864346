"""Words for commitment reasons: numbers in the dashboard's formats, months between dates."""

from __future__ import annotations

import datetime as dt

from ...formatting import format_value  # noqa: F401  (rules.py words its numbers with it)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (a day count would say 5.9 for 'six months')."""
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
