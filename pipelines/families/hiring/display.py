"""Readable tables of the hiring analysis, shared by the CLI, the dashboard and the PDF so a
number reads the same everywhere (the sentences around them: dashboard/families/hiring/narrative.py). Inputs are published (suppressed) rows only."""

from __future__ import annotations

import math

import pandas as pd

from pipelines.formatting import hidden_label, p_cell
from .funnel import stage_sort_key
from pipelines.formatting import group_label


def _num(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return format(value, fmt)


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
                "p (Fisher)": p_cell(r["p_fisher"]),
                "p (Holm)": p_cell(r["p_holm"]),
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
            "CMH p": [p_cell(v) for v in cmh["cmh_p"]],
            f"{stratify.replace('_', ' ').capitalize()}s": cmh["strata"],
            "Pooled": cmh["pooled_conclusion"],
            f"Within {stratify}": cmh["stratified_conclusion"],
            "Note": cmh["note"],
        }
    )


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
