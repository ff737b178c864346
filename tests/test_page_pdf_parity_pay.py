"""The Pay page and the PDF's pay section show the same blocks (issue 19 item 2): under the
page's default view (by gender, yearly, no filters, no From/To, the configured k) the blocks
the page drew (components.show_block records them in st.session_state["blocks_shown"]) equal
the blocks of the section's build_section, one by one: same titles, same summary sentences,
same alternative text, the same table cell by cell, the same figure.

Why a changed number fails: `assert_same_blocks` compares each table with
pandas.testing.assert_frame_equal(check_exact=True) - every column name, dtype and cell - and
each figure by its full plotly JSON (every trace's x and y). If either side computed one value
differently (another k, period, filter or rounding, a cell edited after the block was built),
that cell differs and the assertion fails; a number that reaches a sentence changes the
summary string, which is compared whole. test_a_changed_cell_fails shows it on hand-made
blocks without the sample build."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.block import Block
from dashboard.components import BLOCKS_SHOWN
from dashboard.pages import page_path

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def assert_same_blocks(page: list[Block], pdf: list[Block]) -> None:
    assert [b.title for b in page] == [b.title for b in pdf]
    for drawn, printed in zip(page, pdf):
        assert drawn.summary == printed.summary, drawn.title
        assert drawn.alt == printed.alt, drawn.title
        pd.testing.assert_frame_equal(drawn.table, printed.table, check_exact=True, obj=drawn.title)
        assert (drawn.figure is None) == (printed.figure is None), drawn.title
        if drawn.figure is not None:
            assert drawn.figure.to_json() == printed.figure.to_json(), drawn.title


@pytest.mark.slow
def test_pay_page_draws_the_blocks_of_the_pdf_section(sample_db, monkeypatch):
    from dashboard.families.pay.section import build_section
    from pipelines.metrics import build_context

    monkeypatch.setenv("EQUITY_DB", str(sample_db))
    at = AppTest.from_file(ENTRY, default_timeout=300).run()
    at = at.switch_page(page_path("pay")).run()
    assert not at.exception, at.exception
    drawn = list(at.session_state[BLOCKS_SHOWN])
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        k = build_context(con)["config"]["privacy"]["k"]  # the page's k (run_info) and the report's
        printed = build_section(con, k).blocks
    finally:
        con.close()
    # every view of the page is a shared block: trend, quartiles, Art. 10, decomposition,
    # cohort review, cost curve and plan (the sample has a gap to close)
    assert len(drawn) == 7
    assert_same_blocks(drawn, printed)


def _block(value: float) -> Block:
    table = pd.DataFrame({"Group": ["Woman", "Man"], "Pay gap (above 0 = paid less)": [value, 0.0]})
    return Block(title="Adjusted pay gap", summary="Woman paid less.", table=table)


def test_a_changed_cell_fails():
    assert_same_blocks([_block(5.4)], [_block(5.4)])
    with pytest.raises(AssertionError):
        assert_same_blocks([_block(5.4)], [_block(5.41)])
    with pytest.raises(AssertionError):  # a block one side lacks
        assert_same_blocks([_block(5.4)], [_block(5.4), _block(5.4)])
