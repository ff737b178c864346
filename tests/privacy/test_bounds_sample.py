"""Over the demo data: every published proportion of the registry lies in [0, 1] (and every
rate, count and duration is not negative), on DuckDB and in the Spark results database; and
clamping (pipelines/privacy/bounds.py) neither reopens a hidden cell nor gives exact counts
away. Each attack runs against the data owner's exact output (where it works) and against
published output (where it must do no better than the perturbation allows, as in
test_attacks.py).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.metrics import compute, registry
from pipelines.metrics._engine import _table, unsuppressed_table
from pipelines.metrics._results import results_table
from pipelines.privacy.bounds import bounded_table, unit_range
from pipelines.privacy.keys import read_salt
from pipelines.privacy.ptable import distribution
from tests.conftest import SPARK_GROUP

pytestmark = pytest.mark.slow
YEAR = "2025"
P_EXACT = distribution(10)[10]  # 102/256: how often a protected count is the truth
BREAKDOWNS = [[], ["gender"], ["gender", "race_ethnicity"]]
WILSON_SHARES = ["representation", "retention_rate", "promotion_rate", "stage_reach_rate", "bonus_receipt_rate"]


def _bounded_metrics():
    return [spec for spec in registry().values() if unit_range(spec) is not None]


def _out_of_range(table: pd.DataFrame, spec) -> pd.DataFrame:
    """Published rows with a value, interval or count outside the unit's range."""
    floor, ceiling = unit_range(spec)
    value, low, high = (pd.to_numeric(table[c], errors="coerce") for c in ("value", "ci_low", "ci_high"))
    bad = (value < floor) | (value > ceiling) | (low < floor) | (high > ceiling) | (low > value) | (high < value)
    for col in ("n", "numerator", "denominator"):
        bad |= pd.to_numeric(table[col], errors="coerce") < 0
    return table[bad.fillna(False)]


def _published_routes(con, spec):
    for by in BREAKDOWNS:
        if all(d in spec.dimensions for d in by):
            yield by, compute(con, spec.name, by=by)


def test_every_published_proportion_of_the_registry_lies_in_its_range(sample_con):
    checked = {}
    for spec in _bounded_metrics():
        for by, table in _published_routes(sample_con, spec):
            bad = _out_of_range(table, spec)
            assert bad.empty, f"{spec.name} by {by}:\n{bad[['period', 'group', 'value', 'ci_low', 'ci_high']]}"
            checked[spec.unit] = checked.get(spec.unit, 0) + int(table["value"].notna().sum())
    # the whole registry was reached: thousands of shares, hundreds of rates
    assert checked["share"] > 5000 and checked["rate"] > 500 and checked["count"] > 500


def test_a_multi_value_filter_is_bounded_too(sample_con):
    depts = sorted(compute(sample_con, "headcount", by=["department"])["group"].unique())
    depts = [d for d in depts if d != "All"][:3]
    for name in ("retention_rate", "representation", "turnover_rate"):
        table = compute(sample_con, name, by=["gender", "race_ethnicity"], filters={"department": depts})
        assert _out_of_range(table, registry()[name]).empty


def test_clamping_changes_no_hidden_cell_and_no_count(sample_con):
    """The table before the last step (protected, unclamped) and after it: the same rows
    hidden, the same counts (none was negative), only values and intervals moved into range."""
    salt = read_salt(sample_con)
    moved = 0
    for spec in _bounded_metrics():
        by = ["gender", "race_ethnicity"] if {"gender", "race_ethnicity"} <= set(spec.dimensions) else []
        raw = _table(sample_con, spec.name, by, "year", None, None, None, {}, suppress=False, salt=salt)
        published = compute(sample_con, spec.name, by=by)
        pd.testing.assert_frame_equal(bounded_table(raw, spec), published)  # the one last step
        assert published["suppressed"].tolist() == raw["suppressed"].tolist()
        for col in ("n", "numerator", "denominator"):
            before = pd.to_numeric(raw[col], errors="coerce").to_numpy(dtype=float)
            after = pd.to_numeric(published[col], errors="coerce").to_numpy(dtype=float)
            assert np.array_equal(after, np.where(before < 0, 0.0, before), equal_nan=True), (spec.name, col)
        hidden = published["suppressed"]
        assert published.loc[hidden, ["value", "ci_low", "ci_high", "n"]].isna().all().all()
        moved += int((pd.to_numeric(raw["value"], errors="coerce") != published["value"]).sum())
    assert moved > 0  # some values were out of range and came back into it


def _at_a_bound_attack(con, exact: bool) -> tuple[int, int]:
    """A share of exactly 0% or 100% says numerator = 0 or numerator = denominator: read the
    group's exact counts off it. (hits, tried)."""
    hits = tried = 0
    for name in WILSON_SHARES:
        spec = registry()[name]
        by = ["gender", "race_ethnicity"]
        keys = ["period", *spec.keys, "dimensions", "group"]
        truth = unsuppressed_table(con, name, by=by).set_index(keys)
        table = compute(con, name, by=by, exact=exact)
        at_bound = table[~table["suppressed"] & table["value"].isin([0.0, 1.0])]
        for row in at_bound.itertuples(index=False):
            key = tuple(getattr(row, k) for k in keys)
            den = float(row.denominator)
            guess = (round(row.value * den), round(den))
            true = truth.loc[key]
            tried += 1
            hits += int(guess == (round(float(true["numerator"])), round(float(true["denominator"]))))
    return hits, tried


def test_a_share_at_0_or_100_percent_gives_exact_counts_only_in_exact_output(sample_con):
    hits, tried = _at_a_bound_attack(sample_con, exact=True)
    assert tried >= 50 and hits == tried  # exact output: every 0% or 100% gives both counts
    hits, tried = _at_a_bound_attack(sample_con, exact=False)
    # published: a clamped 100% is a protected denominator, exact only as often as any count
    assert tried >= 50
    assert hits <= P_EXACT * tried + 2 * np.sqrt(tried * P_EXACT * (1 - P_EXACT)) + 1


def _from_shares(table: pd.DataFrame) -> dict:
    """Counts read back from the published share: value x denominator."""
    rows = table[(table["period"] == YEAR) & ~table["suppressed"]]
    return {r.group: r.value * r.denominator for r in rows.itertuples()}


def _differencing_attack(con, exact: bool) -> tuple[int, int]:
    """Hidden (department, gender) cells of retention_rate: the retained count of the group
    over all departments minus the same over all but one, both read from the (clamped) share.
    (recovered, hidden)."""
    name = "retention_rate"
    two_way = compute(con, name, by=["department", "gender"], exact=True)
    hidden = two_way[
        (two_way["period"] == YEAR) & two_way["suppressed"] & (two_way["dimensions"] == "department|gender")
    ]
    truth = unsuppressed_table(con, name, by=["department", "gender"])
    truth = {r.group: r.numerator for r in truth[truth["period"] == YEAR].itertuples()}
    depts = sorted({g.split("|")[0] for g in truth if "|" in g})
    whole = _from_shares(compute(con, name, by=["gender"], filters={"department": depts}, exact=exact))
    recovered = 0
    for d in depts:
        rest = _from_shares(
            compute(con, name, by=["gender"], filters={"department": [x for x in depts if x != d]}, exact=exact)
        )
        for group in hidden[hidden["group"].str.startswith(d + "|")]["group"]:
            gender = group.split("|")[1]
            if gender in whole and gender in rest:
                recovered += int(abs((whole[gender] - rest[gender]) - truth[group]) < 1e-6)
    return recovered, len(hidden)


def test_differencing_clamped_group_figures_against_the_overall_reopens_no_hidden_cell(sample_con):
    got, hidden = _differencing_attack(sample_con, exact=True)
    assert hidden >= 5 and got >= 0.8 * hidden  # the attack works on exact output
    got, hidden = _differencing_attack(sample_con, exact=False)
    assert got <= P_EXACT * hidden + 2 * np.sqrt(hidden * P_EXACT * (1 - P_EXACT)) + 1


@pytest.mark.spark
@pytest.mark.xdist_group(SPARK_GROUP)
def test_spark_results_database_stores_and_serves_bounded_figures(spark_sample_db):
    """The Spark build stores compute()'s published tables; they are bounded as stored, and
    serving them goes through the same last step."""
    con = duckdb.connect(str(spark_sample_db), read_only=True)
    try:
        stored = 0
        for spec in _bounded_metrics():
            if not con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [results_table(spec.name)]
            ).fetchone()[0]:
                continue
            table = con.execute(f'SELECT * FROM "{results_table(spec.name)}"').df()
            assert _out_of_range(table, spec).empty, spec.name
            stored += len(table)
        assert stored > 1000
        served = compute(con, "retention_12m", by=["gender"])
        assert _out_of_range(served, registry()["retention_12m"]).empty
        assert served["value"].notna().any()
    finally:
        con.close()
