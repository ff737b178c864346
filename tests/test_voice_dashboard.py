"""The Employee voice page: shows the planted finding with n, tables and downloads; says
"no data loaded" without voice files; shows the differencing guard's refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import build_and_open, employees_folder
from tests.test_voice_metrics import hr_people
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGE = page_path("voice")


@pytest.fixture()
def app(sample_db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    return AppTest.from_file(ENTRY, default_timeout=120)


def test_page_states_the_finding_with_tables_and_downloads(app):
    at = app.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown]
    # the finding is the published one: protected counts, the same table `equity voice gaps` gives
    # (the first n on a page links to the Methodology glossary: "[n](methodology#n) = 1,322")
    assert any(re.search(r"\bn(\]\(methodology#n\))? = \d", t) and "belonging" in t for t in texts), texts
    assert len(at.get("plotly_chart")) >= 5
    assert len(at.get("download_button")) == len(at.get("plotly_chart"))
    heatmap_table = at.dataframe[0].value
    assert (heatmap_table["Value"] == "fewer than 10").any()  # never 0, never blank
    assert any("Free-text comments are out of scope" in c.value for c in at.caption)


def test_earlier_wave_can_be_chosen(app):
    at = app.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="voice_wave").set_value("2024-inclusion").run()
    assert not at.exception
    assert any("2024-inclusion" in m.value and "Woman, Asian" in m.value for m in at.markdown)


def test_a_differencing_filter_is_refused_on_the_page(app):
    app.query_params["department"] = "Engineering"
    at = app.run()
    at.switch_page(PAGE).run()
    at.multiselect(key="voice_levels").set_value(["L1", "L2", "L3", "L4", "L5"]).run()
    assert not at.exception
    # published figures refuse it before the guard: an index does not add up over several levels
    assert any(
        "Refused to protect anonymity" in e.value or "does not add up over several job_level" in e.value
        for e in at.error
    ), [e.value for e in at.error]
    assert not at.get("plotly_chart")


def test_no_voice_files_means_no_data_loaded(tmp_path, monkeypatch):
    folder = employees_folder(
        tmp_path / "data", hr_people(), config={"history_start": "2020-01-01", "as_of": "2025-12-31"}
    )
    build_and_open(folder).close()
    monkeypatch.setenv("EQUITY_DB", str(tmp_path / "data.duckdb"))
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("No data loaded for employee voice" in i.value for i in at.info)


def test_report_section_uses_the_survey_threshold(sample_con, tmp_path):
    from dashboard.families.voice.section import build_section

    section = build_section(sample_con, k=5)  # the report's HR k must not lower the survey k
    heatmap = section.blocks[0]
    from pipelines.families.voice.compare import voice_gaps

    gaps = voice_gaps(sample_con, "favourability", by=["gender", "race_ethnicity"])
    latest = gaps[
        (gaps["period"] == gaps["period"].max())
        & (gaps["dimensions"] == "gender|race_ethnicity")
        & gaps["significant"].eq(True)
        & (gaps["gap"] < 0)
        & (gaps["n"] >= 30)  # FINDING_MIN_N: a handful of respondents is not a headline
    ]
    # the headline names a group exactly when the published (protected) gaps find a shortfall
    # of a group of the full breakdown large enough to judge
    assert ("no group" in heatmap.title) == latest.empty and "belonging" in heatmap.summary.lower()
    assert (heatmap.table["Value"] == "fewer than 10").any()
    assert not (heatmap.table["Value"] == "fewer than 5").any()
    assert heatmap.alt and heatmap.figure is not None
    stricter = build_section(sample_con, k=12).blocks[0].table
    assert (stricter["Value"] == "fewer than 12").any()
    folder = employees_folder(
        tmp_path / "data", hr_people(), config={"history_start": "2020-01-01", "as_of": "2025-12-31"}
    )
    without_voice = build_and_open(folder)
    assert build_section(without_voice, k=5) is None
    without_voice.close()
