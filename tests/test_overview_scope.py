"""The Overview applies the sidebar's filters and range to its headlines, and every page that
does not apply part of the sidebar says so (issue 19)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.controls import View, by_note, overview_scope

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def _people_on(con, day: str, department: str | None = None) -> int:
    """Distinct people whose spell covers `day` (spells are inclusive at both ends)."""
    where = "" if department is None else f" AND department = '{department}'"
    return con.execute(
        f"SELECT count(DISTINCT employee_id) FROM fct_employment_spells "
        f"WHERE valid_from <= DATE '{day}' AND DATE '{day}' <= valid_to{where}"
    ).fetchone()[0]


@pytest.mark.slow
def test_overview_headcount_follows_department_filter_and_range(sample_db, monkeypatch):
    con = duckdb.connect(str(sample_db), read_only=True)
    expected = _people_on(con, "2023-12-31", "Engineering")
    everyone = _people_on(con, "2023-12-31")
    con.close()
    assert expected < everyone
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.query_params["department"] = "Engineering"
    at.query_params["to"] = "2023-12-31"
    at.run()
    assert not at.exception, at.exception
    head = [m for m in at.metric if m.label.startswith("Headcount")][0]
    assert head.label.endswith("2023")
    # the page shows the protected count: within the perturbation table's 2 of the hand count
    assert abs(int(head.value.replace(",", "")) - expected) <= 2
    assert any("department Engineering" in i.value for i in at.info)


def test_scope_and_breakdown_notes_name_what_is_not_applied():
    view = View(
        period="quarter",
        date_to=dt.date(2023, 12, 31),
        by=("gender", "race_ethnicity", "job_level"),
        filters=(("department", ("Engineering",)),),
    )
    text = overview_scope(view)
    assert "the quarter grain" in text and "department Engineering" in text and "start to 2023-12-31" in text
    assert "breakdown by gender × race_ethnicity × job_level is not applied to the headline figures" in text
    assert by_note(view, ("gender",), "one at a time") == (
        "The sidebar breakdown by race_ethnicity × job_level is not applied here (one at a time): shown by gender."
    )
    assert by_note(view, ("gender", "race_ethnicity", "job_level")) == ""
    assert by_note(View(), ("gender",)) == "No breakdown chosen in the sidebar: shown by gender."


def test_a_filter_the_metric_cannot_apply_is_named():
    from dashboard.controls import filters_note
    from pipelines.metrics import registry

    hiring = registry()["adverse_impact_ratio"]  # applications record department, not location
    view = View(filters=(("department", ("Engineering",)), ("location", ("Berlin",))))
    assert filters_note(view, hiring, "applications") == (
        "The sidebar's location filter does not apply here: applications record no location."
    )
    assert filters_note(View(filters=(("department", ("Engineering",)),)), hiring, "applications") == ""
