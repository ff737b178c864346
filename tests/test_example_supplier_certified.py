"""examples/supplier_certified/equity.yml against the real City of Los Angeles files in
../shared/data/real/supplier_certified (see its README, section 7b): a folder holding only the
example's equity.yml and the unmodified CSVs is built, and diverse spend by quarter and by
department is compared with sums done here, independently, with pandas on the raw CSVs.
Skipped when the data are absent."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipelines.metrics import compute
from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open
from tests.test_example_datasets import example_folder

pytestmark = pytest.mark.slow
PAYMENTS = ["filtered_echeckbook_2020.csv", "filtered_echeckbook_2021.csv"]
MBE_NAMES = ["MBE_COMPANY_NAME", "FIRST_BAVN_NAME", "SECOND_BAVN_NAME", "BAVN_DBA"]
K = 5  # privacy.k of the example


def plain_name(name: str) -> str:
    """The test's own rule for "the same company name" (upper case, letters and digits only,
    & = AND, one trailing INC/LLC/CORP/... dropped), written apart from pipelines/."""
    words = re.sub(r"[^A-Z0-9 ]", "", name.upper().replace("&", " AND ").replace(",", " ")).split()
    if words[-1:] and words[-1] in {"INC", "LLC", "CORP", "CORPORATION", "CO", "LTD", "INCORPORATED", "COMPANY"}:
        words = words[:-1]
    return " ".join(words)


@pytest.fixture(scope="module")
def lacity(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("examples"), "supplier_certified")
    con = build_and_open(folder)
    raw = pd.concat([pd.read_csv(folder / f, dtype=str, keep_default_na=False) for f in PAYMENTS])
    mbe = pd.read_csv(folder / "final_mbe.csv", dtype=str, keep_default_na=False)
    yield con, raw, mbe
    con.close()


@pytest.fixture(scope="module")
def payments(lacity):
    """The data owner's payments: one per id_number (one payment is listed twice in FY2021),
    diverse when the vendor's name is on the MBE list."""
    _, raw, mbe = lacity
    assert len(raw) == 8321 and raw["id_number"].nunique() == 8320
    paid = raw.drop_duplicates("id_number").copy()
    paid["usd"] = paid["dollar_amount"].astype(float)
    listed = {plain_name(n) for c in MBE_NAMES for n in mbe[c] if n.strip()}
    paid["diverse"] = paid["vendor_name"].map(plain_name).isin(listed)
    # by hand: the one vendor whose name is not on the list is VALLE GRANDE CONSTRUCTION
    # (the list has "VALLE GRANDE", which only a fuzzy match would take)
    assert set(paid.loc[~paid["diverse"], "vendor_name"]) == {"VALLE GRANDE CONSTRUCTION"}
    return paid


def test_every_file_loads_and_the_list_matches_by_name(lacity):
    con, _, mbe = lacity
    files = {
        r[0]: r[1:]
        for r in con.execute("SELECT table_name, rows_in, rows_loaded, records_loaded FROM manifest_files").fetchall()
    }
    assert files["procurement__spend"] == (8321, 8320, 8320)  # the repeated payment quarantined
    assert files["procurement__suppliers"][1] == 107  # vendor ids over both years
    # every vendor id but VALLE GRANDE CONSTRUCTION's is certified, by name
    certified = con.execute("SELECT count(DISTINCT supplier_id) FROM fct_certifications").fetchone()[0]
    assert certified == 106
    unmatched = con.execute("SELECT count(*) FROM supplier_name_matches WHERE outcome = 'unmatched'").fetchone()[0]
    matched = con.execute("SELECT count(*) FROM supplier_name_matches WHERE outcome = 'matched'").fetchone()[0]
    assert matched + unmatched + con.execute(
        "SELECT count(*) FROM supplier_name_matches WHERE outcome = 'ambiguous'"
    ).fetchone()[0] == len(mbe)


def test_one_company_under_several_vendor_ids_is_one_parent(lacity, payments):
    con, _, _ = lacity
    parent = dict(con.execute("SELECT supplier_id, ultimate_parent_id FROM dim_suppliers").fetchall())
    ids = payments.groupby("vendor_name")["vendor_id"].agg(set)
    assert max(len(v) for v in ids) >= 3  # e.g. ZONES LLC is paid under several ids
    for name, vendor_ids in ids.items():
        assert len({parent[v] for v in vendor_ids}) == 1, name
    assert len(set(parent.values())) == len(ids) == 88


def _expected(paid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """numerator, denominator and the k rule's n (companies = vendor names on the smaller
    non-empty side) per group, from the raw payments."""

    def one(g):
        inside = g.loc[g["diverse"], "vendor_name"].nunique()
        rest = g.loc[~g["diverse"], "vendor_name"].nunique()
        return pd.Series(
            {
                "numerator": g.loc[g["diverse"], "usd"].sum(),
                "denominator": g["usd"].sum(),
                "n": rest if inside == 0 else inside if rest == 0 else min(inside, rest),
            }
        )

    return paid.groupby(keys)[["usd", "diverse", "vendor_name"]].apply(one)


def test_diverse_spend_by_quarter_matches_pandas(lacity, payments):
    con, _, _ = lacity
    # the City's fiscal_year_quarter "2020-01" is FY2020-Q1 (July-September 2019)
    expected = _expected(payments, ["fiscal_year_quarter"])
    expected.index = [f"FY{q[:4]}-Q{int(q[5:])}" for q in expected.index]
    audit = unsuppressed_table(con, "diverse_spend_share", period="quarter").query("spend_base == 'total'")
    exact = compute(con, "diverse_spend_share", period="quarter", exact=True).query("spend_base == 'total'")
    assert set(audit["period"]) == set(expected.index)
    for row in audit.itertuples():
        want = expected.loc[row.period]
        assert row.numerator == pytest.approx(want["numerator"], abs=0.005), row.period
        assert row.denominator == pytest.approx(want["denominator"], abs=0.005), row.period
        assert row.n == want["n"], row.period
        shown = exact[exact["period"] == row.period].iloc[0]
        # the data owner's table hides a quarter whose non-diverse side is fewer than k
        # companies (VALLE GRANDE CONSTRUCTION alone): its sum would be that company's
        assert bool(shown["suppressed"]) == (want["n"] < K), row.period
        if not shown["suppressed"]:
            assert shown["numerator"] == pytest.approx(want["numerator"], abs=0.005)
            assert shown["value"] == pytest.approx(want["numerator"] / want["denominator"])
    assert (expected["n"] < K).any() and (expected["n"] >= K).any()


def test_diverse_spend_by_department_matches_pandas(lacity, payments):
    con, _, _ = lacity
    expected = _expected(payments, ["fiscal_year", "department_name"])
    audit = unsuppressed_table(con, "diverse_spend_share", by=["business_unit"])
    audit = audit[(audit["dimensions"] == "business_unit") & (audit["spend_base"] == "total")]
    got = {(p[2:], g): r for p, g, r in zip(audit["period"], audit["group"], audit.itertuples())}
    assert set(got) == set(expected.index)
    for key, want in expected.iterrows():
        assert got[key].numerator == pytest.approx(want["numerator"], abs=0.005), key
        assert got[key].denominator == pytest.approx(want["denominator"], abs=0.005), key
        assert got[key].n == want["n"], key
    exact = compute(con, "diverse_spend_share", by=["business_unit"], exact=True)
    exact = exact[(exact["dimensions"] == "business_unit") & (exact["spend_base"] == "total")]
    for row in exact[~exact["suppressed"].astype(bool)].itertuples():
        want = expected.loc[(row.period[2:], row.group)]
        assert want["n"] >= K and row.numerator == pytest.approx(want["numerator"], abs=0.005)
