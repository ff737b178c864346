"""Dashboard entry point: page routing and the shared sidebar only.

Run with `equity dashboard --db PATH` (or `streamlit run dashboard/streamlit_app.py` with
EQUITY_DB set). A family's page lives in its package, dashboard/families/<family>/page_<name>.py;
the pages that are no family's (Overview, Data quality, Methodology) live in app_pages/<name>.py. A page appears when its file exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT.parent) not in sys.path:  # `streamlit run` puts only this folder on the path
    sys.path.insert(0, str(ROOT.parent))

from dashboard import data  # noqa: E402
from dashboard.auth import require_sign_in  # noqa: E402
from dashboard.components import BLOCKS_SHOWN, GLOSSARY_SEEN  # noqa: E402
from dashboard.controls import sidebar  # noqa: E402
from dashboard.pages import PAGES, page_file  # noqa: E402
from pipelines.metrics import KEPT_ON_CLUSTER, stayed_on_cluster  # noqa: E402

st.set_page_config(page_title="Equity metrics", page_icon=":material/balance:", layout="wide")
require_sign_in()
pages = [
    st.Page(str(page_file(name, family)), title=title, icon=icon, default=(i == 0), url_path=name)
    for i, (name, family, title, icon) in enumerate(PAGES)
    if page_file(name, family).exists()
]
navigation = st.navigation(pages)
version = data.db_version()
sidebar(version)
st.session_state[GLOSSARY_SEEN] = set()  # each page view links a statistic's first use to the glossary
st.session_state[BLOCKS_SHOWN] = []  # the blocks this page view draws (components.show_block)
try:
    navigation.run()
except Exception as exc:  # a Spark results database answers only what it holds
    if version is None or not stayed_on_cluster(data.cursor(version), exc):
        raise
    detail = str(exc) if "precomputed" in str(exc) else KEPT_ON_CLUSTER
    st.warning(f"The rest of this page is not available from this database: {detail}.")
