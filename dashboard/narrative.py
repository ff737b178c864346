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
    if len(shown) == 1 or (shown["group"] == "All").all():
        row = shown.iloc[0]
        return f"{spec.title} was {format_value(row['value'], spec.unit)} in {period}"
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
    if not ov.empty and not ov["suppressed"].iat[0]:
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


def difference_table(rows: pd.DataFrame, *, first: dict[str, str], other: tuple[str, str, str],
                     difference: str) -> pd.DataFrame:
    """A table of differences between two shares (a group vs everyone else, a wave vs the
    previous one): both shares with their n, the difference in points with its 95% CI, the
    Holm-adjusted p and a plain-language verdict. `first` maps leading output columns to row
    columns; `other` is (title, value column, n column). A row without a difference keeps its
    note (e.g. "group suppressed") and shows no figures."""
    out = pd.DataFrame({title: rows[col].fillna("").astype(str) for title, col in first.items()})
    title, value_col, n_col = other
    shown = rows[difference].notna()

    def share(col):
        return [format_value(v, "share") if ok else "" for v, ok in zip(rows[col], shown)]

    def count(col):
        return [f"{int(v):,}" if ok and pd.notna(v) else "" for v, ok in zip(rows[col], shown)]

    out["Favourable"], out["n"] = share("value"), count("n")
    out[title], out[f"n ({title.lower()})"] = share(value_col), count(n_col)
    out["Difference (points)"] = [f"{d * 100:+.1f}" if ok else "" for d, ok in zip(rows[difference], shown)]
    out["95% CI (points)"] = [f"{lo * 100:+.1f} to {hi * 100:+.1f}" if ok else ""
                              for lo, hi, ok in zip(rows["ci_low"], rows["ci_high"], shown)]
    out["p (Holm)"] = [f"{p:.3f}" if ok else "" for p, ok in zip(rows["p_holm"], shown)]
    out["Significant"] = [("yes" if bool(s) else "no") if ok else "" for s, ok in zip(rows["significant"], shown)]
    out["Note"] = rows["note"].fillna("").astype(str)
    return out.reset_index(drop=True)


def keyed_display_table(rows: pd.DataFrame, spec: MetricSpec, k: int, key: str, key_title: str,
                        labels=None) -> pd.DataFrame:
    """display_table for a metric with a key column (construct, item): the key is a column
    (relabelled by `labels`), and the value column is called "Value" so that tables of
    several metrics can be stacked."""
    out = display_table(rows, spec, k).rename(columns={spec.title: "Value"})
    keys = rows[key].reset_index(drop=True) if key in rows else pd.Series([key] * len(rows))
    out.insert(1, key_title, keys.map(labels) if labels else keys)
    return out


def side_by_side_table(table: pd.DataFrame, sides: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """Groups with several metrics side by side. `sides`: (column prefix, title, unit, k);
    each side shows its own value, CI, n and suppression wording ("fewer than k" with its
    own k), or "no data" when the group does not exist on that side."""
    out = pd.DataFrame({"Breakdown": table["dimensions"].replace("", "overall"), "Group": table["group"]})
    for prefix, title, unit, k in sides:
        values, cis, ns = [], [], []
        for _, r in table.iterrows():
            hidden = r.get(f"{prefix}_suppressed")
            if pd.isna(hidden):
                values.append("no data"), cis.append(""), ns.append("")
            elif hidden:
                values.append(suppressed_label(r[f"{prefix}_note"], k)), cis.append(""), ns.append("")
            else:
                values.append(format_value(r[f"{prefix}_value"], unit))
                low, high = r[f"{prefix}_ci_low"], r[f"{prefix}_ci_high"]
                cis.append("" if pd.isna(low) else f"{format_value(low, unit)} to {format_value(high, unit)}")
                ns.append(f"{int(r[f'{prefix}_n']):,}")
        out[title], out[f"{title}: 95% CI"], out[f"{title}: n"] = values, cis, ns
    return out.reset_index(drop=True)
