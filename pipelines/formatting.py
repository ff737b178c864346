"""How a metric value reads in text: one format per unit, shared by the dashboard, the PDF,
the CLI and the commitment reasons (which must not import the dashboard)."""
from __future__ import annotations

import pandas as pd


def format_value(value: float | None, unit: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if unit in ("share", "rate"):
        return f"{value:.1%}"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in ("count", "currency"):
        return f"{value:,.0f}"
    return f"{value:.3g}"
