"""Adjusted pay gap: OLS of ln(hourly pay) on group indicators plus legitimate factors.

One model per period (and per stratum of any `pay.within_dimensions` in the breakdown) with a
dummy for every group except the reference, so gender, race/ethnicity and intersectional
groups (Woman|Black or African American against Man|White) are all measured in one fit.
Every model of a breakdown controls for all of its group dimensions: in a gender x
race/ethnicity breakdown the gender margin comes from ln pay ~ gender + race/ethnicity +
factors (the usual pay-equity specification), the cells from one dummy per combination.
Categorical factors enter as dummies (first level in sorted order left out), numeric ones
linearly. Standard errors are heteroskedasticity-robust (`pay.regression_cov_type`, HC1 by
default), with normal-theory intervals and p-values as statsmodels reports them.

Reported per group: beta, its robust SE, 95% CI, p, n; the gap 1 - exp(beta) (how much less
the group is paid than the reference with the same factors: +5% = paid 5% less, the sign of
every pay gap, docs/metrics.md "How pay gaps are signed") and Kennedy's (1981) small-sample
version 1 - exp(beta - Var(beta)/2); per model: R^2 and n.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from ...metrics._frame import Query
from ...metrics._stats import Z95
from .groups import label, reference_values, split_dims, subsets
from .factors import factor_names
from .snapshot import factor_column, ln_pay, snapshot_frame

BLANK_FACTOR_NOTE = "employees with a blank numeric factor are not in the model"
SEP = "\x1f"  # joins a person's compared-dimension values into one group key (never in data)


def factor_matrix(frame: pd.DataFrame, factors) -> pd.DataFrame:
    """Columns for the legitimate factors: dummies `factor=level` (first sorted level left out)
    for categorical ones, the value for numeric ones (snapshot_frame gives those as floats, the
    categorical ones as text); constant columns are dropped."""
    parts = []
    for f in factors:
        col = frame[factor_column(f)]
        if col.dtype.kind == "f":
            parts.append(col.astype(float).rename(f).reset_index(drop=True))
            continue
        levels = sorted(col.astype(str).unique())
        for level in levels[1:]:
            parts.append((col.astype(str) == level).astype(float).rename(f"{f}={level}").reset_index(drop=True))
    out = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=range(len(frame)))
    return out.loc[:, out.nunique() > 1] if len(out) else out


def fit_adjusted(ln_y, groups, reference: str, factors: pd.DataFrame, cov_type: str = "HC1") -> dict:
    """One fit: {'groups': {group: {beta, se, ci_low, ci_high, p, n}}, 'r_squared', 'n', 'reference_n'}.

    `groups` is each person's group label; every label except `reference` gets a dummy.
    """
    groups = pd.Series(np.asarray(groups, dtype=object)).astype(str)
    others = sorted(set(groups) - {reference})
    dummies = pd.DataFrame({f"group={g}": (groups == g).astype(float) for g in others})
    x = pd.concat([pd.Series(1.0, index=dummies.index, name="const"), dummies, factors.reset_index(drop=True)], axis=1)
    y = np.asarray(ln_y, dtype=float)
    out = {"groups": {}, "r_squared": np.nan, "n": int(y.size), "reference_n": int((groups == reference).sum())}
    if not others or y.size <= x.shape[1]:
        return out
    import statsmodels.api as sm  # on first fit: `equity list` and --help never load it

    with warnings.catch_warnings():  # singular designs are expected (pinv); reported by n
        warnings.simplefilter("ignore")
        res = sm.OLS(y, x).fit(cov_type=cov_type)
        ci = res.conf_int(alpha=0.05)
    out["r_squared"] = float(res.rsquared)
    for g in others:
        name = f"group={g}"
        out["groups"][g] = {
            "beta": float(res.params[name]),
            "se": float(res.bse[name]),
            "ci_low": float(ci.loc[name, 0]),
            "ci_high": float(ci.loc[name, 1]),
            "p": float(res.pvalues[name]),
            "n": int((groups == g).sum()),
        }
    return out


def gap_percent(beta) -> np.ndarray:
    """The pay gap of a ln-pay coefficient, 1 - exp(beta) in percent (positive = paid less)."""
    return -100 * np.expm1(np.asarray(beta, dtype=float))


def kennedy_percent(beta, se) -> np.ndarray:
    """Kennedy (1981): 1 - exp(beta - Var(beta)/2) in percent, less biased in small samples."""
    beta, se = np.asarray(beta, dtype=float), np.asarray(se, dtype=float)
    return -100 * np.expm1(beta - se * se / 2)


def details(table: pd.DataFrame, salt: str | None = None) -> pd.DataFrame:
    """p-value and Kennedy gap for *published* adjusted-gap rows, from numerator (beta) and
    denominator (robust SE) - protected ones in a protected table, so both follow from the
    protected estimates; a suppressed row stays blank. With `salt` (a protected table) the
    model's R^2, which compute() carries through exactly, is published as a protected model
    result too (up to 2/n of itself, n the largest group of its model, keyed by the exact R^2)."""
    out = table.copy()
    beta, se = out["numerator"].astype(float), out["denominator"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["p_value"] = 2 * stats.norm.sf(np.abs(beta / se))
    out["kennedy_gap"] = kennedy_percent(beta, se)
    if salt is not None and "r_squared" in out:
        from ...privacy.protect import VALUE_SPREAD, protected_magnitude

        r2 = pd.to_numeric(out["r_squared"], errors="coerce").astype(float)
        n = pd.to_numeric(out["n"], errors="coerce").astype(float)
        model_n = n.groupby(r2).transform("max") if r2.notna().any() else n
        out["r_squared"] = np.where(
            r2.notna(),
            protected_magnitude(salt, "adjusted_pay_gap.r_squared", r2.to_numpy(), model_n.to_numpy(), VALUE_SPREAD),
            np.nan,
        )
    return out


def dummies(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Dummies for the other group dimensions of the breakdown (first sorted level left out)."""
    parts = []
    for col in columns:
        values = frame[col].astype(str).reset_index(drop=True)
        for level in sorted(values.unique())[1:]:
            parts.append((values == level).astype(float).rename(f"{col}={level}"))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=range(len(frame)))


def group_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's values of `columns` as text joined by SEP: one vectorised concatenation per
    column (a per-row join took most of the registry's time on 10k people)."""
    keys = frame[columns[0]].astype(str)
    for col in columns[1:]:
        keys = keys + SEP + frame[col].astype(str)
    return keys


def _model_rows(
    paid: pd.DataFrame,
    present: list[str],
    compared: list[str],
    refs: dict,
    k: int,
    factors: list[str],
    cov_type: str,
    controls: list[str],
) -> list[dict]:
    """Rows for one subset of dimensions in one period: a model per stratum. `controls` are
    the breakdown's other group dimensions, entered additively (every model of a breakdown
    controls for all of its group dimensions)."""
    rows = []
    within = [d for d in present if d not in compared]
    strata = paid.groupby(within, dropna=False, sort=True) if within else [((), paid)]
    for stratum, people in strata:
        stratum = stratum if isinstance(stratum, tuple) else (stratum,)
        groups = group_keys(people, compared)
        ref = SEP.join(refs[d] for d in compared)
        x = pd.concat([factor_matrix(people, factors), dummies(people, controls)], axis=1)
        fit = fit_adjusted(ln_pay(people), groups, ref, x, cov_type)
        counts = groups.value_counts()
        for g, n in counts.items():
            values = dict(zip(compared, g.split(SEP))) | dict(zip(within, stratum))
            row = {
                **{d: values[d] for d in present},
                "n": int(n),
                "numerator": np.nan,
                "denominator": np.nan,
                "note": "",
                "reference": label([refs.get(d, values[d]) for d in present], present),
                # R^2 is a property of the whole model population (never a count, which
                # could undo a complementary suppression of the stratum's margin)
                "r_squared": fit["r_squared"] if fit["n"] >= k else np.nan,
            }
            if fit["reference_n"] < k:
                row["note"] = f"the reference group has fewer than {k} people: no gap shown"
            elif g == ref:
                row.update({"numerator": 0.0, "note": "reference group"})
            elif g in fit["groups"]:
                est = fit["groups"][g]
                row.update({"numerator": est["beta"], "denominator": est["se"]})
            else:
                row["note"] = "too few people for the model"
            rows.append(row)
    return rows


def adjusted_pay_gap(q: Query) -> pd.DataFrame:
    factors = factor_names(q.config)
    frame = snapshot_frame(q, factors=factors)
    refs = reference_values(frame, q.dims, q.config)
    compared_all, _ = split_dims(q.dims, q.config)
    k = int(q.params.get("k") or q.config["privacy"]["k"])
    cov_type = q.config["pay"]["regression_cov_type"]
    with threadpool_limits(limits=1):  # thin designs (n x ~40): BLAS threads only contend
        return _gap_rows(frame, q.dims, refs, compared_all, k, factors, cov_type)


def _gap_rows(frame, dims, refs, compared_all, k, factors, cov_type) -> pd.DataFrame:
    rows = []
    for (start, end), period in frame.groupby(["period_start", "period_end"], sort=True):
        paid = period[period["has_pay"] & period["has_factors"]]
        # people whose numeric factor is blank cannot enter the fit; said (not counted: a count
        # of a few people beside protected cells would tell more than the cells do)
        unfactored = bool((period["has_pay"] & ~period["has_factors"]).any())
        for gid, present in subsets(dims):
            compared = [d for d in present if d in compared_all]
            base = {"period_start": start, "period_end": end, "_gid": gid, **{d: None for d in dims}}
            if not compared:  # no group to compare: the cell's size only
                counts = paid.groupby(present, dropna=False).size() if present else pd.Series({(): len(paid)})
                for key, n in counts.items():
                    key = key if isinstance(key, tuple) else (key,)
                    rows.append({**base, **dict(zip(present, key)), "n": int(n), "note": ""})
                continue
            controls = [d for d in compared_all if d not in compared]
            for row in _model_rows(paid, present, compared, refs, k, factors, cov_type, controls):
                if unfactored:
                    row["note"] = "; ".join(filter(None, [row["note"], BLANK_FACTOR_NOTE]))
                rows.append({**base, **row})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    for col in ("numerator", "denominator"):  # no compared dimension requested: sizes only, no gap
        if col not in df:
            df[col] = np.nan
    beta, se = df["numerator"].astype(float), df["denominator"].astype(float)
    df["value"] = gap_percent(beta)
    # the gap falls as beta rises: the interval's low end is the upper end of beta's
    df["ci_low"] = np.where(se.notna(), gap_percent(beta + Z95 * se), np.nan)
    df["ci_high"] = np.where(se.notna(), gap_percent(beta - Z95 * se), np.nan)
    return df
