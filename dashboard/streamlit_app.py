"""Dashboard entry point: page routing and the shared sidebar only.

Run with `equity dashboard --db PATH` (or `streamlit run dashboard/streamlit_app.py` with
EQUITY_DB set). Pages live in app_pages/, one file each; a page appears when its file exists.
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
from pipelines.metrics import KEPT_ON_CLUSTER, stayed_on_cluster  # noqa: E402

PAGES = [
    ("app_pages/overview.py", "Overview", ":material/dashboard:"),
    ("app_pages/workforce.py", "Workforce", ":material/groups:"),
    ("app_pages/retention.py", "Retention", ":material/timeline:"),
    ("app_pages/hiring.py", "Hiring", ":material/person_search:"),
    ("app_pages/pay.py", "Pay equity", ":material/payments:"),
    ("app_pages/suppliers.py", "Suppliers", ":material/storefront:"),
    ("app_pages/voice.py", "Employee voice", ":material/forum:"),
    ("app_pages/commitments.py", "Commitments", ":material/flag:"),
    ("app_pages/data_quality.py", "Data quality", ":material/fact_check:"),
    ("app_pages/methodology.py", "Methodology", ":material/menu_book:"),
]

st.set_page_config(page_title="Equity metrics", page_icon=":material/balance:", layout="wide")
require_sign_in()
pages = [
    st.Page(str(ROOT / path), title=title, icon=icon, default=(i == 0))
    for i, (path, title, icon) in enumerate(PAGES)
    if (ROOT / path).exists()
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
