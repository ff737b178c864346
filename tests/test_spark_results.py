"""A results database from a Spark build: compute(), the dashboard and the PDF read it as
they read a DuckDB build, and say clearly what was not precomputed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines.metrics import NotPrecomputedError, build_context, compute, registry
from pipelines.metrics._engine import spec_k
from pipelines.metrics._engine import unsuppressed_table
from pipelines.quality_report import quarantine_summary_sql
from pipelines.spark.results import without_values
from tests.conftest import SPARK_GROUP, SPARK_SAMPLE_RESULTS
from tests.test_spark_parity import assert_same_table
from dashboard.pages import page_path

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group(SPARK_GROUP)]
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


@pytest.fixture(scope="module")
def results(spark_sample_db):
    con = duckdb.connect(str(spark_sample_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def duck(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


def test_index_lists_every_precomputed_table(results):
    failed = results.execute("SELECT metric, breakdown, error FROM metric_results WHERE error IS NOT NULL").fetchall()
    assert not failed  # every planned table was computed (an error would hide it from the dashboard)
    rows = results.execute("SELECT metric, breakdown, grain, k, rows FROM metric_results").fetchall()
    expected = {"", *("|".join(b) for b in SPARK_SAMPLE_RESULTS["breakdowns"])}
    by_metric: dict[str, set] = {}
    config = build_context(results)["config"]
    specs = registry()
    totals: dict[str, int] = {}
    for metric, breakdown, grain, k, n in rows:
        # each family's own threshold (survey k for voice, supplier k for suppliers)
        assert grain == "year" and k == spec_k(specs[metric], config, None), (metric, k)
        totals[metric] = totals.get(metric, 0) + n
        by_metric.setdefault(metric, set()).add(breakdown)
    assert by_metric
    for metric, breakdowns in by_metric.items():  # the breakdowns the metric accepts, and overall
        dims = specs[metric].dimensions
        assert breakdowns == {b for b in expected if all(d in dims for d in b.split("|") if d)}, metric
    # every metric has rows (a between-group comparison such as a regression gap has none overall)
    assert all(n > 0 for n in totals.values()), totals


@pytest.mark.parametrize(
    "kwargs",
    [
        {"date_from": dt.date(2021, 1, 1)},
        {"date_from": dt.date(2021, 3, 1)},  # published ranges widen to whole periods, so it is served
        {"date_to": dt.date(2024, 12, 31)},
        {"date_from": dt.date(2020, 1, 1), "date_to": dt.date(2022, 12, 31)},
        {"k": 5},
    ],
)
def test_period_boundaries_and_the_built_k_are_served(results, duck, kwargs):
    expected = compute(duck, "turnover_rate", by=["gender"], **kwargs)
    assert_same_table(expected, compute(results, "turnover_rate", by=["gender"], **kwargs), str(kwargs))


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"by": ["disability"]}, "headcount by disability per year was not precomputed"),
        ({"by": ["race_ethnicity", "gender"]}, "not precomputed"),  # order names the dimensions
        ({"period": "quarter"}, "per quarter was not precomputed"),
        ({"filters": {"department": ["Sales"]}}, "filters (department) need the marts"),
        ({"k": 10}, "suppressed with k=5, not 10"),
    ],
)
def test_what_was_not_precomputed_is_named(results, kwargs, message):
    with pytest.raises(NotPrecomputedError) as err:
        compute(results, "headcount", **kwargs)
    assert message in str(err.value)
    assert "spark.results" in str(err.value)


def test_unsuppressed_tables_are_never_available(results):
    with pytest.raises(NotPrecomputedError, match="only suppressed"):
        unsuppressed_table(results, "headcount")


def test_quarantine_summary_without_values_shows_lines_only():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE quarantine AS SELECT * FROM (VALUES "
        "('hr/employees.csv', 'hr__employees', 7, 'hire_date', '2021-02-30', 'bad date'), "
        "('hr/employees.csv', 'hr__employees', 3, 'hire_date', NULL, 'bad date')) "
        "AS q(file, table_name, line, column_name, raw_value, reason)"
    )
    with_values = con.execute(quarantine_summary_sql(True), [3]).fetchall()
    without = con.execute(quarantine_summary_sql(False), [3]).fetchall()
    assert with_values == [("hr/employees.csv", "hire_date", "bad date", 2, "line 3: (blank); line 7: 2021-02-30")]
    assert without == [("hr/employees.csv", "hire_date", "bad date", 2, "line 3; line 7")]


def test_expectation_examples_are_replaced_when_values_stay_on_the_cluster():
    import pandas as pd

    frame = pd.DataFrame({"suite": ["a", "b"], "examples": ['["E0042", "E0043"]', ""]})
    out = without_values(frame, "examples", "(kept)")
    assert out["examples"].tolist() == ["(kept)", ""] and frame["examples"].iat[0] == '["E0042", "E0043"]'


@pytest.fixture()
def app(spark_sample_db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(spark_sample_db))
    return AppTest.from_file(ENTRY, default_timeout=90)


@pytest.mark.parametrize(
    "page",
    [
        page_path("overview"),
        page_path("workforce"),
        page_path("retention"),
        page_path("hiring"),
        page_path("pay"),
        page_path("suppliers"),
        page_path("voice"),
        page_path("commitments"),
        page_path("data_quality"),
        page_path("methodology"),
    ],
)
def test_dashboard_pages_render_from_spark_results(app, page):
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Computed on Spark" in c.value for c in at.caption)


def test_overview_headlines_equal_the_duckdb_build(app, sample_db, monkeypatch):
    at = app.run()
    spark_metrics = {m.label: m.value for m in at.metric}
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    duck_metrics = {m.label: m.value for m in AppTest.from_file(ENTRY, default_timeout=90).run().metric}
    assert spark_metrics and spark_metrics == duck_metrics


def test_a_breakdown_not_precomputed_shows_a_warning_not_a_traceback(app):
    app.query_params["by"] = "disability"
    at = app.run()
    at.switch_page(page_path("workforce")).run()
    assert not at.exception
    assert any("not precomputed" in w.value for w in at.warning)


def test_pdf_snapshot_from_spark_results(results):
    from dashboard.pdf import snapshot_pdf

    pdf = snapshot_pdf(results, charts=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
