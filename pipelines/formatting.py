"""How a metric value reads in text: one format per unit, shared by the dashboard, the PDF,
the CLI and the commitment reasons (which must not import the dashboard).

A table cell follows its column's kind (`column_kind`): one column never mixes 2.539e+05 with
1,962,228, a share never prints as 0.5578 beside percentages, a p-value below a thousandth
reads "< 0.001". The PDF tables and the CLI table view both print cells with `print_number`."""

from __future__ import annotations

import re

import pandas as pd

_MONEY = re.compile(r"cost|spend|amount|salary|budget|revenue|\([A-Z]{3}\)")
_PERCENT = re.compile(r"%|pct|percent")
_P_VALUE = re.compile(r"(^|[\s_(])p($|[\s_)])|p_value|p_holm")
_LOG_POINTS = re.compile(r"log|explained|endowments|coefficients|interaction")  # Oaxaca parts, in ln points
NOT_DISCLOSED = "Not disclosed"
# the one word for a figure that is not shown, in every view (dashboard, PDF, CLI): "hidden"; its
# cell says why ("fewer than 5", or that it protects a smaller group), never another word for
# it or a blank that could be read as zero
HIDDEN = "hidden"
HIDDEN_TO_PROTECT = f"{HIDDEN} (protects a smaller group)"
_NO_ANSWER = {"": NOT_DISCLOSED, "none": NOT_DISCLOSED, "nan": NOT_DISCLOSED}


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


def group_label(group: object) -> str:
    """A group as a reader sees it: "Woman, Asian" for Woman|Asian; a missing value reads
    "Not disclosed", never None."""
    if group is None or (isinstance(group, float) and pd.isna(group)):
        return NOT_DISCLOSED
    return ", ".join(_NO_ANSWER.get(v.strip().lower(), v.strip()) for v in str(group).split("|"))


def breakdown_label(dimensions: object) -> str:
    """The dimensions of a breakdown as words: "gender × race ethnicity"; none is "overall"."""
    text = "" if dimensions is None or (isinstance(dimensions, float) and pd.isna(dimensions)) else str(dimensions)
    return " × ".join(d.replace("_", " ") for d in text.split("|") if d) or "overall"


def format_ci(low: float | None, high: float | None, unit: str) -> str:
    """An interval in every view, "42.6% to 54.5%": the one wording of the dashboard, the PDF and
    the CLI (issue 19: the dashboard said "51.0% to 60.0%" where the CLI said "51.0–60.0%")."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return interval_cell(format_value(low, unit), format_value(high, unit))


def interval_cell(low: str, high: str) -> str:
    """Two formatted bounds as one cell, "42.6% to 54.5%"; blank if either is. Each bound keeps
    its unit and the word "to" joins them: a dash beside a minus sign ("-1.2–8.5%") is misread,
    and a screen reader reads "to" where it may skip a dash."""
    if not low or not high:
        return ""
    return f"{low} to {high}"


def column_kind(name: str, values: pd.Series) -> str:
    """money | percent | p | share | log_points | number (or points, which only a table names:
    see cli_table), from the column name (and, for
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
    """A number in a table cell by its column's kind (see `column_kind`)."""
    if pd.isna(value):
        return ""
    if kind == "p":
        return p_cell(value)
    if kind == "percent":
        return f"{value:,.1f}%"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "points":  # a difference of two shares: percentage points, never "%" (a 1.5% change is another thing)
        return f"{value * 100:+.1f} pts"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "log_points":
        return f"{value:.3f}"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 0.001 else "0"


def hidden_label(note: object, k: int | None) -> str:
    """What a hidden figure's cell reads: "fewer than k" (k the threshold) when the group's own
    (protected) count is below k; a figure hidden to protect another group (the data owner's
    exact output, complementary suppression) says so."""
    from .metrics._suppression import PRIMARY
    from .privacy.protect import PROTECTED_BELOW_K

    text = "" if note is None or (isinstance(note, float) and pd.isna(note)) else str(note)
    if PRIMARY in text or PROTECTED_BELOW_K in text:
        return f"fewer than {k if k is not None else 'k'}"
    return HIDDEN_TO_PROTECT
