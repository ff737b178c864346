"""What a build records about itself and returns: per-file counts (with the invariant that
nothing is dropped silently), the run, file and model manifests, and BuildResult. Shared by the
DuckDB build (pipelines.build) and the Spark build (pipelines.spark.build)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import __version__
from .config import config_hash
from .db import scalar
from .source_file import SourceFile

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


def build_result(db_path: Path, run_id: str, files, quarantined: int, dq: list[dict], models, **more) -> BuildResult:
    """What either engine's build returns (warnings: the expectations that did not pass)."""
    warnings = sum(1 for r in dq if not r["success"])
    return BuildResult(db_path, run_id, files, quarantined, warnings, models, **more)


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


def append_manifest_file(con, row: dict[str, Any]) -> None:
    """A file read outside the contract (commitments.yml) listed with the contract files."""
    con.register("_row", pd.DataFrame([row]))
    con.execute("INSERT INTO manifest_files BY NAME SELECT * FROM _row")
    con.unregister("_row")


def new_run_id(started: dt.datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def manifest_frames(
    started: dt.datetime,
    data_dir: Path,
    config: dict[str, Any],
    window: tuple[dt.date, dt.date],
    sources: dict[str, SourceFile],
    files: list[dict[str, Any]],
    models: dict[str, dict],
    extra: dict[str, Any] | None = None,
) -> tuple[str, dict[str, pd.DataFrame]]:
    """(a new run id, {manifest_files, manifest_models, run_manifest}) for a build started at
    `started` over the data `window` (history_start, as_of); `extra`: engine-specific run
    columns. One function for both engines, so their manifests cannot drift apart."""
    run_id, (start, as_of) = new_run_id(started), window
    finished = dt.datetime.now(dt.timezone.utc)
    return run_id, {
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
