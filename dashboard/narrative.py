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


# --- pay equity (titles, summaries and tables for the relative-pay views) ---------------------

def _pct(value: float) -> str:
    return f"{abs(value):.1f}%"


def _relative_phrase(value: float, reference: str) -> str:
    return f"paid {_pct(value)} {'less' if value < 0 else 'more'} than {reference}"


def pay_gap_title(rows: pd.DataFrame, factors_text: str) -> str:
    """Title for the raw-vs-adjusted chart: the largest adjusted disadvantage in the latest period."""
    latest = latest_period(rows)
    if latest.empty:
        return "Pay gaps: no data for the selected period"
    period = latest["period"].iat[0]
    adjusted = latest[(latest["measure"] == "adjusted") & latest["relative"].notna()]
    if adjusted.empty:
        return f"Pay gaps, {period}: no group is large enough to show"
    worst = adjusted.loc[adjusted["relative"].idxmin()]
    return (f"Adjusted pay gap, {period}: {worst['group']} {_relative_phrase(worst['relative'], worst['reference'])} "
            f"with the same {factors_text}")


def pay_gap_summary(rows: pd.DataFrame, k: int) -> str:
    """Sentences a screen-reader user gets instead of the raw-vs-adjusted chart."""
    latest = latest_period(rows)
    if latest.empty:
        return "No rows for the selected period."
    parts = []
    for group, g in latest.groupby("group", sort=False):
        by = {m: r for m, r in zip(g["measure"], g.to_dict("records"))}
        raw, adj = by.get("raw"), by.get("adjusted")
        if adj is None or pd.isna(adj["relative"]):
            continue
        text = (f"{group} (n = {int(adj['n']):,}): {_relative_phrase(adj['relative'], adj['reference'])} after "
                f"legitimate factors (95% CI {adj['ci_low']:.1f}% to {adj['ci_high']:.1f}%)")
        if raw is not None and pd.notna(raw["relative"]):
            text += f", {_pct(raw['relative'])} {'less' if raw['relative'] < 0 else 'more'} before them"
        parts.append(text + ".")
    hidden = int(latest.loc[latest["measure"] == "adjusted", "suppressed"].sum())
    if hidden:
        parts.append(f"{hidden} group(s) not shown: fewer than {k} people, or hidden so a smaller group "
                     "cannot be worked out from the totals.")
    head = f"Pay relative to the reference group on {latest['period_end'].iat[0]} ({latest['period'].iat[0]}). "
    return head + (" ".join(parts) if parts else "No group is large enough to show.")


def pay_gap_table(rows: pd.DataFrame, k: int) -> pd.DataFrame:
    """Display table of the raw and adjusted relative pay (suppression spelled out)."""
    out = []
    for _, r in rows.sort_values(["period_end", "group", "measure"]).iterrows():
        shown = not r["suppressed"] and pd.notna(r["relative"])
        out.append({"Period": r["period"], "Group": r["group"], "Reference": r["reference"],
                    "Measure": r["measure"],
                    "Pay relative to reference": f"{r['relative']:+.1f}%" if shown else
                    (suppressed_label(r["note"], k) if r["suppressed"] else r["note"] or "no gap"),
                    "95% CI": f"{r['ci_low']:+.1f}% to {r['ci_high']:+.1f}%" if shown and pd.notna(r["ci_low"]) else "",
                    "n": "" if r["suppressed"] or pd.isna(r["n"]) else f"{int(r['n']):,}",
                    # Kennedy (1981): exp(beta - Var/2) - 1, the small-sample reading of the adjusted gap
                    "Kennedy-corrected": f"{r['kennedy_gap']:+.1f}%" if shown and pd.notna(r.get("kennedy_gap")) else "",
                    "p": f"{r['p_value']:.3g}" if shown and pd.notna(r.get("p_value")) else "",
                    "Note": "" if shown else (r["note"] or "")})
    return pd.DataFrame(out)


def art10_summary(flags: pd.DataFrame, threshold) -> str:
    if flags.empty:
        return "No category of workers has two groups large enough to compare."
    flagged = flags[flags["flagged"]]
    cats = flagged["category"].nunique()
    per = {c: flagged.loc[flagged["component"] == c, "category"].nunique() for c in ("basic", "variable")}
    return (f"{cats} of {flags['category'].nunique()} categories of workers have a gap of {threshold}% or more "
            f"between a published group and the reference ({per['basic']} in basic pay, {per['variable']} in "
            f"variable pay): a joint pay assessment "
            f"is needed unless objective, gender-neutral criteria justify it. Categories with a group of fewer "
            f"than k people are not assessed here.")


def decomposition_title(summary: pd.DataFrame) -> str:
    if summary.empty:
        return "Decomposition: no group is large enough to show"
    top = summary.loc[summary["n_group"].idxmax()]
    share = top["unexplained"] / top["gap_log_points"] if top["gap_log_points"] else float("nan")
    return (f"{share:.0%} of the {top['raw_gap_pct']:.1f}% pay gap between {top['group']} and {top['reference']} "
            "is not explained by the legitimate factors")


def cost_curve_title(total: dict, currency: str) -> str:
    if total is None or pd.isna(total.get("annual_cost")):
        return "Cost to close the adjusted gap: not shown (fewer than k people would be raised)"
    return (f"Closing the adjusted gap to {total['target_gap_pct']:g}% costs {total['annual_cost']:,.0f} {currency} "
            f"a year in raises for {int(total['n_raised']):,} people")
