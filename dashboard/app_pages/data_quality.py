"""Data quality: what was loaded, what was quarantined and why, expectation results."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.components import require_db, safe_dataframe

version = require_db()
st.title("Data quality")
tables = data.quality(version)
run = tables["Run"].iloc[0]
st.markdown(
    f"Run **{run['run_id']}** built from `{run['data_dir']}` with tool version "
    f"{run['tool_version']}; data window {run['history_start']} to {run['as_of']}."
)

files = tables["Files"]
quarantined = int(files["rows_quarantined"].sum())
c1, c2, c3 = st.columns(3)
c1.metric("Files loaded", len(files))
c2.metric("Rows loaded", f"{int(files['rows_loaded'].sum()):,}")
c3.metric("Rows quarantined", f"{quarantined:,}")

st.subheader("Files")
st.caption("Every input file with its SHA-256; rows in = rows loaded + rows quarantined.")
safe_dataframe(files, hide_index=True, width="stretch")

st.subheader("Quarantined rows by reason")
reasons = tables["Quarantined rows by reason"]
if reasons.empty:
    st.success("No row was quarantined.")
else:
    st.caption("Rows with a value that could not be used; fix them at the source and rebuild.")
    safe_dataframe(reasons, hide_index=True, width="stretch")

matching = tables.get("Supplier name matching")
if matching is not None:
    st.subheader("Supplier name matching")
    st.caption(
        "Certification-list rows matched to suppliers by normalised name (supplier_by_name), and "
        "vendor ids grouped as one company (parent_by_name). Unmatched and ambiguous rows are in the "
        "quarantine above with their reason; `equity quality` lists example names."
    )
    # counts only: the names stay in the data owner's `equity quality` report
    safe_dataframe(matching[["file", "outcome", "rows"]], hide_index=True, width="stretch")

st.subheader("Data-quality expectations")
expectations = tables.get("Data-quality expectations")
if expectations is None or expectations.empty:
    st.info("No expectation results recorded.")
else:
    failed = expectations[~expectations["success"]]
    if failed.empty:
        st.success(f"All {len(expectations)} expectations passed.")
    else:
        st.warning(f"{len(failed)} of {len(expectations)} expectations failed (warnings; errors stop the build).")
    safe_dataframe(expectations, hide_index=True, width="stretch")

if {"fct_spend", "fct_certifications"} <= data.run_info(version)["tables"]:
    from pipelines.families.suppliers import lapsed_spend

    st.subheader("Spend after a diverse certification lapsed")
    lapsed = lapsed_spend(data.cursor(version))
    if lapsed.empty:
        st.success("No transaction is dated after a supplier's diverse certification lapsed.")
    else:
        open_ = lapsed[lapsed["status"] == "not renewed"]
        st.warning(
            f"{int(lapsed['transactions_after_lapse'].sum()):,} transaction(s) with "
            f"{lapsed['supplier_id'].nunique()} supplier(s) are dated after their diverse certification "
            f"lapsed, so they are not counted as diverse; {open_['supplier_id'].nunique()} supplier(s) have "
            "no renewal recorded. Check procurement/certifications.csv for missing renewals "
            "(or set procurement.grace_days if renewals usually arrive late)."
        )
        safe_dataframe(lapsed, hide_index=True, width="stretch")
