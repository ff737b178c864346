"""`mapping` in equity.yml: a real export read unchanged. One file with its own name and
column names feeds both hr/employees and hr/job_history; every staged value below is worked
out by hand from the rows written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from tests.helpers import build_and_open, write_csv

EXPORT = "exports/people_export.csv"
HEADER = [
    "Worker ID",
    "Sex",
    "Ethnicity",
    "Birth Date",
    "Start",
    "End Date",
    "Leaving Type",
    "Org",
    "Base Pay",
    "Badge",
]
ROWS = [  # line
    ["W1", "F", "Asian", "07/10/83", "3/15/2020", "", "", "Sales", "50000", "a"],  # 2
    ["W2", "m ", "White", "01/02/05", "1/2/2021", "30.06.2023", "Resigned", "Ops", "60000", "b"],  # 3
    ["W3", "DECLINE TO STATE ", "", "03/04/60", "11/30/2019", "15.01.2024", " dismissed ", "Sales", "70000", "c"],  # 4
    ["W4", " f", "Black", "12/31/99", "2/1/2022", "", "", " Ops ", "55000", "d"],  # 5
    ["W5", "Non-binary", "White", "02/29/68", "6/1/2020", "", "", "Ops", "65000", "e"],  # 6
    ["W6", "M", "Asian", "05/05/90", "13/01/2021", "", "", "Ops", "50000", "f"],  # 7 day-first
]

CONFIG = """\
as_of: "2024-12-31"
history_start: "2020-01-01"
mapping:
  hr/employees:
    file: exports/people_export.csv
    date_format: "%m/%d/%Y"            # US dates for every date column of this file ...
    columns:
      employee_id: Worker ID
      gender:
        column: Sex
        values: {F: Woman, M: Man, Decline to state: Prefer not to say}
      race_ethnicity: Ethnicity
      birth_year: {column: Birth Date, date_format: "%m/%d/%y", part: year, two_digit_year: past}
      hire_date: Start
      termination_date: {column: End Date, date_format: "%d.%m.%Y"}   # ... except this one
      termination_type:
        column: Leaving Type
        values: {Resigned: voluntary, Dismissed: involuntary}
  hr/job_history:
    file: exports/people_export.csv
    date_format: "%m/%d/%Y"
    columns:
      employee_id: Worker ID
      effective_date: Start
      department: Org
      annual_base_salary: Base Pay
      currency: {value: USD}
      fte: {value: 1}
      change_reason: {value: hire}
"""


def make_folder(root: Path, config: str = CONFIG, rows=ROWS) -> Path:
    folder = root / "data"
    write_csv(folder / EXPORT, HEADER, rows)
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    return folder


def build_error(tmp_path: Path, config: str) -> str:
    """Build a folder with `config`; the DataError message it stops with."""
    with pytest.raises(DataError) as err:
        build(make_folder(tmp_path, config), tmp_path / "x.duckdb")
    return str(err.value)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_and_open(make_folder(tmp_path_factory.mktemp("mapping")))
    yield c
    c.close()


def test_employees_are_renamed_value_mapped_and_dates_parsed(con):
    rows = con.execute(
        "SELECT employee_id, gender, race_ethnicity, birth_year, hire_date, termination_date, "
        "termination_type FROM stg_hr__employees ORDER BY employee_id"
    ).fetchall()
    d = dt.date
    assert rows == [
        # F -> Woman; DOB 07/10/83 -> 1983; Start 3/15/2020 (US)
        ("W1", "Woman", "Asian", 1983, d(2020, 3, 15), None, None),
        # 'm ' -> Man (trimmed, case-insensitive); 01/02/05 -> 2005 (not in the future, kept);
        # End Date 30.06.2023 by the column's own format; Resigned -> voluntary
        ("W2", "Man", "White", 2005, d(2021, 1, 2), d(2023, 6, 30), "voluntary"),
        # 'DECLINE TO STATE ' -> Prefer not to say; blank ethnicity -> Not disclosed;
        # 03/04/60 would be 2060 (future) -> 1960; ' dismissed ' -> involuntary
        ("W3", "Prefer not to say", "Not disclosed", 1960, d(2019, 11, 30), d(2024, 1, 15), "involuntary"),
        # ' f' -> Woman; 12/31/99 -> 1999
        ("W4", "Woman", "Black", 1999, d(2022, 2, 1), None, None),
        # an unmapped value is kept; 02/29/68 -> 2068-02-29 (future) -> 1968
        ("W5", "Non-binary", "White", 1968, d(2020, 6, 1), None, None),
    ]


def test_the_same_file_feeds_job_history_with_constants(con):
    rows = con.execute(
        "SELECT employee_id, effective_date, department, CAST(annual_base_salary AS VARCHAR), "
        "currency, fte, change_reason FROM stg_hr__job_history ORDER BY employee_id"
    ).fetchall()
    d = dt.date
    assert rows == [
        ("W1", d(2020, 3, 15), "Sales", "50000.00", "USD", 1.0, "hire"),
        ("W2", d(2021, 1, 2), "Ops", "60000.00", "USD", 1.0, "hire"),
        ("W3", d(2019, 11, 30), "Sales", "70000.00", "USD", 1.0, "hire"),
        ("W4", d(2022, 2, 1), "Ops", "55000.00", "USD", 1.0, "hire"),
        ("W5", d(2020, 6, 1), "Ops", "65000.00", "USD", 1.0, "hire"),
    ]


def test_a_date_not_in_the_mapped_format_is_quarantined_in_both_tables(con):
    got = set(con.execute("SELECT file, table_name, line, column_name, raw_value, reason FROM quarantine").fetchall())
    why = "not a valid date (expected %m/%d/%Y)"
    assert got == {
        (EXPORT, "hr__employees", 7, "hire_date", "13/01/2021", why),
        (EXPORT, "hr__job_history", 7, "effective_date", "13/01/2021", why),
    }
    stats = set(
        con.execute("SELECT file, table_name, rows_in, rows_loaded, rows_quarantined FROM manifest_files").fetchall()
    )
    assert stats == {(EXPORT, "hr__employees", 6, 5, 1), (EXPORT, "hr__job_history", 6, 5, 1)}


@pytest.mark.parametrize(
    "entry",
    [
        'veteran: {column: Badge, values: {a: No, b: "Yes"}}',
        "veteran: {column: Badge, values: {Yes: Veteran}}",
        "veteran: {value: No}",
    ],
    ids=["value", "key", "constant"],
)
def test_unquoted_yaml_yes_no_in_a_text_column_is_refused(tmp_path, entry):
    """YAML reads unquoted Yes/No as true/false: `{a: No}` would have put 'False' in the
    veteran column, and a `Yes:` key would never match the 'Yes' in the data."""
    config = CONFIG.replace("      race_ethnicity: Ethnicity\n", f"      race_ethnicity: Ethnicity\n      {entry}\n")
    msg = build_error(tmp_path, config)
    assert msg.startswith("equity.yml: ") and "'hr/employees.veteran'" in msg and "quote it" in msg, msg


def test_quoted_yes_no_booleans_and_blank_constants(tmp_path):
    config = CONFIG.replace(
        "      race_ethnicity: Ethnicity\n",
        """\
      race_ethnicity: Ethnicity
      veteran: {column: Badge, values: {"a": "No", "b": "Yes"}}
      termination_reason: {value: null}
      regretted: {column: Badge, values: {a: true, b: false, c: yes, d: no, e: "", f: ""}}
""",
    )
    con = build_and_open(make_folder(tmp_path, config))
    rows = con.execute(
        "SELECT employee_id, veteran, termination_reason, is_regretted FROM stg_hr__employees ORDER BY employee_id"
    ).fetchall()
    # Badge a..e on W1..W5: a -> No/true, b -> Yes/false, c is unmapped (kept) / yes -> true,
    # d / no -> false, e / "" -> blank; termination_reason is blank for everybody
    assert rows == [
        ("W1", "No", None, True),
        ("W2", "Yes", None, False),
        ("W3", "c", None, True),
        ("W4", "d", None, False),
        ("W5", "e", None, None),
    ]
    con.close()


# ---------------------------------------------------------------- mapping errors


def test_mapped_column_missing_from_header_lists_the_header(tmp_path):
    msg = build_error(tmp_path, CONFIG.replace("employee_id: Worker ID\n    ", "employee_id: Worker Number\n    ", 1))
    assert msg == (
        f"{EXPORT}, line 1: mapping for 'hr/employees.employee_id' refers to column 'Worker Number', "
        f"which is not in the header (header has: {', '.join(HEADER)})"
    )


def test_unknown_contract_table_key(tmp_path):
    msg = build_error(tmp_path, CONFIG.replace("  hr/job_history:", "  hr/jobs:"))
    assert msg.startswith("equity.yml: mapping names 'hr/jobs', which is not a contract file; known: ")
    assert "hr/job_history" in msg


def test_unknown_contract_column(tmp_path):
    msg = build_error(tmp_path, CONFIG.replace("race_ethnicity: Ethnicity", "ethnicity: Ethnicity"))
    assert msg.startswith(
        "equity.yml: mapping for 'hr/employees' names unknown column(s) ethnicity; "
        "contract columns: employee_id, gender, race_ethnicity"
    )


def test_mapped_file_missing(tmp_path):
    msg = build_error(tmp_path, CONFIG.replace("file: exports/people_export.csv", "file: exports/people.csv", 1))
    assert msg.startswith("exports/people.csv: required file is missing from ")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # a misspelt option would otherwise be ignored and the dates read with the wrong format
        (
            '{column: End Date, date_format: "%d.%m.%Y"}',
            '{column: End Date, date_fromat: "%d.%m.%Y"}',
            "unknown key(s) date_fromat",
        ),
        (
            '    date_format: "%m/%d/%Y"            #',
            '    dateformat: "%m/%d/%Y"            #',
            "unknown key(s) dateformat",
        ),
        ("part: year", "part: month", "part must be 'year'"),
        ("two_digit_year: past", "two_digit_year: future", "two_digit_year must be 'past'"),
        # two_digit_year acts only together with part: year; alone it would be silently ignored
        (
            '{column: End Date, date_format: "%d.%m.%Y"}',
            '{column: End Date, date_format: "%d.%m.%y", two_digit_year: past}',
            "two_digit_year only applies with part: year",
        ),
        ("currency: {value: USD}", "currency: {value: USD, column: Org}", "must give exactly one of column, value"),
    ],
    ids=[
        "column-key-typo",
        "file-key-typo",
        "bad-part",
        "bad-two-digit-year",
        "two-digit-year-alone",
        "column-and-value",
    ],
)
def test_mapping_options_are_checked(tmp_path, old, new, expected):
    assert old in CONFIG
    msg = build_error(tmp_path, CONFIG.replace(old, new, 1))
    assert msg.startswith("equity.yml: ") and expected in msg, msg
