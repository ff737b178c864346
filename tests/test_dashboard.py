"""AppTest smoke tests: every page renders over the sample database without exceptions,
shows a chart with its table where it has one, and the URL restores the controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import PAGES, page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGE_FILES = [page_path(name) for name, *_ in PAGES if (Path(ENTRY).parent / page_path(name)).exists()]


@pytest.fixture()
def app(sample_db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    return AppTest.from_file(ENTRY, default_timeout=90)


def test_foundation_pages_exist():
    assert {page_path("overview"), page_path("workforce"), page_path("data_quality")} <= set(PAGE_FILES)


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_renders_without_exception(app, page):
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} has no title"
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_headline_values_with_n(app):
    at = app.run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert any(label.startswith("Headcount") for label in labels)
    assert any("n = " in c.value for c in at.caption)


def test_workforce_chart_has_summary_table_and_download(app):
    at = app.run()
    at.switch_page(page_path("workforce")).run()
    assert at.get("plotly_chart"), "no chart"
    assert at.dataframe, "no data table"
    assert at.get("download_button"), "no CSV download"
    assert any("n = " in m.value for m in at.markdown)  # the text summary gives its n


def test_query_string_restores_controls_and_ignores_unknown_values(app):
    app.query_params["period"] = "quarter"
    app.query_params["by"] = "gender,race_ethnicity,shoe_size"
    at = app.run()
    assert at.selectbox(key="ctl_period").value == "quarter"
    assert at.multiselect(key="ctl_by").value == ["gender", "race_ethnicity"]


def test_missing_database_shows_the_build_command(monkeypatch, tmp_path):
    monkeypatch.setenv("EQUITY_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    assert not at.exception
    assert any("No database found" in e.value for e in at.error)
    assert any("equity build" in c.value for c in at.code)


def test_sign_in_is_required_when_oidc_is_configured(app):
    app.secrets["auth"] = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://id.example/.well-known/openid-configuration",
    }
    at = app.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Equity metrics"]
    assert any(b.label == "Sign in" for b in at.button)
    assert not at.metric and not at.get("plotly_chart")  # nothing confidential before sign-in


def test_overview_counts_hidden_groups(app):
    at = app.run()
    assert any(c.value.startswith("Privacy: in the gender × race_ethnicity breakdown") for c in at.caption)
