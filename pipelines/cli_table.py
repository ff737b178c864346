"""The CLI's table view: what a person reads in a terminal (issue 19, item 7).

`--format csv` and `--format json` stay the machine's full tables; the table view shows a
readable subset that fits the terminal: cells formatted by the rule the PDF uses
(pipelines/formatting.py), group labels in words, the interval as one column, and columns that
do not fit left out with a line saying so. The width is $COLUMNS when set, else the terminal's,
never more than 80 by default (a pipe or a CI log has no width of its own).

Imported only when a table is printed: `equity --help` stays free of pandas (pandas is
imported inside the functions that take a frame).
"""

from __future__ import annotations

import os
import shutil
import textwrap

DEFAULT_WIDTH = 80
MAX_CELL = 28  # a longer cell wraps inside its column; the column is planned at this width
LONG_COLUMNS = {"group", "value", "ci_low", "ci_high", "n", "suppressed", "metric"}
# header words a reader knows, for the raw names that are not plain English with underscores
HEADERS = {"n": "n", "p_holm": "Holm p", "p_value": "p", "suppressed": "Hidden"}
WORDS = {
    "pct": "%",
    "ci": "CI",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "id": "ID",
    "eu": "EU",
    "uk": "UK",
    "se": "SE",
}


def table_width() -> int:
    """$COLUMNS when set (a user asking for wider tables), else the terminal's width up to 80."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return min(DEFAULT_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def header(name: str) -> str:
    """A column name as a header: "gap_pct" reads "Gap %", "ci_low" "CI low", "n" stays "n"."""
    if name in HEADERS:
        return HEADERS[name]
    words = [WORDS.get(w, w) for w in str(name).split("_")]
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text and text[0].islower() else text


def readable_frame(df, k: int | None = None):
    """The rows as text a person reads: a long metric table as Period, Breakdown, Group, value,
    95% CI, n, Note; any other table with each column formatted by its kind and headers in words."""
    if LONG_COLUMNS <= set(df.columns):
        return _long_table(df, k)
    return _any_table(df)


def _long_table(df, k: int | None):
    import pandas as pd

    from .formatting import breakdown_label, format_ci, format_value, group_label, hidden_label
    from .metrics import registry
    from .metrics._periods import PARTIAL_NOTE

    specs = registry()
    metric = str(df["metric"].iloc[0]) if len(df) else ""
    spec = specs.get(metric)
    unit, title = (spec.unit, spec.title) if spec else ("", "Value")
    hidden = df["suppressed"].fillna(False).astype(bool)
    notes = df["note"].fillna("") if "note" in df.columns else pd.Series("", index=df.index)
    out = pd.DataFrame(
        {
            # a period cut short by the data window says so in its own cell: the Note column is
            # the first to go at 80 columns, and "2026" beside "2025" must not read as a full year
            "Period": [f"{p} partial" if PARTIAL_NOTE in n else str(p) for p, n in zip(df["period"], notes)]
            if "period" in df.columns
            else "",
            "Breakdown": df["dimensions"].map(breakdown_label) if "dimensions" in df.columns else "",
            "Group": df["group"].map(group_label),
            title: [
                hidden_label(note, k) if h else format_value(v, unit) for v, h, note in zip(df["value"], hidden, notes)
            ],
            "95% CI": ["" if h else format_ci(lo, hi, unit) for lo, hi, h in zip(df["ci_low"], df["ci_high"], hidden)],
            "n": ["" if h or pd.isna(n) else f"{int(n):,}" for n, h in zip(df["n"], hidden)],
            "Note": [n for n in notes],
        }
    )
    out = out.loc[:, [c for c in out.columns if (out[c] != "").any() or c in ("Group", title)]]
    # what a reader needs first when not every column fits (print_table's `first`)
    # (the period before the interval: without it the rows of a partial 2026 read as a full year)
    out.attrs["first"] = ("Group", title, "Period", "n", "95% CI", "Note")
    return out


def _any_table(df):
    """Every column formatted by its kind; a ci_low/ci_high pair as one interval column; columns
    that hold one value on every row offered last when not all fit (they tell a reader least)."""
    import numpy as np
    import pandas as pd

    from .formatting import breakdown_label, column_kind, group_label, interval_cell, print_number

    cols, pairs = {}, _interval_pairs(list(df.columns))
    # a table may name a column's kind where name and values cannot tell (a difference of two
    # shares in points, a z statistic that happens to lie in 0-1): df.attrs["kinds"]
    kinds = df.attrs.get("kinds", {})
    for col in df.columns:
        values = df[col]
        if col in pairs.values():
            continue
        if col in pairs:
            kind = kinds.get(col) or column_kind(col, pd.concat([values, df[pairs[col]]]).dropna())
            prefix = col[: -len("ci_low")].rstrip("_")
            cols[f"{header(prefix)} 95% CI".strip()] = [
                interval_cell(print_number(lo, kind), print_number(hi, kind))
                for lo, hi in zip(
                    pd.to_numeric(values, errors="coerce"), pd.to_numeric(df[pairs[col]], errors="coerce")
                )
            ]
            continue
        if col in ("group", "reference") and not pd.api.types.is_numeric_dtype(values):
            cols[header(col)] = values.map(group_label)
            continue
        if col == "dimensions":
            cols[header(col)] = values.map(breakdown_label)
            continue
        is_float = values.map(lambda v: isinstance(v, (float, np.floating)) and not isinstance(v, bool))
        kind = kinds.get(col) or (column_kind(col, values[is_float]) if is_float.any() else "number")
        cols[header(col)] = [print_number(float(v), kind) if f else _other(v) for v, f in zip(values, is_float)]
    out = pd.DataFrame(cols, index=df.index)
    varying = [c for c in out.columns if out[c].nunique(dropna=False) > 1]
    out.attrs["first"] = tuple(varying) if len(out) > 1 else ()
    return out


def _interval_pairs(columns: list[str]) -> dict[str, str]:
    """{x_ci_low: x_ci_high} for each interval the table carries as two columns."""
    return {
        c: c.replace("ci_low", "ci_high")
        for c in columns
        if c.endswith("ci_low") and c.replace("ci_low", "ci_high") in columns
    }


def _other(value) -> str:
    import datetime as dt

    import numpy as np
    import pandas as pd

    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    return str(value)


def fitting_columns(columns: list[str], rows: list[list[str]], width: int, first: tuple[str, ...] = ()) -> list[int]:
    """The columns that fit `width` at their natural widths (a cell counted at most MAX_CELL;
    rich wraps the rest), those named in `first` taken first and in that order, then the rest
    from the left; shown in their own order. The first one taken is always kept."""
    order = sorted(
        range(len(columns)), key=lambda i: (first.index(columns[i]) if columns[i] in first else len(first), i)
    )
    kept, used = [], 1  # the table's left border
    for i in order:
        natural = max([len(columns[i]), *(min(len(r[i]), MAX_CELL) for r in rows)])
        need = natural + 3  # one space each side and the column's right border
        if kept and used + need > width:
            continue
        kept.append(i)
        used += need
    return sorted(kept)


def print_table(
    columns: list[str], rows: list[list[str]], width: int | None = None, first: tuple[str, ...] = ()
) -> None:
    """A boxed table no wider than `width` (table_width() by default): columns that do not fit
    are left out and named on a line below, so nothing is dropped without saying so."""
    from rich.console import Console
    from rich.table import Table

    width = width or table_width()
    kept = fitting_columns(columns, rows, width, first)
    table = Table(show_lines=False)
    for i in kept:
        table.add_column(columns[i], overflow="fold")
    for row in rows:
        table.add_row(*(row[i] for i in kept))
    console = Console(width=width, soft_wrap=False)
    console.print(table)
    left_out = [c for i, c in enumerate(columns) if i not in kept]
    if left_out:
        note = (
            f"{len(left_out)} more column(s) not shown at {width} characters: {', '.join(left_out)}. "
            "Use --format csv or json for every column, or set COLUMNS wider."
        )
        for line in textwrap.wrap(note, width):
            console.print(line, markup=False, highlight=False)


def say(text: str, fmt: str = "table") -> None:
    """A sentence around a table: wrapped to the table's width for a person; for csv/json it
    goes, whole, to stderr, so the output stays machine-readable."""
    import click

    if fmt != "table":
        click.echo(text, err=True)
        return
    width = table_width()
    for paragraph in text.split("\n"):
        click.echo("\n".join(textwrap.wrap(paragraph, width, subsequent_indent="  ")) if paragraph.strip() else "")
