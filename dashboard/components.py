"""Streamlit building blocks shared by the pages."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.export import to_csv

from . import data


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
    st.info(f"No data loaded for {family_title}. Add {files} to the data folder and rebuild "
            "with `equity build`.")


def chart_block(fig, table: pd.DataFrame, summary: str, key: str, filename: str) -> None:
    """Chart, its text summary, its data table and a CSV of exactly the table shown."""
    st.plotly_chart(fig, width="stretch", key=f"chart-{key}",
                    config={"displaylogo": False})
    st.markdown(summary)
    with st.expander("Data table", expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", key=f"table-{key}")
    st.download_button("Download this table (CSV)", data=to_csv(table), file_name=filename,
                       mime="text/csv", key=f"download-{key}")


def table_block(table: pd.DataFrame, summary: str, key: str, filename: str) -> None:
    """A table that is the finding itself (no chart): summary, the table, its CSV download."""
    st.markdown(summary)
    st.dataframe(table, hide_index=True, width="stretch", key=f"table-{key}")
    st.download_button("Download this table (CSV)", data=to_csv(table), file_name=filename,
                       mime="text/csv", key=f"download-{key}")
