"""Parity: the committed sample built on DuckDB and on local Spark gives the same published
tables - every registry metric, yearly, by gender x race_ethnicity (the dimensions of the
two a metric accepts): counts exactly, rates within 1e-9, suppression identical.

The registry is iterated, so metrics added later by other families are covered as soon as
they are registered; a family whose data the sample lacks must be "no data" on both.
"""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipelines.privacy.protect import value_rule

from pipelines.metrics import NoDataError, compute, registry
from pipelines.families.commitments import assess_register, status_table
from pipelines.families.commitments.precomputed import LINKED_TABLES
from pipelines.families.commitments.store import REGISTER_TABLES
from pipelines.metrics._engine import BLANKED
from pipelines.spark.batch import COMPUTED_ALONE
from tests.conftest import SPARK_GROUP

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.xdist_group(SPARK_GROUP)]

PARITY_DIMS = ("gender", "race_ethnicity")
RATE_UNITS = {"share", "rate"}
RATE_TOLERANCE = 1e-9  # the bound for rates and shares (absolute)
# Other measured quantities - amounts summed in a different order, percent gaps and ratios
# from regressions fitted on rows in a different order - agree to floating-point noise,
# relative to their size (a 1e-9 difference in a log-pay coefficient is 1e-7 in a gap in %),
# or absolutely for values near zero (a regression on small intersectional groups is
# ill-conditioned: last-bit differences in pay become ~1e-7 percentage points of a gap).
RELATIVE_TOLERANCE = 1e-6
ESTIMATES = {"value", "ci_low", "ci_high"}


@pytest.fixture(scope="module")
def engines(sample_db, spark_sample_db):
    duck = duckdb.connect(str(sample_db), read_only=True)
    spark = duckdb.connect(str(spark_sample_db), read_only=True)
    yield duck, spark
    duck.close()
    spark.close()


def _close(d: pd.Series, s: pd.Series, column: str, unit: str | None) -> bool:
    d, s = d.astype(float).to_numpy(), s.astype(float).to_numpy()
    if unit in RATE_UNITS and column in ESTIMATES:
        return bool(np.allclose(d, s, rtol=0, atol=RATE_TOLERANCE))
    if unit is None:  # bookkeeping tables: the same numbers
        return bool(np.allclose(d, s, rtol=RATE_TOLERANCE, atol=RATE_TOLERANCE))
    return bool(np.allclose(d, s, rtol=RELATIVE_TOLERANCE, atol=RELATIVE_TOLERANCE))


def _worst(d: pd.Series, s: pd.Series) -> str:
    gap = np.abs(d.astype(float).to_numpy() - s.astype(float).to_numpy())
    i = int(np.argmax(gap))
    return f"differs by up to {gap[i]:.3g} (DuckDB {d.iloc[i]!r}, Spark {s.iloc[i]!r})"


def assert_same_table(duck: pd.DataFrame, spark: pd.DataFrame, what: str, unit: str | None = None) -> None:
    """Same columns, rows and blanks; counts (integer columns, n) exactly; floats as above."""
    assert list(duck.columns) == list(spark.columns), what
    assert len(duck) == len(spark), what
    for col in duck.columns:
        d, s = duck[col].reset_index(drop=True), spark[col].reset_index(drop=True)
        assert (d.isna() == s.isna()).all(), f"{what}: {col} is blank in different rows"
        shown = ~d.isna()
        if col == "n" or pd.api.types.is_integer_dtype(d):
            assert (d[shown].astype("int64") == s[shown].astype("int64")).all(), f"{what}: {col}"
        elif pd.api.types.is_float_dtype(d) or pd.api.types.is_float_dtype(s):
            assert _close(d[shown], s[shown], col, unit), f"{what}: {col} {_worst(d[shown], s[shown])}"
        else:
            assert d[shown].astype(str).tolist() == s[shown].astype(str).tolist(), f"{what}: {col}"


@pytest.mark.parametrize("name", list(registry()))
def test_every_registry_metric_equals_duckdb(engines, name):
    duck, spark = engines
    spec = registry()[name]
    by = [d for d in PARITY_DIMS if d in spec.dimensions]
    try:
        expected = compute(duck, name, by=by, period="year")
    except NoDataError:
        with pytest.raises(NoDataError):  # the family's data is not in the sample: same answer
            compute(spark, name, by=by, period="year")
        return
    got = compute(spark, name, by=by, period="year")
    if value_rule(spec) == "own" and name == "adjusted_pay_gap":
        # a regression on small intersectional groups differs between the engines in the last
        # bits (see RELATIVE_TOLERANCE), and a protected model result is keyed by its exact value,
        # so the two engines may draw different noise: counts, blanks and notes must still agree,
        # and every estimate within the protection's bound (2 x 4/n of itself) of the other
        estimates = [
            c
            for c in expected.columns
            if c in ("numerator", "denominator", "value", "ci_low", "ci_high")
            or (pd.api.types.is_float_dtype(expected[c]) and c not in ("n",))
        ]
        n = np.maximum(expected["n"].astype(float).fillna(1).to_numpy(), 1)
        both = pd.concat([expected[estimates].abs(), got[estimates].abs()], axis=1).astype(float)
        scale = both.max(axis=1).fillna(0).to_numpy()  # the row's largest figure (an interval end can be ~0)
        for col in estimates:
            d, g = expected[col].astype(float).to_numpy(), got[col].astype(float).to_numpy()
            shown = ~np.isnan(d)
            assert (np.isnan(d) == np.isnan(g)).all(), f"{name}: {col} blank in different rows"
            bound = 4 * 2 * 4.0 / n[shown] * scale[shown] + 1e-6
            assert (np.abs(d[shown] - g[shown]) <= bound).all(), f"{name}: {col} beyond the protection bound"
        expected, got = expected.drop(columns=estimates), got.drop(columns=estimates)
    assert_same_table(expected, got, f"{name} by {by}", spec.unit)
    assert expected["suppressed"].tolist() == got["suppressed"].tolist()
    assert got["note"].tolist() == expected["note"].tolist()


@pytest.mark.parametrize(
    "name", [n for n, s in registry().items() if set(PARITY_DIMS) <= set(s.dimensions) and n not in COMPUTED_ALONE]
)
@pytest.mark.parametrize("by", [["gender"], []])
def test_tables_cut_from_a_wider_run_equal_duckdb(engines, name, by):
    """The Spark build cuts these from the gender x race_ethnicity run (pipelines/spark/batch.py);
    DuckDB computes them alone."""
    duck, spark = engines
    try:
        expected = compute(duck, name, by=by, period="year")
    except NoDataError:
        return  # the family's data is not in the sample (the test above checks the answer)
    got = compute(spark, name, by=by, period="year")
    assert_same_table(expected, got, f"{name} by {by}", registry()[name].unit)
    assert got["note"].tolist() == expected["note"].tolist()


def test_parity_is_not_vacuous(engines):
    """The sample exercises both published and hidden cells, so parity of protection means
    something (published output hides only cells whose protected count is below k)."""
    duck, _ = engines
    table = compute(duck, "headcount", by=list(PARITY_DIMS), period="year")
    assert table["suppressed"].any() and (~table["suppressed"]).any()
    assert (table["note"].str.contains("protected count")).any()


def test_each_metric_function_runs_once_per_grain(engines, spark_sample_db):
    """The plan (SPARK_SAMPLE_RESULTS: yearly; overall, gender, gender x race_ethnicity) asks
    up to three tables of every metric; their rows come from one run of its function for the
    widest breakdown it accepts (pipelines/spark/batch.py), so the runs are metrics x grains,
    plus one run per table for the COMPUTED_ALONE metrics (formerly: one per table for all)."""
    _, spark = engines
    said = (spark_sample_db.parent / "progress.txt").read_text(encoding="utf-8")
    cost = re.search(r"^metric tables: (\d+) tables from (\d+) metric runs in (\d+) Spark jobs$", said, re.M)
    tables, runs, jobs = map(int, cost.groups())
    index = spark.execute("SELECT metric, count(*) FROM metric_results WHERE error IS NULL GROUP BY metric").fetchall()
    assert tables == spark.execute("SELECT count(*) FROM metric_results").fetchone()[0]
    assert len(index) == len(registry())  # every metric computed, so the count below is exact
    expected = sum(n if metric in COMPUTED_ALONE else 1 for metric, n in index)
    assert runs == expected < tables
    assert jobs > runs  # every run and every table's finalize send queries: the tag counted them


def test_build_bookkeeping_equals_duckdb(engines):
    duck, spark = engines
    queries = {
        "manifest_files": "SELECT file, table_name, family, sha256, size_bytes, rows_in, rows_loaded, "
        "rows_quarantined FROM manifest_files ORDER BY file, table_name",
        "manifest_models": "SELECT model, layer, status, rows FROM manifest_models ORDER BY model",
        "dq_expectations": "SELECT suite, expectation, column_name, severity, success, unexpected_count, "
        "element_count FROM dq_expectations ORDER BY suite, expectation, column_name",
        "build_params": "SELECT * FROM build_params",
        "fct_events": "SELECT * FROM fct_events ORDER BY event_date",
        "commitments": "SELECT * FROM commitments ORDER BY position",
        "commitment_actions": "SELECT * FROM commitment_actions ORDER BY commitment_id, action_date, action",
        "commitments_meta": "SELECT source_file, sha256 FROM commitments_meta",  # log name follows the DB
        "run_manifest": "SELECT history_start, as_of, families FROM run_manifest",
    }
    for table, sql in queries.items():
        assert_same_table(duck.execute(sql).df(), spark.execute(sql).df(), table)
    built = spark.execute("SELECT count(*) FROM manifest_models WHERE status = 'built'").fetchone()[0]
    assert (
        built
        == len(duck.execute("SELECT * FROM manifest_models").df())
        - duck.execute("SELECT count(*) FROM manifest_models WHERE status <> 'built'").fetchone()[0]
    )


def test_results_file_holds_only_suppressed_small_tables(engines):
    _, spark = engines
    tables = {r[0] for r in spark.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    built = {r[0] for r in spark.execute("SELECT model FROM manifest_models WHERE status = 'built'").fetchall()}
    metric_tables = {f"metric_results__{n}" for n, s in registry().items() if set(s.requires) <= built}
    assert metric_tables and tables == metric_tables | {
        "metric_results",
        "run_manifest",
        "manifest_files",
        "manifest_models",
        "build_params",
        "privacy_salt",
        "dq_expectations",
        "quarantine_summary",
        "fct_events",
        *REGISTER_TABLES,
        *LINKED_TABLES,
    }
    person_columns = {
        "employee_id",
        "candidate_id",
        "application_id",
        "response_id",
        "birth_year",
        "hire_date",
        "termination_date",
        "raw_value",
    }
    for table in tables:
        columns = {r[0] for r in spark.execute(f"DESCRIBE {table}").fetchall()}
        assert not columns & person_columns, table
    k = dict(spark.execute("SELECT metric, min(k) FROM metric_results GROUP BY 1").fetchall())
    for name in (t.removeprefix("metric_results__") for t in metric_tables):
        rows = spark.execute(f"SELECT * FROM metric_results__{name}").df()
        hidden = rows[rows["suppressed"]]
        assert hidden[BLANKED].isna().all().all(), name  # blank when suppressed
        assert not rows.loc[~rows["suppressed"], "n"].lt(k[name]).any(), name  # nothing below k


def test_commitments_are_judged_the_same(engines):
    """The register page, Overview and PDF judge every commitment from the Spark results
    database exactly as from the DuckDB marts (filters and checkpoint windows included)."""
    duck, spark = engines
    expected, got = status_table(assess_register(duck)), status_table(assess_register(spark))
    assert len(expected) > 0
    assert_same_table(expected, got, "commitments status")
