"""Where each application got to in the funnel, as SQL over the recruiting marts.

The stage order is a setting (`recruiting.stage_order`), and the SQL models cannot read
settings, so the marts keep the stages as recorded and the order is applied here, per query,
through a registered `q_stage_order(stage, position)` relation (stage names never become SQL).

Definitions (docs/metrics.md repeats them):
- An application *reached* stage S when its furthest stage is S or later. The furthest stage is
  the latest recorded stage in the configured order; status `hired` means the last stage.
  Every application is in the first stage. Records of stages not in the order are ignored
  and counted (`funnel_data_issues`).
- At a stage it reached, an application *passed* (reached a later stage), is *open* (its
  furthest stage and status in_progress), *withdrew* or was *rejected* there. It is *decided*
  when it passed or was rejected (or withdrew, when `withdrawn_counts_as_rejected` is true):
  open applications have not finished the stage and are left out of its pass-through.
- The bottom line is the same for the whole funnel: selected = reached the last stage.
"""

from __future__ import annotations

import pandas as pd

from pipelines.errors import DataError
from pipelines.sqlsafe import literal
from pipelines.config import setting
from pipelines.metrics._frame import Query

BOTTOM_LINE = "bottom line"  # the `stage` key of hired / applied rows


def stage_order(config: dict) -> list[str]:
    """The configured stages, lower-cased as staging lower-cases recorded stages."""
    raw = setting(config, "recruiting.stage_order")
    if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(s, str) and s.strip() for s in raw):
        raise DataError(f"recruiting.stage_order must list at least two stage names (got {raw!r})", file="equity.yml")
    stages = [s.strip().lower() for s in raw]
    if len(set(stages)) != len(stages) or BOTTOM_LINE in stages:
        raise DataError(
            f"recruiting.stage_order must name each stage once and not use '{BOTTOM_LINE}' (got {raw!r})",
            file="equity.yml",
        )
    return stages


def withdrawn_counts(config: dict) -> bool:
    value = config["recruiting"]["withdrawn_counts_as_rejected"]
    if not isinstance(value, bool):
        raise DataError(
            f"recruiting.withdrawn_counts_as_rejected must be true or false (got {value!r})", file="equity.yml"
        )
    return value


def register_stage_order(q: Query) -> list[str]:
    stages = stage_order(q.config)
    q.con.register("q_stage_order", pd.DataFrame({"stage": stages, "position": range(len(stages))}))
    return stages


def applications_sql(q: Query) -> str:
    """One row per application applied for in each period: furthest position, status, dims."""
    last = len(stage_order(q.config)) - 1
    return (
        "WITH recorded AS (SELECT s.application_id, max(o.position) AS furthest_recorded "
        "  FROM fct_application_stages s JOIN q_stage_order o ON o.stage = s.stage "
        "  GROUP BY s.application_id) "
        "SELECT p.period_start, p.period_end, a.application_id, a.status, a.applied_date, "
        "  a.source AS _source, "  # under its own name: `source` may also be a breakdown dimension
        f"  CASE WHEN a.status = 'hired' THEN {last} ELSE coalesce(r.furthest_recorded, 0) END AS furthest"
        f"{q.dim_select('a', 'p.period_end')} "
        "FROM q_periods p JOIN fct_applications a "
        "  ON a.applied_date BETWEEN p.period_start AND p.period_end "
        "LEFT JOIN recorded r ON r.application_id = a.application_id "
        f"WHERE true{q.filter_where('a', 'p.period_end')}"
    )


def stage_rows_sql(q: Query) -> str:
    """One row per application per stage it reached (all but the last stage), with its outcome there."""
    last = len(stage_order(q.config)) - 1
    counts = "TRUE" if withdrawn_counts(q.config) else "FALSE"
    return (
        "SELECT a.*, o.stage, o.position, "
        "  a.furthest > o.position AS passed, "
        "  a.furthest = o.position AND a.status = 'in_progress' AS still_open, "
        "  a.furthest = o.position AND a.status = 'withdrawn' AS withdrew, "
        "  a.furthest = o.position AND a.status = 'rejected' AS rejected, "
        f"  {counts} AS withdrawn_counts "
        f"FROM ({applications_sql(q)}) a JOIN q_stage_order o "
        f"  ON o.position <= a.furthest AND o.position < {last}"
    )


def decided_expr(prefix: str = "") -> str:
    """SQL: the application finished the stage (passed, rejected, or withdrew when that counts)."""
    return f"({prefix}passed OR {prefix}rejected OR ({prefix}withdrew AND {prefix}withdrawn_counts))"


def bottom_line_sql(q: Query) -> str:
    """One row per application with passed = reached the last stage, outcomes as for a stage."""
    last = len(stage_order(q.config)) - 1
    counts = "TRUE" if withdrawn_counts(q.config) else "FALSE"
    return (
        f"SELECT a.*, a.furthest = {last} AS passed, "
        f"  a.furthest < {last} AND a.status = 'in_progress' AS still_open, "
        f"  a.furthest < {last} AND a.status = 'withdrawn' AS withdrew, "
        f"  a.furthest < {last} AND a.status = 'rejected' AS rejected, "
        f"  {counts} AS withdrawn_counts "
        f"FROM ({applications_sql(q)}) a"
    )


OUTCOME_MEASURES = {
    "selected": "count_if(passed)",
    "decided": f"count_if({decided_expr()})",
    "entered": "count(*)",
    "open": "count_if(still_open)",
    "withdrawn": "count_if(withdrew)",
}


def stage_outcomes(q: Query, include_bottom_line: bool = False) -> pd.DataFrame:
    """Per period, stage (and optionally the bottom line) and CUBE(dims): outcome counts."""
    stages = register_stage_order(q)
    q.register_periods()
    df = q.frame(q.grouped(stage_rows_sql(q), OUTCOME_MEASURES, keys=["stage"]))
    if include_bottom_line:
        inner = f"SELECT *, {literal(BOTTOM_LINE)} AS stage FROM ({bottom_line_sql(q)})"
        df = pd.concat([df, q.frame(q.grouped(inner, OUTCOME_MEASURES, keys=["stage"]))], ignore_index=True)
    nxt = dict(zip(stages, stages[1:]))
    df["next_stage"] = df["stage"].map(nxt).fillna(stages[-1])
    return df


def stage_sort_key(stages: list[str]):
    """Sort key for a `stage` column: configured order, the bottom line last."""
    order = {s: i for i, s in enumerate([*stages, BOTTOM_LINE])}
    return lambda col: col.map(lambda s: order.get(s, len(order)))


def funnel_data_issues(con, config: dict) -> pd.DataFrame:
    """What the funnel could not use as recorded, and how it was treated (nothing is dropped
    silently): columns issue, count, treatment. Counts cover the whole build, not a period."""
    stages = stage_order(config)
    last = len(stages) - 1
    con.register("q_stage_order", pd.DataFrame({"stage": stages, "position": range(len(stages))}))
    rows = []
    unknown = con.execute(
        "SELECT s.stage, count(*) FROM fct_application_stages s "
        "WHERE s.stage NOT IN (SELECT stage FROM q_stage_order) GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    if unknown:
        listed = ", ".join(f"'{name}' ({n:,})" for name, n in unknown)
        rows.append(
            (
                "stage records with a stage not in recruiting.stage_order",
                sum(n for _, n in unknown),
                f"ignored: {listed}",
            )
        )
    # Without any stage record (no application_stages file: a one-stage funnel from status),
    # status is the only record, so a hire "without the last stage" is the design, not an issue.
    has_stage_records = con.execute("SELECT count(*) > 0 FROM fct_application_stages").fetchone()[0]
    checks = [
        (
            "applications with status hired but no record of the last stage",
            f"a.status = 'hired' AND coalesce(r.furthest, -1) < {last}" if has_stage_records else "false",
            "counted as hired (status wins)",
        ),
        (
            "applications with the last stage recorded but status not hired",
            f"a.status <> 'hired' AND r.furthest = {last}",
            "counted as hired (the stage record wins)",
        ),
        (
            "applications with a later stage recorded but an earlier one missing",
            "r.furthest - r.recorded_after_first > 0",
            "counted as having passed the missing stage; no time in stage for it",
        ),
        (
            "applications with a stage dated before the application date",
            "r.first_date < a.applied_date",
            "kept; negative days are left out of time in stage",
        ),
        (
            "applications still in progress on the as-of date",
            "a.status = 'in_progress'",
            "left out of the pass-through of the stage they are in; censored in time in stage",
        ),
    ]
    recorded = (
        "SELECT s.application_id, max(o.position) AS furthest, min(s.entered_date) AS first_date, "
        "count(DISTINCT o.position) FILTER (WHERE o.position > 0) AS recorded_after_first "
        "FROM fct_application_stages s JOIN q_stage_order o ON o.stage = s.stage GROUP BY 1"
    )
    # one pass over the applications for every check (each hiring metric asks for these notes)
    counts = con.execute(
        f"SELECT {', '.join(f'count_if({condition})' for _, condition, _ in checks)} "
        f"FROM fct_applications a LEFT JOIN ({recorded}) r ON r.application_id = a.application_id"
    ).fetchone()
    for (issue, _, treatment), n in zip(checks, counts):
        if n:
            rows.append((issue, int(n), treatment))
    return pd.DataFrame(rows, columns=["issue", "count", "treatment"])
