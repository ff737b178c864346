"""What the funnel says it reinterpreted: a hire without a record of the last stage is an issue
when stages are recorded, and the design of a one-stage funnel (no application_stages file,
status is the only record), where saying it on every row would only be noise."""

from __future__ import annotations

from pipelines.metrics import build_context
from pipelines.families.hiring.funnel import funnel_data_issues
from tests.helpers import build_and_open, compute_exact, write_config, write_csv

COLS = ["application_id", "applied_date", "gender", "status"]
ISSUE = "status hired but no record of the last stage"


def applications(folder, with_stages: bool):
    """Men 4 hired of 10, women 3 hired of 10, all applied on 2024-03-01."""
    rows = [
        {
            "application_id": f"A{i:02d}",
            "applied_date": "2024-03-01",
            "gender": gender,
            "status": "hired" if i % 10 < hired else "rejected",
        }
        for gender, hired, base in (("Man", 4, 0), ("Woman", 3, 10))
        for i in range(base, base + 10)
    ]
    write_csv(folder / "recruiting" / "applications.csv", COLS, rows)
    if with_stages:  # every application applied; the 'hired' stage recorded for all hires but A00
        stages = [
            {"application_id": r["application_id"], "stage": "applied", "entered_date": "2024-03-01"} for r in rows
        ]
        stages += [
            {"application_id": r["application_id"], "stage": "hired", "entered_date": "2024-04-01"}
            for r in rows
            if r["status"] == "hired" and r["application_id"] != "A00"
        ]
        write_csv(folder / "recruiting" / "application_stages.csv", ["application_id", "stage", "entered_date"], stages)
    write_config(folder, {"recruiting": {"stage_order": ["applied", "hired"]}, "as_of": "2024-12-31"})
    return folder


def test_a_one_stage_funnel_has_no_missing_stage_note(tmp_path):
    con = build_and_open(applications(tmp_path / "data", with_stages=False))
    try:
        assert funnel_data_issues(con.cursor(), build_context(con)["config"]).empty
        rates = compute_exact(con, "selection_rate", by=["gender"]).set_index("group")
        assert (rates.loc["Man", "numerator"], rates.loc["Woman", "numerator"]) == (4, 3)
        assert not rates["note"].fillna("").str.contains(ISSUE).any()
    finally:
        con.close()


def test_a_hire_missing_its_recorded_last_stage_is_still_reported(tmp_path):
    con = build_and_open(applications(tmp_path / "data", with_stages=True))
    try:
        issues = funnel_data_issues(con.cursor(), build_context(con)["config"]).set_index("issue")
        assert issues.loc[f"applications with {ISSUE}", "count"] == 1
        overall = compute_exact(con, "selection_rate", by=["gender"]).set_index("group").loc["All"]
        assert overall["numerator"] == 7 and f"1 applications with {ISSUE}" in overall["note"]
    finally:
        con.close()
