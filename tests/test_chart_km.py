"""The Kaplan-Meier chart draws its 95% band only where the interval is known: a band trace
across unknown months was filled as a straight diagonal (issue 19)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.families.workforce.charts_retention import km_figure


def _curves():
    # months 1-3 known, 4-9 hidden (few at risk), 10-12 known again at a much lower level
    months = np.arange(1, 13, dtype=float)
    surv = [0.95, 0.9, 0.85, *[np.nan] * 6, 0.45, 0.44, 0.42]
    lo = [s - 0.05 if s == s else np.nan for s in surv]
    hi = [s + 0.03 if s == s else np.nan for s in surv]
    return pd.DataFrame(
        {
            "group": "All",
            "tenure_months": months,
            "survival": surv,
            "ci_low": lo,
            "ci_high": hi,
            "at_risk": [100, 90, 80, *[np.nan] * 6, 20, 18, 16],
        }
    )


def test_band_never_bridges_unknown_months():
    fig = km_figure(_curves(), title="t", months=None)
    bands = [t for t in fig.data if t.showlegend is False]
    spans = sorted({(float(t.x[0]), float(t.x[-1])) for t in bands})
    assert spans == [(0.0, 3.0), (10.0, 12.0)]  # the two runs, nothing across months 4-9
    for t in bands:
        assert np.all(np.diff(np.asarray(t.x, float)) == 1)  # consecutive months only
        assert np.isfinite(np.asarray(t.y, float)).all()
    # the lower bound of the second run starts at 0.45 - 0.05, not at 100%
    lower = [t for t in bands if t.fill == "tonexty" and t.x[0] == 10.0][0]
    assert np.isclose(lower.y[0], 0.40)


def test_band_of_a_curve_starting_hidden_has_no_month_zero():
    c = _curves()
    c.loc[c["tenure_months"] <= 3, ["survival", "ci_low", "ci_high"]] = np.nan
    bands = [t for t in km_figure(c, title="t", months=None).data if t.showlegend is False]
    assert {float(t.x[0]) for t in bands} == {10.0}
