"""Employee voice section of the report: the construct heat-map by gender x race/ethnicity for
the latest survey wave, each group's gap to everyone else on the construct with the largest
significant gap, and the inclusion index beside turnover.

Voice tables use the survey threshold: never below privacy.survey_k, even when the report
is built with the (lower) HR k; a stricter k passed in is honoured.
"""

from __future__ import annotations

from pipelines.db import has_table
from pipelines.formatting import format_p
from pipelines.metrics import build_context, compute, families, registry
from pipelines.metrics.voice_compare import gaps_to_rest
from pipelines.metrics.voice_outcomes import outcome_metrics, outcomes_side_by_side
from pipelines.metrics.voice_sql import voice_settings

from ..charts_voice import (
    construct_title,
    gap_finding,
    heatmap_cells,
    heatmap_figure,
    heatmap_summary,
    interval_figure,
    outcomes_figure,
    published_first,
)
from ..finding import Finding, by_p
from ..narrative import FINDING_MIN_N
from ..narrative_voice import difference_table, keyed_display_table, side_by_side_table
from . import Block, Section
from pipelines.formatting import group_label

BY = ("gender", "race_ethnicity")


def _heatmap(fav, index, survey: str, k: int, gaps) -> tuple[Block, object]:
    cells = heatmap_cells(fav[fav["period"] == survey], index[index["period"] == survey], BY, k)
    title, finding = gap_finding(gaps[gaps["dimensions"] == "|".join(BY)], survey)
    summary = heatmap_summary(cells, finding, survey, k)
    specs = registry()
    table = keyed_display_table(
        fav[fav["period"] == survey], specs["favourability"], k, "construct", "Measure", construct_title
    )
    alt = f"Heat-map of favourability by construct for each gender and race/ethnicity group. {summary}"
    return Block(
        title=title,
        summary=summary,
        table=table,
        alt=alt,
        figure=heatmap_figure(published_first(cells), title=title, k=k),
    ), finding


def _gaps(gaps, survey: str, construct: str) -> Block:
    rows = gaps[(gaps["period"] == survey) & (gaps["construct"] == construct)]
    full = rows[rows["dimensions"] == "|".join(BY)]
    finding, _ = gap_finding(full, survey)
    title = f"{construct_title(construct)}, {survey}: each group against everyone else"
    summary = (
        f"{finding}. Each group's favourability on {construct_title(construct).lower()} minus that of "
        "everyone else, with 95% Newcombe intervals; significance by two-proportion z-test, Holm-adjusted."
    )
    table = difference_table(
        rows,
        first={"Survey": "period", "Breakdown": "dimensions", "Group": "group"},
        other=("Everyone else", "rest_value", "rest_n"),
        difference="gap",
    )
    fig = interval_figure(
        full.rename(columns={"value": "share", "gap": "value"}),
        title=title,
        x_title="Gap to everyone else (percentage points)",
        zero_line=True,
    )
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=fig,
        alt=f"Dot plot of each group's gap to everyone else with 95% intervals. {summary}",
    )


def _outcomes(con, survey: str, k: int, hr_k: int, config) -> Block:
    side = outcomes_side_by_side(con, by=["gender"], survey_id=survey)
    months = voice_settings(config)["outcome_window_months"]
    sides = [("inclusion_index", "Inclusion index", "share", k)] + [
        (m, f"{registry()[m].title}, {months} months before", registry()[m].unit, hr_k)
        for m in outcome_metrics(config)
        if f"{m}_value" in side
    ]
    title = f"Inclusion index ({survey}) beside HR outcomes, by gender"
    summary = (
        f"{title}. Each side is published under its own threshold ({k} respondents, {hr_k} people) and "
        "groups are matched by label only: survey answers are never linked to people."
    )
    fig = outcomes_figure(side[side["inclusion_index_value"].notna()], [(p, t, u) for p, t, u, _ in sides], title=title)
    return Block(
        title=title,
        summary=summary,
        table=side_by_side_table(side, sides),
        figure=fig,
        alt=f"Dot plots side by side of the inclusion index and HR outcome rates by gender. {summary}",
    )


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not (has_table(con, "fct_survey_answers") and has_table(con, "dim_survey_waves")):
        return None
    config = build_context(con)["config"]
    voice_k = max(int(k), int(config["privacy"]["survey_k"]))
    fav = compute(con, "favourability", by=list(BY), k=voice_k)
    index = compute(con, "inclusion_index", by=list(BY), k=voice_k)
    survey = fav.sort_values("period_start")["period"].iat[-1]
    gaps = gaps_to_rest(fav, voice_k, voice_settings(config)["alpha"])
    heatmap, finding = _heatmap(fav, index, survey, voice_k, gaps)
    construct = finding["construct"] if finding is not None else fav["construct"].iat[0]
    blocks = [heatmap, _gaps(gaps, survey, construct)]
    if has_table(con, "fct_employment_spells"):
        blocks.append(_outcomes(con, survey, voice_k, int(config["privacy"]["k"]), config))
    meta = families()["voice"]
    return Section(family="voice", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=blocks)


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Groups whose favourability differs from everyone else's in the latest survey, significant
    after Holm's correction (survey threshold applies)."""
    if not (has_table(con, "fct_survey_answers") and has_table(con, "dim_survey_waves")):
        return []
    from pipelines.metrics.voice_compare import voice_gaps

    config = build_context(con)["config"]
    voice_k = max(int(k), int(config["privacy"]["survey_k"]))
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
