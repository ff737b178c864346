"""Overview: headline metrics with their latest full-period value, change, n and CI."""
from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.charts import format_value, sparkline
from dashboard.components import require_db
from dashboard.controls import current_view

version = require_db()
info = data.run_info(version)
view = current_view()
st.title(f"{info['organisation'] or 'Equity metrics'}: overview")
st.caption(f"Data from {info['history_start']} to {info['as_of']}. Every figure shows its n; "
           f"groups of fewer than {info['k']} people are never shown.")

headlines = [s for s in data.registry().values() if s.headline]
cols = st.columns(min(3, len(headlines)) or 1)
for i, spec in enumerate(headlines):
    if not data.family_loaded(version, spec.family):
        continue
    table = data.metric_table(version, spec.name, (), view.period, view.date_from, view.date_to,
                              view.filters)
    overall = table[(table["group"] == "All") & ~table["note"].str.contains("partial")]
    if overall.empty:
        overall = table[table["group"] == "All"]
    with cols[i % len(cols)]:
        with st.container(border=True):
            if spec.name == "representation":
                st.subheader("Representation")
                by_gender = data.metric_table(version, "representation", ("gender",), view.period,
                                              view.date_from, view.date_to, view.filters)
                last = by_gender[(by_gender["dimensions"] == "gender")]
                last = last[last["period_start"] == overall["period_start"].max()]
                st.caption(f"Share of headcount by gender, {overall['period'].iat[-1]}")
                for _, r in last.iterrows():
                    shown = "fewer than k" if r["suppressed"] else \
                        f"{format_value(r['value'], 'share')} (n = {int(r['n']):,})"
                    st.markdown(f"- **{r['group']}**: {shown}")
                continue
            latest = overall.iloc[-1]
            previous = overall.iloc[-2] if len(overall) > 1 else None
            value = "suppressed" if latest["suppressed"] else format_value(latest["value"], spec.unit)
            delta = None
            if previous is not None and not (latest["suppressed"] or previous["suppressed"]):
                diff = latest["value"] - previous["value"]
                delta = (f"{diff * 100:+.1f} pts vs {previous['period']}" if spec.unit in ("share", "rate")
                         else f"{diff:+,.0f} vs {previous['period']}")
            st.metric(f"{spec.title}, {latest['period']}", value, delta,
                      delta_color="inverse" if spec.higher_is_better is False else
                      ("normal" if spec.higher_is_better else "off"),
                      help=spec.definition)
            detail = f"n = {int(latest['n']):,}" if not latest["suppressed"] else ""
            if not latest["suppressed"] and latest["ci_low"] == latest["ci_low"]:
                detail += (f" · 95% CI {format_value(latest['ci_low'], spec.unit)} to "
                           f"{format_value(latest['ci_high'], spec.unit)}")
            st.caption(detail)
            st.plotly_chart(sparkline(overall, spec.unit), width="stretch",
                            key=f"spark-{spec.name}", config={"displayModeBar": False})
            st.caption(f"Trend {overall['period'].iat[0]} to {overall['period'].iat[-1]} "
                       f"(see the {spec.family.title()} page for groups).")
