"""The Suppliers page says what it hides and why (issue 19): its caption states the companies
threshold of the sample's equity.yml (privacy.supplier_k, read here from the file) and that the
sidebar's people breakdowns and filters do not apply; every hidden share in a drawn table says
why it is hidden and shows no amount beside it; the goals block states the grade scale of
defaults.yml (read here from the file)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard" / "streamlit_app.py")
SUPPLIER_K = yaml.safe_load((ROOT / "sample_data" / "demo" / "equity.yml").read_text())["privacy"]["supplier_k"]
GRADES = yaml.safe_load((ROOT / "pipelines" / "defaults.yml").read_text())["procurement"]["grade_scale"]


@pytest.fixture(scope="module")
def page(sample_db):
    mp = pytest.MonkeyPatch()
    mp.setenv("EQUITY_DB", str(sample_db))
    try:
        app = AppTest.from_file(ENTRY, default_timeout=180)
        app.query_params["by"] = "gender"  # a people breakdown the supplier figures cannot apply
        at = app.run()
        at.switch_page(page_path("suppliers")).run()
        assert not at.exception, at.exception
        yield at
    finally:
        mp.undo()


def test_caption_names_the_companies_threshold_and_the_controls_not_applied(page):
    captions = " ".join(c.value for c in page.caption)
    assert SUPPLIER_K == 3
    assert f"a figure resting on fewer than {SUPPLIER_K} companies is not shown" in captions
    assert "n counts companies" in captions
    assert "breakdowns and department/location filters describe people and do not apply here" in captions
    text = " ".join(m.value for m in page.markdown)
    assert "never added to it" in text and f"at least {SUPPLIER_K} primes" in text


def test_every_hidden_share_says_why_and_shows_no_amount(page):
    hidden = 0
    for frame in page.dataframe:
        table = frame.value
        if "Share" not in table.columns:
            continue
        money = [c for c in table.columns if c.endswith(")") and ("spend (" in c or "Denominator" in c)]
        for _, row in table.iterrows():
            if not str(row["Share"])[:1].isdigit() and not str(row["Share"]).startswith("no share"):
                hidden += 1
                assert row["Share"] in (f"fewer than {SUPPLIER_K} companies", "hidden (protects a smaller group)")
                assert all(row[c] == "" for c in money), row.to_dict()
                assert row["n (companies)"] == ""
    assert hidden  # the sample hides at least one share (a category of fewer than 3 companies)


def test_goals_summary_states_the_grade_scale(page):
    text = " ".join(m.value for m in page.markdown)
    scale = ", ".join(f"{b['grade']} from {b['min_pct']}%" for b in GRADES)
    assert f"in % of the goal: {scale}" in text
