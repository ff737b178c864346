"""Cohort review: within each comparable cohort (default job family x job level) each group's
mean hourly pay gap against the reference and Welch's t-test on ln(hourly pay).

Gating ("30/5", OFCCP practice): a cohort is tested only with at least `pay.cohort_min_n`
people (30) and at least `pay.cohort_min_group_n` (5) in each of the two compared groups;
otherwise it is listed as not tested. A tested comparison with |t| >= `pay.cohort_t_threshold`
(2) is flagged. Privacy: per cohort the group counts go through the shared suppression rule
(cohort total published, so complementary suppression applies); a comparison is shown only
when both of its groups are published.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .pay_analysis import PaySnapshot
from .pay_groups import published_cells
from .pay_snapshot import check_columns, extra_column
from .pay_stats import welch_t

CATEGORY_JOIN = " × "
FLAGGED, TESTED, SMALL_COHORT, SMALL_GROUP, HIDDEN = (
    "flagged", "tested, not flagged", "not tested: cohort under {n}", "not tested: fewer than {m} in a group",
    "not shown: fewer than {k} people in a group")


def cohort_labels(snap: PaySnapshot) -> pd.Series:
    columns = check_columns(snap.config["pay"]["cohort_columns"], "pay.cohort_columns")
    parts = [snap.people[extra_column(c)].fillna(snap.config["demographics"]["unknown_label"]).astype(str)
             for c in columns]
    return parts[0].str.cat(parts[1:], sep=CATEGORY_JOIN) if len(parts) > 1 else parts[0]


def cohort_review(snap: PaySnapshot) -> pd.DataFrame:
    """One row per cohort x non-reference group present in it (people of both groups)."""
    cfg = snap.config["pay"]
    min_n, min_group, t_line = int(cfg["cohort_min_n"]), int(cfg["cohort_min_group_n"]), float(cfg["cohort_t_threshold"])
    people = snap.people.assign(cohort=cohort_labels(snap), _g=snap.people["group"])
    cells = published_cells(people, ["_g"], snap.k, ["cohort"])
    hidden = {(c, g) for c, g, s in cells.loc[cells["_gid"] == 0, ["cohort", "_g", "suppressed"]]
              .itertuples(index=False) if s}
    hidden_totals = set(cells.loc[(cells["_gid"] == 1) & cells["suppressed"], "cohort"])
    rows = []
    for cohort, members in people.groupby("cohort", sort=True):
        ref = members[members["group"] == snap.reference]
        for group in sorted(set(members["group"]) - {snap.reference}):
            grp = members[members["group"] == group]
            row = {"cohort": cohort, "group": snap.label(group), "reference": snap.label(snap.reference),
                   "n_cohort": len(members), "n_reference": len(ref), "n_group": len(grp),
                   "mean_reference": np.nan, "mean_group": np.nan, "gap_pct": np.nan, "t": np.nan,
                   "df": np.nan, "p_value": np.nan, "flagged": False}
            if len(members) < min_n:
                row["status"] = SMALL_COHORT.format(n=min_n)
            elif len(ref) < min_group or len(grp) < min_group:
                row["status"] = SMALL_GROUP.format(m=min_group)
            else:
                t, df, p = welch_t(np.log(grp["hourly_pay"]), np.log(ref["hourly_pay"]))
                m_ref, m_grp = ref["hourly_pay"].mean(), grp["hourly_pay"].mean()
                flagged = bool(abs(t) >= t_line)
                row.update({"mean_reference": m_ref, "mean_group": m_grp,
                            "gap_pct": 100 * (m_ref - m_grp) / m_ref, "t": t, "df": df, "p_value": p,
                            "flagged": flagged, "status": FLAGGED if flagged else TESTED})
            if (cohort, snap.reference) in hidden or (cohort, group) in hidden:
                # group counts and results of a suppressed group are never shown
                row.update({"n_reference": np.nan, "n_group": np.nan, "mean_reference": np.nan,
                            "mean_group": np.nan, "gap_pct": np.nan, "t": np.nan, "df": np.nan,
                            "p_value": np.nan, "flagged": False,
                            "status": HIDDEN.format(k=snap.k)})
            rows.append(row)
    columns = ["cohort", "group", "reference", "n_cohort", "n_reference", "n_group", "mean_reference",
               "mean_group", "gap_pct", "t", "df", "p_value", "flagged", "status"]
    out = pd.DataFrame(rows, columns=columns)
    # flagged first, then tested, then the rest (stable within each: cohort order)
    rank = {FLAGGED: 0, TESTED: 1}
    out = out.iloc[out["status"].map(lambda s: rank.get(s, 2)).argsort(kind="stable")].reset_index(drop=True)
    # a cohort whose own total is suppressed (smaller than k) does not show its size either
    out.loc[out["cohort"].isin(hidden_totals), "n_cohort"] = np.nan
    return out

