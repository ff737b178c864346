"""Pay equity: raw vs adjusted gap over the years, UK/EU statutory tables with the Art. 10
flags, decomposition, cohort review and the cost-to-close curve (aggregates only: individual
remediation rows never appear on the dashboard)."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.charts_pay import cost_curve_figure, decomposition_figure, gap_trend_figure, quartile_figure
from dashboard.components import chart_block, no_data, require_db, table_block, safe_dataframe
from dashboard.controls import by_note, current_view
from dashboard.narrative_pay import (
    RAW_GAPS_NOTE,
    art10_summary,
    art10_table,
    cost_curve_title,
    decomposition_title,
    pay_gap_summary,
    pay_gap_table,
    pay_gap_title,
    remediation_summary,
    remediation_table,
    statutory_table,
)
from dashboard.sections import pay as tables
from pipelines.errors import UsageError
from pipelines.export import to_csv
from pipelines.metrics.pay_groups import split_dims
from pipelines.formatting import group_label

version = require_db()
view = current_view()
info = data.run_info(version)
k = info["k"]
currency = info["reporting_currency"]
st.title("Pay equity")
if not tables.pay_loaded(data.cursor(version)):
    no_data("pay equity", "salaries (annual_base_salary, currency) in hr/job_history.csv")
    st.stop()


@st.cache_data(max_entries=32, show_spinner="Computing pay gaps...")
def _relative(version, by, period, filters, date_from, date_to):
    return tables.relative_pay_rows(
        data.cursor(version), by, period, None, {d: list(v) for d, v in filters}, date_from, date_to
    )


@st.cache_data(max_entries=16, show_spinner="Computing the statutory tables...")
def _statutory(version, filters):
    cur = data.cursor(version)
    flt = {d: list(v) for d, v in filters}
    return tables.statutory_measures(cur, "gender", filters=flt), tables.art10_rows(cur, None, flt)


@st.cache_data(max_entries=16, show_spinner="Fitting the pay models...")
def _analyses(version, by, filters):
    return tables.analysis_tables(data.cursor(version), by, None, {d: list(v) for d, v in filters})


@st.cache_data(max_entries=4, show_spinner=False)
def _config(version):
    return tables.build_context(data.cursor(version))["config"]


config = _config(version)
compared, within = split_dims(view.by, config)
by = tuple(compared) or ("gender",)
if within:  # a level is what the adjusted gap controls for, not a group to compare
    st.info(
        by_note(
            view,
            by,
            f"{' and '.join(within)} is a factor the adjusted gap already controls for "
            "(pay.within_dimensions), not a group to compare",
        )
    )
filters = tuple((d, v) for d, v in view.filters)
st.caption(
    f"Snapshot on each period end: employees active that day, full-time-equivalent base salary in "
    f"{currency} at that month's FX rate, hourly = annual / ({config['pay']['standard_weekly_hours']} h x "
    f"{config['pay']['weeks_per_year']} weeks). Grouped by {' × '.join(by)} (choose group dimensions in the "
    f"sidebar). Figures are protected for publication (counts, means and model results move a little, see "
    f"Methodology); a group whose protected count is below {k} is not shown. {RAW_GAPS_NOTE}"
)

# 1. raw vs adjusted over the years -----------------------------------------------------------
try:
    rows = _relative(version, by, view.period, filters, view.date_from, view.date_to)
except UsageError as exc:  # several values in one filter: pay figures take one value per filter
    st.warning(str(exc))
    st.stop()
title = pay_gap_title(rows, tables.factors_text(config))
chart_block(
    gap_trend_figure(rows, title=title, events=data.events(version, "pay")),
    pay_gap_table(rows, k),
    pay_gap_summary(rows, k),
    key="pay-trend",
    filename="pay_gap_raw_vs_adjusted.csv",
)

# 2. statutory tables -------------------------------------------------------------------------
st.header("Statutory reporting")
measures, flags = _statutory(version, filters)
if len(measures):
    period = measures["period"].iat[0]
    st.subheader(f"UK Gender Pay Gap / EU Pay Transparency Art. 9(1), {period}")
    shown = statutory_table(measures, k)
    quart = measures[measures["measure"].str.startswith("Share of pay quartile") & ~measures["suppressed"]].copy()
    quart["quartile"] = quart["measure"].str.replace("Share of pay quartile: ", "", regex=False)
    women_top = quart[
        (quart["group"] == "Woman")
        & quart["quartile"].str.contains("upper")
        & ~quart["quartile"].str.contains("middle")
    ]
    q_title = (
        f"Women hold {women_top['value'].iat[0]:.0%} of the upper pay quartile, {period}"
        if len(women_top)
        else f"Share of each hourly pay quartile by gender, {period}"
    )
    chart_block(
        quartile_figure(quart, title=q_title),
        shown,
        "Gaps are (men - group) / men x 100: positive = the group is paid less. Bonus gaps compare "
        "bonus recipients only; quartiles split people on the same rate at a boundary in proportion.",
        key="pay-statutory",
        filename="pay_statutory_measures.csv",
    )
threshold = config["pay"]["category_gap_threshold_pct"]
st.subheader(f"EU Art. 9(1)(g) and Art. 10: categories of workers with a gap of {threshold}% or more")
st.markdown(art10_summary(flags, threshold))
safe_dataframe(art10_table(flags), hide_index=True, width="stretch", key="pay-art10")
st.download_button(
    "Download the category assessment (CSV)",
    data=to_csv(flags),
    file_name="pay_art10_categories.csv",
    mime="text/csv",
    key="download-pay-art10",
)

# 3. explained vs unexplained -----------------------------------------------------------------
results = _analyses(version, by, filters)
st.header(f"Explained and unexplained gap (snapshot {results['date']})")
if len(results["factors"]):
    d_title = decomposition_title(results["summary"])
    chart_block(
        decomposition_figure(results["factors"], title=d_title),
        results["summary"].round(4),
        "Oaxaca-Blinder decomposition of the ln hourly pay gap against "
        f"{group_label(results['reference'])} (pooled twofold; threefold columns in the table). Each bar is how much a "
        "legitimate factor explains; 'unexplained' is what remains with the same factors.",
        key="pay-decomposition",
        filename="pay_decomposition.csv",
    )
else:
    st.info(f"No group other than the reference has at least {k} people.")

st.subheader("Cohort review (job family × job level)")
cohorts = results["cohorts"]
counts = cohorts["status"].value_counts()
st.markdown(
    f"{int(counts.get('flagged', 0))} cohort comparison(s) flagged (|t| ≥ {config['pay']['cohort_t_threshold']}), "
    f"{int(counts.get('tested, not flagged', 0))} tested and not flagged; a cohort is tested only with at least "
    f"{config['pay']['cohort_min_n']} people and {config['pay']['cohort_min_group_n']} in each group. "
    f"{int(cohorts['status'].str.startswith('not').sum())} comparison(s) not tested or not shown."
)
visible = cohorts[~cohorts["status"].str.startswith("not shown")]
safe_dataframe(visible.round(4), hide_index=True, width="stretch", key="pay-cohorts")
st.download_button(
    "Download the cohort review (CSV)",
    data=to_csv(cohorts.round(4)),
    file_name="pay_cohorts.csv",
    mime="text/csv",
    key="download-pay-cohorts",
)

# 4. cost to close ----------------------------------------------------------------------------
st.header("Cost to close the adjusted gap")
curve = results["curve"]
if results["remediation_error"]:
    st.info(f"No remediation plan: {results['remediation_error']}")
elif len(curve):
    c_title = cost_curve_title(results["total"], currency)
    chart_block(
        cost_curve_figure(curve, title=c_title, currency=currency),
        curve.round(4),
        "Each point is the least-cost set of raises (a linear programme) that brings every published group's "
        "adjusted gap to that level, re-measured by refitting the adjusted model on the new salaries. "
        f"{tables.constraints_text(results['settings'])} Budgets and gaps are protected figures; budgets over "
        f"fewer than {k} raised people (protected count) are not shown; individual raises are only "
        "available to the data owner through `equity pay remediation --include-individuals --exact`.",
        key="pay-cost",
        filename="pay_cost_to_close.csv",
    )
    st.subheader("Remediation plan: adjusted gap before and after the raises (re-measured)")
    table_block(
        remediation_table(results["plan"], currency),
        remediation_summary(results["plan"], results["total"], currency),
        key="pay-plan",
        filename="pay_remediation_plan.csv",
    )
else:
    st.info("No published group is paid less than the reference after legitimate factors.")
