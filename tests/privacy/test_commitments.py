"""Commitment values are published figures: protected, and the same as the linked metric's
own page shows for that group and period (issue 16: consistent in every view)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.families.commitments import assess_register
from pipelines.metrics import compute

pytestmark = pytest.mark.slow


def test_commitment_values_and_checkpoints_are_the_metric_pages_protected_figures(sample_con):
    assessments = assess_register(sample_con)
    assert len(assessments) == 3
    for a in assessments:
        c = a.commitment
        table = compute(sample_con, c.metric, by=list(c.dims), period="year", filters=c.filters)
        rows = table[(table["dimensions"] == "|".join(c.dims)) & (table["group"] == c.group)]
        for key, value in c.keys.items():
            rows = rows[rows[key].astype(str) == value]
        page = rows.set_index("period")["value"]
        yearly = a.yearly.set_index("period")["value"]
        assert len(yearly.dropna()), c.id
        assert yearly.dropna().to_numpy() == pytest.approx(page.reindex(yearly.dropna().index).to_numpy(), rel=1e-12)
        # each published checkpoint is one whole year of the page, never a rolling window
        shown = a.checkpoints[a.checkpoints["state"] == "published"]
        assert len(shown), c.id
        for cp in shown.itertuples():
            # (a sum of spend over one year or over all years differs in the last bit only)
            assert cp.value == pytest.approx(page[cp.period], rel=1e-12), (c.id, cp.checkpoint)


def test_the_exact_assessment_differs_only_in_the_data_owners_figures(sample_con):
    published = {a.commitment.id: a for a in assess_register(sample_con)}
    exact = {a.commitment.id: a for a in assess_register(sample_con, exact=True)}
    for cid, a in exact.items():
        truth = compute(
            sample_con,
            a.commitment.metric,
            by=list(a.commitment.dims),
            period="year",
            filters=a.commitment.filters,
            exact=True,
        )
        rows = truth[(truth["dimensions"] == "|".join(a.commitment.dims)) & (truth["group"] == a.commitment.group)]
        for key, value in a.commitment.keys.items():
            rows = rows[rows[key].astype(str) == value]
        mine = a.yearly.set_index("period")["value"].dropna()
        assert mine.to_numpy() == pytest.approx(
            rows.set_index("period")["value"].reindex(mine.index).to_numpy(), rel=1e-12
        )
        # protected figures move by a little: the labels of the demo's commitments hold
        assert published[cid].assessment == a.assessment
        diff = (published[cid].yearly.set_index("period")["value"] - a.yearly.set_index("period")["value"]).abs()
        assert diff.max() < 0.02 and not pd.isna(diff.max())
