"""Employee voice section of the report: the blocks of the Employee voice page under its
default view (dashboard/families/voice/blocks.py), i.e. by gender x race/ethnicity for the
latest survey wave, opening on the construct with the largest significant shortfall: the
heat-map (the leadership PDF's key chart), the gaps to everyone else, the item drill-down, the
trend over waves, the response rate and the inclusion index beside HR outcomes.

Voice tables use the survey threshold: never below privacy.survey_k, even when the report
is built with the (lower) HR k; a stricter k passed in is honoured.
"""

from __future__ import annotations

from pipelines.db import has_table
from pipelines.formatting import format_p, group_label
from pipelines.metrics import build_context, compute, families
from pipelines.families.voice.compare import change_since_previous, gaps_to_rest, voice_gaps
from pipelines.families.voice.outcomes import outcomes_side_by_side

from . import blocks
from ...finding import Finding, by_p
from ...narrative import FINDING_MIN_N
from ...block import Section

BY = blocks.DEFAULT_BY


def voice_loaded(con) -> bool:
    return has_table(con, "fct_survey_answers") and has_table(con, "dim_survey_waves")


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not voice_loaded(con):
        return None
    settings = blocks.view_settings(build_context(con)["config"], k)
    voice_k = settings["k"]
    fav, index, items = (compute(con, m, by=list(BY), period=period, k=voice_k) for m in blocks.VIEW_METRICS)
    survey = blocks.latest_wave(fav)
    gaps = gaps_to_rest(fav, voice_k, settings["alpha"])
    heatmap, finding = blocks.heatmap_block(fav, index, gaps, survey, BY, voice_k)
    construct = blocks.opening_construct(fav, finding)
    change = change_since_previous(fav[fav["construct"] == construct], settings["alpha"])
    shown = [
        heatmap,
        blocks.gaps_block(gaps, survey, construct, BY),
        blocks.items_block(items, survey, construct, BY, voice_k),
        blocks.trend_block(fav, change, survey, construct, BY, voice_k),
    ]
    if has_table(con, "fct_survey_invitations"):
        rates = compute(con, "response_rate", by=list(blocks.RATE_BY), period=period, k=voice_k)
        shown.append(blocks.rate_block(rates, survey, voice_k))
    if has_table(con, "fct_employment_spells"):
        shared, _ = blocks.outcome_view(BY, (), settings["outcomes"])
        side = outcomes_side_by_side(con, by=list(shared), survey_id=survey)
        shown.append(blocks.outcomes_block(side, survey, shared, settings))
    meta = families()["voice"]
    return Section(family="voice", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=shown)


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Groups whose favourability differs from everyone else's in the latest survey, significant
    after Holm's correction (survey threshold applies)."""
    if not voice_loaded(con):
        return []
    voice_k = blocks.view_settings(build_context(con)["config"], k)["k"]
    out = []
    for by in (["gender"], ["race_ethnicity"], list(BY)):
        gaps = voice_gaps(con, "favourability", by=by, k=voice_k)
        if gaps.empty:
            continue
        latest = gaps[gaps["period_start"] == gaps["period_start"].max()]
        large = latest["n"] >= FINDING_MIN_N  # respondents enough to act on (docs/findings.md)
        for _, r in latest[latest["significant"].fillna(False).astype(bool) & large].iterrows():
            text = (
                f"Employee voice {r['period']}: {group_label(r['group'])} {r['construct']} favourability "
                f"{r['value']:.0%} vs {r['rest_value']:.0%} for everyone else ({r['gap'] * 100:+.0f} points; "
                f"Holm {format_p(r['p_holm'])}, n = {int(r['n']):,} respondents)."
            )
            out.append(
                by_p(
                    text,
                    "voice",
                    size=abs(r["gap"]) / max(r["rest_value"], 0.01) * 100,  # % of everyone else's
                    p=r["p_holm"],
                    size_text=f"{r['gap'] * 100:+.0f} points",
                )
            )
    return list(dict.fromkeys(out))
