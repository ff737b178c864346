"""Exports of published tables: CSV safe to open in a spreadsheet, JSON, plain tables."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `equity list` exports plain rows and must not pay for importing pandas
    import pandas as pd

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame, cell=None) -> pd.DataFrame:
    """Text columns and names passed through `cell` (default: neutralise); numeric columns
    untouched (a negative gap stays a number)."""
    import pandas as pd

    cell = cell or neutralise
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(cell)
    out.columns = [cell(c) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> str:
    """CSV text of `df` with formula-like text cells neutralised."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def to_json(df: pd.DataFrame) -> str:
    records = json.loads(df.to_json(orient="records", date_format="iso"))
    return json.dumps(records, indent=2, ensure_ascii=False)


def rows_to_csv(rows: list[dict]) -> str:
    """CSV text of plain rows (one dict per row, same keys), neutralised like `to_csv`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if rows:
        writer.writerow([neutralise(c) for c in rows[0]])
        writer.writerows([neutralise(v) for v in row.values()] for row in rows)
    return buf.getvalue()


def rows_to_json(rows: list[dict]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)
