"""Attacks on published figures, run against the protected output and, to show that each
attack works, against the data owner's exact output (`exact=True`, i.e. `--exact`).

The threat model (docs/privacy.md): a viewer asks as many questions as they like through
every published route (breakdowns, filters, grains, ranges, k, metrics) without the database.
Each attack must recover (nearly) every hidden exact figure from exact output, and from
protected output recover exact figures no more often than the perturbation table allows:
a protected count equals the truth with probability 102/256 = 40% (privacy/ptable.py), and
the attacker cannot tell which.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipelines.errors import UsageError
from pipelines.metrics import compute
from pipelines.metrics._engine import unsuppressed_table
from pipelines.privacy.ptable import distribution

pytestmark = pytest.mark.slow
YEAR = "2025"
P_EXACT = distribution(10)[10]  # 102/256: how often a protected count is the truth


def cells(df: pd.DataFrame, col: str = "n") -> dict:
    rows = df[df["period"] == YEAR]
    return {(r.dimensions, r.group): getattr(r, col) for r in rows.itertuples()}


def departments(con) -> list[str]:
    return sorted(
        con.execute("SELECT DISTINCT department FROM fct_employment_spells WHERE department IS NOT NULL").fetchdf()[
            "department"
        ]
    )


def inclusion_exclusion(con, metric: str, exact: bool) -> tuple[int, int]:
    """Hidden (dept, gender) cells of `metric` recovered as
    table(gender | dept in all) - table(gender | dept in all but d). (recovered, hidden)."""
    depts = departments(con)
    truth = compute(con, metric, by=["department", "gender"], exact=True)
    hidden = truth[(truth["period"] == YEAR) & truth["suppressed"] & (truth["dimensions"] == "department|gender")]
    true_n = unsuppressed_table(con, metric, by=["department", "gender"])  # the truths (audit only)
    exact_cells = {
        (g.split("|")[0], g.split("|")[1]): n
        for g, n in cells(true_n[true_n["dimensions"] == "department|gender"], "numerator").items()
        for g in [g[1]]
    }
    whole = cells(compute(con, metric, by=["gender"], filters={"department": depts}, exact=exact), "numerator")
    recovered = 0
    for d in depts:
        rest = cells(
            compute(con, metric, by=["gender"], filters={"department": [x for x in depts if x != d]}, exact=exact),
            "numerator",
        )
        for key in hidden[hidden["group"].str.startswith(d + "|")]["group"]:
            gender = key.split("|")[1]
            a, b = whole.get(("gender", gender)), rest.get(("gender", gender))
            if a is not None and b is not None and not pd.isna(a) and not pd.isna(b):
                recovered += int(abs((a - b) - exact_cells.get((d, gender), np.nan)) < 1e-9)
    return recovered, len(hidden)


def test_inclusion_exclusion_over_filters_recovers_hidden_cells_only_from_exact_output(sample_con):
    got, hidden = inclusion_exclusion(sample_con, "hires", exact=True)
    assert hidden >= 5 and got >= 0.8 * hidden  # the attack works on exact output (two subtractions)
    got, hidden = inclusion_exclusion(sample_con, "hires", exact=False)
    # protected: the difference is the hidden part's protected count, exact only by chance
    assert got <= P_EXACT * hidden + 2 * np.sqrt(hidden * P_EXACT * (1 - P_EXACT)) + 1


def test_several_value_filters_add_up_from_their_parts_so_empty_values_add_nothing(sample_con):
    depts = departments(sample_con)
    one = compute(sample_con, "headcount", by=["gender"], filters={"department": [depts[0]]})
    padded = compute(sample_con, "headcount", by=["gender"], filters={"department": [depts[0], "No such department"]})
    pd.testing.assert_frame_equal(one[["period", "group", "value", "n"]], padded[["period", "group", "value", "n"]])


def test_non_additive_figures_refuse_several_values_so_four_totals_cannot_isolate_one_pay(sample_con):
    depts = departments(sample_con)
    genders = sorted(compute(sample_con, "pay_gap_mean", by=["gender"], exact=True)["group"].unique())
    genders = [g for g in genders if g != "All"]

    # on exact output the four-totals attack returns one person's exact hourly pay
    def total(filters, exact=True):
        row = compute(sample_con, "pay_gap_mean", filters=filters, exact=exact)
        row = row[(row["period"] == YEAR) & (row["group"] == "All")].iloc[0]
        return row["numerator"], row["n"]

    with pytest.raises(UsageError, match="does not add up"):
        compute(sample_con, "pay_gap_mean", filters={"department": depts[1:]})
    with pytest.raises(UsageError, match="does not add up"):
        compute(sample_con, "pay_gap_mean", filters={"gender": genders[1:]})


def test_ranges_are_whole_periods_so_one_day_apart_is_the_same_table(sample_con):
    a = compute(
        sample_con, "hires", by=["gender"], period="month", date_from=dt.date(2024, 1, 1), date_to=dt.date(2025, 6, 14)
    )
    b = compute(
        sample_con, "hires", by=["gender"], period="month", date_from=dt.date(2024, 1, 1), date_to=dt.date(2025, 6, 13)
    )
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(UsageError, match="whole years, quarters or months"):
        compute(sample_con, "hires", period="custom", date_from=dt.date(2019, 1, 1), date_to=dt.date(2025, 6, 1))
    # exact output over custom ranges one day apart isolates single hires (the attack works)
    days = pd.date_range("2025-03-01", "2025-03-31").date
    totals = [
        cells(
            compute(sample_con, "hires", period="custom", date_from=dt.date(2019, 1, 1), date_to=d, exact=True).assign(
                period=YEAR
            ),
            "numerator",
        )[("", "All")]
        for d in days
    ]
    assert max(np.diff(totals)) >= 1 and min(np.diff(totals)) >= 0


def test_grains_together_do_not_pin_hidden_year_cells(sample_con):
    """Sum the published quarters of each hidden year cell: exact output gives the hidden
    value whenever all four quarters are published; protected output rarely does."""

    def attack(exact):
        year = compute(sample_con, "hires", by=["gender", "race_ethnicity"], exact=True)
        truth = unsuppressed_table(sample_con, "hires", by=["gender", "race_ethnicity"])
        quarters = compute(sample_con, "hires", by=["gender", "race_ethnicity"], period="quarter", exact=exact)
        q = quarters[quarters["period"].str.startswith(YEAR)]
        hits = tried = 0
        for row in year[(year["period"] == YEAR) & year["suppressed"]].itertuples():
            parts = q[(q["dimensions"] == row.dimensions) & (q["group"] == row.group)]
            if len(parts) == 4 and not parts["suppressed"].any():
                tried += 1
                true = truth[
                    (truth["period"] == YEAR) & (truth["group"] == row.group) & (truth["dimensions"] == row.dimensions)
                ]["numerator"].iloc[0]
                hits += int(parts["numerator"].sum() == true)
        return hits, tried

    hits, tried = attack(exact=True)
    assert tried == 0 or hits == tried
    hits, tried = attack(exact=False)
    assert hits <= P_EXACT * tried + 2 * np.sqrt(max(tried, 1)) + 1


def test_shared_counts_publish_one_figure(sample_con):
    seps = cells(compute(sample_con, "separations", by=["gender", "department"]), "numerator")
    turnover = cells(compute(sample_con, "turnover_rate", by=["gender", "department"]), "numerator")
    shared = [key for key in seps if key in turnover and not pd.isna(seps[key]) and not pd.isna(turnover[key])]
    assert len(shared) > 10 and all(seps[k] == turnover[k] for k in shared)


def test_same_people_asked_several_ways_get_one_published_count(sample_con):
    """A constraint that excludes nobody (every Engineering woman is in one location) names the
    same people: the protected counts must agree, or averaging the versions removes the noise."""
    exact = unsuppressed_table(sample_con, "headcount", by=["department", "gender", "location"])
    prot = compute(sample_con, "headcount", by=["department", "gender", "location"], k=3)
    e = {(r.period, r.dimensions, r.group): r.n for r in exact.itertuples()}
    p = {(r.period, r.dimensions, r.group): r.n for r in prot.itertuples()}
    pairs = 0
    for (period, dims, group), n in e.items():
        if dims != "department|gender|location" or pd.isna(n):
            continue
        d, g, loc = group.split("|")
        parent = (period, "department|gender", f"{d}|{g}")
        if e.get(parent) == n and not pd.isna(p.get(parent)):
            pairs += 1
            assert p[(period, dims, group)] == p[parent]
    assert pairs > 0


def test_consistent_across_views_and_runs(sample_con):
    depts = departments(sample_con)
    by_two = compute(sample_con, "headcount", by=["department", "gender"])
    filtered = compute(sample_con, "headcount", by=["gender"], filters={"department": [depts[0]]})
    two = {
        (r.period, r.group.split("|")[1]): r.n
        for r in by_two.itertuples()
        if r.dimensions == "department|gender" and r.group.startswith(depts[0] + "|")
    }
    one = {(r.period, r.group): r.n for r in filtered.itertuples() if r.dimensions == "gender"}
    same = lambda a, b: (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)
    assert two and all(same(two[key], one[key]) for key in two)
    pd.testing.assert_frame_equal(
        compute(sample_con, "representation", by=["gender"]), compute(sample_con, "representation", by=["gender"])
    )


def test_protected_counts_are_close_and_large_cells_are_published(sample_con):
    exact = unsuppressed_table(sample_con, "headcount", by=["gender", "race_ethnicity", "job_level"])
    prot = compute(sample_con, "headcount", by=["gender", "race_ethnicity", "job_level"])
    merged = exact.merge(prot, on=["period", "dimensions", "group"], suffixes=("_x", "_p"))
    assert (merged["n_p"].dropna() - merged.loc[merged["n_p"].notna(), "n_x"]).abs().max() <= 2
    big = merged[merged["n_x"] >= 10]  # true n >= 2k is always published
    assert len(big) and not big["suppressed_p"].any()
    assert (merged["value_p"] - merged["value_x"]).abs().mean() > 0  # and it is protected


def test_hidden_iff_protected_count_below_k(sample_con):
    prot = compute(sample_con, "hires", by=["gender", "race_ethnicity"])
    shown = prot[~prot["suppressed"]]
    assert (shown["n"] >= 5).all()
    assert prot[prot["suppressed"]]["note"].str.contains("protected count").all()
