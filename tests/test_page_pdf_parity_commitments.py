"""The Commitments page and the PDF's Commitments section show the same blocks (issue 19
item 2): under the default view, the blocks the page drew (components.show_block records
them in st.session_state["blocks_shown"]) equal the blocks of build_section, in order, with
the same titles, summaries, alternative texts, table cells and figures.

Why a changed number fails: a block's table is compared with pandas' assert_frame_equal,
which compares the column names and every cell (the cells are the display strings, so
"48.5%" against "48.6%" differs), and the summary, title and alt text as whole strings, in
which every number is written out; a figure is compared as its plotly JSON, which holds
every x and y value drawn: text exactly, floats to a relative 1e-9. The tolerance is for
DuckDB, whose parallel SUM adds doubles in no fixed order, so the page's and the report's
runs of one query can differ in the last bits (2 ulp were seen on C2's supplier share);
any difference a reader could see (0.0831 against 0.0832) is a million times larger. test_a_changed_cell_or_sentence_fails below changes one cell of a real
block, and one digit of its summary, and shows the comparison then raises."""

from __future__ import annotations

import base64
import json
import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import BLOCKS_SHOWN
from dashboard.pages import page_path
from dashboard.block import Block
from dashboard.families.commitments.section import build_section
from pipelines.metrics import build_context

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


def assert_same_block(page: Block, pdf: Block) -> None:
    assert page.title == pdf.title
    assert page.summary == pdf.summary, page.title
    assert page.alt == pdf.alt, page.title
    pd.testing.assert_frame_equal(page.table.reset_index(drop=True), pdf.table.reset_index(drop=True), check_exact=True)
    assert (page.figure is None) == (pdf.figure is None), page.title
    if page.figure is not None:
        assert_close(json.loads(page.figure.to_json()), json.loads(pdf.figure.to_json()), page.title)


def _typed_array(obj: dict) -> np.ndarray:
    """plotly's JSON writes a numeric array as {"dtype": "f8", "bdata": base64}."""
    return np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))


def assert_close(a, b, where: str) -> None:
    """`a` equals `b` (parsed figure JSON): every key, string and length exactly, numbers to a
    relative 1e-9 (see the module docstring)."""
    if isinstance(a, dict) and "bdata" in a:
        assert isinstance(b, dict) and a.get("shape") == b.get("shape"), where
        x, y = _typed_array(a), _typed_array(b)
        assert x.shape == y.shape and np.allclose(x, y, rtol=1e-9, atol=0, equal_nan=True), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            assert_close(a[key], b[key], f"{where} / {key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, f"{where} [{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=0), where
    else:
        assert a == b, where


@pytest.fixture(scope="module")
def both_sides(sample_db, tmp_path_factory):
    """(blocks the page drew, blocks of the PDF section) from one copy of the sample database."""
    db = Path(shutil.copy(sample_db, tmp_path_factory.mktemp("parity") / "sample.duckdb"))
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUITY_DB", str(db))
    try:
        at = AppTest.from_file(ENTRY, default_timeout=120).run()
        at.switch_page(page_path("commitments")).run()
        assert not at.exception, at.exception
        page = list(at.session_state[BLOCKS_SHOWN])
    finally:
        mp.undo()
    con = duckdb.connect(str(db), read_only=True)
    try:
        k = build_context(con)["config"]["privacy"]["k"]
        section = build_section(con, k)
    finally:
        con.close()
    return page, section.blocks


def test_page_draws_the_blocks_of_the_pdf_section(both_sides):
    page, pdf = both_sides
    # the sample's register has three commitments: the register, then per commitment its
    # trajectory and its persistence (sample_data/README.md)
    assert len(pdf) == 1 + 3 * 2
    assert [b.title for b in page] == [b.title for b in pdf]
    for shown, printed in zip(page, pdf):
        assert_same_block(shown, printed)


def test_the_blocks_carry_the_numbers(both_sides):
    """The parity above is not between empty blocks: the register has one row per commitment
    with its label, and C1's trajectory is drawn with its yearly table."""
    _page, pdf = both_sides
    register = pdf[0].table
    assert dict(zip(register["ID"], register["Assessment"])) == {
        "C1": "met, not yet certain",
        "C2": "no recent action",
        "C3": "at risk",
    }
    c1 = pdf[1]
    assert c1.figure is not None and len(c1.table) >= 5  # 2021 to 2025 at least
    assert any(ch.isdigit() for ch in c1.summary)


def test_a_changed_cell_or_sentence_fails(both_sides):
    page, _pdf = both_sides
    real = page[1]
    changed_table = real.table.copy()
    changed_table.iloc[0, 3] = "99.9%"  # the value column of the yearly table (narrative.display_table)
    with pytest.raises(AssertionError):
        assert_same_block(Block(real.title, real.summary, changed_table, real.figure, real.alt), real)
    digit = next(i for i, ch in enumerate(real.summary) if ch.isdigit())
    other = "1" if real.summary[digit] != "1" else "2"
    changed_summary = real.summary[:digit] + other + real.summary[digit + 1 :]
    with pytest.raises(AssertionError):
        assert_same_block(Block(real.title, changed_summary, real.table, real.figure, real.alt), real)
    # one y value of the chart moved by a tenth of a point: the figures then differ
    moved = go.Figure(real.figure)
    line = next(t for t in moved.data if t.y is not None and len(t.y) > 0)
    line.y = [float(line.y[0]) + 0.001] + [float(v) for v in line.y[1:]]
    with pytest.raises(AssertionError):
        assert_close(json.loads(real.figure.to_json()), json.loads(moved.to_json()), real.title)
