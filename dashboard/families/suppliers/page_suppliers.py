"""Suppliers: diverse share of spend (total and addressable), per certification, Tier 2 beside
Tier 1, goals and grades, expiring certifications, breakdown by category / business unit.

Every figure is a block of dashboard/families/suppliers/blocks.py, the definitions the PDF
section prints too, drawn with show_block; what stays here is the page's own: headings,
widgets and the preview of a goal preset that is not configured."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.families.suppliers.charts import BASE_LABELS, UNION_NOTE
from dashboard.components import chart_block, no_data, require_db, show_block
from dashboard.controls import current_view
from dashboard.families.suppliers import blocks as sup  # the blocks the PDF section prints too
from pipelines.metrics import build_context
from pipelines.families.suppliers.goals import configured_goals, goal_progress, preset_config
from pipelines.families.suppliers.risk import expiring_certifications, spend_at_risk, supplier_k

TIER1 = {"fct_spend", "fct_certifications"}


@st.cache_data(max_entries=16, show_spinner=False)
def _goals(version, preset: str | None, period: str, date_from, date_to) -> pd.DataFrame:
    cur = data.cursor(version)
    config = build_context(cur)["config"]
    return goal_progress(cur, preset_config(config, preset) if preset else config, period, date_from, date_to)


@st.cache_data(max_entries=4, show_spinner=False)
def _risk(version) -> tuple[pd.DataFrame, pd.DataFrame]:
    cur = data.cursor(version)
    return expiring_certifications(cur), spend_at_risk(cur)


version = require_db()
view = current_view()
info = data.run_info(version)
st.title("Supplier diversity")
if not TIER1 <= info["tables"]:
    no_data("supplier diversity", "procurement/suppliers.csv, procurement/spend.csv and procurement/certifications.csv")
    st.stop()

config = build_context(data.cursor(version))["config"]
proc = config["procurement"]
suppliers = sup.SupplierView(
    metric=lambda name, by=(): data.metric_table(version, name, by, view.period, view.date_from, view.date_to, ()),
    k=supplier_k(config),
    currency=info["reporting_currency"],
    events=data.events(version, "suppliers"),
)
# page-only: what the sidebar's controls do here (the PDF has no sidebar)
st.caption(
    f"Spend counts as diverse when the supplier held a diverse certification "
    f"({', '.join(proc['diverse_certifications'])}) on the day it was paid (grace {proc['grace_days']} days "
    f"after expiry). Amounts in {suppliers.currency}, credits netted. A spend figure is a sum over companies, "
    "so n counts companies (a group counts once) on the smaller side of what a row publishes, and a figure "
    f"resting on fewer than {suppliers.k} companies is not shown. The sidebar's breakdowns and "
    "department/location filters describe people and do not apply here; the period grain and dates do."
)

# --- Tier 1 and Tier 2, side by side -------------------------------------------------------
left, right = st.columns([3, 2])
with left:
    st.subheader("Tier 1: diverse share of spend")
    show_block(sup.share_block(suppliers), key="sup-share", filename="diverse_spend_share.csv")
with right:
    st.subheader("Tier 2 (reported by primes)")
    # page-only: the column's explanation under its heading (the block's summary says the rule)
    st.caption(
        "Diverse spend of our prime suppliers attributed to us: direct as reported, indirect by our "
        "share of the prime's revenue (capped at 100%)."
    )
    if "fct_tier2_spend" not in info["tables"]:
        no_data("Tier 2", "procurement/tier2_spend.csv")
    else:
        show_block(sup.tier2_block(suppliers), key="sup-tier2", filename="tier2_spend.csv")

# --- per certification -------------------------------------------------------------------
st.subheader("By certification")
# page-only widget: the PDF prints the default denominator (blocks.DEFAULT_BASE)
base = st.radio(
    "Denominator", ["addressable", "total"], format_func=lambda b: BASE_LABELS[b], horizontal=True, key="sup_base"
)
st.info(UNION_NOTE)  # page-only callout before the chart; the block's summary carries the note into the PDF
show_block(sup.certification_block(suppliers, base), key="sup-certs", filename="certified_spend_share.csv")

# --- goals -------------------------------------------------------------------------------
st.subheader("Goals and grades")
has_goals = bool(configured_goals(config))
# page-only widget: the PDF grades the goals configured in equity.yml only
choice = st.radio(
    "Grade against",
    ["configured", "sba"],
    horizontal=True,
    key="sup_goals",
    index=0 if has_goals else 1,
    format_func=lambda c: "Goals in equity.yml" if c == "configured" else "SBA scorecard preset (example)",
)
goals = _goals(version, None if choice == "configured" else "sba", view.period, view.date_from, view.date_to)
if goals.empty:
    st.info("No goals configured: add procurement.goals (or goal_preset: sba) to equity.yml and rebuild.")
for i, block in enumerate(sup.goal_blocks(goals, proc["grade_scale"], suppliers.events)):
    key, filename = ("sup-goals", "supplier_goals.csv") if i == 0 else ("sup-goal-trend", "supplier_goals_trend.csv")
    if choice == "configured":
        show_block(block, key=key, filename=filename)
    else:  # page-only: a preview of a preset nobody configured, which the PDF never grades against
        chart_block(block.figure, block.table, block.summary, key=key, filename=filename)

# --- expiring certifications -------------------------------------------------------------
st.subheader("Certifications expiring soon")
expiring, risk = _risk(version)
block = sup.expiring_block(expiring, risk.iloc[0], suppliers, proc["at_risk_months"])
show_block(block, key="sup-expiring", filename="expiring_certifications.csv")

# --- breakdown -----------------------------------------------------------------------------
st.subheader("Breakdown")
# page-only widget: the PDF prints the default breakdown (blocks.DEFAULT_BREAKDOWN)
dim = st.selectbox("Break down by", list(sup.BREAKDOWNS), format_func=sup.BREAKDOWNS.get, key="sup_dim")
show_block(sup.breakdown_block(suppliers, dim, base), key="sup-breakdown", filename=f"diverse_share_by_{dim}.csv")
show_block(sup.counts_block(suppliers), key="sup-counts", filename="diverse_supplier_counts.csv")
