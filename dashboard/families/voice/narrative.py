"""Tables for the employee-voice views: differences, keyed tables, outcomes side by side.

Shared by the dashboard and the PDF; inputs are suppressed tables."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import breakdown_label, format_ci, group_label, interval_cell, p_cell
from pipelines.metrics import MetricSpec

from ...charts import format_value
from ...narrative import display_table, suppressed_label


# key columns shown as words: groups as "Woman, Asian", breakdowns as "gender × race ethnicity"
READABLE = {"group": group_label, "dimensions": breakdown_label}


def difference_table(
    rows: pd.DataFrame, *, first: dict[str, str], other: tuple[str, str, str], difference: str
) -> pd.DataFrame:
    """A table of differences between two shares (a group vs everyone else, a wave vs the
    previous one): both shares with their n, the difference in points with its 95% CI, the
    Holm-adjusted p and a plain-language verdict. `first` maps leading output columns to row
    columns; `other` is (title, value column, n column). A row without a difference keeps its
    note (e.g. "group suppressed") and shows no figures."""
    out = pd.DataFrame(
        {
            title: rows[col].map(READABLE[col]) if col in READABLE else rows[col].fillna("").astype(str)
            for title, col in first.items()
        }
    )
    title, value_col, n_col = other
    shown = rows[difference].notna()

    def share(col):
        return [format_value(v, "share") if ok else "" for v, ok in zip(rows[col], shown)]

    def count(col):
        return [f"{int(v):,}" if ok and pd.notna(v) else "" for v, ok in zip(rows[col], shown)]

    out["Favourable"], out["n"] = share("value"), count("n")
    out[title], out[f"n ({title.lower()})"] = share(value_col), count(n_col)
    out["Difference (points)"] = [f"{d * 100:+.1f}" if ok else "" for d, ok in zip(rows[difference], shown)]
    out["95% CI (points)"] = [
        interval_cell(f"{lo * 100:+.1f}", f"{hi * 100:+.1f}") if ok else ""
        for lo, hi, ok in zip(rows["ci_low"], rows["ci_high"], shown)
    ]
    out["p (Holm)"] = [p_cell(p) if ok else "" for p, ok in zip(rows["p_holm"], shown)]
    out["Significant"] = [("yes" if bool(s) else "no") if ok else "" for s, ok in zip(rows["significant"], shown)]
    out["Note"] = rows["note"].fillna("").astype(str)
    return out.reset_index(drop=True)


def keyed_display_table(
    rows: pd.DataFrame, spec: MetricSpec, k: int, key: str, key_title: str, labels=None
) -> pd.DataFrame:
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
    out = pd.DataFrame(
        {"Breakdown": table["dimensions"].map(breakdown_label), "Group": table["group"].map(group_label)}
    )
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
                cis.append(format_ci(low, high, unit))
                ns.append(f"{int(r[f'{prefix}_n']):,}")
        out[title], out[f"{title}: 95% CI"], out[f"{title}: n"] = values, cis, ns
    return out.reset_index(drop=True)
