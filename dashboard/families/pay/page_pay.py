"""Pay equity: raw vs adjusted gap over the years, UK/EU statutory tables with the Art. 10
flags, decomposition, cohort review and the cost-to-close curve (aggregates only: individual
remediation rows never appear on the dashboard). Every view is a block of
dashboard/families/pay/blocks.py, the same the PDF section prints; this page adds the sidebar's
view, caching, headings and the download of the full Art. 10 assessment."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.components import no_data, require_db, show_block
from dashboard.controls import by_note, current_view
from dashboard.families.pay import blocks, tables
from dashboard.families.pay.narrative import RAW_GAPS_NOTE
from pipelines.errors import UsageError
from pipelines.export import to_csv
from pipelines.metrics import build_context
from pipelines.families.pay.groups import split_dims

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
def _gaps(version, by, period, filters, date_from, date_to):
    return tables.pay_gap_rows(
        data.cursor(version), by, period, None, {d: list(v) for d, v in filters}, date_from, date_to
    )


@st.cache_data(max_entries=16, show_spinner="Computing the statutory tables...")
def _statutory(version, filters):
    cur = data.cursor(version)
    flt = {d: list(v) for d, v in filters}
    return tables.statutory_tables(cur, None, flt)


@st.cache_data(max_entries=16, show_spinner="Fitting the pay models...")
def _analyses(version, by, filters):
    return tables.analysis_tables(data.cursor(version), by, None, {d: list(v) for d, v in filters})


@st.cache_data(max_entries=4, show_spinner=False)
def _config(version):
    return build_context(data.cursor(version))["config"]


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
    rows = _gaps(version, by, view.period, filters, view.date_from, view.date_to)
except UsageError as exc:  # several values in one filter: pay figures take one value per filter
    st.warning(str(exc))
    st.stop()
show_block(
    blocks.trend_block(rows, k, tables.factors_text(config), data.events(version, "pay")),
    "pay-trend",
    "pay_gap_raw_vs_adjusted.csv",
)

# 2. statutory tables -------------------------------------------------------------------------
st.header("Statutory reporting")  # page-only headings: the PDF section is one family page
measures, flags = _statutory(version, filters)
statutory = blocks.statutory_block(measures, k)
if statutory is not None:
    show_block(statutory, "pay-statutory", "pay_statutory_measures.csv")
show_block(blocks.art10_block(flags, config["pay"]["category_gap_threshold_pct"]), "pay-art10", "pay_art10_table.csv")
# page-only: the whole assessment (every category, component and group, flagged or not) for an
# analyst to re-check; the PDF prints only the categories at or over the threshold
st.download_button(
    "Download the full category assessment (CSV)",
    data=to_csv(flags),
    file_name="pay_art10_categories.csv",
    mime="text/csv",
    key="download-pay-art10-full",
)

# 3. explained vs unexplained -----------------------------------------------------------------
results = _analyses(version, by, filters)
st.header(f"Explained and unexplained gap (snapshot {results['date']})")
show_block(blocks.decomposition_block(results, k), "pay-decomposition", "pay_decomposition.csv")
show_block(blocks.cohort_block(results, config["pay"]), "pay-cohorts", "pay_cohorts.csv")

# 4. cost to close ----------------------------------------------------------------------------
st.header("Cost to close the adjusted gap")
for block, key in zip(blocks.cost_blocks(results, currency, k), ("pay-cost", "pay-plan")):
    show_block(block, key, f"{key.replace('-', '_')}.csv")
