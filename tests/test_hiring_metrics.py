"""Hiring metrics end to end on hand-made folders: every count below is laid out in the
fixture and every expected value is worked out from it by hand in the comments."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from pipelines.families.hiring.funnel import funnel_data_issues
from tests.helpers import build_and_open, employees_folder, write_config, write_csv
from tests.helpers import compute_exact

STAGES = ["applied", "screen", "interview", "offer", "hired"]
APP_COLS = [
    "application_id",
    "candidate_id",
    "requisition_id",
    "applied_date",
    "source",
    "department",
    "job_level",
    "gender",
    "race_ethnicity",
    "disability",
    "veteran",
    "status",
]
STAGE_COLS = ["application_id", "stage", "entered_date"]
HR = [
    {
        "employee_id": f"E{i}",
        "gender": "Woman",
        "race_ethnicity": "White",
        "birth_year": "1980",
        "hire_date": "2015-01-01",
    }
    for i in range(3)
]


class Recruiting:
    """Applications built group by group: `add(n, gender, furthest, status)` makes n
    applications that entered every stage up to `furthest` (stage_order), `gap` days apart."""

    def __init__(self, stages=STAGES, applied=dt.date(2024, 3, 1), gap=5):
        self.stages, self.applied, self.gap = stages, applied, gap
        self.apps: list[dict] = []
        self.stage_rows: list[dict] = []

    def add(self, n, gender, furthest, status, department="Engineering", source="Job board", gaps=None, applied=None):
        for _ in range(n):
            app_id = f"A{len(self.apps) + 1:05d}"
            start = applied or self.applied
            self.apps.append(
                {
                    "application_id": app_id,
                    "candidate_id": f"C{len(self.apps) + 1:05d}",
                    "applied_date": start.isoformat(),
                    "source": source,
                    "department": department,
                    "job_level": "L2",
                    "gender": gender,
                    "race_ethnicity": "White",
                    "status": status,
                }
            )
            day = start
            for i, stage in enumerate(self.stages[: self.stages.index(furthest) + 1]):
                if i:
                    day = day + dt.timedelta(days=(gaps[i - 1] if gaps else self.gap))
                self.stage_rows.append({"application_id": app_id, "stage": stage, "entered_date": day.isoformat()})
        return self

    def write(self, folder, config):
        employees_folder(folder, HR)
        write_csv(folder / "recruiting" / "applications.csv", APP_COLS, self.apps)
        write_csv(folder / "recruiting" / "application_stages.csv", STAGE_COLS, self.stage_rows)
        write_config(folder, {"history_start": "2024-01-01", "as_of": "2024-12-31", **config})
        return folder


def funnel_one() -> Recruiting:
    """Men (82): 32 rejected at screen, 2 withdrew at screen, 24 rejected at interview,
    4 declined the offer, 20 hired.  Women (42): 28 rejected at screen, 2 still in progress at
    screen, 2 in progress at interview, 6 rejected at interview, 1 declined, 3 hired.
    Non-binary (6): 3 rejected at interview, 3 hired.  Agender (3): rejected at screen."""
    r = Recruiting()
    r.add(32, "Man", "screen", "rejected").add(2, "Man", "screen", "withdrawn")
    r.add(24, "Man", "interview", "rejected").add(4, "Man", "offer", "withdrawn")
    r.add(20, "Man", "hired", "hired", source="Referral")
    r.add(28, "Woman", "screen", "rejected").add(2, "Woman", "screen", "in_progress")
    r.add(2, "Woman", "interview", "in_progress").add(6, "Woman", "interview", "rejected")
    r.add(1, "Woman", "offer", "withdrawn").add(3, "Woman", "hired", "hired")
    r.add(3, "Non-binary", "interview", "rejected").add(3, "Non-binary", "hired", "hired")
    r.add(3, "Agender", "screen", "rejected")
    # two records of a stage that is not in the configured order (must be counted, not lost)
    r.stage_rows += [
        {"application_id": "A00001", "stage": "Phone screen", "entered_date": "2024-03-03"},
        {"application_id": "A00002", "stage": "phone screen", "entered_date": "2024-03-03"},
    ]
    return r


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = funnel_one().write(tmp_path_factory.mktemp("hiring") / "data", {"privacy": {"k": 5}})
    c = build_and_open(folder)
    yield c
    c.close()


def row(df, group, stage=None):
    sel = df[(df["group"] == group) & (df["dimensions"].isin(["gender", ""]))]
    if stage is not None:
        sel = sel[sel["stage"] == stage]
    assert len(sel) == 1, (group, stage, sel)
    return sel.iloc[0]


def test_worked_example_at_the_screen_stage(con):
    df = compute_exact(con, "adverse_impact_ratio", by=["gender"])
    # screen: men 48 passed of 80 decided (2 withdrawals left out); women 12 of 40 (2 open left out)
    man, woman = row(df, "Man", "screen"), row(df, "Woman", "screen")
    assert (man["numerator"], man["n"]) == (48, 80) and (woman["numerator"], woman["n"]) == (12, 40)
    assert woman["reference_group"] == "Man" and man["value"] == 1.0
    assert woman["value"] == pytest.approx(0.5)
    assert woman["z"] == pytest.approx(3.0984, abs=1e-4)  # see test_hiring_stats
    assert woman["p_fisher"] == pytest.approx(0.0034, abs=5e-5)
    assert woman["shortfall"] == 8
    assert (woman["ci_low"], woman["ci_high"]) == (pytest.approx(0.30143, abs=1e-5), pytest.approx(0.82937, abs=1e-5))
    assert woman["flagged"] and woman["significant"] and "below four-fifths" in woman["note"]
    assert "2 still in progress" in woman["note"] and "2 withdrew" in man["note"]


def test_exactly_four_fifths_is_not_flagged(con):
    df = compute_exact(con, "adverse_impact_ratio", by=["gender"])
    # interview: men 24 of 48 = 0.5; women 4 of 10 (2 still open) = 0.4 -> ratio exactly 0.8.
    # Non-binary 3 of 6 = 0.5 ties with men; the larger group is the reference.
    woman = row(df, "Woman", "interview")
    assert woman["reference_group"] == "Man"
    assert woman["value"] == pytest.approx(0.8)
    assert not woman["flagged"] and woman["shortfall"] == 0
    # z = 0.1 / sqrt(28/58 * 30/58 * (1/10 + 1/48)) = 0.1 / 0.173703 = 0.5757
    assert woman["z"] == pytest.approx(0.5757, abs=1e-4) and not woman["significant"]


def test_a_suppressed_group_is_never_the_reference_and_its_extras_are_blank(con):
    df = compute_exact(con, "adverse_impact_ratio", by=["gender"])
    # screen: Agender 3 < k=5 is hidden, so Non-binary (6 of 6 passed: the highest rate) is hidden
    # too (else 129 - 80 - 40 - 6 = 3 reveals Agender) - and must not become the reference
    nb, ag = row(df, "Non-binary", "screen"), row(df, "Agender", "screen")
    assert ag["suppressed"] and "n<k" in ag["note"]
    assert nb["suppressed"] and "cannot be recovered" in nb["note"]
    assert row(df, "Woman", "screen")["reference_group"] == "Man"
    extras = [
        "value",
        "numerator",
        "selection_rate",
        "z",
        "p_fisher",
        "p_holm",
        "shortfall",
        "flagged",
        "significant",
        "reference_group",
        "reference_rate",
        "pool_share",
    ]
    for r in (nb, ag):
        assert all(pd.isna(r[c]) for c in extras), r[extras]
    # bottom line: the same protection; men 20 of 76 are the reference, not Non-binary 3 of 6
    assert row(df, "Woman", "bottom line")["reference_group"] == "Man"
    assert row(df, "Non-binary", "bottom line")["suppressed"]


def test_bottom_line_rates_and_holm_over_the_breakdown(con):
    df = compute_exact(con, "adverse_impact_ratio", by=["gender"])
    woman = row(df, "Woman", "bottom line")
    # men hired 20 of 76 (32 + 24 rejected + 20 hired); women 3 of 37 (28 + 6 rejected + 3)
    assert (woman["numerator"], woman["n"]) == (3, 37)
    assert woman["value"] == pytest.approx((3 / 37) / (20 / 76))
    # Holm family: every published comparison of the gender breakdown, all stages together
    family = df[(df["dimensions"] == "gender") & df["p_fisher"].notna()]
    assert len(family) == 5  # applied, screen, interview (Woman, Non-binary), bottom line
    assert family["p_holm"].to_numpy() == pytest.approx(multipletests(family["p_fisher"].to_numpy(), method="holm")[1])


def test_stage_pass_rate_leaves_out_open_and_withdrawn(con):
    df = compute_exact(con, "stage_pass_rate", by=["gender"])
    woman, man = row(df, "Woman", "screen"), row(df, "Man", "screen")
    assert (woman["numerator"], woman["denominator"], woman["still_open"]) == (12, 40, 2)
    assert (man["denominator"], man["withdrew"], man["entered"]) == (80, 2, 82)
    assert row(df, "Woman", "offer")["suppressed"]  # 3 decided at the offer stage < 5
    overall = row(df, "All", "interview")
    # interview: 48 + 10 + 6 = 64 decided, 24 + 4 + 3 = 31 passed
    assert (overall["numerator"], overall["denominator"]) == (31, 64)


def test_withdrawals_can_count_as_rejections(tmp_path):
    folder = funnel_one().write(
        tmp_path / "data", {"privacy": {"k": 5}, "recruiting": {"withdrawn_counts_as_rejected": True}}
    )
    c = build_and_open(folder)
    try:
        man = row(compute_exact(c, "stage_pass_rate", by=["gender"]), "Man", "screen")
        assert (man["numerator"], man["denominator"]) == (48, 82)  # the 2 withdrawals now count
        sel = row(compute_exact(c, "selection_rate", by=["gender"]), "Man")
        assert (sel["numerator"], sel["denominator"]) == (20, 82)  # 76 + 2 + 4 withdrawn
    finally:
        c.close()


def test_selection_offer_acceptance_reach_share_and_source_mix(con):
    sel = compute_exact(con, "selection_rate", by=["gender"])
    assert (row(sel, "Man")["numerator"], row(sel, "Man")["denominator"]) == (20, 76)
    acc = compute_exact(con, "offer_acceptance_rate", by=["gender"])
    assert row(acc, "Man")["value"] == pytest.approx(20 / 24)  # 20 accepted, 4 declined
    assert row(acc, "Woman")["suppressed"]  # 3 + 1 answered offers < 5
    reach = compute_exact(con, "stage_reach_rate", by=["gender"])
    assert row(reach, "Man", "hired")["value"] == pytest.approx(20 / 82)
    # reached interview: 2 open there + 6 rejected there + 1 declined offer + 3 hired
    assert row(reach, "Woman", "interview")["numerator"] == 2 + 6 + 1 + 3
    share = compute_exact(con, "applicant_share", by=["gender"])
    assert row(share, "Man")["value"] == pytest.approx(82 / 133)
    mix = compute_exact(con, "source_mix", by=["gender"])
    men = mix[(mix["group"] == "Man")].set_index("source")
    # the 20 hired men came by referral, the other 62 from the job board
    assert men.loc["Referral", "value"] == pytest.approx(20 / 82) and men.loc["Referral", "n"] == 82
    assert men.loc["Job board", "numerator"] == 62
    # women: none by referral - a row with 0, not a missing row (the source tables line up)
    women = mix[(mix["group"] == "Woman")].set_index("source")
    assert women.loc["Referral", "numerator"] == 0 and women.loc["Job board", "value"] == 1.0
    # Agender (3) is hidden in every source table alike
    assert mix[mix["group"] == "Agender"]["suppressed"].all()


def test_source_mix_cannot_also_break_down_by_source(con):
    from pipelines.errors import UsageError

    with pytest.raises(UsageError, match="source"):
        compute_exact(con, "source_mix", by=["gender", "source"])


def test_stages_outside_the_configured_order_are_counted_and_reported(con):
    from pipelines.metrics import build_context

    issues = funnel_data_issues(con.cursor(), build_context(con)["config"])
    unknown = issues[issues["issue"].str.contains("not in recruiting.stage_order")].iloc[0]
    assert unknown["count"] == 2 and "'phone screen' (2)" in unknown["treatment"]
    overall = row(compute_exact(con, "stage_pass_rate"), "All", "screen")
    assert "2 stage records with a stage not in recruiting.stage_order" in overall["note"]


def all_pass_but_bottom_line() -> Recruiting:
    """Men 160: screen 80 pass, interview 40 of 80, offer 20 of 40 hired.
    Women 160: screen 72 pass, interview 32 of 72, offer 14 of 32 hired."""
    r = Recruiting()
    r.add(80, "Man", "screen", "rejected").add(40, "Man", "interview", "rejected")
    r.add(20, "Man", "offer", "rejected").add(20, "Man", "hired", "hired")
    r.add(88, "Woman", "screen", "rejected").add(40, "Woman", "interview", "rejected")
    r.add(18, "Woman", "offer", "rejected").add(14, "Woman", "hired", "hired")
    return r


def test_every_stage_passes_four_fifths_while_the_bottom_line_fails(tmp_path):
    c = build_and_open(all_pass_but_bottom_line().write(tmp_path / "data", {}))
    try:
        df = compute_exact(c, "adverse_impact_ratio", by=["gender"])
        # screen 0.45/0.5 = 0.9; interview (32/72)/(40/80) = 0.889; offer (14/32)/(20/40) = 0.875
        expected = {"applied": 1.0, "screen": 0.9, "interview": 0.8889, "offer": 0.875}
        for stage, ratio in expected.items():
            woman = row(df, "Woman", stage)
            assert woman["value"] == pytest.approx(ratio, abs=1e-4) and not woman["flagged"], stage
        # bottom line: (14/160) / (20/160) = 0.7 = 0.9 x 0.889 x 0.875
        bottom = row(df, "Woman", "bottom line")
        assert bottom["value"] == pytest.approx(0.7) and bottom["flagged"]
        assert bottom["shortfall"] == 2  # 0.8 x 20/160 x 160 = 16 selections needed, 14 made
    finally:
        c.close()


def test_the_two_percent_rule(tmp_path):
    """Men 150 (30 hired, 0.20), women 144 (27, 0.1875), non-binary 5 (2, 0.40): 5/299 = 1.7% of
    the pool. Stage order applied -> hired only (the order is a setting)."""
    r = Recruiting(stages=["applied", "hired"])
    r.add(120, "Man", "applied", "rejected").add(30, "Man", "hired", "hired")
    r.add(117, "Woman", "applied", "rejected").add(27, "Woman", "hired", "hired")
    r.add(3, "Non-binary", "applied", "rejected").add(2, "Non-binary", "hired", "hired")
    base = {"recruiting": {"stage_order": ["applied", "hired"]}}
    c = build_and_open(r.write(tmp_path / "two", base))
    try:
        df = compute_exact(c, "adverse_impact_ratio", by=["gender"])
        nb, woman = row(df, "Non-binary", "bottom line"), row(df, "Woman", "bottom line")
        # the highest rate, but under 2% of the pool: shown and compared, never the reference
        assert not nb["suppressed"] and nb["value"] == pytest.approx(2.0)
        assert "under 2% of the pool" in nb["note"]
        assert woman["reference_group"] == "Man" and woman["value"] == pytest.approx(0.9375)
    finally:
        c.close()
    r2 = {"recruiting": {"stage_order": ["applied", "hired"], "reference_min_share": 0.01}}
    c = build_and_open(r.write(tmp_path / "one", r2))
    try:
        woman = row(compute_exact(c, "adverse_impact_ratio", by=["gender"]), "Woman", "bottom line")
        # with a 1% minimum the non-binary group (1.7%) is the reference: 0.1875 / 0.4
        assert woman["reference_group"] == "Non-binary" and woman["value"] == pytest.approx(0.46875)
    finally:
        c.close()


def test_time_in_stage_censors_open_applications(tmp_path):
    """Interview entered by 7 men on known days: 4 advanced to offer after 2, 3, 5 and 9 days;
    3 are still in progress at the interview on the as-of date (2024-12-31), having waited
    8, 8 and 10 days. One more man was rejected at the interview (no exit date: left out)."""
    as_of = dt.date(2024, 12, 31)
    r = Recruiting(gap=4)
    for wait in (2, 3, 5, 9):
        r.add(1, "Man", "offer", "rejected", gaps=[4, 4, wait])
    for waited in (8, 8, 10):
        # applied so that the interview was entered `waited` days before the as-of date
        r.add(1, "Man", "interview", "in_progress", applied=as_of - dt.timedelta(days=waited + 8))
    r.add(1, "Man", "interview", "rejected")
    c = build_and_open(r.write(tmp_path / "data", {"privacy": {"k": 3}}))
    try:
        df = compute_exact(c, "time_in_stage", by=["gender"])
        man = row(df, "Man", "interview")
        # KM by hand (test_hiring_stats): median 9 days; dropping the open ones would give 5
        assert man["value"] == 9
        assert (man["n"], man["advanced"], man["still_open"], man["left_funnel"]) == (7, 4, 3, 1)
        assert "3 still open (censored)" in man["note"]
        assert row(df, "Man", "applied")["value"] == 4  # everyone moved on after 4 days
    finally:
        c.close()


def test_no_recruiting_files_means_no_data_error(tmp_path):
    from pipelines.metrics import NoDataError

    c = build_and_open(employees_folder(tmp_path / "hr_only", HR))
    try:
        with pytest.raises(NoDataError, match="hiring"):
            compute_exact(c, "adverse_impact_ratio", by=["gender"])
    finally:
        c.close()


def test_k_from_the_request_governs_the_extras(con):
    # interview at k=5: men 48, women 10, non-binary 6 decided - all shown, women compared.
    assert not math.isnan(row(compute_exact(con, "adverse_impact_ratio", by=["gender"]), "Woman", "interview")["z"])
    # at --k 10: non-binary (6) is hidden, and women (10, the next smallest) with it, else
    # 64 - 48 - 10 would give the 6 back. Their z, p and flag must go too, not only the ratio.
    df = compute_exact(con, "adverse_impact_ratio", by=["gender"], k=10)
    for group in ("Non-binary", "Woman"):
        r = row(df, group, "interview")
        assert r["suppressed"] and pd.isna(r["z"]) and pd.isna(r["p_holm"]) and pd.isna(r["flagged"])
    assert row(df, "Man", "interview")["value"] == 1.0
