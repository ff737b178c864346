"""Golden tests of Egapro indicators 2 (raises), 3 (promotions), 2-3 (firms of 50 to 250) and 4
(return from maternity leave), from the decree's rules (Decret 2019-15, Annexes I and II) and the
Ministry simulator's own test vectors (SocialGouv/egapro packages/simulateur/src/tests/
calculsEgaProIndicateur{Deux,Trois,DeuxTrois,Quatre}.test.ts and the DeuxTrois snapshot), plus
hand calculations - numbers and rules only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.families.pay.statutory.egapro import grid_score, index_score
from pipelines.families.pay.statutory.egapro_careers import (
    Ind1,
    RateGroup,
    catch_up,
    indicator2_3,
    indicator4,
    rate,
    rate_gap,
    rate_indicator,
)
from pipelines.rules import load_pack

D = Decimal
PACK = load_pack("fr_egapro_2019")
SPEC = PACK.spec
SHARE = D(str(SPEC["calculable_share"]))


def test_a_category_counts_with_ten_women_and_ten_men():
    # calculerValiditeGroupe10
    for women, men in ((0, 0), (1, 1), (4, 6), (9, 10), (11, 8)):
        assert not RateGroup("x", women, men, 0, 0, SPEC["rate_group_min_per_sex"]).valid
    for women, men in ((10, 10), (11, 10), (11, 21)):
        assert RateGroup("x", women, men, 0, 0, SPEC["rate_group_min_per_sex"]).valid


def test_rate_gap_is_men_minus_women_to_six_decimals():
    # calculerEcartTauxAugmentation(women, men)
    cases = {
        ("0", "0"): "0",
        ("0.12", "0.12"): "0",
        ("0.12", "0.19"): "0.07",
        ("0.2", "0.3"): "0.1",
        ("0.28", "0.215"): "-0.065",
        ("0.25", "0.5"): "0.25",
    }
    for (women, men), want in cases.items():
        assert rate_gap(D(women), D(men)) == D(want)
    assert rate_gap(None, D(3)) is None and rate_gap(D(1), None) is None
    assert rate_gap(D(-1), D(2)) is None and rate_gap(D(4), D(-2)) is None


def _groups(total: int, valid: int, women_yes: int = 0, men_yes: int = 0) -> list[RateGroup]:
    """A valid category of `valid` people (half each sex) and an invalid one holding the rest."""
    half = valid // 2
    return [RateGroup("valid", half, valid - half, women_yes, men_yes), RateGroup("small", 9, total - valid - 9, 0, 0)]


def test_calculable_with_forty_percent_coverage_and_some_raise():
    # estCalculable(presence, total, valid, women's rate, men's rate)
    grid = SPEC["indicator2_grid"]
    assert not rate_indicator(_groups(100, 40), SHARE, grid).calculable  # nobody raised
    for total, valid in ((100, 39), (500, 199), (600, 200)):
        assert not rate_indicator(_groups(total, valid, 2, 3), SHARE, grid).calculable
    for total, valid in ((100, 40), (500, 400), (1000, 400), (700, 350)):
        assert rate_indicator(_groups(total, valid, 2, 3), SHARE, grid).calculable
    assert rate_indicator(_groups(500, 400, 12, 0), SHARE, grid).calculable  # women only raised


def test_indicator_gap_in_percentage_points():
    # ecartAugmentation(true, 0.01 / 0.022 / 0.505) -> 1 / 2.2 / 50.5, with one valid category of
    # 1,000 women and 1,000 men whose rates differ by exactly that
    for men_yes, want in ((10, "1"), (22, "2.2"), (505, "50.5")):
        result = rate_indicator([RateGroup("all", 1000, 1000, 0, men_yes)], SHARE, SPEC["indicator2_grid"])
        assert result.gap_pct == D(want)


def test_indicator2_and_3_points():
    # calculerNote of indicators 2 and 3 (the absolute gap, rounded to one decimal first)
    two = {
        "0": 20,
        "0.1": 20,
        "0.5": 20,
        "1": 20,
        "2": 20,
        "2.1": 10,
        "3.2": 10,
        "4": 10,
        "5": 10,
        "5.1": 5,
        "7": 5,
        "7.1": 5,
        "8": 5,
        "10": 5,
        "10.1": 0,
        "13.2": 0,
        "50.5": 0,
        "-2": 20,
        "-0.5": 20,
        "2.09": 10,
        "2.06": 10,
        "2.05": 10,
        "2.04": 20,
        "2.01": 20,
    }
    three = {g: {20: 15, 10: 10, 5: 5, 0: 0}[p] for g, p in two.items()}
    assert {g: grid_score(D(g), SPEC["indicator2_grid"]) for g in two} == two
    assert {g: grid_score(D(g), SPEC["indicator3_grid"]) for g in three} == three


def test_catch_up_gives_full_points():
    # calculerNote(gap, indicator 1 points, sex favoured by indicator 1, by indicator 2):
    # H = men (a positive gap), F = women (negative)
    men, women = D(1), D(-1)
    one = lambda score, gap: Ind1(score, SPEC["max_points"]["indicator1"], gap)  # noqa: E731
    assert not catch_up(one(40, women), men)  # indicator 1 at 40: no catch-up
    assert not catch_up(one(36, men), men)  # same sex favoured
    assert catch_up(one(39, women), men) and catch_up(one(36, men), women) and catch_up(one(0, men), women)
    assert not catch_up(one(None, men), women) and not catch_up(one(36, men), D(0)) and not catch_up(None, men)


def test_indicator2_over_categories_by_hand():
    # ouvriers: 20 women (4 raised, 0.2), 30 men (15 raised, 0.5) -> gap 0.3, weight 50/70
    # -> 0.214286; employes: 10 women (5, 0.5), 10 men (3, 0.3) -> -0.2 x 20/70 -> -0.057143;
    # techniciens: 5 women, 40 men -> not valid. Valid 70 of 115 (>= 40%).
    # Sum 0.157143 -> 15.7143 points of gap in favour of men -> 0 points (over 10).
    groups = [
        RateGroup("ouvriers", 20, 30, 4, 15),
        RateGroup("employes", 10, 10, 5, 3),
        RateGroup("techniciens_agents_maitrise", 5, 40, 1, 10),
        RateGroup("ingenieurs_cadres", 0, 0, 0, 0),
    ]
    result = rate_indicator(groups, SHARE, SPEC["indicator2_grid"])
    assert (result.valid_total, result.total) == (70, 115)
    assert result.gap_pct == D("15.7143") and result.score == 0 and not result.correction
    # indicator 1 at 36 points in favour of women: the raises catch up -> 20 points
    caught = rate_indicator(groups, SHARE, SPEC["indicator2_grid"], Ind1(36, 40, D("-4.2")))
    assert caught.score == 20 and caught.correction
    # as indicator 3 (promotions) the same counts give 0, or 15 with the catch-up
    assert rate_indicator(groups, SHARE, SPEC["indicator3_grid"], Ind1(36, 40, D("-4.2"))).score == 15


def test_indicator2_3_grid_and_best_of_both():
    grid, minimum = SPEC["indicator2_3_grid"], SPEC["indicator2_3_min_per_sex"]
    # calculerBareme
    assert [grid_score(D(g), grid) for g in ("0", "2", "2.1", "5", "5.1", "10", "10.1", "100")] == [
        35,
        35,
        25,
        25,
        15,
        15,
        0,
        0,
    ]
    # the simulator's worked case: 30 women (2 raised) and 28 men (5 raised) -> rates 0.066667 and
    # 0.178571, gap 11.1905 points (0 points) = 3.1 employees of the smaller sex (25 points): 25
    r = indicator2_3(30, 28, 2, 5, minimum, grid)
    assert r.calculable and r.gap_pct == D("11.1905") and r.gap_employees == D("3.1")
    assert (r.score_pct, r.score_employees, r.score, r.correction) == (0, 25, 25, False)
    assert float(rate(2, 30)) == pytest.approx(0.06666666666666667) and float(rate(5, 28)) == pytest.approx(
        0.17857142857142858
    )
    # catch-up: indicator 1 at 39 in favour of women, raises in favour of men -> 35
    assert indicator2_3(30, 28, 2, 5, minimum, grid, Ind1(39, 40, D(-1))).score == 35
    assert indicator2_3(30, 28, 2, 5, minimum, grid, Ind1(40, 40, D(-1))).score == 25
    # fewer than 5 of a sex, or nobody raised: not calculable
    assert not indicator2_3(4, 28, 2, 5, minimum, grid).calculable
    assert not indicator2_3(30, 28, 0, 0, minimum, grid).calculable


def test_indicator4_full_points_only_at_100_percent():
    # calculerEcartNbSalarieesAugmentees(returns whose leave saw raises, raised) and calculerNote
    points = SPEC["max_points"]["indicator4"]
    for eligible, raised, pct, score in ((12, 6, "50", 0), (20, 15, "75", 0), (5, 5, "100", 15), (5, 0, "0", 0)):
        r = indicator4(eligible, raised, points)
        assert r.calculable and r.pct == D(pct) and r.score == score
    assert indicator4(3, 2, points).pct == D("66.667")
    assert not indicator4(0, 0, points).calculable and indicator4(0, 0, points).score is None
    with pytest.raises(ValueError):
        indicator4(10, 11, points)


def test_index_over_the_career_indicators():
    mx, minimum = SPEC["max_points"], SPEC["index_min_calculable_points"]
    # firms of 251 and more: 38 + 20 + 15 + 15 + 5 = 93 of 100
    assert index_score(
        {"indicator1": 38, "indicator2": 20, "indicator3": 15, "indicator4": 15, "indicator5": 5},
        mx,
        "251 a 999",
        minimum,
    ) == (93, 93, 100)
    # 50 to 250: indicator 2-3 replaces 2 and 3 (35 points); 4 not calculable -> 78 of 85 -> 92
    assert index_score(
        {"indicator1": 38, "indicator2_3": 35, "indicator4": None, "indicator5": 5}, mx, "50 a 250", minimum
    ) == (92, 78, 85)


def test_presence_counts_days_employed_and_not_on_leave():
    # Annexe I 1.1: employees absent more than half the period are left out. Period 2023 by hand:
    # overlapping leave 1 Jan - 31 Mar and 1 Mar - 30 Apr = 120 days once -> 365 - 120 = 245;
    # leave ongoing from 1 Oct -> 92 days away -> 273; hired 1 Jul -> 184 days employed
    import datetime as dt
    from pipelines.families.pay.statutory.egapro_data import present_days

    d = dt.date
    start, end = d(2022, 12, 31), d(2023, 12, 31)
    assert present_days(d(2020, 1, 1), start, end, []) == 365
    assert (
        present_days(d(2020, 1, 1), start, end, [(d(2023, 1, 1), d(2023, 3, 31)), (d(2023, 3, 1), d(2023, 4, 30))])
        == 245
    )
    assert present_days(d(2020, 1, 1), start, end, [(d(2023, 10, 1), None)]) == 273
    assert present_days(d(2023, 7, 1), start, end, [(d(2022, 6, 1), d(2023, 8, 1))]) == 184 - 32
    assert present_days(d(2024, 1, 1), start, end, []) == 0
