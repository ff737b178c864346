"""Workforce: trends over all years, an intersectional heat map, who joins and who leaves,
the leaky pipeline by level, promotions against a reference group, and targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts import trend_figure
from dashboard.charts_workforce import flow_figure, heatmap_figure, pipeline_figure, ratio_figure, target_figure
from dashboard.components import chart_block, family_page
from dashboard.controls import GRAIN_NOUN, by_note
from dashboard.narrative import display_table, finding_title, summary_text
from dashboard.narrative_workforce import (
    flow_summary,
    pipeline_summary,
    pipeline_title,
    ratio_summary,
    ratio_title,
    target_sentence,
)
from pipelines.errors import DataError
from pipelines.metrics import build_context, full_period_rows, latest_full_period_rows
from pipelines.metrics.workforce_common import ordered_levels, setting
from pipelines.metrics.workforce_targets import parse_targets, target_progress, target_series

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
DEFAULT_BY = ("gender", "race_ethnicity")
SHARES = {"representation", "hire_share", "exit_share"}  # a share of everyone is 100%: default to gender

version, view, info = family_page("Workforce", "workforce", "the workforce", "hr/employees.csv and hr/job_history.csv")
k = info["k"]
specs = data.registry()
TREND_METRICS = [m for m in TREND_METRICS if data.unsupported(version, m) is None]  # e.g. no flows from snapshots
events = data.events(version, "workforce")
config = build_context(data.cursor(version))["config"]


def table_for(name: str, by: tuple[str, ...]) -> pd.DataFrame:
    """The published table of `name` for the sidebar's period, range and filters."""
    spec = specs[name]
    return data.metric_table(version, name, by, view.period, view.date_from, view.date_to, view.filters_for(spec))


# --- Trends over all years -------------------------------------------------------------
st.header("Trends")
name = st.selectbox("Metric", TREND_METRICS, format_func=lambda n: specs[n].title, key="wf_metric")
spec = specs[name]
st.caption(spec.definition)
by = view.by_for(spec) or (("gender",) if name in SHARES else ())
table = table_for(name, by)
rows = table[table["dimensions"] == "|".join(by)]
if by:
    st.caption(f"Broken down by {' × '.join(by)}; the eight largest groups are drawn, every group is in the table.")
fig = trend_figure(
    rows, title=finding_title(spec, rows), y_title=f"{spec.title} ({spec.unit})", unit=spec.unit, events=events
)
chart_block(
    fig,
    display_table(table, spec, k),
    summary_text(spec, rows, table[table["group"] == "All"], k),
    key=f"wf-{name}",
    filename=f"{name}.csv",
)

# --- Intersectional heat map --------------------------------------------------------------
st.header(f"Groups by {GRAIN_NOUN[view.period]}")
heat_by = by if len(by) >= 2 else tuple(d for d in DEFAULT_BY if d in spec.dimensions)
heat = table_for(name, heat_by)
heat_rows = heat[heat["dimensions"] == "|".join(heat_by)]
st.caption(
    f"{spec.title} for every {' × '.join(heat_by)} group and {GRAIN_NOUN[view.period]}. Blank cells are "
    f"groups whose protected count is below {k}. "
    + by_note(view, heat_by, "the heat map crosses two or more dimensions")
)
chart_block(
    heatmap_figure(heat_rows, title=finding_title(spec, latest_full_period_rows(heat_rows)), unit=spec.unit, k=k),
    display_table(heat, spec, k),
    summary_text(spec, latest_full_period_rows(heat_rows), heat[heat["group"] == "All"], k),
    key=f"wf-heat-{name}",
    filename=f"{name}_by_group.csv",
)

# --- Who joins and who leaves ------------------------------------------------------------
st.header("Who joins and who leaves")
flow_refused = next((why for why in (data.unsupported(version, m) for m in ("hire_share", "exit_share")) if why), None)
if flow_refused:
    st.info(flow_refused)
else:
    flow_by = by[:1] or ("gender",)
    flows = {
        label: latest_full_period_rows(table_for(m, flow_by))
        for label, m in (("headcount", "representation"), ("hires", "hire_share"), ("exits", "exit_share"))
    }
    flows = {label: t[t["dimensions"] == flow_by[0]] for label, t in flows.items()}
    period = flows["headcount"]["period"].iat[0] if len(flows["headcount"]) else ""
    st.caption(
        "A group whose share of exits is above its share of headcount is shrinking unless its share "
        "of hires makes up for it. " + by_note(view, flow_by, "the three shares are compared one dimension at a time")
    )
    flow_table = pd.concat(
        [display_table(t, specs[m], k) for t, m in zip(flows.values(), ("representation", "hire_share", "exit_share"))],
        ignore_index=True,
    )
    flow_table.insert(1, "Share of", sum(([lbl] * len(t) for lbl, t in flows.items()), []))
    chart_block(
        flow_figure(flows, title=f"Share of headcount, hires and exits by {flow_by[0]}, {period}"),
        flow_table,
        flow_summary(flows),
        key="wf-flow",
        filename="net_flow.csv",
    )

# --- Leaky pipeline --------------------------------------------------------------------------
st.header("Representation by level")
level_by = tuple(d for d in by if d != "job_level")[:1] or ("gender",)
levels = ordered_levels(data.dimension_values(version, "job_level"), config)
rep = latest_full_period_rows(table_for("representation_by_level", level_by))
index = latest_full_period_rows(table_for("pipeline_index", level_by))
rep_rows = rep[rep["dimensions"] == level_by[0]]
st.caption(
    "Each group's share of every level; the pipeline index divides a level's share by the share "
    "one level down (below 1: the group thins out going up). "
    + by_note(view, level_by, "levels are the x axis, compared one dimension at a time")
)
pipe_table = pd.concat(
    [
        display_table(rep, specs["representation_by_level"], k).assign(Level=rep["job_level"].values),
        display_table(index, specs["pipeline_index"], k).assign(Level=index["job_level"].values),
    ],
    ignore_index=True,
)
chart_block(
    pipeline_figure(rep_rows, levels, title=pipeline_title(rep_rows, levels)),
    pipe_table,
    pipeline_summary(rep_rows, levels, k),
    key="wf-pipeline",
    filename="pipeline_by_level.csv",
)

# --- Promotions ------------------------------------------------------------------------------
st.header("Promotions")
promo_refused = data.unsupported(version, "promotion_impact_ratio")
if promo_refused:
    st.info(promo_refused)
else:
    threshold = float(setting(config, "impact_ratio_threshold"))
    promo_by = by or ("gender",)
    ratios = latest_full_period_rows(table_for("promotion_impact_ratio", promo_by))
    ratio_rows = ratios[ratios["dimensions"] == "|".join(promo_by)]
    st.caption(specs["promotion_impact_ratio"].definition)
    ratio_display = display_table(ratios, specs["promotion_impact_ratio"], k).assign(
        Reference=ratios["reference_group"].fillna("").values,
        **{"Fisher p": ratios["p_value_fisher"].map(lambda v: "" if pd.isna(v) else f"{v:.3g}").values},
    )
    chart_block(
        ratio_figure(ratio_rows, title=ratio_title(ratio_rows, threshold), threshold=threshold),
        ratio_display,
        ratio_summary(ratio_rows, k),
        key="wf-ratio",
        filename="promotion_impact_ratio.csv",
    )


# --- Targets -------------------------------------------------------------------------------
@st.cache_data(max_entries=4, show_spinner=False)
def targets(v: data.DbVersion):
    cur = data.cursor(v)
    progress = target_progress(cur)
    return progress, [target_series(cur, t) for t in parse_targets(build_context(cur)["config"])]


st.header("Targets")
try:
    progress, series = targets(version)
except DataError as exc:
    st.error(f"The targets in equity.yml cannot be read: {exc}")
    progress, series = pd.DataFrame(), []
if progress.empty:
    st.info("No targets configured. Add `targets:` to equity.yml (metric, dimensions, group, value, due).")
for i, (row, rows_t) in enumerate(zip(progress.to_dict("records"), series)):
    t_spec = specs[row["metric"]]
    shown = full_period_rows(rows_t)
    fig = target_figure(
        shown, pd.Series(row), title=f"{row['target']}: {row['status']}", unit=t_spec.unit, events=events
    )
    chart_block(
        fig,
        display_table(shown, t_spec, k),
        target_sentence(pd.Series(row)),
        key=f"wf-target-{i}",
        filename=f"target_{i + 1}.csv",
    )
