"""Readable tables of the hiring analysis, shared by the CLI, the dashboard and the PDF so a
number reads the same everywhere. Inputs are published (suppressed) rows only."""

from __future__ import annotations

import math

import pandas as pd

from ..formatting import format_p, hidden_label
from .hiring_funnel import stage_sort_key
from ..formatting import group_label


def _num(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return format(value, fmt)


def _p(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "<0.0001" if value < 0.0001 else f"{value:.4f}"


def stage_label(stage: str, next_stage: str | None) -> str:
    """'interview -> offer' for a stage row; the bottom line is hired / decided applications."""
    if stage == "bottom line":
        return "bottom line"
    return f"{stage} -> {next_stage}" if next_stage else stage


def sort_stages(rows: pd.DataFrame, stages: list[str]) -> pd.DataFrame:
    if rows.empty:
        return rows
    key = stage_sort_key(stages)
    return rows.sort_values("stage", key=key, kind="stable")


def significance_flag(row, alpha: float = 0.05) -> str:
    """What may be said of significance: only Holm's adjusted p decides (a raw |z| over the
    threshold with Holm p = 0.13 is not significant once every comparison is counted)."""
    p_holm = row.get("p_holm")
    if p_holm is not None and not pd.isna(p_holm):
        if p_holm < alpha:
            return "significant after Holm"
        raw = row.get("significant")
        return "not significant after Holm" if raw is not None and not pd.isna(raw) and bool(raw) else ""
    return ""


def impact_display(rows: pd.DataFrame, k: int, alpha: float = 0.05) -> pd.DataFrame:
    """One line per adverse-impact row: counts, rates, ratio with CI, z, p (raw and Holm),
    shortfall, flag and the reason. Suppressed rows say why, never a number."""
    out = []
    for _, r in rows.iterrows():
        base = {
            "Period": r["period"],
            "Stage": stage_label(r["stage"], r.get("next_stage")),
            "Group": group_label(r["group"]),
        }
        if r["suppressed"]:
            out.append({**base, "Selected / decided (n)": hidden_label(r["note"], k), "Note": ""})
            continue
        is_all = r["group"] == "All"
        flagged = bool(r["flagged"]) if r["flagged"] is not pd.NA and not pd.isna(r["flagged"]) else False
        significance = significance_flag(r, alpha)
        out.append(
            {
                **base,
                "Selected / decided (n)": f"{int(r['numerator']):,} / {int(r['n']):,}",
                "Selection rate": _num(r["selection_rate"], ".1%"),
                "Reference": ""
                if is_all or pd.isna(r["reference_group"]) or not r["reference_group"]
                else group_label(r["reference_group"]),
                "Reference rate": "" if is_all else _num(r["reference_rate"], ".1%"),
                "Impact ratio": _num(r["value"], ".2f"),
                "95% CI": "" if pd.isna(r["ci_low"]) else f"{r['ci_low']:.2f} to {r['ci_high']:.2f}",
                "z": _num(r["z"], ".2f"),
                "p (Fisher)": _p(r["p_fisher"]),
                "p (Holm)": _p(r["p_holm"]),
                "Shortfall": "" if pd.isna(r["shortfall"]) else f"{int(r['shortfall']):,}",
                "Flag": "; ".join(f for f in ("below 4/5" if flagged else "", significance) if f),
                "Note": r["note"],
            }
        )
    cols = [
        "Period",
        "Stage",
        "Group",
        "Selected / decided (n)",
        "Selection rate",
        "Reference",
        "Reference rate",
        "Impact ratio",
        "95% CI",
        "z",
        "p (Fisher)",
        "p (Holm)",
        "Shortfall",
        "Flag",
        "Note",
    ]
    return pd.DataFrame(out, columns=cols).fillna("")


def cmh_display(cmh: pd.DataFrame, stratify: str) -> pd.DataFrame:
    """The pooled-vs-stratified comparison, one line per stage and group."""
    return pd.DataFrame(
        {
            "Period": cmh["period"],
            "Stage": cmh["stage"],
            "Group": cmh["group"].map(group_label),
            "Reference": cmh["reference_group"].map(lambda g: "" if pd.isna(g) else group_label(g)),
            "Pooled ratio": [_num(v, ".2f") for v in cmh["pooled_ratio"]],
            "Pooled z": [_num(v, ".2f") for v in cmh["pooled_z"]],
            f"Within-{stratify} ratio (MH)": [_num(v, ".2f") for v in cmh["mh_rate_ratio"]],
            "Common odds ratio (95% CI)": [
                "" if math.isnan(o) else f"{o:.2f} ({lo:.2f} to {hi:.2f})" if not math.isnan(lo) else f"{o:.2f}"
                for o, lo, hi in zip(cmh["mh_odds_ratio"], cmh["mh_or_low"], cmh["mh_or_high"])
            ],
            "CMH z": [_num(v, ".2f") for v in cmh["cmh_z"]],
            "CMH p": [_p(v) for v in cmh["cmh_p"]],
            f"{stratify.replace('_', ' ').capitalize()}s": cmh["strata"],
            "Pooled": cmh["pooled_conclusion"],
            f"Within {stratify}": cmh["stratified_conclusion"],
            "Note": cmh["note"],
        }
    )


# --- Sentences: chart titles that state the finding, and text summaries (screen readers, PDF)


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["suppressed"] & rows["value"].notna()]


def _hidden_sentence(rows: pd.DataFrame, k: int) -> str:
    hidden = int(rows["suppressed"].sum())
    return (
        f" {hidden} row(s) not shown: fewer than {k} people, or hidden so a smaller group cannot be "
        f"worked out from the totals."
        if hidden
        else ""
    )


def funnel_sentences(rows: pd.DataFrame, stages: list[str], k: int) -> tuple[str, str]:
    """stage_reach_rate rows (overall + one breakdown) -> (title, summary)."""
    last = stages[-1]
    overall = rows[(rows["group"] == "All") & ~rows["suppressed"]].set_index("stage")
    if last not in overall.index:
        return "Hiring funnel: no published figures for the selection", "No published rows." + _hidden_sentence(rows, k)
    o = overall.loc[last]
    groups = _shown(rows[(rows["group"] != "All") & (rows["stage"] == last)])
    title = f"{o['value']:.1%} of {int(o['n']):,} applications reached '{last}'"
    if len(groups) > 1:
        hi, lo = groups.loc[groups["value"].idxmax()], groups.loc[groups["value"].idxmin()]
        title += f": from {group_label(lo['group'])} {lo['value']:.1%} to {group_label(hi['group'])} {hi['value']:.1%}"
    steps = [
        f"{s} {overall.loc[s, 'value']:.0%} ({int(overall.loc[s, 'numerator']):,})"
        for s in stages
        if s in overall.index
    ]
    summary = "Share of all applications reaching each stage: " + ", ".join(steps) + "."
    if len(groups) > 1:
        summary += (
            f" Reaching '{last}': highest {group_label(hi['group'])} {hi['value']:.1%} (n = {int(hi['n']):,}), "
            f"lowest {group_label(lo['group'])} {lo['value']:.1%} (n = {int(lo['n']):,})."
        )
    return title, summary + _hidden_sentence(rows, k)


def impact_sentences(
    rows: pd.DataFrame, k: int, threshold: float, alpha: float, place: str | None = None
) -> tuple[str, str]:
    """adverse_impact_ratio rows of one breakdown (no `All`) -> (title, summary). The title
    leads with the flagged comparison that survives Holm's correction, else the one with
    |z| at the threshold, else the lowest ratio (many comparisons make some |z| >= 2 by chance);
    `place` names a column (e.g. stratum) to say where it is."""
    compared = _shown(rows[rows["z"].notna()])
    if compared.empty:
        return (
            "Adverse impact: no comparison can be shown for this selection",
            "No group is large enough to compare." + _hidden_sentence(rows, k),
        )
    flagged = compared[compared["flagged"].astype(bool)]
    flagged = flagged.assign(_holm=flagged["p_holm"] < alpha, _sig=flagged["significant"].astype(bool)).sort_values(
        ["_holm", "_sig", "value"], ascending=[False, False, True], kind="stable"
    )
    where = (lambda r: f" in {r[place]}") if place else (lambda r: "")
    significant = compared[compared["significant"].astype(bool)]
    after_holm = compared[compared["p_holm"] < alpha]
    if len(flagged):
        worst = flagged.iloc[0]
        # only Holm's p may call it significant: "|z| = 2.1, Holm p = 0.130" alone reads as a finding
        holm = significance_flag(worst, alpha)
        sig = (
            f"{holm}: |z| = {abs(worst['z']):.1f}, {format_p(worst['p_holm'], 'Holm p')}"
            if holm
            else "not statistically significant"
        )
        title = (
            f"{group_label(worst['group'])} at {stage_label(worst['stage'], worst.get('next_stage'))}{where(worst)}: impact ratio "
            f"{worst['value']:.2f} vs {group_label(worst['reference_group'])}, below four-fifths ({sig})"
        )
    else:
        low = compared.loc[compared["value"].idxmin()]
        title = (
            f"No group below four-fifths; lowest {group_label(low['group'])} at "
            f"{stage_label(low['stage'], low.get('next_stage'))} ({low['value']:.2f})"
        )
    summary = (
        f"{len(flagged)} of {len(compared)} comparisons fall below {threshold} (four-fifths rule); "
        f"{len(significant)} have a two-proportion |z| at or above the threshold; {len(after_holm)} "
        f"stay significant after Holm's correction (p < {alpha})."
    )
    for _, r in flagged.head(3).iterrows():
        summary += (
            f" {group_label(r['group'])} at {stage_label(r['stage'], r.get('next_stage'))}{where(r)}: {r['selection_rate']:.1%} "
            f"of {int(r['n']):,} vs {group_label(r['reference_group'])} {r['reference_rate']:.1%}, ratio "
            f"{r['value']:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}), "
            f"{int(r['shortfall']):,} more selection(s) would reach {threshold}."
        )
    return title, summary + _hidden_sentence(rows, k)


def time_sentences(rows: pd.DataFrame, stages: list[str], k: int) -> tuple[str, str]:
    """time_in_stage rows (overall + one breakdown) -> (title, summary)."""
    overall = _shown(rows[rows["group"] == "All"]).set_index("stage")
    if overall.empty:
        return "Time in stage: no published figures", "No published rows." + _hidden_sentence(rows, k)
    slowest = overall["value"].idxmax()
    nxt = dict(zip(stages, stages[1:]))
    title = f"Slowest step: {slowest} -> {nxt.get(slowest, '')}, median {overall.loc[slowest, 'value']:.0f} days"
    parts = [
        f"{s} -> {nxt.get(s, '')} {overall.loc[s, 'value']:.0f} days (n = {int(overall.loc[s, 'n']):,}, "
        f"{int(overall.loc[s, 'still_open']):,} still open)"
        for s in stages
        if s in overall.index
    ]
    groups = _shown(rows[(rows["group"] != "All") & (rows["stage"] == slowest)])
    summary = "Median days to the next stage (Kaplan-Meier; open applications censored): " + "; ".join(parts) + "."
    if len(groups) > 1:
        hi, lo = groups.loc[groups["value"].idxmax()], groups.loc[groups["value"].idxmin()]
        summary += (
            f" At {slowest}: longest {group_label(hi['group'])} {hi['value']:.0f} days, shortest {group_label(lo['group'])} "
            f"{lo['value']:.0f} days."
        )
    return title, summary + _hidden_sentence(rows, k)


def _count(v) -> str:
    return "" if v is None or pd.isna(v) else f"{int(v):,}"


def _share_cells(r: pd.Series, suffix: str, labels: tuple[str, str, str], k: int) -> dict[str, str]:
    """The count, share and interval cells of one proportion in a funnel row (`suffix` picks
    reach's columns or pass-through's); a suppressed proportion shows only why it is hidden."""
    count, share, ci = labels
    if r["suppressed" + suffix]:
        return {count: hidden_label(r["note" + suffix], k)}
    return {
        count: f"{_count(r['numerator' + suffix])} / {_count(r['n' + suffix])}",
        share: f"{r['value' + suffix]:.1%}",
        ci: f"{r['ci_low' + suffix]:.1%} to {r['ci_high' + suffix]:.1%}",
    }


def funnel_display(reach: pd.DataFrame, passing: pd.DataFrame, stages: list[str], k: int) -> pd.DataFrame:
    """The funnel table: per stage and group, how many reached it (of all applications) and
    how many of those who finished it went on (pass-through), with intervals."""
    keys = ["stage", "group"]
    merged = reach.merge(
        passing[keys + ["numerator", "n", "value", "ci_low", "ci_high", "suppressed", "note"]],
        on=keys,
        how="left",
        suffixes=("", "_pass"),
    )
    out = []
    for _, r in sort_stages(merged, stages).iterrows():
        line = {"Stage": r["stage"], "Group": group_label(r["group"])}
        line.update(_share_cells(r, "", ("Reached / applications", "Share reaching", "95% CI"), k))
        if pd.notna(r.get("suppressed_pass")):
            line.update(
                _share_cells(r, "_pass", ("Passed on / finished", "Pass-through rate", "Pass-through 95% CI"), k)
            )
        line["Note"] = r["note_pass"] if isinstance(r.get("note_pass"), str) and r["note_pass"] else r["note"]
        out.append(line)
    cols = [
        "Stage",
        "Group",
        "Reached / applications",
        "Share reaching",
        "95% CI",
        "Passed on / finished",
        "Pass-through rate",
        "Pass-through 95% CI",
        "Note",
    ]
    return pd.DataFrame(out, columns=cols).fillna("")


def time_display(rows: pd.DataFrame, stages: list[str], k: int) -> pd.DataFrame:
    """Time in stage table: median days with interval, advanced / still open / left."""
    nxt = dict(zip(stages, stages[1:]))
    out = []
    for _, r in sort_stages(rows, stages).iterrows():
        line = {"Step": f"{r['stage']} -> {nxt.get(r['stage'], '')}", "Group": group_label(r["group"])}
        if r["suppressed"]:
            line["Median days"] = hidden_label(r["note"], k)
        else:
            line.update(
                {
                    "Median days": _num(r["value"], ".0f") or "not reached",
                    "95% CI": f"{_num(r['ci_low'], '.0f')} to {_num(r['ci_high'], '.0f') or 'not reached'}"
                    if pd.notna(r["ci_low"])
                    else "",
                    "n": _count(r["n"]),
                    "Advanced": _count(r["advanced"]),
                    "Still open (censored)": _count(r["still_open"]),
                    "Left at this stage (not timed)": _count(r["left_funnel"]),
                }
            )
        line["Note"] = r["note"]
        out.append(line)
    cols = [
        "Step",
        "Group",
        "Median days",
        "95% CI",
        "n",
        "Advanced",
        "Still open (censored)",
        "Left at this stage (not timed)",
        "Note",
    ]
    return pd.DataFrame(out, columns=cols).fillna("")
