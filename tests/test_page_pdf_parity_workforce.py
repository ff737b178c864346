"""The workforce PDF section shows what the Workforce and Retention pages show (issue 19 item 2):
under the default view, the blocks the pages draw (recorded by components.show_block) are the
blocks of the PDF's detail section, in the same order, with the same titles, summaries and
table cells.

Why a changed number fails this test: every table is compared cell by cell as text (the cells
are the formatted strings a reader sees), after the column names and the shape; so if the page
or the PDF computed one figure differently (another period rule, another breakdown, a rounding,
a protected count drawn with another key), that cell's string differs and the assertion names
the block, row and column. A changed number inside a sentence changes the summary or the title,
which are compared as whole strings. A block present on one side only changes the list of
titles, compared first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import BLOCKS_SHOWN
from dashboard.pages import page_path
from dashboard.families.workforce.section import PDF_TRENDS, build_section

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def _drawn(at: AppTest) -> list:
    assert not at.exception, at.exception
    return list(at.session_state[BLOCKS_SHOWN])


def _page_blocks(db, monkeypatch) -> list:
    """The pages' blocks under the default view: the Workforce page as it opens, its trend for
    the PDF's second metric (picked in the page's metric box: a widget, not the view), then the
    Retention page as it opens."""
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = AppTest.from_file(ENTRY, default_timeout=240).run()
    at.switch_page(page_path("workforce")).run()
    workforce = _drawn(at)
    at.selectbox(key="wf_metric").set_value(PDF_TRENDS[1]).run()
    second_trend = _drawn(at)[0]
    at.switch_page(page_path("retention")).run()
    retention = _drawn(at)
    return [workforce[0], second_trend, *workforce[1:], *retention]


def _cells(table: pd.DataFrame) -> list[list[str]]:
    return [[str(v) for v in row] for row in table.itertuples(index=False)]


def assert_same_block(page, pdf) -> None:
    assert page.title == pdf.title
    assert page.summary == pdf.summary, page.title
    assert list(page.table.columns) == list(pdf.table.columns), page.title
    assert page.table.shape == pdf.table.shape, page.title
    for i, (p_row, d_row) in enumerate(zip(_cells(page.table), _cells(pdf.table))):
        for col, p, d in zip(page.table.columns, p_row, d_row):
            assert p == d, f"{page.title}: row {i}, column {col!r}: page {p!r}, PDF {d!r}"
    assert (page.figure is None) == (pdf.figure is None), page.title


def test_pdf_section_blocks_equal_the_blocks_the_pages_draw(sample_db, monkeypatch):
    drawn = _page_blocks(sample_db, monkeypatch)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        section = build_section(con, 5)
    finally:
        con.close()
    assert [b.title for b in drawn] == [b.title for b in section.blocks]
    for page, pdf in zip(drawn, section.blocks):
        assert_same_block(page, pdf)
    # the comparison is not vacuous: the pages drew the trends, curves, pipeline and targets
    assert len(drawn) >= 10 and all(len(b.table) for b in drawn)


def test_a_changed_cell_is_caught():
    """The comparison above fails on one changed figure (a cell off by 0.1 point)."""
    from dashboard.block import Block

    table = pd.DataFrame({"Group": ["Man", "Woman"], "Representation": ["50.8%", "47.1%"]})
    changed = table.assign(Representation=["50.8%", "47.2%"])
    with pytest.raises(AssertionError, match="row 1, column 'Representation'"):
        assert_same_block(Block("t", "s", table), Block("t", "s", changed))
