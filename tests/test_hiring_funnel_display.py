"""The hiring funnel table's cells, on two hand-made stages: reach and pass-through each show
count / base, share and interval, and a suppressed proportion shows only why it is hidden."""

from __future__ import annotations

import pandas as pd

from pipelines.families.hiring.display import funnel_display
from pipelines.privacy.protect import PROTECTED_BELOW_K


def _rows(**columns):
    return pd.DataFrame(columns)


def test_funnel_cells_for_a_shown_and_a_suppressed_group():
    reach = _rows(
        stage=["applied", "interview", "interview"],
        group=["All", "All", "Woman"],
        numerator=[1200, 300, 4],
        n=[1200, 1200, 9],
        value=[1.0, 0.25, 4 / 9],
        ci_low=[0.99, 0.226, 0.1],
        ci_high=[1.0, 0.275, 0.8],
        suppressed=[False, False, True],
        note=["", "", PROTECTED_BELOW_K],
    )
    passing = _rows(
        stage=["interview"],
        group=["All"],
        numerator=[120],
        n=[300],
        value=[0.4],
        ci_low=[0.346],
        ci_high=[0.456],
        suppressed=[False],
        note=[""],
    )
    table = funnel_display(reach, passing, ["applied", "interview"], k=10).set_index(["Stage", "Group"])

    applied = table.loc[("applied", "All")]
    assert (applied["Reached / applications"], applied["Share reaching"], applied["95% CI"]) == (
        "1,200 / 1,200",
        "100.0%",
        "99.0% to 100.0%",
    )
    assert applied["Passed on / finished"] == ""  # no pass-through row for the first stage

    interview = table.loc[("interview", "All")]
    assert (interview["Reached / applications"], interview["Share reaching"], interview["95% CI"]) == (
        "300 / 1,200",
        "25.0%",
        "22.6% to 27.5%",
    )
    assert (interview["Passed on / finished"], interview["Pass-through rate"], interview["Pass-through 95% CI"]) == (
        "120 / 300",
        "40.0%",
        "34.6% to 45.6%",
    )

    women = table.loc[("interview", "Woman")]
    assert women["Reached / applications"] == "fewer than 10"
    assert women["Share reaching"] == "" and women["95% CI"] == ""  # nothing of a hidden share shows
    assert women["Note"] == PROTECTED_BELOW_K
