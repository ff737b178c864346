"""The survey attack of issue 16, run against the data owner's exact output (to show it works)
and the published (protected) output.

Hidden department x level favourability cells, and one respondent's answers to an item, were
recovered with a handful of queries each: the parent total (a department, or a department x
level) minus every sibling cell, each sibling read from whichever published table shows it -
the breakdown table, the breakdown filtered to the parent, or the parents' breakdown filtered
to the sibling's value (`--by department --filter job_level=L5`), whose complementary
suppression hides other cells (the differencing guard does not compare a filtered view with
an unfiltered breakdown). On exact output that returns the hidden cell's exact favourable
answers and answers; on protected output every published count carries its own fixed
perturbation, so the difference is the hidden cell plus the noise of every cell subtracted,
exact only by chance.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.metrics import compute
from pipelines.metrics._engine import build_context, unsuppressed_table
from pipelines.families.voice.compare import voice_gaps
from pipelines.families.voice.guard import DifferencingRefused
from pipelines.families.voice.outcomes import outcomes_side_by_side, published_window
from pipelines.privacy.ptable import distribution

pytestmark = pytest.mark.slow
P_EXACT = distribution(10)[10]  # 102/256: how often one protected count is the truth
COUNTS = ["numerator", "denominator"]


def _cells(df: pd.DataFrame, key: str) -> dict:
    """(period, key, dimensions, group) -> (numerator, denominator) of the rows shown."""
    shown = df[~df["suppressed"]]
    return {
        (r.period, getattr(r, key), r.dimensions, r.group): (r.numerator, r.denominator) for r in shown.itertuples()
    }


def _published(con, metric, key, by, filters, exact) -> dict:
    """The cells a request shows; a request the differencing guard refuses shows none."""
    try:
        return _cells(compute(con, metric, by=by, filters=filters, exact=exact), key)
    except DifferencingRefused:
        return {}


def subtraction_attack(
    con, metric: str, key: str, dims: list[str], parents: int, exact: bool, max_n: int | None = None
) -> tuple[int, int]:
    """Hidden cells of the `dims` breakdown recovered as parent minus siblings (recovered,
    attacked). The last dimension is the one subtracted over; a parent is a cell of the others."""
    outer, last = dims[:-1], dims[-1]
    label = "|".join(dims)
    truth = unsuppressed_table(con, metric, by=dims)
    truth = truth[truth["dimensions"] == label]
    hidden = compute(con, metric, by=dims, exact=True)
    hidden = hidden[(hidden["dimensions"] == label) & hidden["suppressed"]]
    if max_n is not None:  # down to single respondents: the cells of at most max_n people
        small = truth.loc[truth["n"] <= max_n, ["period", key, "group"]]
        hidden = hidden.merge(small, on=["period", key, "group"])
    exact_of = {(r.period, getattr(r, key), r.group): (r.numerator, r.denominator) for r in truth.itertuples()}
    full = _cells(compute(con, metric, by=dims, exact=exact), key)
    wanted = list(dict.fromkeys(g.rsplit("|", 1)[0] for g in hidden["group"]))[:parents]
    across = {}  # sibling value m -> the parents' breakdown filtered to last = m
    for m in truth["group"].str.rsplit("|", n=1).str[1].unique():
        rows = _published(con, metric, key, outer, {last: [m]}, exact)
        across[m] = {(p, kk, g): v for (p, kk, dl, g), v in rows.items() if dl == "|".join(outer)}
    recovered = attacked = 0
    for parent in wanted:
        values = parent.split("|")
        flt = {d: [v] for d, v in zip(outer, values)}
        within = _published(con, metric, key, [last], flt, exact)
        for r in hidden[hidden["group"].str.rsplit("|", n=1).str[0] == parent].itertuples():
            cell, period, k = r.group.rsplit("|", 1)[1], r.period, getattr(r, key)
            total = within.get((period, k, "", "All")) or full.get((period, k, "|".join(outer), parent))
            siblings = {
                g.rsplit("|", 1)[1]: v
                for (p, kk, dl, g), v in full.items()
                if (p, kk, dl) == (period, k, label) and g.rsplit("|", 1)[0] == parent
            }
            siblings.update({g: v for (p, kk, dl, g), v in within.items() if (p, kk, dl) == (period, k, last)})
            siblings.update({m: rows[(period, k, parent)] for m, rows in across.items() if (period, k, parent) in rows})
            others = (
                truth[(truth["period"] == period) & (truth[key] == k) & truth["group"].str.startswith(parent + "|")][
                    "group"
                ]
                .str.rsplit("|", n=1)
                .str[1]
            )
            others = [o for o in others if o != cell]
            if total is None or any(o not in siblings for o in others):
                continue
            attacked += 1
            guess = tuple(total[i] - sum(siblings[o][i] for o in others) for i in range(2))
            recovered += int(np.allclose(guess, exact_of[(period, k, r.group)]))
    return recovered, attacked


def _bound(attacked: int) -> float:
    """What chance allows: each recovered cell needs two protected differences to be exact."""
    return P_EXACT * attacked + 2 * np.sqrt(attacked * P_EXACT * (1 - P_EXACT)) + 1


def test_hidden_department_level_favourability_cells_recovered_only_from_exact_output(sample_con):
    got, attacked = subtraction_attack(
        sample_con, "favourability", "construct", ["department", "job_level"], parents=4, exact=True
    )
    assert attacked >= 10 and got == attacked  # the attack works on exact output
    got, attacked = subtraction_attack(
        sample_con, "favourability", "construct", ["department", "job_level"], parents=4, exact=False
    )
    assert attacked >= 10 and got <= _bound(attacked)


def test_the_smallest_groups_item_answers_recovered_only_from_exact_output(sample_con):
    # department x level cells of at most 2 respondents (the smallest the demo data's guard
    # lets this attack reach): 0/2 or 2/2 favourable is both people's answer to the item
    dims = ["department", "job_level"]
    got, attacked = subtraction_attack(
        sample_con, "item_favourability", "item_id", dims, parents=7, exact=True, max_n=2
    )
    assert attacked >= 5 and got == attacked
    got, attacked = subtraction_attack(
        sample_con, "item_favourability", "item_id", dims, parents=7, exact=False, max_n=2
    )
    assert attacked >= 5 and got <= _bound(attacked)


def test_the_survey_threshold_hides_on_protected_counts_and_publishes_every_cell_of_2k(sample_con):
    k = build_context(sample_con)["config"]["privacy"]["survey_k"]
    table = compute(sample_con, "favourability", by=["department", "job_level"])
    truth = unsuppressed_table(sample_con, "favourability", by=["department", "job_level"])
    both = table.merge(
        truth[["period", "construct", "group", "n"]], on=["period", "construct", "group"], suffixes=("", "_true")
    )
    assert (both["suppressed"] == ~(both["n"].astype(float) >= k)).all()  # hidden iff protected n < k
    assert not both.loc[both["n_true"] >= 2 * k, "suppressed"].any()  # no cascade
    assert (both["note"].str.contains("another suppressed cell")).sum() == 0
    shown = both[~both["suppressed"]]
    assert (shown["n"] - shown["n_true"]).abs().max() <= 2


def test_gaps_to_the_rest_use_the_published_counts_so_they_match_the_metric_page(sample_con):
    gaps = voice_gaps(sample_con, "favourability", by=["gender"])
    table = compute(sample_con, "favourability", by=["gender"])
    merged = gaps.merge(table, on=["period", "construct", "group"], suffixes=("", "_table"))
    assert len(merged) and (merged["value"].fillna(-1) == merged["value_table"].fillna(-1)).all()
    overall = table[table["group"] == "All"].set_index(["period", "construct"])
    row = merged[merged["rest_n"].notna()].iloc[0]
    everyone = overall.loc[(row["period"], row["construct"])]
    # the rest is the published overall row minus the published group, never exact counts
    assert row["rest_n"] == everyone["n"] - row["n"]
    group = table.set_index(["period", "construct", "group"]).loc[(row["period"], row["construct"], row["group"])]
    rest = (everyone["numerator"] - group["numerator"]) / (everyone["denominator"] - group["denominator"])
    assert row["rest_value"] == pytest.approx(rest)


def test_outcomes_are_published_over_the_last_whole_year_before_the_survey(sample_con):
    ctx = build_context(sample_con)
    wave = dt.date(2025, 3, 10)
    assert published_window(ctx, wave, 12) == ("year", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert published_window(ctx, wave, 6) == ("quarter", dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert published_window(ctx, wave, 1) == ("month", dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    side = outcomes_side_by_side(sample_con, by=["gender"])
    latest = compute(sample_con, "inclusion_index")["period_start"].max()
    grain, start, end = published_window(ctx, latest, 12)
    published = compute(sample_con, "turnover_rate", by=["gender"], period=grain, date_from=start, date_to=end)
    assert published["period"].nunique() == 1 and set(side["turnover_rate_period"]) == set(published["period"])
    published = published.set_index("group")["value"]
    for r in side.itertuples():  # the same figure as the Workforce page's turnover for that year
        if pd.notna(r.turnover_rate_value):
            assert r.turnover_rate_value == published[r.group]
