"""Display tables of the retention curves (the Kaplan-Meier block's table and its groups), as
the page shows and downloads them and the PDF prints them."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import HIDDEN, group_label, interval_cell


def _pct(value) -> str:
    return "" if pd.isna(value) else f"{value:.1%}"


def blank_point_reason(k: int) -> str:
    """Why a point of a published curve is blank (pipelines/families/workforce/curves_protected.py): past the
    curve's last step, or too few people at risk there - never a value to read."""
    return f"{HIDDEN}: fewer than {k} at risk, or fewer than {k} exits since the curve's last step"


def curve_table(curves: pd.DataFrame, k: int) -> pd.DataFrame:
    """One row per group and month of tenure: the share still employed with its 95% interval
    (the protected curve's value, drawn as the chart draws it), the people at risk where the
    curve steps, and whether the point is a step, interpolated, or hidden and why."""
    blank = curves["survival"].isna()
    return pd.DataFrame(
        {
            "Group": curves["group"].map(group_label),
            "Months since hire": curves["tenure_months"],
            "Still employed": curves["survival"].map(_pct).where(~blank, HIDDEN),
            "95% CI low": curves["ci_low"].map(_pct),
            "95% CI high": curves["ci_high"].map(_pct),
            "At risk (n, at steps)": curves["at_risk"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}"),
            "Point": curves["shown_as"].where(~blank, blank_point_reason(k)),
        }
    ).reset_index(drop=True)


def group_table(summary: pd.DataFrame, k: int) -> pd.DataFrame:
    """The curves' groups: n and exits (protected counts), 12- and 24-month retention and
    median tenure, each with its 95% interval; a hidden group's cells say so."""
    out = pd.DataFrame({"Group": summary["group"].map(group_label)})
    hidden = summary["suppressed"].astype(bool)
    out["n"] = [f"fewer than {k}" if h else ("" if pd.isna(v) else f"{int(v):,}") for h, v in zip(hidden, summary["n"])]
    out["Exits"] = [("" if h or pd.isna(v) else f"{int(v):,}") for h, v in zip(hidden, summary["exits"])]
    for short, label, fmt in (
        ("12m", "12 months", _pct),
        ("24m", "24 months", _pct),
        ("median_months", "Median tenure (months)", lambda v: "" if pd.isna(v) else f"{v:.0f}"),
    ):
        out[label] = [HIDDEN if h else fmt(v) for h, v in zip(hidden, summary[short])]
        out[f"{label}, 95% CI"] = [
            "" if h else interval_cell(fmt(lo), fmt(hi))
            for h, lo, hi in zip(hidden, summary[f"{short}_ci_low"], summary[f"{short}_ci_high"])
        ]
    return out
