"""The leadership summary's ranking of findings (dashboard/finding.py, docs/findings.md): the
certainty read off a 95% interval agrees with the normal approximation computed here with scipy,
the order is by size and certainty (measured findings strong before moderate, each by size, then
counted ones, then forecasts), and owners come from the configuration."""

from __future__ import annotations

import pickle

import pytest
from scipy.stats import norm

from dashboard.finding import Finding, by_interval, by_p, counted, owner_and_decision, ranked
from pipelines.config import default_config, load_config
from pipelines.errors import DataError


def test_interval_certainty_follows_the_normal_approximation():
    # pay gap +5.4% (paid less), 95% CI 4.6% to 6.1%: se = 1.5 / 3.92 = 0.383, z = 14.1 -> p far below 0.001
    clear = by_interval("a", "pay", size=5.4, size_text="", value=5.4, low=4.6, high=6.1, boundary=0)
    assert clear.certainty == "strong" and "p < 0.001" in clear.basis
    # a turnover of 0.30 against everyone's 0.25, CI 0.26 to 0.34: se = 0.08 / 3.92, z = 2.45
    se = 0.08 / (2 * norm.ppf(0.975))
    p = 2 * norm.sf(0.05 / se)
    assert 0.001 < p < 0.05
    near = by_interval("b", "workforce", size=20, size_text="", value=0.30, low=0.26, high=0.34, boundary=0.25)
    assert near.certainty == "moderate" and f"p = {p:.3f}" in near.basis


def test_adjusted_p_certainty():
    assert by_p("a", "hiring", size=40, size_text="", p=0.0004).certainty == "strong"
    moderate = by_p("a", "hiring", size=40, size_text="", p=0.037)
    assert moderate.certainty == "moderate" and moderate.certainty_text == "Moderate (Holm p = 0.037)"


def test_strongest_evidence_first_then_size():
    small_strong = by_p("small strong", "hiring", size=10, size_text="", p=0.0001)
    big_moderate = by_p("big moderate", "voice", size=60, size_text="", p=0.02)
    big_strong = by_p("big strong", "voice", size=50, size_text="", p=0.0002)
    record = counted("record", "suppliers", size_text="4 certifications")
    forecast = counted("forecast", "commitments", size_text="at risk", certainty="forecast")
    plain = "a plain sentence"
    order = ranked([plain, forecast, big_moderate, record, small_strong, big_strong])
    assert [str(f) for f in order] == ["big strong", "small strong", "big moderate", "record", "forecast", plain]


def test_a_large_moderate_disparity_is_not_pushed_off_the_summary_by_counts():
    # the case: Engineering hiring at 0.47 times the men's rate (size (1 - 0.47) x 100 = 53,
    # Holm p = 0.006) stood seventh, behind three counts from the records, and only --detail showed it
    counts = [counted(f"count {i}", "suppliers", size_text=f"{i} certifications") for i in range(3)]
    strong = [
        by_interval("turnover", "workforce", size=85, size_text="", value=0.25, low=0.2, high=0.3, boundary=0.14),
        by_interval("pay", "pay", size=5.4, size_text="", value=-5.4, low=-6.2, high=-4.7, boundary=0),
    ]
    engineering = by_p("engineering", "hiring", size=(1 - 0.47) * 100, size_text="", p=0.006)
    interview = by_p("interview", "hiring", size=(1 - 0.60) * 100, size_text="", p=0.026)
    order = [str(f) for f in ranked(counts + [interview] + strong + [engineering])]
    assert order == ["turnover", "pay", "engineering", "interview", "count 0", "count 1", "count 2"]
    assert "engineering" in order[:6]  # LEADERSHIP_FINDINGS: the summary page's six


def test_a_finding_is_its_sentence_and_survives_the_dashboard_cache():
    f = by_p("Hiring: Woman applicants ...", "hiring", size=40, size_text="40% lower", p=0.01)
    assert f == "Hiring: Woman applicants ..." and "Woman" in f
    back = pickle.loads(pickle.dumps(f))  # st.cache_data pickles the Overview's findings
    assert back == f and back.family == "hiring" and back.size == 40 and back.certainty == "moderate"


def test_owner_comes_from_the_family_or_the_commitment():
    config = default_config()
    pay = counted("x", "pay", size_text="")
    assert owner_and_decision(pay, config) == (
        config["leadership"]["owners"]["pay"],
        config["leadership"]["decisions"]["pay"],
    )
    commitment = counted("x", "commitments", size_text="", owner="Chief People Officer")
    assert owner_and_decision(commitment, config)[0] == "Chief People Officer"
    assert owner_and_decision(Finding("x", "elsewhere"), config) == (
        config["leadership"]["default_owner"],
        config["leadership"]["default_decision"],
    )


def test_owners_are_set_in_equity_yml(tmp_path):
    (tmp_path / "equity.yml").write_text("leadership:\n  owners:\n    pay: Reward committee\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert owner_and_decision(counted("x", "pay", size_text=""), config)[0] == "Reward committee"
    assert config["leadership"]["owners"]["suppliers"] == default_config()["leadership"]["owners"]["suppliers"]
    (tmp_path / "equity.yml").write_text("leadership:\n  owner:\n    pay: Typo\n", encoding="utf-8")
    with pytest.raises(DataError, match="leadership.owner"):
        load_config(tmp_path)
