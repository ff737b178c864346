"""`equity build --engine spark`: the DuckDB build's steps on Spark; results to a local file.

Same steps, same SQL as pipelines.build: read (CSV files, or existing tables named in
`spark.tables`) -> cast + quarantine + structural checks -> SQL models -> Great Expectations
-> manifest. The person-level relations (raw, staged, marts, quarantine) exist only on
Spark: cached for the run, or as tables in `spark.database`. Then every registry metric is
computed there for the configured breakdowns and grains, suppressed, and only these tables
are written to `db_path`, a small DuckDB file the dashboard and the PDF read unchanged:
metric_results(+__<metric>), run_manifest, manifest_files, manifest_models, build_params,
dq_expectations, quarantine_summary and fct_events.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from ..privacy.keys import SALT_TABLE, choose_salt

from ..build_manifest import BuildResult, Progress, build_result, load_stats, manifest_frames
from ..build_params import history_window, write_params
from ..families.commitments.precomputed import linked_frames
from ..families.commitments.settings import commitment_settings
from ..families.commitments.store import REGISTER_TABLES, load_register, write_register
from ..config import load_config
from ..db import scalar
from ..errors import DataError
from ..metrics._results import RESULTS_INDEX
from ..sources import resolve_sources
from ..mapping_rows import handle_duplicates
from ..models import run_models
from ..quality import RESULT_COLUMNS, raise_on_errors, run_expectations, whole_table_frame
from ..quality_report import EXAMPLES, quarantine_summary_sql
from ..validate import check_duplicate_keys, check_fx
from .adapter import SparkConnection, SparkResult
from .ingest import (
    build_quarantine,
    cast_and_quarantine,
    drop_intermediates,
    load_raw,
    quarantine_orphans,
    spark_relations,
)
from .results import copied_tables, metric_results, without_values, write_results_database
from .session import get_session, spark_settings

log = logging.getLogger(__name__)

SMALL_TABLES = ["fct_events", *REGISTER_TABLES]  # tables without people that the dashboard reads directly
KEPT_ON_CLUSTER = "(values kept on the cluster)"


def build_on_spark(data_dir: Path, db_path: Path, progress: Progress | None = None) -> BuildResult:
    """Build on Spark and write the results database to `db_path` (atomic replace)."""
    data_dir, db_path = Path(data_dir), Path(db_path)
    if not data_dir.is_dir():
        raise DataError(f"data folder {data_dir} does not exist")
    step = progress or (lambda _msg: None)
    started = dt.datetime.now(dt.timezone.utc)
    config = load_config(data_dir)
    settings = spark_settings(config)
    step("starting Spark")
    spark = get_session(settings)
    con = SparkConnection(spark, database=settings["database"], table_format=settings["table_format"])
    try:
        return _build(con, data_dir, db_path, config, started, step)
    finally:
        con.release()


def _build(
    con: SparkConnection, data_dir: Path, db_path: Path, config: dict[str, Any], started: dt.datetime, step
) -> BuildResult:
    settings = config["spark"]
    sources = resolve_sources(data_dir, config, spark_relations(con.spark, config))
    for sf in sources.values():
        step(f"reading {sf.display}")
        load_raw(con, sf)
        handle_duplicates(con, sf, can_quarantine=False)
        check_duplicate_keys(con, sf)
        cast_and_quarantine(con, sf, config)
    for sf in sources.values():
        quarantine_orphans(con, sf, sources)
    build_quarantine(con, sources)
    check_fx(con, sources, config)
    files = load_stats(con, sources)
    start, as_of = history_window(con, config, {sf.table.family for sf in sources.values()})
    write_params(con, config, start, as_of)
    step("running SQL models")
    models = run_models(con, {f"src_{n}" for n in sources} | {"build_params"}, progress=lambda m: step(f"model {m}"))
    step("data-quality checks")
    staged = [n for n, s in models.items() if s["status"] == "built" and s["layer"] == "staging"]
    dq = run_expectations(con, staged, frame_for=_expectation_frames(settings["expectations"]))
    raise_on_errors(dq)
    quarantined = scalar(con, "SELECT count(DISTINCT (table_name, line)) FROM quarantine")
    with_values = bool(settings["results"]["value_examples"])
    summary = con.execute(quarantine_summary_sql(with_values), [EXAMPLES]).to_arrow_table()
    drop_intermediates(con, sources)
    run_columns = {"engine": "spark", "spark_version": con.spark.version, "spark_master": con.spark.sparkContext.master}
    run_id, manifest = manifest_frames(started, data_dir, config, (start, as_of), sources, files, models, run_columns)
    con.register("run_manifest", manifest["run_manifest"])  # compute() reads the build's settings
    salt = choose_salt(db_path)  # protected results are keyed by it; stored with them
    con.register(SALT_TABLE, pd.DataFrame({"salt": [salt]}))
    step("commitments register")
    register_file = write_register(con, data_dir, db_path.name)  # checked against the marts here
    if register_file is not None:
        files.append(register_file)
        manifest["manifest_files"] = pd.DataFrame(files)
        linked = linked_frames(con, load_register(con), start, as_of, commitment_settings(config))
    else:
        linked = {}
    con.guard(settings["guarded_columns"])
    built = {n for n, s in models.items() if s["status"] == "built"}
    dq_frame = pd.DataFrame(dq, columns=RESULT_COLUMNS)
    results = metric_results(con, config, built, step)
    index = results[RESULTS_INDEX]
    failed = [
        f"{r.metric} by {r.breakdown.replace('|', ' x ') or 'overall'} per {r.grain}"
        for r in index[index["error"].notna()].itertuples()
    ]
    tables = {
        **manifest,
        "build_params": con.execute("SELECT * FROM build_params").to_arrow_table(),
        SALT_TABLE: pd.DataFrame({"salt": [salt]}),
        "dq_expectations": dq_frame if with_values else without_values(dq_frame, "examples", KEPT_ON_CLUSTER),
        "quarantine_summary": summary,
        **dict(copied_tables(con, SMALL_TABLES)),
        **results,
        **linked,
    }
    step("writing the results database")
    write_results_database(db_path, tables)
    log.info("built %s on Spark (run %s)", db_path, run_id)
    return build_result(db_path, run_id, files, quarantined, dq, models, failed_results=failed)


def _expectation_frames(settings: dict[str, Any]):
    """frame_for for run_expectations: every row, or a seeded random sample of at most
    `max_rows` rows per staged table (the frames stay in the driver's memory)."""
    max_rows, seed = settings.get("max_rows"), settings.get("sample_seed")

    def frame_for(con: SparkConnection, table: str, columns: list[str]) -> pd.DataFrame:
        if not max_rows or not columns:
            return whole_table_frame(con, table, columns)
        frame = con.query(f"SELECT {', '.join(columns)} FROM {table}")
        total = frame.count()
        if total > max_rows:
            frame = frame.sample(fraction=max_rows / total, seed=seed)
        return SparkResult(frame).df()

    return frame_for
