"""Settings are validated (misspellings are errors), and killed builds leave no litter."""

from __future__ import annotations

import os

import pytest

from pipelines.build import build
from pipelines.config import load_config
from pipelines.errors import DataError
from tests.helpers import employees_folder, write_config

PEOPLE = [{"employee_id": f"E{i}", "gender": "Woman", "hire_date": "2020-01-01"} for i in range(5)]


@pytest.mark.parametrize(
    "config, message",
    [
        ({"privacy": {"kk": 2}}, "privacy.kk"),
        ({"pay": {"standard_weekly_hour": 37.5}}, "pay.standard_weekly_hour"),
        ({"privacy": 5}, "privacy must be a mapping"),
        ({"privacy": {"k": 2}}, "at least 3"),
        ({"privacy": {"survey_k": 4}}, "at least 5"),
        ({"fiscal_year_start_month": 13}, "1-12"),
    ],
)
def test_misspelt_or_invalid_settings_are_errors(tmp_path, config, message):
    write_config(tmp_path, config)
    with pytest.raises(DataError, match=message):
        load_config(tmp_path)


def test_free_form_sections_accept_any_keys(tmp_path):
    write_config(tmp_path, {"reference_groups": {"gender": "Woman", "anything": "x"}})
    assert load_config(tmp_path)["reference_groups"]["anything"] == "x"


def test_abandoned_temporary_build_files_are_removed(tmp_path):
    folder = employees_folder(tmp_path / "data", PEOPLE, config={"as_of": "2020-12-31"})
    db = tmp_path / "equity.duckdb"
    dead_pid = 2**22 + 12345  # above pid_max on Linux: no such process
    assert not os.path.exists(f"/proc/{dead_pid}")
    litter = tmp_path / f".equity.duckdb.building-{dead_pid}"
    litter.write_bytes(b"half a database")
    alive = tmp_path / f".equity.duckdb.building-{os.getppid()}"  # a running process: kept
    alive.write_bytes(b"another build in progress")
    build(folder, db)
    assert not litter.exists()
    assert alive.exists()
