"""Every registry metric computes on the sample database, returns the long table, and
publishes nothing it suppresses."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.metrics import LONG_COLUMNS, build_context, registry
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow


def test_registry_entries_are_complete():
    for name, spec in registry().items():
        assert spec.title and spec.definition and spec.unit and spec.n, name
        assert callable(spec.load_function()), name
        assert spec.dimensions, name


@pytest.mark.parametrize("name", list(registry()))
def test_metric_returns_long_table_with_suppression(sample_con, name):
    spec = registry()[name]
    by = [d for d in ("gender", "race_ethnicity") if d in spec.dimensions]
    df = compute_exact(sample_con, name, by=by)
    assert list(df.columns[: len(LONG_COLUMNS)]) == LONG_COLUMNS
    assert (df.loc[df["dimensions"] == "", "group"] == "All").all()
    hidden = df[df["suppressed"]]
    for col in ("value", "numerator", "denominator", "ci_low", "ci_high", "n"):
        assert hidden[col].isna().all(), (name, col)
    shown = df[~df["suppressed"]]
    # the threshold the registry names for this metric (privacy.k, survey_k or supplier_k),
    # read from the sample's settings: every published n is at least that
    config = build_context(sample_con)["config"]
    setting = spec.k_setting.split(".")[-1]
    threshold = config["privacy"].get(setting) or config["privacy"]["k"]
    assert (shown["n"].astype(float) >= threshold).all(), name
    if spec.ci != "none":
        # an interval may be open-ended (e.g. a median whose upper limit is not reached)
        low = shown.dropna(subset=["value", "ci_low"])
        high = shown.dropna(subset=["value", "ci_high"])
        assert (low["ci_low"] <= low["value"] + 1e-12).all() and (high["value"] <= high["ci_high"] + 1e-12).all()
    assert np.isin(df["suppressed"], [True, False]).all()
