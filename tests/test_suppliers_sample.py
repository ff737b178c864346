"""Planted truth 4 on the committed sample (sample_data/README.md): the three lapsed diverse
certifications move the 2024 addressable share from 9.62% to 6.25% (2023: 11.07% to 9.71%),
and every yearly share agrees with a second implementation written with pandas straight from
the CSV files (merge on supplier, filter on dates) rather than SQL."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from pipelines.config import default_config
from pipelines.metrics._engine import unsuppressed_table
from tests.conftest import SAMPLE_DIR
from tests.helpers import build_and_open
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow
PROC = SAMPLE_DIR / "procurement"
LAPSED = ["S00007", "S00011", "S00019"]


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def pandas_transactions(certs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Transactions in USD with the set of certifications held on their date (second implementation)."""
    spend = _read(PROC / "spend.csv")
    certs = _read(PROC / "certifications.csv") if certs is None else certs
    fx = _read(SAMPLE_DIR / "reference" / "fx_rates.csv")
    rate = dict(zip(zip(fx["currency"], fx["month"]), fx["rate_to_reporting"].astype(float)))
    spend["usd"] = [
        float(a) * (1.0 if c in ("", "USD") else rate[(c, d[:7])])
        for a, c, d in zip(spend["amount"], spend["currency"], spend["transaction_date"])
    ]
    spend["year"] = spend["transaction_date"].str[:4]
    spend["addressable_row"] = spend["addressable"].str.lower() != "false"
    pairs = spend[["transaction_id", "supplier_id", "transaction_date"]].merge(certs, on="supplier_id")
    on_date = (pairs["valid_from"] <= pairs["transaction_date"]) & (
        (pairs["valid_to"] == "") | (pairs["transaction_date"] <= pairs["valid_to"])
    )  # ISO dates sort as text
    held = pairs[on_date].groupby("transaction_id")["certification"].agg(lambda s: set(s.str.upper()))
    spend["held"] = spend["transaction_id"].map(held).apply(lambda v: v if isinstance(v, set) else set())
    return spend


def pandas_shares(tx: pd.DataFrame, lines: set[str]) -> dict[tuple[str, str], float]:
    """{(year, base): share of spend whose supplier held any of `lines` on the date}."""
    flag = tx["held"].apply(lambda h: bool(h & lines))
    out = {}
    for year, g in tx.groupby("year"):
        f = flag[g.index]
        out[(year, "total")] = g.loc[f, "usd"].sum() / g["usd"].sum()
        a = g[g["addressable_row"]]
        out[(year, "addressable")] = a.loc[f[a.index], "usd"].sum() / a["usd"].sum()
    return out


DIVERSE = set(default_config()["procurement"]["diverse_certifications"])


def _metric_shares(con, name="diverse_spend_share", **match) -> dict[tuple[str, str], float]:
    df = unsuppressed_table(con, name, date_to=pd.Timestamp("2025-12-31").date())
    df = df[df["group"] == "All"]
    for col, value in match.items():
        df = df[df[col] == value]
    return {(p, b): v for p, b, v in zip(df["period"], df["spend_base"], df["value"])}


def test_planted_lapse_2024_share_is_6_25_percent(sample_con):
    df = compute_exact(sample_con, "diverse_spend_share")
    row = df[(df["period"] == "2024") & (df["group"] == "All") & (df["spend_base"] == "addressable")].iloc[0]
    assert not row["suppressed"]
    assert round(row["value"], 4) == 0.0625  # README: 6.25% as the data stands
    row23 = df[(df["period"] == "2023") & (df["group"] == "All") & (df["spend_base"] == "addressable")].iloc[0]
    assert round(row23["value"], 4) == 0.0971  # README: 9.71% in 2023


def test_renewing_the_three_lapsed_certifications_restores_9_62_percent(tmp_path):
    folder = tmp_path / "renewed"
    shutil.copytree(SAMPLE_DIR, folder)
    certs = _read(folder / "procurement" / "certifications.csv")
    lapsed = certs["supplier_id"].isin(LAPSED)
    latest = certs[lapsed].groupby("supplier_id")["valid_from"].max()
    last = lapsed & (certs["valid_from"] == certs["supplier_id"].map(latest))
    assert last.sum() == 3 and (certs.loc[last, "valid_to"] == "2023-06-30").all()
    certs.loc[last, "valid_to"] = ""  # as if renewed without end (the README's counterfactual)
    certs.to_csv(folder / "procurement" / "certifications.csv", index=False)
    con = build_and_open(folder)
    shares = _metric_shares(con)
    con.close()
    assert round(shares[("2024", "addressable")], 4) == 0.0962  # README: 9.62%
    assert round(shares[("2023", "addressable")], 4) == 0.1107  # README: 11.07%


def test_every_yearly_share_matches_a_pandas_reimplementation(sample_con):
    expected = pandas_shares(pandas_transactions(), DIVERSE)
    got = _metric_shares(sample_con)
    assert set(got) == {k for k in expected if "2019" <= k[0] <= "2025"}
    for key, value in got.items():
        assert value == pytest.approx(expected[key], rel=1e-9), key


@pytest.mark.parametrize("line", ["MBE", "WBE", "MBE + WBE", "SB"])
def test_certification_lines_match_the_pandas_reimplementation(sample_con, line):
    tx = pandas_transactions()
    members = set(line.split(" + "))
    flag = tx["held"].apply(lambda h: members <= h)  # holds every certification of the line
    got = _metric_shares(sample_con, "certified_spend_share", certification=line)
    for (year, base), value in got.items():
        g = tx[(tx["year"] == year) & (tx["addressable_row"] | (base == "total"))]
        assert value == pytest.approx(g.loc[flag[g.index], "usd"].sum() / g["usd"].sum(), rel=1e-9), (year, base)


def test_rivera_and_chen_counts_once_in_the_total_and_in_both_lines(sample_con):
    # S00005 holds MBE and WBE throughout: in 2024 it is the MBE + WBE line, and
    # MBE + WBE - (MBE and WBE) = union, i.e. diverse = MBE + WBE lines - the overlap
    df = unsuppressed_table(sample_con, "certified_spend_share")
    div = unsuppressed_table(sample_con, "diverse_spend_share")
    pick = lambda t, **m: t[
        (t["period"] == "2024")
        & (t["group"] == "All")
        & (t["spend_base"] == "total")
        & np.logical_and.reduce([t[c] == v for c, v in m.items()] or [True])
    ]
    lines = {
        c: pick(df, certification=c)["numerator"].iat[0]
        for c in ["MBE", "WBE", "MBE + WBE", "VBE", "SDVOSB", "LGBTBE", "DOBE"]
    }
    tx = pandas_transactions()
    y24 = tx[tx["year"] == "2024"]
    multi = y24[y24["held"].apply(lambda h: len(h & DIVERSE) >= 2)]
    assert (
        set(multi["supplier_id"]) == {"S00005"} and multi["held"].apply(lambda h: h & DIVERSE == {"MBE", "WBE"}).all()
    )
    s5 = y24.loc[y24["supplier_id"] == "S00005", "usd"].sum()
    assert lines["MBE + WBE"] == pytest.approx(s5)
    # inclusion-exclusion (S00005 is the only overlap, checked above): union = sum of lines - overlap
    union = sum(v for c, v in lines.items() if c != "MBE + WBE") - lines["MBE + WBE"]
    assert pick(div)["numerator"].iat[0] == pytest.approx(union)


def test_the_three_lapsed_suppliers_are_flagged_on_the_data_quality_list(sample_con):
    from pipelines.families.suppliers import lapsed_spend

    df = lapsed_spend(sample_con)
    planted = df[df["supplier_id"].isin(LAPSED)]
    assert sorted(zip(planted["supplier_id"], planted["certification"])) == [
        ("S00007", "MBE"),
        ("S00011", "WBE"),
        ("S00019", "LGBTBE"),
    ]
    assert (planted["status"] == "not renewed").all()
    assert (planted["lapsed_after"].astype(str) == "2023-06-30").all()


def test_sample_tier2_rests_on_four_primes(sample_con):
    # README: Tier 2 spend is reported by four primes. The sample sets privacy.supplier_k: 3,
    # so the overall Tier 2 figures are published; at k = 5 companies every cell is hidden.
    raw = unsuppressed_table(sample_con, "tier2_spend")
    assert raw.loc[raw["period"] == "2024", "n"].iat[0] == 4
    shown = compute_exact(sample_con, "tier2_spend")
    assert not shown.loc[shown["period"] == "2024", "suppressed"].iat[0]
    assert compute_exact(sample_con, "tier2_spend", k=5)["suppressed"].all()
