"""The Commitments page's captions (issue 19): the run's date under the title, and under
each tile the 95% interval and n of the published value, or why a trend is not projected.
Expected intervals are recomputed here with statsmodels' Wilson interval from the published
count and share, not read from the page's code."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from statsmodels.stats.proportion import proportion_confint
from streamlit.testing.v1 import AppTest

from dashboard.pages import page_path
from pipelines.families.commitments import assess_register

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")


@pytest.fixture(scope="module")
def page_and_published(sample_db, tmp_path_factory):
    db = Path(shutil.copy(sample_db, tmp_path_factory.mktemp("captions") / "sample.duckdb"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        published = {a.commitment.id: a for a in assess_register(con)}
    finally:
        con.close()
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUITY_DB", str(db))
    try:
        at = AppTest.from_file(ENTRY, default_timeout=120).run()
        at.switch_page(page_path("commitments")).run()
        assert not at.exception, at.exception
        captions = [c.value for c in at.caption]
    finally:
        mp.undo()
    return captions, published


def test_the_run_date_is_under_the_title(page_and_published):
    captions, _ = page_and_published
    # the sample's data end at 2026-09-30 (sample_data/README.md)
    assert captions[0].startswith("Data to 2026-09-30. Values are the latest full years")
    assert "The sidebar's period and filters do not apply here" in captions[0]


def test_c1_latest_tile_gives_the_wilson_interval_and_n(page_and_published):
    captions, published = page_and_published
    latest = published["C1"].latest  # women at L5-L6 / everyone there, published
    women = int(latest["n"])
    everyone = round(women / latest["value"])
    low, high = proportion_confint(women, everyone, alpha=0.05, method="wilson")
    assert f"95% CI {low:.1%} to {high:.1%} · n = {women:,}" in captions
    base = published["C1"].baseline
    women_b = int(base["n"])
    low_b, high_b = proportion_confint(women_b, round(women_b / base["value"]), alpha=0.05, method="wilson")
    assert f"95% CI {low_b:.1%} to {high_b:.1%} · n = {women_b:,}" in captions


def test_a_value_without_interval_shows_n_alone_and_a_past_due_date_no_trend(page_and_published):
    captions, published = page_and_published
    # C2's supplier share has no interval (a share of spend, not of people): its tiles say n only
    c2 = published["C2"]
    assert c2.latest["ci_low"] != c2.latest["ci_low"]  # NaN: no interval published
    assert f"n = {int(c2.latest['n']):,}" in captions
    assert not any(c.startswith("95% CI") and c.endswith(f"n = {int(c2.latest['n']):,}") for c in captions)
    # C1 was due 2025-12-31, before the data end: there is nothing left to project
    c1 = published["C1"]
    assert str(c1.commitment.due) == "2025-12-31" and c1.projection is None
    assert any(c.startswith("not projected: ") for c in captions)
