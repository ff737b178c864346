"""Serving metric tables from a results-only database (written by `equity build --engine spark`).

Such a database holds no marts: they stayed on the cluster. For every registry metric it
holds the suppressed long tables that were precomputed there (`metric_results` lists them:
metric, breakdown, grain, k, rows, and the error when one could not be computed;
`metric_results__<metric>` holds the rows). compute()
answers from them when the marts are absent, exactly as it would have answered on the marts,
or says clearly which request was not precomputed. Nothing unsuppressed is ever stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from ..db import has_table
from ..errors import UsageError
from ..sqlsafe import ident, safe_name
from ._long import BLANKED, LONG_COLUMNS, whole_counts
from ._periods import make_periods
from ._registry import MetricSpec

RESULTS_INDEX = "metric_results"
KEY_COLUMNS = ["_breakdown", "_grain", "_row"]  # which request a stored row answers, and its order


class NotPrecomputedError(UsageError):
    """The results database has no table for this request (breakdown, grain, filter, k)."""


KEPT_ON_CLUSTER = (
    "it needs the person-level tables, which stay on the cluster when the database is "
    "built with `equity build --engine spark` (see docs/running_on_a_cluster.md)"
)


def stayed_on_cluster(con, exc: BaseException) -> bool:
    """Is `exc` a request that a results-only database cannot answer (rather than a bug)?"""
    if isinstance(exc, NotPrecomputedError):
        return True
    return isinstance(exc, duckdb.CatalogException) and has_table(con, RESULTS_INDEX)


def results_table(metric: str) -> str:
    return f"{RESULTS_INDEX}__{safe_name(metric)}"


def breakdown_key(dims: list[str] | tuple[str, ...]) -> str:
    return "|".join(dims)


def _precomputed(con, metric: str) -> list[tuple[str, str, int, str | None]]:
    return [
        tuple(r)
        for r in con.execute(
            f"SELECT breakdown, grain, k, error FROM {RESULTS_INDEX} WHERE metric = ? ORDER BY grain, breakdown",
            [metric],
        ).fetchall()
    ]


def _listing(available: list[tuple[str, str, int, str | None]]) -> str:
    grains: dict[str, list[str]] = {}
    for breakdown, grain, _k, _error in available:
        grains.setdefault(grain, []).append(breakdown.replace("|", " x ") or "overall")
    return "; ".join(f"per {g}: {', '.join(b)}" for g, b in grains.items()) or "none"


def precomputed_table(
    con,
    spec: MetricSpec,
    dims: list[str],
    period: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    k: int | None,
    filters: dict[str, list[str]] | None,
    ctx: dict[str, Any],
    suppress: bool = True,
) -> pd.DataFrame:
    """The stored suppressed table for this request; NotPrecomputedError when there is none."""
    hint = (
        "this database holds results precomputed on Spark (the person-level marts stayed "
        "on the cluster); add the request to `spark.results` in equity.yml and rebuild"
    )
    if not suppress:
        raise NotPrecomputedError(f"only suppressed tables are stored; {hint}")
    if any(filters.values() if filters else ()):
        raise NotPrecomputedError(f"filters ({', '.join(sorted(filters))}) need the marts; {hint}")
    available = _precomputed(con, spec.name)
    match = [row for row in available if row[:2] == (breakdown_key(dims), period)]
    if not match:
        raise NotPrecomputedError(
            f"{spec.name} by {' x '.join(dims) or 'overall'} per {period} was "
            f"not precomputed (available: {_listing(available)}); {hint}"
        )
    stored_k, error = match[0][2], match[0][3]
    if error:
        raise NotPrecomputedError(
            f"{spec.name} by {' x '.join(dims) or 'overall'} per {period} could "
            f"not be computed when the results were built ({error})"
        )
    if k is not None and k != stored_k:
        raise NotPrecomputedError(f"results were suppressed with k={stored_k}, not {k}; {hint}")
    table = con.execute(
        f"SELECT * FROM {ident(results_table(spec.name))} WHERE _breakdown = ? AND _grain = ? ORDER BY _row",
        [breakdown_key(dims), period],
    ).df()
    for col in ("period_start", "period_end"):
        table[col] = pd.to_datetime(table[col]).dt.date
    if date_from is not None or date_to is not None:
        table = _within(table, period, date_from, date_to, ctx, hint)
    return published_types(table.drop(columns=KEY_COLUMNS).reset_index(drop=True))


def _within(table: pd.DataFrame, period: str, date_from, date_to, ctx: dict[str, Any], hint: str) -> pd.DataFrame:
    """The stored periods a --from/--to request covers, when they are exactly what compute()
    would have produced: whole stored calendar periods (a period cut by the dates would have
    been recomputed on the shorter range)."""
    fiscal = ctx["config"]["fiscal_year_start_month"]
    stored = set(zip(table["period_start"], table["period_end"]))
    calendar = {(p.start, p.end) for p in make_periods(period, ctx["history_start"], ctx["as_of"], fiscal)}
    if stored != calendar:  # the family replaced the periods (e.g. survey waves)
        raise NotPrecomputedError(
            f"this metric's periods are not calendar {period}s; date limits need the marts; {hint}"
        )
    periods = make_periods(period, ctx["history_start"], ctx["as_of"], fiscal, date_from, date_to)
    for p in periods:
        if (p.start, p.end) not in stored:
            bounds = ", ".join(sorted({str(s) for s, _ in stored}))
            raise NotPrecomputedError(
                f"precomputed {period}s start on {bounds}; --from/--to must fall "
                f"on their boundaries (got {p.start} to {p.end}); {hint}"
            )
    return table[table["period_start"].isin({p.start for p in periods})]


def published_types(table: pd.DataFrame) -> pd.DataFrame:
    """The dtypes compute() publishes, restored after a round trip through a database."""
    table["suppressed"] = table["suppressed"].astype(bool)
    table["note"] = table["note"].fillna("").astype(str)
    for col in BLANKED:
        table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    whole_counts(table)
    extra = [c for c in table.columns if c not in LONG_COLUMNS]
    return table[LONG_COLUMNS + extra]
