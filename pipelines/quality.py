"""Data-quality gate: Great Expectations suites (expectations/<staged table>.json) run on
every build against pandas frames of the staged tables.

GE 1.x cannot validate DuckDB through its SQL datasource here, so each staged table is
handed over as a pandas frame holding only the columns its suite mentions. An expectation
with GE severity `critical` is an *error* (the build stops); `warning`/`info` are recorded
and shown on the Data quality page.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd

from .db import table_columns
from .errors import DataError

log = logging.getLogger(__name__)

RESULT_COLUMNS = [
    "suite",
    "expectation",
    "column_name",
    "severity",
    "success",
    "unexpected_count",
    "element_count",
    "examples",
    "description",
]


def suites_dir() -> Path:
    """`expectations/` at the repository root (beside pipelines/)."""
    return Path(os.environ.get("EQUITY_EXPECTATIONS") or Path(__file__).resolve().parent.parent / "expectations")


def load_suites(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """{staged table: suite JSON} for every suite file."""
    directory = directory or suites_dir()
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}


def _suite_columns(suite: dict[str, Any]) -> list[str]:
    cols: list[str] = []
    for exp in suite["expectations"]:
        kw = exp.get("kwargs", {})
        for key in ("column", "column_A", "column_B"):
            if key in kw and kw[key] not in cols:
                cols.append(kw[key])
        for col in kw.get("column_list", []):
            if col not in cols:
                cols.append(col)
    return cols


@contextlib.contextmanager
def _without_spark_connect():
    """Hide pyspark.sql.connect while GE runs. GE probes for it when pyspark is installed,
    and that module calls sys.exit(0) when __main__ has no __file__ (python -c, notebooks),
    which would end a build silently with success. A DuckDB build, which has not imported
    PySpark, hides all of it: GE would otherwise import it (seconds, and a pandas warning)."""
    names = ("pyspark.sql.connect.dataframe", "pyspark.sql.connect.session")
    if "pyspark" not in sys.modules:
        names = ("pyspark", *names)
    blocked = [n for n in names if n not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # import of a None entry raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def _gx_context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # GE imports pyspark when installed; its pandas warning is noise here
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)  # GE resets its loggers on import
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return gx, context


FrameFor = Callable[[Any, str, list[str]], pd.DataFrame]


def whole_table_frame(con, table: str, columns: list[str]) -> pd.DataFrame:
    """The listed columns of every row of `table` (what GE validates by default)."""
    return con.execute(f"SELECT {', '.join(columns) or 'count(*) AS n'} FROM {table}").df()


def run_expectations(
    con: duckdb.DuckDBPyConnection, tables: list[str], directory: Path | None = None, frame_for: FrameFor | None = None
) -> list[dict[str, Any]]:
    """Validate each present staged table that has a suite; returns one row per expectation.

    `frame_for(con, table, columns)` gives the frame GE validates (default: the columns of
    every row; the Spark build may pass a sampling one)."""
    suites = {name: s for name, s in load_suites(directory).items() if name in tables}
    if not suites:
        return []
    with _without_spark_connect():
        return _validate(con, suites, frame_for or whole_table_frame)


def _validate(
    con: duckdb.DuckDBPyConnection, suites: dict[str, dict[str, Any]], frame_for: FrameFor
) -> list[dict[str, Any]]:
    gx, context = _gx_context()
    from great_expectations.core import ExpectationSuite

    rows: list[dict[str, Any]] = []
    source = context.data_sources.add_pandas("staged")
    for name, spec in suites.items():
        present = set(table_columns(con, name))
        conditions = " ".join(e.get("kwargs", {}).get("row_condition", "") for e in spec["expectations"])
        wanted = [c for c in _suite_columns(spec) if c in present]
        wanted += sorted(c for c in present if c not in wanted and re.search(rf"\b{c}\b", conditions))
        frame = frame_for(con, name, wanted)
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe("all")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        suite = ExpectationSuite(
            name=name,
            expectations=[
                {k: v for k, v in e.items() if k in ("type", "kwargs", "severity", "meta")}
                for e in spec["expectations"]
            ],
        )
        result = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})
        for res in result.results:
            cfg = res.expectation_config
            detail = res.result or {}
            examples = detail.get("partial_unexpected_list") or detail.get("observed_value")
            rows.append(
                {
                    "suite": name,
                    "expectation": cfg.type,
                    "column_name": cfg.kwargs.get("column", ""),
                    "severity": "error" if str(cfg.severity).lower().endswith("critical") else "warning",
                    "success": bool(res.success),
                    "unexpected_count": int(detail.get("unexpected_count") or 0),
                    "element_count": int(detail.get("element_count") or len(frame)),
                    "examples": json.dumps(examples, default=str) if examples is not None else "",
                    "description": (cfg.meta or {}).get("why", ""),
                }
            )
    failed = sum(not r["success"] for r in rows)
    log.info("expectations: %d checked, %d failed", len(rows), failed)
    return rows


def raise_on_errors(rows: list[dict[str, Any]]) -> None:
    """Stop the build when an error-severity expectation failed."""
    for r in rows:
        if r["severity"] == "error" and not r["success"]:
            raise DataError(
                f"data-quality check {r['expectation']} failed on {r['suite']}"
                f"{'.' + r['column_name'] if r['column_name'] else ''} "
                f"({r['unexpected_count']} unexpected; examples: {r['examples']}); "
                f"{r['description']}".rstrip("; ")
            )
