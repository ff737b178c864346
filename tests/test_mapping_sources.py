"""Mapping sources as exports come: blank and unnamed header cells, several files stacked by
column name, a column from the file name. Every expected value is worked out by hand from the
rows written here."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from tests.helpers import build_and_open, write_csv

PEOPLE_MAP = """\
as_of: "2023-12-31"
history_start: "2020-01-01"
mapping:
  hr/employees:
    file: {file}
    columns: {{employee_id: id, hire_date: start, gender: sex}}
  hr/job_history:
    file: {file}
    columns: {{employee_id: id, effective_date: start, annual_base_salary: pay, currency: {{value: USD}}}}
"""


def test_blank_and_unnamed_headers_are_ignored(tmp_path):
    # the header pandas writes with its index: a blank first cell, 'Unnamed: 0', and here also
    # a blank last cell; none of them is mapped, so none is read into the database
    folder = tmp_path / "data"
    write_csv(folder / "export.csv", ["", "Unnamed: 0", "id", "sex", "start", "pay", ""],
              [["0", "0", "E1", "Woman", "2021-03-01", "50000", "x"],
               ["1", "1", "E2", "Man", "2022-05-01", "60000", ""]])
    (folder / "equity.yml").write_text(PEOPLE_MAP.format(file="export.csv"), encoding="utf-8")
    con = build_and_open(folder)
    assert con.execute("SELECT employee_id, gender FROM stg_hr__employees ORDER BY 1").fetchall() == [
        ("E1", "Woman"), ("E2", "Man")]
    assert con.execute("SELECT rows_in, rows_loaded FROM manifest_files WHERE file = 'export.csv' "
                       "AND table_name = 'hr__employees'").fetchone() == (2, 2)


def test_a_blank_header_cannot_be_mapped(tmp_path):
    folder = tmp_path / "data"
    write_csv(folder / "export.csv", ["", "id", "sex", "start", "pay"], [["0", "E1", "Woman", "2021-03-01", "1"]])
    config = PEOPLE_MAP.format(file="export.csv").replace("gender: sex", "gender: _unnamed_column_1")
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    with pytest.raises(DataError, match="refers to column '_unnamed_column_1', which is not in the header"):
        build(folder, tmp_path / "x.duckdb")
