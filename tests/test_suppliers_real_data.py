"""Optional check on real payments (City of Los Angeles eCheckbook payments to certified MBE
vendors, FY2020; ../shared/data/real/supplier_certified, see its README). Nothing is copied into
the repository: a few hundred payments are written to a temporary folder in their original
columns and mapped onto the contract by an equity.yml, and the shares are checked against sums
done independently with pandas. Skipped when the real data are not present."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from pipelines.metrics._engine import unsuppressed_table
from tests.conftest import REAL_DATA
from tests.helpers import build_and_open, compute_exact

SOURCE = REAL_DATA / "supplier_certified" / "filtered_echeckbook_2020.csv"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SOURCE.exists(), reason=f"real data not present at {SOURCE}")]
CERTIFIED_FROM = "2020-01-01"  # pretend the vendors were certified half-way through the year
COLUMNS = [
    "id_number",
    "vendor_id",
    "vendor_name",
    "transaction_date",
    "dollar_amount",
    "department_name",
    "expenditure_type",
]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    payments = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)[COLUMNS].sample(400, random_state=7)
    folder = tmp_path_factory.mktemp("lacity") / "data"  # procurement alone: no HR files
    folder.mkdir()
    payments.to_csv(folder / "payments.csv", index=False)
    payments[["vendor_id", "vendor_name"]].drop_duplicates("vendor_id").to_csv(folder / "vendors.csv", index=False)
    config = {
        "history_start": "2019-07-01",
        "as_of": "2020-06-30",
        "fiscal_year_start_month": 7,
        "privacy": {"k": 3},
        "mapping": {
            "procurement/suppliers": {
                "file": "vendors.csv",
                "columns": {"supplier_id": "vendor_id", "supplier_name": "vendor_name", "country": {"value": "US"}},
            },
            "procurement/certifications": {
                "file": "vendors.csv",
                "columns": {
                    "supplier_id": "vendor_id",
                    "certification": {"value": "MBE"},
                    "certifying_body": {"value": "City of Los Angeles"},
                    "valid_from": {"value": CERTIFIED_FROM},
                },
            },
            "procurement/spend": {
                "file": "payments.csv",
                "date_format": "%Y-%m-%dT%H:%M:%S.%f",
                "columns": {
                    "transaction_id": "id_number",
                    "supplier_id": "vendor_id",
                    "transaction_date": "transaction_date",
                    "amount": "dollar_amount",
                    "category": "expenditure_type",
                    "business_unit": "department_name",
                },
            },
        },
    }
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    con = build_and_open(folder)
    payments["usd"] = payments["dollar_amount"].astype(float)
    payments["diverse"] = payments["transaction_date"].str[:10] >= CERTIFIED_FROM
    yield con, payments
    con.close()


def test_every_payment_loads(real):
    con, payments = real
    loaded = con.execute("SELECT rows_in, rows_loaded FROM manifest_files WHERE file = 'payments.csv'").fetchone()
    assert loaded == (400, 400)


def test_real_payments_share_matches_independent_sums(real):
    con, payments = real
    row = compute_exact(con, "diverse_spend_share").query("group == 'All' and spend_base == 'total'").iloc[0]
    assert row["period"] == "FY2020" and not row["suppressed"]
    assert row["denominator"] == pytest.approx(payments["usd"].sum(), abs=0.005)  # credits netted
    assert row["numerator"] == pytest.approx(payments.loc[payments["diverse"], "usd"].sum(), abs=0.005)


def test_real_payments_by_department_match_independent_sums(real):
    con, payments = real
    df = unsuppressed_table(con, "diverse_spend_share", by=["business_unit"])
    df = df[(df["dimensions"] == "business_unit") & (df["spend_base"] == "total")]
    expected = payments.groupby("department_name")["usd"].sum()
    got = dict(zip(df["group"], df["denominator"]))
    assert set(got) == set(expected.index)
    for dept, total in expected.items():
        assert got[dept] == pytest.approx(total, abs=0.005), dept
