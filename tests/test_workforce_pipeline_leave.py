"""Leaky pipeline (representation by level, pipeline index) and parental leave (uptake,
still employed 12 months after returning) on hand-made folders counted by hand."""

from __future__ import annotations

import pytest
from scipy import optimize, stats
from statsmodels.stats.proportion import proportion_confint

from pipelines.metrics._engine import NoDataError, unsuppressed_table
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.helpers import compute_exact


def person(eid, gender, hire="2015-01-01", term=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": "White",
        "birth_year": "1985",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": "voluntary" if term else "",
    }


LEVELS = {"L1": (6, 4), "L2": (3, 5), "L3": (1, 6)}  # (women, men) on 2021-12-31


@pytest.fixture(scope="module")
def pipeline_con(tmp_path_factory):
    people, jobs = [], []
    for level, (women, men) in LEVELS.items():
        for gender, count in (("Woman", women), ("Man", men)):
            for i in range(count):
                eid = f"{level}{gender[0]}{i}"
                people.append(person(eid, gender))
                jobs.append(
                    {
                        "employee_id": eid,
                        "effective_date": "2015-01-01",
                        "job_level": level,
                        "fte": "1",
                        "annual_base_salary": "1",
                        "currency": "USD",
                        "change_reason": "hire",
                    }
                )
    people.append(person("X1", "Man"))  # no level recorded -> Unknown: shown, never ranked
    jobs.append(
        {
            "employee_id": "X1",
            "effective_date": "2015-01-01",
            "job_level": "",
            "fte": "1",
            "annual_base_salary": "1",
            "currency": "USD",
            "change_reason": "hire",
        }
    )
    folder = employees_folder(
        tmp_path_factory.mktemp("pipe") / "data",
        people,
        jobs,
        config={
            "history_start": "2021-01-01",
            "as_of": "2021-12-31",
            "privacy": {"k": 3},
            "job_levels": ["L1", "L2", "L3"],
        },
    )
    c = build_and_open(folder)
    yield c
    c.close()


def cell(df, level, group):
    sel = df[(df["job_level"] == level) & (df["group"] == group)]
    assert len(sel) == 1, (level, group)
    return sel.iloc[0]


def test_representation_by_level(pipeline_con):
    df = compute_exact(pipeline_con, "representation_by_level", by=["gender"])
    assert cell(df, "L1", "Woman")["value"] == pytest.approx(6 / 10)
    assert cell(df, "L2", "Man")["value"] == pytest.approx(5 / 8)
    # X1's level is Unknown: its own table, where one person is below k even overall
    assert cell(df, "Unknown", "All")["suppressed"]
    assert cell(unsuppressed_table(pipeline_con, "representation_by_level"), "Unknown", "All")["numerator"] == 1
    lo, hi = proportion_confint(6, 10, method="wilson")
    assert cell(df, "L1", "Woman")["ci_low"] == pytest.approx(lo)
    # one woman at L3 (< k = 3) is hidden, and so are the men there (6 = 7 - 1 would give her away)
    assert cell(df, "L3", "Woman")["suppressed"] and cell(df, "L3", "Man")["suppressed"]


def test_pipeline_index_is_share_over_share_at_the_level_below(pipeline_con):
    df = compute_exact(pipeline_con, "pipeline_index", by=["gender"])
    # women: 3/8 at L2 vs 6/10 at L1 -> 0.375 / 0.6 = 0.625; men: 5/8 vs 4/10 -> 1.5625
    assert cell(df, "L2", "Woman")["value"] == pytest.approx(0.625)
    assert cell(df, "L2", "Man")["value"] == pytest.approx(1.5625)
    assert cell(df, "L2", "Man")["level_below"] == "L1"
    # L3 shares are hidden, so the L3 index is hidden for both groups
    assert cell(df, "L3", "Woman")["suppressed"] and cell(df, "L3", "Man")["suppressed"]
    assert set(df["job_level"]) == {"L2", "L3"}  # no index for L1 (lowest) or Unknown


def test_pipeline_index_is_hidden_when_the_share_below_is_hidden(pipeline_con):
    """Even with n large enough at the upper level: the index times the published upper share
    would reveal the hidden share below."""
    raw = unsuppressed_table(pipeline_con, "pipeline_index", by=["gender"])
    assert cell(raw, "L3", "Man")["value"] == pytest.approx((6 / 7) / (5 / 8))
    published = compute_exact(pipeline_con, "pipeline_index", by=["gender"], k=3)
    assert pd_isna(cell(published, "L3", "Man")["value"])


def pd_isna(x) -> bool:
    return x != x


LEAVE_PEOPLE = [
    person("W1", "Woman"),
    person("W2", "Woman", term="2022-03-15"),
    person("W3", "Woman", term="2022-07-01"),
    person("W4", "Woman"),
    person("W5", "Woman"),
    person("M1", "Man"),
    person("M2", "Man"),
    person("M3", "Man"),
]
LEAVES = [
    ["W1", "parental", "2021-02-01", "2021-05-31"],  # back 1 Jun 2021, checked 1 Jun 2022: employed
    ["W2", "parental", "2021-03-01", "2021-08-31"],  # checked 1 Sep 2022: left 15 Mar 2022
    ["W3", "parental", "2021-04-01", "2021-06-30"],  # checked 1 Jul 2022 = her last day: employed
    ["M1", "parental", "2021-05-01", "2021-05-14"],  # checked 15 May 2022: employed
    ["M2", "parental", "2021-06-01", "2022-07-15"],  # checked 16 Jul 2023 > as_of: not yet
    ["M3", "medical", "2021-07-01", "2021-08-01"],  # not parental
    ["W4", "Maternity", "2021-09-01", "2021-12-31"],  # a parental type (case-insensitive)
    ["W5", "parental", "2021-10-01", ""],  # still on leave
    ["M1", "parental", "2022-11-01", "2022-11-30"],  # 2022 cohort, not yet checkable
]


@pytest.fixture(scope="module")
def leave_con(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("leave") / "data",
        LEAVE_PEOPLE,
        config={"history_start": "2021-01-01", "as_of": "2023-06-30", "privacy": {"k": 3}},
    )
    write_csv(folder / "hr" / "leave.csv", ["employee_id", "leave_type", "start_date", "end_date"], LEAVES)
    c = build_and_open(folder)
    yield c
    c.close()


def year(df, period, group="All"):
    return df[(df["period"] == period) & (df["group"] == group)].iloc[0]


def test_parental_leave_uptake_per_head(leave_con):
    df = compute_exact(leave_con, "parental_leave_uptake", by=["gender"])
    # 2021: 7 parental starts (W1 W2 W3 M1 M2 W4 W5) among 8 people employed all year
    overall = year(df, "2021")
    assert (overall["numerator"], overall["denominator"]) == (7, 8)
    assert overall["value"] == pytest.approx(7 / 8)
    lo = optimize.brentq(lambda mu: stats.poisson.sf(6, mu) - 0.025, 1e-9, 50)
    assert overall["ci_low"] == pytest.approx(lo / 8, rel=1e-7)
    assert year(df, "2021", "Woman")["value"] == pytest.approx(5 / 5)
    assert year(df, "2021", "Man")["value"] == pytest.approx(2 / 3)


def test_return_after_leave_counts_only_leaves_followed_for_a_year(leave_con):
    df = compute_exact(leave_con, "return_after_leave_12m")
    r = year(df, "2021")
    # observed: W1 W2 W3 M1 W4 -> still employed: W1 W3 M1 W4 = 4 of 5; M2 and W5 waiting
    assert (r["numerator"], r["denominator"]) == (4, 5)
    assert "2 leave(s) still ongoing or returned less than 365 days" in r["note"]
    lo, hi = proportion_confint(4, 5, method="wilson")
    assert (r["ci_low"], r["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_leave_metrics_say_no_data_without_leave_file(tmp_path):
    folder = employees_folder(
        tmp_path / "data", LEAVE_PEOPLE, config={"history_start": "2021-01-01", "as_of": "2023-06-30"}
    )
    con = build_and_open(folder)
    with pytest.raises(NoDataError, match="hr/leave.csv"):
        compute_exact(con, "parental_leave_uptake")
    con.close()
