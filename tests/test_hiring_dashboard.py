"""The Hiring page (AppTest) and the report section over the sample database: charts with
their summary, table and CSV download, the bottom-line toggle, the stratified view showing
planted truth 3, and "no data loaded" without recruiting files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import build_and_open, employees_folder
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGE = page_path("hiring")


def _titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


@pytest.fixture()
def page(sample_db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    at = AppTest.from_file(ENTRY, default_timeout=120).run()
    return at.switch_page(PAGE).run()


def test_hiring_page_shows_funnel_impact_strata_and_time_with_tables(page):
    assert not page.exception, page.exception
    assert [t.value for t in page.title] == ["Hiring"]
    headers = [h.value for h in page.header]
    for h in ("The funnel", "Adverse impact (four-fifths rule)", "Time in stage"):
        assert h in headers
    titles = _titles(page)
    assert len(titles) >= 5
    # each chart comes with a data table and a CSV download of that table
    assert len(page.dataframe) >= len(titles) and len(page.get("download_button")) >= len(titles)
    # every summary gives n; the stratified view opens on planted truth 3
    assert any("n = " in m.value for m in page.markdown)
    strata = [t for t in titles if t.startswith("Within each department")]
    assert strata and "Woman at interview -> offer in Engineering" in strata[0]
    # planted ratio 0.59; published from protected counts, it moves by a few hundredths
    ratio = float(strata[0].split("impact ratio ")[1][:4])
    assert abs(ratio - 0.59) <= 0.05


def test_bottom_line_toggle_switches_the_impact_view(page):
    before = _titles(page)[1]
    page.radio(key="hiring_ai_mode").set_value("Bottom line (hired ÷ decided)").run()
    assert not page.exception
    after = _titles(page)[1]
    assert after != before and "bottom line" in after


def test_suppressed_groups_say_why_in_the_impact_table(sample_db, monkeypatch):
    # by gender x race: many small intersections, which must read "fewer than k", never a number
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    app = AppTest.from_file(ENTRY, default_timeout=120)
    app.query_params["by"] = "gender,race_ethnicity"
    at = app.run().switch_page(PAGE).run()
    assert not at.exception
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert any(c == "fewer than 5" for c in cells)


def test_no_recruiting_files_shows_no_data(tmp_path, monkeypatch):
    people = [
        {
            "employee_id": f"E{i}",
            "gender": "Woman",
            "race_ethnicity": "White",
            "birth_year": "1980",
            "hire_date": "2015-01-01",
        }
        for i in range(3)
    ]
    con = build_and_open(employees_folder(tmp_path / "hr_only", people))
    con.close()
    monkeypatch.setenv("EQUITY_DB", str(tmp_path / "hr_only.duckdb"))
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("No data loaded for the hiring funnel" in i.value for i in at.info)


def test_report_section_shows_the_pages_default_window(sample_db):
    from dashboard.hinted import hinted_specs
    from dashboard.families.hiring.section import build_section
    from pipelines.metrics import build_context

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        section = build_section(con, 5)
        start = build_context(con)["history_start"]
    finally:
        con.close()
    # as the page opens (and as the summary page's hiring findings count): every application of
    # the data window pooled; the sample runs to 2026-09-30
    assert section is not None and f"from {start} to 2026-09-30, pooled" in section.intro
    # the seven hiring views (tests/test_page_pdf_parity_hiring.py), then the metrics hinted to the
    # Hiring page (dashboard/hinted.py)
    assert len(section.blocks) == 7 + len(hinted_specs("hiring"))
    for block in section.blocks:
        assert block.title and block.summary and not block.table.empty
        assert block.alt or block.figure is None  # alternative text for every figure
        # display tables never print a number for a hidden row
        text = block.table.astype(str)
        assert not text.isin(["nan", "<NA>"]).any().any()
