"""PySpark is optional: the DuckDB path never imports it, and asking for Spark without it
installed is a usage error with the install command."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from pipelines.errors import UsageError
from tests.helpers import employees_folder


def test_a_duckdb_build_and_the_dashboard_data_never_import_pyspark(tmp_path):
    folder = employees_folder(
        tmp_path / "data",
        [
            {"employee_id": "E1", "gender": "Woman", "hire_date": "2020-01-01"},
            {"employee_id": "E2", "gender": "Man", "hire_date": "2021-01-01"},
        ],
    )
    code = textwrap.dedent(f"""
        import sys
        from pipelines.build import build
        from pipelines.metrics import compute
        import duckdb
        build({str(folder)!r}, {str(tmp_path / "out.duckdb")!r})
        compute(duckdb.connect({str(tmp_path / "out.duckdb")!r}, read_only=True), "headcount", by=["gender"], exact=True)
        import dashboard.data
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("pyspark", "sqlglot")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_spark_engine_without_pyspark_names_the_extra(monkeypatch, tmp_path):
    from pipelines.build import build

    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if the extra were not installed
    with pytest.raises(UsageError, match=r"pip install 'equity-metrics\[spark\]'"):
        build(tmp_path, tmp_path / "out.duckdb", engine="spark")


def test_unknown_engine_is_a_usage_error(tmp_path):
    from pipelines.build import build

    with pytest.raises(UsageError, match="unknown engine 'hive'"):
        build(tmp_path, tmp_path / "out.duckdb", engine="hive")
