"""Parent roll-up (ultimate parents, loops as data errors, a group counted once in n) and Tier 2
allocation (the issue's worked example, the 100% cap, spreading a report over quarters, an
indirect line without revenue). Expected values are worked out by hand in the comments."""

from __future__ import annotations

import pytest

from pipelines.errors import EquityError
from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open
from tests.test_suppliers_metrics import cert, only, pay, procurement_folder, supplier


# --- parent roll-up -------------------------------------------------------------------------
# P is a root; Q's parent is P; R's parent is Q (two levels); S's parent X is not in the master.
ROLLUP = [
    supplier("P"),
    supplier("Q", "P"),
    supplier("R", "Q"),
    supplier("S", "X"),
    supplier("U"),
    supplier("V"),
    supplier("W"),
]


@pytest.fixture(scope="module")
def rollup_con(tmp_path_factory):
    # Q and R (one group, both WBE-certified) and U (MBE) are diverse; V, W and P are not.
    spend = [
        pay("T1", "Q", "2024-02-01", "100"),
        pay("T2", "R", "2024-02-01", "200"),
        pay("T3", "U", "2024-02-01", "300"),
        pay("T4", "V", "2024-02-01", "1000"),
        pay("T5", "W", "2024-02-01", "1000"),
        pay("T6", "P", "2024-02-01", "1000"),
        pay("T7", "S", "2024-02-01", "50"),
    ]
    certs = [cert("Q", "WBE", "2020-01-01"), cert("R", "WBE", "2020-01-01"), cert("U", "MBE", "2020-01-01")]
    con = build_and_open(procurement_folder(tmp_path_factory.mktemp("rollup"), ROLLUP, certs, spend))
    yield con
    con.close()


def test_every_supplier_rolls_up_to_its_ultimate_parent(rollup_con):
    rows = dict(
        rollup_con.execute(
            "SELECT supplier_id, (ultimate_parent_id, group_depth, ultimate_parent_in_master) FROM dim_suppliers"
        ).fetchall()
    )
    assert rows["R"] == ("P", 2, True)  # R -> Q -> P
    assert rows["Q"] == ("P", 1, True)
    assert rows["P"] == ("P", 0, True)
    assert rows["S"] == ("X", 1, False)  # the walk ends at a parent missing from the master


def test_spend_by_ultimate_parent_sums_the_group(rollup_con):
    by_parent = dict(rollup_con.execute("SELECT ultimate_parent_id, sum(amount) FROM fct_spend GROUP BY 1").fetchall())
    # P's group: P 1000 + Q 100 + R 200 = 1300; X's group: S 50
    assert float(by_parent["P"]) == 1300 and float(by_parent["X"]) == 50 and float(by_parent["U"]) == 300


def test_n_counts_a_group_once(rollup_con):
    row = only(unsuppressed_table(rollup_con, "diverse_spend_share"), group="All", spend_base="total")
    # diverse side: Q and R (both group P) and U = 2 companies, not 3 suppliers;
    # the rest: V, W, P (group P again) and S (group X) = 4 companies -> n = min(2, 4) = 2
    assert row["n"] == 2
    assert row["numerator"] == pytest.approx(600.0)
    count = only(unsuppressed_table(rollup_con, "diverse_supplier_count"), group="All")
    assert count["value"] == 3  # the count itself is of suppliers: Q, R, U


@pytest.mark.parametrize(
    "links, loop",
    [
        ({"A": "B", "B": "C", "C": "A"}, "A -> B -> C -> A"),
        ({"A": "A"}, "A -> A"),
        ({"Z": "B", "A": "B", "B": "A"}, "A -> B -> A"),  # Z only leads into the loop
    ],
)
def test_a_parent_loop_stops_the_build_naming_the_suppliers(tmp_path, links, loop):
    suppliers = [supplier(s, links.get(s, "")) for s in sorted(set(links) | set(links.values()))]
    folder = procurement_folder(tmp_path, suppliers, [], [pay("T1", "A", "2024-02-01", "10")])
    with pytest.raises(EquityError) as err:
        build_and_open(folder)
    message = str(err.value)
    assert loop in message
    assert "procurement/suppliers.csv" in message and "parent_supplier_id" in message
    assert not (folder.parent / "data.duckdb").exists()


# --- Tier 2 ---------------------------------------------------------------------------------
# Issue's worked example (2023): our spend 25M with prime PR whose revenue is 100M; PR reports
# 10M indirect and 3M direct -> 3M + 10M x 25/100 = 5.5M.
# Cap (2024): our spend 150M with PR, revenue 100M -> ratio capped at 1: indirect 10M counts 10M
# (not 15M), direct 1M -> 11M.
TIER2 = [
    {
        "prime_supplier_id": "PR",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "certification": "MBE",
        "amount": "10000000",
        "attribution": "indirect",
        "prime_total_revenue": "100000000",
    },
    {
        "prime_supplier_id": "PR",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "certification": "WBE",
        "amount": "3000000",
        "attribution": "direct",
    },
    {
        "prime_supplier_id": "PR",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "certification": "MBE",
        "amount": "10000000",
        "attribution": "indirect",
        "prime_total_revenue": "100000000",
    },
    {
        "prime_supplier_id": "PR",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "certification": "WBE",
        "amount": "1000000",
        "attribution": "direct",
    },
]
TIER2_SPEND = [
    pay("T1", "PR", "2023-06-01", "25000000"),
    pay("T2", "PR", "2024-06-01", "150000000"),
    pay("T3", "OT", "2024-06-01", "10"),
]
TIER2_WINDOW = {"history_start": "2023-01-01", "as_of": "2024-12-31"}


@pytest.fixture(scope="module")
def tier2_con(tmp_path_factory):
    folder = procurement_folder(
        tmp_path_factory.mktemp("tier2"),
        [supplier("PR"), supplier("OT")],
        [],
        TIER2_SPEND,
        tier2=TIER2,
        config=TIER2_WINDOW,
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_tier2_worked_example_direct_plus_allocated_indirect(tier2_con):
    df = unsuppressed_table(tier2_con, "tier2_spend", by=["attribution"])
    assert only(df, period="2023", group="All")["value"] == pytest.approx(5_500_000)
    assert only(df, period="2023", group="indirect")["value"] == pytest.approx(2_500_000)
    assert only(df, period="2023", group="direct")["value"] == pytest.approx(3_000_000)
    assert only(df, period="2023", group="All")["n"] == 1  # one prime behind the figure


def test_tier2_allocation_ratio_is_capped_at_100_percent(tier2_con):
    df = unsuppressed_table(tier2_con, "tier2_spend", by=["attribution"])
    assert only(df, period="2024", group="indirect")["value"] == pytest.approx(10_000_000)
    assert only(df, period="2024", group="All")["value"] == pytest.approx(11_000_000)


def test_tier2_report_is_spread_over_quarters_by_days(tier2_con):
    df = unsuppressed_table(tier2_con, "tier2_spend", period="quarter")
    overall = dict(zip(df.loc[df["group"] == "All", "period"], df.loc[df["group"] == "All", "value"]))
    # 2023 has 365 days: Q1 90, Q2 91, Q3 92, Q4 92 -> 5.5M x days / 365
    assert overall["2023-Q1"] == pytest.approx(5_500_000 * 90 / 365)
    assert overall["2023-Q3"] == pytest.approx(5_500_000 * 92 / 365)
    # 2024 is a leap year: Q1 has 91 of 366 days
    assert overall["2024-Q1"] == pytest.approx(11_000_000 * 91 / 366)


def test_tier2_is_kept_out_of_the_tier1_share(tier2_con):
    df = unsuppressed_table(tier2_con, "diverse_spend_share")
    # no supplier is certified: Tier 1 diverse spend is 0 whatever Tier 2 reports
    assert (df.loc[df["group"] == "All", "numerator"] == 0).all()


def test_an_indirect_line_without_revenue_stops_the_build(tmp_path):
    lines = TIER2[:1] + [{**TIER2[2], "prime_total_revenue": ""}]
    folder = procurement_folder(tmp_path, [supplier("PR")], [], TIER2_SPEND[:2], tier2=lines, config=TIER2_WINDOW)
    with pytest.raises(EquityError) as err:
        build_and_open(folder)
    message = str(err.value)
    assert "procurement/tier2_spend.csv" in message and "prime_total_revenue" in message
    assert "PR" in message and "2024-01-01" in message and "MBE" in message
