"""Suppliers: diverse share of spend (total and addressable), per certification, Tier 2 beside
Tier 1, goals and grades, expiring certifications, breakdown by category / business unit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts import format_value
from dashboard.charts_suppliers import (
    BASE_LABELS,
    UNION_NOTE,
    breakdown_figure,
    breakdown_summary,
    breakdown_title,
    certification_summary,
    certification_title,
    diverse_share_summary,
    diverse_share_title,
    goals_figure,
    goals_summary,
    goals_title,
    line_figure,
    tier2_figure,
)
from dashboard.components import chart_block, no_data, require_db, table_block
from dashboard.controls import current_view
from dashboard.narrative import display_table, latest_full_period
from dashboard.narrative_suppliers import format_money, split_share_table
from pipelines.metrics import build_context
from pipelines.metrics.suppliers_goals import configured_goals, goal_progress, preset_config
from pipelines.metrics.suppliers_risk import expiring_certifications, spend_at_risk, supplier_k

TIER1 = {"fct_spend", "fct_certifications"}
BREAKDOWNS = {"category": "category", "business_unit": "business unit", "supplier_country": "supplier country"}


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
currency = info["reporting_currency"]
st.title("Supplier diversity")
if not TIER1 <= info["tables"]:
    no_data("supplier diversity", "procurement/suppliers.csv, procurement/spend.csv and procurement/certifications.csv")
    st.stop()

config = build_context(data.cursor(version))["config"]
k = supplier_k(config)
events = data.events(version, "suppliers")
diverse = ", ".join(config["procurement"]["diverse_certifications"])
st.caption(
    f"Spend counts as diverse when the supplier held a diverse certification ({diverse}) on the day it was "
    f"paid (grace {config['procurement']['grace_days']} days after expiry). Amounts in {currency}, credits "
    f"netted. A spend figure is a sum over companies, so n counts companies (a group counts once) on the "
    f"smaller side of what a row publishes, and a figure resting on fewer than {k} companies is not shown. "
    "The sidebar's breakdowns and department/location filters describe people and do not apply here; "
    "the period grain and dates do."
)


def metric(name: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return data.metric_table(version, name, by, view.period, view.date_from, view.date_to, ())


# --- Tier 1 and Tier 2, side by side -------------------------------------------------------
share = metric("diverse_spend_share")
overall = share[share["group"] == "All"]
left, right = st.columns([3, 2])
with left:
    st.subheader("Tier 1: diverse share of spend")
    rows = overall.assign(series=overall["spend_base"].map(BASE_LABELS))
    fig = line_figure(
        rows,
        "series",
        title=diverse_share_title(overall),
        y_title="Share of spend",
        unit="share",
        events=events,
        legend="Denominator",
    )
    chart_block(
        fig,
        split_share_table(overall, k, currency, "Diverse spend", ("spend_base",)),
        diverse_share_summary(overall, currency, k),
        key="sup-share",
        filename="diverse_spend_share.csv",
    )
with right:
    st.subheader("Tier 2 (reported by primes)")
    st.caption(
        "Diverse spend of our prime suppliers attributed to us: direct as reported, indirect by our "
        "share of the prime's revenue (capped at 100%). Reported beside Tier 1, never added to it."
    )
    if "fct_tier2_spend" not in info["tables"]:
        no_data("Tier 2", "procurement/tier2_spend.csv")
    else:
        tier2 = metric("tier2_spend", ("attribution",))
        t2_all = latest_full_period(tier2[tier2["group"] == "All"])
        if t2_all.empty or t2_all["suppressed"].iat[0]:
            t2_title = f"Tier 2 spend is not shown for the latest full period: fewer than {k} primes report"
        else:
            t2_title = f"Tier 2 spend attributed to us was {format_money(t2_all['value'].iat[0], currency)} in {t2_all['period'].iat[0]}"
        summary = t2_title + f". Each figure needs at least {k} primes (companies) behind it; n = primes."
        t2_table = display_table(tier2, data.registry()["tier2_spend"], k)
        if tier2["suppressed"].all():  # an empty chart says nothing: the table shows what is hidden and why
            table_block(t2_table, summary, key="sup-tier2", filename="tier2_spend.csv")
        else:
            chart_block(
                tier2_figure(tier2, title=t2_title, currency=currency),
                t2_table,
                summary,
                key="sup-tier2",
                filename="tier2_spend.csv",
            )

# --- per certification -------------------------------------------------------------------
st.subheader("By certification")
base = st.radio(
    "Denominator", ["addressable", "total"], format_func=lambda b: BASE_LABELS[b], horizontal=True, key="sup_base"
)
certified = metric("certified_spend_share")
cert_rows = certified[(certified["group"] == "All") & (certified["spend_base"] == base)]
union = overall[overall["spend_base"] == base].assign(certification="Diverse total (counted once)")
lines = pd.concat([union, cert_rows[cert_rows["counts_as_diverse"].astype(bool)]], ignore_index=True)
st.info(UNION_NOTE)
chart_block(
    line_figure(
        lines,
        "certification",
        title=certification_title(cert_rows),
        y_title="Share of spend",
        unit="share",
        events=events,
        legend="Certification",
    ),
    split_share_table(cert_rows, k, currency, "Certified spend", ("certification", "spend_base")),
    certification_summary(cert_rows, k),
    key="sup-certs",
    filename="certified_spend_share.csv",
)

# --- goals -------------------------------------------------------------------------------
st.subheader("Goals and grades")
has_goals = bool(configured_goals(config))
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
else:
    latest = latest_full_period(goals)
    st.caption(
        "Grade by achievement = actual share / goal, in % of the goal: "
        + ", ".join(f"{b['grade']} from {b['min_pct']}%" for b in config["procurement"]["grade_scale"])
        + " (achievement rounded to 0.01 points first). A hidden share gets no grade."
    )
    table = latest.assign(
        actual=latest["actual"].map(lambda v: format_value(v, "share")),
        target=latest["target"].map(lambda v: format_value(v, "share")),
    )
    chart_block(
        goals_figure(latest, title=goals_title(latest)),
        table[["goal", "period", "target", "actual", "achievement_pct", "grade", "status", "n", "due", "note"]],
        goals_summary(latest),
        key="sup-goals",
        filename="supplier_goals.csv",
    )
    trend = goals.assign(value=goals["achievement_pct"] / 100)
    if trend["value"].notna().any():
        chart_block(
            line_figure(
                trend,
                "goal",
                title="Achievement of each goal over time (100% = goal met)",
                y_title="Achievement (% of goal)",
                unit="share",
                events=events,
                legend="Goal",
            ),
            goals[["goal", "period", "target", "actual", "achievement_pct", "grade", "status", "n", "note"]],
            "Achievement per period; a gap is a period whose share is hidden (too few companies).",
            key="sup-goal-trend",
            filename="supplier_goals_trend.csv",
        )

# --- expiring certifications -------------------------------------------------------------
st.subheader("Certifications expiring soon")
expiring, risk = _risk(version)
r = risk.iloc[0]
amount = (
    f"{format_money(r['spend_at_risk'], currency)} of diverse spend in the last "
    f"{config['procurement']['at_risk_months']} months (n = {r['n']} companies)"
    if not r["suppressed"]
    else f"an amount not shown (fewer than {k} companies)"
)
EXPIRING_LABELS = {
    "supplier_id": "Supplier ID",
    "supplier_name": "Supplier",
    "certification": "Certification",
    "certifying_body": "Certifying body",
    "valid_to": "Valid to",
    "days_left": "Days left",
    "counts_as_diverse": "Counts as diverse",
}
table_block(
    expiring.rename(columns=EXPIRING_LABELS),
    f"**{len(expiring)} certification(s) expire in the {r['days']} days after {r['as_of']}** "
    f"with no renewal recorded. {r['suppliers']} supplier(s) would then hold no diverse certification: "
    f"{amount} is at risk. Listed by trailing spend (largest first); per-supplier amounts are not shown.",
    key="sup-expiring",
    filename="expiring_certifications.csv",
)

# --- breakdown -----------------------------------------------------------------------------
st.subheader("Breakdown")
dim = st.selectbox("Break down by", list(BREAKDOWNS), format_func=BREAKDOWNS.get, key="sup_dim")
by_dim = metric("diverse_spend_share", (dim,))
by_dim = latest_full_period(by_dim[(by_dim["spend_base"] == base)])
groups = by_dim[by_dim["dimensions"].isin([dim, ""])]
chart_block(
    breakdown_figure(
        groups[groups["group"] != "All"],
        title=breakdown_title(groups, BREAKDOWNS[dim]),
        dim_label=BREAKDOWNS[dim].capitalize(),
    ),
    split_share_table(groups, k, currency, "Diverse spend", ("spend_base",)),
    breakdown_summary(groups, BREAKDOWNS[dim], k),
    key="sup-breakdown",
    filename=f"diverse_share_by_{dim}.csv",
)

counts = pd.concat([metric("diverse_supplier_count"), metric("new_diverse_suppliers")], ignore_index=True)
counts = counts[counts["group"] == "All"].assign(
    series=lambda d: d["metric"].map(
        {"diverse_supplier_count": "Diverse suppliers paid", "new_diverse_suppliers": "New diverse suppliers"}
    )
)
last = latest_full_period(counts[counts["metric"] == "diverse_supplier_count"])
count_title = (
    f"{int(last['value'].iat[0])} diverse suppliers were paid in {last['period'].iat[0]}"
    if not last.empty and not last["suppressed"].iat[0]
    else "Diverse suppliers paid"
)
chart_block(
    line_figure(counts, "series", title=count_title, y_title="Suppliers", unit="count", events=events, legend="Count"),
    display_table(counts, data.registry()["diverse_supplier_count"], k).assign(Metric=counts["series"].values),
    f"{count_title}. A count resting on fewer than {k} companies (a group or one company under several "
    f"vendor ids is one) is not shown; new = first paid as a diverse supplier in the period.",
    key="sup-counts",
    filename="diverse_supplier_counts.csv",
)
