"""Streamlit building blocks shared by the pages."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from pipelines.errors import EquityError
from pipelines.export import neutralise, safe_frame, to_csv

from . import data
from .controls import current_view
from .hinted import hinted_block, hinted_by, hinted_specs


GLOSSARY_SEEN = "glossary_seen"  # session key: terms already linked on this page view (streamlit_app resets it)
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*%?$")


def _display_safe(value: object) -> object:
    """A cell as Streamlit may export it: formula-like text neutralised like our own CSVs, but
    a signed plain number ("-3.1%") kept as it is shown (a spreadsheet reads it as a number)."""
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return value
    return neutralise(value)


def display_frame(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every text cell and column name passed through _display_safe."""
    return safe_frame(table, cell=_display_safe)


def safe_dataframe(table: pd.DataFrame, **kwargs):
    """st.dataframe for any table a visitor sees. Streamlit's toolbar offers "Download as CSV"
    of exactly the data sent, quoting only , " and newlines, and 1.67 has no option to turn
    it off; so the data sent is neutralised (=WEBSERVICE(...) -> '=WEBSERVICE(...)), like the
    project's own download buttons. Pages never call st.dataframe directly
    (tests/test_security_downloads.py checks)."""
    return st.dataframe(display_frame(pd.DataFrame(table)), **kwargs)


def require_db() -> data.DbVersion:
    """The current database version, or a clear message with the command to build one."""
    version = data.db_version()
    if version is None:
        st.error(f"No database found at `{data.db_path()}`.")
        st.markdown("Build one first, then reload this page:")
        st.code(data.BUILD_HINT.format(db=data.db_path()), language="bash")
        st.stop()
    return version


def no_data(family_title: str, files: str) -> None:
    st.info(f"No data loaded for {family_title}. Add {files} to the data folder and rebuild with `equity build`.")


def family_page(title: str, family: str, family_title: str, files: str):
    """The top of a family's page: the database version, the sidebar's view and the run's info
    (k, as_of, tables), after the title; when the family's files were not loaded, a clear
    "no data loaded" naming `files`, and the page stops there."""
    version = require_db()
    view = current_view()
    info = data.run_info(version)
    st.title(title)
    if not data.family_loaded(version, family):
        no_data(family_title, files)
        st.stop()
    return version, view, info


def glossary_linked(text: str) -> str:
    """`text` with each statistic's first use on this page linked to the Methodology glossary
    (the set of terms already linked is reset on every run of the app, i.e. per page view)."""
    from .glossary import link_first_uses

    return link_first_uses(text, st.session_state.setdefault(GLOSSARY_SEEN, set()))


def chart_block(fig, table: pd.DataFrame, summary: str, key: str, filename: str) -> None:
    """Chart, its text summary, its data table and a CSV of exactly the table shown."""
    st.plotly_chart(fig, width="stretch", key=f"chart-{key}", config={"displaylogo": False})
    st.markdown(glossary_linked(summary))
    with st.expander("Data table", expanded=False):
        safe_dataframe(table, hide_index=True, width="stretch", key=f"table-{key}")
    st.download_button(
        "Download this table (CSV)", data=to_csv(table), file_name=filename, mime="text/csv", key=f"download-{key}"
    )


def table_block(table: pd.DataFrame, summary: str, key: str, filename: str) -> None:
    """A table that is the finding itself (no chart): summary, the table, its CSV download."""
    st.markdown(glossary_linked(summary))
    safe_dataframe(table, hide_index=True, width="stretch", key=f"table-{key}")
    st.download_button(
        "Download this table (CSV)", data=to_csv(table), file_name=filename, mime="text/csv", key=f"download-{key}"
    )


BLOCKS_SHOWN = "blocks_shown"  # session key: the blocks this page view drew (tests/test_page_pdf_parity.py)


# a heading only assistive technology meets: the chart beside it shows the same title, which
# plotly draws as SVG text that is no heading (WCAG 1.3.1) and tests read from the chart
_SCREEN_READER_ONLY = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0"
)


def block_heading(title: str, *, visible: bool) -> str:
    """The HTML heading of a block (level 4: under the page's st.header and st.subheader), its
    title escaped (a title carries group names from the data)."""
    style = "" if visible else f' style="{_SCREEN_READER_ONLY}"'
    return f"<h4{style}>{html.escape(title)}</h4>"


def show_block(block, key: str, filename: str | None = None) -> None:
    """One block of a family's `blocks.py` (dashboard/sections.Block), drawn as the PDF draws it:
    under a heading with its title (WCAG 2.4.6 and 1.3.1: a table-only block would otherwise
    have none, and a chart's title is not a heading), its figure with summary, table and CSV
    download, or the table alone when it has no figure. The block is recorded for this page
    view so a test can compare the page with the PDF."""
    st.session_state.setdefault(BLOCKS_SHOWN, []).append(block)
    filename = filename or f"{key}.csv"
    st.markdown(block_heading(block.title, visible=block.figure is None), unsafe_allow_html=True)
    if block.figure is not None:
        chart_block(block.figure, block.table, block.summary, key=key, filename=filename)
    else:
        table_block(block.table, block.summary, key=key, filename=filename)


def hinted_sections(version: data.DbVersion, page: str, view, by: tuple[str, ...], snapshot: tuple) -> None:
    """Every metric whose registry `display:` hint names `page`, under its own heading, from
    the published table like every other block: a trend over the sidebar's grain and From/To,
    a bar chart over the page's `snapshot` window (period, from, to)."""
    info = data.run_info(version)
    k, tables = info["k"], info["tables"]
    for spec in hinted_specs(page):
        st.header(spec.display.section)
        missing = sorted(set(spec.requires) - set(tables))
        if missing:
            st.info(f"{spec.title} needs {', '.join(missing)}, which this build does not have.")
            continue
        by_ = hinted_by(spec, by)
        window = (view.period, view.date_from, view.date_to) if spec.display.chart == "trend" else snapshot
        try:
            table = data.metric_table(version, spec.name, by_, *window, view.filters_for(spec))
        except EquityError as exc:  # e.g. a Spark results database without this window
            st.info(f"{spec.title} is not available here: {exc}.")
            continue
        events = data.events(version, spec.family) if spec.display.chart == "trend" else None
        block = hinted_block(spec, table, by_, k, events)
        show_block(block, key=f"{page}-{spec.name}", filename=f"{spec.name}.csv")
