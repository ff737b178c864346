"""Promotion rate against the eligible pool and the promotion impact ratio, on hand-made
folders. The rule cases are counted by hand; z, Fisher and the ratio interval are checked
against statsmodels and a hypergeometric sum written out here."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from pipelines.metrics._engine import unsuppressed_table
from tests.helpers import build_and_open, employees_folder
from tests.helpers import compute_exact

WINDOW = {"history_start": "2021-01-01", "as_of": "2021-12-31"}


def person(eid, gender, hire, term=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": "White",
        "birth_year": "1980",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": "voluntary" if term else "",
    }


def job(eid, date, level, reason):
    return {
        "employee_id": eid,
        "effective_date": date,
        "department": "Ops",
        "job_level": level,
        "fte": "1",
        "annual_base_salary": "50000",
        "currency": "USD",
        "change_reason": reason,
    }


RULE_PEOPLE = [
    person("P01", "Woman", "2018-01-01"),
    person("P02", "Woman", "2018-01-01"),
    person("P03", "Woman", "2019-01-01"),
    person("P04", "Woman", "2021-01-01"),
    person("P05", "Man", "2017-01-01"),
    person("P06", "Man", "2017-01-01"),
    person("P07", "Man", "2020-07-01"),
    person("P08", "Man", "2016-01-01", "2020-12-31"),
    person("P09", "Man", "2016-01-01"),
    person("P10", "Non-binary", "2015-01-01"),
    person("P11", "Woman", "2020-06-30"),
    person("P12", "Man", "2020-07-02"),
]
RULE_JOBS = [
    job("P01", "2018-01-01", "L1", "hire"),
    job("P01", "2021-03-01", "L2", "promotion"),
    job("P02", "2018-01-01", "L1", "hire"),
    job("P02", "2021-06-01", "L2", "transfer"),  # level up
    job("P03", "2019-01-01", "L2", "hire"),
    job("P03", "2021-04-01", "L2", "pay_change"),
    job("P04", "2021-01-01", "L1", "hire"),
    job("P04", "2021-09-01", "L2", "promotion"),  # not eligible
    job("P05", "2017-01-01", "L1", "hire"),
    job("P05", "2021-02-01", "L2", "promotion"),
    job("P05", "2021-10-01", "L3", "promotion"),  # twice: once
    job("P06", "2017-01-01", "L2", "hire"),
    job("P07", "2020-07-01", "L1", "hire"),
    job("P08", "2016-01-01", "L3", "hire"),
    job("P09", "2016-01-01", "L2", "hire"),
    job("P09", "2021-05-01", "L1", "transfer"),  # demotion
    job("P10", "2015-01-01", "L1", "hire"),
    job("P10", "2021-07-01", "L1", "Promotion"),  # reason counts
    job("P11", "2020-06-30", "L1", "hire"),
    job("P12", "2020-07-02", "L1", "hire"),
    job("P12", "2021-08-01", "L2", "promotion"),  # not eligible
]


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = employees_folder(
        tmp_path_factory.mktemp("promo") / "data",
        RULE_PEOPLE,
        RULE_JOBS,
        config={**WINDOW, "privacy": {"k": 3}, "job_levels": ["L1", "L2", "L3"]},
    )
    c = build_and_open(folder)
    yield c
    c.close()


def pick(df, group, dims=None):
    sel = df[df["group"] == group]
    if dims is not None:
        sel = sel[sel["dimensions"] == dims]
    assert len(sel) == 1, (group, df[["dimensions", "group"]])
    return sel.iloc[0]


def test_promotion_rule_eligible_pool_and_promotions(rules):
    df = unsuppressed_table(rules, "promotion_rate", by=["gender"])
    # eligible on 2021-01-01 with hire_date <= 2020-07-01: P01 P02 P03 P11 (women), P05 P06 P07 P09
    # (men), P10; not P04/P12 (too recent) or P08 (left 2020-12-31).
    # promoted: P01 (reason), P02 (L1 -> L2 on a transfer), P05 (twice, counted once), P10 (reason,
    # same level); not P03 (pay change), P09 (L2 -> L1).
    overall = pick(df, "All")
    assert (overall["numerator"], overall["denominator"]) == (4, 9)
    assert pick(df, "Woman")["value"] == pytest.approx(2 / 4)
    assert pick(df, "Man")["value"] == pytest.approx(1 / 4)
    lo, hi = proportion_confint(4, 9, method="wilson")
    assert (overall["ci_low"], overall["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_level_order_comes_from_config(tmp_path):
    # with levels ordered L3 < L2 < L1, P09's move L2 -> L1 is a promotion and P02's L1 -> L2 is not
    folder = employees_folder(
        tmp_path / "data",
        RULE_PEOPLE,
        RULE_JOBS,
        config={**WINDOW, "privacy": {"k": 3}, "job_levels": ["L3", "L2", "L1"]},
    )
    con = build_and_open(folder)
    overall = pick(unsuppressed_table(con, "promotion_rate"), "All")
    assert overall["numerator"] == 4  # P01, P05, P10 (reasons) and P09 (level up); P02 now not
    con.close()


def _ratio_people():
    """Women: 20 eligible, 8 promoted (0.40); men: 25 eligible, 5 promoted (0.20);
    Prefer not to say: 6 eligible, 1 promoted; Non-binary: 2 eligible, 1 promoted (0.50)."""
    groups = [("Woman", 20, 8), ("Man", 25, 5), ("Prefer not to say", 6, 1), ("Non-binary", 2, 1)]
    people, jobs = [], []
    for gender, size, promoted in groups:
        for i in range(size):
            eid = f"{gender[:2].upper()}{i:02d}"
            people.append(person(eid, gender, "2018-01-01"))
            jobs.append(job(eid, "2018-01-01", "L1", "hire"))
            if i < promoted:
                jobs.append(job(eid, "2021-05-01", "L2", "promotion"))
    return people, jobs


@pytest.fixture(scope="module")
def ratio_con(tmp_path_factory):
    people, jobs = _ratio_people()
    folder = employees_folder(
        tmp_path_factory.mktemp("ratio") / "data", people, jobs, config={**WINDOW, "privacy": {"k": 3}}
    )
    c = build_and_open(folder)
    yield c
    c.close()


def fisher_two_sided(a, n1, c, n2):
    """Sum of hypergeometric probabilities of tables no more likely than the observed one."""
    total, promoted = n1 + n2, a + c
    prob = lambda x: comb(n1, x) * comb(n2, promoted - x) / comb(total, promoted)  # noqa: E731
    observed = prob(a)
    return sum(prob(x) for x in range(max(0, promoted - n2), min(n1, promoted) + 1) if prob(x) <= observed * (1 + 1e-7))


def test_impact_ratio_against_the_highest_published_group(ratio_con):
    df = compute_exact(ratio_con, "promotion_impact_ratio", by=["gender"])
    # Non-binary (2) is below k and hides Prefer not to say (6) too; its 0.50 rate is the
    # highest but a hidden group cannot be the reference, so the reference is Woman (0.40)
    assert pick(df, "Non-binary")["suppressed"] and pick(df, "Prefer not to say")["suppressed"]
    woman, man = pick(df, "Woman"), pick(df, "Man")
    assert woman["note"] == "reference group" and woman["value"] == 1.0
    assert man["reference_group"] == "Woman"
    assert man["value"] == pytest.approx(0.20 / 0.40)
    z, p = proportions_ztest([5, 8], [25, 20])  # statsmodels, pooled variance
    assert man["z"] == pytest.approx(z, rel=1e-9)
    assert man["p_value_z"] == pytest.approx(p, rel=1e-9)
    assert man["p_value_fisher"] == pytest.approx(fisher_two_sided(5, 25, 8, 20), rel=1e-9)
    lo, hi = Table2x2(np.array([[5, 20], [8, 12]])).riskratio_confint()
    assert (man["ci_low"], man["ci_high"]) == (pytest.approx(lo, rel=1e-9), pytest.approx(hi, rel=1e-9))
    # by hand: log(0.5) -+ 1.96 * sqrt(1/5 - 1/25 + 1/8 - 1/20) = -0.6931 -+ 1.96 * sqrt(0.235)
    #          = -0.6931 -+ 0.9501 -> upper exp(0.2570) = 1.293
    assert man["ci_high"] == pytest.approx(np.exp(np.log(0.5) + 1.959964 * np.sqrt(0.235)), rel=1e-6)
    assert man["ci_high"] == pytest.approx(1.293, abs=5e-4)


def test_configured_reference_group(ratio_con, tmp_path):
    people, jobs = _ratio_people()
    folder = employees_folder(
        tmp_path / "data", people, jobs, config={**WINDOW, "privacy": {"k": 3}, "reference_groups": {"gender": "Man"}}
    )
    con = build_and_open(folder)
    woman = pick(compute_exact(con, "promotion_impact_ratio", by=["gender"]), "Woman")
    assert woman["reference_group"] == "Man" and woman["value"] == pytest.approx(2.0)
    con.close()


def test_ratios_are_never_published_for_hidden_groups(ratio_con):
    df = compute_exact(ratio_con, "promotion_impact_ratio", by=["gender"])
    hidden = df[df["suppressed"]]
    assert len(hidden) == 2
    for col in ("value", "z", "p_value_z", "p_value_fisher", "ci_low"):
        assert hidden[col].isna().all(), col
    assert hidden["reference_group"].isna().all()
