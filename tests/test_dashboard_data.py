"""The dashboard's data module picks up a rebuilt database without a restart, even while
its connection to the old file is still open (DuckDB shares one instance per path within a
process, so a naive reconnect would keep reading the old file)."""

from __future__ import annotations

import pytest

from dashboard import data
from tests.helpers import employees_folder
from pipelines.build import build

pytestmark = pytest.mark.slow


def _person(eid, hire):
    return {"employee_id": eid, "gender": "Woman", "race_ethnicity": "Asian", "hire_date": hire}


def test_rebuild_is_picked_up_while_old_connection_is_open(tmp_path, monkeypatch):
    db = tmp_path / "equity.duckdb"
    monkeypatch.setenv("EQUITY_DB", str(db))
    config = {"history_start": "2020-01-01", "as_of": "2020-12-31", "privacy": {"k": 3}}
    first = employees_folder(tmp_path / "a", [_person(f"E{i}", "2019-01-01") for i in range(6)], config=config)
    build(first, db)
    v1 = data.db_version()
    old = data.cursor(v1)  # keeps the old file open, as a running app does
    assert data.metric_table(v1, "headcount")["value"].iat[0] == 6
    second = employees_folder(tmp_path / "b", [_person(f"E{i}", "2019-01-01") for i in range(9)], config=config)
    build(second, db)
    v2 = data.db_version()
    assert v2 != v1
    assert data.run_info(v2)["run_id"] != data.run_info(v1)["run_id"]
    assert data.metric_table(v2, "headcount")["value"].iat[0] == 9  # 9 people in the new build
    assert old.execute("SELECT count(*) FROM stg_hr__employees").fetchall()[0][0] == 6
