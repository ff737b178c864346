"""The sample's three commitments: their linked values recomputed from the CSV files (not
through the metric engine), classified as sample_data/README.md documents, on the
Commitments page and the Overview (AppTest, including saving a review entry) and in the PDF
snapshot (pdftotext)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard.charts import format_value
from pipelines.families.commitments import assess_register
from pipelines.metrics import families
from tests.test_sample_generator import DEMO, README, diverse_share, read
from dashboard.pages import page_path

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
AS_OF = pd.Timestamp("2026-09-30")


@pytest.fixture(scope="module")
def assessments(sample_db):
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return {a.commitment.id: a for a in assess_register(con, exact=True)}
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(sample_db):
    """The assessments as published (protected figures): what the page and the PDF must show."""
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return {a.commitment.id: a for a in assess_register(con)}
    finally:
        con.close()


@pytest.fixture()
def private_db(sample_db, tmp_path) -> Path:
    """A copy of the sample database, so a review log written beside it stays in this test."""
    return Path(shutil.copy(sample_db, tmp_path / "sample.duckdb"))


# --- values recomputed from the CSV files ------------------------------------------------------


def _employed(emp: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    hire, term = pd.to_datetime(emp.hire_date), pd.to_datetime(emp.termination_date)
    return emp[(hire <= day) & (term.isna() | (term >= day))]


def women_share_at_l5_l6(day: str) -> tuple[float, int]:
    """Women / everyone at L5-L6 on `day`, each person at the level of the job row in force."""
    d = pd.Timestamp(day)
    emp = _employed(read(DEMO, "hr__employees"), d)
    jobs = read(DEMO, "hr__job_history")
    jobs = jobs[pd.to_datetime(jobs.effective_date) <= d].sort_values(["employee_id", "effective_date"])
    level = jobs.groupby("employee_id").tail(1).set_index("employee_id").job_level
    senior = emp[emp.employee_id.map(level).isin(["L5", "L6"])]
    women = int((senior.gender == "Woman").sum())
    return women / len(senior), women


def mens_uptake(year: int) -> float:
    """Parental-leave starts of men in the year / their average month-end headcount."""
    emp = read(DEMO, "hr__employees")
    men = emp[emp.gender == "Man"]
    ends = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="ME")
    heads = sum(len(_employed(men, d)) for d in ends) / len(ends)
    leave = read(DEMO, "hr__leave")
    starts = leave[
        leave.employee_id.isin(set(men.employee_id))
        & (leave.start_date.str[:4] == str(year))
        & leave.leave_type.str.lower().isin(["parental", "maternity", "paternity", "adoption", "shared parental"])
    ]
    return len(starts) / heads


def test_c1_values_from_the_csv_files(assessments):
    c1 = assessments["C1"]
    base, _ = women_share_at_l5_l6("2020-12-31")
    latest, women = women_share_at_l5_l6("2025-12-31")
    assert c1.baseline["value"] == pytest.approx(base, abs=1e-12)
    assert c1.latest["value"] == pytest.approx(latest, abs=1e-12) and int(c1.latest["n"]) == women
    # 2025 holds the due date 2025-12-31: the value reaches 47%, but its 95% Wilson interval
    # (computed here by statsmodels) reaches below it, so the commitment is met, not yet certain
    from statsmodels.stats.proportion import proportion_confint

    low, _high = proportion_confint(women, round(women / latest), alpha=0.05, method="wilson")
    assert latest >= 0.47 > low
    assert c1.assessment == "met, not yet certain"


def test_c2_values_from_the_csv_files(assessments):
    c2 = assessments["C2"]
    assert c2.baseline["value"] == pytest.approx(diverse_share(2021), abs=1e-9)
    assert c2.latest["value"] == pytest.approx(diverse_share(2025), abs=1e-9)
    # the register file itself: the last action is 2022-06-30, more than 6 months before as_of
    raw = yaml.safe_load((DEMO / "commitments.yml").read_text(encoding="utf-8"))["commitments"]
    last = max(str(a["date"]) for a in next(c for c in raw if c["id"] == "C2")["actions"])
    assert last == "2022-06-30" and pd.Timestamp(last) < AS_OF - pd.DateOffset(months=6)
    assert c2.assessment == "no recent action"
    assert set(c2.flags) == {"no recent action", "returned to baseline"}
    cps = c2.checkpoints.set_index("checkpoint")
    # the best early gain (+12 months) is above the baseline, the latest window below it
    assert cps.loc["+12 months", "value"] > c2.baseline["value"] > cps.loc["now", "value"]


def test_c3_values_from_the_csv_files(assessments):
    c3 = assessments["C3"]
    assert c3.baseline["value"] == pytest.approx(mens_uptake(2021), abs=1e-12)
    assert c3.latest["value"] == pytest.approx(mens_uptake(2025), abs=1e-12)
    assert c3.commitment.event == "Parental leave 26 weeks"
    p = c3.projection
    assert p["projected"] < 0.04 <= p["projected_high"] and c3.assessment == "at risk"


def _readme_rows() -> dict[str, list[str]]:
    section = README.split("## commitments.yml", 1)[1]
    return {
        m.group(1): [c.strip() for c in m.group(0).strip("|").split("|")]
        for m in re.finditer(r"^\| (C\d) \|.*\|$", section, flags=re.M)
    }


def test_readme_documents_each_commitment_as_assessed(assessments):
    rows = _readme_rows()
    assert set(rows) == set(assessments) == {"C1", "C2", "C3"}
    for cid, a in assessments.items():
        _, _, baseline, latest, target, trend, label = rows[cid]
        unit = a.commitment.spec.unit
        assert label == a.assessment, cid
        assert baseline == f"{format_value(a.baseline['value'], unit)} ({a.commitment.baseline_period})", cid
        assert latest == f"{format_value(a.latest['value'], unit)} ({a.latest['period']})", cid
        assert target == f"{format_value(a.commitment.target, unit)} by {a.commitment.due}", cid
        if a.projection:
            p = a.projection
            assert trend == (
                f"{format_value(p['projected'], unit)} ({format_value(p['projected_low'], unit)} "
                f"to {format_value(p['projected_high'], unit)})"
            ), cid


# --- the page, the Overview and the PDF -----------------------------------------------------------


def _app(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("EQUITY_DB", str(db))
    # no sign-in in these tests: review writes switched on as a trusted local dashboard would
    # (tests/test_security_review_writes.py covers the page with writing off)
    monkeypatch.setenv("EQUITY_REVIEW_WRITES", "anyone")
    return AppTest.from_file(ENTRY, default_timeout=120)


def _assessment_column(at) -> dict[str, str]:
    register = next(d.value for d in at.dataframe if "Assessment" in d.value.columns)
    return dict(zip(register["ID"], register["Assessment"]))


def test_page_shows_the_three_commitments_and_saves_a_review(private_db, monkeypatch, published):
    at = _app(private_db, monkeypatch).run()
    at.switch_page(page_path("commitments")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Commitments: 2 of 3 need attention"
    assert _assessment_column(at) == {"C1": "met, not yet certain", "C2": "no recent action", "C3": "at risk"}
    text = " ".join(m.value for m in at.markdown)
    # the figures are the published (protected) ones; their exact values are checked above
    assert re.search(r"Returned to baseline: \d+\.\d%", text)
    assert "nothing was recorded in the 6 months to 2026-09-30" in text
    assert "Around the policy event 'Parental leave 26 weeks'" in text
    metrics = {(m.label, m.value) for m in at.metric}
    latest = f"{published['C1'].latest['value']:.1%}"
    assert ("Latest, 2025", latest) in metrics and ("Target by 2027-12-31", "4.0%") in metrics
    assert len(at.get("plotly_chart")) == 3 and at.get("download_button")

    # a committee review of C2, entered through the form: it is activity, so C2 is no longer
    # "no recent action" but what its trend says (off track)
    at.selectbox(key="cm_review_id").set_value("C2").run()
    at.text_area(key="cm_review_decision").input("Ask procurement for a recovery plan")
    at.text_input(key="cm_review_next").input("CPO presents the plan in March")
    at.text_input(key="cm_review_by").input("DEI committee")
    at.button(key="cm_review_save").click().run()
    assert not at.exception, at.exception
    assert any("Saved entry 1 for C2" in s.value for s in at.success)
    assert _assessment_column(at)["C2"] == "off track"
    con = sqlite3.connect(private_db.with_name("sample.reviews.sqlite"))
    try:
        rows = con.execute(
            "SELECT commitment_id, decision, reviewed_by, recorded_by, identity_verified FROM review_entries"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("C2", "Ask procurement for a recovery plan", "DEI committee", "not signed in", 0)]
    log = next(d.value for d in at.dataframe if "Recorded by" in d.value.columns)
    assert list(log["Decision"]) == ["Ask procurement for a recovery plan"]


def test_page_refuses_an_incomplete_review(private_db, monkeypatch):
    at = _app(private_db, monkeypatch).run()
    at.switch_page(page_path("commitments")).run()
    at.text_area(key="cm_review_decision").input("Keep going")
    at.button(key="cm_review_save").click().run()  # "Reviewed by" left blank
    assert any("reviewed by is required" in e.value for e in at.error)
    assert not private_db.with_name("sample.reviews.sqlite").exists()


def test_overview_lists_each_commitment_with_its_label(private_db, monkeypatch):
    at = _app(private_db, monkeypatch).run()
    assert not at.exception, at.exception
    assert "Commitments" in [h.value for h in at.header]
    text = " ".join(m.value for m in at.markdown)
    assert "3 commitments: 1 met, not yet certain, 1 at risk, 1 no recent action." in text
    for cid, label in (("C1", "met, not yet certain"), ("C2", "no recent action"), ("C3", "at risk")):
        assert re.search(rf"\*\*{cid}\*\* .*?: \*\*{label}\*\*", text), cid


def test_pdf_has_a_commitments_section_and_flags_two(private_db, tmp_path, published):
    pdf = tmp_path / "snapshot.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "snapshot", "--db", str(private_db), "--out", str(pdf), "--no-charts"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(raw.split())
    summary = text.split("Flagged findings", 1)[1].split("Methodology and privacy")[0]
    # C2 (no recent action: counted from the records) and C3 (at risk: a forecast) rank after the
    # measured disparities (by size and certainty), so they may fall below the page's six; the
    # Commitments page right after says them. C1 (met, not yet certain) is no finding at all
    assert "Commitment C1" not in summary
    assert "Commitment C2" in summary or "C2 (no recent action)" in summary
    assert "Commitment C3" in summary or "C3 (at risk)" in summary
    assert "Commitments: 1 met, not yet certain, 1 at risk, 1 no recent action" in text
    latest = f"{published['C1'].latest['value']:.1%}"
    for expected in (
        f"C1 (met, not yet certain): Met, not yet certain: {latest} in 2025",
        "C2 (no recent action): No recent action: the last action",
    ):
        assert expected in text, expected
    assert re.search(r"C3 \(at risk\): At risk: the straight-line trend of 2021 to 2025 reaches \d+\.\d%", text)
    # the Commitments section comes before the first metric family's section
    workforce_intro = " ".join(families()["workforce"]["description"].split())[:60]
    assert text.index("Commitments: 1 met") < text.index(workforce_intro)
