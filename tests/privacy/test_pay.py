"""Attacks on the pay analyses outside compute() (cohort review, decomposition, remediation,
regression extras), run against the data owner's exact output (to show the attack works) and
the published (protected) output (docs/privacy.md, "Derived statistics: pay").

The four-totals attack of issue 16: S(P) = mean x n of a published group over population P
(here the men of one cohort in the cohort review); with P = all, all but location a, all but
race b, and all but both (each narrowed to men and women), the signed sum
S1 - S2 - S3 + S4 is the pay of the people with location a and race b - one person when the
cell holds one. On exact output it returns that person's hourly pay; published output refuses
several values in one pay filter, and even with that refusal bypassed the protected means and
counts bury the person's pay in noise of several times the average pay.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.errors import UsageError
from pipelines.metrics import compute
from pipelines.families.pay import remediation_report as report
from pipelines.families.pay.analysis import pay_snapshot
from pipelines.families.pay.cohorts import cohort_labels, cohort_review
from pipelines.families.pay.oaxaca import decomposition_tables
from pipelines.families.pay.protect import Protection, one_person_scale
from pipelines.families.pay.regression import details
from pipelines.families.pay.remediation import Remediation, plan_for_target
from pipelines.privacy.keys import read_salt

pytestmark = pytest.mark.slow
NEAR = 0.05  # a recovered pay within 5% of the truth counts as recovered


def _people(con) -> pd.DataFrame:
    """Everyone with pay at the latest full year end: gender, cohort, location, race (exact)."""
    snap = pay_snapshot(con, ["gender"], exact=True, extra_columns=("location",))
    people = snap.people.assign(cohort=cohort_labels(snap), location=snap.people["x_location"])
    race = pay_snapshot(con, ["race_ethnicity"], exact=True).people[["employee_id", "race_ethnicity"]]
    return people.merge(race, on="employee_id")


def _tested(pop: pd.DataFrame, cohort: str) -> bool:
    members = pop[(pop["cohort"] == cohort) & pop["gender"].isin(["Man", "Woman"])]
    counts = members["gender"].value_counts()
    return len(members) >= 35 and counts.get("Man", 0) >= 8 and counts.get("Woman", 0) >= 8


def _targets(people: pd.DataFrame, pairs: int) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """{(location, race): [(cohort, the hourly pay of the only man of that cohort with both)]}
    where every one of the four populations still has the cohort tested (a generous margin
    over the 30/5 gates, so protected counts pass them too)."""
    men = people[people["gender"] == "Man"]
    cells = men.groupby(["cohort", "location", "race_ethnicity"])["hourly_pay"].agg(["size", "first"])
    out: dict = {}
    for (cohort, loc, race), row in cells[cells["size"] == 1].iterrows():
        pops = [
            people,
            people[people["location"] != loc],
            people[people["race_ethnicity"] != race],
            people[(people["location"] != loc) & (people["race_ethnicity"] != race)],
        ]
        if all(_tested(p, cohort) for p in pops):
            out.setdefault((loc, race), []).append((cohort, float(row["first"])))
    return dict(sorted(out.items(), key=lambda kv: -len(kv[1]))[:pairs])


def _four_filters(people, loc, race) -> list[dict]:
    """The four populations, each narrowed to men and women (two groups per cohort, so exact
    output does not hide the men's figures to protect a small third group)."""
    locs, races = sorted(people["location"].unique()), sorted(people["race_ethnicity"].unique())
    not_loc, not_race = [x for x in locs if x != loc], [x for x in races if x != race]
    two = {"gender": ["Man", "Woman"]}
    return [
        two,
        {**two, "location": not_loc},
        {**two, "race_ethnicity": not_race},
        {**two, "location": not_loc, "race_ethnicity": not_race},
    ]


def _reference_sums(snap, cohorts) -> dict[str, float]:
    review = cohort_review(snap)
    rows = review[review["cohort"].isin(cohorts) & review["mean_reference"].notna()]
    rows = rows.drop_duplicates("cohort").set_index("cohort")
    return {
        c: float(rows.loc[c, "mean_reference"] * rows.loc[c, "n_reference"]) if c in rows.index else np.nan
        for c in cohorts
    }


def _bypassed(con, snap_exact, filters):
    """The exact snapshot with a protection attached as if several filter values were allowed
    (the refusal bypassed), to show that the noise alone defeats the attack."""
    snap = copy.copy(snap_exact)
    fixed = tuple(sorted((d, ",".join(sorted(v))) for d, v in filters.items()))
    snap.protection = Protection(read_salt(con), ("2025-01-01", "2025-12-31"), fixed)
    return snap


def test_four_totals_recover_a_mans_pay_from_exact_cohort_reviews_only(sample_con):
    people = _people(sample_con)
    exact_hits = protected_hits = total = 0
    for (loc, race), found in _targets(people, pairs=2).items():
        cohorts = [c for c, _ in found]
        exact_sums, protected_sums = [], []
        for filters in _four_filters(people, loc, race):
            snap = pay_snapshot(sample_con, ["gender"], filters=filters, exact=True)
            exact_sums.append(_reference_sums(snap, cohorts))
            protected_sums.append(_reference_sums(_bypassed(sample_con, snap, filters), cohorts))
            with pytest.raises(UsageError, match="one value per filter"):
                pay_snapshot(sample_con, ["gender"], filters=filters)  # the published route refuses
        signs = (1, -1, -1, 1)
        for cohort, pay in found:
            if any(np.isnan(sums[cohort]) for sums in exact_sums):
                continue  # every comparison of the cohort hidden (complementary suppression) in one query
            total += 1
            got = sum(s * sums[cohort] for s, sums in zip(signs, exact_sums))
            exact_hits += int(abs(got - pay) < 1e-6 * pay)
            noisy = sum(s * sums[cohort] for s, sums in zip(signs, protected_sums))
            protected_hits += int(abs(noisy - pay) < NEAR * pay)  # a hidden figure (NaN) recovers nothing
    assert total >= 3 and exact_hits == total  # the attack works on exact output: the exact pay
    # protected: the error is several times the average pay; within 5% only by rare chance
    assert protected_hits <= 0.2 * total


def test_a_group_of_one_is_never_shown_as_its_members_pay(sample_con):
    """With the hiding rule switched off (k = 1, below the allowed minimum of 3, set on the
    snapshot to look at the figures themselves) and the cohort gates at 1, exact cohort means of
    one-person groups are those people's pay; protected means are that pay times 1 + 4u
    (u in [-1, 1)), within 1% of it with probability 1/400."""

    def review(exact):
        snap = pay_snapshot(sample_con, ["gender"], exact=exact)
        snap.k = 1
        snap.config = copy.deepcopy(snap.config)
        snap.config["pay"].update({"cohort_min_n": 1, "cohort_min_group_n": 1})
        people = snap.people.assign(cohort=cohort_labels(snap))
        singles = people.groupby(["cohort", "group"])["hourly_pay"].agg(["size", "first"])
        singles = singles[singles["size"] == 1]["first"]
        rows = cohort_review(snap)
        rows = rows[rows["mean_group"].notna()]
        return [
            (float(m), float(singles[(c, g)]))
            for c, g, m in rows[["cohort", "group", "mean_group"]].itertuples(index=False)
            if (c, g) in singles.index
        ]

    exact = review(True)
    assert len(exact) >= 20 and all(abs(m - pay) < 1e-9 * pay for m, pay in exact)
    protected = review(False)
    assert len(protected) >= 10
    assert sum(abs(m - pay) < 0.01 * pay for m, pay in protected) <= 1 + 0.02 * len(protected)


def test_published_counts_are_the_pay_tables_counts_in_every_view(sample_con):
    table = compute(sample_con, "pay_gap_mean", by=["gender"])
    n = dict(zip(*table[(table["period"] == "2025") & (table["dimensions"] == "gender")][["group", "n"]].T.values))
    snap = pay_snapshot(sample_con, ["gender"])
    summary, _ = decomposition_tables(snap)
    assert len(summary) >= 3
    for row in summary.itertuples():
        assert row.n_group == n[row.group] and row.n_reference == n["Man"]
    # the same cell through the cohort review and a three-way pay table
    cells = compute(sample_con, "pay_gap_mean", by=["gender", "job_family", "job_level"])
    cells = cells[(cells["period"] == "2025") & (cells["dimensions"] == "gender|job_family|job_level")]
    by_cell = dict(zip(cells["group"], cells["n"]))
    review = cohort_review(snap)
    shown = review[review["n_group"].notna()]
    assert len(shown) >= 10
    for row in shown.itertuples():
        family, level = row.cohort.split(" × ")
        assert row.n_group == by_cell[f"{row.group}|{family}|{level}"]
        assert row.n_reference == by_cell[f"Man|{family}|{level}"]
    # and the same figures in a second run
    pd.testing.assert_frame_equal(review, cohort_review(pay_snapshot(sample_con, ["gender"])))


def test_decomposition_parts_keep_their_identities_and_move_within_the_documented_bound(sample_con):
    exact_snap, snap = pay_snapshot(sample_con, ["gender"], exact=True), pay_snapshot(sample_con, ["gender"])
    exact, _ = decomposition_tables(exact_snap)
    published, factors = decomposition_tables(snap)
    exact, published = exact.set_index("group"), published.set_index("group")
    people = exact_snap.people
    moved = 0
    for group, row in published.iterrows():
        assert row.unexplained == pytest.approx(row.gap_log_points - row.explained, abs=1e-12)
        assert row.interaction == pytest.approx(row.gap_log_points - row.endowments - row.coefficients, abs=1e-12)
        mine = factors[(factors["group"] == group) & (factors["factor"] != "unexplained")]
        assert mine["explained"].sum() == pytest.approx(row.explained, abs=1e-12)
        ln = np.log(people["hourly_pay"].to_numpy(float))
        scale = one_person_scale(ln[people["group"] == "Man"], ln[people["group"] == group])
        for part in ("gap_log_points", "explained", "endowments", "coefficients"):
            assert abs(row[part] - exact.loc[group, part]) <= 2 * scale + 1e-12
            moved += int(row[part] != exact.loc[group, part])
    assert moved >= 4 * len(published) - 1  # the parts are moved, not passed through


def test_cohort_t_p_and_flags_follow_the_published_figures(sample_con):
    review = cohort_review(pay_snapshot(sample_con, ["gender"]))
    tested = review[review["t"].notna()]
    assert len(tested) >= 5
    from scipy import stats

    for row in tested.itertuples():
        assert row.df == int(row.df)
        assert row.p_value == pytest.approx(2 * stats.t.sf(abs(row.t), row.df), rel=1e-9)
        assert row.flagged == (abs(row.t) >= 2)
        assert row.gap_pct == pytest.approx(100 * (row.mean_reference - row.mean_group) / row.mean_reference)


def test_adjusted_details_protect_r_squared(sample_con):
    salt = read_salt(sample_con)
    exact = details(compute(sample_con, "adjusted_pay_gap", by=["gender"], exact=True))
    published = details(compute(sample_con, "adjusted_pay_gap", by=["gender"]), salt)
    pick = lambda t: t[(t["period"] == "2025") & (t["group"] == "Woman")].iloc[0]  # noqa: E731
    e, p = pick(exact), pick(published)
    assert p.r_squared != e.r_squared and abs(p.r_squared - e.r_squared) <= 2 * e.r_squared / e.n + 1e-12
    # p-value and Kennedy's gap follow from the published (protected) beta and SE
    assert p.p_value == pytest.approx(2 * __import__("scipy").stats.norm.sf(abs(p.numerator / p.denominator)))


def test_remediation_publishes_protected_costs_and_gaps_and_no_individuals(sample_con):
    snap, exact_snap = pay_snapshot(sample_con, ["gender"]), pay_snapshot(sample_con, ["gender"], exact=True)
    rem, rem_exact = Remediation(snap), Remediation(exact_snap)
    plan, plan_exact = plan_for_target(rem, 1.0), plan_for_target(rem_exact, 1.0)
    published = report.summary(rem, plan).set_index("group")
    exact = report.summary(rem_exact, plan_exact).set_index("group")
    woman, truth = published.loc["Woman"], exact.loc["Woman"]
    assert abs(woman.n_raised - truth.n_raised) <= 2
    # the cost is the exact cost moved by up to 4/n of itself (n the people raised), never exact
    assert woman.annual_cost != truth.annual_cost
    assert abs(woman.annual_cost - truth.annual_cost) <= 4 * truth.annual_cost / truth.n_raised
    assert abs(woman.gap_before_pct - truth.gap_before_pct) <= 2 * abs(truth.gap_before_pct) / (truth.n - 2)
    adjusted = compute(sample_con, "adjusted_pay_gap", by=["gender"])  # the same figure as the pay tables
    assert (
        woman.gap_before_pct
        == adjusted[(adjusted["period"] == "2025") & (adjusted["group"] == "Woman")]["value"].iat[0]
    )
    assert woman.n == adjusted[(adjusted["period"] == "2025") & (adjusted["group"] == "Woman")]["n"].iat[0]
    t, t_exact = report.total(rem, plan), report.total(rem_exact, plan_exact)
    assert t["annual_cost"] != t_exact["annual_cost"]
    with pytest.raises(UsageError, match="--exact"):
        report.individual_rows(rem, plan)
    assert len(report.individual_rows(rem_exact, plan_exact)) == t_exact["n_raised"]  # every group


def test_pay_commands_publish_protected_output_and_mark_exact_output(sample_db, tmp_path):
    from pipelines.cli import main

    runner = CliRunner()
    base = ["pay", "cohorts", "--db", str(sample_db), "--format", "csv"]
    published = runner.invoke(main, base)
    exact = runner.invoke(main, [*base, "--exact"])
    assert published.exit_code == 0 and exact.exit_code == 0, (published.output, exact.output)
    assert "not for publication" not in published.output
    assert exact.output.splitlines()[0].startswith("publication,") and "not for publication" in exact.output
    refused = runner.invoke(main, [*base, "--filter", "location=London,Chicago"])
    assert refused.exit_code != 0 and "one value per filter" in refused.output
    res = runner.invoke(
        main,
        [
            "pay",
            "remediation",
            "--db",
            str(sample_db),
            "--target-gap",
            "1",
            "--out",
            str(tmp_path / "p.csv"),
            "--include-individuals",
        ],
    )
    assert res.exit_code != 0 and "--exact" in res.output and not (tmp_path / "p.csv").exists()
