"""Expiring certifications (next 90 days, renewals, spend at risk and its suppression) and spend
booked after a diverse certification lapsed. Expected values worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines.families.suppliers.risk import expiring_certifications, lapsed_spend, spend_at_risk
from tests.helpers import build_and_open
from tests.test_suppliers_metrics import cert, pay, procurement_folder, supplier

# as_of 2024-12-31; 90 days later is 2025-03-31.
CERTS = [
    cert("E1", "MBE", "2023-01-01", "2025-01-15"),  # 15 days left
    cert("E2", "MBE", "2023-01-01", "2025-02-15"),  # 46 days left
    cert("E3", "WBE", "2023-01-01", "2025-03-31"),  # 90 days left: the last day of the window
    cert("E4", "MBE", "2023-01-01", "2025-04-15"),  # 105 days: outside
    cert("E5", "WBE", "2023-01-01", "2025-02-01"),  # renewed from the next day: not expiring
    cert("E5", "WBE", "2025-02-02", "2026-02-01"),
    cert("E6", "SB", "2023-01-01", "2025-01-31"),  # 31 days, not a diverse certification
    cert("E7", "MBE", "2023-01-01", "2025-01-20"),  # 20 days, but E7 stays diverse (WBE to 2026)
    cert("E7", "WBE", "2023-01-01", "2026-06-30"),
    cert("E8", "MBE", "2023-01-01"),  # no expiry recorded
    cert("E9", "MBE", "2023-01-01", "2024-11-30"),  # already ended
    cert("F", "MBE", "2024-01-01", "2024-06-30"),  # lapses, never renewed
    cert("G", "WBE", "2024-01-01", "2024-03-31"),  # lapses, renewed late from 2024-05-01
    cert("G", "WBE", "2024-05-01", "2025-12-31"),
]
SPEND = [
    pay("T1", "E1", "2024-06-01", "1000"),
    pay("T2", "E2", "2024-03-01", "2000"),
    pay("T3", "E2", "2023-12-31", "5000"),  # before the trailing 12 months (2024-01-01..12-31)
    pay("T4", "E3", "2024-12-31", "3000"),
    pay("T5", "E7", "2024-06-01", "4000"),
    pay("T6", "E6", "2024-06-01", "500"),
    pay("T7", "F", "2024-06-30", "100"),
    pay("T8", "F", "2024-07-01", "200"),
    pay("T9", "F", "2024-07-10", "300"),
    pay("T10", "G", "2024-04-15", "400"),
    pay("T11", "G", "2024-05-02", "500"),
]


@pytest.fixture(scope="module")
def risk_con(tmp_path_factory):
    ids = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "F", "G"]
    con = build_and_open(procurement_folder(tmp_path_factory.mktemp("risk"), [supplier(s) for s in ids], CERTS, SPEND))
    yield con
    con.close()


def test_expiring_lists_certifications_ending_within_90_days_without_renewal(risk_con):
    df = expiring_certifications(risk_con)
    got = {(r.supplier_id, r.certification): (r.valid_to, r.days_left, r.counts_as_diverse) for r in df.itertuples()}
    assert got == {
        ("E1", "MBE"): (dt.date(2025, 1, 15), 15, True),
        ("E2", "MBE"): (dt.date(2025, 2, 15), 46, True),
        ("E3", "WBE"): (dt.date(2025, 3, 31), 90, True),
        ("E6", "SB"): (dt.date(2025, 1, 31), 31, False),
        ("E7", "MBE"): (dt.date(2025, 1, 20), 20, True),
    }
    # largest trailing-12-month spend first: E7 4000, E3 3000, E2 2000 (5000 is older), E1 1000, E6 500
    assert list(df["supplier_id"]) == ["E7", "E3", "E2", "E1", "E6"]
    assert "spend" not in " ".join(df.columns)  # no per-supplier amounts in the list


def test_spend_at_risk_counts_suppliers_left_without_a_diverse_certification(risk_con):
    row = spend_at_risk(risk_con, exact=True).iloc[0]
    # E1, E2, E3 lose their only diverse certification (E7 keeps WBE, E6's SB is not diverse):
    # trailing diverse spend 1000 + 2000 + 3000 = 6000 from 3 companies, shown at k = 3
    assert row["suppliers"] == 3 and row["n"] == 3
    assert not row["suppressed"] and row["spend_at_risk"] == pytest.approx(6000.0)
    assert row["trailing_from"] == dt.date(2023, 12, 31) and row["as_of"] == dt.date(2024, 12, 31)


def test_spend_at_risk_is_hidden_below_k_companies(risk_con):
    row = spend_at_risk(risk_con, k=4, exact=True).iloc[0]
    assert row["suppressed"]
    assert pd.isna(row["spend_at_risk"])
    assert row["suppliers"] == 3


def test_a_shorter_window_and_another_as_of_date(risk_con):
    df = expiring_certifications(risk_con, as_of=dt.date(2025, 1, 10), days=10)
    # from 2025-01-10 to 2025-01-20: E1 (01-15, 5 days) and E7 (01-20, 10 days)
    assert sorted(zip(df["supplier_id"], df["days_left"])) == [("E1", 5), ("E7", 10)]


def test_spend_after_a_lapse_is_listed_with_its_renewal_status(risk_con):
    df = lapsed_spend(risk_con)
    rows = {(r.supplier_id, r.certification): r for r in df.itertuples()}
    f = rows[("F", "MBE")]
    # F: valid to 2024-06-30; paid 07-01 and 07-10 afterwards (06-30 was still valid)
    assert (f.lapsed_after, f.transactions_after_lapse, f.first_transaction, f.last_transaction) == (
        dt.date(2024, 6, 30),
        2,
        dt.date(2024, 7, 1),
        dt.date(2024, 7, 10),
    )
    assert f.status == "not renewed"
    g = rows[("G", "WBE")]
    # G: paid 04-15 in the gap between 03-31 and the late renewal of 05-01; 05-02 is covered again
    assert (g.lapsed_after, g.transactions_after_lapse) == (dt.date(2024, 3, 31), 1)
    assert g.status == "renewed late (new certificate from 2024-05-01)"
    # E2's 2023-12-31 payment was inside its certificate; nobody else paid after a lapse
    assert set(rows) == {("F", "MBE"), ("G", "WBE")}
