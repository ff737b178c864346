"""source_mix on the Hiring page, drawn from its registry `display:` hint alone (no page
code): the chart, its table and download, checked against the hand counts of a small folder
and against the published (protected) table the page must read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.metrics import compute
from pipelines.families.hiring.strata import whole_window
from pipelines.privacy.ptable import MAX_PERTURBATION
from tests.helpers import build_and_open
from tests.test_hiring_metrics import funnel_one
from dashboard.pages import page_path

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
# funnel_one's applications by gender and source: the 20 hired men came by referral, every
# other application from the job board; Agender (3) is below k = 5
HAND = {
    ("Man", "Referral"): (20, 82),
    ("Man", "Job board"): (62, 82),
    ("Woman", "Referral"): (0, 42),
    ("Woman", "Job board"): (42, 42),
    ("Non-binary", "Referral"): (0, 6),
    ("Non-binary", "Job board"): (6, 6),
    ("All", "Referral"): (20, 133),
    ("All", "Job board"): (113, 133),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = funnel_one().write(tmp_path_factory.mktemp("mix") / "data", {"privacy": {"k": 5}})
    con = build_and_open(folder)
    yield folder.parent / "data.duckdb", con
    con.close()


@pytest.fixture(scope="module")
def page(built):
    db, _ = built
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EQUITY_DB", str(db))
        at = AppTest.from_file(ENTRY, default_timeout=120).run()
        yield at.switch_page(page_path("hiring")).run()


def _mix_table(page):
    tables = [df.value for df in page.dataframe if "Source mix" in df.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_source_mix_has_its_section_chart_table_and_download(page):
    assert not page.exception, page.exception
    assert "Where applicants come from" in [h.value for h in page.header]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in page.get("plotly_chart")]
    assert any(t.startswith("Source mix") for t in titles)
    assert any(b.proto.id.endswith("download-hiring-source_mix") for b in page.get("download_button"))


def test_source_mix_shows_the_published_shares_within_the_protection_bound_of_the_hand_counts(page, built):
    _, con = built
    shown = _mix_table(page).set_index(["Group", "Source"])
    for (group, source), (count, n) in HAND.items():
        cell = shown.loc[(group, source)]
        value = float(cell["Source mix"].rstrip("%")) / 100
        # each protected count is within MAX_PERTURBATION of the hand count
        lo = max(count - MAX_PERTURBATION, 0) / (n + MAX_PERTURBATION)
        hi = min((count + MAX_PERTURBATION) / (n - MAX_PERTURBATION), 1.0)
        assert lo - 0.0005 <= value <= hi + 0.0005, (group, source, value)
        assert abs(int(cell["n"].replace(",", "")) - n) <= MAX_PERTURBATION, (group, source)
    # hidden below k in every source table alike, and said so
    assert set(shown.loc["Agender", "Source mix"]) == {"fewer than 5"}
    assert set(shown.loc["Agender", "n"]) == {""}
    # the page reads the published table (pooled window, as the rest of the Hiring page), not the exact one:
    # every share it shows is the protected numerator over the protected n of that table (a share
    # cannot pass 100%: a numerator moved up past its n shows as 100%)
    period, lo_, hi_ = whole_window(con)
    published = compute(con, "source_mix", by=["gender"], period=period, date_from=lo_, date_to=hi_)
    published = published[~published["suppressed"].astype(bool)].set_index(["group", "source"])
    for (group, source), row in published.iterrows():
        assert shown.loc[(group, source), "Source mix"] == f"{min(row['numerator'] / row['denominator'], 1.0):.1%}"
        assert shown.loc[(group, source), "n"] == f"{int(row['n']):,}"
    # one draw of each group's n for all source tables (same_people_across): nothing to average
    assert (published.groupby(level="group")["n"].nunique() == 1).all()
