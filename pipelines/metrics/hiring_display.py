"""Readable tables of the hiring analysis, shared by the CLI, the dashboard and the PDF so a
number reads the same everywhere. Inputs are published (suppressed) rows only."""
from __future__ import annotations

import math

import pandas as pd

from ._suppression import PRIMARY
from .hiring_funnel import stage_sort_key


def _num(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return format(value, fmt)


def _p(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "<0.0001" if value < 0.0001 else f"{value:.4f}"


def hidden_label(note: str, k: int) -> str:
    return f"fewer than {k}" if PRIMARY in (note or "") else "suppressed (protects a smaller group)"


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


def impact_display(rows: pd.DataFrame, k: int) -> pd.DataFrame:
    """One line per adverse-impact row: counts, rates, ratio with CI, z, p (raw and Holm),
    shortfall, flag and the reason. Suppressed rows say why, never a number."""
    out = []
    for _, r in rows.iterrows():
        base = {"Period": r["period"], "Stage": stage_label(r["stage"], r.get("next_stage")),
                "Group": r["group"]}
        if r["suppressed"]:
            out.append({**base, "Selected / decided (n)": hidden_label(r["note"], k), "Note": ""})
            continue
        is_all = r["group"] == "All"
        flagged = bool(r["flagged"]) if r["flagged"] is not pd.NA and not pd.isna(r["flagged"]) else False
        significant = bool(r["significant"]) if not pd.isna(r["significant"]) else False
        out.append({
            **base,
            "Selected / decided (n)": f"{int(r['numerator']):,} / {int(r['n']):,}",
            "Selection rate": _num(r["selection_rate"], ".1%"),
            "Reference": "" if is_all else (r["reference_group"] or ""),
            "Reference rate": "" if is_all else _num(r["reference_rate"], ".1%"),
            "Impact ratio": _num(r["value"], ".2f"),
            "95% CI": "" if pd.isna(r["ci_low"]) else f"{r['ci_low']:.2f} to {r['ci_high']:.2f}",
            "z": _num(r["z"], ".2f"),
            "p (Fisher)": _p(r["p_fisher"]),
            "p (Holm)": _p(r["p_holm"]),
            "Shortfall": "" if pd.isna(r["shortfall"]) else f"{int(r['shortfall']):,}",
            "Flag": "; ".join(f for f, on in (("below 4/5", flagged), ("significant", significant)) if on),
            "Note": r["note"],
        })
    cols = ["Period", "Stage", "Group", "Selected / decided (n)", "Selection rate", "Reference",
            "Reference rate", "Impact ratio", "95% CI", "z", "p (Fisher)", "p (Holm)", "Shortfall",
            "Flag", "Note"]
    return pd.DataFrame(out, columns=cols).fillna("")


def cmh_display(cmh: pd.DataFrame, stratify: str) -> pd.DataFrame:
    """The pooled-vs-stratified comparison, one line per stage and group."""
    return pd.DataFrame({
        "Period": cmh["period"],
        "Stage": cmh["stage"],
        "Group": cmh["group"],
        "Reference": cmh["reference_group"],
        "Pooled ratio": [_num(v, ".2f") for v in cmh["pooled_ratio"]],
        "Pooled z": [_num(v, ".2f") for v in cmh["pooled_z"]],
        f"Within-{stratify} ratio (MH)": [_num(v, ".2f") for v in cmh["mh_rate_ratio"]],
        "Common odds ratio (95% CI)": [
            "" if math.isnan(o) else f"{o:.2f} ({lo:.2f} to {hi:.2f})" if not math.isnan(lo) else f"{o:.2f}"
            for o, lo, hi in zip(cmh["mh_odds_ratio"], cmh["mh_or_low"], cmh["mh_or_high"])],
        "CMH z": [_num(v, ".2f") for v in cmh["cmh_z"]],
        "CMH p": [_p(v) for v in cmh["cmh_p"]],
        f"{stratify.replace('_', ' ').capitalize()}s": cmh["strata"],
        "Pooled": cmh["pooled_conclusion"],
        f"Within {stratify}": cmh["stratified_conclusion"],
        "Note": cmh["note"],
    })
