"""Issue 17, hole 5: rows_in comes from a second, independent record count; a record DuckDB
drops without an error (one longer than ~32 MB) stops the build naming file and record."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.build import build
from pipelines.errors import DataError
from pipelines.record_count import count_records
from tests.helpers import employees_folder

PEOPLE = [{"employee_id": f"E{i}", "gender": "Woman", "hire_date": "2020-01-01"} for i in range(6)]
PAD = 40 * 1024 * 1024


def test_a_last_record_padded_with_40_mb_of_spaces_stops_the_build(tmp_path):
    data = employees_folder(tmp_path / "data", PEOPLE, config={"as_of": "2020-12-31"})
    path = data / "hr" / "employees.csv"
    lines = path.read_text().splitlines()
    # E5's row (line 7, record 6) with 40 MB of spaces in termination_reason: trimmed, it is a
    # valid row, so a reader that kept it would load 6 people
    cells = lines[-1].split(",")
    cells[10] = " " * PAD
    path.write_text("\n".join(lines[:-1] + [",".join(cells)]) + "\n")
    with pytest.raises(DataError) as err:
        build(data, tmp_path / "x.duckdb")
    msg = str(err.value)
    assert msg.startswith(
        "hr/employees.csv, line 7: holds 6 records but the CSV reader loaded 5: record 6, starting on line 7,"
    )
    assert not (tmp_path / "x.duckdb").exists()


@pytest.mark.parametrize(
    "text, columns, expected",
    [
        ("a,b\n1,2\n3,4\n", 2, 2),
        ("a,b\n1,2\n3,4", 2, 2),  # no final newline
        ("a,b\r\n1,2\r\n3,4\r\n", 2, 2),  # Windows line ends
        ('a,b\n"one\ntwo\nthree",2\n3,4\n', 2, 2),  # a quoted field spanning three lines
        ('a,b\n"x "",\n y",2\n', 2, 1),  # quotes, comma and newline inside quotes
        ("a,b\n1,2\n\n3,4\n\n", 2, 2),  # empty lines are no records (DuckDB skips them)
        ("a\n1\n\n3\n", 1, 3),  # ... but a blank value with one column
        ("\ufeffa,b\n1,2\n", 2, 1),  # BOM
        ("a,b\n", 2, 0),
    ],
)
def test_count_records_by_hand(tmp_path, text, columns, expected):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert count_records(path, columns) == expected


def test_count_records_agrees_with_duckdb_on_ordinary_files(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,2\n\n"3\n3",4\n5,"six, 6"\n', newline="")
    loaded = duckdb.sql(
        f"SELECT count(*) FROM read_csv('{path}', header=true, auto_detect=false, "
        "columns={'a': 'VARCHAR', 'b': 'VARCHAR'}, strict_mode=true)"
    ).fetchall()[0][0]
    assert loaded == count_records(path, 2) == 3
