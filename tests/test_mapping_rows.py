"""Generated ids for exports without an id column, and the duplicate policy for rows that
repeat exactly. Expected ids, lines and counts are read off the rows written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from tests.helpers import build_and_open, write_csv

PAYROLL = """\
as_of: "2023-12-31"
history_start: "2020-01-01"
mapping:
  hr/employees:
    file: {files}
    {duplicates}
    columns:
      employee_id: {{generated: line}}
      gender: Gender
      hire_date: {{value: "2020-01-01"}}
  hr/job_history:
    file: {files}
    {duplicates}
    columns:
      employee_id: {{generated: line}}
      effective_date: {{value: "2020-01-01"}}
      department: Dept
      annual_base_salary: Salary
      currency: {{value: USD}}
"""
# two people with the same department, gender and salary: a payroll without ids repeats lines
ROWS_2022 = [["OPS", "F", "50000"], ["OPS", "F", "50000"], ["HR", "M", "60000"]]
ROWS_2023 = [["OPS", "M", "70000"]]


def payroll(root: Path, duplicates: str = "", files: str = "pay_2022.csv") -> Path:
    folder = root / "data"
    write_csv(folder / "pay_2022.csv", ["Dept", "Gender", "Salary"], ROWS_2022)
    write_csv(folder / "pay_2023.csv", ["Dept", "Gender", "Salary"], ROWS_2023)
    (folder / "equity.yml").write_text(PAYROLL.format(files=files, duplicates=duplicates), encoding="utf-8")
    return folder


def test_generated_ids_are_file_and_line_and_link_the_tables(tmp_path):
    con = build_and_open(payroll(tmp_path, "duplicates: keep", "pay_*.csv"))
    assert con.execute(
        "SELECT e.employee_id, e.gender, j.department, j.annual_base_salary "
        "FROM stg_hr__employees e JOIN stg_hr__job_history j USING (employee_id) "
        "ORDER BY 1"
    ).fetchall() == [
        ("pay_2022.csv:2", "F", "OPS", 50000),
        ("pay_2022.csv:3", "F", "OPS", 50000),
        ("pay_2022.csv:4", "M", "HR", 60000),
        ("pay_2023.csv:2", "M", "OPS", 70000),
    ]


def test_generated_ids_are_the_same_on_a_rebuild(tmp_path):
    folder = payroll(tmp_path, "duplicates: keep")
    first = build_and_open(folder, tmp_path / "a.duckdb")
    second = build_and_open(folder, tmp_path / "b.duckdb")
    query = "SELECT employee_id FROM stg_hr__employees ORDER BY 1"
    assert (
        first.execute(query).fetchall()
        == second.execute(query).fetchall()
        == [("pay_2022.csv:2",), ("pay_2022.csv:3",), ("pay_2022.csv:4",)]
    )


def test_exact_repeats_are_quarantined_by_default_with_the_line_they_repeat(tmp_path):
    folder = tmp_path / "data"
    write_csv(
        folder / "pay.csv",
        ["id", "Dept", "Gender", "Salary"],
        [["E1", "OPS", "F", "50000"], ["E2", "HR", "M", "60000"], ["E1", "OPS", "F", "50000"]],
    )
    config = PAYROLL.format(files="pay.csv", duplicates="").replace("{generated: line}", "id")
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    con = build_and_open(folder)
    assert con.execute("SELECT employee_id FROM stg_hr__employees ORDER BY 1").fetchall() == [("E1",), ("E2",)]
    assert con.execute("SELECT DISTINCT file, line, column_name, reason FROM quarantine").fetchall() == [
        ("pay.csv", 4, "(row)", "exact duplicate of line 2")
    ]
    assert con.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined FROM manifest_files WHERE table_name = 'hr__employees'"
    ).fetchone() == (3, 2, 1)


def test_repeats_across_stacked_files_name_the_file_they_repeat(tmp_path):
    folder = tmp_path / "data"
    write_csv(folder / "a.csv", ["id", "Dept", "Gender", "Salary"], [["E1", "OPS", "F", "50000"]])
    write_csv(
        folder / "b.csv", ["id", "Dept", "Gender", "Salary"], [["E2", "HR", "M", "1"], ["E1", "OPS", "F", "50000"]]
    )
    config = PAYROLL.format(files="[a.csv, b.csv]", duplicates="").replace("{generated: line}", "id")
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    con = build_and_open(folder)
    assert con.execute("SELECT DISTINCT file, line, reason FROM quarantine").fetchall() == [
        ("b.csv", 3, "exact duplicate of a.csv line 2")
    ]


def test_generated_ids_leave_repeats_to_the_policy(tmp_path):
    # generated ids differ on every line, so they are not compared: lines 2 and 3 still repeat
    con = build_and_open(payroll(tmp_path))
    assert con.execute("SELECT count(*) FROM stg_hr__employees").fetchone()[0] == 2
    assert con.execute("SELECT DISTINCT line, reason FROM quarantine").fetchall() == [(3, "exact duplicate of line 2")]


def test_duplicates_error_stops_naming_both_lines(tmp_path):
    with pytest.raises(DataError, match=r"^pay_2022.csv, line 3: repeats line 2 exactly"):
        build(payroll(tmp_path, "duplicates: error"), tmp_path / "x.duckdb")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("duplicates: keep", "duplicates: drop", "duplicates must be one of quarantine, keep, error"),
        ("{generated: line}", "{generated: uuid}", "generated must be one of line"),
        ("{generated: line}", "{generated: line, column: Dept}", "must give exactly one of"),
    ],
)
def test_options_are_checked(tmp_path, old, new, expected):
    folder = payroll(tmp_path, "duplicates: keep")
    config = (folder / "equity.yml").read_text()
    (folder / "equity.yml").write_text(config.replace(old, new, 1))
    with pytest.raises(DataError, match=expected):
        build(folder, tmp_path / "x.duckdb")
