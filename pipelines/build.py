"""`equity build`: CSV folder -> DuckDB file, atomically.

Steps: resolve files and mapping -> read as text -> cast + quarantine (+ structural checks)
-> SQL models (staging -> intermediate -> marts) -> Great Expectations gate -> manifest ->
commitments register (commitments.yml, checked against the built data).
Everything is written into a new file beside the target; only after every step succeeded is
it renamed over the previous database (os.replace is atomic on one filesystem), so a failed
or killed build leaves the last good database serving. Only that one file is replaced: the
committee review log beside it (`<name>.reviews.sqlite`) is never touched by a build.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import duckdb
import pandas as pd

from . import __version__
from .db import has_table, scalar
from .config import config_hash, load_config
from .errors import DataError, UsageError
from .commitments.store import REGISTER_TABLES, write_register
from . import incremental
from .ingest import SourceFile, load_raw, resolve_sources
from .mapping_rows import handle_duplicates
from .mapping_snapshot import collapse_snapshots, quarantine_bad_snapshot_dates, write_snapshot_sources
from .mapping_extra import write_extra_columns
from .mapping_weight import expand_weighted, quarantine_bad_weights, write_weighted_sources
from .models import run_models
from .quality import RESULT_COLUMNS, raise_on_errors, run_expectations
from .privacy.keys import choose_salt, write_salt
from .sqlsafe import ident, literal
from .mapping_names import (
    REPORT as NAME_REPORT,
    group_suppliers_by_name,
    lines_loaded,
    match_certifications,
    name_match_line,
    uses_names,
)
from .validate import (
    cast_and_quarantine,
    check_duplicate_keys,
    check_fx,
    check_order,
    load_checked,
    needs_text_copy,
    quarantine_checked,
    quarantine_orphans,
)

log = logging.getLogger(__name__)

DEFAULT_DB = "equity.duckdb"
DEMO_DB = "build/demo.duckdb"  # where `make demo` builds the sample database (Makefile DEMO_DB)
Progress = Callable[[str], None]


@dataclass
class BuildResult:
    db_path: Path
    run_id: str
    files: list[dict[str, Any]] = field(default_factory=list)
    quarantined: int = 0
    warnings: int = 0
    models: dict[str, dict] = field(default_factory=dict)
    failed_results: list[str] = field(default_factory=list)  # Spark: metric tables not computed
    reused_sources: list[str] = field(default_factory=list)  # incremental: unchanged files not read
    full_reason: str = ""  # why nothing was reused (if so)
    name_matches: str = ""  # supplier name matching, one line (mapping_names)


def default_db_path() -> Path:
    return Path(os.environ.get("EQUITY_DB", DEFAULT_DB))


def _create_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE quarantine (file VARCHAR, table_name VARCHAR, line BIGINT, "
        "column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)"
    )


def history_window(
    con: duckdb.DuckDBPyConnection, config: dict[str, Any], families: set[str] | None = None
) -> tuple[dt.date, dt.date]:
    """(history_start, as_of): the span over which the data is complete.

    With HR data: as_of configured, else the latest HR date not after today (future-dated
    records are plans, not history); history_start configured, else the start of the fiscal
    year of the earliest exit, since exports usually hold only people employed since some date.
    Without HR data (recruiting-only, procurement-only ...) both come from the dates of the
    files present (window_dates), so no dummy HR file is needed to place the window.
    """
    has_hr = families is None or "hr" in families
    as_of = config.get("as_of")
    if as_of is None:
        dates = (
            (
                "SELECT hire_date AS d FROM src_hr__employees UNION ALL "
                "SELECT termination_date FROM src_hr__employees UNION ALL "
                "SELECT effective_date FROM src_hr__job_history"
            )
            if has_hr
            else window_dates(con)
        )
        as_of = scalar(con, f"SELECT max(d) FROM ({dates}) WHERE d <= current_date")
    start = config.get("history_start")
    if start is None:
        first = (
            scalar(con, "SELECT coalesce(min(termination_date), min(hire_date)) FROM src_hr__employees")
            if has_hr
            else scalar(con, f"SELECT min(d) FROM ({window_dates(con)})")
        )
        if first is None:
            raise DataError(
                "has no rows that could be loaded", file="hr/employees.csv" if has_hr else "the data folder"
            )
        m = config["fiscal_year_start_month"]
        year = first.year if first.month >= m else first.year - 1
        start = dt.date(year, m, 1)
    if as_of is None:
        raise DataError(
            "has no dated rows to place the reporting window; set as_of in equity.yml", file="the data folder"
        )
    as_of, start = pd.Timestamp(as_of).date(), pd.Timestamp(start).date()
    if start > as_of:
        raise DataError(f"history_start {start} is after as_of {as_of}", file="equity.yml")
    return start, as_of


def window_dates(con: duckdb.DuckDBPyConnection) -> str:
    """SELECT of every date (as `d`) in the loaded sources other than reference tables (events
    and FX months annotate the data; they do not say what period it covers)."""
    from .contract import load_contract

    parts = [
        f"SELECT {ident(c.name)} AS d FROM src_{t.name}"
        for t in load_contract().values()
        if t.family != "reference"
        for c in t.columns.values()
        if c.type == "date" and has_table(con, f"src_{t.name}")
    ]
    return " UNION ALL ".join(parts) or "SELECT NULL::DATE AS d WHERE false"


# An optional file whose absence should not switch off the file that needs it: applications
# without a stage history are a one-stage funnel (applied -> status), not "no hiring data".
STAND_INS = {"recruiting__application_stages": "recruiting__applications"}
_SQL_TYPES = {
    "date": "DATE",
    "month": "DATE",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "money": "DECIMAL(18,2)",
    "boolean": "BOOLEAN",
}


def empty_stand_ins(con, sources: dict[str, SourceFile]) -> set[str]:
    """Empty, typed src_ tables for STAND_INS whose parent is supplied; their names."""
    from .contract import load_contract

    made = set()
    for name, parent in STAND_INS.items():
        if name in sources or parent not in sources:
            continue
        cols = ", ".join(
            f"{ident(c.name)} {_SQL_TYPES.get(c.type, 'VARCHAR')}" for c in load_contract()[name].columns.values()
        )
        con.execute(f"CREATE OR REPLACE TABLE src_{name} (_line BIGINT, {cols})")
        made.add(f"src_{name}")
    return made


def write_params(con, config: dict[str, Any], start: dt.date, as_of: dt.date) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE build_params AS SELECT "
        f"DATE {literal(start.isoformat())} AS history_start, DATE {literal(as_of.isoformat())} AS as_of, "
        f"{literal(config['reporting_currency'])} AS reporting_currency, "
        f"{int(config['fiscal_year_start_month'])} AS fiscal_year_start_month, "
        f"{literal(config['demographics']['not_disclosed'])} AS not_disclosed_label, "
        f"{literal(config['demographics']['unknown_label'])} AS unknown_label"
    )


def load_stats(con, sources: dict[str, SourceFile]) -> list[dict[str, Any]]:
    rows = []
    for name, sf in sources.items():
        records = scalar(con, f"SELECT count(*) FROM src_{name}")
        # weighted rows were expanded into records (mapping_weight): the invariant counts rows
        loaded = records if sf.rows_loaded is None else sf.rows_loaded
        quarantined = scalar(con, "SELECT count(DISTINCT (file, line)) FROM quarantine WHERE table_name = ?", [name])
        if loaded + quarantined != sf.rows_in:  # the invariant nothing-dropped-silently rests on
            raise AssertionError(f"{sf.display}: {sf.rows_in} rows in, {loaded} loaded, {quarantined} quarantined")
        rows.append(
            {
                "file": sf.display,
                "table_name": name,
                "family": sf.table.family,
                "sha256": sf.sha256,
                "size_bytes": sf.size,
                "rows_in": sf.rows_in,
                "rows_loaded": loaded,
                "rows_quarantined": quarantined,
                "records_loaded": records,
            }
        )
    return rows


def write_frame(con, name: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _frame")
    con.unregister("_frame")


def _append_manifest_file(con, row: dict[str, Any]) -> None:
    """A file read outside the contract (commitments.yml) listed with the contract files."""
    con.register("_row", pd.DataFrame([row]))
    con.execute("INSERT INTO manifest_files BY NAME SELECT * FROM _row")
    con.unregister("_row")


def remove_db_files(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def remove_abandoned_builds(db_path: Path) -> None:
    """Temporary files of builds that were killed (their process is gone)."""
    for tmp in db_path.parent.glob(f".{db_path.name}.building-*"):
        pid = tmp.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and Path("/proc").is_dir() and not Path(f"/proc/{pid}").exists():
            tmp.unlink(missing_ok=True)


def new_run_id(started: dt.datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def manifest_frames(
    run_id: str,
    started: dt.datetime,
    data_dir: Path,
    config: dict[str, Any],
    start: dt.date,
    as_of: dt.date,
    sources: dict[str, SourceFile],
    files: list[dict[str, Any]],
    models: dict[str, dict],
    extra: dict[str, Any] | None = None,
) -> dict[str, pd.DataFrame]:
    """manifest_files, manifest_models and run_manifest (`extra`: more run columns)."""
    finished = dt.datetime.now(dt.timezone.utc)
    return {
        "manifest_files": pd.DataFrame(files),
        "manifest_models": pd.DataFrame(
            [{"model": n, **{k: s.get(k) for k in ("layer", "status", "rows", "reason")}} for n, s in models.items()]
        ),
        "run_manifest": pd.DataFrame(
            [
                {
                    "run_id": run_id,
                    "tool_version": __version__,
                    "started_at": started,
                    "finished_at": finished,
                    "data_dir": str(data_dir.resolve()),
                    "config_hash": config_hash(config),
                    "config_json": json.dumps(config, default=str),
                    "history_start": start,
                    "as_of": as_of,
                    "families": ",".join(sorted({sf.table.family for sf in sources.values()})),
                    **(extra or {}),
                }
            ]
        ),
    }


@contextmanager
def new_database(db_path: Path, start_from: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection on a new file beside `db_path` (a copy of `start_from` when given) that
    replaces `db_path` atomically when the block succeeds and is removed when it fails, so a
    failed build never replaces the last good database."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    remove_abandoned_builds(db_path)
    remove_db_files(tmp)
    if start_from is not None:
        shutil.copyfile(start_from, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        remove_db_files(tmp)
        raise
    os.replace(tmp, db_path)


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
        _read_sources(con, sources, read, config, step)
        kept = {n: incremental.previous_file_row(reuse_plan, sf) for n, sf in sources.items() if n not in read}
        check_fx(con, {n: sf for n, sf in sources.items() if n in read}, config)
        start, as_of = history_window(con, config, {sf.table.family for sf in sources.values()})
        write_params(con, config, start, as_of)
        params = con.execute("SELECT * FROM build_params").df().iloc[0].to_dict()
        reuse, needed = incremental.models_to_reuse(reuse_plan, sources, params)
        extra = incremental.sources_to_read(reuse_plan, sources, needed) - read
        if extra:  # unchanged sources that a model being rebuilt reads: read them after all
            incremental.forget_sources(con, reuse_plan, extra)
            _read_sources(con, sources, extra, config, step)
            read |= extra
            kept = {n: row for n, row in kept.items() if n not in extra}
        files = _file_stats(con, sources, read, kept)
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
        run_id = new_run_id(started)
        manifest = manifest_frames(
            run_id,
            started,
            data_dir,
            config,
            start,
            as_of,
            sources,
            files,
            models,
            extra={
                "code_hash": incremental.code_hash(),
                "reused_sources": ",".join(sorted(set(sources) - read)),
                "reused_models": len(reuse),
            },
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
            _append_manifest_file(con, register_file)
            files.append(register_file)
        for name in stand_ins:
            con.execute(f"DROP TABLE IF EXISTS {name}")
        for name in sources:  # person-level copies are not needed once staged
            for prefix in ("raw", "checked", "src"):
                con.execute(f"DROP TABLE IF EXISTS {prefix}_{name}")
        quarantined = scalar(con, "SELECT count(DISTINCT (table_name, file, line)) FROM quarantine")
        name_line = name_match_line(con)
    log.info("built %s (run %s)", db_path, run_id)
    return BuildResult(
        db_path=db_path,
        run_id=run_id,
        files=files,
        quarantined=quarantined,
        warnings=sum(1 for r in dq if not r["success"]),
        models=models,
        reused_sources=sorted(set(sources) - read),
        full_reason=reuse_plan.why_full,
        name_matches=name_line,
    )


def _read_sources(con, sources: dict[str, SourceFile], names: set[str], config: dict[str, Any], step) -> None:
    """Read, cast and quarantine the sources `names`, then their orphan checks."""
    for name, sf in sources.items():
        if name in names:
            step(f"reading {sf.display}")
            with _in_own_file(sf):
                if needs_text_copy(sf):
                    load_raw(con, sf)
                    match_certifications(con, sf, sources)
                    quarantine_bad_weights(con, sf)
                    quarantine_bad_snapshot_dates(con, sf)
                    handle_duplicates(con, sf)
                    check_duplicate_keys(con, sf)
                    cast_and_quarantine(con, sf, config)
                else:  # one typed read of each file, its text kept beside each value
                    load_checked(con, sf, config)
                    handle_duplicates(con, sf, relation=f"checked_{name}", prefix="_raw_")
                    check_duplicate_keys(con, sf, relation=f"checked_{name}", prefix="_raw_")
                    quarantine_checked(con, sf)
                group_suppliers_by_name(con, sf)
                expand_weighted(con, sf)
                collapse_snapshots(con, sf)
                check_order(con, sf)  # again: hire and exit dates were derived
    for name, sf in sources.items():
        if name in names:
            quarantine_orphans(con, sf, sources)
            lines_loaded(con, sf)
    for name, sf in sources.items():
        if name in names and len(sf.parts) > 1:
            stacked_quarantine_lines(con, sf)


@contextmanager
def _in_own_file(sf: SourceFile) -> Iterator[None]:
    """An error on a line of stacked files names the file and its own line."""
    try:
        yield
    except DataError as exc:
        if len(sf.parts) <= 1 or exc.file != sf.display or exc.line is None:
            raise
        file, line = sf.locate(exc.line)
        raise DataError(exc.reason, file=file, line=line, column=exc.column) from None


def stacked_quarantine_lines(con, sf: SourceFile) -> None:
    """Quarantine rows of stacked files: the file each row came from and its own line."""
    for part in sf.parts:
        con.execute(
            "UPDATE quarantine SET file = ?, line = line - ? "
            "WHERE table_name = ? AND file = ? AND line > ? AND line <= ?",
            [part.display, part.base, sf.table.name, sf.display, part.base, part.base + part.rows + 1],
        )


def _file_stats(con, sources: dict[str, SourceFile], read: set[str], kept: dict[str, dict]) -> list[dict[str, Any]]:
    """Manifest rows in source order: counted for sources read, the last build's for the others."""
    counted = {r["table_name"]: r for r in load_stats(con, {n: sf for n, sf in sources.items() if n in read})}
    return [counted[n] if n in counted else kept[n] for n in sources]
