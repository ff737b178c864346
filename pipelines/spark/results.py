"""Suppressed metric tables computed on Spark, and the small results database they go into.

Every registry metric whose marts were built is computed as compute() publishes it (its
SQL runs on Spark through the adapter; protection runs on the driver) for the overall view
and each configured breakdown it accepts, per configured grain - its SQL once per grain for
the widest breakdown, the narrower tables cut from those rows (pipelines/spark/batch.py).
Only these protected tables, and the build's small non-person tables, are written to the
local DuckDB file.
"""

from __future__ import annotations

import logging
import uuid
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

from ..atomic_db import new_database
from ..build_manifest import write_frame
from ..errors import DataError
from ..metrics import GRAINS, MAX_DIMS, registry
from ..metrics._engine import _table, spec_k
from ..metrics._published import protected_request
from ..metrics._registry import MetricSpec
from ..metrics._results import RESULTS_INDEX, breakdown_key, results_table
from .batch import SharedRows

log = logging.getLogger(__name__)


def _breakdowns(settings: dict[str, Any]) -> list[tuple[str, ...]]:
    """The configured breakdowns, the overall first, each once."""
    out: list[tuple[str, ...]] = [()]
    for item in settings["results"].get("breakdowns") or []:
        dims = tuple([item] if isinstance(item, str) else item)
        if len(dims) > MAX_DIMS or len(set(dims)) != len(dims):
            raise DataError(
                f"spark.results.breakdowns: {list(dims)} must be up to {MAX_DIMS} different dimensions",
                file="equity.yml",
            )
        if dims not in out:
            out.append(dims)
    return out


def _grains(settings: dict[str, Any]) -> list[str]:
    grains = list(settings["results"].get("grains") or [])
    bad = [g for g in grains if g not in GRAINS or g == "custom"]
    if bad or not grains:
        raise DataError(
            f"spark.results.grains must list some of year, quarter, month (got {grains})", file="equity.yml"
        )
    return grains


def results_plan(settings: dict[str, Any], built: set[str]) -> list[tuple[MetricSpec, tuple[str, ...], str]]:
    """(metric, breakdown, grain) for every table the results database will hold."""
    plan = []
    for spec in registry().values():
        if not set(spec.requires) <= built:
            continue  # family not supplied: the dashboard says "no data loaded" as usual
        for grain in _grains(settings):
            plan += [(spec, dims, grain) for dims in _breakdowns(settings) if all(d in spec.dimensions for d in dims)]
    return plan


def plan_rows(plan: list[tuple[MetricSpec, tuple[str, ...], str]]) -> SharedRows:
    """The shared metric-function runs for `plan` (one per metric, grain and widest breakdown)."""
    breakdowns: dict[str, list[tuple[str, ...]]] = {}
    for spec, dims, _grain in plan:
        breakdowns.setdefault(spec.name, []).append(dims)
    return SharedRows(breakdowns)


def published_table(con, spec: MetricSpec, dims: tuple[str, ...], grain: str, rows: SharedRows) -> pd.DataFrame:
    """compute(con, spec.name, by=dims, period=grain), the published table, from shared runs."""
    return protected_request(con, spec.name, list(dims), grain, None, None, None, {}, partial(_table, rows=rows))


def metric_results(
    con, config: dict[str, Any], built: set[str], step: Callable[[str], None]
) -> dict[str, pd.DataFrame]:
    """{table name: frame}: the index `metric_results` and one suppressed table per metric."""
    settings = config["spark"]
    index, parts = [], {}
    plan = results_plan(settings, built)
    rows = plan_rows(plan)
    jobs = _job_counter(con.spark.sparkContext)
    for spec, dims, grain in plan:
        what = f"{spec.name} by {' x '.join(dims) or 'overall'} per {grain}"
        step(f"metric {what}")
        entry = {
            "metric": spec.name,
            "breakdown": breakdown_key(dims),
            "grain": grain,
            "k": spec_k(spec, config, None),
            "rows": 0,
            "error": None,
        }
        try:
            table = published_table(con, spec, dims, grain, rows)
        except Exception as exc:  # one failing table must not cost every other result; the
            # index keeps the reason, which compute() then gives for this request
            log.warning("metric %s could not be computed on Spark: %s", what, exc)
            index.append({**entry, "error": f"{type(exc).__name__}: {exc}"})
            continue
        table.insert(0, "_breakdown", breakdown_key(dims))
        table.insert(1, "_grain", grain)
        parts.setdefault(spec.name, []).append(table)
        index.append({**entry, "rows": len(table)})
    # the cost of the plan, for the log and tests/test_spark_parity.py (the bound on jobs)
    step(f"metric tables: {len(plan)} tables from {rows.runs} metric runs in {jobs()} Spark jobs")
    frames = {
        RESULTS_INDEX: pd.DataFrame(index, columns=["metric", "breakdown", "grain", "k", "rows", "error"]).astype(
            {"error": "string"}
        )
    }
    for name, tables in parts.items():
        frame = pd.concat(tables, ignore_index=True)
        frame.insert(2, "_row", range(len(frame)))
        frames[results_table(name)] = frame
    return frames


def _job_counter(sc) -> Callable[[], int]:
    """Tag the Spark jobs this thread runs from now on; the function counts them and ends the
    tag (Spark keeps the last spark.ui.retainedJobs jobs: a longer plan counts at most that)."""
    group = f"equity-metric-results-{uuid.uuid4().hex[:8]}"
    sc.setJobGroup(group, "equity metric tables")

    def count() -> int:
        sc.setLocalProperty("spark.jobGroup.id", None)
        return len(sc.statusTracker().getJobIdsForGroup(group))

    return count


def write_results_database(db_path: Path, tables: dict[str, Any]) -> None:
    """Write the tables into a new DuckDB file and swap it in atomically (as `equity build`)."""
    with new_database(db_path) as con:
        for name, frame in tables.items():
            write_frame(con, name, frame)


def without_values(frame: pd.DataFrame, column: str, note: str) -> pd.DataFrame:
    """`frame` with the person-level text in `column` replaced by `note` where present."""
    out = frame.copy()
    out[column] = [note if isinstance(v, str) and v else v for v in out[column]]
    return out


def copied_tables(con, names: list[str]) -> Iterator[tuple[str, Any]]:
    """(name, Arrow table) for small non-person Spark tables copied as they are (fct_events);
    Arrow keeps their column types (a DATE stays a DATE)."""
    for name in names:
        if con.has_table(name):
            yield name, con.execute(f"SELECT * FROM {name}").to_arrow_table()
