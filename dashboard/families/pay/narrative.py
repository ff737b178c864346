"""Sentences and tables for the pay-equity views (relative pay, Art. 10, decomposition, cost to close).

Shared by the dashboard and the PDF; inputs are suppressed tables."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import format_ci, format_measure, format_money, interval_cell, print_number

from ...narrative import FINDING_MIN_N, groups_not_shown, headline_period, large_enough, picked_row, suppressed_label
from pipelines.formatting import group_label


# One sign for every pay figure (docs/metrics.md, "How pay gaps are signed"): the page says it
# once, beside the figures, with the one way the decomposition differs
RAW_GAPS_NOTE = (
    "Every pay gap on this page has one sign (Methodology, pay gap): (reference - group) / reference x 100, "
    "so above 0 = the group is paid less; the raw gap is the statutory mean hourly gap and the adjusted gap "
    "1 - exp(beta) compares people with the same factors. The decomposition works in log points between "
    "geometric means (ln hourly pay), with the same sign, so its total differs slightly from the mean gap."
)


def _pct(value: float) -> str:
    return f"{abs(value):.1f}%"


def _less_or_more(gap: float) -> str:
    return "less" if gap > 0 else "more"  # a gap is positive when the group is paid less


def _gap_phrase(gap: float, reference: str) -> str:
    return f"paid {_pct(gap)} {_less_or_more(gap)} than {group_label(reference)}"


def pay_gap_title(rows: pd.DataFrame, factors_text: str) -> str:
    """Title for the raw-vs-adjusted chart: the largest adjusted disadvantage in the latest full
    period (the Overview's and the PDF's)."""
    latest, period = headline_period(rows)
    if latest.empty:
        return "Pay gaps: no data for the selected period"
    adjusted = large_enough(latest[(latest["measure"] == "adjusted") & latest["gap"].notna()])
    if adjusted.empty:
        return f"Pay gaps, {period}: no group is large enough to judge (n of at least {FINDING_MIN_N})"
    worst = picked_row(adjusted, "highest", "gap")  # the Overview's and the CLI's rule
    return (
        f"Adjusted pay gap, {period}: {group_label(worst['group'])} {_gap_phrase(worst['gap'], worst['reference'])} "
        f"with the same {factors_text}"
    )


def pay_gap_summary(rows: pd.DataFrame, k: int) -> str:
    """Sentences a screen-reader user gets instead of the raw-vs-adjusted chart (the title's period)."""
    latest, period = headline_period(rows)
    if latest.empty:
        return "No rows for the selected period."
    parts = []
    for group, g in latest.groupby("group", sort=False):
        by = {m: r for m, r in zip(g["measure"], g.to_dict("records"))}
        raw, adj = by.get("raw"), by.get("adjusted")
        if adj is None or pd.isna(adj["gap"]):
            continue
        text = (
            f"{group_label(group)} (n = {int(adj['n']):,}): {_gap_phrase(adj['gap'], adj['reference'])} after "
            f"legitimate factors (pay gap {adj['gap']:+.1f}%, 95% CI {format_ci(adj['ci_low'], adj['ci_high'], 'percent')})"
        )
        if raw is not None and pd.notna(raw["gap"]):
            text += f", {_pct(raw['gap'])} {_less_or_more(raw['gap'])} before them"
        parts.append(text + ".")
    parts += groups_not_shown(int(latest.loc[latest["measure"] == "adjusted", "suppressed"].sum()), k)
    head = f"Pay gaps to the reference group (above 0 = paid less) on {latest['period_end'].iat[0]} ({period}). "
    return head + (" ".join(parts) if parts else "No group is large enough to show.")


def pay_gap_table(rows: pd.DataFrame, k: int) -> pd.DataFrame:
    """Display table of the raw and adjusted pay gaps (suppression spelled out)."""
    out = []
    for _, r in rows.sort_values(["period_end", "group", "measure"]).iterrows():
        shown = not r["suppressed"] and pd.notna(r["gap"])
        out.append(
            {
                "Period": r["period"],
                "Group": group_label(r["group"]),
                "Reference": "" if pd.isna(r["reference"]) else group_label(r["reference"]),
                "Measure": r["measure"],
                "Pay gap (above 0 = paid less)": f"{r['gap']:+.1f}%"
                if shown
                else (suppressed_label(r["note"], k) if r["suppressed"] else r["note"] or "no gap"),
                "95% CI": f"{r['ci_low']:+.1f}% to {r['ci_high']:+.1f}%" if shown and pd.notna(r["ci_low"]) else "",
                "n": "" if r["suppressed"] or pd.isna(r["n"]) else f"{int(r['n']):,}",
                # Kennedy (1981): 1 - exp(beta - Var/2), the small-sample reading of the adjusted gap
                "Kennedy-corrected": f"{r['kennedy_gap']:+.1f}%" if shown and pd.notna(r.get("kennedy_gap")) else "",
                "p": f"{r['p_value']:.3g}" if shown and pd.notna(r.get("p_value")) else "",
                "Note": "" if shown else (r["note"] or ""),
            }
        )
    return pd.DataFrame(out)


def _judged(flags: pd.DataFrame) -> pd.Series:
    """Flags whose group is large enough to judge (FINDING_MIN_N): a 5% gap between a handful
    of people is one salary, not a pattern."""
    return flags["flagged"].astype(bool) & (pd.to_numeric(flags["n"], errors="coerce") >= FINDING_MIN_N)


def art10_summary(flags: pd.DataFrame, threshold) -> str:
    if flags.empty:
        return "No category of workers has two groups large enough to compare."
    flagged = flags[_judged(flags)]
    small = flags[flags["flagged"].astype(bool) & ~_judged(flags)]["category"].nunique()
    cats = flagged["category"].nunique()
    per = {c: flagged.loc[flagged["component"] == c, "category"].nunique() for c in ("basic", "variable")}
    return (
        f"{cats} of {flags['category'].nunique()} categories of workers have a gap of {threshold}% or more "
        f"between a group of at least {FINDING_MIN_N} people and the reference ({per['basic']} in basic pay, "
        f"{per['variable']} in variable pay): a joint pay assessment is needed unless objective, "
        f"gender-neutral criteria justify it. {small} more categor{'y is' if small == 1 else 'ies are'} "
        f"too small to judge (a group of fewer than {FINDING_MIN_N}); categories with a group of fewer "
        "than k people are not assessed here."
    )


def art10_table(flags: pd.DataFrame) -> pd.DataFrame:
    """The Art. 10 categories at or over the threshold, in words, each judged or "too small to judge"."""
    shown = flags[flags["flagged"].astype(bool)] if len(flags) else flags
    judged = _judged(shown) if len(shown) else pd.Series(dtype=bool)
    return pd.DataFrame(
        {
            "Period": shown["period"],
            "Category": shown["category"],
            "Pay": shown["component"],
            "Group": shown["group"],
            "Reference": shown["reference"],
            "n": shown["n"],
            "Gap (%)": [f"{v:.1f}%" for v in shown["gap_pct"]],
            "Assessment": [
                "joint pay assessment needed" if j else f"too small to judge (n < {FINDING_MIN_N})" for j in judged
            ],
        }
    ).reset_index(drop=True)


def decomposition_title(summary: pd.DataFrame) -> str:
    if summary.empty:
        return "Decomposition: no group is large enough to show"
    top = summary.loc[summary["n_group"].idxmax()]
    share = top["unexplained"] / top["gap_log_points"] if top["gap_log_points"] else float("nan")
    pair = f"{group_label(top['group'])} and {group_label(top['reference'])}"
    if 0 <= share <= 1:
        return (
            f"{share:.0%} of the {top['raw_gap_pct']:.1f}% gap in geometric-mean pay between {pair} "
            "is not explained by the legitimate factors"
        )
    # a share outside 0-100% ("239% of the gap") reads as nonsense: the parts in points instead
    # (log points x 100, close to percentage points for gaps of this size)
    explained = top["gap_log_points"] - top["unexplained"]
    return (
        f"Gap in geometric-mean pay between {pair} of {top['raw_gap_pct']:.1f}%: the legitimate factors account for "
        f"{explained * 100:+.1f} points and {top['unexplained'] * 100:+.1f} points are not explained by them"
    )


def cost_curve_title(total: dict, currency: str) -> str:
    if total is None or pd.isna(total.get("annual_cost")):
        return "Cost to close the adjusted gap: not shown (fewer than k people would be raised)"
    return (
        f"Closing the adjusted gap to {total['target_gap_pct']:g}% costs {format_money(total['annual_cost'], currency)} "
        f"a year in raises for {int(total['n_raised']):,} people"
    )


def remediation_table(summary: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The published per-group plan for display: gap today -> after the raises (re-measured)."""
    out = pd.DataFrame(
        {
            "group": summary["group"],
            "reference": summary["reference"],
            "adjusted gap today (%)": summary["gap_before_pct"].round(2),
            "after the raises, re-measured (%)": summary["gap_after_pct"].round(2),
            "target (%)": summary["target_gap_pct"],
            "people raised": summary["n_raised"],
            # whole units with separators, as the PDF prints money: the table and its CSV are
            # what a reader quotes, and a protected estimate is not known to the cent
            f"annual cost ({currency})": [print_number(v, "money") for v in summary["annual_cost"]],
            "note": summary["note"].fillna(""),
        }
    )
    return out


def remediation_summary(summary: pd.DataFrame, total: dict, currency: str) -> str:
    """Before -> after per group, what the cost buys, whether the target is met."""
    shown = summary.dropna(subset=["gap_after_pct"])
    moves = ", ".join(
        f"{group_label(r.group)} {r.gap_before_pct:.2f}% → {r.gap_after_pct:.2f}%"
        for r in shown.itertuples()
        if r.gap_before_pct > 0 or r.gap_after_pct > 0  # paid less before or after
    )
    target = f"{total['target_gap_pct']:g}%"
    text = (
        f"The least-cost plan for an adjusted gap of {target} or less, re-measured by refitting the adjusted "
        f"model on the new salaries (what next year's analysis will show): {moves or 'no group is paid less'}."
    )
    if not total["reachable"]:
        text += (
            f" The target cannot be met within the raise limits: the closest is a worst gap of "
            f"{total['level_pct']:.2f}%."
        )
    if not pd.isna(total["annual_cost"]) and total["n_raised"]:
        text += (
            f" Cost {format_money(total['annual_cost'], currency)} a year (at most "
            f"{format_money(total['cost_bound'], currency)} more than the mathematical minimum; raises "
            "rounded up to whole currency units)."
        )
    skipped = summary[summary["gap_after_pct"].isna()]
    if len(skipped):
        text += " Not assessed: " + "; ".join(f"{group_label(r.group)} ({r.note})" for r in skipped.itertuples()) + "."
    return text


def statutory_table(measures: pd.DataFrame, k: int) -> pd.DataFrame:
    """The UK / EU Art. 9(1) measures for display (page and PDF): shares such as a quartile's
    as percentages, gaps in percent, a hidden measure said in words."""
    shown = measures.copy()
    hidden = shown["suppressed"].astype(bool)
    shown["value"] = [
        f"fewer than {k} (or protecting a smaller group)" if s else format_measure(v, u)
        for v, s, u in zip(measures["value"], hidden, measures["unit"])
    ]
    shown["95% CI"] = [
        "" if s or pd.isna(lo) else interval_cell(format_measure(lo, u), format_measure(hi, u))
        for lo, hi, s, u in zip(measures["ci_low"], measures["ci_high"], hidden, measures["unit"])
    ]
    # n can be fractional: people on one rate at a quartile boundary are split in proportion
    shown["n"] = [
        "" if s or pd.isna(n) else f"{float(n):,.1f}".removesuffix(".0") for n, s in zip(measures["n"], hidden)
    ]
    # the law's measures keep the law's definition and sign, so each says it is the statutory one
    shown["measure"] = [f"Statutory {str(m)[:1].lower()}{str(m)[1:]}" for m in measures["measure"]]
    return shown[["period", "measure", "uk_measure", "eu_article_9_1", "group", "value", "95% CI", "n", "note"]]
