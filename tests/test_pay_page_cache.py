"""A warm rerun of the Pay page computes nothing again (issue 22): with three breakdown
dimensions, the slowest view, a second run of the same view must be served from the page's
st.cache_data caches. Checked by the cache's hit - the loaders behind the caches are wrapped
to count their calls after the first run - not by timing, which the shared machine makes noisy."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.families.pay import tables
from dashboard.pages import page_path

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
LOADERS = ("pay_gap_rows", "statutory_tables", "analysis_tables")


@pytest.mark.slow
def test_a_warm_rerun_with_three_dimensions_hits_every_cache(sample_db, monkeypatch):
    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    # st.cache_data is per process: another test in this worker may already have cached the
    # views below, and then the "a new view is computed" check would find nothing computed
    st.cache_data.clear()
    at = AppTest.from_file(ENTRY, default_timeout=600)
    at.query_params["by"] = "gender,race_ethnicity,age_band"
    at.run()
    at.switch_page(page_path("pay")).run()
    assert not at.exception, at.exception
    calls: list[str] = []
    for name in LOADERS:
        real = getattr(tables, name)
        monkeypatch.setattr(
            tables, name, lambda *a, _real=real, _name=name, **kw: calls.append(_name) or _real(*a, **kw)
        )
    at.run()  # the same view again, as a rerun after any widget interaction
    assert not at.exception, at.exception
    assert calls == []
    # a view not seen yet is computed (the wrapped loaders do count), and going back to the
    # three dimensions afterwards, as the benchmark's warm pass does, is served from the caches
    at.multiselect(key="ctl_by").set_value(["gender"]).run()
    assert not at.exception, at.exception
    assert set(calls) == set(LOADERS) - {"statutory_tables"}  # statutory tables are by gender only
    calls.clear()
    at.multiselect(key="ctl_by").set_value(["gender", "race_ethnicity", "age_band"]).run()
    assert not at.exception, at.exception
    assert calls == []
