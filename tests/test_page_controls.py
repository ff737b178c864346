"""Pages follow the sidebar or say what of it they do not apply (issue 19): the heat map is
titled by the chosen grain, and the Pay and Workforce pages name the breakdown dimensions they
leave out instead of dropping them silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def _page(db, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = AppTest.from_file(ENTRY, default_timeout=240)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_heat_map_is_titled_by_the_quarter_grain_and_flows_name_the_dropped_dimension(sample_db, monkeypatch):
    at = _page(sample_db, monkeypatch, page_path("workforce"), period="quarter", by="gender,race_ethnicity")
    headers = [h.value for h in at.header]
    assert "Groups by quarter" in headers and "Groups by year" not in headers
    captions = " ".join(c.value for c in at.caption)
    # "Who joins and who leaves" compares one dimension at a time: race_ethnicity is named as left out
    assert "The sidebar breakdown by race_ethnicity is not applied here" in captions


def test_pay_page_with_three_dimensions_names_the_level_it_controls_for(sample_db, monkeypatch):
    at = _page(sample_db, monkeypatch, page_path("pay"), by="gender,race_ethnicity,job_level")
    notes = " ".join(i.value for i in at.info)
    assert "The sidebar breakdown by job_level is not applied here" in notes
    assert "job_level is a factor the adjusted gap already controls for" in notes
    # the one sign convention and the decomposition's raw gap are stated once, on the page itself
    captions = " ".join(c.value for c in at.caption)
    assert "(reference - group) / reference x 100, so above 0 = the group is paid less" in captions
    assert "negative = paid less" not in captions
    assert "geometric means" in captions


@pytest.mark.parametrize(
    ("page", "records"), [(page_path("hiring"), "applications"), (page_path("voice"), "survey answers")]
)
def test_hiring_and_voice_name_the_location_filter_they_cannot_apply(sample_db, monkeypatch, page, records):
    at = _page(sample_db, monkeypatch, page, location="London")
    captions = " ".join(c.value for c in at.caption)
    assert f"The sidebar's location filter does not apply here: {records} record no location." in captions
