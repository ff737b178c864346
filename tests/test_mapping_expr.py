"""Derived columns by expression: arithmetic, dates and CASE over the source's own columns,
everything else refused with the mapping key named. Expected values are hand calculations on
the rows written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from tests.helpers import build_and_open, write_csv

CONFIG = """\
as_of: "2020-06-30"
history_start: "2015-01-01"
mapping:
  hr/employees:
    file: staff.csv
    columns:
      employee_id: Number
      gender: {expr: "CASE lower(Sex) WHEN 'f' THEN 'Woman' WHEN 'm' THEN 'Man' END"}
      # hired YearsAt whole years before the snapshot; left on it when Left = Yes
      hire_date: {expr: "DATE '2020-06-30' - to_years(CAST(YearsAt AS INTEGER))"}
      termination_date: {expr: "CASE WHEN Left = 'Yes' THEN DATE '2020-06-30' END"}
      termination_type: {expr: "CASE WHEN Left = 'Yes' THEN 'voluntary' END"}
  hr/job_history:
    file: staff.csv
    columns:
      employee_id: Number
      effective_date: {expr: "DATE '2020-06-30' - to_years(CAST(YearsAt AS INTEGER))"}
      annual_base_salary: {expr: "Monthly * 12"}
      job_level: {expr: "'L' || Level"}
      currency: {value: USD}
"""
ROWS = [
    ["1", "F", "3", "Yes", "1000.5", "1"],
    ["2", "m", "10", "No", "2000", "2"],
    ["3", "F", "0", "No", "abc", "1"],  # line 4: the monthly pay is not a number
    ["4", "M", "x", "No", "3000", "3"],
]  # line 5: the years are not a whole number


def folder_with(root: Path, config: str = CONFIG) -> Path:
    folder = root / "data"
    write_csv(folder / "staff.csv", ["Number", "Sex", "YearsAt", "Left", "Monthly", "Level"], ROWS)
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_and_open(folder_with(tmp_path_factory.mktemp("expr")))
    yield c
    c.close()


def test_case_and_date_arithmetic(con):
    assert con.execute(
        "SELECT employee_id, gender, hire_date, termination_date, termination_type FROM stg_hr__employees ORDER BY 1"
    ).fetchall() == [
        ("1", "Woman", dt.date(2017, 6, 30), dt.date(2020, 6, 30), "voluntary"),
        ("2", "Man", dt.date(2010, 6, 30), None, None),
        ("3", "Woman", dt.date(2020, 6, 30), None, None),
    ]


def test_arithmetic_on_text_columns(con):
    assert con.execute(
        "SELECT employee_id, annual_base_salary, job_level FROM stg_hr__job_history ORDER BY 1"
    ).fetchall() == [("1", 12006, "L1"), ("2", 24000, "L2")]


def test_a_value_that_does_not_convert_is_quarantined_with_its_text(con):
    rows = con.execute("SELECT table_name, line, column_name, raw_value FROM quarantine ORDER BY 1, 2, 3").fetchall()
    assert rows == [
        ("hr__employees", 5, "hire_date", "#cannot read YearsAt as INT: x"),
        ("hr__job_history", 4, "annual_base_salary", "#cannot read Monthly as DOUBLE: abc"),
        ("hr__job_history", 5, "effective_date", "#cannot read YearsAt as INT: x"),
    ]


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("(SELECT 1)", "is not allowed"),
        ("read_csv('/etc/passwd')", "is not allowed"),
        ("getenv('HOME')", "the function getenv is not allowed"),
        ("current_date", "is not allowed"),
        ("Monthly * 12; DROP TABLE x", "cannot be parsed|is not allowed"),
        ("CAST(Monthly AS BLOB)", "the type BLOB is not allowed"),
        ("Salary * 12", "refers to column 'Salary', which is not in the header"),
        ("x.Monthly", "must be double-quoted"),
        ("'constant'", "reads no column; use `value`"),
        ("Monthly *", "cannot be parsed"),
    ],
)
def test_a_refused_expression_names_the_key(tmp_path, expr, expected):
    config = CONFIG.replace('{expr: "Monthly * 12"}', '{expr: "' + expr.replace("'", "'") + '"}')
    with pytest.raises(DataError) as err:
        build(folder_with(tmp_path, config), tmp_path / "x.duckdb")
    message = str(err.value)
    assert message.startswith("equity.yml: mapping for 'hr/job_history.annual_base_salary': expr "), message
    import re

    assert re.search(expected, message), message
