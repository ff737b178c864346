"""A new database file that replaces the last good one only when everything written to it
succeeded (os.replace is atomic on one filesystem), so a failed or killed build leaves the
previous database serving. Used by the DuckDB build and by the Spark build's results file."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb


def remove_db_files(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def remove_abandoned_builds(db_path: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    for tmp in db_path.parent.glob(f".{db_path.name}.building-*"):
        pid = tmp.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and Path("/proc").is_dir() and not Path(f"/proc/{pid}").exists():
            tmp.unlink(missing_ok=True)


@contextmanager
def new_database(db_path: Path, start_from: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection on a new file beside `db_path` (a copy of `start_from` when given) that
    replaces `db_path` atomically when the block succeeds and is removed when it fails, so a
    failed build never replaces the last good database."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    remove_abandoned_builds(db_path)
    remove_db_files(tmp)
    if start_from is not None:
        shutil.copyfile(start_from, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        remove_db_files(tmp)
        raise
    os.replace(tmp, db_path)
