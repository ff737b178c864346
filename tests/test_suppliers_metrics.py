"""Supplier-diversity spend shares on hand-made folders; every expected value is worked out by
hand in the comments (the issue's union worked example, validity at the transaction date with
grace days and a mid-year lapse, FX at the month's rate, credits netted, addressable spend,
and what n counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.helpers import compute_exact

SUPPLIER_COLS = ["supplier_id", "supplier_name", "parent_supplier_id", "country"]
CERT_COLS = ["supplier_id", "certification", "certifying_body", "valid_from", "valid_to"]
SPEND_COLS = [
    "transaction_id",
    "supplier_id",
    "transaction_date",
    "amount",
    "currency",
    "category",
    "business_unit",
    "addressable",
]
TIER2_COLS = [
    "prime_supplier_id",
    "period_start",
    "period_end",
    "certification",
    "amount",
    "currency",
    "attribution",
    "prime_total_revenue",
]
WINDOW = {"history_start": "2024-01-01", "as_of": "2024-12-31", "privacy": {"k": 3}}


def supplier(sid, parent="", country="US"):
    return {"supplier_id": sid, "supplier_name": f"Supplier {sid}", "parent_supplier_id": parent, "country": country}


def cert(sid, code, start, end=""):
    return {"supplier_id": sid, "certification": code, "certifying_body": "Body", "valid_from": start, "valid_to": end}


def pay(tid, sid, day, amount, currency="USD", category="IT", unit="Ops", addressable=""):
    return {
        "transaction_id": tid,
        "supplier_id": sid,
        "transaction_date": day,
        "amount": amount,
        "currency": currency,
        "category": category,
        "business_unit": unit,
        "addressable": addressable,
    }


def procurement_folder(root: Path, suppliers, certifications, spend, tier2=None, fx=None, config=None) -> Path:
    """A data folder: one employee (HR files are required) plus the procurement CSVs given."""
    folder = root / "data"
    employees_folder(
        folder,
        [{"employee_id": "E1", "gender": "Woman", "hire_date": "2010-01-01"}],
        config={**WINDOW, **(config or {})},
    )
    write_csv(folder / "procurement" / "suppliers.csv", SUPPLIER_COLS, suppliers)
    write_csv(folder / "procurement" / "certifications.csv", CERT_COLS, certifications)
    write_csv(folder / "procurement" / "spend.csv", SPEND_COLS, spend)
    if tier2 is not None:
        write_csv(folder / "procurement" / "tier2_spend.csv", TIER2_COLS, tier2)
    if fx is not None:
        write_csv(folder / "reference" / "fx_rates.csv", ["currency", "month", "rate_to_reporting"], fx)
    return folder


def only(df, **match):
    sel = df
    for col, value in match.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1, (match, df)
    return sel.iloc[0]


# --- the union worked example ------------------------------------------------------
# total 1000; A (MBE and WBE) 100; B (WBE) 50 -> diverse 150 (15%), MBE 100 (10%), WBE 150 (15%)
UNION_SPEND = [
    pay("T1", "A", "2024-03-01", "100.00"),
    pay("T2", "B", "2024-03-01", "50.00"),
    pay("T3", "C", "2024-03-01", "500.00"),
    pay("T4", "D", "2024-03-01", "200.00"),
    pay("T5", "E", "2024-03-01", "150.00"),
]


@pytest.fixture(scope="module")
def union_con(tmp_path_factory):
    folder = procurement_folder(
        tmp_path_factory.mktemp("union"),
        [supplier(s) for s in "ABCDE"],
        [cert("A", "MBE", "2020-01-01"), cert("A", "wbe", "2020-01-01"), cert("B", "WBE", "2020-01-01")],
        UNION_SPEND,
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_union_counts_a_multi_certified_supplier_once_in_the_diverse_total(union_con):
    df = unsuppressed_table(union_con, "diverse_spend_share")
    total = only(df, group="All", spend_base="total")
    assert total["numerator"] == pytest.approx(150.0)  # A 100 + B 50, A not counted twice
    assert total["denominator"] == pytest.approx(1000.0)
    assert total["value"] == pytest.approx(0.15)


def test_union_counts_it_in_each_certification_line(union_con):
    df = unsuppressed_table(union_con, "certified_spend_share")
    mbe = only(df, group="All", spend_base="total", certification="MBE")
    wbe = only(df, group="All", spend_base="total", certification="WBE")
    both = only(df, group="All", spend_base="total", certification="MBE + WBE")
    assert mbe["numerator"] == pytest.approx(100.0) and mbe["value"] == pytest.approx(0.10)
    assert wbe["numerator"] == pytest.approx(150.0) and wbe["value"] == pytest.approx(0.15)
    # the intersection view: suppliers holding both (minority- and woman-owned) = A only
    assert both["numerator"] == pytest.approx(100.0)
    # lines add up to more than the total: 10% + 15% = 25% > 15% counted once
    assert mbe["value"] + wbe["value"] > 0.15


def test_n_counts_companies_on_the_smaller_side_and_suppresses_below_k(union_con):
    df = unsuppressed_table(union_con, "diverse_spend_share")
    # diverse side A, B = 2 companies; the rest C, D, E = 3 -> n = 2
    assert only(df, group="All", spend_base="total")["n"] == 2
    published = compute_exact(union_con, "diverse_spend_share")  # k = 3 in this folder
    row = only(published, group="All", spend_base="total")
    assert row["suppressed"] and row["note"] == "n<k"
    assert row[["value", "numerator", "denominator", "n"]].isna().all()
    # a line nobody holds (WOSB, named by the SBA goal preset) has an empty certified side:
    # n is the other side, A..E = 5 companies, so its 0% is published at k = 3
    wosb = only(
        compute_exact(union_con, "certified_spend_share"), group="All", spend_base="total", certification="WOSB"
    )
    assert not wosb["suppressed"] and wosb["value"] == 0 and wosb["n"] == 5


# --- validity at the transaction date, grace days, a mid-year lapse ------------------------
# F holds MBE 2024-01-01..2024-06-30 and never renews; G holds WBE in two windows
# (2024-01-01..06-30 and 07-01..12-31). Payments (all USD, addressable):
#   F: 06-30 100 (valid), 07-01 200 (lapsed unless grace >= 1), 07-10 400 (grace >= 10), 07-11 800
#   G: 07-05 1000 (second window; with grace 10 BOTH windows match - must count once)
#   H: not certified, 2000; I, J, K: not certified, 1000 each (so the rest side has >= 3 companies)
VALIDITY_CERTS = [
    cert("F", "MBE", "2024-01-01", "2024-06-30"),
    cert("G", "WBE", "2024-01-01", "2024-06-30"),
    cert("G", "WBE", "2024-07-01", "2024-12-31"),
]
VALIDITY_SPEND = [
    pay("T1", "F", "2024-06-30", "100"),
    pay("T2", "F", "2024-07-01", "200"),
    pay("T3", "F", "2024-07-10", "400"),
    pay("T4", "F", "2024-07-11", "800"),
    pay("T5", "G", "2024-07-05", "1000"),
    pay("T6", "H", "2024-07-05", "2000"),
    pay("T7", "I", "2024-02-01", "1000"),
    pay("T8", "J", "2024-02-01", "1000"),
    pay("T9", "K", "2024-12-31", "1000"),
    pay("T10", "F", "2023-12-31", "5000"),
]
# T10 is before the window's first period (2024): in no period. Total 2024 = 100+200+400+800+1000+2000+3000 = 7500


def _validity_con(tmp_path_factory, grace):
    folder = procurement_folder(
        tmp_path_factory.mktemp(f"grace{grace}"),
        [supplier(s) for s in "FGHIJK"],
        VALIDITY_CERTS,
        VALIDITY_SPEND,
        config={"procurement": {"grace_days": grace}},
    )
    return build_and_open(folder)


def test_certification_counts_only_from_valid_from_to_valid_to_without_grace(tmp_path_factory):
    con = _validity_con(tmp_path_factory, 0)
    row = only(unsuppressed_table(con, "diverse_spend_share"), group="All", spend_base="total")
    # grace 0: F's 06-30 (100) counts, 07-01/07-10/07-11 do not; G's 07-05 (1000) counts -> 1100 / 7500
    assert row["numerator"] == pytest.approx(1100.0)
    assert row["denominator"] == pytest.approx(7500.0)
    mbe = only(unsuppressed_table(con, "certified_spend_share"), group="All", spend_base="total", certification="MBE")
    assert mbe["numerator"] == pytest.approx(100.0)
    con.close()


def test_grace_days_extend_validity_and_overlapping_windows_count_once(tmp_path_factory):
    con = _validity_con(tmp_path_factory, 10)
    row = only(unsuppressed_table(con, "diverse_spend_share"), group="All", spend_base="total")
    # grace 10: valid through 07-10 -> F 100 + 200 + 400 (07-11 is day 11: lapsed) + G 1000 once = 1700
    assert row["numerator"] == pytest.approx(1700.0)
    wbe = only(unsuppressed_table(con, "certified_spend_share"), group="All", spend_base="total", certification="WBE")
    assert wbe["numerator"] == pytest.approx(1000.0)  # not 2000: G's two windows both match 07-05
    con.close()


def test_a_mid_year_lapse_shows_in_quarters(tmp_path_factory):
    con = _validity_con(tmp_path_factory, 0)
    df = unsuppressed_table(con, "certified_spend_share", period="quarter")
    mbe = df[(df["group"] == "All") & (df["spend_base"] == "total") & (df["certification"] == "MBE")]
    by_quarter = dict(zip(mbe["period"], mbe["numerator"]))
    # Q2 holds the 06-30 payment (100); from Q3 the lapsed certification no longer counts
    assert by_quarter == {"2024-Q1": 0, "2024-Q2": 100, "2024-Q3": 0, "2024-Q4": 0}
    con.close()


# --- FX at the transaction month's rate, credits, addressable ------------------------------
# EUR 1.10 in 2024-03, 1.20 in 2024-04. L (MBE): 100 EUR in March = 110 USD, 100 EUR in April = 120 USD,
# a credit of -30 USD in April. M, N, O not certified: 500 USD, 300 USD, and 400 USD of Taxes
# (addressable=false). Total = 110 + 120 - 30 + 500 + 300 + 400 = 1400; addressable = 1000.
FX = [
    {"currency": "EUR", "month": "2024-03", "rate_to_reporting": "1.10"},
    {"currency": "EUR", "month": "2024-04", "rate_to_reporting": "1.20"},
]
FX_SPEND = [
    pay("T1", "L", "2024-03-15", "100.00", "EUR"),
    pay("T2", "L", "2024-04-02", "100.00", "EUR"),
    pay("T3", "L", "2024-04-20", "-30.00"),
    pay("T4", "M", "2024-05-01", "500.00", addressable="true"),
    pay("T5", "N", "2024-05-01", "300.00"),
    pay("T6", "O", "2024-05-01", "400.00", category="Taxes", addressable="false"),
]


@pytest.fixture(scope="module")
def fx_con(tmp_path_factory):
    folder = procurement_folder(
        tmp_path_factory.mktemp("fx"), [supplier(s) for s in "LMNO"], [cert("L", "MBE", "2020-01-01")], FX_SPEND, fx=FX
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_spend_is_converted_at_the_rate_of_its_month_and_credits_are_netted(fx_con):
    df = unsuppressed_table(fx_con, "diverse_spend_share")
    total = only(df, group="All", spend_base="total")
    assert total["numerator"] == pytest.approx(110 + 120 - 30)
    assert total["denominator"] == pytest.approx(1400.0)
    assert total["value"] == pytest.approx(200 / 1400)


def test_addressable_base_drops_rows_flagged_not_addressable(fx_con):
    df = unsuppressed_table(fx_con, "diverse_spend_share")
    addressable = only(df, group="All", spend_base="addressable")
    assert addressable["denominator"] == pytest.approx(1000.0)  # 1400 - 400 of Taxes
    assert addressable["value"] == pytest.approx(200 / 1000)
    by_cat = unsuppressed_table(fx_con, "diverse_spend_share", by=["category"])
    taxes = only(by_cat, group="Taxes", spend_base="total")
    assert taxes["numerator"] == 0 and taxes["denominator"] == pytest.approx(400.0)


def test_missing_fx_rate_stops_the_build_naming_currency_and_month(tmp_path):
    from pipelines.errors import DataError

    spend = FX_SPEND + [pay("T7", "M", "2024-05-09", "10.00", "EUR")]  # no EUR rate for 2024-05
    folder = procurement_folder(tmp_path, [supplier(s) for s in "LMNO"], [], spend, fx=FX)
    with pytest.raises(DataError) as err:
        build_and_open(folder)
    message = str(err.value)
    assert "EUR" in message and "2024-05" in message
    assert "procurement/spend.csv" in message and "line 8" in message and "'currency'" in message
    assert not (folder.parent / "data.duckdb").exists()  # the build left no database behind
