"""Employee voice: how each group experiences work, from the anonymous inclusion survey.

Construct heat-map (groups x constructs), gaps to everyone else, item drill-down, trend over
survey waves with the change since the previous one, response rates, and the inclusion index
beside turnover (and promotion) rates. Every table is the published one (survey_k and
complementary suppression); filtered views pass the differencing guard or are refused with
its explanation. Free-text comments are out of scope.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.families.voice.charts import construct_title
from dashboard.components import no_data, require_db, show_block
from dashboard.controls import by_note, current_view, filters_note
from dashboard.families.voice import blocks
from pipelines.errors import UsageError
from pipelines.metrics import MAX_DIMS, NotPrecomputedError, build_context
from pipelines.families.voice.compare import change_since_previous, gaps_to_rest
from pipelines.families.voice.outcomes import outcomes_side_by_side

VOICE_MARTS = {"fct_survey_answers", "fct_survey_respondents", "dim_survey_waves"}


@st.cache_data(max_entries=4, show_spinner=False)
def _settings(version: data.DbVersion) -> dict:
    return blocks.view_settings(build_context(data.cursor(version))["config"])


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
        default=list(view.by_for(fav_spec) or blocks.DEFAULT_BY),
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
    fav, index, items = (
        data.metric_table(version, m, by, view.period, view.date_from, view.date_to, filters)
        for m in blocks.VIEW_METRICS
    )
except NotPrecomputedError as exc:  # a Spark results database answers only what it holds
    st.warning(f"This view is not available from this database: {exc}.")
    st.stop()
except UsageError as exc:  # the differencing guard's refusal, or no wave in the selected range
    st.error(f"This view is not shown. {str(exc)[0].upper()}{str(exc)[1:]}")
    st.stop()

waves = list(fav.drop_duplicates("period").sort_values("period_start")["period"])
survey = st.selectbox("Survey wave", waves[::-1], key="voice_wave")  # page-only: the PDF shows the latest wave
gaps = gaps_to_rest(fav, k, alpha)

st.header("How each group experiences work")
# page-only: how to read the interactive map's colours (the PDF's block summary says what it shows)
st.caption(
    f"Share of favourable answers (4-5 after reverse-scored items are flipped) per construct; the "
    f"inclusion index is their mean. Groups with fewer than {k} respondents, or hidden to protect such a "
    "group, are listed last in grey: they exist, but their answers are not shown."
)
heatmap, finding = blocks.heatmap_block(fav, index, gaps, survey, by, k)
show_block(heatmap, key="voice-heatmap", filename=f"voice_constructs_{survey}.csv")

constructs = list(dict.fromkeys(fav["construct"]))
opening = blocks.opening_construct(fav, finding)
# page-only: the PDF opens on the heat-map's construct; here any construct can be chosen
construct = st.selectbox(
    "Construct", constructs, index=constructs.index(opening), format_func=construct_title, key="voice_construct"
)

st.header("Gaps to everyone else")
show_block(
    blocks.gaps_block(gaps, survey, construct, by), key="voice-gaps", filename=f"voice_gaps_{construct}_{survey}.csv"
)

st.header("Item drill-down")
show_block(
    blocks.items_block(items, survey, construct, by, k),
    key="voice-items",
    filename=f"voice_items_{construct}_{survey}.csv",
)

st.header("Trend over surveys")
change = change_since_previous(fav[fav["construct"] == construct], alpha)
show_block(
    blocks.trend_block(fav, change, survey, construct, by, k),
    key="voice-trend",
    filename=f"voice_change_{construct}.csv",
)

if "fct_survey_invitations" in info["tables"]:
    st.header("Response rate")
    rate_filters = view.filters_for(specs["response_rate"])
    rates = data.metric_table(
        version, "response_rate", blocks.RATE_BY, view.period, view.date_from, view.date_to, rate_filters
    )
    if levels:  # page-only: the PDF has no job-level filter
        st.caption("Invitations are counted per department only, so the job-level filter does not apply here.")
    show_block(blocks.rate_block(rates, survey, k), key="voice-rate", filename=f"voice_response_rate_{survey}.csv")

st.header("Outcomes side by side")
shared, shared_filters = blocks.outcome_view(by, filters, cfg["outcomes"])
if shared != by or shared_filters != filters:  # page-only: the PDF's default breakdown is recorded by both sides
    st.caption("HR outcomes are not recorded by tenure band: that dimension is left out of this comparison.")
side = _outcomes(version, shared, shared_filters, survey)
# page-only: the sidebar may ask for groups the chart leaves out; the PDF's reader has the table beside it
st.caption("The chart shows the groups whose inclusion index is published; the table lists every group.")
show_block(
    blocks.outcomes_block(side, survey, shared, cfg), key="voice-outcomes", filename=f"voice_outcomes_{survey}.csv"
)
