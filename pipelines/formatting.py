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


def p_cell(p: float | None) -> str:
    """A p-value in a table cell: '< 0.001' below a thousandth (never 0.000), else 3 decimals."""
    if p is None or pd.isna(p):
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def format_p(p: float | None, label: str = "p") -> str:
    """A p-value in a sentence: 'p < 0.001' or 'p = 0.013'."""
    cell = p_cell(p)
    return f"{label} {cell}" if cell.startswith("<") else (f"{label} = {cell}" if cell else "")


def format_money(value: float | None, currency: str) -> str:
    """A sum of money for sentences, rounded to what a reader uses: 1.12M USD, 85.3k USD, 950 USD."""
    if value is None or pd.isna(value):
        return ""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.{1 if suffix == 'k' else 2}f}{suffix} {currency}"
    return f"{value:,.0f} {currency}"


def format_measure(value: float | None, unit: str) -> str:
    """A statutory measure: a share (0-1) as a percentage, a gap already in percent as one."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:.1%}" if unit == "share" else f"{value:.1f}%"
