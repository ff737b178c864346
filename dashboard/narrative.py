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


# --- Workforce family: sentences for the retention curves, impact ratios, pipeline, targets
# and policy-event charts (dashboard and PDF share them, so text and table never disagree).

def full_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of periods that are not cut short by the data window (latest full year etc.)."""
    return rows[~rows["note"].fillna("").str.contains("partial period")]


def periods_with_values(rows: pd.DataFrame, overall: pd.DataFrame) -> pd.DataFrame:
    """Rows of the periods whose overall value is published (a cohort still being followed
    up has none yet, and a title about it would say nothing)."""
    done = overall.loc[overall["value"].notna() & ~overall["suppressed"], "period_start"]
    return rows[rows["period_start"].isin(set(done))]


def lowest_retention_group(summary: pd.DataFrame) -> str | None:
    shown = summary[~summary["suppressed"] & (summary["group"] != "All") & summary["24m"].notna()]
    return None if shown.empty else str(shown.loc[shown["24m"].idxmin(), "group"])


def retention_title(summary: pd.DataFrame) -> str:
    """The lowest published group's 24-month retention against everyone's."""
    overall = summary[summary["group"] == "All"]
    everyone = format_value(overall["24m"].iat[0], "share") if len(overall) and pd.notna(overall["24m"].iat[0]) else ""
    low = lowest_retention_group(summary)
    if low is None:
        return f"{everyone or 'Retention'} still employed 24 months after hire"
    row = summary[summary["group"] == low].iloc[0]
    return (f"Still employed 24 months after hire: {low} {format_value(row['24m'], 'share')} "
            f"vs {everyone} for everyone")


def retention_summary(summary: pd.DataFrame, logrank, k: int) -> str:
    parts = []
    overall = summary[summary["group"] == "All"]
    if not overall.empty and pd.notna(overall["12m"].iat[0]):
        o = overall.iloc[0]
        parts.append(f"Overall, {format_value(o['12m'], 'share')} stay 12 months (95% CI "
                     f"{format_value(o['12m_ci_low'], 'share')} to {format_value(o['12m_ci_high'], 'share')}) and "
                     f"{format_value(o['24m'], 'share')} stay 24 months; n = {int(o['n']):,}.")
    shown = summary[~summary["suppressed"] & (summary["group"] != "All") & summary["24m"].notna()]
    if len(shown) > 1:
        lo = shown.loc[shown["24m"].idxmin()]
        parts.append(f"Lowest 24-month retention: {lo['group']} {format_value(lo['24m'], 'share')} "
                     f"(95% CI {format_value(lo['24m_ci_low'], 'share')} to "
                     f"{format_value(lo['24m_ci_high'], 'share')}, n = {int(lo['n']):,}).")
    if logrank is not None:
        verdict = "differ" if logrank.p_value < 0.05 else "do not clearly differ"
        parts.append(f"The curves of the {len(logrank.groups)} groups shown {verdict} (log-rank "
                     f"chi-square {logrank.statistic:.1f} on {logrank.df} df, p = {logrank.p_value:.2g}).")
    hidden = int(summary["suppressed"].sum())
    if hidden:
        parts.append(f"{hidden} group(s) not shown: fewer than {k} people, or hidden to protect one.")
    return " ".join(parts)


def ratio_title(rows: pd.DataFrame, threshold: float) -> str:
    """Names a group only when its whole 95% interval is below the threshold; a low point
    estimate with a wide interval is reported as not clearly below."""
    shown = rows[~rows["suppressed"] & rows["value"].notna() & (rows["group"] != "All")
                 & (rows["note"] != "reference group")]
    if shown.empty:
        return "Promotion impact ratios: no group can be compared"
    ref = shown["reference_group"].iat[0]
    clear = shown[shown["ci_high"] < threshold]
    if not clear.empty:
        lo = clear.loc[clear["value"].idxmin()]
        return (f"{lo['group']} promoted at {lo['value']:.2f} times the rate of {ref} (95% CI up to "
                f"{lo['ci_high']:.2f}); {len(clear)} group(s) clearly below {threshold}")
    return f"No group is clearly promoted less than {threshold} times as often as {ref}"


def ratio_summary(rows: pd.DataFrame, k: int) -> str:
    shown = rows[~rows["suppressed"] & rows["value"].notna() & (rows["group"] != "All")]
    if shown.empty:
        return "No group has enough people to be compared."
    parts = [f"{r['group']}: {r['value']:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}, "
             f"Fisher p = {r['p_value_fisher']:.2g}, n = {int(r['n']):,})"
             for _, r in shown.iterrows() if r["note"] != "reference group"]
    ref = shown["reference_group"].dropna()
    lead = f"Reference group: {ref.iat[0]}. " if len(ref) else ""
    hidden = int(rows["suppressed"].sum())
    tail = f" {hidden} group(s) not shown (fewer than {k} people, or protecting one)." if hidden else ""
    return lead + "; ".join(parts) + "." + tail


def pipeline_title(rows: pd.DataFrame, levels: list[str]) -> str:
    """Which published group's share falls most from the lowest to the highest level."""
    shown = rows[~rows["suppressed"] & (rows["group"] != "All") & rows["value"].notna()]
    best = None
    for group, part in shown.groupby("group"):
        part = part.set_index("job_level").reindex([lvl for lvl in levels if lvl in set(part["job_level"])])
        if len(part) < 2:
            continue
        drop = part["value"].iat[0] - part["value"].iat[-1]
        if best is None or drop > best[0]:
            best = (drop, group, part.index[0], part["value"].iat[0], part.index[-1], part["value"].iat[-1])
    if best is None:
        return "Representation by job level"
    _, group, lo_lvl, lo_val, hi_lvl, hi_val = best
    return (f"{group}: {format_value(lo_val, 'share')} of {lo_lvl}, "
            f"{format_value(hi_val, 'share')} of {hi_lvl}")


def target_sentence(row: pd.Series) -> str:
    if pd.isna(row.get("latest")):
        return f"{row['target']}: {row['status']}."
    text = (f"{row['target']}: {format_value(row['latest'], 'share')} in {row['latest_period']} "
            f"(n = {int(row['n']):,}) against a target of {format_value(row['target_value'], 'share')} "
            f"by {row['due']}")
    if pd.notna(row.get("projected")):
        text += (f"; the straight-line trend reaches {format_value(row['projected'], 'share')} by then "
                 f"(95% CI {format_value(row['projected_low'], 'share')} to "
                 f"{format_value(row['projected_high'], 'share')})")
    return text + f". Status: {row['status']}."


def impact_sentence(result, unit: str) -> str:
    coef = result.coefficients.set_index("term")
    level, slope = coef.loc["level change at event"], coef.loc["slope change per month"]
    fmt = (lambda v: f"{v * 100:+.2g} points") if unit in ("share", "rate") else (lambda v: f"{v:+.3g}")
    return (f"At '{result.event}' ({result.event_date}) the monthly {result.metric.replace('_', ' ')} "
            f"for {result.group} changed in level by {fmt(level['estimate'])} (95% CI "
            f"{fmt(level['ci_low'])} to {fmt(level['ci_high'])}) and in slope by {fmt(slope['estimate'])} "
            f"per month (95% CI {fmt(slope['ci_low'])} to {fmt(slope['ci_high'])}), from "
            f"{result.months_before} months before and {result.months_after} after. {result.caution}")


def flow_summary(flows: dict[str, pd.DataFrame], limit: int = 6) -> str:
    """'Woman: 46% of headcount, 48% of hires, 44% of exits; ...' for the largest groups."""
    base = next(iter(flows.values()))
    if base.empty:
        return "No rows for the selected period."
    period = base["period"].iat[0]
    groups = base[(base["group"] != "All") & ~base["suppressed"]].sort_values("n", ascending=False)["group"]
    parts = []
    for group in list(groups)[:limit]:
        shares = []
        for label, rows in flows.items():
            r = rows[rows["group"] == group]
            shares.append(f"{'hidden' if r.empty or r['suppressed'].iat[0] else format_value(r['value'].iat[0], 'share')}"
                          f" of {label}")
        parts.append(f"{group}: {', '.join(shares)}")
    return f"In {period}: " + "; ".join(parts) + "."


def pipeline_summary(rows: pd.DataFrame, levels: list[str], k: int, limit: int = 4) -> str:
    """Each large group's share level by level, lowest level first."""
    shown = rows[(rows["group"] != "All") & rows["n"].notna()]
    if shown.empty:
        return "No group is large enough to show by level."
    period = rows["period"].iat[0]
    order = shown.groupby("group")["n"].sum().sort_values(ascending=False).index[:limit]
    parts = []
    for group in order:
        part = rows[rows["group"] == group].set_index("job_level")
        cells = [f"{lvl} {'hidden' if lvl not in part.index or part.loc[lvl, 'suppressed'] else format_value(part.loc[lvl, 'value'], 'share')}"
                 for lvl in levels]
        parts.append(f"{group}: " + ", ".join(cells))
    hidden = int(rows["suppressed"].sum())
    tail = f" Hidden cells: fewer than {k} people, or protecting such a cell." if hidden else ""
    return f"Share of each level, {period}. " + "; ".join(parts) + "." + tail


def impact_title(result, unit: str) -> str:
    """States whether the level changed at the event beyond its 95% interval."""
    level = result.coefficients.set_index("term").loc["level change at event"]
    what = f"{result.metric.replace('_', ' ')} for {result.group}"
    if level["ci_low"] > 0 or level["ci_high"] < 0:
        direction = "rose" if level["estimate"] > 0 else "fell"
        size = f"{level['estimate'] * 100:+.2g} points" if unit in ("share", "rate") else f"{level['estimate']:+.3g}"
        return f"Monthly {what} {direction} at '{result.event}' ({size}; not proof of cause)"
    return f"No clear change in the monthly {what} at '{result.event}'"


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
