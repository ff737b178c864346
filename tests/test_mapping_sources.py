"""Mapping sources as exports come: blank and unnamed header cells, several files stacked by
column name, a column from the file name. Every expected value is worked out by hand from the
rows written here."""

from __future__ import annotations

import datetime as dt
import shutil
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
    write_csv(
        folder / "export.csv",
        ["", "Unnamed: 0", "id", "sex", "start", "pay", ""],
        [["0", "0", "E1", "Woman", "2021-03-01", "50000", "x"], ["1", "1", "E2", "Man", "2022-05-01", "60000", ""]],
    )
    (folder / "equity.yml").write_text(PEOPLE_MAP.format(file="export.csv"), encoding="utf-8")
    con = build_and_open(folder)
    assert con.execute("SELECT employee_id, gender FROM stg_hr__employees ORDER BY 1").fetchall() == [
        ("E1", "Woman"),
        ("E2", "Man"),
    ]
    assert con.execute(
        "SELECT rows_in, rows_loaded FROM manifest_files WHERE file = 'export.csv' AND table_name = 'hr__employees'"
    ).fetchone() == (2, 2)


def test_a_blank_header_cannot_be_mapped(tmp_path):
    folder = tmp_path / "data"
    write_csv(folder / "export.csv", ["", "id", "sex", "start", "pay"], [["0", "E1", "Woman", "2021-03-01", "1"]])
    config = PEOPLE_MAP.format(file="export.csv").replace("gender: sex", "gender: _unnamed_column_1")
    (folder / "equity.yml").write_text(config, encoding="utf-8")
    with pytest.raises(DataError, match="refers to column '_unnamed_column_1', which is not in the header"):
        build(folder, tmp_path / "x.duckdb")


SUPPLIERS = [["S1", "Acme"], ["S2", "Beta"]]
STACKED = r"""as_of: "2021-12-31"
history_start: "2020-01-01"
mapping:
  procurement/suppliers:
    file: vendors.csv
    columns: {supplier_id: vid, supplier_name: name}
  procurement/spend:
    file: {files}
    rename: {"Amount USD": amount_usd}     # the 2021 header; 2020 says amount_usd already
    from_file_name: {fy: '(\d{4})'}
    columns:
      transaction_id: txn
      supplier_id: vid
      transaction_date: date
      amount: amount_usd
      category: fy                        # the year, from the file name
"""


def stacked_folder(root: Path, files: str) -> Path:
    from tests.helpers import employees_folder

    folder = employees_folder(root / "data", [{"employee_id": "E1", "gender": "Woman", "hire_date": "2019-01-01"}])
    write_csv(folder / "vendors.csv", ["vid", "name"], SUPPLIERS)
    write_csv(
        folder / "pay" / "spend_2020.csv",
        ["", "txn", "vid", "date", "amount_usd"],
        [["0", "T1", "S1", "2020-03-01", "100.50"], ["1", "T2", "S2", "2020-04-01", "200"]],
    )
    # 2021: columns in another order, the amount renamed, one amount that is not a number (line 3)
    write_csv(
        folder / "pay" / "spend_2021.csv",
        ["date", "Amount USD", "txn", "vid"],
        [["2021-02-01", "300", "T3", "S1"], ["2021-05-01", "12,5", "T4", "S2"], ["2021-06-01", "50", "T5", "S2"]],
    )
    (folder / "equity.yml").write_text(STACKED.replace("{files}", files), encoding="utf-8")
    return folder


@pytest.mark.parametrize("files", ["pay/spend_*.csv", "[pay/spend_2020.csv, pay/spend_2021.csv]"], ids=["glob", "list"])
def test_several_files_stack_by_column_name(tmp_path, files):
    con = build_and_open(stacked_folder(tmp_path, files))
    rows = con.execute(
        "SELECT transaction_id, supplier_id, CAST(amount AS DOUBLE), category FROM stg_procurement__spend ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("T1", "S1", 100.5, "2020"),
        ("T2", "S2", 200.0, "2020"),
        ("T3", "S1", 300.0, "2021"),
        ("T5", "S2", 50.0, "2021"),
    ]
    # the bad amount is reported in its own file, on its own line (header = line 1)
    assert con.execute("SELECT file, line, column_name, raw_value FROM quarantine").fetchall() == [
        ("pay/spend_2021.csv", 3, "amount", "12,5")
    ]
    assert con.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined FROM manifest_files WHERE table_name = 'procurement__spend'"
    ).fetchone() == (5, 4, 1)


def test_a_mapped_column_missing_from_one_file_names_that_file(tmp_path):
    folder = stacked_folder(tmp_path, "pay/spend_*.csv")
    config = (folder / "equity.yml").read_text().replace('rename: {"Amount USD": amount_usd}', "")
    (folder / "equity.yml").write_text(config)
    with pytest.raises(
        DataError,
        match=r"^pay/spend_2021.csv, line 1: mapping for 'procurement/spend.amount' "
        r"refers to column 'amount_usd', which this file does not have",
    ):
        build(folder, tmp_path / "x.duckdb")


def test_per_file_rename_in_a_list(tmp_path):
    folder = stacked_folder(tmp_path, "x")
    config = (
        (folder / "equity.yml")
        .read_text()
        .replace('rename: {"Amount USD": amount_usd}', "")
        .replace(
            "file: x", 'file: [pay/spend_2020.csv, {file: pay/spend_2021.csv, rename: {"Amount USD": amount_usd}}]'
        )
    )
    (folder / "equity.yml").write_text(config)
    con = build_and_open(folder)
    assert con.execute("SELECT sum(amount) FROM stg_procurement__spend").fetchone()[0] == pytest.approx(650.5)


@pytest.mark.parametrize("files", ["../outside.csv", "pay/../../outside.csv", "../*.csv", "/etc/passwd"])
def test_files_outside_the_data_folder_are_refused(tmp_path, files):
    folder = stacked_folder(tmp_path, files)
    write_csv(tmp_path / "outside.csv", ["txn"], [["T9"]])
    with pytest.raises(DataError, match="outside the data folder|relative to the data folder"):
        build(folder, tmp_path / "x.duckdb")


def test_a_duplicate_key_across_files_names_the_second_file_and_its_line(tmp_path):
    folder = stacked_folder(tmp_path, "pay/spend_*.csv")
    write_csv(
        folder / "pay" / "spend_2021.csv",
        ["date", "Amount USD", "txn", "vid"],
        [["2021-02-01", "300", "T3", "S1"], ["2021-05-01", "10", "T1", "S2"]],
    )
    with pytest.raises(
        DataError,
        match=r"^pay/spend_2021.csv, line 3, column 'transaction_id': "
        r"duplicate key transaction_id='T1'",
    ):
        build(folder, tmp_path / "x.duckdb")


def test_stacked_files_are_reused_until_one_changes(tmp_path):
    folder = stacked_folder(tmp_path, "pay/spend_*.csv")
    db = tmp_path / "x.duckdb"
    build(folder, db)
    assert "procurement__spend" in build(folder, db).reused_sources
    write_csv(
        folder / "pay" / "spend_2021.csv", ["date", "Amount USD", "txn", "vid"], [["2021-02-01", "300", "T3", "S1"]]
    )
    assert "procurement__spend" not in build(folder, db).reused_sources


def test_procurement_alone_builds_and_its_dates_set_the_window(tmp_path):
    folder = stacked_folder(tmp_path, "pay/spend_*.csv")
    shutil.rmtree(folder / "hr")
    config = (folder / "equity.yml").read_text()
    config = config.replace('as_of: "2021-12-31"\nhistory_start: "2020-01-01"\n', "fiscal_year_start_month: 4\n")
    (folder / "equity.yml").write_text(config)
    con = build_and_open(folder)
    # latest spend 2021-06-01; earliest 2020-03-01, in the fiscal year that began 2019-04-01
    assert con.execute("SELECT history_start, as_of FROM build_params").fetchone() == (
        dt.date(2019, 4, 1),
        dt.date(2021, 6, 1),
    )
    assert con.execute("SELECT count(*) FROM stg_procurement__spend").fetchone()[0] == 4


def test_an_empty_folder_says_no_contract_file(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(DataError, match="no contract file found in"):
        build(tmp_path / "data", tmp_path / "x.duckdb")
