"""Employee voice metrics: favourability (per construct and per item), the inclusion index and
the response rate, per survey wave, for every subset of the requested dimensions.

Each function returns unsuppressed rows; the engine applies the survey threshold
(`privacy.survey_k`) and complementary suppression. Filtered requests first pass the
differencing guard (guard.py). n is always respondents: distinct responses with at least
one answered item in the cell (per construct or item for favourability).

Intervals. Answers of one person are correlated, so answers are not independent trials.
Every voice share is (close to) a mean of per-respondent shares in [0, 1], whose variance is
at most p(1-p)/n with n = respondents (the binomial case is the most spread-out distribution
on [0, 1] with mean p). The interval is therefore the Wilson score interval with
n = respondents and p the estimate: exact for one item, conservative for a construct or the
index.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from ...metrics._frame import Query
from ...metrics._stats import wilson_interval
from .guard import refuse_differencing
from .sql import answers_sql, grouped, respondents_sql, use_waves, voice_settings


def respondent_interval(value, n, config) -> tuple[np.ndarray, np.ndarray]:
    """Wilson interval for a share with n respondents as the sample size (see module doc)."""
    z = stats.norm.ppf(1 - voice_settings(config)["alpha"] / 2)
    value = pd.to_numeric(pd.Series(value), errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(pd.Series(n), errors="coerce").to_numpy(dtype=float)
    return wilson_interval(value * n, n, z=z)


def _with_interval(df: pd.DataFrame, config) -> pd.DataFrame:
    df["ci_low"], df["ci_high"] = respondent_interval(df["value"], df["n"], config)
    return df


def _construct_rows(q: Query) -> pd.DataFrame:
    inner = answers_sql(q, "construct")
    return q.frame(
        grouped(
            q,
            inner,
            ["construct"],
            {
                "numerator": "CAST(sum(favourable) AS BIGINT)",
                "denominator": "CAST(sum(answered) AS BIGINT)",
                "n": "count(*)",
            },
        )
    )


def _item_rows(q: Query) -> pd.DataFrame:
    inner = answers_sql(q, "item_id")  # one answer per respondent per item (the contract's key)
    return q.frame(
        grouped(
            q,
            inner,
            ["item_id"],
            {
                "numerator": "CAST(sum(favourable) AS BIGINT)",
                "denominator": "CAST(sum(answered) AS BIGINT)",
                "n": "count(*)",
            },
        )
    )


def _answering_rows(q: Query) -> pd.DataFrame:
    """Respondents with at least one answered item, per cell (the index's n)."""
    inner = (
        f"SELECT * FROM ({respondents_sql(q)}) r WHERE EXISTS (SELECT 1 FROM fct_survey_answers a "
        f"WHERE a.response_id = r.response_id AND a.score IS NOT NULL)"
    )
    return q.frame(grouped(q, inner, [], {"n": "count(*)"}))


def _guarded(q: Query, rows_for, keys: list[str]) -> pd.DataFrame:
    """Waves as periods, the differencing guard, then the requested view's rows."""
    use_waves(q)
    builder = lambda filters: rows_for(replace(q, filters=filters))  # noqa: E731
    refuse_differencing(q, builder, keys)
    return builder(q.filters)


def favourability(q: Query) -> pd.DataFrame:
    df = _guarded(q, _construct_rows, ["construct"])
    df["value"] = df["numerator"] / df["denominator"]
    return _with_interval(df, q.config)


def item_favourability(q: Query) -> pd.DataFrame:
    df = _guarded(q, _item_rows, ["item_id"])
    df["value"] = df["numerator"] / df["denominator"]
    items = q.frame("SELECT item_id, construct, item_text FROM dim_survey_items")
    df = df.merge(items, on="item_id", how="left")
    return _with_interval(df, q.config)


def _index_rows(q: Query) -> pd.DataFrame:
    """Mean construct favourability and respondents per cell, unsuppressed."""
    dims = list(q.dims)
    cells = ["period_start", "period_end", "_gid", *dims]
    per_construct = _construct_rows(q)
    per_construct["fav"] = per_construct["numerator"] / per_construct["denominator"]
    index = (
        per_construct.groupby(cells, dropna=False, sort=False)
        .agg(value=("fav", "mean"), constructs=("construct", "nunique"))
        .reset_index()
    )
    n = _answering_rows(q)
    out = index.merge(n, on=cells, how="outer")
    # constructs answered in the whole view, per wave: a cell missing one is flagged
    everything = out[out["_gid"] == (1 << len(dims)) - 1].set_index("period_start")["constructs"]
    out["of"] = out["period_start"].map(everything)
    return out


def inclusion_index(q: Query) -> pd.DataFrame:
    df = _guarded(q, _index_rows, [])
    df["numerator"], df["denominator"] = np.nan, np.nan
    short = df["constructs"] < df["of"]
    df["note"] = np.where(
        short,
        "mean of "
        + df["constructs"].astype("Int64").astype(str)
        + " of "
        + df["of"].astype("Int64").astype(str)
        + " constructs (no answers on the others)",
        "",
    )
    return _with_interval(df.drop(columns=["constructs", "of"]), q.config)


def _response_rows(q: Query) -> pd.DataFrame:
    answered = grouped(q, respondents_sql(q), [], {"respondents": "count(*)"})
    invitations = (
        f"SELECT w.period_start, w.period_end, i.invited{q.dim_select('i', 'w.period_end')} "
        f"FROM fct_survey_invitations i JOIN q_waves w ON w.survey_id = i.survey_id "
        f"WHERE true{q.filter_where('i', 'w.period_end')}"
    )
    invited = grouped(q, invitations, [], {"invited": "CAST(sum(invited) AS BIGINT)"})
    df = q.frame(
        f"SELECT {q.keys('a', 'b')}, coalesce(a.respondents, 0) AS numerator, "
        f"b.invited AS denominator FROM ({answered}) a FULL JOIN ({invited}) b ON {q.join_on('a', 'b')}"
    )
    # n: respondents, and never more than the people invited (a department with fewer than
    # k invited is suppressed even if the file reports more respondents than invitations)
    df["n"] = np.fmin(df["numerator"].astype(float), df["denominator"].astype(float))
    return df


def response_rate(q: Query) -> pd.DataFrame:
    df = _guarded(q, _response_rows, [])
    df["value"] = df["numerator"] / df["denominator"].where(df["denominator"] > 0)
    df["note"] = np.select(
        [df["denominator"].isna(), df["numerator"] > df["denominator"]],
        [
            "no invited count for this department in voice/invited.csv",
            "more respondents than invited: check voice/invited.csv",
        ],
        "",
    )
    return df


__all__ = ["favourability", "inclusion_index", "item_favourability", "respondent_interval", "response_rate"]
