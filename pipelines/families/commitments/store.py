"""The register inside the metrics database: checked against the built data, then copied in,
so the dashboard, the CLI and the PDF read the register of the run they show.

Tables: `commitments` (one row per commitment), `commitment_actions` (one row per action) and
`commitments_meta` (source file, its SHA-256, and the name of the review-log file that sits
beside the metrics database).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from ...db import has_table
from ...errors import DataError
from ...metrics import build_context, compute
from .register import FILE_NAME, Action, Commitment, read_register
from .review_log import review_log_name
from .settings import commitment_settings

_SHOWN_VALUES = 12  # how many existing values an error message lists


def _error(c: Commitment, source: str, field_name: str, message: str) -> DataError:
    return DataError(f"commitment {c.id!r}, field '{field_name}': {message}", file=source, line=c.line)


def _listed(values) -> str:
    values = sorted({str(v) for v in values})
    more = f" and {len(values) - _SHOWN_VALUES} more" if len(values) > _SHOWN_VALUES else ""
    return ", ".join(values[:_SHOWN_VALUES]) + more if values else "none"


def check_against_data(con, c: Commitment, source: str) -> None:
    """The metric's data is loaded, the baseline is a full period of the data, the group and
    key values occur and the event exists; a DataError names the field otherwise."""
    spec = c.spec
    missing = [t for t in spec.requires if not has_table(con, t)]
    if missing:
        raise _error(
            c,
            source,
            "metric",
            f"{spec.name} needs {spec.family} data ({', '.join(missing)} not "
            "built); add the family's CSV files or remove the commitment",
        )
    table = compute(con, c.metric, by=list(c.dims), period="year", filters=c.filters)
    periods = table.drop_duplicates("period")
    if c.baseline_period not in set(periods["period"]):
        raise _error(
            c,
            source,
            "baseline_period",
            f"no period {c.baseline_period!r} in the data; periods: {_listed(periods['period'])}",
        )
    base = periods[periods["period"] == c.baseline_period].iloc[0]
    if "partial period" in base["note"]:  # the engine marks every row of a clipped period
        raise _error(
            c,
            source,
            "baseline_period",
            f"{c.baseline_period} is only partly covered by the data window; choose a full period",
        )
    if base["period_start"] > c.due:
        raise _error(c, source, "baseline_period", f"{c.baseline_period} starts after the due date {c.due}")
    rows = table[table["dimensions"] == "|".join(c.dims)]
    if c.group not in set(rows["group"]):
        by = " x ".join(c.dims) or "overall"
        raise _error(
            c,
            source,
            "group",
            f"no group {c.group!r} by {by} in the data"
            f"{' with these filters' if c.filters else ''}; groups: {_listed(rows['group'])}",
        )
    for key, value in c.keys.items():
        if value not in set(table[key].astype(str)):
            raise _error(c, source, "keys", f"{key} {value!r} does not occur; values: {_listed(table[key])}")
    if c.event:
        labels = (
            [r[0] for r in con.execute("SELECT label FROM fct_events").fetchall()]
            if has_table(con, "fct_events")
            else []
        )
        if c.event.strip().lower() not in {str(lab).strip().lower() for lab in labels}:
            raise _error(c, source, "event", f"no event {c.event!r} in reference/events.csv; events: {_listed(labels)}")


REGISTER_TABLES = ["commitments", "commitment_actions", "commitments_meta"]  # written below


def write_register(con, data_dir: Path, db_name: str) -> dict | None:
    """Check `data_dir`/commitments.yml against the data being built and copy it into `con`.

    Returns the manifest row for the file (None when the folder has no register). Called by
    the build after the run manifest is written (compute() needs it)."""
    register = read_register(data_dir)
    if register is None:
        return None
    path = Path(data_dir) / FILE_NAME
    source = str(path)
    commitment_settings(build_context(con)["config"])  # a bad setting fails the build, not the page
    for c in register:
        check_against_data(con, c, source)
    raw = path.read_bytes()
    rows = [
        {
            "position": i,
            "id": c.id,
            "title": c.title,
            "announced": c.announced,
            "owner": c.owner,
            "metric": c.metric,
            "dimensions": "|".join(c.dims),
            "group_label": c.group,
            "filters_json": json.dumps(c.filters),
            "keys_json": json.dumps(c.keys),
            "baseline_period": c.baseline_period,
            "target": c.target,
            "due": c.due,
            "status": c.status,
            "event": c.event,
            "line": c.line,
        }
        for i, c in enumerate(register)
    ]
    actions = [{"commitment_id": c.id, "action_date": a.date, "action": a.text} for c in register for a in c.actions]
    _write(con, "commitments", pd.DataFrame(rows))
    _write(con, "commitment_actions", pd.DataFrame(actions, columns=["commitment_id", "action_date", "action"]))
    _write(
        con,
        "commitments_meta",
        pd.DataFrame(
            [
                {
                    "source_file": FILE_NAME,
                    "sha256": hashlib.sha256(raw).hexdigest(),
                    "review_log_name": review_log_name(db_name),
                }
            ]
        ),
    )
    return {
        "file": FILE_NAME,
        "table_name": "commitments",
        "family": "commitments",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size_bytes": len(raw),
        "rows_in": len(register),
        "rows_loaded": len(register),
        "rows_quarantined": 0,
    }


def _write(con, name: str, frame: pd.DataFrame) -> None:
    con.register("_register_frame", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _register_frame")
    con.unregister("_register_frame")


def load_register(con) -> list[Commitment]:
    """The register stored with this run (empty when the data folder had none)."""
    if not has_table(con, "commitments"):
        return []
    actions: dict[str, list[Action]] = {}
    for cid, day, text in con.execute(
        "SELECT commitment_id, action_date, action FROM commitment_actions ORDER BY commitment_id, action_date"
    ).fetchall():
        actions.setdefault(cid, []).append(Action(date=day, text=text))
    out = []
    for r in con.execute("SELECT * FROM commitments ORDER BY position").df().to_dict("records"):
        out.append(
            Commitment(
                id=r["id"],
                title=r["title"],
                announced=pd.Timestamp(r["announced"]).date(),
                owner=r["owner"],
                metric=r["metric"],
                dims=tuple(d for d in r["dimensions"].split("|") if d),
                group=r["group_label"],
                baseline_period=r["baseline_period"],
                target=float(r["target"]),
                due=pd.Timestamp(r["due"]).date(),
                status=r["status"],
                filters=json.loads(r["filters_json"]),
                keys=json.loads(r["keys_json"]),
                actions=tuple(actions.get(r["id"], [])),
                event=r["event"] if isinstance(r["event"], str) else None,
                line=None if pd.isna(r["line"]) else int(r["line"]),
            )
        )
    return out
