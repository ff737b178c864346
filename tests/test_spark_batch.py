"""The results plan's shared runs (pipelines/spark/batch.py) give the same published tables as
computing each table alone - checked on DuckDB, where both are cheap, for every registry metric,
each grain and each breakdown of the default plan it accepts (so a metric whose function
treats a grouping set differently when more dimensions are requested would show up here)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipelines.config import default_config
from pipelines.metrics import NoDataError, compute
from pipelines.spark.batch import COMPUTED_ALONE, SharedRows, narrowed, widest
from pipelines.spark.results import plan_rows, published_table, results_plan

pytestmark = [pytest.mark.slow]


def test_widest_keeps_the_breakdowns_no_other_contains():
    plan = [(), ("gender",), ("race_ethnicity",), ("gender", "race_ethnicity"), ("department",)]
    assert widest(plan) == [("gender", "race_ethnicity"), ("department",)]


def test_narrowed_takes_the_grouping_sets_and_renumbers_gid():
    # rows for CUBE(a, b): _gid bit 1 (value 2) = a aggregated away, bit 0 (value 1) = b
    rows = pd.DataFrame(
        {
            "a": pd.Series(["x", "x", None, None], dtype=object),
            "b": pd.Series(["p", None, "p", None], dtype=object),
            "_gid": [0, 1, 2, 3],
            "n": [5, 7, 6, 9],
        }
    )
    only_b = narrowed(rows, ["a", "b"], ["b"])  # CUBE(b): b present -> 0, overall -> 1
    assert only_b.to_dict("list") == {"b": ["p", None], "_gid": [0, 1], "n": [6, 9]}
    swapped = narrowed(rows, ["a", "b"], ["b", "a"])  # CUBE(b, a): bits in the new order
    assert swapped["_gid"].tolist() == [0, 2, 1, 3]
    overall = narrowed(rows, ["a", "b"], [])
    assert overall.to_dict("list") == {"_gid": [0], "n": [9]}  # no dimensions: grouped() says 0


@pytest.fixture(scope="module")
def duck(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


def _built(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT model FROM manifest_models WHERE status = 'built'").fetchall()}


def test_shared_runs_give_the_tables_computed_alone(duck):
    """The default plan's breakdowns, yearly (the grain changes the periods, not how the
    grouping sets relate; the quarterly plan would double a slow test)."""
    plan = [p for p in results_plan(default_config()["spark"], _built(duck)) if p[2] == "year"]
    assert len({s.name for s, _, _ in plan}) > 40 and len({d for _, d, _ in plan}) == 4  # not vacuous
    # the plan's functions run on a connection that counts them (COMPUTED_ALONE run per table)
    rows = plan_rows(plan)
    compared, shared_metrics, differing = 0, set(), set()
    for spec, dims, _grain in plan:
        try:
            alone = compute(duck, spec.name, by=list(dims), period="year")
        except NoDataError:
            continue
        shared = _shared_rows_table(duck, spec, dims, plan)
        if spec.name in COMPUTED_ALONE:
            differing |= {spec.name} if not alone.equals(shared) else set()
        else:
            pd.testing.assert_frame_equal(published_table(duck, spec, dims, "year", rows), alone, obj=spec.name)
            shared_metrics.add(spec.name)
        compared += 1
    assert compared > len(plan) / 2
    assert differing == set(COMPUTED_ALONE), "a metric listed as COMPUTED_ALONE shares its runs fine"
    # one function run per shared metric and grain: its widest breakdown holds the others
    assert rows.runs == len(shared_metrics)


def _shared_rows_table(con, spec, dims, plan):
    """The table as shared runs would give it if the metric were not COMPUTED_ALONE."""
    forced = SharedRows({spec.name: [d for s, d, _ in plan if s.name == spec.name]})
    forced.alone = frozenset()
    return published_table(con, spec, dims, "year", forced)
