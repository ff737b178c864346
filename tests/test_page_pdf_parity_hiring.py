"""The Hiring page and the hiring PDF section show the same blocks with the same numbers under
the default view (issue 19 item 2): both are built by dashboard/families/hiring/blocks.py,
the page for its sidebar's view, the section for the page's defaults.

Why this fails when one side changes a number: `differences` compares the two blocks' titles,
summaries and alt texts as whole strings, their tables cell by cell (after checking the
columns and the number of rows) and their figures through plotly's JSON, which holds every
plotted value. A number printed differently on one side - another window, k, breakdown or
rounding - changes at least one title, summary or cell, so `differences` is no longer empty;
the last test alters one cell and one summary number of a PDF block and shows that it is
reported.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import BLOCKS_SHOWN
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGE = page_path("hiring")
BOTTOM_LINE = "Bottom line (hired ÷ decided)"


def differences(page, pdf) -> list[str]:
    """What differs between a block the page drew and the PDF's block, in words."""
    out = [f"{part} differs" for part in ("title", "summary", "alt") if getattr(page, part) != getattr(pdf, part)]
    a, b = page.table, pdf.table
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        out.append(f"table shape differs: {list(a.columns)} x {len(a)} vs {list(b.columns)} x {len(b)}")
    else:
        for col in a.columns:
            for i, (x, y) in enumerate(zip(a[col].astype(str), b[col].astype(str))):
                if x != y:
                    out.append(f"table row {i}, {col!r}: {x!r} vs {y!r}")
    figures = [None if f is None else f.to_json() for f in (page.figure, pdf.figure)]
    if figures[0] != figures[1]:
        out.append("figure differs")
    return out


@pytest.fixture(scope="module")
def both(sample_db):
    """(blocks the page drew, the PDF section's hiring blocks), both in the PDF's order: the
    family's own blocks, then those of the metrics with a registry display: hint."""
    from dashboard.families.hiring.section import build_section
    from pipelines.metrics import build_context

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EQUITY_DB", str(sample_db))
        at = AppTest.from_file(ENTRY, default_timeout=120).run()
        at = at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        drawn = list(at.session_state[BLOCKS_SHOWN])
        # the toggle's other block: the page draws one at a time, the PDF prints both
        at.radio(key="hiring_ai_mode").set_value(BOTTOM_LINE).run()
        assert not at.exception, at.exception
        bottom = list(at.session_state[BLOCKS_SHOWN])[1]
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        k = build_context(con)["config"]["privacy"]["k"]  # what the snapshot passes
        section = build_section(con, k)
    finally:
        con.close()
    return [drawn[0], drawn[1], bottom, *drawn[2:]], section.blocks


def test_the_page_draws_every_block_of_the_pdf_section_with_the_same_figures(both):
    page, pdf = both
    # funnel, per stage, bottom line, within departments, CMH, time, shares; then the metrics
    # hinted to the page: selection_rate's trend and source_mix's bars
    assert len(page) == len(pdf) == 9
    assert "Source" in pdf[8].table.columns  # source_mix, over the page's pooled window by gender
    for drawn, printed in zip(page, pdf):
        assert differences(drawn, printed) == [], printed.title
    # the default view is the pooled window by gender, compared within departments
    assert "Woman at interview -> offer in Engineering" in pdf[3].title
    assert "bottom line" in pdf[2].title and pdf[0].figure is not None and pdf[4].figure is None


def test_a_number_changed_on_one_side_is_reported(both):
    page, pdf = both
    changed = dataclasses.replace(pdf[0], table=pdf[0].table.copy())
    cell = changed.table.at[0, "Share reaching"]
    changed.table.at[0, "Share reaching"] = "0.0%" if cell != "0.0%" else "0.1%"
    assert differences(page[0], changed) == [
        f"table row 0, 'Share reaching': {cell!r} vs {changed.table.at[0, 'Share reaching']!r}"
    ]
    # one digit of the summary: the first number in it, raised by one
    summary = pdf[1].summary
    i = next(i for i, ch in enumerate(summary) if ch.isdigit())
    altered = dataclasses.replace(pdf[1], summary=summary[:i] + str((int(summary[i]) + 1) % 10) + summary[i + 1 :])
    assert differences(page[1], altered) == ["summary differs"]
