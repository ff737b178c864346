"""Overview, the commitment tracker: each headline metric with its latest full-period value,
change, n, CI and trend; representation by gender; flagged findings; each commitment's
assessment with its reason; the PDF snapshot."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.charts import format_value, sparkline
from dashboard.components import require_db
from dashboard.controls import current_view, overview_scope
from pipelines.headlines import headline_figures, headline_rows
from dashboard.families.commitments import data as commitments_data
from dashboard.families.commitments.narrative import counts_sentence, overview_lines
from dashboard.finding import owner_and_decision, ranked
from dashboard.sections import family_findings
from pipelines.metrics import build_context
from pipelines.formatting import format_ci, group_label

version = require_db()
info = data.run_info(version)
view = current_view()
st.title(f"{info['organisation'] or 'Equity metrics'}: overview")
st.caption(
    f"Data from {info['history_start']} to {info['as_of']}. Headline figures use the latest "
    f"full {view.period}; groups of fewer than {info['k']} people are never shown."
)
st.info(overview_scope(view))


@st.cache_data(max_entries=32, show_spinner=False)
def _headlines(version: data.DbVersion, period: str, date_from, date_to, filters: tuple):
    # the one function per figure that the PDF summary and `equity headlines` use too
    figures = headline_figures(
        data.cursor(version), info["tables"], period, dict(filters), date_from=date_from, date_to=date_to
    )
    return [(h, [d for d, _ in filters if d not in h.spec.dimensions]) for h in figures]


@st.cache_data(max_entries=32, show_spinner=False)
def _findings(version: data.DbVersion, period: str, review_log_stamp: int | None) -> list[tuple[str, str, str]]:
    """(sentence, certainty, owner: decision) in the order of the PDF's summary page."""
    # review_log_stamp: commitments with "no recent action" change when a review entry is saved
    cur = data.cursor(version)
    config = build_context(cur)["config"]
    return [
        (str(f), f.certainty_text, ": ".join(owner_and_decision(f, config)))
        for f in ranked(family_findings(cur, info["k"], period))
    ]


headlines = _headlines(version, view.period, view.date_from, view.date_to, view.filters)
cols = st.columns(max(1, min(3, len(headlines) + 1)))
for i, (h, unfiltered) in enumerate(headlines):
    spec = h.spec
    with cols[i % len(cols)], st.container(border=True):
        st.metric(
            f"{h.label}, {h.period}",
            h.value,
            h.change or None,
            delta_color="inverse" if spec.higher_is_better is False else ("normal" if spec.higher_is_better else "off"),
            help=spec.definition,
        )
        st.caption(
            " · ".join(
                p
                for p in (
                    h.n_text,
                    f"95% CI {h.ci}" if h.ci else "",
                    f"not filtered by {' or '.join(unfiltered)} (not recorded here)" if unfiltered else "",
                )
                if p
            )
        )
        st.plotly_chart(
            sparkline(h.trend, spec.unit),
            width="stretch",
            key=f"spark-{i}-{spec.name}",
            config={"displayModeBar": False},
        )
        st.caption(
            f"Trend {h.trend['period'].iat[0]} to {h.trend['period'].iat[-1]}: "
            f"{', '.join(format_value(v, spec.unit) if v == v else 'suppressed' for v in h.trend['value'])}."
        )

if data.family_loaded(version, "workforce"):
    with cols[len(headlines) % len(cols)], st.container(border=True):
        rep_spec = data.registry()["representation"]
        table = data.metric_table(
            version,
            "representation",
            ("gender",),
            view.period,
            view.date_from,
            view.date_to,
            view.filters_for(rep_spec),
        )
        # the headlines' period rule and label: a partial period says so
        last, shown_period = headline_rows(table[table["dimensions"] == "gender"])
        st.subheader("Representation by gender")
        st.caption(f"Share of headcount, {shown_period}")
        for _, r in last.iterrows():
            shown = (
                f"fewer than {info['k']}"
                if r["suppressed"]
                else f"{format_value(r['value'], 'share')} (n = {int(r['n']):,}; 95% CI "
                f"{format_ci(r['ci_low'], r['ci_high'], 'share')})"
            )
            st.markdown(f"- **{group_label(r['group'])}**: {shown}")

st.header("Flagged findings")
findings = _findings(version, view.period, commitments_data.log_stamp(version))
if findings:
    st.caption(
        "Ranked as on the PDF's summary page: measured disparities by certainty and then by their "
        "distance from parity, then counts from the records, then forecasts (Methodology; docs/findings.md)."
    )
    st.markdown(
        "\n".join(
            f"- {f}" + (f" *{certainty}.*" if certainty else "") + f" Owner: {owner}."
            for f, certainty, owner in findings
        )
    )
else:
    st.success("No findings are flagged for the latest full period.")

if data.family_loaded(version, "workforce"):
    by = view.by or ("gender", "race_ethnicity")
    table = data.metric_table(
        version,
        "headcount",
        by,
        view.period,
        view.date_from,
        view.date_to,
        view.filters_for(data.registry()["headcount"]),
    )
    latest, shown_period = headline_rows(table[table["dimensions"] == "|".join(by)])
    hidden = int(latest["suppressed"].sum())
    st.caption(
        f"Privacy: in the {' × '.join(by)} breakdown of headcount ({shown_period}), "
        f"{hidden} of {len(latest)} groups are hidden: their protected count is below {info['k']} "
        "(every figure shown is protected; see Methodology)."
    )

commitments = commitments_data.assessments(version)
if commitments:
    st.header("Commitments")
    st.markdown(
        f"{counts_sentence(commitments)} Details, persistence and the committee review log are on the Commitments page."
    )
    st.markdown("\n".join(overview_lines(commitments)))

st.header("Snapshot for leadership")
st.markdown(
    "The PDF has the same figures as this dashboard: a summary page, commitments, one page per "
    "area with its key chart, methodology and privacy, data quality and the run. The detail PDF adds "
    "every table, the statutory reports and the input files' SHA-256."
)


def _pdf() -> bytes:
    from dashboard.pdf import snapshot_pdf

    return snapshot_pdf(data.cursor(version), period=view.period)


def _detail_pdf() -> bytes:
    from dashboard.pdf import snapshot_pdf

    return snapshot_pdf(data.cursor(version), period=view.period, detail=True)


st.download_button(
    "Download PDF snapshot (leadership, a few pages)",
    data=_pdf,
    file_name=f"equity-snapshot-{info['run_id']}.pdf",
    mime="application/pdf",
    key="pdf-download",
    on_click="ignore",
)
st.download_button(
    "Download the detail PDF (every table, statutory reports, file hashes)",
    data=_detail_pdf,
    file_name=f"equity-detail-{info['run_id']}.pdf",
    mime="application/pdf",
    key="pdf-detail-download",
    on_click="ignore",
)
