"""Cohort review: within each comparable cohort (default job family x job level) each group's
mean hourly pay gap against the reference and Welch's t-test on ln(hourly pay).

Gating ("30/5", OFCCP practice): a cohort is tested only with at least `pay.cohort_min_n`
people (30) and at least `pay.cohort_min_group_n` (5) in each of the two compared groups;
otherwise it is listed as not tested. A tested comparison with |t| >= `pay.cohort_t_threshold`
(2) is flagged. Privacy, exact path (the data owner's `--exact`): per cohort the group counts
go through the shared suppression rule (cohort total published, so complementary suppression
applies); a comparison is shown only when both of its groups are published. Published
(protected) path: counts are protected counts keyed like compute()'s (the cohort columns and
group dimensions as constraints), a group is hidden iff its protected n is below k, the 30/5
gates read the protected counts, means are protected like the long tables' means, the gap is
computed from them, t moves by up to twice the largest change one person can make to it,
df is published as a whole number and p and the flag follow the published t and df.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scipy import stats

from .analysis import PaySnapshot
from .groups import published_cells
from .protect import DERIVED_SPREAD, cell_counts, hidden_below_k, one_person_scale, protected_mean, shifted
from .regression import SEP
from .snapshot import check_columns, extra_column
from .stats import welch_t

CATEGORY_JOIN = " × "
FLAGGED, TESTED, SMALL_COHORT, SMALL_GROUP, HIDDEN = (
    "flagged",
    "tested, not flagged",
    "not tested: cohort under {n}",
    "not tested: fewer than {m} in a group",
    "not shown: fewer than {k} people in a group",
)
# a comparison's results before (or without) a test: blank, never flagged
NOT_TESTED = {
    "mean_reference": np.nan,
    "mean_group": np.nan,
    "gap_pct": np.nan,
    "t": np.nan,
    "df": np.nan,
    "p_value": np.nan,
    "flagged": False,
}


def cohort_labels(snap: PaySnapshot) -> pd.Series:
    columns = check_columns(snap.config["pay"]["cohort_columns"], "pay.cohort_columns")
    parts = [
        snap.people[extra_column(c)].fillna(snap.config["demographics"]["unknown_label"]).astype(str) for c in columns
    ]
    return parts[0].str.cat(parts[1:], sep=CATEGORY_JOIN) if len(parts) > 1 else parts[0]


def cohort_review(snap: PaySnapshot) -> pd.DataFrame:
    """One row per cohort x non-reference group present in it (people of both groups);
    protected unless the snapshot is exact."""
    return _exact_review(snap) if snap.exact else _protected_review(snap)


def _exact_review(snap: PaySnapshot) -> pd.DataFrame:
    cfg = snap.config["pay"]
    min_n, min_group, t_line = (
        int(cfg["cohort_min_n"]),
        int(cfg["cohort_min_group_n"]),
        float(cfg["cohort_t_threshold"]),
    )
    people = snap.people.assign(cohort=cohort_labels(snap), _g=snap.people["group"])
    cells = published_cells(people, ["_g"], snap.k, ["cohort"])
    hidden = {
        (c, g) for c, g, s in cells.loc[cells["_gid"] == 0, ["cohort", "_g", "suppressed"]].itertuples(index=False) if s
    }
    hidden_totals = set(cells.loc[(cells["_gid"] == 1) & cells["suppressed"], "cohort"])
    rows = []
    for cohort, members in people.groupby("cohort", sort=True):
        ref = members[members["group"] == snap.reference]
        for group in sorted(set(members["group"]) - {snap.reference}):
            grp = members[members["group"] == group]
            row = {
                "cohort": cohort,
                "group": snap.label(group),
                "reference": snap.label(snap.reference),
                "n_cohort": len(members),
                "n_reference": len(ref),
                "n_group": len(grp),
                **NOT_TESTED,
            }
            if len(members) < min_n:
                row["status"] = SMALL_COHORT.format(n=min_n)
            elif len(ref) < min_group or len(grp) < min_group:
                row["status"] = SMALL_GROUP.format(m=min_group)
            else:
                t, df, p = welch_t(np.log(grp["hourly_pay"]), np.log(ref["hourly_pay"]))
                m_ref, m_grp = ref["hourly_pay"].mean(), grp["hourly_pay"].mean()
                flagged = bool(abs(t) >= t_line)
                row.update(
                    {
                        "mean_reference": m_ref,
                        "mean_group": m_grp,
                        "gap_pct": 100 * (m_ref - m_grp) / m_ref,
                        "t": t,
                        "df": df,
                        "p_value": p,
                        "flagged": flagged,
                        "status": FLAGGED if flagged else TESTED,
                    }
                )
            if (cohort, snap.reference) in hidden or (cohort, group) in hidden:
                # group counts and results of a suppressed group are never shown
                row.update({"n_reference": np.nan, "n_group": np.nan, **NOT_TESTED, "status": HIDDEN.format(k=snap.k)})
            rows.append(row)
    out = _ordered(rows)
    # a cohort whose own total is suppressed (smaller than k) does not show its size either
    out.loc[out["cohort"].isin(hidden_totals), "n_cohort"] = np.nan
    return out


COLUMNS = [
    "cohort",
    "group",
    "reference",
    "n_cohort",
    "n_reference",
    "n_group",
    "mean_reference",
    "mean_group",
    "gap_pct",
    "t",
    "df",
    "p_value",
    "flagged",
    "status",
]


def _ordered(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    # flagged first, then tested, then the rest (stable within each: cohort order)
    rank = {FLAGGED: 0, TESTED: 1}
    return out.iloc[out["status"].map(lambda s: rank.get(s, 2)).argsort(kind="stable")].reset_index(drop=True)


def _protected_review(snap: PaySnapshot) -> pd.DataFrame:
    """The published review (module docstring): protected counts, means, t; exact inside."""
    cfg = snap.config["pay"]
    min_n, min_group, t_line = (
        int(cfg["cohort_min_n"]),
        int(cfg["cohort_min_group_n"]),
        float(cfg["cohort_t_threshold"]),
    )
    prot, k = snap.protection, snap.k
    columns = check_columns(cfg["cohort_columns"], "pay.cohort_columns")
    unknown = snap.config["demographics"]["unknown_label"]
    keyed = (
        snap.people[snap.dims]
        .astype(str)
        .assign(**{c: snap.people[extra_column(c)].fillna(unknown).astype(str) for c in columns})
    )
    people = snap.people.assign(cohort=cohort_labels(snap))
    keyed["cohort"] = people["cohort"].to_numpy()
    per_group = cell_counts(prot, keyed, snap.dims + columns)  # as `--by gender,job_family,job_level`
    per_group["group"] = per_group[snap.dims].agg(SEP.join, axis=1)
    per_group["cohort"] = _cohort_of(per_group, columns)
    n_group = {(c, g): n for c, g, n in per_group[["cohort", "group", "n_p"]].itertuples(index=False)}
    totals = cell_counts(prot, keyed, columns)
    n_cohort = dict(zip(_cohort_of(totals, columns), totals["n_p"]))
    rows = []
    for cohort, members in people.groupby("cohort", sort=True):
        ref = members[members["group"] == snap.reference]
        n_c = n_cohort[cohort]
        for group in sorted(set(members["group"]) - {snap.reference}):
            grp = members[members["group"] == group]
            n_r, n_g = n_group.get((cohort, snap.reference), 0.0), n_group[(cohort, group)]
            row = {
                "cohort": cohort,
                "group": snap.label(group),
                "reference": snap.label(snap.reference),
                "n_cohort": n_c if not hidden_below_k(n_c, k) else np.nan,
                "n_reference": n_r,
                "n_group": n_g,
                **NOT_TESTED,
            }
            if hidden_below_k(n_r, k) or hidden_below_k(n_g, k):
                row.update({"n_reference": np.nan, "n_group": np.nan, "status": HIDDEN.format(k=k)})
            elif n_c < min_n:
                row["status"] = SMALL_COHORT.format(n=min_n)
            elif n_r < min_group or n_g < min_group:
                row["status"] = SMALL_GROUP.format(m=min_group)
            else:
                row.update(
                    _protected_test(prot, grp["hourly_pay"].to_numpy(float), ref["hourly_pay"].to_numpy(float), t_line)
                )
            rows.append(row)
    return _ordered(rows)


def _cohort_of(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    parts = [table[c].astype(str) for c in columns]
    return parts[0].str.cat(parts[1:], sep=CATEGORY_JOIN) if len(parts) > 1 else parts[0]


def _protected_test(prot, grp: np.ndarray, ref: np.ndarray, t_line: float) -> dict:
    """Means, gap, t, df, p and flag of one tested comparison as published."""
    ln_g, ln_r = np.log(grp), np.log(ref)
    t, df, _ = welch_t(ln_g, ln_r)
    m_ref, m_grp = protected_mean(prot, [ref.mean(), grp.mean()], [ref.size, grp.size])
    out = {
        "mean_reference": m_ref,
        "mean_group": m_grp,
        "gap_pct": 100 * (m_ref - m_grp) / m_ref,
        "flagged": False,
        "status": TESTED,
    }
    if np.isfinite(t):
        se = np.sqrt(ln_g.var(ddof=1) / ln_g.size + ln_r.var(ddof=1) / ln_r.size)
        t_p = float(shifted(prot, "pay.cohort.t", [t], one_person_scale(ln_g, ln_r) / se, DERIVED_SPREAD)[0])
        df_p = float(max(np.floor(df), 1.0))
        flagged = bool(abs(t_p) >= t_line)
        out.update(
            {
                "t": t_p,
                "df": df_p,
                "p_value": float(2 * stats.t.sf(abs(t_p), df_p)),
                "flagged": flagged,
                "status": FLAGGED if flagged else TESTED,
            }
        )
    return out
