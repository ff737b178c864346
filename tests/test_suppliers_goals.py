"""Goals and grades: the SBA-style scale at every band boundary (including the binary
floating-point trap at 120%), settings validation, and goal progress read from the published
share (a hidden share is never graded)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.config import default_config
from pipelines.errors import DataError
from pipelines.families.suppliers.goals import (
    achievement_pct,
    configured_goals,
    goal_progress,
    grade_for,
    grade_scale,
    preset_config,
)
from tests.helpers import build_and_open
from tests.test_suppliers_metrics import cert, pay, procurement_folder, supplier

BANDS = grade_scale(default_config())


@pytest.mark.parametrize(
    "pct, grade",
    [
        ("120.00", "A+"),
        ("119.99", "A"),
        ("100.00", "A"),
        ("99.99", "B"),
        ("90.00", "B"),
        ("89.99", "C"),
        ("80.00", "C"),
        ("79.99", "D"),
        ("70.00", "D"),
        ("69.99", "F"),
        ("0.00", "F"),
        ("250.00", "A+"),
        ("-5.00", "F"),
    ],
)
def test_grade_bands_include_their_lower_boundary(pct, grade):
    # SBA scorecard: A+ >= 120%, A 100-119%, B 90-99%, C 80-89%, D 70-79%, F < 70%
    assert grade_for(Decimal(pct), BANDS) == grade


def test_a_boundary_hit_exactly_is_not_lost_to_floating_point():
    # 4.5% against a 5% goal is exactly 90% (B), but in binary floating point
    # 0.045 / 0.05 * 100 = 89.99999999999999, which a plain >= 90 comparison grades C
    assert 0.045 / 0.05 * 100 < 90
    assert achievement_pct(0.045, 0.05) == Decimal("90.00")
    assert grade_for(achievement_pct(0.045, 0.05), BANDS) == "B"
    assert grade_for(achievement_pct(0.207, 0.23), BANDS) == "B"  # the SBA small-business goal: 20.7 / 23
    assert grade_for(achievement_pct(0.06, 0.05), BANDS) == "A+"  # 6 / 5 = 120%


@pytest.mark.parametrize(
    "actual, goal, pct, grade",
    [
        (0.059998, 0.05, "120.00", "A+"),  # 119.996% rounds half up to 120.00
        (0.059997, 0.05, "119.99", "A"),  # 119.994% rounds to 119.99
        (0.0499975, 0.05, "100.00", "A"),  # 99.995% rounds up to 100.00
        (0.04, 0.05, "80.00", "C"),
    ],
)
def test_achievement_is_rounded_to_hundredths_of_a_point_before_grading(actual, goal, pct, grade):
    assert achievement_pct(actual, goal) == Decimal(pct)
    assert grade_for(achievement_pct(actual, goal), BANDS) == grade


def _config(**procurement):
    config = default_config()
    config["procurement"].update(procurement)
    return config


def test_sba_preset_ships_the_scorecard_goals():
    goals = configured_goals(_config(goal_preset="sba"))
    assert {(g.certification, g.target) for g in goals} == {
        ("SB", 0.23),
        ("SDB", 0.05),
        ("WOSB", 0.05),
        ("SDVOSB", 0.05),
        ("HUBZONE", 0.03),
    }
    assert configured_goals(default_config()) == []  # no goals unless configured


@pytest.mark.parametrize(
    "setting, message",
    [
        ({"goals": [{"certification": "MBE", "value": 5}]}, "procurement.goals[0]: value must be a share"),
        ({"goals": [{"certification": "MBE", "value": 0.05, "base": "payroll"}]}, "base must be one of"),
        ({"goals": [{"certification": "MBE", "value": 0.05, "due": "next year"}]}, "due must be a date"),
        ({"goal_preset": "nyc"}, "procurement.goal_preset 'nyc' is not one of: sba"),
        ({"grade_scale": [{"grade": "A", "min_pct": 100}]}, "lowest band with min_pct 0"),
    ],
)
def test_bad_goal_settings_name_the_setting(setting, message):
    with pytest.raises(DataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        config = _config(**setting)
        configured_goals(config)
        grade_scale(config)


# Goal progress end to end. 2024: total spend 1000 = MB1..MB3 (MBE) 50 each + N1..N5 170 each.
# MBE share = 150 / 1000 = 15%; a 12.5% goal -> 120% (A+); a 20% goal -> 75% (D);
# the WBE goal has nobody certified: 0% -> F, n = the 8 companies on the other side.
@pytest.fixture(scope="module")
def goals_con(tmp_path_factory):
    mbe = [f"MB{i}" for i in (1, 2, 3)]
    rest = [f"N{i}" for i in range(1, 6)]
    spend = [pay(f"T{s}", s, "2024-05-01", "50") for s in mbe] + [pay(f"T{s}", s, "2024-05-01", "170") for s in rest]
    goals = [
        {"certification": "MBE", "value": 0.125, "base": "total", "due": "2024-12-31"},
        {"certification": "mbe", "value": 0.20, "base": "total", "label": "MBE stretch"},
        {"certification": "WBE", "value": 0.05, "base": "total"},
    ]
    folder = procurement_folder(
        tmp_path_factory.mktemp("goals"),
        [supplier(s) for s in mbe + rest],
        [cert(s, "MBE", "2020-01-01") for s in mbe],
        spend,
        config={"procurement": {"goals": goals}},
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_goal_progress_grades_the_published_share(goals_con):
    from pipelines.metrics import build_context

    table = goal_progress(goals_con, build_context(goals_con)["config"], exact=True).set_index("goal")
    first = table.loc["MBE 12.5%"]
    assert first["actual"] == pytest.approx(0.15) and first["achievement_pct"] == 120.0
    assert first["grade"] == "A+" and first["status"] == "met (due 2024-12-31)"
    stretch = table.loc["MBE stretch"]
    assert stretch["achievement_pct"] == 75.0 and stretch["grade"] == "D" and stretch["status"] == "not met"
    wbe = table.loc["WBE 5%"]
    assert wbe["actual"] == 0 and wbe["grade"] == "F" and wbe["n"] == 8


def test_a_suppressed_share_gets_no_grade(goals_con):
    from pipelines.metrics import build_context

    config = build_context(goals_con)["config"]
    # k = 4: the MBE side has 3 companies, so the MBE share is hidden - and so is its grade
    table = goal_progress(goals_con, config, k=4, exact=True)
    mbe = table[table["certification"] == "MBE"]
    assert mbe["suppressed"].all() and (mbe["grade"] == "").all() and mbe["achievement_pct"].isna().all()
    assert mbe["actual"].isna().all()


def test_a_preset_can_be_previewed_without_a_rebuild(goals_con):
    from pipelines.metrics import build_context

    table = goal_progress(goals_con, preset_config(build_context(goals_con)["config"], "sba"), exact=True)
    assert set(table["certification"]) == {"SB", "SDB", "WOSB", "SDVOSB", "HUBZONE"}
    # nobody holds any of them: 0% of spend on each, F
    assert (table["actual"] == 0).all() and (table["grade"] == "F").all()
