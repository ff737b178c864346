"""Shared fixtures. The sample database is built once per test session (it is the
seeded fixture database every end-to-end test reads)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data" / "demo"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The committed sample folder built into a temporary database (once per session)."""
    from pipelines.build import build
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    build(SAMPLE_DIR, db)
    return db


@pytest.fixture()
def sample_con(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()
