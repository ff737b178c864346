"""Issue 17, hole 6: a missing optional dependency is one sentence naming the extra, exit 1."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.errors import missing_extra
from tests.helpers import employees_folder

PEOPLE = [{"employee_id": f"E{i}", "gender": "Woman", "hire_date": "2020-01-01"} for i in range(5)]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    from pipelines.build import build

    tmp = tmp_path_factory.mktemp("extras")
    build(employees_folder(tmp / "data", PEOPLE, config={"as_of": "2020-12-31"}), tmp / "e.duckdb")
    return tmp / "e.duckdb"


def _one_sentence(result, extra: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert f"pip install 'equity-metrics[{extra}]'" in lines[0]
    assert "unexpected" not in lines[0] and "Traceback" not in result.output
    return lines[0]


def test_snapshot_without_weasyprint_names_the_pdf_extra(monkeypatch, small_db, tmp_path):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if the extra were not installed
    result = CliRunner().invoke(
        main, ["snapshot", "--db", str(small_db), "--out", str(tmp_path / "s.pdf"), "--no-charts"]
    )
    assert "weasyprint" in _one_sentence(result, "pdf")
    assert not (tmp_path / "s.pdf").exists()


def test_snapshot_charts_without_kaleido_names_the_pdf_extra(monkeypatch, small_db, tmp_path):
    monkeypatch.setitem(sys.modules, "kaleido", None)
    result = CliRunner().invoke(main, ["snapshot", "--db", str(small_db), "--out", str(tmp_path / "s.pdf")])
    assert "kaleido" in _one_sentence(result, "pdf")


def test_spark_build_without_pyspark_names_the_spark_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    data = employees_folder(tmp_path / "data", PEOPLE)
    result = CliRunner().invoke(
        main, ["build", "--data", str(data), "--db", str(tmp_path / "x.duckdb"), "--engine", "spark"]
    )
    assert "PySpark" in _one_sentence(result, "spark")


def test_an_unrelated_missing_module_is_not_blamed_on_an_extra():
    assert missing_extra(ModuleNotFoundError("No module named 'nothere'", name="nothere")) is None
    assert missing_extra(ModuleNotFoundError("x", name="weasyprint.text")) is not None
