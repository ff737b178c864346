"""Voice next to outcomes: each group's inclusion index beside its turnover rate (and
promotion rate, when that metric is registered), aggregated only.

Survey responses carry no employee id, so nothing is ever joined person by person: the two
sides are separate published tables from compute(), each suppressed by its own rule
(survey_k for the index, privacy.k for HR outcomes), put side by side by group label.
Published (default): both sides are protected tables; outcomes are measured over the last
whole year before the survey's first response date (the last whole quarter or month when
`voice.outcome_window_months` is under 12 or under 3), because a published figure covers whole
periods only - a rolling window starting on the survey's own day would be a new range for
every wave, one day from another. Exact (`exact=True`, the data owner's): over the
`voice.outcome_window_months` months before the first response date (a custom period, clipped
to the HR data window and then marked partial).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ...errors import UsageError
from ...metrics._engine import NoDataError, build_context, compute
from ...metrics._periods import make_periods
from ...metrics._registry import registry
from .sql import voice_settings

SIDE_COLUMNS = ["value", "ci_low", "ci_high", "n", "suppressed", "note"]


def outcome_metrics(config: dict) -> list[str]:
    """The configured outcome metrics that exist in this registry, in configured order."""
    return [m for m in voice_settings(config)["outcome_metrics"] if m in registry()]


def outcome_window(wave_start: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The `months` months before the survey's first day: (first day, last day)."""
    first = (pd.Timestamp(wave_start) - pd.DateOffset(months=months)).date()
    return first, wave_start - dt.timedelta(days=1)


def published_window(ctx: dict, wave_start: dt.date, months: int) -> tuple[str, dt.date, dt.date]:
    """(grain, first day, last day) of the last whole period of the grain nearest the window
    (year for 12 months or more, quarter for 3 or more, else month) ending before the survey."""
    grain = "year" if months >= 12 else "quarter" if months >= 3 else "month"
    periods = make_periods(grain, ctx["history_start"], ctx["as_of"], ctx["config"]["fiscal_year_start_month"])
    before = [p for p in periods if p.end < wave_start and not p.is_partial]
    if not before:
        raise UsageError(f"no whole {grain} of HR data before the survey ({wave_start})")
    return grain, before[-1].start, before[-1].end


def _side(table: pd.DataFrame, prefix: str) -> pd.DataFrame:
    side = table[["dimensions", "group", "period", *SIDE_COLUMNS]].rename(
        columns={c: f"{prefix}_{c}" for c in ["period", *SIDE_COLUMNS]}
    )
    return side


def outcomes_side_by_side(con, by=(), filters=None, survey_id: str | None = None, exact: bool = False) -> pd.DataFrame:
    """One row per group (every level of the breakdown, and All): the inclusion index of the
    chosen wave (default: latest) and each outcome metric over the window before it
    (protected by default; see the module docstring for the window)."""
    by = list(by)
    ctx = build_context(con)
    config = ctx["config"]
    index = compute(con, "inclusion_index", by=by, filters=filters, exact=exact)
    waves = index.drop_duplicates("period")[["period", "period_start"]]
    if survey_id is None:
        survey_id = waves.sort_values("period_start")["period"].iat[-1]
    if survey_id not in set(waves["period"]):
        raise UsageError(f"unknown survey '{survey_id}'; loaded: {', '.join(waves['period'])}")
    wave = index[index["period"] == survey_id]
    out = _side(wave, "inclusion_index")
    months = voice_settings(config)["outcome_window_months"]
    try:
        grain, start, end = (
            ("custom", *outcome_window(wave["period_start"].iat[0], months))
            if exact
            else published_window(ctx, wave["period_start"].iat[0], months)
        )
    except UsageError as exc:  # the survey precedes the HR data: every outcome says so
        grain, start, end, no_window = None, None, None, str(exc)
    for name in outcome_metrics(config):
        spec = registry()[name]
        usable = (
            not spec.keys
            and all(d in spec.dimensions for d in by)
            and all(d in spec.dimensions for d in (filters or {}))
        )
        if not usable:
            out[f"{name}_note"] = f"{spec.title.lower()} is not available for this breakdown or filter"
            continue
        if grain is None:
            out[f"{name}_note"] = f"{spec.title.lower()} not available: {no_window}"
            continue
        try:
            table = compute(con, name, by=by, period=grain, date_from=start, date_to=end, filters=filters, exact=exact)
        except (NoDataError, UsageError) as exc:  # e.g. its data not loaded, or window outside HR data
            out[f"{name}_note"] = f"{spec.title.lower()} not available: {exc}"
            continue
        out = out.merge(_side(table, name), on=["dimensions", "group"], how="left")
    out.insert(0, "survey", survey_id)
    return out.reset_index(drop=True)
