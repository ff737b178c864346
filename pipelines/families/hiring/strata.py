"""Stratified adverse-impact analysis: the pooled view next to the view within strata
(departments, levels, sources), with a Cochran-Mantel-Haenszel test per group and stage.

Why: pooled rates can point one way while every department points the other (Simpson's
paradox; the 1973 Berkeley admissions are the classic case: men were admitted more often
overall, yet within departments women were not disadvantaged, because women applied more to
departments that admitted few). So beside each pooled ratio this reports the Mantel-Haenszel
rate ratio (the within-strata counterpart of the impact ratio), the common odds ratio and the
CMH test, and says when the two conclusions disagree.

Privacy: pooled and per-stratum rows come from ONE table of groups x strata with all its
margins. Published (default): its counts are protected (cell-key) and every ratio, test and
the CMH statistics are computed from the protected counts (published.py), so subtracting
the strata shown from a pooled total, or solving the CMH figures for the strata behind them,
gives protected counts, not exact ones. Exact (`exact=True`, the data owner's): the table is
suppressed together by the engine (finalize, complementary suppression). Within a stratum the
reference is chosen among that stratum's published groups. A CMH row is published only for a
group whose pooled row is published, against the pooled reference group (itself published);
the per-stratum counts behind it are used, never shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.errors import UsageError
from pipelines.metrics._engine import build_context, finalize, metric_query, validate_dims
from pipelines.metrics._registry import registry
from .funnel import stage_outcomes
from pipelines.metrics._published import whole_period_range
from .impact import impact_rows
from .published import impact_from_protected, one_value_filters
from .stats import exact, mantel_haenszel
from pipelines.formatting import group_label

METRIC = "adverse_impact_ratio"
MAX_STRATIFIED_BY = 1
CMH_COLUMNS = [
    "period",
    "stage",
    "group",
    "reference_group",
    "pooled_ratio",
    "pooled_z",
    "pooled_flagged",
    "mh_rate_ratio",
    "mh_odds_ratio",
    "mh_or_low",
    "mh_or_high",
    "cmh_chi2",
    "cmh_z",
    "cmh_p",
    "strata",
    "pooled_conclusion",
    "stratified_conclusion",
    "disagree",
    "note",
]


@dataclass
class StratifiedImpact:
    by: list[str]
    stratify: str
    pooled: pd.DataFrame  # rows of the groups' breakdown (margin of the cross table, suppressed)
    strata: pd.DataFrame  # rows per stratum (`stratum` column; group All = the stratum's pool)
    cmh: pd.DataFrame  # one row per period, stage and published non-reference group


NO_DIFFERENCE = "no significant difference"


def _conclusion(z: float, z_threshold: float) -> str:
    if z is None or math.isnan(z) or abs(z) < z_threshold:
        return NO_DIFFERENCE
    return "selected less often" if z > 0 else "selected more often"


def views_disagree(pooled: str, stratified: str, pooled_flag: bool, mh_flag: bool, mh_ratio: float) -> bool:
    """Worth a Simpson's-paradox warning: the two views reach different conclusions, or fall
    either side of four-fifths while at least one of them is significant. Ratios either side
    of 0.8 with no significant difference in either view (pooled 0.79, stratified 0.82) are
    noise around the line, not a paradox."""
    if pooled != stratified:
        return True
    either_significant = NO_DIFFERENCE not in (pooled, stratified)
    return pooled_flag != mh_flag and not math.isnan(mh_ratio) and either_significant


def _verdict(below: bool) -> str:
    return "below four-fifths" if below else "at or above four-fifths"


def whole_window(con, date_from: dt.date | None = None, date_to: dt.date | None = None):
    """("custom", from, to) covering the data window (or the part asked for): adverse impact is
    usually judged on all applications of a span, not year by year (small groups need the n)."""
    ctx = build_context(con)
    lo = max(ctx["history_start"], date_from) if date_from else ctx["history_start"]
    hi = min(ctx["as_of"], date_to) if date_to else ctx["as_of"]
    from pipelines.metrics._published import whole_years

    if lo <= hi:
        lo, hi = whole_years(ctx, lo, hi)  # published ranges are whole years (docs/privacy.md)
    return "custom", lo, hi


def _label(values) -> str:
    return "|".join(str(v).replace("|", "/") for v in values)


def _checked(spec, by, stratify: str, filters: dict) -> list[str]:
    by = validate_dims(spec, list(by))
    if not by:
        raise UsageError("the stratified analysis needs at least one breakdown dimension (e.g. --by gender)")
    if len(by) > MAX_STRATIFIED_BY:
        # groups x a second identity x strata leaves most cells under k, and suppressing such a
        # table as a whole takes minutes: intersectional groups are compared in the pooled view
        raise UsageError(
            f"the stratified analysis takes one breakdown dimension (got {', '.join(by)}); "
            "compare intersectional groups without --stratify, or filter to one group"
        )
    if stratify not in spec.dimensions or stratify in by:
        raise UsageError(
            f"cannot stratify by '{stratify}': use one of {', '.join(d for d in spec.dimensions if d not in by)}"
        )
    if stratify in filters:
        raise UsageError(f"'{stratify}' is both a filter and the stratification")
    for dim in filters:
        if dim not in spec.dimensions:
            raise UsageError(f"cannot filter {METRIC} by '{dim}'")
    return by


def stratified_impact(
    con,
    by,
    stratify: str,
    period: str = "year",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    k: int | None = None,
    filters: dict[str, list[str]] | None = None,
    exact: bool = False,
) -> StratifiedImpact:
    """Published (protected) by default: every figure from protected counts (published.py);
    `exact=True` is the data owner's view (exact counts, suppressed together by finalize)."""
    spec = registry()[METRIC]
    filters = dict(filters or {}) if exact else one_value_filters(filters or {})
    by = _checked(spec, by, stratify, filters)
    dims = [*by, stratify]
    if not exact:
        date_from, date_to = whole_period_range(con, period, date_from, date_to)
    cur = con.cursor()
    try:
        q = metric_query(cur, spec, dims, period, date_from, date_to, k, filters)
        config = q.config
        outcomes = stage_outcomes(q, include_bottom_line=True)
        if exact:
            rows = impact_rows(q, within=[stratify], outcomes=outcomes.copy())
            table = finalize(rows, spec, dims, q.params["k"], q.periods)
        else:  # the CMH below then reads the protected counts of every stratum, hidden ones too
            table, outcomes = impact_from_protected(q, outcomes, [stratify], spec)
    finally:
        cur.close()
    pooled = table[table["dimensions"] == "|".join(by)].reset_index(drop=True)
    cmh = _cmh_rows(pooled, outcomes[outcomes["_gid"] == 0], by, stratify, config["recruiting"])
    return StratifiedImpact(
        by=list(by), stratify=stratify, pooled=pooled, strata=_strata_rows(table, by, stratify), cmh=cmh
    )


def published_impact(
    con,
    by,
    period: str = "year",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    k: int | None = None,
    filters: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """adverse_impact_ratio's long table for publication, every statistic computed from the
    protected counts (published.py); compute(..., exact=True) is the data owner's."""
    spec = registry()[METRIC]
    filters = one_value_filters(filters or {})
    dims = validate_dims(spec, list(by))
    for dim in filters:
        if dim not in spec.dimensions:
            raise UsageError(f"cannot filter {METRIC} by '{dim}'")
    date_from, date_to = whole_period_range(con, period, date_from, date_to)  # whole periods only
    cur = con.cursor()
    try:
        q = metric_query(cur, spec, dims, period, date_from, date_to, k, filters)
        table, _ = impact_from_protected(q, stage_outcomes(q, include_bottom_line=True), [], spec)
    finally:
        cur.close()
    return table


def _strata_rows(table: pd.DataFrame, by: list[str], stratify: str) -> pd.DataFrame:
    """Rows of the full cross (group within stratum) and the stratum pools, relabelled: `stratum`
    holds the stratum, `group` the group (All for the stratum's pool), `dimensions` the groups'."""
    cross = table[table["dimensions"] == "|".join([*by, stratify])].copy()
    parts = cross["group"].str.rsplit("|", n=1)
    cross["stratum"], cross["group"] = parts.str[1], parts.str[0]
    pools = table[table["dimensions"] == stratify].copy()
    pools["stratum"], pools["group"] = pools["group"], "All"
    out = pd.concat([pools, cross], ignore_index=True)
    out["dimensions"] = np.where(out["group"] == "All", "", "|".join(by))
    return out.sort_values(["period_start", "stratum", "stage", "dimensions"], kind="stable").reset_index(drop=True)


def _cmh_rows(pooled: pd.DataFrame, counts: pd.DataFrame, by: list[str], stratify: str, rec: dict) -> pd.DataFrame:
    z_thr, threshold = float(rec["significance_z"]), rec["adverse_impact_threshold"]
    counts = counts.assign(_group=[_label(v) for v in counts[by].itertuples(index=False)])
    counts["_start"] = pd.to_datetime(counts["period_start"]).dt.date
    rows = []
    compared = pooled[~pooled["suppressed"] & pooled["reference_group"].notna() & pooled["z"].notna()]
    for r in compared.itertuples():
        part = counts[(counts["_start"] == r.period_start) & (counts["stage"] == r.stage)]
        group = part[part["_group"] == r.group].set_index(stratify)
        ref = part[part["_group"] == r.reference_group].set_index(stratify)
        tables = []
        for s in sorted(set(group.index) | set(ref.index)):
            a = int(group["selected"].get(s, 0))
            n = int(group["decided"].get(s, 0))
            c = int(ref["selected"].get(s, 0))
            m = int(ref["decided"].get(s, 0))
            if n and m:  # a stratum without both groups says nothing about the comparison
                tables.append([[a, n - a], [c, m - c]])
        mh = mantel_haenszel(tables)
        pooled_c, strat_c = _conclusion(r.z, z_thr), _conclusion(mh.z, z_thr)
        mh_flag = (not math.isnan(mh.rate_ratio)) and mh.rate_ratio < float(exact(threshold))
        disagree = views_disagree(pooled_c, strat_c, bool(r.flagged), mh_flag, mh.rate_ratio)
        note = ""
        if disagree:
            note = (
                f"pooled and within-{stratify} views disagree (Simpson's paradox check): pooled, "
                f"{group_label(r.group)} {pooled_c}, ratio {r.value:.2f} ({_verdict(bool(r.flagged))}); within "
                f"each {stratify}, {strat_c}, Mantel-Haenszel ratio {mh.rate_ratio:.2f} "
                f"({_verdict(mh_flag)}). Which {stratify}s people applied to explains or hides "
                f"part of the pooled gap: read both."
            )
        rows.append(
            {
                "period": r.period,
                "stage": r.stage,
                "group": r.group,
                "reference_group": r.reference_group,
                "pooled_ratio": r.value,
                "pooled_z": r.z,
                "pooled_flagged": bool(r.flagged),
                "mh_rate_ratio": mh.rate_ratio,
                "mh_odds_ratio": mh.odds_ratio,
                "mh_or_low": mh.or_low,
                "mh_or_high": mh.or_high,
                "cmh_chi2": mh.chi2,
                "cmh_z": mh.z,
                "cmh_p": mh.p,
                "strata": mh.strata,
                "pooled_conclusion": pooled_c,
                "stratified_conclusion": strat_c,
                "disagree": disagree,
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=CMH_COLUMNS)
