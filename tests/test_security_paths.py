"""Issue 17, hole 2: files a data folder names are read only from inside it (or from a folder
the owner lists under `source_dirs`); a refusal names the path, never the file's content."""

from __future__ import annotations

import shutil

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from pipelines.paths import resolve_source_path
from tests.helpers import EMPLOYEE_COLS, employees_folder, write_config, write_csv

PEOPLE = [{"employee_id": f"E{i}", "gender": "Woman", "hire_date": "2020-01-01"} for i in range(5)]
SECRET_LINE = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def folders(tmp_path):
    data = employees_folder(tmp_path / "data", PEOPLE, config={"as_of": "2020-12-31"})
    outside = tmp_path / "outside"
    # a valid employees file outside the folder: if it were read, the build would succeed
    write_csv(outside / "people.csv", EMPLOYEE_COLS, PEOPLE)
    (outside / "passwd").write_text(SECRET_LINE + "\n")
    return data, outside


def _map_employees(data, file_name, **extra):
    write_config(data, {"as_of": "2020-12-31", "mapping": {"hr/employees": {"file": file_name}}, **extra})


def _refusal(data, tmp_path) -> str:
    with pytest.raises(DataError) as err:
        build(data, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    return str(err.value)


@pytest.mark.parametrize("name", ["../outside/people.csv", "hr/../../outside/people.csv", "../outside/passwd"])
def test_dot_dot_out_of_the_folder_is_refused(folders, tmp_path, name):
    data, _ = folders
    _map_employees(data, name)
    msg = _refusal(data, tmp_path)
    assert "outside the data folder" in msg and name in msg
    assert "root:x" not in msg


def test_an_absolute_path_is_refused_without_showing_the_file(folders, tmp_path):
    data, outside = folders
    _map_employees(data, str(outside / "passwd"))
    msg = _refusal(data, tmp_path)
    assert "absolute path" in msg and "root:x" not in msg


def test_a_symlink_pointing_out_of_the_folder_is_refused(folders, tmp_path):
    data, outside = folders
    (data / "hr" / "employees.csv").unlink()
    (data / "hr" / "employees.csv").symlink_to(outside / "people.csv")  # the contract's own name
    msg = _refusal(data, tmp_path)
    assert "outside the data folder" in msg and "hr/employees.csv" in msg


def test_a_symlinked_folder_pointing_out_is_refused(folders, tmp_path):
    data, outside = folders
    (data / "exports").symlink_to(outside, target_is_directory=True)
    _map_employees(data, "exports/people.csv")
    assert "outside the data folder" in _refusal(data, tmp_path)


def test_a_symlinked_commitments_register_pointing_out_is_refused(folders, tmp_path):
    data, outside = folders
    (outside / "commitments.yml").write_text("commitments: []\n")
    (data / "commitments.yml").symlink_to(outside / "commitments.yml")
    assert "outside the data folder" in _refusal(data, tmp_path)


def test_paths_that_stay_inside_are_read(folders, tmp_path):
    data, _ = folders
    shutil.copy(data / "hr" / "employees.csv", data / "export.csv")
    (data / "hr" / "employees.csv").unlink()
    (data / "hr" / "employees.csv").symlink_to(data / "export.csv")  # a symlink inside: fine
    _map_employees(data, "hr/../hr/employees.csv")
    build(data, tmp_path / "x.duckdb")
    assert (tmp_path / "x.duckdb").exists()


def test_source_dirs_allows_a_named_folder(folders, tmp_path):
    data, outside = folders
    (data / "hr" / "employees.csv").unlink()
    _map_employees(data, str(outside / "people.csv"), source_dirs=[str(outside)])
    build(data, tmp_path / "x.duckdb")
    _map_employees(data, "../outside/people.csv", source_dirs=["../outside"])  # relative to data
    build(data, tmp_path / "y.duckdb")
    assert (tmp_path / "y.duckdb").exists()


def test_resolve_source_path_rules(tmp_path):
    data, other = tmp_path / "data", tmp_path / "other"
    data.mkdir()
    other.mkdir()
    assert resolve_source_path(data, "hr/x.csv") == (data / "hr" / "x.csv").resolve()
    assert resolve_source_path(data, str(other / "x.csv"), [other]) == (other / "x.csv").resolve()
    for bad in ("../other/x.csv", str(other / "x.csv"), "/etc/passwd", "", "a\x00b"):
        with pytest.raises(DataError):
            resolve_source_path(data, bad)
    with pytest.raises(DataError):  # an allowed folder does not open its neighbours
        resolve_source_path(data, str(tmp_path / "x.csv"), [other])
