"""The Tier 2 chart draws the published rows: when the direct/indirect split is hidden it
draws the published total its title quotes, instead of an empty chart (issue 19)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.families.suppliers.charts import tier2_figure


def _row(period, dims, group, value, n):
    hidden = value is None
    return {
        "period": period,
        "period_start": f"{period}-01-01",
        "period_end": f"{period}-12-31",
        "dimensions": dims,
        "group": group,
        "value": np.nan if hidden else value,
        "n": pd.NA if hidden else n,
        "suppressed": hidden,
        "note": "n<k" if hidden else "",
    }


def test_hidden_split_draws_the_total_and_a_published_split_is_stacked():
    table = pd.DataFrame(
        [
            _row("2021", "", "All", None, None),  # nothing published: no bar
            _row("2022", "", "All", 1_309_808.0, 4),  # split hidden: the total
            _row("2022", "attribution", "direct", None, None),
            _row("2022", "attribution", "indirect", None, None),
            _row("2023", "", "All", 900.0, 6),  # split published: stacked
            _row("2023", "attribution", "direct", 600.0, 5),
            _row("2023", "attribution", "indirect", 300.0, 5),
        ]
    )
    fig = tier2_figure(table, title="t", currency="USD")
    bars = {(t.name, x): y for t in fig.data for x, y in zip(t.x, t.y)}
    assert bars == {
        ("Total (split hidden)", "2022"): 1_309_808.0,
        ("Direct", "2023"): 600.0,
        ("Indirect", "2023"): 300.0,
    }
    assert fig.layout.barmode == "stack"
