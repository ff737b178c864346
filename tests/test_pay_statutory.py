"""UK Gender Pay Gap / EU Art. 9 measures on hand-made data folders. Every expected value is
worked out by hand in the comments; hourly pay is written into the files as annual FTE
salary = hourly x 40 x 52.143 = hourly x 2085.72 (exact to the cent)."""

from __future__ import annotations

import random

import pytest

from pipelines.errors import DataError
from pipelines.metrics._engine import unsuppressed_table
from pipelines.families.pay.statutory.measures import statutory_measures
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.helpers import compute_exact

HOURS = 2085.72  # 40 hours x 52.143 weeks
WINDOW = {"history_start": "2024-01-01", "as_of": "2024-12-31"}


def person(eid, gender, race="White"):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": race,
        "birth_year": "1985",
        "hire_date": "2020-01-01",
    }


def job(eid, hourly=None, annual=None, currency="USD", family="Ops", level="L1", location="NY"):
    salary = f"{hourly * HOURS:.2f}" if hourly is not None else ("" if annual is None else f"{annual:.2f}")
    return {
        "employee_id": eid,
        "effective_date": "2020-01-01",
        "department": "Ops",
        "job_family": family,
        "job_level": level,
        "location": location,
        "fte": "1",
        "annual_base_salary": salary,
        "currency": currency,
        "performance_rating": "3",
        "change_reason": "hire",
    }


def row(df, group, **keys):
    sel = df[(df["group"] == group)]
    for col, value in keys.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1, (group, keys, df[["dimensions", "group"]])
    return sel.iloc[0]


# --- UK worked example ---------------------------------------------------------------------
# men hourly 10, 12, 16, 22, 30: mean 90/5 = 18, median 16
# women hourly 9, 10, 12, 14, 18: mean 63/5 = 12.6, median 12
# mean gap (18 - 12.6) / 18 = 30.0%; median gap (16 - 12) / 16 = 25.0%
MEN = [10, 12, 16, 22, 30]
WOMEN = [9, 10, 12, 14, 18]


@pytest.fixture(scope="module")
def uk(tmp_path_factory):
    people = [person(f"M{i}", "Man") for i in range(5)] + [person(f"W{i}", "Woman") for i in range(5)]
    jobs = [job(f"M{i}", h) for i, h in enumerate(MEN)] + [job(f"W{i}", h) for i, h in enumerate(WOMEN)]
    # one more woman with no salary on the snapshot (blank): counted, not dropped silently
    people.append(person("W9", "Woman"))
    jobs.append(job("W9"))
    folder = employees_folder(
        tmp_path_factory.mktemp("uk") / "data", people, jobs, config={**WINDOW, "privacy": {"k": 3}}
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_uk_worked_example_mean_and_median_gap(uk):
    mean = compute_exact(uk, "pay_gap_mean", by=["gender"])
    woman = row(mean, "Woman")
    assert woman["value"] == pytest.approx(30.0, abs=1e-9)
    assert woman["numerator"] == pytest.approx(12.6) and woman["denominator"] == pytest.approx(18.0)
    assert woman["n"] == 5 and woman["reference"] == "Man"
    assert row(mean, "Man")["value"] == 0
    median = compute_exact(uk, "pay_gap_median", by=["gender"])
    assert row(median, "Woman")["value"] == pytest.approx(25.0, abs=1e-9)


def test_employee_without_salary_is_counted_in_the_note(uk):
    overall = row(compute_exact(uk, "pay_gap_mean", by=["gender"]), "All")
    assert overall["n"] == 10
    assert "1 employee(s) active on 2024-12-31 without a recorded salary not included" in overall["note"]


def test_statutory_table_lists_the_worked_example(uk):
    table = statutory_measures(uk, "gender", k=3)
    mean = table[(table["measure"] == "Mean hourly pay gap") & (table["group"] == "Woman")].iloc[0]
    assert mean["value"] == pytest.approx(30.0) and mean["uk_measure"] == "1" and mean["eu_article_9_1"] == "(a)"


# --- bonus measures and quartiles with a tie at a boundary -------------------------------
# Per block of 8 people (the block is repeated 5 times: 40 employees, so every cell >= k = 3):
#   men hourly 10, 20, 20, 40; women hourly 10, 15, 20, 30.
# Ranked: 10 10 | 15 20 | 20 20 | 30 40 for one block; with 40 people the quartiles hold 10 each:
#   ranks 0-9  = the ten people on 10 (5 men, 5 women)                         -> Q1
#   ranks 10-14 = five women on 15                                            -> Q2
#   ranks 15-29 = fifteen people on 20 (10 men, 5 women), straddling Q2/Q3: 5 of the 15 ranks
#                 are in Q2 (1/3), 10 in Q3 (2/3) -> Q2 gets 10/3 men and 5/3 women,
#                 Q3 gets 20/3 men and 10/3 women
#   ranks 30-34 = five women on 30, ranks 35-39 = five men on 40              -> Q4
# Shares: Q1 women 5/10; Q2 women (5 + 5/3)/10 = 2/3; Q3 women (10/3)/10 = 1/3; Q4 women 1/2.
# Bonuses in the 12 months to 2024-12-31 (paid_date in 2024-01-01 .. 2024-12-31):
#   man on 10: 400 on 2024-01-01 + 600 on 2024-06-30 = 1000; man on 20 (first): 2000;
#   man on 40: 4000; man on 20 (second): 900 paid 2025-01-01 (after the snapshot: not counted)
#   woman on 10: 500; woman on 15: GBP 1000 at 1.5 = 1500;
#   woman on 20: 700 paid 2023-12-31 (exactly 12 months before: outside the window)
#   recipients per block: men 3 of 4 (75%), women 2 of 4 (50%)
#   mean: men (1000 + 2000 + 4000) / 3 = 2333.33, women (500 + 1500) / 2 = 1000
#     gap = (7000/3 - 1000) / (7000/3) = 4/7 = 57.142857%
#   median: men 5 x {1000, 2000, 4000} -> 2000; women 5 x {500, 1500} -> (500 + 1500) / 2 = 1000
#     gap = 50%
BLOCK_MEN = [10, 20, 20, 40]
BLOCK_WOMEN = [10, 15, 20, 30]


def _bonus_folder(path, seed=None):
    people, jobs, bonuses = [], [], []
    for b in range(5):
        for i, h in enumerate(BLOCK_MEN):
            people.append(person(f"M{b}{i}", "Man"))
            jobs.append(job(f"M{b}{i}", h))
        for i, h in enumerate(BLOCK_WOMEN):
            people.append(person(f"W{b}{i}", "Woman"))
            jobs.append(job(f"W{b}{i}", h))
        bonuses += [
            [f"M{b}0", "2024-01-01", "400.00", "USD", "annual"],
            [f"M{b}0", "2024-06-30", "600.00", "USD", "annual"],
            [f"M{b}1", "2024-03-15", "2000.00", "USD", "annual"],
            [f"M{b}2", "2025-01-01", "900.00", "USD", "annual"],
            [f"M{b}3", "2024-03-15", "4000.00", "USD", "annual"],
            [f"W{b}0", "2024-03-15", "500.00", "USD", "annual"],
            [f"W{b}1", "2024-03-15", "1000.00", "GBP", "annual"],
            [f"W{b}2", "2023-12-31", "700.00", "USD", "annual"],
        ]
    if seed is not None:  # the same people in another row order
        rng = random.Random(seed)
        for rows in (people, jobs, bonuses):
            rng.shuffle(rows)
    folder = employees_folder(path, people, jobs, config={**WINDOW, "as_of": "2025-01-01", "privacy": {"k": 3}})
    write_csv(folder / "hr" / "bonuses.csv", ["employee_id", "paid_date", "amount", "currency", "bonus_type"], bonuses)
    write_csv(
        folder / "reference" / "fx_rates.csv", ["currency", "month", "rate_to_reporting"], [["GBP", "2024-03", "1.5"]]
    )
    return folder


@pytest.fixture(scope="module")
def bonus(tmp_path_factory):
    con = build_and_open(_bonus_folder(tmp_path_factory.mktemp("bonus") / "data"))
    yield con
    con.close()


def _full_year(df):
    return df[df["period"] == "2024"]


def test_bonus_gaps_receipt_and_window(bonus):
    mean = _full_year(compute_exact(bonus, "bonus_gap_mean", by=["gender"]))
    assert row(mean, "Woman")["value"] == pytest.approx(400 / 7, abs=1e-9)
    assert row(mean, "Woman")["n"] == 10 and row(mean, "Man")["n"] == 15
    median = _full_year(compute_exact(bonus, "bonus_gap_median", by=["gender"]))
    assert row(median, "Woman")["value"] == pytest.approx(50.0, abs=1e-9)
    rate = _full_year(compute_exact(bonus, "bonus_receipt_rate", by=["gender"]))
    assert row(rate, "Man")["value"] == pytest.approx(0.75) and row(rate, "Woman")["value"] == pytest.approx(0.5)
    assert row(rate, "Woman")["denominator"] == 20


EXPECTED_WOMEN_SHARE = {"Q1 lower": 0.5, "Q2 lower middle": 2 / 3, "Q3 upper middle": 1 / 3, "Q4 upper": 0.5}


def test_quartiles_split_a_tie_at_the_boundary_in_proportion(bonus):
    table = _full_year(compute_exact(bonus, "pay_quartile_share", by=["gender"]))
    for quartile, share in EXPECTED_WOMEN_SHARE.items():
        women = row(table, "Woman", quartile=quartile)
        men = row(table, "Man", quartile=quartile)
        assert women["value"] == pytest.approx(share) and men["value"] == pytest.approx(1 - share)
        assert women["denominator"] == 10
    assert row(table, "Man", quartile="Q2 lower middle")["numerator"] == pytest.approx(10 / 3)


def test_quartiles_and_bonus_do_not_depend_on_row_order(bonus, tmp_path):
    shuffled = build_and_open(_bonus_folder(tmp_path / "shuffled", seed=7))
    try:
        for name in ("pay_quartile_share", "bonus_gap_mean", "bonus_gap_median", "pay_gap_median"):
            a = unsuppressed_table(bonus, name, by=["gender"])
            b = unsuppressed_table(shuffled, name, by=["gender"])
            assert a[["group", "value", "n"]].equals(b[["group", "value", "n"]]), name
    finally:
        shuffled.close()


def test_missing_fx_month_for_a_salary_names_currency_and_month(tmp_path):
    people = [person(f"M{i}", "Man") for i in range(3)]
    jobs = [job("M0", annual=50000, currency="GBP"), job("M1", 10), job("M2", 10)]
    folder = employees_folder(tmp_path / "fx", people, jobs, config={**WINDOW, "privacy": {"k": 3}})
    # GBP exists (the build's existence check passes) but not for December 2024
    write_csv(
        folder / "reference" / "fx_rates.csv", ["currency", "month", "rate_to_reporting"], [["GBP", "2024-01", "1.27"]]
    )
    con = build_and_open(folder)
    try:
        with pytest.raises(DataError, match=r"no FX rate for GBP in 2024-12"):
            compute_exact(con, "pay_gap_mean", by=["gender"])
    finally:
        con.close()


def test_gap_against_a_reference_group_below_k_is_not_shown(tmp_path):
    # 2 men (below k = 3), 4 non-binary people, 5 women. Complementary suppression hides the
    # men and the next-smallest cell (non-binary, 4); the women's row is published (n = 5) but
    # its gap would describe the two men, so it is blank with a note
    people = (
        [person(f"M{i}", "Man") for i in range(2)]
        + [person(f"N{i}", "Non-binary") for i in range(4)]
        + [person(f"W{i}", "Woman") for i in range(5)]
    )
    jobs = (
        [job("M0", 20), job("M1", 22)] + [job(f"N{i}", 18) for i in range(4)] + [job(f"W{i}", 15 + i) for i in range(5)]
    )
    con = build_and_open(employees_folder(tmp_path / "small", people, jobs, config={**WINDOW, "privacy": {"k": 3}}))
    try:
        df = compute_exact(con, "pay_gap_mean", by=["gender"])
        woman = row(df, "Woman")
        assert not woman["suppressed"] and woman["n"] == 5
        assert woman["value"] != woman["value"] and "fewer than 3 people" in woman["note"]
        assert row(df, "Man")["suppressed"]
    finally:
        con.close()


def test_department_stratifies_the_comparison(tmp_path):
    # department A: 3 men on 20, 3 women on 18 -> Woman|A vs Man|A: (20 - 18) / 20 = 10%
    # department B: 3 men on 40, 3 women on 30 -> Woman|B vs Man|B: (40 - 30) / 40 = 25%
    # (against all men, mean 30, Woman|A would instead show 40%)
    people, jobs = [], []
    for dept, men, women in (("A", 20, 18), ("B", 40, 30)):
        for i in range(3):
            people += [person(f"M{dept}{i}", "Man"), person(f"W{dept}{i}", "Woman")]
            jobs += [{**job(f"M{dept}{i}", men), "department": dept}, {**job(f"W{dept}{i}", women), "department": dept}]
    con = build_and_open(employees_folder(tmp_path / "dept", people, jobs, config={**WINDOW, "privacy": {"k": 3}}))
    try:
        df = compute_exact(con, "pay_gap_mean", by=["gender", "department"])
        assert row(df, "Woman|A")["value"] == pytest.approx(10.0) and row(df, "Woman|A")["reference"] == "Man|A"
        assert row(df, "Woman|B")["value"] == pytest.approx(25.0)
        # a department margin has no group to compare: mean pay and n only
        a = row(df, "A", dimensions="department")
        assert a["n"] == 6 and a["numerator"] == pytest.approx(19.0) and a["value"] != a["value"]
        # the gender margin compares across departments: women mean 24 vs men mean 30 -> 20%
        assert row(df, "Woman", dimensions="gender")["value"] == pytest.approx(20.0)
    finally:
        con.close()
