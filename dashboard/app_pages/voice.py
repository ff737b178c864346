"""Employee voice: how each group experiences work, from the anonymous inclusion survey.

Construct heat-map (groups x constructs), gaps to everyone else, item drill-down, trend over
survey waves with the change since the previous one, response rates, and the inclusion index
beside turnover (and promotion) rates. Every table is the published one (survey_k and
complementary suppression); filtered views pass the differencing guard or are refused with
its explanation. Free-text comments are out of scope.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from pipelines.formatting import group_label
from dashboard.charts import trend_figure
from dashboard.charts_voice import (
    construct_title,
    gap_finding,
    heatmap_cells,
    heatmap_figure,
    heatmap_summary,
    interval_figure,
    outcomes_figure,
    points,
    published_first,
)
from dashboard.components import chart_block, no_data, require_db
from dashboard.controls import by_note, current_view, filters_note
from dashboard.narrative import display_table, summary_text
from dashboard.narrative_voice import difference_table, keyed_display_table, side_by_side_table
from pipelines.errors import UsageError
from pipelines.metrics import MAX_DIMS, NotPrecomputedError, build_context
from pipelines.metrics.voice_compare import change_since_previous, gaps_to_rest
from pipelines.metrics.voice_outcomes import outcome_metrics, outcomes_side_by_side
from pipelines.metrics.voice_sql import voice_settings

VOICE_MARTS = {"fct_survey_answers", "fct_survey_respondents", "dim_survey_waves"}


@st.cache_data(max_entries=4, show_spinner=False)
def _settings(version: data.DbVersion) -> dict:
    config = build_context(data.cursor(version))["config"]
    return {
        "k": config["privacy"]["survey_k"],
        "alpha": voice_settings(config)["alpha"],
        "outcomes": outcome_metrics(config),
        "window": voice_settings(config)["outcome_window_months"],
    }


@st.cache_data(max_entries=4, show_spinner=False)
def _levels(version: data.DbVersion) -> list[str]:
    return [
        r[0]
        for r in data.cursor(version)
        .execute("SELECT DISTINCT job_level FROM fct_survey_respondents ORDER BY 1")
        .fetchall()
    ]


@st.cache_data(max_entries=32, show_spinner=False)
def _outcomes(version: data.DbVersion, by: tuple, filters: tuple, survey: str):
    return outcomes_side_by_side(
        data.cursor(version), by=list(by), filters={d: list(v) for d, v in filters}, survey_id=survey
    )


version = require_db()
view = current_view()
info = data.run_info(version)
st.title("Employee voice")
if not VOICE_MARTS <= info["tables"]:
    no_data(
        "employee voice", "voice/survey_responses.csv and voice/items.csv (and voice/invited.csv for response rates)"
    )
    st.stop()
cfg = _settings(version)
k, alpha = cfg["k"], cfg["alpha"]
specs = {s.name: s for s in data.registry().values() if s.family == "voice"}
fav_spec = specs["favourability"]
st.caption(
    f"From the anonymous inclusion survey; every survey wave is a period. Groups with fewer than {k} "
    f"respondents are never shown (stricter than the {info['k']} used for HR data), nor are groups "
    "that could be worked out from totals, and a filter that would single out a small group by "
    "comparison with another view is refused. Free-text comments are out of scope: they are neither "
    "loaded nor shown."
)

left, right = st.columns(2)
by = tuple(
    left.multiselect(
        "Groups (up to 3 dimensions)",
        list(fav_spec.dimensions),
        default=list(view.by_for(fav_spec) or ("gender", "race_ethnicity")),
        max_selections=MAX_DIMS,
        key="voice_by",
    )
)
levels = right.multiselect(
    "Only these job levels (optional)",
    _levels(version),
    key="voice_levels",
    help="Filters survey answers; refused if it would single out a small group.",
)
filters = view.filters_for(fav_spec) + ((("job_level", tuple(levels)),) if levels else ())
if dropped := " ".join(
    n
    for n in (by_note(view, by, "chosen above") if view.by else "", filters_note(view, fav_spec, "survey answers"))
    if n
):
    st.caption(dropped)
try:
    fav = data.metric_table(version, "favourability", by, view.period, view.date_from, view.date_to, filters)
    index = data.metric_table(version, "inclusion_index", by, view.period, view.date_from, view.date_to, filters)
    items = data.metric_table(version, "item_favourability", by, view.period, view.date_from, view.date_to, filters)
except NotPrecomputedError as exc:  # a Spark results database answers only what it holds
    st.warning(f"This view is not available from this database: {exc}.")
    st.stop()
except UsageError as exc:  # the differencing guard's refusal, or no wave in the selected range
    st.error(f"This view is not shown. {str(exc)[0].upper()}{str(exc)[1:]}")
    st.stop()

waves = list(fav.drop_duplicates("period").sort_values("period_start")["period"])
survey = st.selectbox("Survey wave", waves[::-1], key="voice_wave")
gaps = gaps_to_rest(fav, k, alpha)
level = "|".join(by)

st.header("How each group experiences work")
cells = heatmap_cells(fav[fav["period"] == survey], index[index["period"] == survey], by, k)
title, finding = gap_finding(gaps[gaps["dimensions"] == level] if by else gaps, survey)
st.caption(
    f"Share of favourable answers (4-5 after reverse-scored items are flipped) per construct; the "
    f"inclusion index is their mean. Groups with fewer than {k} respondents, or hidden to protect such a "
    "group, are listed last in grey: they exist, but their answers are not shown."
)
table = pd.concat(
    [
        keyed_display_table(fav[fav["period"] == survey], fav_spec, k, "construct", "Measure", construct_title),
        keyed_display_table(
            index[index["period"] == survey], specs["inclusion_index"], k, "Inclusion index", "Measure"
        ),
    ],
    ignore_index=True,
)
chart_block(
    heatmap_figure(published_first(cells), title=title, k=k),
    table,
    heatmap_summary(cells, finding, survey, k),
    key="voice-heatmap",
    filename=f"voice_constructs_{survey}.csv",
)

constructs = list(dict.fromkeys(fav["construct"]))
default = constructs.index(finding["construct"]) if finding is not None else 0
construct = st.selectbox("Construct", constructs, index=default, format_func=construct_title, key="voice_construct")
name = construct_title(construct)

st.header("Gaps to everyone else")
rows = gaps[(gaps["period"] == survey) & (gaps["construct"] == construct)]
drawn_gaps = rows[rows["dimensions"] == level].rename(columns={"value": "share", "gap": "value"})
gap_title, _ = gap_finding(rows[rows["dimensions"] == level], survey)
if "no group" in gap_title:
    gap_title = f"{name}, {survey}: no group differs significantly from everyone else"
chart_block(
    interval_figure(drawn_gaps, title=gap_title, x_title="Gap to everyone else (percentage points)", zero_line=True),
    difference_table(
        rows,
        first={"Survey": "period", "Construct": "construct", "Breakdown": "dimensions", "Group": "group"},
        other=("Everyone else", "rest_value", "rest_n"),
        difference="gap",
    ),
    f"{gap_title}. Each dot is a group's favourability minus that of all other respondents, with a 95% "
    "Newcombe interval; 'significant' uses a two-proportion z-test with Holm adjustment across the groups "
    "of the breakdown. Everyone else = the overall row minus the group, so nothing hidden is used.",
    key="voice-gaps",
    filename=f"voice_gaps_{construct}_{survey}.csv",
)

st.header("Item drill-down")
item_rows = items[
    (items["period"] == survey) & (items["construct"] == construct) & items["dimensions"].isin(["", level])
].copy()
item_rows["item"] = item_rows["item_id"] + ": " + item_rows["item_text"]
lowest = item_rows[~item_rows["suppressed"] & (item_rows["group"] != "All")]
item_title = (
    f"{name} items, {survey}: lowest is {lowest.loc[lowest['value'].idxmin(), 'item_id']} for "
    f"{group_label(lowest.loc[lowest['value'].idxmin(), 'group'])} ({lowest['value'].min():.1%})"
    if len(lowest)
    else f"{name} items, {survey}: every group is below the privacy threshold"
)
chart_block(
    interval_figure(item_rows, title=item_title, x_title="Favourable answers (%)", series="item"),
    keyed_display_table(item_rows, specs["item_favourability"], k, "item", "Item"),
    f"{item_title}. Reverse-scored items are flipped before counting, so higher is always better. "
    + summary_text(specs["item_favourability"], item_rows, item_rows[item_rows["group"] == "All"], k),
    key="voice-items",
    filename=f"voice_items_{construct}_{survey}.csv",
)

st.header("Trend over surveys")
trend = fav[(fav["construct"] == construct) & fav["dimensions"].isin(["", level])]
change = change_since_previous(fav[fav["construct"] == construct], alpha)
overall = change[(change["group"] == "All") & (change["period"] == survey)]
if len(overall) and overall["change"].notna().iat[0]:
    o = overall.iloc[0]
    trend_title = (
        f"{name}: {o['previous_value']:.1%} in {o['previous_period']}, {o['value']:.1%} in {survey} "
        f"({points(o['change'])}, {'significant' if o['significant'] else 'not significant'})"
    )
else:
    trend_title = f"{name} across survey waves"
fig = trend_figure(trend, title=trend_title, y_title=f"{name}: favourable answers (%)", unit="share")
fig.update_xaxes(title_text="Survey wave (last response date)")
chart_block(
    fig,
    difference_table(
        change,
        first={"Survey": "period", "Previous survey": "previous_period", "Breakdown": "dimensions", "Group": "group"},
        other=("Previous survey", "previous_value", "previous_n"),
        difference="change",
    ),
    f"{trend_title}. "
    + summary_text(fav_spec, trend, trend[trend["group"] == "All"], k)
    + " The table gives each group's change since the previous wave with a 95% Newcombe interval and a "
    "two-proportion z-test (Holm-adjusted).",
    key="voice-trend",
    filename=f"voice_change_{construct}.csv",
)

if "fct_survey_invitations" in info["tables"]:
    st.header("Response rate")
    rate_filters = view.filters_for(specs["response_rate"])
    rates = data.metric_table(
        version, "response_rate", ("department",), view.period, view.date_from, view.date_to, rate_filters
    )
    rates = rates[rates["period"] == survey]
    shown = rates[~rates["suppressed"] & rates["value"].notna() & (rates["group"] != "All")]
    rate_title = (
        f"Response rate, {survey}: lowest {group_label(shown.loc[shown['value'].idxmin(), 'group'])} "
        f"({shown['value'].min():.1%}), highest {group_label(shown.loc[shown['value'].idxmax(), 'group'])} "
        f"({shown['value'].max():.1%})"
        if len(shown) > 1
        else f"Response rate, {survey}"
    )
    if levels:
        st.caption("Invitations are counted per department only, so the job-level filter does not apply here.")
    chart_block(
        interval_figure(rates, title=rate_title, x_title="Respondents / invited (%)"),
        display_table(rates, specs["response_rate"], k),
        summary_text(specs["response_rate"], rates, rates[rates["group"] == "All"], k),
        key="voice-rate",
        filename=f"voice_response_rate_{survey}.csv",
    )

st.header("Outcomes side by side")
hr_specs = [data.registry()[m] for m in cfg["outcomes"]]
shared = tuple(d for d in by if all(d in s.dimensions for s in hr_specs))
shared_filters = tuple((d, v) for d, v in filters if all(d in s.dimensions for s in hr_specs))
if shared != by or shared_filters != filters:
    st.caption("HR outcomes are not recorded by tenure band: that dimension is left out of this comparison.")
side = _outcomes(version, shared, shared_filters, survey)
side = side[side["dimensions"].isin(["", "|".join(shared)])]
sides = [("inclusion_index", "Inclusion index", "share", k)] + [
    (s.name, f"{s.title}, {cfg['window']} months before", s.unit, info["k"])
    for s in hr_specs
    if f"{s.name}_value" in side
]
periods = [side[f"{s.name}_period"].dropna() for s in hr_specs if f"{s.name}_period" in side]
window = periods[0].iat[0] if periods and len(periods[0]) else ""
low = side[side["inclusion_index_value"].notna() & (side["group"] != "All")]
side_title = (
    f"{survey}: lowest inclusion index {group_label(low.loc[low['inclusion_index_value'].idxmin(), 'group'])} "
    f"({low['inclusion_index_value'].min():.1%}); outcomes over {window}"
    if len(low)
    else f"Inclusion index and outcomes, {survey}"
)
st.caption("The chart shows the groups whose inclusion index is published; the table lists every group.")
chart_block(
    outcomes_figure(side[side["inclusion_index_value"].notna()], [(p, t, u) for p, t, u, _ in sides], title=side_title),
    side_by_side_table(side, sides),
    f"{side_title}. Each side is a separately published table with its own threshold ({k} respondents for "
    f"the survey, {info['k']} people for HR data); the survey has no employee ids, so groups are matched "
    "by label and nobody is linked person by person. Side by side is not cause and effect.",
    key="voice-outcomes",
    filename=f"voice_outcomes_{survey}.csv",
)
