"""Plain-language titles, summaries and display tables for published metric rows.

Shared by the dashboard and the PDF so a sentence never contradicts its table. Inputs are
always the suppressed long table: nothing here can reveal a suppressed value.
"""
from __future__ import annotations

import pandas as pd

from pipelines.metrics import MetricSpec
from pipelines.metrics._suppression import PRIMARY

from .charts import format_value


def suppressed_label(note: str, k: int) -> str:
    """'fewer than k' for a small group; a protecting cell says why it is hidden instead."""
    return f"fewer than {k}" if PRIMARY in (note or "") else "suppressed (protects a smaller group)"


def latest_period(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return rows
    last = rows["period_start"].max()
    return rows[rows["period_start"] == last]


def finding_title(spec: MetricSpec, rows: pd.DataFrame) -> str:
    """A chart title that states the finding for the latest period."""
    latest = latest_period(rows)
    if latest.empty:
        return f"{spec.title}: no data for the selected period"
    period = latest["period"].iat[0]
    shown = latest[~latest["suppressed"] & latest["value"].notna()]
    if shown.empty:
        return f"{spec.title}, {period}: every group is below the privacy threshold"
    if (shown["group"] == "All").all():
        row = shown.iloc[0]
        return f"{spec.title} was {format_value(row['value'], spec.unit)} in {period}"
    if len(shown) == 1:
        row = shown.iloc[0]
        return (f"{spec.title}, {period}: {row['group']} {format_value(row['value'], spec.unit)}; "
                "other groups are too small to show")
    hi = shown.loc[shown["value"].idxmax()]
    lo = shown.loc[shown["value"].idxmin()]
    if spec.higher_is_better is False:
        return (f"{spec.title}, {period}: highest for {hi['group']} ({format_value(hi['value'], spec.unit)}), "
                f"lowest for {lo['group']} ({format_value(lo['value'], spec.unit)})")
    return (f"{spec.title}, {period}: {hi['group']} highest ({format_value(hi['value'], spec.unit)}), "
            f"{lo['group']} lowest ({format_value(lo['value'], spec.unit)})")


def summary_text(spec: MetricSpec, rows: pd.DataFrame, overall: pd.DataFrame, k: int) -> str:
    """Two or three sentences a screen-reader user gets instead of the chart."""
    latest = latest_period(rows)
    if latest.empty:
        return "No rows for the selected period."
    period = latest["period"].iat[0]
    parts = []
    ov = latest_period(overall)
    composition = (not ov.empty and spec.unit == "share"
                   and ov["numerator"].iat[0] == ov["denominator"].iat[0])   # shares of a whole
    if composition and not ov["suppressed"].iat[0]:
        parts.append(f"{period}: shares of {int(ov['n'].iat[0]):,} people.")
    elif not ov.empty and not ov["suppressed"].iat[0]:
        o = ov.iloc[0]
        ci = ""
        if pd.notna(o["ci_low"]):
            ci = f" (95% CI {format_value(o['ci_low'], spec.unit)} to {format_value(o['ci_high'], spec.unit)})"
        parts.append(f"Overall {spec.title.lower()} in {period}: {format_value(o['value'], spec.unit)}{ci}, "
                     f"n = {int(o['n']):,}.")
    shown = latest[~latest["suppressed"] & latest["value"].notna() & (latest["group"] != "All")]
    if len(shown) > 1:
        hi = shown.loc[shown["value"].idxmax()]
        lo = shown.loc[shown["value"].idxmin()]
        parts.append(f"Highest: {hi['group']} {format_value(hi['value'], spec.unit)} (n = {int(hi['n']):,}); "
                     f"lowest: {lo['group']} {format_value(lo['value'], spec.unit)} (n = {int(lo['n']):,}).")
    hidden = int(latest["suppressed"].sum())
    if hidden:
        parts.append(f"{hidden} group(s) not shown: fewer than {k} people, or hidden so a smaller "
                     f"group cannot be worked out from the totals.")
    return " ".join(parts)


def display_table(rows: pd.DataFrame, spec: MetricSpec, k: int) -> pd.DataFrame:
    """The table shown under a chart (and downloaded as CSV): formatted, suppression spelled out."""
    out = pd.DataFrame({
        "Period": rows["period"], "Breakdown": rows["dimensions"].replace("", "overall"),
        "Group": rows["group"],
    })
    values, cis, ns = [], [], []
    for _, r in rows.iterrows():
        if r["suppressed"]:
            values.append(suppressed_label(r["note"], k))
            cis.append("")
            ns.append("")
            continue
        values.append(format_value(r["value"], spec.unit))
        cis.append("" if pd.isna(r["ci_low"]) else
                   f"{format_value(r['ci_low'], spec.unit)} to {format_value(r['ci_high'], spec.unit)}")
        ns.append("" if pd.isna(r["n"]) else f"{int(r['n']):,}")
    out[spec.title] = values
    out["95% CI"] = cis
    out["n"] = ns
    out["Note"] = rows["note"].fillna("")
    return out.reset_index(drop=True)


def format_money(value: float, currency: str) -> str:
    """A sum of money for sentences: 1.12M USD, 85.3k USD, 950 USD."""
    if value is None or pd.isna(value):
        return ""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.{1 if suffix == 'k' else 2}f}{suffix} {currency}"
    return f"{value:,.0f} {currency}"


def latest_full_period(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of the latest period not cut short by the data window (else the latest period)."""
    full = rows[~rows["note"].fillna("").str.contains("partial period")]
    return latest_period(full if not full.empty else rows)


def split_share_table(rows: pd.DataFrame, k: int, currency: str, numerator: str,
                      keys: tuple[str, ...] = ()) -> pd.DataFrame:
    """Display table for a share of spend: share, its numerator and denominator in money, and
    n (companies); a hidden row says why and shows no amount."""
    out = pd.DataFrame({"Period": rows["period"]})
    for key in keys:
        out[key.replace("_", " ").capitalize()] = rows[key].values
    out["Breakdown"] = rows["dimensions"].replace("", "overall").values
    out["Group"] = rows["group"].values
    shares, nums, dens, ns = [], [], [], []
    for _, r in rows.iterrows():
        if r["suppressed"]:
            label = f"fewer than {k} companies" if PRIMARY in (r["note"] or "") else \
                "suppressed (protects a smaller cell)"
            shares.append(label)
            nums.append("")
            dens.append("")
            ns.append("")
            continue
        shares.append(format_value(r["value"], "share") or "no share (net spend not positive)")
        nums.append(f"{r['numerator']:,.0f}")
        dens.append(f"{r['denominator']:,.0f}")
        ns.append(f"{int(r['n']):,}")
    out["Share"] = shares
    out[f"{numerator} ({currency})"] = nums
    out[f"Denominator: spend ({currency})"] = dens
    out["n (companies)"] = ns
    out["Note"] = rows["note"].fillna("").values
    return out.reset_index(drop=True)
