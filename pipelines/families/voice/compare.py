"""Comparisons of survey results, computed from the *published* tables only (protected by
default: the rest and every test follow from protected counts; exact=True for the data owner):

- each group's gap to everyone else in the same wave: the rest is the overall row minus the
  group (numerator, denominator and respondents all subtract), so it adds nothing a reader
  could not already work out from the published table;
- the change of each group since the previous survey wave.

Both come with a Newcombe interval for the difference and a pooled two-proportion z-test,
with n = respondents on both sides (as for the published intervals: conservative when
answers of one person are correlated), and Holm-adjusted p-values within each family of
groups compared together (one wave, one construct or item, one breakdown). A comparison
involving a hidden row is itself hidden.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...errors import UsageError
from ...metrics._engine import build_context, compute, spec_k
from ...metrics._registry import registry
from .sql import voice_settings
from ...metrics._stats import holm_adjusted
from .stats import difference_interval, two_proportion_test

RESULT = ["estimate", "ci_low", "ci_high", "z", "p_value", "p_holm", "significant"]


def _keys(table: pd.DataFrame) -> list[str]:
    return list(registry()[table["metric"].iat[0]].keys) if len(table) else []


def _compare(
    df: pd.DataFrame, ok: pd.Series, p1: str, n1: str, p2: str, n2: str, family: list[str], alpha: float
) -> pd.DataFrame:
    """Fill the RESULT columns for rows where `ok`; blank elsewhere."""
    df = df.copy()
    df["estimate"] = (df[p1] - df[p2]).where(ok)
    low, high = difference_interval(df[p1], df[n1], df[p2], df[n2], alpha)
    z, p = two_proportion_test(df[p1], df[n1], df[p2], df[n2])
    df["ci_low"], df["ci_high"] = np.where(ok, low, np.nan), np.where(ok, high, np.nan)
    df["z"], df["p_value"] = np.where(ok, z, np.nan), np.where(ok, p, np.nan)
    df["p_holm"] = np.nan
    for _, idx in df.groupby(family, dropna=False, sort=False).groups.items():
        df.loc[idx, "p_holm"] = holm_adjusted(df.loc[idx, "p_value"])
    df["significant"] = (df["p_holm"] < alpha).where(ok)
    return df


def gaps_to_rest(table: pd.DataFrame, k: int, alpha: float) -> pd.DataFrame:
    """Per published group: its share minus the share of everyone else (same wave and key)."""
    keys = _keys(table)
    if table[["numerator", "denominator"]].isna().all().all() and len(table):
        raise UsageError(
            f"{table['metric'].iat[0]} has no numerator/denominator to subtract; "
            "gaps are available for favourability and item_favourability"
        )
    on = ["period_start", *keys]
    overall = table.loc[table["group"] == "All", on + ["numerator", "denominator", "n", "suppressed"]]
    groups = table[table["group"] != "All"].merge(overall, on=on, how="left", suffixes=("", "_all"))
    groups["rest_numerator"] = groups["numerator_all"] - groups["numerator"]
    groups["rest_denominator"] = groups["denominator_all"] - groups["denominator"]
    groups["rest_n"] = groups["n_all"].astype(float) - groups["n"].astype(float)
    groups["rest_value"] = groups["rest_numerator"] / groups["rest_denominator"].where(groups["rest_denominator"] > 0)
    small_rest = ~(groups["rest_n"] >= k) & ~groups["suppressed"]
    ok = ~groups["suppressed"] & ~groups["suppressed_all"].fillna(True).astype(bool) & ~small_rest
    out = _compare(groups, ok, "value", "n", "rest_value", "rest_n", ["period_start", *keys, "dimensions"], alpha)
    out["note"] = np.select(
        [groups["suppressed"], small_rest, ~ok],
        ["group suppressed", f"everyone else is fewer than {k} respondents", "overall row suppressed"],
        "",
    )
    cols = [
        "metric",
        "period",
        "period_start",
        "period_end",
        *keys,
        "dimensions",
        "group",
        "value",
        "n",
        "rest_value",
        "rest_n",
        *RESULT,
        "note",
    ]
    return _published(out, ok, ("rest_value", "rest_n"), ("rest_value", "rest_n"), cols, "gap")


def _published(
    out: pd.DataFrame, ok: pd.Series, compared: tuple[str, str], shown: tuple[str, str], cols: list[str], estimate: str
) -> pd.DataFrame:
    """The comparison table: the value and n compared against appear only where the comparison
    could be made (`ok`), so a hidden row never leaks through its comparator's columns."""
    out[shown[0]] = out[compared[0]].where(ok)
    out[shown[1]] = out[compared[1]].where(ok).astype("Int64")
    table = out[cols].rename(columns={"estimate": estimate}).reset_index(drop=True)
    # the difference and its interval are of two shares, in points; z is a statistic, not a share
    table.attrs["kinds"] = {estimate: "points", "ci_low": "points", "ci_high": "points", "z": "number"}
    return table


def change_since_previous(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Per group and wave after the first: value minus the previous wave's value."""
    keys = _keys(table)
    waves = sorted(table["period_start"].unique())
    order = {w: i for i, w in enumerate(waves)}
    now = table.assign(_wave=table["period_start"].map(order))
    before = now[["_wave", *keys, "dimensions", "group", "period", "value", "n", "suppressed"]].copy()
    before["_wave"] += 1
    pairs = now[now["_wave"] > 0].merge(
        before, on=["_wave", *keys, "dimensions", "group"], how="left", suffixes=("", "_previous")
    )
    missing = pairs["period_previous"].isna()
    hidden = pairs["suppressed"] | pairs["suppressed_previous"].fillna(False).astype(bool)
    ok = ~missing & ~hidden
    out = _compare(
        pairs, ok, "value", "n", "value_previous", "n_previous", ["period_start", *keys, "dimensions"], alpha
    )
    labels = table.drop_duplicates("period_start").set_index("period_start")["period"]
    out["previous_period"] = pairs["_wave"].map(lambda i: labels[waves[i - 1]])
    out["note"] = np.select(
        [missing, pairs["suppressed"], hidden],
        ["group not in the previous wave", "suppressed in this wave", "suppressed in the previous wave"],
        "",
    )
    cols = [
        "metric",
        "period",
        "previous_period",
        "period_start",
        *keys,
        "dimensions",
        "group",
        "value",
        "n",
        "previous_value",
        "previous_n",
        *RESULT,
        "note",
    ]
    return _published(out, ok, ("value_previous", "n_previous"), ("previous_value", "previous_n"), cols, "change")


def _settings(con, metric: str, k: int | None) -> tuple[int, float]:
    if metric not in registry() or registry()[metric].family != "voice":
        raise UsageError(f"'{metric}' is not a voice metric; use favourability, item_favourability or inclusion_index")
    config = build_context(con)["config"]
    return spec_k(registry()[metric], config, k), voice_settings(config)["alpha"]


def _voice_table(
    con,
    metric: str,
    by=(),
    filters=None,
    k: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    exact: bool = False,
) -> tuple[pd.DataFrame, int, float]:
    """The table compute() returns for this request (protected; `exact=True`: the data owner's
    exact table), with the threshold and alpha the comparisons apply to it."""
    threshold, alpha = _settings(con, metric, k)
    table = compute(con, metric, by=list(by), k=k, filters=filters, date_from=date_from, date_to=date_to, exact=exact)
    return table, threshold, alpha


def voice_gaps(con, metric: str = "favourability", **request) -> pd.DataFrame:
    """gaps_to_rest over the table of this request (`request`: by, filters, k, date_from,
    date_to, exact, as _voice_table takes them)."""
    table, threshold, alpha = _voice_table(con, metric, **request)
    return gaps_to_rest(table, threshold, alpha)


def voice_change(con, metric: str = "favourability", **request) -> pd.DataFrame:
    """change_since_previous over the table of this request (`request` as for voice_gaps)."""
    table, _, alpha = _voice_table(con, metric, **request)
    return change_since_previous(table, alpha)
