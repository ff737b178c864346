"""Methodology: generated from the metric registry, so the page cannot drift from the code."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.glossary import TERMS
from pipelines.metrics import dimension_sets
from pipelines.privacy import wording

st.title("Methodology")
version = data.db_version()
k = data.run_info(version)["k"] if version else 5
st.markdown(
    "Every figure in this dashboard is computed from the metric registry below; the same "
    "definitions drive the command line (`equity metrics`) and the PDF snapshot."
)

st.header("Privacy: how published figures are protected")
st.markdown(
    f"- {wording.summary(k)}\n"
    '- A hidden figure reads "fewer than k"; its value, n and interval are blank.\n'
    f"- {wording.intervals_note()}\n"
    "- Blank answers are their own group, *Not disclosed*; *Prefer not to say* and *Not asked* stay "
    "distinct; non-binary and other genders are their own groups.\n"
    "- Downloads contain exactly what is shown (protected figures); text cells that a "
    "spreadsheet would run as a formula are prefixed with `'`."
)

st.header("Periods and uncertainty")
st.markdown(
    "Trends run over all years by default (fiscal years when configured). A period cut short by "
    "the data window is marked *partial period*. Rates and shares carry 95% intervals — the method "
    "for each metric is listed below; counts of the whole workforce are a census and carry none."
)

st.header("Glossary", anchor="glossary")
st.caption("The statistics the pages use, in plain words; the first use of each on a page links here.")
for term in TERMS:
    st.subheader(term.title, anchor=term.anchor)
    st.markdown(term.meaning)

st.header("Dimensions")
for set_name, dims in dimension_sets().items():
    with st.expander(f"{set_name.title()} dimensions"):
        st.table({"dimension": list(dims), "meaning": list(dims.values())})

for family, meta in data.families().items():
    specs = [s for s in data.registry().values() if s.family == family]
    if not specs:
        continue
    st.header(meta["title"])
    st.caption(meta["description"])
    for spec in specs:
        with st.expander(f"{spec.title} (`{spec.name}`)"):
            st.markdown(spec.definition)
            rows = {
                "Formula": spec.formula,
                "Unit": spec.unit,
                "Numerator": spec.numerator,
                "Denominator": spec.denominator,
                "n (for suppression)": spec.n,
                "Uncertainty": spec.ci_method,
                "Protection": f"protected counts and figures; hidden when the protected count "
                f"is below k (setting `{spec.k_setting}`)",
                "Breakdowns": ", ".join(spec.dimensions),
            }
            if spec.higher_is_better is not None:
                rows["Direction"] = "higher is better" if spec.higher_is_better else "lower is better"
            if spec.notes:
                rows["Notes"] = spec.notes
            for ref in spec.references:
                rows.setdefault("References", "")
                rows["References"] += ("; " if rows["References"] else "") + ref
            st.table({"": list(rows), "value": [v or "—" for v in rows.values()]})
