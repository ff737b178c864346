"""The Spark build on hand-made folders: quarantine, line numbers and structural errors are
the DuckDB build's (hand-worked expectations from tests/test_ingest.py), inputs can be
existing Spark tables, and models can persist as tables in a Spark database."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

from pipelines.build import build
from pipelines.cli import main
from pipelines.errors import DataError
from pipelines.metrics import NoDataError, NotPrecomputedError, compute, registry
from pipelines.quality_report import quarantine_by_reason
from tests.conftest import SPARK_GROUP
from tests.helpers import EMPLOYEE_COLS, JOB_COLS, employees_folder, write_config, write_csv
from tests.test_build_errors import PEOPLE, E
from tests.test_ingest import EMP, EMPLOYEES, EXPECTED_QUARANTINE, FX, FX_RATES, JOB, JOBS, emp
from tests.test_spark_parity import assert_same_table

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group(SPARK_GROUP)]

# Appended to the planted employees: a quoted termination reason spanning two physical lines
# (record 16 is still "line 16": lines count records, as DuckDB numbers them), then a record
# after it. Both have a bad birth year.
MULTILINE = [
    emp("E15", "2020-01-01", birth="19x0", term="2021-01-31", ttype="voluntary", reason="moved\nabroad"),
    emp("E16", "2020-01-01", birth="abc"),
]
EXTRA_QUARANTINE = {
    (EMP, 16, "birth_year", "19x0", "not a whole number"),
    (EMP, 17, "birth_year", "abc", "not a whole number"),
}


@pytest.fixture(scope="module")
def planted(spark, tmp_path_factory):
    """The planted folder of test_ingest (+ MULTILINE) built on both engines."""
    folder = tmp_path_factory.mktemp("spark-planted") / "data"
    write_csv(folder / EMP, EMPLOYEE_COLS, EMPLOYEES + MULTILINE, bom=True)
    write_csv(folder / JOB, JOB_COLS, JOBS)
    write_csv(folder / FX, ["currency", "month", "rate_to_reporting"], FX_RATES)
    write_config(
        folder,
        {
            "as_of": "2024-12-31",
            "history_start": "2020-01-01",
            "spark": {"results": {"value_examples": True, "grains": ["year"], "breakdowns": []}},
        },
    )
    build(folder, folder.parent / "duck.duckdb")
    build(folder, folder.parent / "spark.duckdb", engine="spark")
    duck = duckdb.connect(str(folder.parent / "duck.duckdb"), read_only=True)
    sparkdb = duckdb.connect(str(folder.parent / "spark.duckdb"), read_only=True)
    yield duck, sparkdb
    duck.close()
    sparkdb.close()


def _rows_from_examples(summary: pd.DataFrame) -> set[tuple]:
    """(file, line, column, raw value, reason) from 'line N: value; ...' examples."""
    rows = set()
    for r in summary.itertuples(index=False):
        for line, value in re.findall(r"line (\d+): (.*?)(?:; |$)", r.examples):
            rows.add((r.file, int(line), r.column, None if value == "(blank)" else value, r.reason))
    return rows


def test_quarantine_matches_the_hand_worked_rows(planted):
    _, sparkdb = planted
    summary = quarantine_by_reason(sparkdb)
    assert summary["rows"].max() <= 3  # every row appears among the examples
    assert _rows_from_examples(summary) == EXPECTED_QUARANTINE | EXTRA_QUARANTINE


def test_quarantine_summary_and_file_counts_equal_duckdb(planted):
    duck, sparkdb = planted
    assert_same_table(quarantine_by_reason(duck), quarantine_by_reason(sparkdb), "quarantine by reason")
    files = "SELECT file, rows_in, rows_loaded, rows_quarantined FROM manifest_files ORDER BY file"
    assert sparkdb.execute(files).fetchall() == duck.execute(files).fetchall()
    assert dict((r[0], r[1:]) for r in sparkdb.execute(files).fetchall())[EMP] == (16, 5, 11)


def _workforce_metrics_with_data(duck, sparkdb) -> list[str]:
    """Workforce metrics whose input files these small folders supply (no leave file): the
    others must say "no data loaded" on both engines."""
    names = []
    for name in (n for n, s in registry().items() if s.family == "workforce"):
        try:
            compute(duck, name)
        except NoDataError as exc:
            with pytest.raises(NotPrecomputedError, match=re.escape(str(exc))):
                compute(sparkdb, name)
            continue
        names.append(name)
    assert "headcount" in names and "turnover_rate" in names
    return names


def test_planted_metrics_equal_duckdb(planted):
    duck, sparkdb = planted
    for name in _workforce_metrics_with_data(duck, sparkdb):
        assert_same_table(compute(duck, name), compute(sparkdb, name), name)


def test_duplicate_key_stops_the_build_with_duckdbs_message(spark, tmp_path):
    folder = employees_folder(tmp_path / "data", PEOPLE + [E("E02", "2020-06-01")])
    with pytest.raises(DataError) as duck_error:
        build(folder, tmp_path / "duck.duckdb")
    with pytest.raises(DataError) as spark_error:
        build(folder, tmp_path / "spark.duckdb", engine="spark")
    assert str(spark_error.value) == str(duck_error.value)
    assert "line 5" in str(spark_error.value)
    assert not (tmp_path / "spark.duckdb").exists()


def _typed_tables(spark, database: str) -> None:
    """hr/employees and hr/job_history as typed Spark tables (dates as DATE, fte as DOUBLE)."""
    import datetime as dt

    people = [
        ("E01", "Woman", dt.date(2020, 1, 6), None),
        ("E02", "Man", dt.date(2020, 3, 1), None),
        ("E03", "Woman", dt.date(2021, 5, 1), dt.date(2023, 6, 30)),
        ("E04", "Non-binary", dt.date(2022, 2, 1), None),
        ("E05", "Man", dt.date(2019, 9, 1), None),
        ("E06", "Woman", dt.date(2019, 1, 2), dt.date(2024, 1, 31)),
    ]
    employees = pa.table(
        {
            "employee_id": [p[0] for p in people],
            "gender": [p[1] for p in people],
            "hire_date": [p[2] for p in people],
            "termination_date": [p[3] for p in people],
            "termination_type": [None if p[3] is None else "voluntary" for p in people],
        }
    )
    jobs = pa.table(
        {
            "employee_id": [p[0] for p in people],
            "effective_date": [p[2] for p in people],
            "department": ["Ops", "Ops", "Sales", "Sales", "Ops", "Ops"],
            "fte": [1.0, 0.5, 1.0, 1.0, 0.8, 1.0],
            "annual_base_salary": [50000.0, 61000.5, 12000000.0, 45000.0, 52000.0, 50000.0],
        }
    )
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {database}")
    for name, table in (("employees", employees), ("job_history", jobs)):
        spark.createDataFrame(table).write.mode("overwrite").saveAsTable(f"{database}.{name}")
        csv = table.to_pandas()
        yield name, csv


def test_inputs_from_tables_and_models_kept_in_a_database(spark, tmp_path):
    tables = dict(_typed_tables(spark, "equity_inputs"))
    folder = tmp_path / "data"
    # the same rows as CSV text for the DuckDB build (what an export of the tables would hold)
    employees_folder(
        folder,
        [{k: ("" if pd.isna(v) else str(v)) for k, v in row.items()} for row in tables["employees"].to_dict("records")],
        jobs=[
            {k: ("" if pd.isna(v) else f"{v:.9f}" if isinstance(v, float) else str(v)) for k, v in row.items()}
            for row in tables["job_history"].to_dict("records")
        ],
    )
    write_config(
        folder,
        {
            "as_of": "2024-12-31",
            "history_start": "2019-01-01",
            "spark": {
                "database": "equity_models",
                "tables": {"hr/employees": "equity_inputs.employees", "hr/job_history": "equity_inputs.job_history"},
                "results": {"grains": ["year"], "breakdowns": [["gender"]]},
            },
        },
    )
    try:
        build(folder, tmp_path / "duck.duckdb")
        result = build(folder, tmp_path / "spark.duckdb", engine="spark")
        assert spark.catalog.tableExists("equity_models.fct_employment_spells")
        kept = spark.table("equity_models.fct_employment_spells").count()
    finally:
        spark.sql("USE default")
    duck = duckdb.connect(str(tmp_path / "duck.duckdb"), read_only=True)
    sparkdb = duckdb.connect(str(tmp_path / "spark.duckdb"), read_only=True)
    assert kept == duck.execute("SELECT count(*) FROM fct_employment_spells").fetchone()[0] > 0
    assert result.models["fct_employment_spells"]["rows"] == kept
    files = sparkdb.execute("SELECT file, rows_in, rows_loaded FROM manifest_files ORDER BY 1").fetchall()
    assert files == [("equity_inputs.employees", 6, 6), ("equity_inputs.job_history", 6, 6)]
    for name in _workforce_metrics_with_data(duck, sparkdb):
        assert_same_table(compute(duck, name, by=["gender"]), compute(sparkdb, name, by=["gender"]), name)


def test_cli_builds_on_spark(spark, tmp_path):
    folder = employees_folder(
        tmp_path / "data", PEOPLE, config={"spark": {"results": {"grains": ["year"], "breakdowns": []}}}
    )
    db = tmp_path / "results.duckdb"
    result = CliRunner().invoke(main, ["build", "--engine", "spark", "--data", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"Built {db}" in result.output
    shown = CliRunner().invoke(main, ["metrics", "headcount", "--db", str(db), "--format", "csv"])
    assert shown.exit_code == 0 and "headcount" in shown.output
    refused = CliRunner().invoke(main, ["metrics", "headcount", "--db", str(db), "--by", "gender"])
    assert refused.exit_code == 2 and "not precomputed" in refused.output
    quality = CliRunner().invoke(main, ["quality", "--db", str(db), "--format", "json"])
    assert quality.exit_code == 0 and "hr/employees.csv" in quality.output
