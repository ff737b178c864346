"""Where supplier figures are published: the Suppliers and Data quality pages (AppTest), the
`equity suppliers` commands and the report section - including "no data loaded" without
procurement files and hidden amounts below k."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from pipelines.cli import main
from tests.helpers import build_and_open, employees_folder
from tests.test_suppliers_metrics import cert, pay, procurement_folder, supplier
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


@pytest.fixture(scope="module")
def hr_only_db(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("hr") / "data",
        [{"employee_id": "E1", "gender": "Woman", "hire_date": "2010-01-01"}],
        config={"history_start": "2024-01-01", "as_of": "2024-12-31"},
    )
    build_and_open(folder).close()
    return folder.parent / "data.duckdb"


def _page(db, page, monkeypatch, **query):
    monkeypatch.setenv("EQUITY_DB", str(db))
    app = AppTest.from_file(ENTRY, default_timeout=120)
    for key, value in query.items():
        app.query_params[key] = value
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_suppliers_page_shows_both_tiers_the_union_note_and_downloads(sample_db, monkeypatch):
    at = _page(sample_db, page_path("suppliers"), monkeypatch, to="2024-12-31")
    heads = [s.value for s in at.subheader]
    assert {
        "Tier 1: diverse share of spend",
        "Tier 2 (reported by primes)",
        "By certification",
        "Goals and grades",
        "Certifications expiring soon",
        "Breakdown",
    } <= set(heads)
    assert any("add up to more than the diverse total" in i.value for i in at.info)
    first = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "of addressable spend in 2024" in first["layout"]["title"]["text"]  # latest full period = 2024
    text = " ".join(m.value for m in at.markdown)
    assert "addressable spend" in text and "all spend" in text and "n = " in text  # both denominators, n
    # four primes report Tier 2 in the sample and its equity.yml sets privacy.supplier_k: 3
    assert "Tier 2 spend attributed to us was" in text and "at least 3 primes" in text
    assert len(at.get("download_button")) >= 6 and at.dataframe


def test_suppliers_page_without_procurement_files_says_no_data_loaded(hr_only_db, monkeypatch):
    at = _page(hr_only_db, page_path("suppliers"), monkeypatch)
    assert any("No data loaded for supplier diversity" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_data_quality_page_warns_about_spend_after_a_lapse(sample_db, monkeypatch):
    at = _page(sample_db, page_path("data_quality"), monkeypatch)
    assert any("after their diverse certification lapsed" in w.value for w in at.warning)


# --- CLI ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    # as_of 2024-12-31: R1, R2, R3 (MBE, one group each) expire within 90 days; P2 belongs to P1
    suppliers = [supplier("R1"), supplier("R2"), supplier("R3"), supplier("P1"), supplier("P2", "P1")]
    certs = [cert(s, "MBE", "2023-01-01", "2025-01-31") for s in ("R1", "R2", "R3")]
    spend = [
        pay("T1", "R1", "2024-05-01", "100"),
        pay("T2", "R2", "2024-05-01", "200"),
        pay("T3", "R3", "2024-05-01", "300"),
        pay("T4", "P2", "2024-05-01", "1000"),
    ]
    folder = procurement_folder(tmp_path_factory.mktemp("cli"), suppliers, certs, spend)
    build_and_open(folder).close()
    return folder.parent / "data.duckdb"


def _run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_expiring_lists_certificates_and_the_amount_at_risk(cli_db):
    out = _run("suppliers", "expiring", "--db", str(cli_db), "--format", "csv")
    assert out.exit_code == 0
    table = pd.read_csv(io.StringIO(out.output))
    assert list(table["supplier_id"]) == ["R3", "R2", "R1"]  # by trailing spend 300, 200, 100
    text = _run("suppliers", "expiring", "--db", str(cli_db), "--exact").output
    # 100 + 200 + 300, 3 companies >= k 3; spend at risk is printed in whole units
    assert "): 600\n" in text and "not for publication" in text
    hidden = _run("suppliers", "expiring", "--db", str(cli_db), "--k", "4", "--exact").output
    assert "hidden (fewer than k companies)" in hidden and "600" not in hidden
    # published: the companies behind it are a protected count (within 2 of 3), the amount is
    # hidden below k on that count, and otherwise moves by at most 4/n of 600
    published = _run("suppliers", "expiring", "--db", str(cli_db)).output
    n = int(published.split("companies n = ")[1].split(")")[0])
    assert abs(n - 3) <= 2 and "not for publication" not in published
    if n < 3:
        assert "hidden (fewer than k companies)" in published and "): 6" not in published
    else:
        amount = float(published.rsplit("): ", 1)[1].strip().replace(",", ""))
        assert abs(amount - 600) <= 4 / n * 600


def test_cli_parents_and_goals(cli_db):
    parents = pd.read_csv(io.StringIO(_run("suppliers", "parents", "--db", str(cli_db), "--format", "csv").output))
    assert parents.to_dict("records") == [
        {
            "ultimate_parent_id": "P1",
            "ultimate_parent_name": "Supplier P1",
            "parent_in_master": True,
            "suppliers": 2,
            "levels": 1,
            "members": "P1 P2",
        }
    ]
    goals = _run("suppliers", "goals", "--db", str(cli_db), "--preset", "sba", "--format", "json")
    assert goals.exit_code == 0 and {g["certification"] for g in json.loads(goals.output)} == {
        "SB",
        "SDB",
        "WOSB",
        "SDVOSB",
        "HUBZONE",
    }
    none = _run("suppliers", "goals", "--db", str(cli_db))
    assert "No goals configured" in none.output


def test_cli_without_procurement_data_is_a_clear_error(hr_only_db):
    out = CliRunner().invoke(main, ["suppliers", "lapsed", "--db", str(hr_only_db)])
    assert out.exit_code == 1 and "no data loaded for supplier metrics" in out.output


def test_cli_build_with_a_parent_loop_exits_1_naming_the_loop(tmp_path):
    folder = procurement_folder(
        tmp_path, [supplier("A", "B"), supplier("B", "A")], [], [pay("T1", "A", "2024-02-01", "10")]
    )
    out = CliRunner().invoke(main, ["build", "--data", str(folder), "--db", str(tmp_path / "x.duckdb"), "--quiet"])
    assert out.exit_code == 1 and "A -> B -> A" in out.output


# --- report section ----------------------------------------------------------------------
def test_report_section_uses_published_tables(sample_con):
    from dashboard.families.suppliers.section import build_section

    section = build_section(sample_con, 5)
    assert section.family == "suppliers"
    titles = [b.title for b in section.blocks]
    assert titles[0].startswith("Diverse suppliers received") and "2025" in titles[0]  # 2026 is partial
    assert any(t.startswith("Tier 2 spend attributed to us") for t in titles)  # 4 primes >= supplier_k 3
    for block in section.blocks:
        assert not block.table.empty and block.summary
        if block.figure is not None:
            assert block.alt
    share = section.blocks[0].table
    assert set(share["Period"]) == {"2025"}  # the latest full period only


def test_report_section_is_absent_without_procurement_data(hr_only_db):
    import duckdb
    from dashboard.families.suppliers.section import build_section

    con = duckdb.connect(str(hr_only_db), read_only=True)
    assert build_section(con, 5) is None
    con.close()
