"""Planted truth 3 on the committed sample (sample_data/README.md): in Engineering, women's
interview -> offer pass probability is half of men's. The expected counts are recomputed
here straight from the CSV files with pandas (a second implementation of the funnel rules),
and the ratio is checked against the README's demo figure (0.59)."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from pipelines.families.hiring.strata import stratified_impact, whole_window
from tests.conftest import SAMPLE_DIR
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow


def _interview_outcomes(department: str) -> pd.DataFrame:
    """Per gender: decided and passed at the interview stage, from the raw files.
    Passed = has an 'offer' (or later) record; decided = passed or status rejected while the
    interview is the furthest stage (withdrawals and open applications are left out)."""
    apps = pd.read_csv(SAMPLE_DIR / "recruiting" / "applications.csv", keep_default_na=False)
    stages = pd.read_csv(SAMPLE_DIR / "recruiting" / "application_stages.csv")
    order = {"applied": 0, "screen": 1, "interview": 2, "offer": 3, "hired": 4}
    furthest = stages.assign(pos=stages["stage"].map(order)).groupby("application_id")["pos"].max()
    apps = apps[apps["department"] == department].assign(pos=lambda d: d["application_id"].map(furthest))
    apps = apps[apps["pos"] >= 2]
    passed = apps["pos"] > 2
    decided = passed | (apps["status"] == "rejected")
    return pd.DataFrame(
        {"passed": passed.groupby(apps["gender"]).sum(), "decided": decided.groupby(apps["gender"]).sum()}
    )


def test_engineering_women_are_flagged_at_the_interview_stage(sample_con):
    truth = _interview_outcomes("Engineering")
    expected = (truth.loc["Woman", "passed"] / truth.loc["Woman", "decided"]) / (
        truth.loc["Man", "passed"] / truth.loc["Man", "decided"]
    )
    period, lo, hi = whole_window(sample_con)
    # the data owner's exact figures (the published ones are protected: tests/privacy/test_hiring.py)
    result = stratified_impact(
        sample_con, ["gender"], "department", period=period, date_from=lo, date_to=hi, exact=True
    )
    rows = result.strata
    woman = rows[(rows["stratum"] == "Engineering") & (rows["stage"] == "interview") & (rows["group"] == "Woman")].iloc[
        0
    ]
    assert (woman["numerator"], woman["n"]) == (truth.loc["Woman", "passed"], truth.loc["Woman", "decided"])
    assert woman["reference_group"] == "Man"
    assert woman["value"] == pytest.approx(expected)
    assert round(woman["value"], 2) == 0.59  # README, planted truth 3 (demo)
    assert woman["flagged"] and woman["significant"] and woman["next_stage"] == "offer"
    # Holm within the department (one analysis per department, all stages): second implementation
    family = rows[(rows["stratum"] == "Engineering") & (rows["dimensions"] == "gender") & rows["p_fisher"].notna()]
    assert family["p_holm"].to_numpy() == pytest.approx(multipletests(family["p_fisher"].to_numpy(), method="holm")[1])
    assert woman["p_holm"] < 0.05
    # flagged with its stage, group and department - and nowhere else at that stage
    flagged = rows[
        rows["flagged"].fillna(False).astype(bool)
        & rows["significant"].fillna(False).astype(bool)
        & (rows["stage"] == "interview")
        & (rows["dimensions"] == "gender")
    ]
    assert list(zip(flagged["stratum"], flagged["group"])) == [("Engineering", "Woman")]


def test_other_departments_show_no_interview_gap_for_women(sample_con):
    # Sales, per the README, is about 1 (0.97 there); the generator plants nothing outside Engineering
    period, lo, hi = whole_window(sample_con)
    df = compute_exact(
        sample_con,
        "adverse_impact_ratio",
        by=["gender"],
        period=period,
        date_from=lo,
        date_to=hi,
        filters={"department": ["Sales"]},
    )
    woman = df[(df["stage"] == "interview") & (df["group"] == "Woman")].iloc[0]
    truth = _interview_outcomes("Sales")
    rates = truth["passed"] / truth["decided"]
    assert woman["selection_rate"] == pytest.approx(rates["Woman"])
    assert not woman["significant"]


def test_time_in_stage_on_the_sample_is_within_the_generator_delays(sample_con):
    # the generator draws each step's delay uniformly from DELAY_DAYS: interview -> offer 5-20 days
    period, lo, hi = whole_window(sample_con)
    df = compute_exact(sample_con, "time_in_stage", by=["gender"], period=period, date_from=lo, date_to=hi)
    interview = df[(df["stage"] == "interview") & ~df["suppressed"]]
    assert interview["value"].between(5, 20).all() and len(interview) >= 3
    # open applications are censored, not dropped: the overall row says how many
    overall = interview[interview["group"] == "All"].iloc[0]
    assert overall["still_open"] > 0 and "censored" in overall["note"]
