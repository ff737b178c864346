"""Oaxaca-Blinder decomposition against statsmodels' OaxacaBlinder on the same data (twofold
pooled and threefold), plus the identity that factor contributions add up to the explained part."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.oaxaca import OaxacaBlinder

from pipelines.config import default_config
from pipelines.families.pay.analysis import PaySnapshot
from pipelines.families.pay.oaxaca import decompose, decomposition_tables


def _data(seed, shift=-0.08, drop_level_for_b=False):
    rng = np.random.default_rng(seed)
    n = 300
    b = rng.random(n) < 0.4
    level = rng.choice(["L1", "L2", "L3"], n, p=[0.5, 0.3, 0.2])
    if drop_level_for_b:  # nobody in group B on L3: its B-model cannot estimate that level
        level = np.where(b & (level == "L3"), "L2", level)
    tenure = rng.uniform(0, 20, n) - 2 * b
    y = 3.2 + 0.3 * (level == "L2") + 0.6 * (level == "L3") + 0.02 * tenure + shift * b + 0.1 * rng.standard_normal(n)
    x = pd.DataFrame(
        {"const": 1.0, "level=L2": (level == "L2") * 1.0, "level=L3": (level == "L3") * 1.0, "tenure_years": tenure}
    )
    return y, x, b


@pytest.mark.parametrize("seed,shift,drop", [(1, -0.08, False), (2, 0.05, False), (3, -0.1, True)])
def test_decomposition_matches_statsmodels(seed, shift, drop):
    y, x, b = _data(seed, shift, drop)
    mine = decompose(y, x, b)
    exog = x.assign(group=b.astype(float)).to_numpy()
    # reference (group 0) first and never swapped: the convention decompose() follows
    ob = OaxacaBlinder(y, exog, bifurcate=4, hasconst=True, swap=False)
    unexplained, explained, gap = ob.two_fold(two_fold_type="pooled").params
    assert mine["gap"] == pytest.approx(gap, abs=1e-12)
    assert mine["explained"] == pytest.approx(explained, abs=1e-10)
    assert mine["unexplained"] == pytest.approx(unexplained, abs=1e-10)
    endow, coef, inter, gap3 = ob.three_fold().params
    assert mine["endowments"] == pytest.approx(endow, abs=1e-10)
    assert mine["coefficients"] == pytest.approx(coef, abs=1e-10)
    assert mine["interaction"] == pytest.approx(inter, abs=1e-10)
    # twofold and threefold each add up to the raw gap (independent identity)
    assert explained + unexplained == pytest.approx(gap3) and endow + coef + inter == pytest.approx(gap3)
    # factor contributions (level dummies summed) add up to the explained part
    assert mine["factors"].sum() == pytest.approx(mine["explained"], abs=1e-12)
    assert set(mine["factors"].index) == {"level", "tenure_years"}


def snapshot_from(people: pd.DataFrame, reference="Man", k=5) -> PaySnapshot:
    config = default_config()
    config["pay"]["legitimate_factors"] = ["job_level", "tenure_years"]
    return PaySnapshot(
        date=dt.date(2024, 12, 31),
        people=people.reset_index(drop=True),
        dims=["gender"],
        reference=reference,
        k=k,
        config=config,
        factors=["job_level", "tenure_years"],
    )


def test_decomposition_table_hides_small_groups_and_adds_up():
    y, x, b = _data(4)
    people = pd.DataFrame(
        {
            "group": np.where(b, "Woman", "Man"),
            "hourly_pay": np.exp(y),
            "f_job_level": np.select([x["level=L2"] == 1, x["level=L3"] == 1], ["L2", "L3"], "L1"),
            "f_tenure_years": x["tenure_years"],
            "employee_id": [f"E{i}" for i in range(len(y))],
        }
    )
    people["gender"] = people["group"]
    extra = people.iloc[:3].assign(group="Non-binary", gender="Non-binary")  # 3 people < k = 5
    snap = snapshot_from(pd.concat([people, extra]))
    summary, factors = decomposition_tables(snap)
    # Non-binary (3) is below k; the line gender then holds one hidden cell, so complementary
    # suppression hides the next-smallest published cell too (Woman, smaller than Man here)
    assert b.sum() < (~b).sum()
    assert summary.empty
    snap = snapshot_from(
        pd.concat([people, extra, people.iloc[3:9].assign(group="Prefer not to say", gender="Prefer not to say")])
    )
    summary, factors = decomposition_tables(snap)
    assert list(summary["group"]) == ["Woman"]  # 3 + 6 hidden people >= k: Woman published again
    woman = summary.iloc[0]
    mine = decompose(y, x, b)
    assert woman["gap_log_points"] == pytest.approx(mine["gap"]) and woman["explained"] == pytest.approx(
        mine["explained"]
    )
    part = factors[factors["group"] == "Woman"].set_index("factor")["explained"]
    assert part.drop("unexplained").sum() == pytest.approx(woman["explained"])
    assert part["unexplained"] == pytest.approx(woman["unexplained"])
