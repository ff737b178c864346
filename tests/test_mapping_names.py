"""Supplier name matching (pipelines/mapping_names.py) on hand-made folders: the normaliser,
a certification list joined to vendors by name when the ids differ, the report of unmatched
and ambiguous names, and several vendor ids of one company counted once by the k rule.

Every expected value is worked out by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.errors import EquityError
from pipelines.metrics import compute
from pipelines.metrics._engine import unsuppressed_table
from pipelines.quality_report import quality_summary
from pipelines.mapping_names import normalised_name
from tests.helpers import build_and_open, write_csv
from dashboard.pages import page_path


@pytest.mark.parametrize(
    "a, b",
    [
        ("Vanir Construction Management, Inc.", "VANIR CONSTRUCTION MANAGEMENT INC"),
        ("Zones LLC", "ZONES, L.L.C."),
        ("Acme Ltd", "ACME LIMITED"),
        ("Globex Corp.", "globex corporation"),
        ("The Initech Company", "INITECH"),
        ("A to Z Glass & Mirror Inc", "A TO Z GLASS AND MIRROR"),
        ("O'Brien  Builders", "OBRIEN BUILDERS"),
        ("Café Olé, Inc.", "CAFE OLE"),
        ("Acme Holdings Co., Ltd.", "acme holdings"),  # suffixes dropped repeatedly
    ],
)
def test_normalised_names_agree(a, b):
    assert normalised_name(a) == normalised_name(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Valle Grande", "Valle Grande Construction"),  # no fuzzy matching: a different name
        ("Inc Solutions", "Solutions"),  # a legal word at the start is part of the name
        ("Smith Co", "Smith & Co Partners"),
    ],
)
def test_different_names_stay_different(a, b):
    assert normalised_name(a) != normalised_name(b)


def test_normalised_name_by_hand():
    assert normalised_name("  The  Acme, Corp. ") == "acme"
    assert normalised_name("Smith & Jones Ltd") == "smith and jones"
    assert normalised_name("Inc.") == "inc"  # only a legal form: kept, never blank
    assert normalised_name("The") == "the"
    assert normalised_name(None) == "" and normalised_name("  ") == ""


# --- a vendor master from payments, and a certification list with its own ids --------------
# Vendors: V1, V2, V3 are one company (Zones) under three ids; V4 Acme; V5 Smith & Jones;
# V6 Northwind, V7 Contoso, V8 Fabrikam, V9 Globex are not certified (V7 and V8 only through
# the ambiguous list row L5). List: L1 Zones (-> V1, V2, V3), L2 Acme (-> V4), L3 Smith and
# Jones (-> V5), L4 Valle Grande (no vendor: unmatched), L5 Contoso with DBA Fabrikam
# (two different vendors: ambiguous), L6 a second entry for Acme (-> V4 again).
VENDORS = [
    ("V1", "Zones LLC"),
    ("V2", "ZONES, L.L.C."),
    ("V3", "zones llc"),
    ("V4", "The Acme Corporation"),
    ("V5", "Smith & Jones Ltd"),
    ("V6", "Northwind Traders Inc"),
    ("V7", "Contoso Co"),
    ("V8", "Fabrikam"),
    ("V9", "Globex"),
]
LIST = [
    ("L1", "Zones, Inc.", ""),
    ("L2", "ACME CORP", ""),
    ("L3", "Smith and Jones Limited", ""),
    ("L4", "Valle Grande", ""),
    ("L5", "Contoso Company", "Fabrikam"),
    ("L6", "Acme Corp.", ""),
]
# Payments (2024). Roads: Zones 100 + 200 + 300 over its three ids; Northwind 1000, Contoso 1000,
# Fabrikam 1000, Globex 1000. Parks: Acme 400, Smith & Jones 500, Northwind 2000, Globex 2000,
# Zones (V1) 50.
PAYMENTS = [
    ("T1", "V1", "Roads", "100"),
    ("T2", "V2", "Roads", "200"),
    ("T3", "V3", "Roads", "300"),
    ("T4", "V6", "Roads", "1000"),
    ("T5", "V7", "Roads", "1000"),
    ("T6", "V8", "Roads", "1000"),
    ("T7", "V9", "Roads", "1000"),
    ("T8", "V4", "Parks", "400"),
    ("T9", "V5", "Parks", "500"),
    ("T10", "V6", "Parks", "2000"),
    ("T11", "V9", "Parks", "2000"),
    ("T12", "V1", "Parks", "50"),
]


def names_folder(root: Path, parent_by_name: bool = True) -> Path:
    folder = root / "data"
    write_csv(
        folder / "payments.csv",
        ["id", "vendor_id", "vendor_name", "paid", "amount", "dept"],
        [[t, v, dict(VENDORS)[v], "2024-03-01", a, d] for t, v, d, a in PAYMENTS],
    )
    write_csv(folder / "vendors.csv", ["vendor_id", "vendor_name"], [list(v) for v in VENDORS])
    write_csv(folder / "mbe_list.csv", ["list_id", "company", "dba"], [list(r) for r in LIST])
    suppliers = {"file": "vendors.csv", "columns": {"supplier_id": "vendor_id", "supplier_name": "vendor_name"}}
    if parent_by_name:
        suppliers["parent_by_name"] = True
    config = {
        "history_start": "2024-01-01",
        "as_of": "2024-12-31",
        "privacy": {"k": 3},
        "mapping": {
            "procurement/suppliers": suppliers,
            "procurement/certifications": {
                "file": "mbe_list.csv",
                "supplier_by_name": ["company", "dba"],
                "columns": {"certification": {"value": "MBE"}, "valid_from": {"value": "2020-01-01"}},
            },
            "procurement/spend": {
                "file": "payments.csv",
                "columns": {
                    "transaction_id": "id",
                    "supplier_id": "vendor_id",
                    "transaction_date": "paid",
                    "amount": "amount",
                    "business_unit": "dept",
                },
            },
        },
    }
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    con = build_and_open(names_folder(tmp_path_factory.mktemp("names")))
    yield con
    con.close()


def test_list_rows_certify_the_vendors_their_names_match(named):
    certified = named.execute("SELECT supplier_id, count(*) FROM fct_certifications GROUP BY 1 ORDER BY 1").fetchall()
    # L1 -> V1, V2, V3; L2 -> V4 (L6 repeats it exactly once matched, so it is a duplicate); L3 -> V5
    assert certified == [("V1", 1), ("V2", 1), ("V3", 1), ("V4", 1), ("V5", 1)]


def test_unmatched_and_ambiguous_names_are_quarantined_with_the_reason(named):
    rows = named.execute(
        "SELECT line, raw_value, reason FROM quarantine WHERE table_name = 'procurement__certifications' ORDER BY line"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(5, "Valle Grande"), (6, "Contoso Company"), (7, None)]
    assert "no supplier" in rows[0][2]
    assert "'contoso' (V7)" in rows[1][2] and "'fabrikam' (V8)" in rows[1][2]
    assert rows[2][2] == "exact duplicate of line 3"  # L6 is Acme again, as L2 on line 3
    files = named.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined, records_loaded FROM manifest_files "
        "WHERE table_name = 'procurement__certifications'"
    ).fetchone()
    # 6 list rows: L1, L2, L3 loaded (L1 as 3 records), L4, L5, L6 quarantined
    assert files == (6, 3, 3, 5)


def test_the_report_lists_every_outcome_and_the_quality_report_shows_it(named):
    report = named.execute("SELECT outcome, name, supplier_ids FROM supplier_name_matches ORDER BY file, line").df()
    outcomes = list(zip(report["outcome"], report["name"], report["supplier_ids"]))
    assert ("matched", "Zones, Inc.", "V1, V2, V3") in outcomes
    assert ("unmatched", "Valle Grande", "") in outcomes
    assert ("ambiguous", "Contoso Company", "V7, V8") in outcomes
    assert ("one company", "Zones LLC", "V1, V2, V3") in outcomes
    table = quality_summary(named)["Supplier name matching"]
    counts = dict(zip(zip(table["file"], table["outcome"]), table["rows"]))
    assert counts == {
        ("mbe_list.csv", "matched"): 4,
        ("mbe_list.csv", "unmatched"): 1,
        ("mbe_list.csv", "ambiguous"): 1,
        ("vendors.csv", "one company"): 1,
    }


def test_vendor_ids_of_one_name_share_a_parent(named):
    parents = dict(named.execute("SELECT supplier_id, ultimate_parent_id FROM dim_suppliers").fetchall())
    assert parents["V1"] == parents["V2"] == parents["V3"] == "V1"
    assert parents["V4"] == "V4" and parents["V9"] == "V9"


def test_diverse_spend_by_department_by_hand(named):
    df = unsuppressed_table(named, "diverse_spend_share", by=["business_unit"])
    df = df[(df["dimensions"] == "business_unit") & (df["spend_base"] == "total")].set_index("group")
    # Roads: diverse 100 + 200 + 300 = 600 of 4600; Parks: 400 + 500 + 50 = 950 of 4950
    assert df.loc["Roads", "numerator"] == pytest.approx(600) and df.loc["Roads", "denominator"] == pytest.approx(4600)
    assert df.loc["Parks", "numerator"] == pytest.approx(950) and df.loc["Parks", "denominator"] == pytest.approx(4950)
    # n: Roads' diverse side is one company (Zones), not three vendor ids
    assert df.loc["Roads", "n"] == 1
    # Parks: diverse Acme, Smith & Jones, Zones = 3; the rest Northwind, Globex = 2 -> 2
    assert df.loc["Parks", "n"] == 2


def _roads(con, metric):
    df = compute(con, metric, by=["business_unit"])  # what is published
    return df[(df["group"] == "Roads") & (df.get("spend_base", "total") == "total")].iloc[0]


def test_attack_three_vendor_ids_of_one_company_do_not_publish_its_revenue(named, tmp_path):
    """The attack: Roads' diverse spend is Zones' alone. Counted by vendor ids its diverse side
    has 3 >= k = 3 contributors and the rest 4, so the cell would be published and tell every
    reader what Roads paid Zones. Counted by company it has 1 < k: hidden."""
    ids, companies = named.execute(
        "SELECT count(DISTINCT s.supplier_id), count(DISTINCT s.ultimate_parent_id) FROM fct_spend s "
        "JOIN fct_certifications c USING (supplier_id) WHERE s.business_unit = 'Roads'"
    ).fetchone()
    assert (ids, companies) == (3, 1)
    for metric in ("diverse_spend_share", "diverse_supplier_count"):
        row = _roads(named, metric)
        assert row["suppressed"] and row[["value", "numerator"]].isna().all(), metric
    # the same folder without the grouping: the three ids count as three companies and the
    # cell is published - the disclosure parent_by_name prevents
    ungrouped = build_and_open(names_folder(tmp_path, parent_by_name=False))
    try:
        row = _roads(ungrouped, "diverse_spend_share")
        assert not row["suppressed"] and row["numerator"] > 0
    finally:
        ungrouped.close()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda m: m["procurement/certifications"].update(supplier_by_name="nope"), "column 'nope'"),
        (
            lambda m: m["procurement/certifications"]["columns"].update(supplier_id="list_id"),
            "remove columns.supplier_id",
        ),
        (lambda m: m["procurement/spend"].update(supplier_by_name="vendor_name"), "procurement/certifications only"),
        (lambda m: m["procurement/suppliers"].update(parent_by_name="yes"), "true or false"),
        (lambda m: m["procurement/spend"].update(parent_by_name=True), "procurement/suppliers only"),
    ],
)
def test_bad_name_settings_stop_the_build_naming_the_mapping(tmp_path, change, message):
    folder = names_folder(tmp_path)
    config = yaml.safe_load((folder / "equity.yml").read_text())
    change(config["mapping"])
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(EquityError, match=message):
        build_and_open(folder)


@pytest.mark.slow
def test_the_data_quality_page_counts_the_name_matches(tmp_path, monkeypatch):
    from tests.test_suppliers_outputs import _page

    folder = names_folder(tmp_path)
    build_and_open(folder).close()
    at = _page(folder.parent / "data.duckdb", page_path("data_quality"), monkeypatch)
    assert "Supplier name matching" in [s.value for s in at.subheader]
    shown = [d.value for d in at.dataframe]
    table = next(df for df in shown if list(df.columns) == ["file", "outcome", "rows"])
    assert dict(zip(table["outcome"], table["rows"])) == {
        "ambiguous": 1,
        "matched": 4,
        "one company": 1,
        "unmatched": 1,
    }


def test_the_draft_suggests_matching_by_name(tmp_path):
    from pipelines.mapping_draft import draft_config

    folder = names_folder(tmp_path)
    (folder / "equity.yml").unlink()
    text = draft_config(folder).path.read_text(encoding="utf-8")
    # mbe_list.csv has no certification or date column, so no contract file takes it: the draft
    # says what it may be, with its name columns (list_id is not a name)
    assert "a list of certified firms?" in text
    assert "supplier_by_name: [company, dba]" in " ".join(text.replace("#", " ").split())
    assert "parent_by_name: true" in text


def test_a_rebuild_matches_again_when_only_the_vendor_master_changed(tmp_path):
    """The list did not change, the vendors did: the match must follow the new master (a build
    that kept the list's last match would leave V9 uncertified)."""
    folder = names_folder(tmp_path)
    db = tmp_path / "names.duckdb"
    build_and_open(folder, db).close()
    write_csv(
        folder / "vendors.csv",
        ["vendor_id", "vendor_name"],
        [list(v) if v[0] != "V9" else ["V9", "Zones Inc"] for v in VENDORS],
    )
    con = build_and_open(folder, db)
    try:
        certified = [
            r[0] for r in con.execute("SELECT DISTINCT supplier_id FROM fct_certifications ORDER BY 1").fetchall()
        ]
        assert certified == ["V1", "V2", "V3", "V4", "V5", "V9"]
        # the report is this build's alone: L1 matched once, now with four ids
        rows = con.execute("SELECT supplier_ids FROM supplier_name_matches WHERE name = 'Zones, Inc.'").fetchall()
        assert rows == [("V1, V2, V3, V9",)]
    finally:
        con.close()


def test_hostile_names_are_data_not_sql(tmp_path):
    """Names reach the database as values only: quotes, a statement, a line break and control
    characters end up as the quarantined raw value, and the build goes on."""
    folder = names_folder(tmp_path)
    hostile = ["x'); DROP TABLE quarantine; --", 'Zones "LLC"\nInc', "\x07\x1b[31mAcme\x00"[:-1]]
    write_csv(
        folder / "mbe_list.csv",
        ["list_id", "company", "dba"],
        [list(r) for r in LIST] + [[f"H{i}", name, ""] for i, name in enumerate(hostile)],
    )
    con = build_and_open(folder)
    try:
        rows = dict(
            con.execute(
                "SELECT raw_value, reason FROM quarantine WHERE table_name = 'procurement__certifications' AND line > 7"
            ).fetchall()
        )
        assert rows[hostile[0]].startswith("no supplier")
        # the escape sequence leaves "31macme", which is nobody's name
        assert rows[hostile[2]].startswith("no supplier")
        # quotes and the line break are punctuation and LLC, Inc legal forms: Zones again, the
        # same match as L1 on line 2, so an exact duplicate of it
        assert normalised_name(hostile[1]) == "zones"
        assert con.execute(
            "SELECT reason FROM quarantine WHERE table_name = 'procurement__certifications' AND line = 9"
        ).fetchone() == ("exact duplicate of line 2",)
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] > 0  # the table survived
    finally:
        con.close()


def test_the_build_output_says_how_the_names_matched(tmp_path):
    from click.testing import CliRunner
    from pipelines.cli import main

    folder = names_folder(tmp_path)
    result = CliRunner().invoke(main, ["build", "--data", str(folder), "--db", str(tmp_path / "out.duckdb")])
    assert result.exit_code == 0, result.output
    # L1, L2, L3, L6 matched, L4 unmatched, L5 ambiguous; Zones is the one name with several ids
    assert (
        "Supplier names matched (mbe_list.csv: 1 ambiguous, 4 list row(s) matched, 1 unmatched; vendors.csv: "
        "1 name(s) held by several vendor ids, one company each)"
    ) in " ".join(result.output.split())


def test_the_spark_engine_refuses_name_matching_instead_of_ignoring_it(tmp_path):
    from pipelines.config import load_config
    from pipelines.sources import resolve_sources
    from pipelines.spark.ingest import load_raw as spark_load_raw

    folder = names_folder(tmp_path)
    sources = resolve_sources(folder, load_config(folder))
    for name in ("procurement__suppliers", "procurement__certifications"):
        with pytest.raises(EquityError, match="duckdb engine only"):
            spark_load_raw(None, sources[name])  # refused before the connection is used
