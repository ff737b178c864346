"""Workforce figures and pages: hidden cells never carry a number into a chart, the report
section is built from published tables, and the Retention page says "no data loaded" for
parental leave when hr/leave.csv was not supplied."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.charts import group_label
from dashboard.families.workforce.charts import heatmap_figure, ratio_figure
from dashboard.families.workforce.charts_retention import km_figure
from dashboard.families.workforce.section import build_section
from pipelines.metrics import compute
from pipelines.families.workforce.curves import retention_curves
from tests.helpers import build_and_open, employees_folder
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def test_heatmap_cells_of_hidden_groups_are_blank_and_labelled(sample_con):
    table = compute(sample_con, "turnover_rate", by=["gender", "race_ethnicity"])
    rows = table[table["dimensions"] == "gender|race_ethnicity"]
    fig = heatmap_figure(rows, title="t", unit="rate", k=5, max_groups=100)
    heat = fig.data[0]
    checked = 0
    for i, group in enumerate(heat.y):
        for j, period in enumerate(heat.x):
            # the y axis shows readable labels ("Woman, Asian" for Woman|Asian)
            r = rows[(rows["group"].map(group_label) == group) & (rows["period"] == period)]
            if r.empty:
                continue
            if r["suppressed"].iat[0]:
                assert heat.z[i][j] is None
                assert heat.text[i][j] in ("fewer than 5", "hidden (protects a smaller group)")
                checked += 1
            else:
                assert heat.z[i][j] == pytest.approx(r["value"].iat[0])
    assert checked > 0  # the sample has hidden intersectional cells: the rule was exercised


def test_km_figure_draws_only_published_groups(sample_con):
    res = retention_curves(sample_con, by=["gender", "race_ethnicity"])
    fig = km_figure(res.curves, title="t")
    names = {t.name for t in fig.data if t.showlegend is not False}
    hidden = set(res.groups.loc[res.groups["suppressed"], "group"])
    assert names and not names & hidden
    assert "All" in names


def test_ratio_figure_leaves_out_hidden_and_overall_rows(sample_con):
    rows = compute(sample_con, "promotion_impact_ratio", by=["gender", "race_ethnicity"])
    last = rows[(rows["period"] == "2025") & (rows["dimensions"] == "gender|race_ethnicity")]
    fig = ratio_figure(last, title="t")
    plotted = set(fig.data[0].y)
    assert plotted == set(last.loc[~last["suppressed"] & last["value"].notna(), "group"])


def test_report_section_blocks_come_from_published_tables(sample_con):
    section = build_section(sample_con, 5)
    assert section is not None and len(section.blocks) >= 5
    for block in section.blocks:
        assert block.title and block.summary
        if block.figure is not None:
            assert block.alt
        # display tables spell suppression out; no hidden count leaks as a number
        if "n" in block.table and "Note" in block.table:
            hidden = block.table[block.table["Note"].str.contains("n<k|recovered", regex=True)]
            assert (hidden["n"] == "").all()
    assert "2025" in section.blocks[0].title  # the latest full year, not partial 2026


def test_retention_page_without_leave_file_says_no_data(tmp_path, monkeypatch):
    people = [
        {
            "employee_id": f"E{i}",
            "gender": "Woman" if i % 2 else "Man",
            "hire_date": "2018-01-01",
            "termination_date": "2021-06-30" if i % 3 == 0 else "",
            "birth_year": "1980",
            "termination_type": "voluntary" if i % 3 == 0 else "",
        }
        for i in range(30)
    ]
    folder = employees_folder(tmp_path / "data", people, config={"history_start": "2020-01-01", "as_of": "2022-12-31"})
    db = tmp_path / "noleave.duckdb"
    build_and_open(folder, db).close()
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = AppTest.from_file(ENTRY, default_timeout=90).run()
    at.switch_page(page_path("retention")).run()
    assert not at.exception, at.exception
    assert any("No data loaded for parental leave" in i.value for i in at.info)
    assert any("No events loaded" in i.value for i in at.info)
    assert at.get("plotly_chart")  # the curves and trends still render
