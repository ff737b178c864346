"""The build writes a new file and swaps it in only when every step succeeded: a failed or
interrupted build leaves the previous database serving, and readers of the old file are not
disturbed by a new build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import pipelines.build
from pipelines.build import build
from pipelines.errors import DataError
from tests.helpers import employees_folder


def E(eid, hire, term="", ttype=""):
    return {
        "employee_id": eid,
        "gender": "Woman",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": ttype,
    }


OLD = [E("E1", "2020-01-01"), E("E2", "2020-02-01"), E("E3", "2020-03-01")]
CONFIG = {"as_of": "2021-12-31", "history_start": "2020-01-01"}


def leftovers(db: Path) -> list[str]:
    """Temporary files a build may create beside the target."""
    return sorted(
        p.name for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.building-") or p.name == f"{db.name}.wal"
    )


def read(db: Path) -> tuple[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (
            con.execute("SELECT run_id FROM run_manifest").fetchone()[0],
            con.execute("SELECT count(*) FROM stg_hr__employees").fetchone()[0],
        )
    finally:
        con.close()


@pytest.fixture()
def good(tmp_path):
    """A data folder with 3 employees, built into tmp_path/equity.duckdb."""
    folder = employees_folder(tmp_path / "data", OLD, config=CONFIG)
    db = tmp_path / "equity.duckdb"
    result = build(folder, db)
    assert read(db) == (result.run_id, 3)
    return folder, db, result.run_id


def break_with_end_before_start(folder: Path) -> None:
    # fails inside the build, after the temporary database was created
    employees_folder(folder, OLD + [E("E4", "2021-05-01", "2021-04-30", "voluntary")], config=CONFIG)


def break_with_missing_file(folder: Path) -> None:
    # fails while resolving files, before any database is opened
    (folder / "hr" / "job_history.csv").unlink()


@pytest.mark.parametrize("breaker", [break_with_end_before_start, break_with_missing_file])
def test_failed_build_keeps_the_old_database(good, breaker):
    folder, db, run_id = good
    before = db.stat().st_ino
    breaker(folder)
    with pytest.raises(DataError):
        build(folder, db)
    assert read(db) == (run_id, 3)
    assert db.stat().st_ino == before  # the very same file, not a rewrite
    assert leftovers(db) == []


def test_interrupted_build_keeps_the_old_database(good, monkeypatch):
    folder, db, run_id = good
    employees_folder(folder, OLD + [E("E4", "2021-05-01")], config=CONFIG)  # a valid change

    seen = []

    def interrupted(con, *args, **kwargs):
        seen.append(leftovers(db))  # the new file exists while models run
        raise KeyboardInterrupt

    monkeypatch.setattr(pipelines.build, "run_models", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(folder, db)
    assert len(seen) == 1 and f".equity.duckdb.building-{os.getpid()}" in seen[0]
    assert read(db) == (run_id, 3)
    assert leftovers(db) == []


def test_failure_in_the_quality_gate_keeps_the_old_database(good, monkeypatch):
    folder, db, run_id = good

    def failing_gate(rows):
        raise DataError("data-quality check failed (simulated)")

    monkeypatch.setattr(pipelines.build, "raise_on_errors", failing_gate)  # the last step before the swap
    with pytest.raises(DataError, match="simulated"):
        build(folder, db)
    assert read(db) == (run_id, 3)
    assert leftovers(db) == []


def test_reader_of_the_old_file_is_undisturbed_and_new_readers_see_the_new_build(good):
    folder, db, old_run = good
    reader = duckdb.connect(str(db), read_only=True)
    try:
        assert reader.execute("SELECT run_id FROM run_manifest").fetchone()[0] == old_run
        employees_folder(folder, OLD + [E("E4", "2021-05-01")], config=CONFIG)
        new_run = build(folder, db).run_id
        assert new_run != old_run
        # the open connection keeps reading the file it opened: old run, 3 employees
        assert reader.execute("SELECT run_id FROM run_manifest").fetchone()[0] == old_run
        assert reader.execute("SELECT count(*) FROM stg_hr__employees").fetchone()[0] == 3
        # a new reader in another process (the CLI, a notebook) sees the new build.
        # (Inside this process DuckDB would hand back the cached instance of the old file
        # while `reader` is open; see the report on dashboard/data.py.)
        code = (
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('SELECT run_id FROM run_manifest').fetchone()[0], "
            "c.execute('SELECT count(*) FROM stg_hr__employees').fetchone()[0])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True
        ).stdout.split()
        assert out == [new_run, "4"]
    finally:
        reader.close()
    assert read(db) == (new_run, 4)  # once the old reader is gone, in-process too
    assert leftovers(db) == []
