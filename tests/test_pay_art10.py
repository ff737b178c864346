"""EU Pay Transparency Art. 10: a category of workers with a gap of 5% or more (inclusive) is
flagged, decided in exact decimal arithmetic. Expected values by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.families.pay.statutory.measures import art10_assessment, exact_gap_flag
from tests.helpers import build_and_open, employees_folder


def test_exact_flag_at_and_around_the_boundary():
    # 5 men on 40,000 (sum 200,000) and 5 women on 38,000 (sum 190,000):
    # |200,000 x 5 - 190,000 x 5| x 100 = 5,000,000 >= 5 x 200,000 x 5 = 5,000,000 -> flagged, gap 5
    flagged, gap = exact_gap_flag(Decimal("200000.00"), 5, Decimal("190000.00"), 5, 5)
    assert flagged and gap == Decimal(5)
    # women on 38,000.01: gap (40,000 - 38,000.01) / 40,000 = 4.999975% -> not flagged
    flagged, gap = exact_gap_flag(Decimal("200000.00"), 5, Decimal("190000.05"), 5, 5)
    assert not flagged and gap == Decimal("4.999975")
    # women paid 5% more (42,000): |gap| = 5 -> flagged in the other direction
    flagged, gap = exact_gap_flag(Decimal("200000.00"), 5, Decimal("210000.00"), 5, 5)
    assert flagged and gap == Decimal(-5)
    # unequal head counts: men 3 x 50,000 (150,000), women 4 x 47,500 (190,000): means 50,000
    # and 47,500 -> gap exactly 5: |150,000 x 4 - 190,000 x 3| x 100 = 3,000,000 = 5 x 150,000 x 4
    assert exact_gap_flag(Decimal("150000"), 3, Decimal("190000"), 4, 5)[0]


def _person(eid, gender):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": "White",
        "birth_year": "1980",
        "hire_date": "2018-01-01",
    }


def _job(eid, level, salary):
    return {
        "employee_id": eid,
        "effective_date": "2018-01-01",
        "department": "Ops",
        "job_family": "Ops",
        "job_level": level,
        "location": "NY",
        "fte": "1",
        "annual_base_salary": salary,
        "currency": "USD",
        "performance_rating": "3",
        "change_reason": "hire",
    }


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    people, jobs = [], []
    # category -> (men's salary x 5, women's salary, number of women)
    plan = {
        "L1": ("40000.00", "38000.00", 5),  # exactly 5%: flagged (hourly floats give 4.99999...)
        "L2": ("40000.00", "38000.01", 5),  # 4.999975%: not flagged
        "L3": ("40000.00", "42000.00", 5),  # women 5% above: flagged
        "L4": ("40000.00", "30000.00", 2),
    }  # 25%, but only 2 women: never assessed
    for level, (men, women, n_women) in plan.items():
        for i in range(5):
            people.append(_person(f"M{level}{i}", "Man"))
            jobs.append(_job(f"M{level}{i}", level, men))
        for i in range(n_women):
            people.append(_person(f"W{level}{i}", "Woman"))
            jobs.append(_job(f"W{level}{i}", level, women))
    folder = employees_folder(
        tmp_path_factory.mktemp("art10") / "data",
        people,
        jobs,
        config={"history_start": "2024-01-01", "as_of": "2024-12-31", "privacy": {"k": 3}},
    )
    c = build_and_open(folder)
    yield c
    c.close()


def test_category_flags_on_a_built_database(con):
    table = art10_assessment(con, by=["gender"]).set_index("category")
    assert table.loc["Ops × L1", "flagged"] and table.loc["Ops × L1", "exact_gap_pct"] == "5.0000"
    assert "(n = 5)" in table.loc["Ops × L1", "reason"] and "5.00% below Man" in table.loc["Ops × L1", "reason"]
    assert not table.loc["Ops × L2", "flagged"] and table.loc["Ops × L2", "reason"] == ""
    assert table.loc["Ops × L3", "flagged"] and "above Man" in table.loc["Ops × L3", "reason"]
    # the category with 2 women is suppressed, so it is neither listed nor flagged
    assert "Ops × L4" not in table.index
    assert set(table["component"]) == {"basic"}  # no bonuses file: no variable component
