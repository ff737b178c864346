"""compute(): one metric, one breakdown -> the long table, with CI and suppression applied.

Long table columns (LONG_COLUMNS): metric, period_start, period_end, period, dimensions,
group, numerator, denominator, value, ci_low, ci_high, n, suppressed, note. `dimensions` is
e.g. `gender|race_ethnicity`, `group` e.g. `Woman|Black or African American`; the overall
row has dimensions '' and group 'All'. Family functions may add columns after these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ..config import MIN_SURVEY_K, effective_k
from ..db import built_tables, has_table, scalar
from ..sqlsafe import ident
from ..errors import UsageError
from ..privacy.protect import PROTECTED_BELOW_K, protect_table
from ._context import build_context  # below the engine, with the long table's shape (_long)
from ._frame import Query, all_dimensions
from ._long import BLANKED, LONG_COLUMNS, add_ci, whole_counts
from ._periods import PARTIAL_NOTE, Period, latest_full_period, make_periods
from ._published import protected_request
from ._refusals import NoDataError, refuse_weighted
from ._registry import MetricSpec, registry
from ._results import precomputed_table
from ._snapshots import refuse_snapshot
from ._suppression import suppression_mask

MAX_DIMS = 3


def data_periods(
    con: duckdb.DuckDBPyConnection, grain: str = "year", ctx: dict[str, Any] | None = None
) -> list[Period]:
    """The periods of `grain` over the build's whole data window (fiscal-year aware)."""
    ctx = ctx or build_context(con)
    return make_periods(grain, ctx["history_start"], ctx["as_of"], ctx["config"]["fiscal_year_start_month"])


def latest_full_data_period(
    con: duckdb.DuckDBPyConnection, grain: str = "year", ctx: dict[str, Any] | None = None
) -> Period:
    """The latest full period of the build's data window (the rule in _periods.py)."""
    return latest_full_period(data_periods(con, grain, ctx))


def spec_k(spec: MetricSpec, config: dict[str, Any], k: int | None) -> int:
    """The threshold for this metric: --k if given (never below the setting's own floor),
    else the setting the registry names (privacy.k, or privacy.survey_k for survey data)."""
    setting = spec.k_setting.split(".")[-1]
    floor = MIN_SURVEY_K if setting == "survey_k" else None
    value = config["privacy"][setting] if k is None else k
    if floor is not None and value < floor:
        raise UsageError(f"{spec.name} is survey data: k must be at least {floor} (got {value})")
    return effective_k(config, value)


def validate_dims(spec: MetricSpec, by: list[str] | tuple[str, ...]) -> list[str]:
    dims = [d.strip() for d in by if d and d.strip()]
    if len(dims) > MAX_DIMS:
        raise UsageError(f"at most {MAX_DIMS} breakdown dimensions (got {len(dims)})")
    if len(set(dims)) != len(dims):
        raise UsageError("a breakdown dimension is repeated")
    for d in dims:
        if d not in spec.dimensions:
            raise UsageError(f"{spec.name} cannot be broken down by '{d}'; allowed: {', '.join(spec.dimensions)}")
    return dims


def _labels(df: pd.DataFrame, dims: list[str]) -> tuple[list[str], list[str]]:
    dim_labels, groups = [], []
    gid = df["_gid"].to_numpy()
    cols = [df[d].to_numpy() for d in dims]
    for i in range(len(df)):
        present = [j for j in range(len(dims)) if not (int(gid[i]) >> (len(dims) - 1 - j)) & 1]
        dim_labels.append("|".join(dims[j] for j in present))
        # '|' separates groups, so it is replaced inside a value (documented in the contract)
        groups.append("|".join(str(cols[j][i]).replace("|", "/") for j in present) or "All")
    return dim_labels, groups


def _with_overall_rows(df: pd.DataFrame, spec: MetricSpec, dims: list[str], periods) -> pd.DataFrame:
    """Every period gets its overall row, even with nothing to count (0 hires is a result)."""
    all_gid = (1 << len(dims)) - 1
    have = set(pd.to_datetime(df.loc[df["_gid"] == all_gid, "period_start"]).dt.date) if len(df) else set()
    missing = [p for p in periods if p.start not in have]
    if not missing:
        return df
    zero = 0.0 if spec.unit == "count" else np.nan
    extra = pd.DataFrame(
        {
            "period_start": [p.start for p in missing],
            "period_end": [p.end for p in missing],
            "_gid": all_gid,
            "numerator": 0,
            "n": 0,
            "value": zero,
        }
    )
    if not len(df):  # nothing counted at all: keep the dimension columns the function returned
        return extra.reindex(columns=list(dict.fromkeys([*df.columns, *extra.columns])))
    return pd.concat([df, extra], ignore_index=True)


def finalize(
    df: pd.DataFrame,
    spec: MetricSpec,
    dims: list[str],
    k: int,
    periods,
    suppress: bool = True,
    salt: str | None = None,
    filters: dict[str, list[str]] | None = None,
    hide: bool = True,
) -> pd.DataFrame:
    """CI, protection or suppression, labels, column order, sort: the shared last step for
    every metric. With `salt` the table is protected (published figures: perturbed, hidden
    below k); without it, `suppress` gives the data owner's exact table with n<k and
    complementary suppression (or nothing hidden at all for audits)."""
    if "_gid" not in df:
        df["_gid"] = 0
    df = _with_overall_rows(df, spec, dims, periods)
    for dim in dims:  # a function with nothing to report may return no dimension columns
        if dim not in df:
            df[dim] = None
    for col in ("numerator", "denominator", "value", "n", "note"):
        if col not in df:
            df[col] = np.nan if col != "note" else ""
    df = df.reset_index(drop=True)
    hidden = None
    if salt is not None:
        df, hidden = protect_table(df, spec, dims, k, salt, dict(filters or {}))
    df = add_ci(df, spec)
    if hidden is not None:
        hidden = hidden & hide  # hide=False: parts of a multi-value filter, hidden once summed
        df["suppressed"] = hidden
        reasons = np.where(hidden, PROTECTED_BELOW_K, None).astype(object)
    elif suppress:
        df["suppressed"], reasons = suppression_mask(df, dims, k, ["period_start", *spec.keys])
    else:
        df["suppressed"], reasons = False, [None] * len(df)
    df["note"] = df["note"].fillna("").astype(object)
    partial = {p.start: p for p in periods}
    notes = []
    for i, (note, why, start) in enumerate(zip(df["note"], reasons, df["period_start"])):
        parts = [why] if why else []
        p = partial.get(pd.Timestamp(start).date())
        if p is not None and p.is_partial:
            parts.append(PARTIAL_NOTE)
        if note and not why:
            parts.append(note)
        notes.append("; ".join(parts))
    df["note"] = notes
    # extra columns (test statistics, reference groups ...) follow their row's suppression too
    for col in [
        c
        for c in df.columns
        if c not in LONG_COLUMNS and not c.startswith("_") and c not in dims and c not in spec.keys
    ]:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        df[col] = df[col].where(~df["suppressed"]) if numeric else df[col].astype(object).where(~df["suppressed"], None)
    for col in BLANKED:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float).where(~df["suppressed"])
    whole_counts(df)
    df["dimensions"], df["group"] = _labels(df, dims)
    df["metric"] = spec.name
    labels = {p.start: p.label for p in periods}
    df["period_start"] = pd.to_datetime(df["period_start"]).dt.date
    df["period_end"] = pd.to_datetime(df["period_end"]).dt.date
    df["period"] = df["period_start"].map(labels)
    df["_level"] = df["dimensions"].map(lambda s: 0 if not s else s.count("|") + 1)
    df = df.sort_values(["period_start", *spec.keys, "_level", "dimensions", "group"], kind="stable")
    extra = [c for c in df.columns if c not in LONG_COLUMNS and not c.startswith("_") and c not in dims]
    extra = list(spec.keys) + [c for c in extra if c not in spec.keys]
    out = df[LONG_COLUMNS + extra].reset_index(drop=True)
    out.attrs["k"] = k
    return out


def compute(
    con: duckdb.DuckDBPyConnection,
    name: str,
    by=(),
    period: str = "year",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    k: int | None = None,
    filters: dict[str, list[str]] | None = None,
    exact: bool = False,
    configured_range: bool = False,
) -> pd.DataFrame:
    """The long table for metric `name` broken down by `by` (0-3 dimensions).

    Protected (for publication) by default. `exact=True` is the data owner's table: exact
    figures with cells below k and their complements suppressed, not for publication.
    `configured_range`: the custom range comes from configuration (a commitment's checkpoint
    window), not from a viewer, so it is one fixed range like a period."""
    if exact:
        return _table(con, name, by, period, date_from, date_to, k, filters, suppress=True)
    return protected_table(con, name, by, period, date_from, date_to, k, filters, configured_range)


def protected_table(
    con, name, by=(), period="year", date_from=None, date_to=None, k=None, filters=None, configured_range: bool = False
) -> pd.DataFrame:
    """The published table: whole periods only, multi-value filters as sums of one-value
    parts (so every published figure is a sum of canonical cells), then protected."""
    return protected_request(
        con, name, list(by), period, date_from, date_to, k, dict(filters or {}), _table, configured_range
    )


def unsuppressed_table(con: duckdb.DuckDBPyConnection, name: str, by=(), **kwargs) -> pd.DataFrame:
    """The same table without suppression. For tests and audits only: never publish it."""
    return _table(
        con,
        name,
        by,
        suppress=False,
        **{"period": "year", "date_from": None, "date_to": None, "k": None, "filters": None, **kwargs},
    )


def metric_query(cur, spec: MetricSpec, dims: list[str], period, date_from, date_to, k, filters) -> Query:
    """The Query a metric function reads: the build's config, the periods of the request over
    the build's window, and in params the run context and the threshold (`k`), passed on so a
    metric can keep groups below k out of derived values (the reference group of a gap or an
    impact ratio) with the same threshold finalize() uses."""
    ctx = build_context(cur)
    config = ctx["config"]
    periods = make_periods(
        period, ctx["history_start"], ctx["as_of"], config["fiscal_year_start_month"], date_from, date_to
    )
    params = {**ctx, "k": spec_k(spec, config, k)}
    return Query(con=cur, dims=dims, periods=periods, filters=dict(filters or {}), config=config, params=params)


def metric_rows(spec: MetricSpec, q: Query) -> pd.DataFrame:
    """The metric function's unsuppressed rows for `q` (every subset of q.dims, with _gid)."""
    return spec.load_function()(q)


def _table(
    con, name, by, period, date_from, date_to, k, filters, suppress: bool, salt=None, hide=True, rows=metric_rows
) -> pd.DataFrame:
    """One finalized table; `rows(spec, q)` gives the function's rows (a batch that computed
    them for a wider breakdown serves them from there: pipelines/spark/results.py)."""
    specs = registry()
    if name not in specs:
        raise UsageError(f"unknown metric '{name}'; `equity list` shows the registry")
    spec = specs[name]
    dims = validate_dims(spec, list(by))
    cur = con.cursor()  # one cursor per call: registered views stay private to this request
    catalog = scalar(con, "SELECT current_database()")  # a cursor starts in the default catalog;
    cur.execute(f"USE {ident(catalog)}")  # keep the caller's (an ATTACHed DB)
    try:
        missing = [t for t in spec.requires if not has_table(cur, t)]
        if missing and set(missing) <= built_tables(cur):  # a results database from Spark
            return precomputed_table(
                cur,
                spec,
                dims,
                period,
                date_from,
                date_to,
                k,
                filters,
                build_context(cur),
                suppress=suppress or salt is not None,
            )
        if missing:
            raise NoDataError(
                f"no data loaded for {spec.family} metrics ({', '.join(missing)} "
                f"not built: supply the family's CSVs and rebuild)"
            )
        refuse_weighted(cur, spec)
        refuse_snapshot(cur, spec)
        for dim in filters or {}:
            if dim not in all_dimensions() or dim not in spec.dimensions:
                raise UsageError(f"cannot filter {spec.name} by '{dim}'")
        q = metric_query(cur, spec, dims, period, date_from, date_to, k, filters)
        raw = rows(spec, q)
        # q.periods: a family whose periods are not calendar ranges (survey waves) replaces
        # them, and labels/overall rows must follow the rows it returned
        return finalize(
            raw, spec, dims, q.params["k"], q.periods, suppress=suppress, salt=salt, filters=filters, hide=hide
        )
    finally:
        cur.close()
