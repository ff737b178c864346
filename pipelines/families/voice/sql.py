"""Building blocks of the voice (survey) metrics: settings, survey waves as periods, and the
SQL that turns anonymous answers into per-respondent and per-cell counts.

Periods. A survey wave is a period: period_start = its first response date, period_end =
its last, label = survey_id. `--from/--to` (or the dashboard range) select the waves whose
first response date falls in the requested window (clipped to the build's data window, as
for every metric); the period grain (year, quarter, month) does not apply to surveys.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...config import setting
from ...errors import DataError, UsageError
from ...sqlsafe import ident
from ...metrics._frame import Query
from ...metrics._periods import Period

WAVES_VIEW = "q_waves"


def voice_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The `voice` settings of the loaded config, validated."""
    settings = setting(config, "voice")
    scale = settings["scale"]
    if not (
        isinstance(scale, list) and len(scale) == 2 and all(isinstance(v, int) for v in scale) and scale[0] < scale[1]
    ):
        raise DataError(f"voice.scale must be two whole numbers [lowest, highest] (got {scale!r})", file="equity.yml")
    fav = settings["favourable_from"]
    if not (isinstance(fav, int) and scale[0] < fav <= scale[1]):
        raise DataError(
            f"voice.favourable_from must be a whole number above {scale[0]} and at most {scale[1]} (got {fav!r})",
            file="equity.yml",
        )
    alpha = settings["alpha"]
    if not (isinstance(alpha, (int, float)) and 0 < alpha < 0.5):
        raise DataError(f"voice.alpha must be between 0 and 0.5 (got {alpha!r})", file="equity.yml")
    views = settings["guard_max_views"]
    if not (isinstance(views, int) and views >= 1):
        raise DataError(
            f"voice.guard_max_views must be a whole number of at least 1 (got {views!r})", file="equity.yml"
        )
    months = settings["outcome_window_months"]
    if not (isinstance(months, int) and months >= 1):
        raise DataError(
            f"voice.outcome_window_months must be a whole number of at least 1 (got {months!r})", file="equity.yml"
        )
    return settings


def favourable_sql(alias: str, config: dict[str, Any]) -> str:
    """SQL: is this (non-skipped) answer favourable, after flipping a reverse-scored item?"""
    s = voice_settings(config)
    low, high = s["scale"]
    aligned = f"CASE WHEN {alias}.is_reverse_scored THEN {int(low) + int(high)} - {alias}.score ELSE {alias}.score END"
    return f"({aligned} >= {int(s['favourable_from'])})"


def survey_waves(q: Query) -> list[Period]:
    """The waves whose first response falls in the requested window, oldest first."""
    lo, hi = q.periods[0].start, q.periods[-1].end
    rows = q.con.execute(
        "SELECT survey_id, wave_start, wave_end FROM dim_survey_waves "
        "WHERE wave_start BETWEEN ? AND ? ORDER BY wave_start, survey_id",
        [lo, hi],
    ).fetchall()
    seen: dict = {}
    for survey_id, start, _ in rows:
        if start in seen:  # periods are keyed by their start date (suppression, labels)
            raise DataError(
                f"surveys '{seen[start]}' and '{survey_id}' both start on {start}; voice "
                "metrics treat each survey as one period, so each needs its own first "
                "date",
                file="voice/survey_responses.csv",
                column="survey_date",
            )
        seen[start] = survey_id
    if not rows:
        raise UsageError(f"no survey wave starts between {lo} and {hi}; `equity voice waves` lists the surveys loaded")
    return [Period(start, end, survey_id) for survey_id, start, end in rows]


def use_waves(q: Query) -> None:
    """Make the waves this request's periods and expose them to SQL as `q_waves`."""
    q.periods = survey_waves(q)
    q.con.register(
        WAVES_VIEW,
        pd.DataFrame(
            {
                "survey_id": [p.label for p in q.periods],
                "period_start": [p.start for p in q.periods],
                "period_end": [p.end for p in q.periods],
            }
        ),
    )


def respondents_sql(q: Query) -> str:
    """Respondents of the selected waves with the requested dimensions, filters applied."""
    return (
        f"SELECT w.period_start, w.period_end, r.response_id{q.dim_select('r', 'w.period_end')} "
        f"FROM fct_survey_respondents r JOIN {WAVES_VIEW} w ON w.survey_id = r.survey_id "
        f"WHERE true{q.filter_where('r', 'w.period_end')}"
    )


def answers_sql(q: Query, key: str) -> str:
    """Answered (not skipped) items per respondent and `key` (construct or item_id): how many,
    and how many favourable. One row per respondent per key value."""
    dims = "".join(f", {ident(d)}" for d in q.dims)
    return (
        f"SELECT r.period_start, r.period_end, a.{ident(key)} AS {ident(key)}, r.response_id{dims}, "
        f"count(*) AS answered, count(*) FILTER (WHERE {favourable_sql('a', q.config)}) AS favourable "
        f"FROM ({respondents_sql(q)}) r JOIN fct_survey_answers a ON a.response_id = r.response_id "
        f"WHERE a.score IS NOT NULL "
        f"GROUP BY r.period_start, r.period_end, a.{ident(key)}, r.response_id{dims}"
    )


def grouped(q: Query, inner_sql: str, keys: list[str], measures: dict[str, str]) -> str:
    """Like Query.grouped, with extra key columns kept apart (one table per key value)."""
    key_cols = "".join(f", {ident(k)}" for k in keys)
    meas = ", ".join(f"{expr} AS {ident(name)}" for name, expr in measures.items())
    base = f"period_start, period_end{key_cols}"
    if not q.dims:
        return f"SELECT {base}, 0 AS _gid, {meas} FROM ({inner_sql}) GROUP BY {base}"
    cols = ", ".join(ident(d) for d in q.dims)
    return f"SELECT {base}, {cols}, GROUPING({cols}) AS _gid, {meas} FROM ({inner_sql}) GROUP BY {base}, CUBE({cols})"
