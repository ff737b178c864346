"""Structural errors stop `equity build` with exit code 1 and one sentence naming the file,
line and column; usage errors exit with 2. Run through the real `equity` executable so the
exit code, stderr and the absence of a traceback are what a user sees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EMPLOYEE_COLS, JOB_COLS, employees_folder, write_csv

EQUITY = Path(sys.executable).with_name("equity")


def E(eid, hire, term="", ttype=""):
    return {
        "employee_id": eid,
        "gender": "Woman",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": ttype,
    }


PEOPLE = [E("E01", "2020-01-01"), E("E02", "2020-02-01"), E("E03", "2021-03-01", "2022-05-31", "voluntary")]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EQUITY), *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def build_fails(folder: Path, expected: str) -> str:
    """Build `folder`; assert exit code 1 and a one-line message containing `expected`."""
    db = folder.parent / "out.duckdb"
    proc = run("build", "--data", str(folder), "--db", str(db), "--quiet")
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr  # one sentence, no traceback
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert expected in lines[0], lines[0]
    assert not db.exists()  # nothing half-built left behind
    return lines[0]


@pytest.fixture()
def folder(tmp_path) -> Path:
    return employees_folder(tmp_path / "data", PEOPLE)


def test_missing_required_file(folder):
    (folder / "hr" / "job_history.csv").unlink()
    build_fails(folder, f"hr/job_history.csv: required file is missing from {folder}")


def test_required_column_missing_from_header(folder):
    write_csv(folder / "hr" / "employees.csv", ["employee_id", "gender"], [["E01", "Woman"]])
    msg = build_fails(
        folder,
        "hr/employees.csv, line 1, column 'hire_date': required column 'hire_date' "
        "is missing (header has: employee_id, gender)",
    )
    assert msg.count("hire_date") == 2


def test_duplicate_primary_key_names_both_lines(folder):
    # lines: 2 E01, 3 E02, 4 E03, 5 E02 again
    employees_folder(folder, PEOPLE + [E("E02", "2020-06-01")])
    build_fails(
        folder, "hr/employees.csv, line 5, column 'employee_id': duplicate key employee_id='E02' (first on line 3)"
    )


def test_duplicate_compound_key_in_job_history(folder):
    jobs = [{"employee_id": e["employee_id"], "effective_date": e["hire_date"]} for e in PEOPLE]
    # line 5 has line 2's key with another department: a conflict, not an exact repeat
    # (an exact repeat is quarantined instead: tests/test_mapping_rows.py)
    jobs.append({"employee_id": "E01", "effective_date": "2020-01-01", "department": "Sales"})
    write_csv(folder / "hr" / "job_history.csv", JOB_COLS, jobs)
    build_fails(
        folder,
        "hr/job_history.csv, line 5, column 'effective_date': duplicate key "
        "employee_id='E01', effective_date='2020-01-01' (first on line 2)",
    )


def test_termination_before_hire(folder):
    # line 2 E01, line 3 E02 (fine), line 4 E03 left a day before being hired
    employees_folder(folder, [PEOPLE[0], PEOPLE[1], E("E03", "2021-03-01", "2021-02-28", "voluntary")])
    build_fails(
        folder,
        "hr/employees.csv, line 4, column 'termination_date': termination_date 2021-02-28 "
        "is before hire_date 2021-03-01",
    )


def test_bonus_currency_without_a_rate_for_its_month(folder):
    write_csv(
        folder / "reference" / "fx_rates.csv", ["currency", "month", "rate_to_reporting"], [["EUR", "2024-02", "1.08"]]
    )
    write_csv(
        folder / "hr" / "bonuses.csv",
        ["employee_id", "paid_date", "amount", "currency"],
        [
            ["E01", "2024-02-29", "100", "EUR"],  # line 2: February has a rate
            ["E02", "2024-03-15", "200", "EUR"],
        ],
    )  # line 3: March has none
    build_fails(folder, "hr/bonuses.csv, line 3, column 'currency': no FX rate for EUR in 2024-03")


def test_spend_currency_without_any_rates_file(folder):
    write_csv(folder / "procurement" / "suppliers.csv", ["supplier_id"], [["S1"]])
    write_csv(
        folder / "procurement" / "spend.csv",
        ["transaction_id", "supplier_id", "transaction_date", "amount", "currency"],
        [
            ["T1", "S1", "2024-06-01", "10", ""],  # line 2: blank = USD, the reporting currency
            ["T2", "S1", "2024-06-30", "-5", "gbp"],
        ],
    )  # line 3
    build_fails(folder, "procurement/spend.csv, line 3, column 'currency': no FX rate for GBP in 2024-06")


def test_job_history_with_an_unknown_currency(folder):
    jobs = [
        {"employee_id": e["employee_id"], "effective_date": e["hire_date"], "currency": c, "annual_base_salary": "1000"}
        for e, c in zip(PEOPLE, ["USD", "XYZ", "USD"])
    ]
    write_csv(folder / "hr" / "job_history.csv", JOB_COLS, jobs)
    build_fails(folder, "hr/job_history.csv, line 3, column 'currency': no FX rate for XYZ")


@pytest.mark.parametrize("extra", [["surplus"], None], ids=["too-many-fields", "too-few-fields"])
def test_ragged_row_names_its_line(folder, extra):
    rows = [[e.get(c, "") for c in EMPLOYEE_COLS] for e in PEOPLE]
    rows[1] = rows[1] + extra if extra else rows[1][:-2]  # line 3
    write_csv(folder / "hr" / "employees.csv", EMPLOYEE_COLS, rows)
    found = 12 + 1 if extra else 12 - 2
    build_fails(
        folder, f"hr/employees.csv, line 3: cannot be read as CSV: Expected Number of Columns: 12 Found: {found}"
    )


@pytest.mark.parametrize("bad_line", [3, 3000], ids=["near-the-header", "far-from-the-header"])
def test_non_utf8_data_row_names_its_line(folder, bad_line):
    # a Latin-1 'é' on one line of an otherwise UTF-8 file (line 3 is inside the first buffer the
    # header reader decodes; line 3000 is only reached by DuckDB's reader)
    rows = [[f"E{i:04d}", "Woman", "2020-01-01"] for i in range(2, 3001)]  # lines 2..3000
    rows[bad_line - 2][1] = "Femme mari\xe9e"
    text = "employee_id,gender,hire_date\n" + "".join(",".join(r) + "\n" for r in rows)
    (folder / "hr" / "employees.csv").write_bytes(text.encode("latin-1"))
    msg = build_fails(folder, f"hr/employees.csv, line {bad_line}: ")
    assert "utf-8" in msg.lower()


def test_non_utf8_header(folder):
    (folder / "hr" / "employees.csv").write_bytes(
        "employee_id,hire_date,catégorie\nE01,2020-01-01,x\n".encode("latin-1")
    )
    build_fails(folder, "hr/employees.csv, line 1: is not UTF-8 text")


def test_utf16_file(folder):
    path = folder / "hr" / "employees.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))  # Excel's "Unicode text"
    build_fails(folder, "hr/employees.csv, line 1: is not UTF-8 text")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("privacy:\n  k: [3\n", "line 3: is not valid YAML"),  # the parser notices at end of input
        ("organisation: Acme\nprivcy: {k: 5}\n", "unknown setting(s) privcy"),
        ("privacy:\n  k: 2\n", "privacy.k must be a whole number of at least 3 (got 2)"),
        ("privacy:\n  k: five\n", "privacy.k must be a whole number of at least 3 (got 'five')"),
        ("- just\n- a list\n", "must be a mapping of settings"),
    ],
    ids=["bad-yaml", "unknown-setting", "k-below-3", "k-not-a-number", "not-a-mapping"],
)
def test_invalid_equity_yml(folder, text, expected):
    (folder / "equity.yml").write_text(text, encoding="utf-8")
    msg = build_fails(folder, expected)
    assert "equity.yml" in msg


def test_missing_data_folder_is_an_error(tmp_path):
    build_fails(tmp_path / "nowhere", f"data folder {tmp_path / 'nowhere'} does not exist")


def test_debug_shows_the_traceback(folder):
    (folder / "hr" / "job_history.csv").unlink()
    proc = run("--debug", "build", "--data", str(folder), "--db", str(folder.parent / "x.duckdb"), "--quiet")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "DataError" in proc.stderr


# ---------------------------------------------------------------- usage errors: exit code 2


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("usage")
    folder = employees_folder(tmp / "data", PEOPLE)
    db = tmp / "ok.duckdb"
    proc = run("build", "--data", str(folder), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.mark.parametrize(
    "args, expected",
    [
        (["metrics", "no_such_metric"], "unknown metric 'no_such_metric'"),
        (["metrics", "headcount", "--by", "shoe_size"], "headcount cannot be broken down by 'shoe_size'"),
        (["metrics", "headcount", "--by", "gender,gender"], "a breakdown dimension is repeated"),
        (["metrics", "headcount", "--k", "2"], "k must be at least 3 (got 2)"),
        (["metrics", "headcount", "--filter", "department"], "--filter takes DIM=VALUE"),
        (["metrics", "headcount", "--filter", "shoe_size=42"], "cannot filter headcount by 'shoe_size'"),
    ],
    ids=["unknown-metric", "bad-by", "repeated-by", "k-2", "filter-syntax", "filter-dim"],
)
def test_usage_errors_exit_2_without_traceback(built_db, args, expected):
    proc = run(*args, "--db", str(built_db))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], proc.stderr
    assert proc.stdout == ""


def test_no_database_is_a_usage_error(tmp_path):
    proc = run("metrics", "headcount", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert f"no database at {tmp_path / 'none.duckdb'}" in proc.stderr
    assert "Traceback" not in proc.stderr
