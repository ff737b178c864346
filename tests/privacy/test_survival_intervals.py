"""Attack on the intervals of Kaplan-Meier retention (retention_12m, retention_24m): the
exact exponential-Greenwood interval is undefined while the survival is 1, so a blank
interval next to a shown value says "nobody in this cell left", however the value itself
is noised. Against the data owner's exact output (`exact=True`, `--exact`) the blank finds
every such cell; the published interval is the Wilson interval of the protected value on the
protected at-risk count (privacy/protect.py `_survival_interval`), blank only where the value
is, so the same guess does no better than always guessing the commoner answer.
Demo data, by gender x race_ethnicity (small cells, where nobody leaving is common).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipelines.metrics import compute
from pipelines.metrics._engine import unsuppressed_table

Z = 1.959963984540054  # two-sided 95% normal quantile
pytestmark = pytest.mark.slow

BY = ["gender", "race_ethnicity"]
KEY = ["period", "dimensions", "group"]


def _nobody_left(con, metric: str) -> pd.Series:
    """Truth per cell, hidden or not: no exit up to the horizon (exact survival 1)."""
    exact = unsuppressed_table(con, metric, by=BY)
    exact = exact[exact["value"].notna()]
    return (exact.set_index(KEY)["value"] == 1.0).rename("truth")


def _blank_interval_attack(con, metric: str, exact: bool) -> tuple[int, int, float, float]:
    """(cells flagged, cells truly without exits, accuracy of the guess, base-rate accuracy)
    over the cells the output shows a value for."""
    table = compute(con, metric, by=BY, exact=exact)
    shown = table[~table["suppressed"].astype(bool) & table["value"].notna()].set_index(KEY)
    guess = shown["ci_low"].isna() | shown["ci_high"].isna()
    truth = _nobody_left(con, metric).reindex(shown.index)
    assert truth.notna().all()
    truth = truth.astype(bool)
    rate = truth.mean()
    return int(guess.sum()), int(truth.sum()), float((guess == truth).mean()), max(rate, 1 - rate)


@pytest.mark.parametrize("metric", ["retention_12m", "retention_24m"])
def test_blank_intervals_tell_nobody_left_only_in_exact_output(sample_con, metric):
    flagged, nobody, accuracy, base = _blank_interval_attack(sample_con, metric, exact=True)
    assert nobody >= 20 and flagged >= nobody  # the leak is common on the demo data
    assert accuracy >= 0.98  # a few more blanks: S = 0 (everyone left) is undefined too

    flagged, nobody, accuracy, base = _blank_interval_attack(sample_con, metric, exact=False)
    assert nobody >= 10
    assert flagged == 0  # every shown value has its interval
    assert accuracy <= base + 1e-12


def _wilson(x: float, n: float) -> tuple[float, float]:
    """Wilson (1927) score interval, written out: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = x / n
    centre = p + Z**2 / (2 * n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n))
    return (centre - half) / (1 + Z**2 / n), (centre + half) / (1 + Z**2 / n)


def test_a_small_cell_without_exits_gets_the_wilson_interval_of_one_person(sample_con):
    """Woman, American Indian or Alaska Native, 2022: exact 3 people, nobody left, one still at
    risk at 12 months. Published: value 1 and a protected at-risk count of 0, so the binomial
    size is its floor of one person: Wilson of 1 out of 1 = [1 / (1 + z²), 1] = [0.20654, 1]."""
    table = compute(sample_con, "retention_12m", by=BY)
    row = table[(table["period"] == "2022") & (table["group"] == "Woman|American Indian or Alaska Native")].iloc[0]
    assert (row["value"], row["at_risk"]) == (1.0, 0)
    assert row["ci_low"] == pytest.approx(1 / (1 + Z**2), abs=1e-9)
    assert row["ci_high"] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("metric", ["retention_12m", "retention_24m"])
def test_every_published_interval_is_the_wilson_interval_of_published_figures(sample_con, metric):
    table = compute(sample_con, metric, by=BY)
    shown = table[~table["suppressed"].astype(bool) & table["value"].notna()]
    assert len(shown) >= 100
    for _, row in shown.iterrows():
        low, high = _wilson(row["value"] * max(row["at_risk"], 1), max(row["at_risk"], 1))
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-9), (row["period"], row["group"])
