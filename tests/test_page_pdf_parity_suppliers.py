"""The Suppliers page and the suppliers section of the PDF show the same blocks (issue 19
item 2): under the page's default view (yearly grain, no dates, addressable spend, breakdown by
category, the goals of equity.yml) the blocks the page drew (components.show_block records them
in st.session_state["blocks_shown"]) equal the section's blocks from build_section.

Why a changed number fails: `same_block` compares the titles and the summaries as whole
strings (every figure in them is text) and the tables with pandas' assert_frame_equal, which
checks every cell, every column name and their order, and dtypes; the figures are compared
trace by trace (name, x, numbers to 12 significant digits). So if either side changes one share, amount or n, a string or a cell
differs and the test fails - `test_a_changed_cell_is_caught` shows it on a copy with one cell
changed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pages import page_path

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def _traces(fig) -> list[tuple]:
    """Each trace's name, x and y; numbers to 12 significant digits, as DuckDB's parallel sums may
    differ in the last bits of a double between two runs (a change of a figure is far larger)."""
    if fig is None:
        return []
    return [(t.name, _points(t.x), _points(t.y)) for t in fig.data]


def _points(values) -> list[str]:
    return [f"{v:.12g}" if isinstance(v, float) else str(v) for v in (values if values is not None else [])]


def same_block(page, pdf) -> None:
    assert page.title == pdf.title
    assert page.summary == pdf.summary
    pd.testing.assert_frame_equal(page.table.reset_index(drop=True), pdf.table.reset_index(drop=True), check_exact=True)
    assert (page.figure is None) == (pdf.figure is None), page.title
    assert _traces(page.figure) == _traces(pdf.figure), page.title  # as text: a hidden point (nan) equals itself


@pytest.fixture(scope="module")
def shown_and_printed(sample_db):
    import duckdb

    from dashboard.families.suppliers.section import build_section

    mp = pytest.MonkeyPatch()
    mp.setenv("EQUITY_DB", str(sample_db))
    try:
        at = AppTest.from_file(ENTRY, default_timeout=180).run()
        at.switch_page(page_path("suppliers")).run()
        assert not at.exception, at.exception
        shown = list(at.session_state["blocks_shown"])
    finally:
        mp.undo()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        section = build_section(con, 5)  # the PDF's defaults: yearly grain, the whole history
    finally:
        con.close()
    return shown, section.blocks


@pytest.mark.slow
def test_the_page_draws_the_pdf_sections_blocks_with_the_same_numbers(shown_and_printed):
    shown, printed = shown_and_printed
    assert [b.title for b in shown] == [b.title for b in printed]
    # the sample has Tier 2 reports and no configured goals: share, Tier 2, certifications,
    # expiring, breakdown, counts
    assert len(printed) == 6
    for page, pdf in zip(shown, printed):
        same_block(page, pdf)


@pytest.mark.slow
def test_a_changed_cell_is_caught(shown_and_printed):
    shown, printed = shown_and_printed
    page = shown[0]
    table = page.table.copy()
    table.iloc[0, table.columns.get_loc("Share")] = "99.9%"  # one published share, changed
    changed = type(page)(title=page.title, summary=page.summary, table=table, figure=page.figure, alt=page.alt)
    with pytest.raises(AssertionError):
        same_block(changed, printed[0])
    reworded = type(page)(
        title=page.title, summary=page.summary.replace("n = ", "n = 1"), table=page.table, figure=page.figure
    )
    with pytest.raises(AssertionError):
        same_block(reworded, printed[0])
