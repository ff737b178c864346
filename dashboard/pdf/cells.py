"""How a table cell prints in the PDF: one rule per kind of column, so one column never mixes
2.539e+05 with 1,962,228, a share never prints as 0.5578 beside percentages and a p-value
below a thousandth reads "< 0.001" (never 0.000). The rule itself is pipelines/formatting.py's
(the CLI table view uses it too)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.formatting import column_kind, print_number  # one rule, shared with the CLI table view

PRINT_TEXT = 90  # characters; longer explanations are on the dashboard


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
        return value[: PRINT_TEXT - 1].rstrip() + "…"
    return value
