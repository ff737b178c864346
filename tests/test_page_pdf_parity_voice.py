"""The Employee voice page and the voice section of the PDF show the same blocks (issue 19
item 2): under the page's default view (no sidebar choice, the latest wave, the construct
the heat-map opens on), the blocks the page drew (recorded by components.show_block) equal
the blocks of build_section as the PDF builds it (the report's HR k, the yearly grain).

Why a changed number fails this test: every block's table is a display table of formatted
cells ("72.4%", "1,322", "+3.1"), compared cell by cell with assert_frame_equal (columns,
order and every cell), so one number that differs on one side changes one cell and fails;
the title and summary sentences carry the headline numbers and are compared as exact strings;
the figure is compared as its plotly JSON, which holds every plotted value. The test
also perturbs one cell of one PDF table and checks that the same comparison then fails.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import BLOCKS_SHOWN
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGE = page_path("voice")


def assert_same_blocks(page: list, pdf: list) -> None:
    assert [b.title for b in page] == [b.title for b in pdf]
    for drawn, printed in zip(page, pdf):
        assert drawn.summary == printed.summary, drawn.title
        assert drawn.alt == printed.alt, drawn.title
        pd.testing.assert_frame_equal(
            drawn.table.reset_index(drop=True), printed.table.reset_index(drop=True), check_dtype=False, obj=drawn.title
        )
        assert (drawn.figure is None) == (printed.figure is None), drawn.title
        if drawn.figure is not None:
            assert drawn.figure.to_json() == printed.figure.to_json(), drawn.title


@pytest.fixture()
def both(sample_db, sample_con, monkeypatch):
    from dashboard.families.voice.section import build_section
    from pipelines.metrics import build_context

    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    at = AppTest.from_file(ENTRY, default_timeout=180).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    page = list(at.session_state[BLOCKS_SHOWN])
    hr_k = build_context(sample_con)["config"]["privacy"]["k"]  # what the PDF passes (dashboard/pdf/snapshot.py)
    return page, build_section(sample_con, hr_k).blocks


def test_page_and_pdf_show_the_same_blocks_with_the_same_numbers(both):
    page, pdf = both
    # the whole view: heat-map, gaps, items, trend, response rate, outcomes (the sample has all marts)
    assert len(page) == 6
    assert "Inclusion index" in set(pdf[0].table["Measure"])  # the heat-map's table holds both measures
    assert_same_blocks(page, pdf)

    # the comparison is not vacuous: one number changed on the PDF's side fails it
    table = pdf[0].table.copy()
    shown = table.index[table["Value"].str.endswith("%")][0]  # a published share, e.g. "72.4%"
    table.loc[shown, "Value"] = "0.1%"
    changed = [type(pdf[0])(**{**vars(pdf[0]), "table": table}), *pdf[1:]]
    with pytest.raises(AssertionError):
        assert_same_blocks(page, changed)
