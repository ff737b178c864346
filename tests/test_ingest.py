"""Casting and quarantine on hand-made folders.

The "planted" folder holds good rows and one bad row of every kind the validator knows.
Every count and every quarantine row below was worked out by hand from the CSV rows
written here (line numbers count the header as line 1).
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.config import load_config
from pipelines.ingest import load_raw
from pipelines.sources import resolve_sources
from tests.helpers import EMPLOYEE_COLS, JOB_COLS, build_and_open, write_config, write_csv

EMP = "hr/employees.csv"
JOB = "hr/job_history.csv"
FX = "reference/fx_rates.csv"

MISSING = "required value is missing"
BAD_DATE = "not a valid date (expected YYYY-MM-DD)"
NOT_NUMBER = "not a number (use . for decimals, no thousands separators or currency symbols)"
ORPHAN = "employee_id not found among the loaded rows of hr/employees.csv"


def emp(
    eid,
    hire,
    gender="",
    race="",
    birth="",
    disability="",
    veteran="",
    lgbtq="",
    term="",
    ttype="",
    reason="",
    regretted="",
):
    return [eid, gender, race, birth, disability, veteran, lgbtq, hire, term, ttype, reason, regretted]


def job(eid, eff, fte="1", salary="50000", currency="USD", reason="hire"):
    return [eid, eff, "Ops", "Software", "L1", "London", "GB", "full_time", fte, salary, currency, "3", reason]


EMPLOYEES = [  # line
    emp(
        "E01",
        "2020-01-06",
        gender="  Woman  ",
        race="Black or African American",  # 2 good
        birth="1980",
        veteran="No",
        lgbtq="Prefer not to say",
    ),
    emp(
        "E02",
        "2021-03-01",
        gender="Non-binary",
        birth="1990",
        term="2023-06-30",  # 3 good
        ttype="voluntary",
        reason="Career change",
        regretted="Yes",
    ),
    emp("E03", "2019-05-01", race="Asian"),  # 4 good
    emp(
        "E04",
        "2022-02-01",
        gender="Prefer not to say",
        race="White",  # 5 good
        term="2024-01-31",
        ttype="INVOLUNTARY",
        regretted="n",
    ),
    emp("E05", "2021-02-30"),  # 6 no 30 February
    emp("E06", "1899-12-31"),  # 7 a real date, but before 1900
    emp("E07", "2020-01-01", term="2023-01-31", ttype="fired"),  # 8 not in the enum
    emp("E08", "2020-01-01", birth="1985.0"),  # 9 not a whole number
    emp("E09", "2020-01-01", birth="1890"),  # 10 integer below min 1900
    emp("E10", "2020-01-01", regretted="maybe"),  # 11 not a boolean
    emp("", "2020-01-01"),  # 12 employee_id missing
    emp("E12", ""),  # 13 hire_date missing
    emp("E13", "01/02/2020", ttype="quit"),  # 14 two problems on one line
    emp("E14", "2020-07-01", gender="Man"),  # 15 good
]

JOBS = [  # line
    job("E01", "2020-01-06"),  # 2 good
    job(
        "E01", "2022-01-01", fte="0.8", salary="52000.50", currency="EUR", reason="promotion"
    ),  # 3 good (EUR has a rate)
    job("E02", "2021-03-01", fte="1.5"),  # 4 fte above max 1
    job("E03", "2019-05-01", fte="0"),  # 5 fte must be > 0
    job("E04", "2022-02-01", salary="50,000"),  # 6 thousands separator
    job("E14", "2020-09-01", salary="-100"),  # 7 money below min 0
    job("E14", "2021-07-01", currency="US"),  # 8 not a 3-letter code
    job("E02", "2022-03-01", fte=".5", currency="usd"),  # 9 good (.5, upper-cased)
    job("E99", "2020-01-01"),  # 10 orphan: no E99 at all
    job("E05", "2021-01-01"),  # 11 orphan: E05 quarantined
    job("E03", "2020-15-01"),  # 12 month 15
    job("", "2020-01-01"),  # 13 employee_id missing
    job("E04", "2023-01-01", fte="1.0", salary="60000", currency=""),  # 14 good (blank = USD)
    job("E14", "2020-07-01"),  # 15 good
]

FX_RATES = [  # line
    ["EUR", "2022-01", "1.10"],  # 2 good
    ["EUR", "2024-13", "1.08"],  # 3 month 13
    ["GBP", "2022-01", "0"],  # 4 rate must be > 0
    ["GBP", "2022-02", "abc"],  # 5 not a number
    ["EUR", "2022-02", "1.12"],  # 6 good
]

# (file, line, column, raw value, reason): one row per bad value
EXPECTED_QUARANTINE = {
    (EMP, 6, "hire_date", "2021-02-30", BAD_DATE),
    (EMP, 7, "hire_date", "1899-12-31", "date outside 1900-2100"),
    (EMP, 8, "termination_type", "fired", "not one of: voluntary, involuntary"),
    (EMP, 9, "birth_year", "1985.0", "not a whole number"),
    (EMP, 10, "birth_year", "1890", "below the minimum 1900"),
    (EMP, 11, "regretted", "maybe", "not true/false"),
    (EMP, 12, "employee_id", None, MISSING),
    (EMP, 13, "hire_date", None, MISSING),
    (EMP, 14, "hire_date", "01/02/2020", BAD_DATE),
    (EMP, 14, "termination_type", "quit", "not one of: voluntary, involuntary"),
    (JOB, 4, "fte", "1.5", "above the maximum 1"),
    (JOB, 5, "fte", "0", "must be greater than 0"),
    (JOB, 6, "annual_base_salary", "50,000", NOT_NUMBER),
    (JOB, 7, "annual_base_salary", "-100", "below the minimum 0"),
    (JOB, 8, "currency", "US", "not a 3-letter currency code"),
    (JOB, 10, "employee_id", "E99", ORPHAN),
    (JOB, 11, "employee_id", "E05", ORPHAN),
    (JOB, 12, "effective_date", "2020-15-01", BAD_DATE),
    (JOB, 13, "employee_id", None, MISSING),
    (FX, 3, "month", "2024-13", "not a valid month (expected YYYY-MM)"),
    (FX, 4, "rate_to_reporting", "0", "must be greater than 0"),
    (FX, 5, "rate_to_reporting", "abc", NOT_NUMBER),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted") / "data"
    write_csv(folder / EMP, EMPLOYEE_COLS, EMPLOYEES, bom=True)  # Excel's "CSV UTF-8" has a BOM
    write_csv(folder / JOB, JOB_COLS, JOBS)
    write_csv(folder / FX, ["currency", "month", "rate_to_reporting"], FX_RATES)
    write_config(folder, {"as_of": "2024-12-31", "history_start": "2020-01-01"})
    con = build_and_open(folder)
    yield con
    con.close()


def test_rows_in_equals_loaded_plus_quarantined_per_file(planted):
    stats = {
        r[0]: r[1:]
        for r in planted.execute("SELECT file, rows_in, rows_loaded, rows_quarantined FROM manifest_files").fetchall()
    }
    # employees: 14 data lines (2-15); bad lines 6-14 = 9 (line 14 has two problems but is one
    # row); good E01 E02 E03 E04 E14 = 5
    # job history: 14 data lines; bad lines 4-8, 10-13 = 9; good lines 2, 3, 9, 14, 15 = 5
    # fx rates: 5 data lines; bad lines 3-5 = 3; good lines 2 and 6 = 2
    assert stats == {EMP: (14, 5, 9), JOB: (14, 5, 9), FX: (5, 2, 3)}
    for rows_in, loaded, quarantined in stats.values():
        assert rows_in == loaded + quarantined


def test_every_quarantined_value_names_file_line_column_value_and_reason(planted):
    got = planted.execute("SELECT file, line, column_name, raw_value, reason FROM quarantine").fetchall()
    assert len(got) == len(EXPECTED_QUARANTINE)  # no duplicates either
    assert set(got) == EXPECTED_QUARANTINE


def test_loaded_rows_are_exactly_the_good_ones(planted):
    ids = [r[0] for r in planted.execute("SELECT employee_id FROM stg_hr__employees ORDER BY employee_id").fetchall()]
    assert ids == ["E01", "E02", "E03", "E04", "E14"]  # also: the BOM did not leak into E01
    jobs = planted.execute(
        "SELECT employee_id, CAST(effective_date AS VARCHAR), fte, "
        "CAST(annual_base_salary AS VARCHAR), currency FROM stg_hr__job_history "
        "ORDER BY employee_id, effective_date"
    ).fetchall()
    assert jobs == [
        ("E01", "2020-01-06", 1.0, "50000.00", "USD"),
        ("E01", "2022-01-01", 0.8, "52000.50", "EUR"),
        ("E02", "2022-03-01", 0.5, "50000.00", "USD"),  # '.5' is a number; 'usd' upper-cased
        ("E04", "2023-01-01", 1.0, "60000.00", "USD"),  # blank currency = reporting currency
        ("E14", "2020-07-01", 1.0, "50000.00", "USD"),
    ]


def test_enum_and_boolean_values_are_case_insensitive(planted):
    rows = dict(
        (
            (r[0], (r[1], r[2]))
            for r in planted.execute(
                "SELECT employee_id, termination_type, is_regretted FROM stg_hr__employees"
            ).fetchall()
        )
    )
    assert rows["E02"] == ("voluntary", True)  # regretted 'Yes'
    assert rows["E04"] == ("involuntary", False)  # 'INVOLUNTARY', regretted 'n'
    assert rows["E01"] == (None, None)  # blank boolean without a default stays unknown


def test_demographics_blank_is_not_disclosed_and_other_answers_are_kept(planted):
    rows = {
        r[0]: r[1:]
        for r in planted.execute(
            "SELECT employee_id, gender, race_ethnicity, disability, lgbtq FROM stg_hr__employees"
        ).fetchall()
    }
    assert rows["E01"] == ("Woman", "Black or African American", "Not disclosed", "Prefer not to say")
    assert rows["E02"] == ("Non-binary", "Not disclosed", "Not disclosed", "Not disclosed")
    assert rows["E03"] == ("Not disclosed", "Asian", "Not disclosed", "Not disclosed")
    assert rows["E04"][0] == "Prefer not to say"  # distinct from a blank answer
    assert rows["E14"][0] == "Man"


# ---------------------------------------------------------------- a minimal folder


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    """Only the required columns plus a couple of optional ones, extra unknown columns,
    padded header names, and no recruiting/procurement/voice/reference files."""
    folder = tmp_path_factory.mktemp("minimal") / "data"
    write_csv(
        folder / EMP,
        ["employee_id", "shoe_size", " gender ", "Hire_Date"],
        [
            [" M1 ", "42", " Woman", "2020-01-01 "],
            ["M2", "", "", "2021-01-01"],
            ["M3", "39", "Man", "2021-06-01"],
        ],
    )
    write_csv(
        folder / JOB,
        ["employee_id", "effective_date", "department", "badge_colour"],
        [
            ["M1", "2020-01-01", "  Sales ", "red"],
            ["M2", "2021-01-01", "", "blue"],
            ["M3", "2021-06-01", "Sales", "green"],
        ],
    )
    write_config(folder, {"as_of": "2021-12-31", "history_start": "2021-01-01"})
    con = build_and_open(folder)
    yield con
    con.close()


def test_whitespace_trimmed_and_optional_columns_may_be_absent(minimal):
    rows = minimal.execute(
        "SELECT employee_id, gender, race_ethnicity, birth_year, CAST(hire_date AS VARCHAR), "
        "termination_type, is_regretted FROM stg_hr__employees ORDER BY employee_id"
    ).fetchall()
    assert rows == [
        ("M1", "Woman", "Not disclosed", None, "2020-01-01", None, None),
        ("M2", "Not disclosed", "Not disclosed", None, "2021-01-01", None, None),
        ("M3", "Man", "Not disclosed", None, "2021-06-01", None, None),
    ]
    jobs = minimal.execute(
        "SELECT employee_id, department, job_level, fte, currency FROM stg_hr__job_history ORDER BY employee_id"
    ).fetchall()
    # blank label -> Unknown; absent label column -> Unknown; absent currency -> reporting currency
    assert jobs == [
        ("M1", "Sales", "Unknown", None, "USD"),
        ("M2", "Unknown", "Unknown", None, "USD"),
        ("M3", "Sales", "Unknown", None, "USD"),
    ]
    assert minimal.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0


def test_extra_unknown_columns_are_ignored(minimal):
    cols = {
        r[0]
        for r in minimal.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name IN ('stg_hr__employees', 'stg_hr__job_history')"
        ).fetchall()
    }
    assert "shoe_size" not in cols and "badge_colour" not in cols
    assert {"employee_id", "gender", "department"} <= cols


def test_absent_optional_family_skips_its_models_and_the_build_succeeds(minimal):
    models = {r[0]: r[1:] for r in minimal.execute("SELECT model, status, reason FROM manifest_models").fetchall()}
    assert models["stg_recruiting__applications"] == ("skipped", "input not supplied: src_recruiting__applications")
    assert models["stg_procurement__spend"][0] == "skipped"
    assert models["stg_voice__survey_responses"][0] == "skipped"
    for built in ("stg_hr__employees", "stg_hr__job_history", "fct_employment_spells", "fct_separations"):
        assert models[built][0] == "built", built
    assert minimal.execute("SELECT families FROM run_manifest").fetchone()[0] == "hr"
    tables = {r[0] for r in minimal.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "stg_recruiting__applications" not in tables
    assert [r[0] for r in minimal.execute("SELECT file FROM manifest_files ORDER BY file").fetchall()] == [EMP, JOB]


# ---------------------------------------------------------------- line numbers in big files


def test_line_numbers_stay_right_in_a_file_read_in_parallel_chunks(tmp_path):
    """DuckDB reads big CSVs in parallel; `_line` must still be the record's line. Each row
    carries its own line number in a column, so every row can be checked."""
    folder = tmp_path / "big"
    n = 300_000  # about 9 MB: many of DuckDB's parallel read chunks
    write_csv(
        folder / EMP,
        ["employee_id", "hire_date", "termination_reason"],
        [[f"E{i + 2}", "2020-01-01", "x" * 10] for i in range(n)],
    )
    write_csv(folder / JOB, ["employee_id", "effective_date"], [["E2", "2020-01-01"]])
    sources = resolve_sources(folder, load_config(folder))
    con = duckdb.connect()
    assert load_raw(con, sources["hr__employees"]) == n
    wrong = con.execute(
        "SELECT count(*) FROM raw_hr__employees WHERE employee_id <> 'E' || CAST(_line AS VARCHAR)"
    ).fetchone()[0]
    assert wrong == 0
