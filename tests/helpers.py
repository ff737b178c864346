"""Helpers for tests: hand-made data folders and builds."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import yaml

from pipelines.build import build

EMPLOYEE_COLS = [
    "employee_id",
    "gender",
    "race_ethnicity",
    "birth_year",
    "disability",
    "veteran",
    "lgbtq",
    "hire_date",
    "termination_date",
    "termination_type",
    "termination_reason",
    "regretted",
]
JOB_COLS = [
    "employee_id",
    "effective_date",
    "department",
    "job_family",
    "job_level",
    "location",
    "country",
    "employment_type",
    "fte",
    "annual_base_salary",
    "currency",
    "performance_rating",
    "change_reason",
]


def write_csv(path: Path, header: list[str], rows: list[dict | list], bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header] if isinstance(row, dict) else row)
    path.write_text(buf.getvalue(), encoding="utf-8-sig" if bom else "utf-8")
    return path


def write_config(folder: Path, config: dict) -> None:
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def employees_folder(
    folder: Path, employees: list[dict], jobs: list[dict] | None = None, config: dict | None = None
) -> Path:
    """A data folder with hr/employees.csv and hr/job_history.csv (one hire record per
    employee in department 'Ops' unless jobs are given)."""
    write_csv(folder / "hr" / "employees.csv", EMPLOYEE_COLS, employees)
    if jobs is None:
        jobs = [
            {
                "employee_id": e["employee_id"],
                "effective_date": e["hire_date"],
                "department": "Ops",
                "job_level": "L1",
                "fte": "1",
                "annual_base_salary": "50000",
                "currency": "USD",
                "change_reason": "hire",
            }
            for e in employees
        ]
    write_csv(folder / "hr" / "job_history.csv", JOB_COLS, jobs)
    if config is not None:
        write_config(folder, config)
    return folder


def build_and_open(folder: Path, db: Path | None = None) -> duckdb.DuckDBPyConnection:
    db = db or folder.parent / f"{folder.name}.duckdb"
    build(folder, db)
    return duckdb.connect(str(db), read_only=True)


def compute_exact(con, name, *args, **kwargs):
    """The data owner's exact table (`--exact`): tests that check a metric's arithmetic
    against an independent computation compare exact figures; published (protected)
    figures are checked in tests/privacy/."""
    from pipelines.metrics import compute

    return compute(con, name, *args, exact=True, **kwargs)
