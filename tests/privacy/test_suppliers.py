"""Supplier goals grade the published (protected) share, the same figure as the Suppliers page."""

from __future__ import annotations

import pytest

from pipelines.metrics import build_context, compute
from pipelines.families.suppliers.goals import goal_progress, preset_config

pytestmark = pytest.mark.slow


def test_goal_actuals_are_the_pages_protected_shares_and_exact_only_for_the_data_owner(sample_con):
    config = preset_config(build_context(sample_con)["config"], "sba")
    goals = goal_progress(sample_con, config)
    assert len(goals)
    page = compute(sample_con, "certified_spend_share")
    page = page[page["group"] == "All"].set_index(["period", "certification", "spend_base"])["value"]
    diverse = compute(sample_con, "diverse_spend_share")
    diverse = diverse[diverse["group"] == "All"].set_index(["period", "spend_base"])["value"]
    exact = goal_progress(sample_con, config, exact=True).set_index(["goal", "period"])["actual"]
    moved = 0
    for r in goals[goals["actual"].notna()].itertuples():
        expected = (
            diverse[(r.period, r.spend_base)]
            if r.certification == "DIVERSE"
            else page[(r.period, r.certification, r.spend_base)]
        )
        assert r.actual == pytest.approx(expected, rel=1e-12)
        truth = exact[(r.goal, r.period)]
        # numerator and denominator each move by up to 4/n of themselves (n: the row's
        # companies, a protected count within 2 of the true one), so the share by at most
        # (1 + 4/n) / (1 - 4/n) of itself
        if r.n >= 12:
            m = 4 / (r.n - 2)
            assert truth * (1 - m) / (1 + m) - 1e-12 <= r.actual <= truth * (1 + m) / (1 - m) + 1e-12
        moved += int(r.actual != truth)
    assert moved > 0  # protected, not the exact share
