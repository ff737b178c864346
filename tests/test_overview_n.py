"""The Overview's headline n says what it counts (issue 19: turnover n = 2,491 people ever
employed in the year sat beside headcount 2,213 people on one day, with no explanation)."""

from __future__ import annotations

import pandas as pd

from pipelines.headlines import Headline
from pipelines.metrics import registry


def _headline(name: str, n: str) -> Headline:
    return Headline(
        spec=registry()[name],
        period="2025",
        label=name,
        value="",
        change="",
        n=n,
        ci="",
        trend=pd.DataFrame(),
        suppressed=False,
    )


def test_headcount_and_turnover_n_say_what_they_count():
    head = _headline("headcount", "2,213").n_text
    turnover = _headline("turnover_rate", "2,491").n_text
    assert head.startswith("n = 2,213 (") and "last day of the period" in head
    assert turnover.startswith("n = 2,491 (") and "any month end of the period" in turnover
    assert _headline("headcount", "").n_text == ""  # a hidden n says nothing here
