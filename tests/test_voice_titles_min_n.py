"""Voice chart titles name a group only among groups of at least FINDING_MIN_N (30)
respondents, like every other title (docs/findings.md): a significant shortfall, the lowest
item, the lowest and highest response rate and the lowest inclusion index of a group of
8-12 people are not headlines. Small hand-made tables; each expected title is written out
from the rows by hand (the smallest group has the most extreme value, so a title that
ignored the rule would name it)."""

from __future__ import annotations

import pandas as pd

from dashboard.families.voice.blocks import items_title, outcomes_title, rate_title
from dashboard.families.voice.charts import gap_finding


def _gaps(significant=(True, True, True)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["W"] * 3,
            "dimensions": ["gender"] * 3,
            "group": ["Tiny", "Woman", "Man"],
            "construct": ["belonging"] * 3,
            "value": [0.50, 0.62, 0.70],
            "n": [8, 40, 300],
            "rest_value": [0.70, 0.67, 0.60],
            "gap": [-0.20, -0.05, 0.10],
            "ci_low": [-0.35, -0.09, 0.05],
            "ci_high": [-0.05, -0.01, 0.15],
            "significant": list(significant),
            "p_holm": [0.01, 0.02, 0.001],
        }
    )


def test_the_largest_shortfall_is_named_only_for_a_group_of_at_least_30():
    title, row = gap_finding(_gaps(), "W")
    # Tiny (n = 8) falls 20 points short; Woman (n = 40) is the largest shortfall of a large group:
    # 62.0% favourable, 0.67 - 0.62 = 5.0 points below, interval |-0.01| to |-0.09| = 1.0 to 9.0
    assert title == "Belonging, W: Woman 62.0% favourable, 5.0 points below everyone else (95% CI 1.0 to 9.0)"
    assert row["group"] == "Woman"


def test_a_significant_shortfall_of_a_small_group_alone_is_no_headline():
    title, row = gap_finding(_gaps(significant=(True, False, True)), "W")  # Man's gap is positive
    assert row is None
    assert (
        title == "W: no group of at least 30 respondents is significantly below everyone else (after Holm adjustment)"
    )


def test_the_lowest_item_is_that_of_a_group_of_at_least_30():
    rows = pd.DataFrame(
        {
            "group": ["All", "Tiny", "Woman", "Woman"],
            "item_id": ["B1", "B1", "B2", "B1"],
            "value": [0.66, 0.30, 0.55, 0.60],
            "n": [500, 12, 50, 50],
            "suppressed": [False, False, False, False],
        }
    )
    # without the rule: Tiny's 30.0% on B1; with it: Woman's 55.0% on B2 (lower than her 60.0% on B1)
    assert items_title(rows, "Belonging", "W") == "Belonging items, W: lowest is B2 for Woman (55.0%)"
    small = rows[rows["group"].isin(["All", "Tiny"])]
    assert items_title(small, "Belonging", "W") == (
        "Belonging items, W: no group is large enough to judge (n of at least 30)"
    )


def test_response_rate_extremes_are_among_departments_of_at_least_30():
    rates = pd.DataFrame(
        {
            "group": ["All", "Legal", "Sales", "Engineering"],
            "value": [0.70, 0.20, 0.60, 0.75],
            "n": [210, 10, 80, 120],
            "suppressed": [False] * 4,
        }
    )
    # Legal's 20.0% rests on 10 people: lowest of the large departments is Sales (60.0%)
    assert rate_title(rates, "W") == "Response rate, W: lowest Sales (60.0%), highest Engineering (75.0%)"
    one_large = rates[rates["group"] != "Sales"]  # only Engineering is large enough: nothing to compare
    assert rate_title(one_large, "W") == "Response rate, W"


def test_the_lowest_inclusion_index_is_that_of_a_group_of_at_least_30():
    side = pd.DataFrame(
        {
            "group": ["All", "Tiny", "Woman", "Man"],
            "inclusion_index_value": [0.66, 0.40, 0.62, 0.70],
            "inclusion_index_n": [254, 9, 45, 200],
        }
    )
    assert outcomes_title(side, "W", "2024") == "W: lowest inclusion index Woman (62.0%); outcomes over 2024"
