"""Hiring's tables write a p-value as the rest of the product does (issue 19: '< 0.001' below a
thousandth, else three decimals), not '<0.0001' and four decimals: one p formatter
(pipelines/formatting.p_cell) for the impact table, the CMH table, the CLI and the PDF."""

from __future__ import annotations

import math

import pandas as pd
from scipy.stats import fisher_exact

from pipelines.families.hiring.display import cmh_display, impact_display

# Fisher's exact test of 10/100 selected against 30/100, two-sided (scipy, in the test): p is
# 0.00065, below a thousandth; 20/100 against 30/100 gives 0.1412
P_SMALL = fisher_exact([[10, 90], [30, 70]])[1]
P_PLAIN = fisher_exact([[20, 80], [30, 70]])[1]


def _impact_row(p_fisher: float, p_holm: float) -> dict:
    return {
        "period": "2025",
        "stage": "screen",
        "next_stage": "interview",
        "group": "Woman",
        "suppressed": False,
        "note": "",
        "flagged": True,
        "p_holm": p_holm,
        "significant": True,
        "numerator": 10,
        "n": 100,
        "selection_rate": 0.1,
        "reference_group": "Man",
        "reference_rate": 0.3,
        "value": 1 / 3,
        "ci_low": 0.17,
        "ci_high": 0.64,
        "z": -3.5,
        "p_fisher": p_fisher,
        "shortfall": 14,
    }


def test_the_impact_table_writes_p_as_the_product_does():
    assert P_SMALL < 0.001 < P_PLAIN  # the two cases below: under a thousandth, and not
    out = impact_display(pd.DataFrame([_impact_row(P_SMALL, P_PLAIN)]), 5)
    assert out.loc[0, "p (Fisher)"] == "< 0.001"
    # three decimals, rounded by hand from scipy's value (0.1412...)
    assert out.loc[0, "p (Holm)"] == f"{math.floor(P_PLAIN * 1000 + 0.5) / 1000:.3f}" == "0.141"


def test_the_cmh_table_writes_p_as_the_product_does():
    cmh = pd.DataFrame(
        {
            "period": ["2025"] * 3,
            "stage": ["screen"] * 3,
            "group": ["Woman"] * 3,
            "reference_group": ["Man"] * 3,
            "pooled_ratio": [0.5] * 3,
            "pooled_z": [-3.0] * 3,
            "mh_rate_ratio": [0.6] * 3,
            "mh_odds_ratio": [0.5] * 3,
            "mh_or_low": [0.3] * 3,
            "mh_or_high": [0.8] * 3,
            "cmh_z": [-3.0] * 3,
            "cmh_p": [0.00004, 0.0126, float("nan")],
            "strata": [4] * 3,
            "pooled_conclusion": ["lower"] * 3,
            "stratified_conclusion": ["lower"] * 3,
            "note": [""] * 3,
        }
    )
    # 0.00004 is under a thousandth; 0.0126 rounds to 0.013 at the third decimal (12.6
    # thousandths); a missing p is blank
    assert cmh_display(cmh, "department")["CMH p"].tolist() == ["< 0.001", "0.013", ""]
