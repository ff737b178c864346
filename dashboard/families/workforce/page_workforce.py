"""Workforce: trends over all years, an intersectional heat map, who joins and who leaves,
the leaky pipeline by level, promotions against a reference group, and targets."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.components import show_block
from dashboard.controls import GRAIN_NOUN, by_note
from dashboard.families.workforce import blocks as wf
from dashboard.families.workforce.view_source import open_page, page_source
from pipelines.errors import DataError

TREND_METRICS = [
    "representation",
    "headcount",
    "turnover_rate",
    "turnover_rate_voluntary",
    "turnover_rate_involuntary",
    "turnover_rate_regretted",
    "hires",
    "separations",
    "hire_share",
    "exit_share",
    "promotion_rate",
]

version, view, k, TREND_METRICS = open_page("Workforce", "the workforce", TREND_METRICS)
specs = data.registry()


src = page_source(version, view, k)

# --- Trends over all years -------------------------------------------------------------
st.header("Trends")
# the metric picker is page-only: the PDF reports the trends of section.PDF_TRENDS
name = st.selectbox("Metric", TREND_METRICS, format_func=lambda n: specs[n].title, key="wf_metric")
spec = specs[name]
st.caption(spec.definition)
by = wf.trend_by(src, name)
st.caption(
    f"Broken down by {' × '.join(by)}; the eight largest groups are drawn, every group is in the table. "
    + by_note(view, by)
)
show_block(wf.trend_block(src, name), key=f"wf-{name}", filename=f"{name}.csv")

# --- Intersectional heat map --------------------------------------------------------------
st.header(f"Groups by {GRAIN_NOUN[view.period]}")
heat_by = wf.heat_by(src, name)
st.caption(
    f"{spec.title} for every {' × '.join(heat_by)} group and {GRAIN_NOUN[view.period]}. Blank cells are "
    f"groups whose protected count is below {k}. "
    + by_note(view, heat_by, "the heat map crosses two or more dimensions")
)
show_block(wf.heatmap_block(src, name), key=f"wf-heat-{name}", filename=f"{name}_by_group.csv")

# --- Who joins and who leaves ------------------------------------------------------------
st.header("Who joins and who leaves")
flow_refused = next((why for why in (data.unsupported(version, m) for m in ("hire_share", "exit_share")) if why), None)
if flow_refused:
    st.info(flow_refused)
else:
    st.caption(
        "A group whose share of exits is above its share of headcount is shrinking unless its share "
        "of hires makes up for it. "
        + by_note(view, wf.first_dimension_by(src), "the three shares are compared one dimension at a time")
    )
    show_block(wf.flow_block(src), key="wf-flow", filename="net_flow.csv")

# --- Leaky pipeline --------------------------------------------------------------------------
st.header("Representation by level")
st.caption(
    "Each group's share of every level; the pipeline index divides a level's share by the share "
    "one level down (below 1: the group thins out going up). "
    + by_note(
        view, wf.first_dimension_by(src, drop="job_level"), "levels are the x axis, compared one dimension at a time"
    )
)
show_block(wf.pipeline_block(src), key="wf-pipeline", filename="pipeline_by_level.csv")

# --- Promotions ------------------------------------------------------------------------------
st.header("Promotions")
promo_refused = data.unsupported(version, "promotion_impact_ratio")
if promo_refused:
    st.info(promo_refused)
else:
    st.caption(specs["promotion_impact_ratio"].definition)
    show_block(wf.promotion_block(src), key="wf-ratio", filename="promotion_impact_ratio.csv")


# --- Targets -------------------------------------------------------------------------------
@st.cache_data(max_entries=4, show_spinner=False)
def target_blocks(v: data.DbVersion, k: int):
    """Targets are for the whole organisation (the sidebar does not apply): cached per build."""
    return wf.target_blocks(wf.Source(data.cursor(v), k, events=data.events(v, "workforce")))


st.header("Targets")
try:
    targets = target_blocks(version, k)
except DataError as exc:
    st.error(f"The targets in equity.yml cannot be read: {exc}")
    targets = []
if not targets:
    st.info("No targets configured. Add `targets:` to equity.yml (metric, dimensions, group, value, due).")
for i, block in enumerate(targets):
    show_block(block, key=f"wf-target-{i}", filename=f"target_{i + 1}.csv")
