"""The PDF summary's headline table says what its n column counts (issue 19: headcount's n and
turnover's n sit in one column and differ, people on one day vs everyone employed in the year)."""

from __future__ import annotations

from dashboard.pdf.snapshot import _summary
from pipelines.metrics import build_context
from tests.helpers import build_and_open, employees_folder


def test_summary_headline_table_explains_n(tmp_path):
    people = [
        {"employee_id": f"E{i}", "gender": "Woman" if i % 2 else "Man", "hire_date": "2020-01-01"} for i in range(12)
    ]
    con = build_and_open(
        employees_folder(tmp_path / "data", people, config={"history_start": "2021-01-01", "as_of": "2023-12-31"})
    )
    body, _ = _summary(con, 5, "year", build_context(con)["config"])
    assert "Headline measures, latest full period" in body
    assert "n: The number behind a figure" in body
    assert "counts everyone employed at any time in it, so its n is larger than the headcount beside it" in body
