"""Incremental builds: reuse what the last good database already holds.

`equity build` into an existing database compares each input file's SHA-256 with the one
recorded in that database's manifest. The new database starts as a file copy of the last
good one (built beside it and swapped in atomically, as every build). A source whose file is
byte-identical is not read again (its quarantine rows and file statistics stay), and every
model whose inputs are all unchanged is kept instead of recomputed - provided the configuration, the tool
version, the SQL models, the data contract and the expectation suites are the same (the
`code_hash` below) and the build parameters (history window, labels) did not move.
Anything else is rebuilt: correctness never rests on a guess, only on equal hashes.

Always read: the HR core (employees, job history: they set the history window) and the
FX rates (every amount is checked against them); parents of a source that is read (its
orphan check needs them); any source a rebuilt model reads.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from . import __version__
from .config import config_hash
from .source_file import SourceFile, source_digest
from .models import Model, build_order, load_models, source_names

log = logging.getLogger(__name__)

ALWAYS_READ = ("hr__employees", "hr__job_history", "reference__fx_rates")


def code_hash() -> str:
    """Fingerprint of everything besides data and config that shapes the database."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(resources.files("pipelines")))
    for pattern in (
        "sql/*/*.sql",
        "contract.yml",
        "defaults.yml",
        "ingest.py",
        "validate.py",
        "build.py",
        "quality.py",
    ):
        for path in sorted(root.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    suites = root.parent / "expectations"
    for path in sorted(suites.glob("*.json")) if suites.is_dir() else []:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Plan:
    """What this build reuses from the previous database (nothing for a full build)."""

    previous: Path | None = None
    clean: set[str] = field(default_factory=set)  # sources byte-identical to the last build
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # their manifest rows
    params: dict[str, Any] | None = None  # the previous build_params row
    models: set[str] = field(default_factory=set)  # models the previous build built
    why_full: str = ""

    @property
    def active(self) -> bool:
        return self.previous is not None


def plan(db_path: Path, config: dict[str, Any], sources: dict[str, SourceFile], full: bool = False) -> Plan:
    """Compare the inputs with the last good database at `db_path`."""
    if full:
        return Plan(why_full="--full requested")
    if not db_path.exists():
        return Plan(why_full="no previous database")
    try:
        old = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:  # locked by a writer, or not a database: build everything
        return Plan(why_full=f"previous database not readable ({exc})")
    try:
        return _compare(old, db_path, config, sources)
    except duckdb.Error as exc:  # an older layout without the manifest columns
        return Plan(why_full=f"previous database has no usable manifest ({exc})")
    finally:
        old.close()


def _compare(old, db_path: Path, config, sources: dict[str, SourceFile]) -> Plan:
    run = old.execute("SELECT * FROM run_manifest").df().iloc[0]
    if "code_hash" not in run or run["code_hash"] != code_hash():
        return Plan(why_full="the tool, SQL models, contract or expectation suites changed")
    if run["config_hash"] != config_hash(config):
        return Plan(why_full="equity.yml changed")
    if old.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'metric_results'").fetchone()[0]:
        return Plan(why_full="previous database holds Spark results only")
    files = {r["table_name"]: r for r in old.execute("SELECT * FROM manifest_files").df().to_dict("records")}
    clean = set()
    for name, sf in sources.items():
        if sf.path is None or name not in files:
            continue
        sf.sha256, sf.size = source_digest(sf)
        if files[name]["sha256"] == sf.sha256 and int(files[name]["size_bytes"]) == sf.size:
            clean.add(name)
    params = old.execute("SELECT * FROM build_params").df().iloc[0].to_dict()
    models = {r[0] for r in old.execute("SELECT model FROM manifest_models WHERE status = 'built'").fetchall()}
    return Plan(previous=db_path, clean=clean, files=files, params=params, models=models)


def changed_sources(p: Plan, sources: dict[str, SourceFile]) -> set[str]:
    """Sources whose loaded rows may differ from the last build: changed files, and children
    of a changed parent (their orphan check may now quarantine other rows)."""
    changed = set(sources) - p.clean
    grew = True
    while grew:
        before = len(changed)
        changed |= {n for n, sf in sources.items() if set(sf.table.references.values()) & changed}
        grew = len(changed) > before
    return changed


def sources_to_read(p: Plan, sources: dict[str, SourceFile], also: set[str] = frozenset()) -> set[str]:
    """Sources to read this time: changed ones, the always-read core, `also`, and the
    parents of every source read (its orphan check needs them)."""
    if not p.active:
        return set(sources)
    read = changed_sources(p, sources) | ((set(ALWAYS_READ) | set(also)) & set(sources))
    grew = True
    while grew:
        before = len(read)
        for name in list(read):
            read |= {q for q in sources[name].table.references.values() if q in sources}
        grew = len(read) > before
    return read


def models_to_reuse(p: Plan, sources: dict[str, SourceFile], params: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(models whose every input is unchanged and that the previous build built, sources the
    models to rebuild read)."""
    models = load_models()
    known = set(models) | source_names(models) | {"build_params"}
    runnable, _ = build_order(models, {f"src_{n}" for n in sources} | {"build_params"})
    reuse: set[str] = set()
    if p.active:
        params_same = _same_params(p.params, params)
        dirty_sources = {f"src_{n}" for n in changed_sources(p, sources)}
        for m in runnable:
            deps = m.depends_on(known)
            if (
                m.name in p.models
                and not deps & dirty_sources
                and all(d in reuse for d in deps if d in models)
                and (params_same or "build_params" not in deps)
            ):
                reuse.add(m.name)
    needed = {
        d.removeprefix("src_")
        for m in runnable
        if m.name not in reuse
        for d in m.depends_on(known)
        if d.startswith("src_")
    }
    return reuse, needed


def _same_params(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    if old is None:
        return False
    norm = lambda d: json.dumps(
        {
            k: str(v)[:10] if "start" in k or k == "as_of" else str(v)  # noqa: E731
            for k, v in sorted(d.items())
        }
    )
    return norm(old) == norm(new)


def forget_sources(con, p: Plan, names: set[str], sources: dict[str, SourceFile] | None = None) -> None:
    """Before sources are read into a copy of the last database: drop their old quarantine
    rows, and those of files no longer in the folder (when `sources` is given)."""
    if not p.active:
        return
    if names:
        marks = ", ".join("?" for _ in names)
        con.execute(f"DELETE FROM quarantine WHERE table_name IN ({marks})", sorted(names))
    if sources is not None:
        marks = ", ".join("?" for _ in sources)
        con.execute(f"DELETE FROM quarantine WHERE table_name NOT IN ({marks})", sorted(sources))


def previous_file_row(p: Plan, sf: SourceFile) -> dict[str, Any]:
    """The manifest row of an unread (unchanged) source; its quarantine rows stay as they are."""
    row = dict(p.files[sf.table.name])
    sf.rows_in = int(row["rows_in"])
    if row.get("records_loaded") is None or row["records_loaded"] != row["records_loaded"]:  # NaN: older build
        row["records_loaded"] = row["rows_loaded"]
    row["file"] = sf.display
    return row


def kept_rows(con, model: Model) -> int:
    """A reused model is already in the copy: its row count."""
    return int(con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0])


def drop_unbuilt(con, p: Plan, models: dict[str, dict]) -> None:
    """Tables of models this build skipped (a family no longer supplied) leave the copy."""
    if p.active:
        for name, status in models.items():
            if status["status"] != "built":
                con.execute(f"DROP TABLE IF EXISTS {name}")


def previous_expectations(con, p: Plan, suites: set[str]) -> list[dict[str, Any]]:
    """The last build's expectation results for staged tables that were kept (read before the
    copy's dq_expectations table is replaced)."""
    if not p.active or not suites:
        return []
    marks = ", ".join("?" for _ in suites)
    return (
        con.execute(f"SELECT * FROM dq_expectations WHERE suite IN ({marks})", sorted(suites)).df().to_dict("records")
    )
