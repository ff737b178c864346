"""The config and data window a database was built with, read from its run_manifest.

Below the engine: the published request (_published.py) widens --from/--to to whole periods
of this window, and the engine imports that module."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from ..config import with_defaults
from ..db import first_row
from ..errors import UsageError


def build_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The config and window the database was built with (from run_manifest). A setting the
    stored config lacks (a database built before the setting existed) comes from the packaged
    defaults.yml, so code reads every setting by its key and never repeats a default."""
    row = first_row(con, "SELECT config_json, history_start, as_of, run_id FROM run_manifest")
    if row is None:
        raise UsageError("the database has no run_manifest; rebuild it with `equity build`")
    return {"config": with_defaults(json.loads(row[0])), "history_start": row[1], "as_of": row[2], "run_id": row[3]}
