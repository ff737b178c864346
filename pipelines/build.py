"""`equity build`: CSV folder -> DuckDB file, atomically.

Steps: resolve files and mapping (sources) -> read, type and quarantine each file, with the
structural checks (read_sources) -> SQL models (staging -> intermediate -> marts) -> Great
Expectations gate -> manifest (build_manifest) -> commitments register (commitments.yml,
checked against the built data).
Everything is written into a new file beside the target (atomic_db); only after every step
succeeded is it renamed over the previous database, so a failed or killed build leaves the
last good database serving. Only that one file is replaced: the committee review log beside
it (`<name>.reviews.sqlite`) is never touched by a build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import duckdb
import pandas as pd

from . import incremental
from .atomic_db import new_database
from .build_manifest import BuildResult, Progress, append_manifest_file, build_result, manifest_frames, write_frame
from .build_params import history_window, write_params
from .families.commitments.store import REGISTER_TABLES, write_register
from .config import load_config
from .db import scalar
from .errors import DataError, UsageError
from .mapping_extra import write_extra_columns
from .mapping_names import REPORT as NAME_REPORT, name_match_line, uses_names
from .mapping_snapshot import write_snapshot_sources
from .mapping_weight import write_weighted_sources
from .models import run_models
from .privacy.keys import choose_salt, write_salt
from .quality import RESULT_COLUMNS, raise_on_errors, run_expectations
from .read_sources import empty_stand_ins, file_stats, read_sources
from .sources import resolve_sources
from .validate import check_fx

log = logging.getLogger(__name__)

DEFAULT_DB = "equity.duckdb"
DEMO_DB = "build/demo.duckdb"  # where `make demo` builds the sample database (Makefile DEMO_DB)


def default_db_path() -> Path:
    return Path(os.environ.get("EQUITY_DB", DEFAULT_DB))


def _create_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE quarantine (file VARCHAR, table_name VARCHAR, line BIGINT, "
        "column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)"
    )


ENGINES = ("duckdb", "spark")


def build(
    data_dir: Path,
    db_path: Path | None = None,
    progress: Progress | None = None,
    engine: str = "duckdb",
    full: bool = False,
) -> BuildResult:
    """Build the database for `data_dir` into `db_path` (atomic replace on success).

    engine "spark" runs the same steps on Spark and writes a results-only database
    (pipelines.spark.build). Into an existing database the build is incremental (unchanged
    inputs and models are reused, pipelines.incremental) unless `full`."""
    if engine == "spark":
        # imported here, not at the top: PySpark and sqlglot are an optional extra the DuckDB
        # path never loads (pipelines.spark imports nothing of this module, so no cycle)
        from .spark import require_spark

        require_spark()
        from .spark.build import build_on_spark

        return build_on_spark(data_dir, db_path or default_db_path(), progress)
    if engine != "duckdb":
        raise UsageError(f"unknown engine '{engine}'; use one of: {', '.join(ENGINES)}")
    data_dir, db_path = Path(data_dir), Path(db_path or default_db_path())
    if not data_dir.is_dir():
        raise DataError(f"data folder {data_dir} does not exist")
    step = progress or (lambda _msg: None)
    started = dt.datetime.now(dt.timezone.utc)
    config = load_config(data_dir)
    sources = resolve_sources(data_dir, config)
    # without HR files the window comes from every source's dates (window_dates), and an
    # unchanged source kept from the last build has no src_ table to read them from
    full = full or "hr" not in {sf.table.family for sf in sources.values()}
    # a name match depends on the supplier master and the list together (mapping_names)
    full = full or uses_names(config)
    reuse_plan = incremental.plan(db_path, config, sources, full=full)
    # an incremental build starts from a copy of the last good database: what is unchanged is there
    with new_database(db_path, start_from=db_path if reuse_plan.active else None) as con:
        if not reuse_plan.active:
            _create_bookkeeping(con)
        read = incremental.sources_to_read(reuse_plan, sources)
        incremental.forget_sources(con, reuse_plan, read, sources)
        con.execute(f"DROP TABLE IF EXISTS {NAME_REPORT}")  # rewritten by every read (uses_names: all)
        read_sources(con, sources, read, config, step)
        kept = {n: incremental.previous_file_row(reuse_plan, sf) for n, sf in sources.items() if n not in read}
        check_fx(con, {n: sf for n, sf in sources.items() if n in read}, config)
        start, as_of = history_window(con, config, {sf.table.family for sf in sources.values()})
        write_params(con, config, start, as_of)
        params = con.execute("SELECT * FROM build_params").df().iloc[0].to_dict()
        reuse, needed = incremental.models_to_reuse(reuse_plan, sources, params)
        extra = incremental.sources_to_read(reuse_plan, sources, needed) - read
        if extra:  # unchanged sources that a model being rebuilt reads: read them after all
            incremental.forget_sources(con, reuse_plan, extra)
            read_sources(con, sources, extra, config, step)
            read |= extra
            kept = {n: row for n, row in kept.items() if n not in extra}
        files = file_stats(con, sources, read, kept)
        write_weighted_sources(con, sources)
        write_snapshot_sources(con, sources)
        write_extra_columns(con, sources, read)
        if reuse:
            step(f"keeping {len(reuse)} model(s) whose inputs did not change")
        step("running SQL models")
        stand_ins = empty_stand_ins(con, sources)
        models = run_models(
            con,
            {f"src_{n}" for n in sources} | stand_ins | {"build_params"},
            progress=lambda m: step(f"model {m}"),
            reuse=reuse,
            copy=incremental.kept_rows,
        )
        incremental.drop_unbuilt(con, reuse_plan, models)
        step("data-quality checks")
        staged = [n for n, s in models.items() if s["status"] == "built" and s["layer"] == "staging"]
        previous_dq = incremental.previous_expectations(con, reuse_plan, {n for n in staged if n in reuse})
        dq = run_expectations(con, [n for n in staged if n not in reuse]) + previous_dq
        write_frame(con, "dq_expectations", pd.DataFrame(dq, columns=RESULT_COLUMNS))
        raise_on_errors(dq)
        run_columns = {
            "code_hash": incremental.code_hash(),
            "reused_sources": ",".join(sorted(set(sources) - read)),
            "reused_models": len(reuse),
        }
        run_id, manifest = manifest_frames(
            started, data_dir, config, (start, as_of), sources, files, models, run_columns
        )
        for name, frame in manifest.items():
            write_frame(con, name, frame)
        # the secret that keys every published cell's perturbation (kept across rebuilds)
        write_salt(con, choose_salt(db_path))
        step("commitments register")
        for name in REGISTER_TABLES:  # a register removed since the last build must not linger
            con.execute(f"DROP TABLE IF EXISTS {name}")
        register_file = write_register(con, data_dir, db_path.name)  # None without commitments.yml
        if register_file is not None:
            append_manifest_file(con, register_file)
            files.append(register_file)
        for name in stand_ins:
            con.execute(f"DROP TABLE IF EXISTS {name}")
        for name in sources:  # person-level copies are not needed once staged
            for prefix in ("raw", "checked", "src"):
                con.execute(f"DROP TABLE IF EXISTS {prefix}_{name}")
        quarantined = scalar(con, "SELECT count(DISTINCT (table_name, file, line)) FROM quarantine")
        name_line = name_match_line(con)
    log.info("built %s (run %s)", db_path, run_id)
    return build_result(
        db_path,
        run_id,
        files,
        quarantined,
        dq,
        models,
        reused_sources=sorted(set(sources) - read),
        full_reason=reuse_plan.why_full,
        name_matches=name_line,
    )
