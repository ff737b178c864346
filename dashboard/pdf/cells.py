"""How a table cell prints in the PDF: one rule per kind of column, so one column never mixes
2.539e+05 with 1,962,228, a share never prints as 0.5578 beside percentages and a p-value
below a thousandth reads "< 0.001" (never 0.000)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipelines.formatting import p_cell

PRINT_TEXT = 90   # characters; longer explanations are on the dashboard
_MONEY = re.compile(r"cost|spend|amount|salary|budget|revenue|\([A-Z]{3}\)")
_PERCENT = re.compile(r"%|pct|percent")
_P_VALUE = re.compile(r"(^|[\s_(])p($|[\s_)])|p_value|p_holm")
_LOG_POINTS = re.compile(r"log|explained|endowments|coefficients|interaction")   # Oaxaca parts, in ln points


def column_kind(name: str, values: pd.Series) -> str:
    """money | percent | p | share | log_points | number, from the column name (and, for
    shares, values that all lie in 0-1 in a column that is none of the others)."""
    lower = str(name).lower()
    if _P_VALUE.search(lower):
        return "p"
    if _PERCENT.search(lower):
        return "percent"
    if _MONEY.search(str(name)) or _MONEY.search(lower):
        return "money"
    if _LOG_POINTS.search(lower):
        return "log_points"
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if len(numbers) and not all(float(v).is_integer() for v in numbers) and numbers.between(0, 1).all():
        return "share"
    return "number"


def print_number(value: float, kind: str) -> str:
    if pd.isna(value):
        return ""
    if kind == "p":
        return p_cell(value)
    if kind == "percent":
        return f"{value:,.1f}%"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "log_points":
        return f"{value:.3f}"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 0.001 else "0"


def print_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as printed text: floats by their column's kind, yes/no for flags, long
    text shortened."""
    out = {}
    for col in df.columns:
        values = df[col]
        is_float = values.map(lambda v: isinstance(v, (float, np.floating)) and not isinstance(v, bool))
        kind = column_kind(col, values[is_float]) if is_float.any() else "number"
        out[col] = [print_number(float(v), kind) if f else _print_other(v) for v, f in zip(values, is_float)]
    return pd.DataFrame(out, columns=df.columns, index=df.index)


def _print_other(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, str) and len(value) > PRINT_TEXT:
        return value[:PRINT_TEXT - 1].rstrip() + "…"
    return value
