"""SQL models: one SELECT per file under pipelines/sql/{staging,intermediate,marts}.

A model's dependencies are the other models and `src_*` tables its SQL names, so files need
no ordering headers; a model whose inputs are absent (an optional family not supplied) is
skipped, and so is everything downstream of it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from importlib import resources
from pathlib import Path

import duckdb

from .db import scalar, sql_errors
from .errors import EquityError
from .sqlsafe import safe_name

log = logging.getLogger(__name__)

LAYERS = ("staging", "intermediate", "marts")
_WORD = re.compile(r"\b[a-z_][a-z0-9_]*\b")


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    sql: str
    path: Path

    def depends_on(self, known: set[str]) -> set[str]:
        """Relations (models or source tables) named in the SQL, comments removed."""
        body = re.sub(r"--[^\n]*", "", self.sql)
        return {w for w in _WORD.findall(body.lower()) if w in known and w != self.name}


def sql_root() -> Path:
    return Path(str(resources.files("pipelines").joinpath("sql")))


def load_models() -> dict[str, Model]:
    """Every model file, keyed by file stem (which is the table name it creates)."""
    models = {}
    for layer in LAYERS:
        for path in sorted((sql_root() / layer).glob("*.sql")):
            name = safe_name(path.stem)
            models[name] = Model(name=name, layer=layer, sql=path.read_text(encoding="utf-8"), path=path)
    return models


def source_names(models: dict[str, Model]) -> set[str]:
    """Every `src_*` relation some model reads."""
    names: set[str] = set()
    for model in models.values():
        names |= {w for w in _WORD.findall(model.sql.lower()) if w.startswith("src_")}
    return names


def build_order(models: dict[str, Model], available: set[str]) -> tuple[list[Model], dict[str, str]]:
    """Models to run in dependency order, and the skipped ones with the reason."""
    known = set(models) | source_names(models) | {"build_params"}
    graph = {name: m.depends_on(known) for name, m in models.items()}
    order = list(TopologicalSorter(graph).static_order())
    runnable: list[Model] = []
    skipped: dict[str, str] = {}
    for name in order:
        if name not in models:
            continue
        missing = sorted(d for d in graph[name] if d not in models and d not in available)
        upstream = sorted(d for d in graph[name] if d in skipped)
        if missing:
            skipped[name] = f"input not supplied: {', '.join(missing)}"
        elif upstream:
            skipped[name] = f"depends on skipped model(s): {', '.join(upstream)}"
        else:
            runnable.append(models[name])
    return runnable, skipped


def run_models(
    con: duckdb.DuckDBPyConnection, available: set[str], progress=None, reuse: set[str] = frozenset(), copy=None
) -> dict[str, dict]:
    """Create a table per runnable model; returns {model: {layer, status, rows|reason, reused}}.

    Models in `reuse` are copied with `copy(con, model) -> rows` (an incremental build)."""
    models = load_models()
    runnable, skipped = build_order(models, available)
    status: dict[str, dict] = {
        n: {"layer": models[n].layer, "status": "skipped", "reason": r} for n, r in skipped.items()
    }
    for model in runnable:
        if model.name in reuse:
            status[model.name] = {"layer": model.layer, "status": "built", "rows": copy(con, model), "reused": True}
            log.info("model %s: reused", model.name)
            if progress:
                progress(f"{model.name} (unchanged, reused)")
            continue
        try:
            con.execute(f"CREATE OR REPLACE TABLE {model.name} AS {model.sql}")
        except sql_errors(con) as exc:  # DuckDB's, or the Spark adapter's
            raise EquityError(f"model {model.layer}/{model.name}.sql failed: {exc}") from exc
        rows = scalar(con, f"SELECT count(*) FROM {model.name}")
        status[model.name] = {"layer": model.layer, "status": "built", "rows": rows, "reused": False}
        log.info("model %s: %d rows", model.name, rows)
        if progress:
            progress(model.name)
    return status
