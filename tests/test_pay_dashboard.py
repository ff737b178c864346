"""Pay equity page and PDF section over the sample database: every view renders with a title
stating the finding, a table and a CSV download; no person-level row is ever shown; without
salaries the page says no data is loaded."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.families.pay.section import build_section
from pipelines.metrics import compute
from tests.helpers import build_and_open, employees_folder
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def _page(db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = AppTest.from_file(ENTRY, default_timeout=180).run()
    return at.switch_page(page_path("pay")).run()


def test_pay_page_shows_every_view_with_tables_and_downloads(sample_db, monkeypatch):
    at = _page(sample_db, monkeypatch)
    assert not at.exception, at.exception
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in at.get("plotly_chart")]
    assert len(titles) == 4, titles
    # the planted gap: women paid about 5% less with the same factors (sample_data/README.md)
    assert titles[0].startswith("Adjusted pay gap, ") and "Woman paid" in titles[0] and "less than Man" in titles[0]
    assert any("upper pay quartile" in t for t in titles)
    assert any("not explained by the legitimate factors" in t for t in titles)
    assert any(t.startswith("Closing the adjusted gap to 0% costs") for t in titles)
    # headings: the page's own st.subheader and every block's <h4> from show_block
    headers = [h.value for h in at.subheader] + [m.value for m in at.markdown if m.value.startswith("<h4")]
    assert any("before and after the raises (re-measured)" in h for h in headers)
    assert any("re-measured by refitting the adjusted model" in m.value and "→" in m.value for m in at.markdown)
    assert len(at.get("download_button")) >= 6
    art10 = [h for h in headers if "Art. 9(1)(g) and Art. 10" in h]
    assert len(art10) == 1, art10  # one heading per block: the page adds none of its own
    assert any("Art. 10" in h for h in headers) and any("Cohort review" in h for h in headers)
    for frame in at.dataframe:  # aggregated views only: remediation rows stay in the CLI
        assert "employee_id" not in frame.value.columns
    assert any("(n = " in m.value and "95% CI" in m.value for m in at.markdown)


def test_pay_page_without_salaries_says_no_data(tmp_path, monkeypatch):
    people = [{"employee_id": f"E{i}", "gender": "Woman", "hire_date": "2020-01-01"} for i in range(6)]
    jobs = [
        {"employee_id": f"E{i}", "effective_date": "2020-01-01", "department": "Ops", "job_level": "L1"}
        for i in range(6)
    ]  # no salary, no currency
    folder = employees_folder(
        tmp_path / "nopay", people, jobs, config={"history_start": "2024-01-01", "as_of": "2024-12-31"}
    )
    con = build_and_open(folder)
    db = con.execute("PRAGMA database_list").fetchall()[0][2]
    try:
        assert build_section(con, 5) is None
    finally:
        con.close()
    at = _page(db, monkeypatch)
    assert not at.exception, at.exception
    assert any("No data loaded for pay equity" in i.value for i in at.info)


def test_pdf_section_blocks_are_aggregated_and_suppressed(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        section = build_section(con, 5)
        adjusted = compute(con, "adjusted_pay_gap", by=["gender"])  # the published (protected) table
    finally:
        con.close()
    woman_today = adjusted[(adjusted["period"] == "2025") & (adjusted["group"] == "Woman")]["value"].iat[0]
    assert section is not None and section.family == "pay"
    # trend, statutory quartiles, Art. 10, decomposition, cohort review, cost curve, plan
    assert [b.figure is not None for b in section.blocks] == [True, True, False, True, False, True, False]
    for block in section.blocks:
        assert block.title and block.summary
        assert "employee_id" not in block.table.columns
    curve = section.blocks[-2].table
    paid = curve[curve["annual_cost"] > 0]  # a budget is only shown when at least k people share it
    assert len(paid) and (paid["n_raised"] >= 5).all()
    # the plan for the configured target (0%): before -> after as the refitted model measures it;
    # "before" is the published adjusted gap (the same protected figure as the Pay tables)
    plan = section.blocks[-1]
    # exact +5.40 (positive = paid less, 1 - exp(beta)), moved by at most 2/n
    assert round(woman_today, 2) == pytest.approx(5.40, abs=0.02)
    assert "re-measured" in plan.title and f"Woman {woman_today:.2f}% → " in plan.summary
    woman = plan.table.set_index("group").loc["Woman"]
    assert woman["after the raises, re-measured (%)"] <= 0.005 and woman["people raised"] >= 5
