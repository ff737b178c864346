"""A count that is the same people in every key table (source_mix's n: the group's applications,
whatever the source) must be one published draw, not one per table: otherwise averaging the
tables gives the exact count back. The attack below recovers every exact n from independent
draws and fails against the published tables."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from pipelines.metrics import registry
from pipelines.metrics._registry import _spec
from pipelines.privacy.protect import protect_table

SOURCES = [f"source {i}" for i in range(30)]


def _source_mix_rows(groups: int = 200) -> tuple[pd.DataFrame, dict[str, int]]:
    """Exact rows shaped as source_mix returns them: each group's n repeated in every source
    table, its applications split across sources."""
    rng = np.random.default_rng(7)
    truth, rows = {}, []
    for g in range(groups):
        n = int(rng.integers(5, 60))
        truth[f"g{g}"] = n
        split = rng.multinomial(n, np.full(len(SOURCES), 1 / len(SOURCES)))
        for source, count in zip(SOURCES, split):
            rows.append(
                {
                    "period_start": pd.Timestamp("2025-01-01"),
                    "period_end": pd.Timestamp("2025-12-31"),
                    "source": source,
                    "gender": f"g{g}",
                    "_gid": 0,
                    "numerator": int(count),
                    "denominator": float(n),
                    "value": count / n,
                    "n": n,
                    "note": "",
                }
            )
    return pd.DataFrame(rows), truth


def _averaging_attack(published: pd.DataFrame) -> dict[str, int]:
    """The viewer's estimate of each group's exact n: the rounded mean over the source tables."""
    return published.groupby("gender")["n"].mean().round().astype(int).to_dict()


def _hit_rate(guess: dict[str, int], truth: dict[str, int]) -> float:
    return float(np.mean([guess[g] == n for g, n in truth.items()]))


def test_the_attack_recovers_exact_counts_from_independent_draws():
    rows, truth = _source_mix_rows()
    spec = registry()["source_mix"]
    undeclared = dataclasses.replace(spec, extra={k: v for k, v in spec.extra.items() if k != "same_people_across"})
    published, _ = protect_table(rows, undeclared, ["gender"], 5, "salt", {})
    # 30 independent draws, each within 2 and unbiased (variance 1.2): the mean is within 0.5
    # of the truth nearly always
    assert _hit_rate(_averaging_attack(published), truth) > 0.95


def test_the_attack_fails_against_published_source_tables():
    rows, truth = _source_mix_rows()
    published, hidden = protect_table(rows, registry()["source_mix"], ["gender"], 5, "salt", {})
    # one draw per group: every source table shows the same n and hides the same groups
    assert (published.groupby("gender")["n"].nunique() == 1).all()
    assert (pd.Series(hidden).groupby(published["gender"].to_numpy()).nunique() == 1).all()
    # so averaging gains nothing: a single draw is the truth 102 times in 256 (ptable)
    assert _hit_rate(_averaging_attack(published), truth) < 0.55
    # the denominator is the same people as n: one published figure
    assert np.array_equal(published["denominator"].to_numpy(), published["n"].to_numpy())


def test_pay_categories_publish_one_n_for_basic_and_variable_pay():
    assert registry()["pay_gap_by_category"].extra["same_people_across"] == {"n": ["component"]}


@pytest.mark.parametrize(
    "declared, message",
    [
        ({"value": ["source"]}, "not a count column"),
        ({"n": ["stage"]}, "must list some of the metric's keys"),
        ({"n": []}, "must list some of the metric's keys"),
        (["n"], "must map a count column"),
    ],
)
def test_a_bad_declaration_names_the_metric(declared, message):
    entry = {
        "name": "m",
        "title": "M",
        "definition": "d",
        "formula": "f",
        "unit": "share",
        "n": "n",
        "ci": "none",
        "ci_method": "none",
        "function": "x:y",
        "keys": ["source"],
        "same_people_across": declared,
    }
    with pytest.raises(ValueError, match=f"metric m: same_people_across.*{message}"):
        _spec(entry, "hiring", "hiring.yml")
