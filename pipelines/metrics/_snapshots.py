"""What a snapshot-shaped HR source (pipelines/mapping_snapshot.py) can support, per metric.

A workforce metric says in its registry entry (`from_snapshots`) what it needs from people
seen only on snapshot dates:
- `stock`: who is there on a day (headcount, representation): every snapshot source;
- `exits`: exits counted per interval: people linked across snapshots, and either a mapped
  exit (an attrition flag) or a second snapshot to be missing from;
- `hires`: hires counted per interval: linked people and a mapped hire date or a second
  snapshot to appear in (people of the first snapshot were there already);
- `changes`: job changes between snapshots: linked people and two snapshots at least;
- absent: the day of each hire and exit (tenure, retention curves, time to exit), which a
  snapshot records only to its interval: refused unless both dates were mapped.
Pay metrics read the people present on a day, which every snapshot gives.
"""

from __future__ import annotations

from ..db import first_row, has_table
from ._refusals import NoDataError

WHAT = {
    "exits": "follows each person from one snapshot to the next to find who left",
    "hires": "follows each person from one snapshot to the next to find who joined",
    "changes": "compares each person's job between snapshots",
    None: "needs the day of each hire and exit, which a snapshot records only to its interval",
}


def refuse_snapshot(con, spec) -> None:
    """Stop with a message naming the file when `spec` cannot be computed from the snapshots."""
    why = snapshot_refusal(con, spec)
    if why:
        raise NoDataError(why)


def snapshot_refusal(con, spec) -> str | None:
    """Why `spec` cannot be computed from this build's snapshot source; None when it can (or
    the HR data is not snapshot-shaped). Pages ask before drawing, so they can say it."""
    if spec.family != "workforce" or not has_table(con, "snapshot_sources"):
        return None
    row = first_row(
        con,
        "SELECT file, linked, snapshots, hire_dates_mapped, exits_mapped "
        "FROM snapshot_sources WHERE table_name = 'hr__employees'",
    )
    if row is None:
        return None
    file, linked, count, hires, exits = row
    need = spec.extra.get("from_snapshots")
    several = count is None or count > 1
    if need == "stock":
        return None
    if not linked:
        why = (
            f"the rows of {file} cannot be linked from one snapshot to the next (no person id: "
            f"generated ids), so each row is a person seen once"
        )
    elif need == "exits" and not (exits or several):
        why = f"{file} is one snapshot with no exit mapped (termination_date or an attrition flag)"
    elif need == "hires" and not (hires or several):
        why = f"{file} is one snapshot with no hire date mapped: everybody in it was there already"
    elif need == "changes" and not several:
        why = f"{file} is one snapshot"
    elif need in ("exits", "hires", "changes") or (hires and exits):
        return None
    else:
        why = f"{file} is snapshot-shaped (docs/data_contract.md, Snapshot-shaped HR input)"
    return (
        f"{spec.name} {WHAT.get(need, WHAT[None])}, but {why}. Supported here: "
        f"headcount, representation and the pay metrics per snapshot date"
        + ("" if not linked else "; see docs/data_contract.md for turnover from snapshots")
    )


def refuse_tenure_factor(con) -> None:
    """The pay factor `tenure_years` counts from each hire date, which a snapshot source has
    only when one was mapped (the left-censored placeholder is no hire date)."""
    if not has_table(con, "snapshot_sources"):
        return
    row = first_row(
        con, "SELECT file FROM snapshot_sources WHERE table_name = 'hr__employees' AND NOT hire_dates_mapped"
    )
    if row:
        raise NoDataError(
            f"the pay factor tenure_years needs hire dates, but {row[0]} is snapshot-shaped "
            f"without a mapped hire_date; set pay.legitimate_factors without it in equity.yml "
            f"(docs/data_contract.md, Snapshot-shaped HR input)"
        )
