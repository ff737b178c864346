"""Hiring: the funnel by group, adverse impact per stage and for the bottom line, the view
within departments (Simpson's paradox check), time in stage, applicants vs workforce."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts_hiring import funnel_figure, impact_figure, share_comparison_figure, time_in_stage_figure
from dashboard.components import chart_block, family_page, hinted_sections, safe_dataframe
from dashboard.controls import by_note, filters_note
from pipelines.errors import EquityError
from pipelines.export import to_csv
from pipelines.metrics import NotPrecomputedError, build_context, dimension_sets
from pipelines.metrics.hiring_display import (
    cmh_display,
    funnel_display,
    funnel_sentences,
    impact_display,
    impact_sentences,
    sort_stages,
    stage_label,
    time_display,
    time_sentences,
)
from pipelines.metrics.hiring_funnel import BOTTOM_LINE, funnel_data_issues, stage_order
from pipelines.db import has_table
from pipelines.metrics.hiring_strata import MAX_STRATIFIED_BY, published_impact, stratified_impact, whole_window
from pipelines.formatting import group_label


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
dims = "|".join(by)
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


def _rows(table: pd.DataFrame, overall: bool = True) -> pd.DataFrame:
    keep = [dims, ""] if overall else [dims]
    return table[table["dimensions"].isin(keep)].reset_index(drop=True)


st.header("The funnel")
reach, passing = _rows(tables["stage_reach_rate"]), _rows(tables["stage_pass_rate"])
title, summary = funnel_sentences(reach, stages, k)
chart_block(
    funnel_figure(reach, stages, title),
    funnel_display(reach, passing, stages, k),
    summary,
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
mode = st.radio(
    "Show",
    ["Per stage", "Bottom line (hired ÷ decided)"],
    horizontal=True,
    key="hiring_ai_mode",
    help="Stages can each pass four-fifths while the end-to-end ratio fails: look at both.",
)
impact = _rows(tables["adverse_impact_ratio"])
wanted = impact["stage"] == BOTTOM_LINE
impact = sort_stages(impact[wanted if mode.startswith("Bottom") else ~wanted], stages)
groups = impact[impact["group"] != "All"]
title, summary = impact_sentences(groups, k, threshold, alpha)
chart_block(
    impact_figure(groups, title, threshold),
    impact_display(impact, k),
    summary,
    key=f"hiring-impact-{'bottom' if mode.startswith('Bottom') else 'stages'}",
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
    cols = st.columns(2)
    stratify = cols[0].selectbox("Compare within", options, key="hiring_stratify")
    stage_names = [*stages[:-1], BOTTOM_LINE]
    strata, cmh = _stratified(version, strat_by, stratify, lo, hi, filters)
    strata = strata[strata["dimensions"] == "|".join(strat_by)]
    # open on the stage of the strongest finding: flagged and significant after Holm first, then
    # |z| >= threshold, a stage before the bottom line (it says where the gap arises), the lowest ratio
    flagged = strata[strata["flagged"].fillna(False).astype(bool)]
    flagged = flagged.assign(
        _holm=flagged["p_holm"] < alpha,
        _sig=flagged["significant"].fillna(False).astype(bool),
        _end=flagged["stage"] == BOTTOM_LINE,
    ).sort_values(["_holm", "_sig", "_end", "value"], ascending=[False, False, True, True])
    default = stage_names.index(flagged["stage"].iat[0]) if len(flagged) else len(stage_names) - 1
    stage = cols[1].selectbox(
        "Stage",
        stage_names,
        index=default,
        key="hiring_strata_stage",
        format_func=lambda s: stage_label(s, dict(zip(stages, stages[1:])).get(s)),
    )
    rows = strata[strata["stage"] == stage]
    title, summary = impact_sentences(rows, k, threshold, alpha, place="stratum")
    title = f"Within each {stratify}: {title}"
    chart_block(
        impact_figure(rows, title, threshold, label="stratum"),
        impact_display(rows, k).assign(**{stratify: rows["stratum"].to_numpy()}),
        summary,
        key=f"hiring-strata-{stratify}-{stage}",
        filename=f"adverse_impact_by_{stratify}.csv",
    )
    st.subheader(f"Pooled vs within each {stratify} (Cochran-Mantel-Haenszel)")
    st.caption(
        f"For each group and stage, the pooled ratio beside the Mantel-Haenszel ratio across {stratify}s "
        f"(the impact ratio with {stratify} held constant), the common odds ratio and the CMH test. "
        f"When the two disagree, which {stratify}s people applied to explains or hides part of the gap "
        "(Simpson's paradox, as in the 1973 Berkeley admissions)."
    )
    for note in cmh.loc[cmh["disagree"], "note"].head(5):
        st.warning(note)
    shown = cmh_display(sort_stages(cmh, stages), stratify)
    safe_dataframe(shown, hide_index=True, width="stretch", key=f"table-hiring-cmh-{stratify}")
    st.download_button(
        "Download this table (CSV)",
        data=to_csv(shown),
        file_name=f"cmh_by_{stratify}.csv",
        mime="text/csv",
        key=f"download-hiring-cmh-{stratify}",
    )
else:
    st.caption("Remove department, level or source from the breakdown or filters to compare within them.")

st.header("Time in stage")
st.caption(
    "Median days from entering a stage to entering the next (Kaplan-Meier): applications still open on "
    "the as-of date count as waiting at least that long (censored), not dropped. Rejections and "
    "withdrawals carry no exit date in the data, so they are outside this measure."
)
times = _rows(tables["time_in_stage"])
title, summary = time_sentences(times, stages, k)
chart_block(
    time_in_stage_figure(times, stages, title),
    time_display(times, stages, k),
    summary,
    key="hiring-time",
    filename="time_in_stage.csv",
)

people = set(dimension_sets()["people"])
if set(by) <= people:
    st.header("Applicants compared with the workforce")
    apps = _rows(data.metric_table(version, "applicant_share", by, period, lo, hi, filters), overall=False)
    rep = _rows(data.metric_table(version, "representation", by, period, lo, hi, filters), overall=False)
    both = apps.merge(rep, on="group", how="outer", suffixes=("_a", "_w"))
    table = pd.DataFrame({"group": both["group"]})
    shown_table = pd.DataFrame({"Group": both["group"].map(group_label)})
    for col, sfx, label in (("applicants", "_a", "Applicants"), ("workforce", "_w", f"Workforce on {hi}")):
        hidden = both[f"suppressed{sfx}"].fillna(True).astype(bool)
        for part, src in (("", "value"), ("_low", "ci_low"), ("_high", "ci_high"), ("_n", "n")):
            table[f"{col}{part}"] = both[f"{src}{sfx}"].where(~hidden)
        shown_table[f"{label}: share"] = [
            f"fewer than {k} or protecting one" if h else f"{v:.1%}" for h, v in zip(hidden, both[f"value{sfx}"])
        ]
        shown_table[f"{label}: 95% CI"] = [
            "" if h else f"{lo_:.1%} to {hi_:.1%}"
            for h, lo_, hi_ in zip(hidden, both[f"ci_low{sfx}"], both[f"ci_high{sfx}"])
        ]
        shown_table[f"{label}: n"] = ["" if h else f"{int(n):,}" for h, n in zip(hidden, both[f"n{sfx}"])]
    gap = table.assign(diff=table["applicants"] - table["workforce"]).dropna(subset=["diff"])
    if len(gap):
        g = gap.loc[gap["diff"].abs().idxmax()]
        title = (
            f"{group_label(g['group'])}: {g['applicants']:.1%} of applicants vs {g['workforce']:.1%} of the workforce "
            f"on {hi}"
        )
    else:
        title = "Applicants and workforce: no group can be compared"
    summary = (
        "; ".join(
            f"{group_label(r.group)}: applicants {r.applicants:.1%} (n = {int(r.applicants_n):,}), workforce "
            f"{r.workforce:.1%} (n = {int(r.workforce_n):,})"
            for r in gap.itertuples()
        )
        + "."
    )
    chart_block(
        share_comparison_figure(table, title),
        shown_table,
        summary,
        key="hiring-share",
        filename="applicants_vs_workforce.csv",
    )

# metrics with a registry `display:` hint for this page (docs/adding_a_metric.md)
hinted_sections(version, "hiring", view, by, (period, lo, hi))
