"""`equity map`: the draft equity.yml it writes for a folder of exports (issue 18).

Each synthetic folder is written here with hand-known properties (its delimiter, BOM, date
format, value spellings, an unmatched column), and the test checks the draft says exactly
that. Real datasets: the key detections a person would otherwise make by hand."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipelines import mapping_inspect
from pipelines.build import build
from pipelines.config import _merged, default_config, load_config, validate_config
from pipelines.errors import UsageError
from pipelines.sources import resolve_sources
from pipelines.mapping_draft import draft_config
from tests.conftest import REAL_DATA

HR_ROWS = [  # EmpID, Sex, DateofHire (M/D/YYYY: 13/..., impossible as D/M, proves the order), Salary
    ("101", "F", "7/13/2015", "", "52000", "Sales", "38"),
    ("102", "M ", "1/5/2016", "3/31/2019", "61000", "Sales", "44"),
    ("103", "F", "11/20/2017", "", "58000", "Support", "39"),
    ("104", "M", "2/28/2018", "12/1/2020", "49000", "Support", "42"),
]
HEADER = ["EmpID", "Sex", "DateofHire", "DateofTermination", "Salary", "Department", "Shoe size"]


def write_csv(path: Path, header: list[str], rows, delimiter: str = ",", bom: bool = False) -> None:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def comments_after(text: str, marker: str) -> str:
    return text[text.index(marker) :]


def draft(folder: Path, **kw) -> tuple[str, dict]:
    result = draft_config(folder, **kw)
    text = result.path.read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def test_semicolon_bom_and_us_dates_are_detected(tmp_path):
    write_csv(tmp_path / "people.csv", HEADER, HR_ROWS, delimiter=";", bom=True)
    text, doc = draft(tmp_path)
    assert "people.csv: utf-8 with BOM, semicolon-separated, 4 rows, 7 columns" in text
    emp = doc["mapping"]["hr/employees"]
    assert emp["file"] == "people.csv"
    assert emp["date_format"] == "%m/%d/%Y"
    cols = emp["columns"]
    assert cols["employee_id"] == "EmpID" and cols["hire_date"] == "DateofHire"
    assert cols["termination_date"] == "DateofTermination"
    # "M " and "M" are one answer once trimmed: one entry each, onto the project's labels
    assert cols["gender"] == {"column": "Sex", "values": {"F": "Woman", "M": "Man"}}
    assert doc["mapping"]["hr/job_history"]["columns"]["annual_base_salary"] == "Salary"
    # the build reads commas only: the draft says so where a person will read it
    assert "TODO: the build reads comma-separated UTF-8 files only" in text
    unmatched = comments_after(text, "# Not matched")
    assert "Shoe size: whole numbers 38 to 44" in unmatched
    assert "EmpID" not in unmatched and "Sex" not in unmatched
    load_config(tmp_path)  # the draft is valid equity.yml as it stands


def test_a_comma_draft_loads_and_maps_every_file_the_build_needs(tmp_path):
    write_csv(tmp_path / "people.csv", HEADER, HR_ROWS)
    _, doc = draft(tmp_path)
    config = load_config(tmp_path)
    sources = resolve_sources(tmp_path, config)
    assert set(sources) == {"hr__employees", "hr__job_history"}
    emp = sources["hr__employees"]
    assert emp.columns["gender"].source == "Sex"
    assert emp.columns["gender"].values == {"f": "Woman", "m": "Man"}
    assert emp.columns["hire_date"].date_format == "%m/%d/%Y"
    # job_history has no effective date: the hire date is proposed, marked for a person
    assert doc["mapping"]["hr/job_history"]["columns"]["effective_date"] == "DateofHire"


def test_day_first_dates_and_an_ambiguous_column(tmp_path):
    rows = [("1", "F", "13/07/2015", "05/06/2019"), ("2", "M", "28/02/2018", "07/08/2020")]
    write_csv(tmp_path / "staff.csv", ["employee_id", "gender", "hire_date", "termination_date"], rows)
    text, doc = draft(tmp_path)
    cols = doc["mapping"]["hr/employees"]["columns"]
    assert doc["mapping"]["hr/employees"]["date_format"] == "%d/%m/%Y"  # 13/07 cannot be M/D
    # 05/06/2019 and 07/08/2020 read as either: proposed month first, with a TODO
    assert cols["termination_date"] == {"column": "termination_date", "date_format": "%m/%d/%Y"}
    assert "TODO termination_date: the dates read as %m/%d/%Y or as %d/%m/%Y: check which" in text


def test_refuses_to_overwrite_and_writes_elsewhere_with_out(tmp_path):
    write_csv(tmp_path / "people.csv", HEADER, HR_ROWS)
    existing = tmp_path / "equity.yml"
    existing.write_text("organisation: mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists; equity map never overwrites a file.*--out"):
        draft_config(tmp_path)
    assert existing.read_text(encoding="utf-8") == "organisation: mine\n"
    runner = CliRunner()
    from pipelines.cli import main

    refused = runner.invoke(main, ["map", "--data", str(tmp_path)])
    assert refused.exit_code == 2 and "never overwrites" in refused.output
    other = tmp_path / "drafts" / "equity.yml"
    done = runner.invoke(main, ["map", "--data", str(tmp_path), "--out", str(other)])
    assert done.exit_code == 0, done.output
    assert "reading people.csv (1/1)" in done.output  # progress (stderr, mixed in here)
    assert yaml.safe_load(other.read_text())["mapping"]["hr/employees"]["columns"]["employee_id"] == "EmpID"
    assert existing.read_text(encoding="utf-8") == "organisation: mine\n"


def test_hostile_cells_and_file_names_stay_data(tmp_path):
    nasty_file = "x: !!python:os.system ['id']\n#.csv"
    rows = [
        ("1", "F", "7/13/2015", "A"),
        ("2", "F\x07", "1/5/2016", "B"),
        ("3", "M: !!python/object/apply:os.system ['id']", "1/5/2016", "line\nbreak: {x: 1}"),
        ("4", "M", "1/5/2016", "A"),
        ("5", "M", "2/5/2016", "\u2028- injected"),
    ]
    import csv

    with (tmp_path / nasty_file).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["EmpID", "Sex", "DateofHire", "Notes"])
        writer.writerows(rows)
    text, doc = draft(tmp_path)
    # only the keys the draft meant: nothing from a cell became a key, a tag or a line
    assert set(doc) == {
        "mapping",
    } and set(doc["mapping"]) == {"hr/employees", "hr/job_history"}
    emp = doc["mapping"]["hr/employees"]
    assert emp["file"] == nasty_file
    assert emp["columns"]["gender"]["values"] == {"F": "Woman", "M": "Man", "F\x07": "Woman"}
    for line in text.splitlines():
        stripped = line.strip()
        # every line is a comment, blank, or YAML the draft wrote (none starts with a cell's text)
        assert not stripped.startswith(("- injected", "break:", "!!python")), line
    assert "!!python" in text and "line\\nbreak" in text  # shown, escaped, inside comments and quotes
    load_config(tmp_path)


def test_yearly_files_are_one_stacked_source_with_renames(tmp_path):
    write_csv(
        tmp_path / "Salaries_2021.csv",
        ["Gender", "Base Salary", "2021 Overtime Pay"],
        [("F", "50000", "0"), ("M", "51000", "10")],
    )
    write_csv(
        tmp_path / "Salaries_2022.csv",
        ["Gender", "Base_Salary", "Overtime Pay"],
        [("M", "52000", "0"), ("F", "53000", "5")],
    )
    write_csv(tmp_path / "Other.csv", ["Colour"], [("red",)])
    text, doc = draft(tmp_path)
    jobs = doc["mapping"]["hr/job_history"]
    assert jobs["file"] == "Salaries_*.csv"
    assert jobs["rename"] == {"Base_Salary": "Base Salary", "2021 Overtime Pay": "Overtime Pay"}
    assert jobs["from_file_name"] == {"file_year": "((?:19|20)\\d\\d)"}
    assert jobs["columns"]["annual_base_salary"] == "Base Salary"
    # no id in the files: generated from file and line, every row kept (two people may match)
    assert jobs["columns"]["employee_id"] == {"generated": "line"} and jobs["duplicates"] == "keep"
    assert "Other.csv" in comments_after(text, "# Not matched")


def test_a_big_file_is_sampled_and_a_link_out_of_the_folder_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(mapping_inspect, "SAMPLE_ROWS", 10)
    rows = [(str(i), "F" if i % 2 else "M", "1/5/2016", "", "1", "Sales", "40") for i in range(50)]
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(folder / "people.csv", HEADER, rows)
    outside = tmp_path / "secret.csv"
    write_csv(outside, ["Password"], [("hunter2",)])
    os.symlink(outside, folder / "link.csv")
    text, _ = draft(folder)
    assert "people.csv: utf-8, comma-separated, first 10 rows sampled" in text
    assert "link.csv: links outside the folder, not read" in text
    assert "Password" not in text and "hunter2" not in text


def test_recruiting_export_gets_status_map_and_one_stage_funnel(tmp_path):
    rows = [
        ("1", "Admitted", "Male", "A", "512"),
        ("2", "Rejected", "Male", "A", "313"),
        ("3", "Admitted", "Female", "A", "89"),
        ("4", "Rejected", "Female", "A", "19"),
    ]
    write_csv(tmp_path / "admissions.csv", ["rownames", "Admit", "Gender", "Dept", "Freq"], rows)
    text, doc = draft(tmp_path)
    apps = doc["mapping"]["recruiting/applications"]["columns"]
    assert apps["status"] == {"column": "Admit", "values": {"Admitted": "hired"}}  # Rejected is already one
    assert apps["gender"] == {"column": "Gender", "values": {"Male": "Man", "Female": "Woman"}}
    assert doc["recruiting"] == {"stage_order": ["applied", "hired"]}
    assert "TODO applied_date: required, and no column was found" in text
    assert "Freq: whole numbers 19 to 512 (a count?" in comments_after(text, "# Not matched")
    config = _merged(default_config(), doc)
    validate_config(config)


# ---- the real public datasets (../shared/data/real) ------------------------------------------


def _real_draft(name: str, tmp_path) -> tuple[str, dict]:
    if not (REAL_DATA / name).is_dir():
        pytest.skip(f"{REAL_DATA / name} is absent (real datasets are local only)")
    return draft(REAL_DATA / name, out=tmp_path / "equity.yml")


@pytest.mark.slow
def test_real_huebner(tmp_path):
    text, doc = _real_draft("huebner_hr_v14", tmp_path)
    emp = doc["mapping"]["hr/employees"]
    assert emp["file"] == "HRDataset_v14.csv" and emp["date_format"] == "%m/%d/%Y"
    cols = emp["columns"]
    assert cols["employee_id"] == "EmpID" and cols["hire_date"] == "DateofHire"
    assert cols["gender"] == {"column": "Sex", "values": {"F": "Woman", "M": "Man"}}
    assert cols["birth_year"] == {"column": "DOB", "date_format": "%m/%d/%y", "part": "year", "two_digit_year": "past"}
    assert cols["termination_type"]["values"] == {
        "Active": "",
        "Voluntarily Terminated": "voluntary",
        "Terminated for Cause": "involuntary",
    }
    assert "utf-8 with BOM, comma-separated, 311 rows, 36 columns" in text
    # complete as drafted: the build's own mapping check accepts it against the real header
    sources = resolve_sources(REAL_DATA / "huebner_hr_v14", _merged(default_config(), doc))
    assert sources["hr__job_history"].columns["annual_base_salary"].source == "Salary"


@pytest.mark.slow
def test_real_ibm_attrition(tmp_path):
    text, doc = _real_draft("ibm_hr_attrition", tmp_path)
    cols = doc["mapping"]["hr/employees"]["columns"]
    assert cols["employee_id"] == "EmployeeNumber"
    assert cols["gender"] == {"column": "Gender", "values": {"Male": "Man", "Female": "Woman"}}
    assert "hire_date" not in cols and 'to_years(CAST(\\"YearsAtCompany\\"' in text
    assert doc["mapping"]["hr/job_history"]["columns"]["job_level"] == "JobLevel"
    assert "'MonthlyIncome' looks monthly" in text


@pytest.mark.slow
def test_real_ucb_and_resume(tmp_path):
    _, ucb = _real_draft("ucb_admissions", tmp_path / "ucb")
    assert ucb["mapping"]["recruiting/applications"]["columns"]["status"] == {
        "column": "Admit",
        "values": {"Admitted": "hired"},
    }
    _, resume = _real_draft("resume_callbacks", tmp_path / "resume")
    cols = resume["mapping"]["recruiting/applications"]["columns"]
    assert cols["status"] == {"column": "received_callback", "values": {"0": "rejected", "1": "hired"}}
    assert cols["race_ethnicity"]["values"] == {"white": "White", "black": "Black or African American"}
    assert cols["gender"]["values"] == {"f": "Woman", "m": "Man"}
    assert cols["requisition_id"] == "job_ad_id"


@pytest.mark.slow
def test_real_montgomery_prof_and_suppliers(tmp_path):
    _, mont = _real_draft("montgomery_salaries", tmp_path / "m")
    jobs = mont["mapping"]["hr/job_history"]
    assert jobs["file"] == "Employee_Salaries_*.csv"
    assert jobs["rename"]["Base_Salary"] == "Base Salary" and jobs["rename"]["Department_Name"] == "Department Name"
    assert jobs["columns"]["annual_base_salary"] == "Base Salary" and jobs["columns"]["job_level"] == "Grade"
    assert mont["mapping"]["hr/employees"]["columns"]["gender"]["values"] == {"M": "Man", "F": "Woman"}
    _, prof = _real_draft("prof_salaries", tmp_path / "p")
    assert prof["mapping"]["hr/employees"]["columns"]["gender"]["column"] == "sex"
    assert prof["mapping"]["hr/job_history"]["columns"]["job_level"] == "rank"
    assert prof["mapping"]["hr/job_history"]["columns"]["annual_base_salary"] == "salary"
    text, sup = _real_draft("supplier_certified", tmp_path / "s")
    spend = sup["mapping"]["procurement/spend"]
    assert spend["file"] == "filtered_echeckbook_*.csv"
    assert spend["date_format"] == "%Y-%m-%dT%H:%M:%S.%f"
    assert spend["columns"]["amount"] == "dollar_amount" and spend["columns"]["supplier_id"] == "vendor_id"
    assert "Certification Date" in str(sup["mapping"]["procurement/certifications"]["columns"]["valid_from"])


def test_hr_files_without_dates_are_drafted_as_snapshots(tmp_path):
    """Yearly payroll files without hire dates: each file a snapshot on the last day of its
    year, the job history dated the same; a file without a year gets TODOs, never an id as a date."""
    write_csv(tmp_path / "Salaries_2021.csv", ["Gender", "Base Salary"], [("F", "50000"), ("M", "51000")])
    write_csv(tmp_path / "Salaries_2022.csv", ["Gender", "Base Salary"], [("M", "52000"), ("F", "53000")])
    text, doc = draft(tmp_path)
    year = {"expr": "make_date(CAST(file_year AS INTEGER), 12, 31)"}
    assert doc["mapping"]["hr/employees"]["snapshot"] == {"date": year}
    assert "hire_date" not in doc["mapping"]["hr/employees"]["columns"]
    assert doc["mapping"]["hr/job_history"]["columns"]["effective_date"] == year
    load_config(tmp_path)
    build(tmp_path, tmp_path / "draft.duckdb")  # builds as drafted: two snapshots of two people

    one = tmp_path / "one"
    one.mkdir()
    write_csv(one / "people.csv", ["EmployeeNumber", "Gender", "Attrition"], [("1", "F", "No"), ("2", "M", "Yes")])
    text, doc = draft(one)
    assert "snapshot" not in doc["mapping"]["hr/employees"]
    assert "effective_date" not in doc["mapping"]["hr/job_history"]["columns"]
    assert "add snapshot: {date: {value: 'YYYY-MM-DD'}}" in text


def test_a_dateless_file_gets_no_generated_date_and_commented_extra_columns(tmp_path):
    """One row per professor, no dates (as carData `Salaries`): the id is the row number column,
    the job history's date is a TODO (never `{generated: line}`, which makes ids), and the two
    numeric columns nothing reads are proposed, commented out, as extra_columns; the row number
    (an id) and the free text are not."""
    write_csv(
        tmp_path / "faculty.csv",
        ["rownames", "sex", "rank", "salary", "yrs.since.phd", "YearsService", "Notes"],
        [
            ("1", "Male", "Prof", "139750", "19", "18", "a"),
            ("2", "Female", "AsstProf", "79750", "4", "3", "b"),
            ("3", "Male", "Prof", "115000", "19", "18", "c"),
        ],
    )
    text, doc = draft(tmp_path)
    jobs = doc["mapping"]["hr/job_history"]
    assert jobs["columns"]["employee_id"] == "rownames" and "effective_date" not in jobs["columns"]
    assert "duplicates" not in jobs and "extra_columns" not in jobs  # proposed in comments only
    flat = re.sub(r"\n\s*#\s+", " ", text)  # the comments unwrapped
    assert "TODO effective_date: no date found" in flat
    # years of service suggest the hire date, and the job record starting on it, by the same expr
    years_before = "DATE 'YYYY-MM-DD' - to_years(CAST(\\\"YearsService\\\" AS INTEGER))"
    assert f'hire_date: {{expr: "{years_before}"}}' in flat
    assert f'effective_date: {{expr: "{years_before}"}}' in flat
    block = text[text.index("    # extra_columns:") :].split("\n\n")[0].splitlines()
    assert yaml.safe_load("\n".join(line.removeprefix("    # ") for line in block)) == {
        "extra_columns": {
            "yrs_since_phd": {"column": "yrs.since.phd", "type": "number"},
            "years_service": {"column": "YearsService", "type": "number"},
        }
    }

    no_id = tmp_path / "no_id"
    no_id.mkdir()
    write_csv(no_id / "pay.csv", ["Gender", "Base Salary"], [("F", "50000"), ("M", "51000")])
    _, doc = draft(no_id)
    jobs = doc["mapping"]["hr/job_history"]
    # an id column is generated from file and line; the date column is not
    assert jobs["columns"]["employee_id"] == {"generated": "line"} and "effective_date" not in jobs["columns"]
