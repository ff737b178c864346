"""Hiring: the funnel by group, adverse impact per stage and for the bottom line, the view
within departments (Simpson's paradox check), time in stage, applicants vs workforce."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import family_page, hinted_sections, show_block
from dashboard.controls import by_note, filters_note
from dashboard.families.hiring import blocks as B
from pipelines.errors import EquityError
from pipelines.metrics import NotPrecomputedError, build_context, dimension_sets
from pipelines.families.hiring.display import stage_label
from pipelines.families.hiring.funnel import BOTTOM_LINE, funnel_data_issues, stage_order
from pipelines.db import has_table
from pipelines.families.hiring.strata import MAX_STRATIFIED_BY, published_impact, stratified_impact, whole_window


@st.cache_data(max_entries=8, show_spinner=False)
def _settings(version: data.DbVersion) -> dict:
    return build_context(data.cursor(version))["config"]


@st.cache_data(max_entries=8, show_spinner=False)
def _issues(version: data.DbVersion) -> pd.DataFrame:
    return funnel_data_issues(data.cursor(version), _settings(version))


@st.cache_data(max_entries=32, show_spinner=False)
def _impact(version, by, period, lo, hi, filters) -> pd.DataFrame:
    """Adverse impact computed from the protected counts (a results database from Spark has
    no application rows: its precomputed table then)."""
    cur = data.cursor(version)
    if not has_table(cur, "fct_applications"):
        return data.metric_table(version, "adverse_impact_ratio", by, period, lo, hi, filters)
    return published_impact(
        cur, list(by), period=period, date_from=lo, date_to=hi, filters={d: list(v) for d, v in filters}
    )


@st.cache_data(max_entries=32, show_spinner="Comparing within each stratum...")
def _stratified(version, by, stratify, lo, hi, filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = stratified_impact(
        data.cursor(version),
        list(by),
        stratify,
        period="custom",
        date_from=lo,
        date_to=hi,
        filters={d: list(v) for d, v in filters},
    )
    return result.strata, result.cmh


version, view, info = family_page(
    "Hiring", "hiring", "the hiring funnel", "recruiting/applications.csv and recruiting/application_stages.csv"
)
k = info["k"]

config = _settings(version)
rec = config["recruiting"]
stages = stage_order(config)
spec = data.registry()["adverse_impact_ratio"]
by = view.by_for(spec) or ("gender",)
filters = view.filters_for(spec)
try:
    period, lo, hi = whole_window(data.cursor(version), view.date_from, view.date_to)
    tables = {
        name: data.metric_table(version, name, by, period, lo, hi, filters)
        for name in ("stage_reach_rate", "stage_pass_rate", "time_in_stage")
    }
    tables["adverse_impact_ratio"] = _impact(version, by, period, lo, hi, filters)
except NotPrecomputedError as exc:  # a Spark results database holds yearly tables only
    st.warning(f"The pooled hiring view is not available from this database: {exc}.")
    st.stop()
except EquityError as exc:
    st.error(str(exc))
    st.stop()

st.caption(
    f"All applications made from {lo} to {hi}, pooled (set From/To in the sidebar to narrow). "
    f"Broken down by {' × '.join(by)}{'' if view.by_for(spec) else ' (the default; choose others in the sidebar)'}. "
    f"Groups of fewer than {k} people are never shown; every rate comes with its n and 95% interval. "
    + (by_note(view, by, "applications do not record it") + " " if view.by else "")
    + filters_note(view, spec, "applications")
)
issues = _issues(version)
if not issues.empty:
    st.info(
        "How the data was read: "
        + "; ".join(f"{r.count:,} {r.issue} ({r.treatment})" for r in issues.itertuples())
        + "."
    )


# Every chart and table below is a block of dashboard/families/hiring/blocks.py, which the PDF
# section prints too; headers, captions and the widgets choosing a view are the page's own.
st.header("The funnel")
show_block(
    B.funnel_block(tables["stage_reach_rate"], tables["stage_pass_rate"], stages, k, by),
    key="hiring-funnel",
    filename="hiring_funnel.csv",
)

st.header("Adverse impact (four-fifths rule)")
threshold, alpha = rec["adverse_impact_threshold"], rec["significance_alpha"]
st.caption(
    f"Impact ratio = a group's selection rate ÷ the reference group's rate (the highest rate among "
    f"groups shown, with at least {rec['reference_min_share']:.0%} of the pool and an actual identity "
    f"answer). Flagged when strictly below {threshold}. Beside each ratio: its 95% Katz interval, the "
    f"pooled two-proportion z, Fisher's exact p and the Holm-adjusted p (all comparisons of this "
    f"breakdown count as one family), and the shortfall - how many more selections would reach {threshold}."
)
# page-only: a toggle between two blocks (the PDF prints both, one after the other)
mode = st.radio(
    "Show",
    ["Per stage", "Bottom line (hired ÷ decided)"],
    horizontal=True,
    key="hiring_ai_mode",
    help="Stages can each pass four-fifths while the end-to-end ratio fails: look at both.",
)
bottom = mode.startswith("Bottom")
show_block(
    B.impact_block(tables["adverse_impact_ratio"], stages, k, rec, by, bottom_line=bottom),
    key=f"hiring-impact-{'bottom' if bottom else 'stages'}",
    filename="adverse_impact.csv",
)

st.header("Within departments, levels or sources")
strat_by = by[:MAX_STRATIFIED_BY]
options = [d for d in ("department", "job_level", "source") if d not in strat_by and d not in dict(filters)]
if options:
    if len(by) > len(strat_by):
        st.caption(
            f"This view compares {strat_by[0]} groups only: with {' × '.join(by)} inside each stratum "
            f"most cells would hold fewer than {k} people. The pooled view above keeps the full breakdown."
        )
    # page-only: the choice of stratum and stage (the PDF prints the defaults: the first
    # stratum offered and the stage of the strongest finding)
    cols = st.columns(2)
    stratify = cols[0].selectbox("Compare within", options, key="hiring_stratify")
    stage_names = [*stages[:-1], BOTTOM_LINE]
    strata, cmh = _stratified(version, strat_by, stratify, lo, hi, filters)
    strata = B.strata_rows(strata, strat_by)
    stage = cols[1].selectbox(
        "Stage",
        stage_names,
        index=stage_names.index(B.default_stage(strata, stages, alpha)),
        key="hiring_strata_stage",
        format_func=lambda s: stage_label(s, dict(zip(stages, stages[1:])).get(s)),
    )
    show_block(
        B.strata_block(strata, stratify, stage, k, rec, strat_by),
        key=f"hiring-strata-{stratify}-{stage}",
        filename=f"adverse_impact_by_{stratify}.csv",
    )
    comparison = B.cmh_block(cmh, stratify, stages)
    show_block(comparison, key=f"hiring-cmh-{stratify}", filename=f"cmh_by_{stratify}.csv")
else:
    st.caption("Remove department, level or source from the breakdown or filters to compare within them.")

st.header("Time in stage")
st.caption(
    "Median days from entering a stage to entering the next (Kaplan-Meier): applications still open on "
    "the as-of date count as waiting at least that long (censored), not dropped. Rejections and "
    "withdrawals carry no exit date in the data, so they are outside this measure."
)
show_block(B.time_block(tables["time_in_stage"], stages, k, by), key="hiring-time", filename="time_in_stage.csv")

people = set(dimension_sets()["people"])
if set(by) <= people:  # the workforce is broken down by people's dimensions only
    st.header("Applicants compared with the workforce")
    show_block(
        B.share_block(
            data.metric_table(version, "applicant_share", by, period, lo, hi, filters),
            data.metric_table(version, "representation", by, period, lo, hi, filters),
            k,
            hi,
            by,
        ),
        key="hiring-share",
        filename="applicants_vs_workforce.csv",
    )

# metrics with a registry `display:` hint for this page (docs/adding_a_metric.md)
hinted_sections(version, "hiring", view, by, (period, lo, hi))
