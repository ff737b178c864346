"""Cohort review: 30/5 gating, Welch's t against scipy, |t| >= 2 flag, and suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipelines.families.pay.cohorts import cohort_review
from tests.test_pay_oaxaca import snapshot_from


def _cohort(level, men, women, other=()):
    """People of one cohort (family A); `men`/`women` are hourly pay lists."""
    rows = [("Man", p) for p in men] + [("Woman", p) for p in women] + list(other)
    return pd.DataFrame(
        {
            "group": [g for g, _ in rows],
            "gender": [g for g, _ in rows],
            "hourly_pay": [p for _, p in rows],
            "x_job_family": "A",
            "x_job_level": level,
            "f_job_level": level,
            "f_tenure_years": 1.0,
        }
    )


def _people():
    rng = np.random.default_rng(5)
    return pd.concat(
        [
            # 30 people, 5 women paid about 15% less: tested, |t| well above 2 -> flagged
            _cohort("L1", rng.normal(40, 2, 25), rng.normal(34, 2, 5)),
            # 29 people: below the 30 needed -> not tested
            _cohort("L2", rng.normal(40, 2, 20), rng.normal(34, 2, 9)),
            # 34 people but only 4 women: fewer than 5 in a group -> not tested
            _cohort("L3", rng.normal(40, 2, 30), rng.normal(34, 2, 4)),
            # 30 people, the women paid exactly like the men: tested, t = 0, not flagged
            _cohort("L4", np.tile([38.0, 40.0, 42.0], 5), np.tile([38.0, 40.0, 42.0], 5)),
        ],
        ignore_index=True,
    )


def test_gating_t_test_and_flags():
    people = _people()
    review = cohort_review(snapshot_from(people, k=3)).set_index("cohort")
    l1 = review.loc["A × L1"]
    assert l1["status"] == "flagged" and l1["flagged"] and l1["n_cohort"] == 30
    men = people[(people["x_job_level"] == "L1") & (people["group"] == "Man")]["hourly_pay"]
    women = people[(people["x_job_level"] == "L1") & (people["group"] == "Woman")]["hourly_pay"]
    ref = stats.ttest_ind(np.log(women), np.log(men), equal_var=False)
    assert l1["t"] == pytest.approx(ref.statistic) and l1["p_value"] == pytest.approx(ref.pvalue)
    assert abs(l1["t"]) >= 2
    assert l1["gap_pct"] == pytest.approx(100 * (men.mean() - women.mean()) / men.mean())
    assert review.loc["A × L2", "status"] == "not tested: cohort under 30" and np.isnan(review.loc["A × L2", "t"])
    assert review.loc["A × L3", "status"] == "not tested: fewer than 5 in a group"
    l4 = review.loc["A × L4"]
    assert l4["status"] == "tested, not flagged" and l4["t"] == pytest.approx(0.0, abs=1e-12)
    assert not l4["flagged"]


def test_groups_below_k_are_not_shown():
    people = _people()
    extra = _cohort("L1", [], [], other=[("Non-binary", 39.0)] * 2)  # 2 non-binary people in L1
    review = cohort_review(snapshot_from(pd.concat([people, extra], ignore_index=True), k=5))
    l1 = review[review["cohort"] == "A × L1"].set_index("group")
    # Non-binary (2) is below k; the women (5) are the next-smallest cell and are hidden too,
    # otherwise cohort total - men - women would give the non-binary count
    for group in ("Non-binary", "Woman"):
        assert l1.loc[group, "status"] == "not shown: fewer than 5 people in a group"
        assert l1.loc[group, ["n_group", "n_reference", "gap_pct", "t"]].isna().all()
    # L3's 4 women are below k as well
    l3 = review[review["cohort"] == "A × L3"].iloc[0]
    assert l3["status"].startswith("not shown") and np.isnan(l3["n_group"])
