"""Workforce: representation, headcount, hires, separations and turnover over the years."""
from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.charts import trend_figure
from dashboard.components import chart_block, no_data, require_db
from dashboard.controls import current_view
from dashboard.narrative import display_table, finding_title, summary_text

version = require_db()
view = current_view()
info = data.run_info(version)
st.title("Workforce")
if not data.family_loaded(version, "workforce"):
    no_data("the workforce", "hr/employees.csv and hr/job_history.csv")
    st.stop()

specs = {s.name: s for s in data.registry().values() if s.family == "workforce"}
name = st.selectbox("Metric", list(specs), format_func=lambda n: specs[n].title, key="wf_metric")
spec = specs[name]
st.caption(spec.definition)

table = data.metric_table(version, name, view.by, view.period, view.date_from, view.date_to, view.filters)
dims = "|".join(view.by)
rows = table[table["dimensions"] == dims]
overall = table[table["group"] == "All"]
if view.by:
    st.caption(f"Broken down by {' × '.join(view.by)}; the eight largest groups are drawn, "
               "every group is in the table.")
fig = trend_figure(rows, title=finding_title(spec, rows), y_title=f"{spec.title} ({spec.unit})",
                   unit=spec.unit, events=data.events(version))
chart_block(fig, display_table(table, spec, info["k"]), summary_text(spec, rows, overall, info["k"]),
            key=f"wf-{name}", filename=f"{name}.csv")
