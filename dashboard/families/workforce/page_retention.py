"""Retention: Kaplan-Meier curves by group with 95% bands and a log-rank test, retention
trends over all years, parental leave, and the change in a metric at a policy event. Every
figure is published (protected) output: the page never asks for exact figures."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.families.workforce.charts_retention import impact_figure
from dashboard.components import chart_block, no_data, safe_dataframe, show_block
from dashboard.controls import by_note
from dashboard.families.workforce import blocks as wf
from dashboard.families.workforce.view_source import open_page, page_source
from dashboard.families.workforce.narrative import impact_sentence, impact_title
from pipelines.errors import UsageError
from pipelines.families.workforce.curves import group_summary, retention_curves
from pipelines.families.workforce.impact import impact

RETENTION_METRICS = ["retention_12m", "retention_24m", "retention_rate", "first_year_turnover", "median_tenure"]
IMPACT_METRICS = [
    "parental_leave_uptake",
    "turnover_rate",
    "turnover_rate_voluntary",
    "retention_rate",
    "representation",
    "hires",
    "promotion_rate",
]

version, view, k, RETENTION_METRICS = open_page("Retention", "retention", RETENTION_METRICS)
specs = data.registry()
IMPACT_METRICS = data.computable(version, IMPACT_METRICS)
events = data.events(version)  # every event can be tested below
filters = view.filters_dict()


@st.cache_data(max_entries=16, show_spinner=False)
def curves(v: data.DbVersion, by: tuple[str, ...], date_from, date_to, flt: tuple):
    cur = data.cursor(v)
    res = retention_curves(cur, by=list(by), date_from=date_from, date_to=date_to, filters={d: list(x) for d, x in flt})
    return res, group_summary(cur, res, {d: list(x) for d, x in flt})


src = page_source(
    version, view, k, fetch_curves=lambda by: curves(version, by, view.date_from, view.date_to, view.filters)
)

# --- Kaplan-Meier curves -------------------------------------------------------------------------
st.header("How long people stay")
try:
    retention = wf.retention_blocks(src)
except UsageError as exc:  # e.g. several values of one filter: a curve does not add up over them
    st.warning(str(exc))
    retention = []
if retention:
    res, _ = src.curves(wf.curves_by(src))
    st.caption(
        f"Everyone employed between {res.window.start} and {res.window.end} (whole years), followed by "
        "months since hire. People hired before the window enter at their tenure on its first day (their "
        "earlier exits are not in the data). To protect individuals a curve steps only at whole quarters "
        f"of tenure and only once at least {k} people of the group have left since its last step; "
        f"between steps it is interpolated, and a point is blank when fewer than {k} are at risk."
    )
    show_block(retention[0], key="ret-km", filename="retention_curves.csv")
    st.subheader("Groups: 12- and 24-month retention and median tenure")
    show_block(retention[1], key="ret-groups", filename="retention_groups.csv")

# --- Retention trends ----------------------------------------------------------------------
st.header("Retention over the years")
if not RETENTION_METRICS:  # snapshots record hires and exits only to their interval
    st.info(data.unsupported(version, "retention_12m"))
else:
    # the metric picker is page-only: the PDF reports the first (retention at 12 months)
    name = st.selectbox("Metric", RETENTION_METRICS, format_func=lambda n: specs[n].title, key="ret_metric")
    st.caption(specs[name].definition)
    show_block(wf.trend_block(src, name, wf.retention_by(src, name)), key=f"ret-{name}", filename=f"{name}.csv")

# --- Parental leave ----------------------------------------------------------------------------
st.header("Parental leave")
if "fct_leave_spells" not in data.run_info(version)["tables"]:
    no_data("parental leave", "hr/leave.csv")
else:
    st.caption(
        "Each leave belongs to the year it starts in, so a policy for leave starting on a date "
        "splits the years cleanly. Returns not yet followed for 12 months are left out and noted."
    )
    for name in wf.LEAVE_METRICS:
        by = wf.leave_by(src, name)
        if name == wf.LEAVE_METRICS[0] and by_note(view, by):
            st.caption(by_note(view, by, "leave is taken by few people, so one dimension at a time"))
        show_block(wf.trend_block(src, name, by), key=f"ret-{name}", filename=f"{name}.csv")

# --- Policy events ---------------------------------------------------------------------------
# page-only: the analysis is driven by the widgets below (event, metric, group, months), so the
# PDF has no default view of it
st.header("Did a policy change anything?")
if events.empty:
    st.info("No events loaded: add reference/events.csv (event_date, label, description, optional family) and rebuild.")
    st.stop()
cols = st.columns(4)
event = cols[0].selectbox("Event", list(events["label"]), key="ret_event")
metric = cols[1].selectbox("Metric", IMPACT_METRICS, format_func=lambda n: specs[n].title, key="ret_impact_metric")
dims = ["(everyone)", *specs[metric].dimensions]
group_dim = cols[2].selectbox(
    "Group by", dims, index=dims.index("gender") if "gender" in dims else 0, key="ret_impact_dim"
)
months = cols[3].number_input("Months each side", min_value=6, max_value=60, value=36, step=6, key="ret_months")
group = None
if group_dim != "(everyone)":
    options = data.metric_table(version, metric, (group_dim,), "year", None, None, view.filters_for(specs[metric]))
    choices = sorted(set(options.loc[options["dimensions"] == group_dim, "group"]))
    # the sample's policy is about fathers taking leave: start with the largest group's series
    largest = options[options["dimensions"] == group_dim].groupby("group")["n"].max().idxmax()
    group = st.selectbox("Group", choices, index=choices.index(largest), key="ret_impact_group")
try:
    result = impact(
        data.cursor(version),
        metric,
        event,
        months=int(months),
        by=[group_dim] if group else [],
        group=group,
        filters=filters,
    )
except UsageError as exc:
    st.warning(str(exc))
    st.stop()
table = (
    result.series.assign(t=result.series["t"].astype(int))
    .rename(
        columns={
            "period": "Month",
            "t": "Months from event",
            "value": specs[metric].title,
            "n": "n",
            "used": "Used in the fit",
            "reason": "Left out because",
        }
    )
    .drop(columns=["period_start", "post"])
)
fig = impact_figure(
    result.series,
    result.coefficients,
    result.event_date,
    unit=specs[metric].unit,
    event_label=result.event,
    title=impact_title(result, specs[metric].unit),
)
chart_block(fig, table, impact_sentence(result, specs[metric].unit), key="ret-impact", filename="impact_series.csv")
safe_dataframe(result.coefficients, hide_index=True, width="stretch", key="ret-impact-coef")
for note in result.notes:
    st.caption(note)
