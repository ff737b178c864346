"""Survey-grade suppression: the survey threshold (privacy.survey_k = 10 by default, not
privacy.k = 5) with complementary cells, on a hand-made survey.

46 respondents answer B1 (belonging). By gender:

    group              n   favourable (score 5; the rest answer 2)
    Woman             14    9
    Man               12    6
    Not disclosed     11    5   (gender left blank)
    Prefer not to say  6    3
    Non-binary         3    2
"""

from __future__ import annotations

import pytest

from pipelines.metrics._suppression import COMPLEMENTARY, PRIMARY
from dashboard.narrative import suppressed_label
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.test_voice_metrics import RESPONSE_COLS, hr_people
from tests.helpers import compute_exact

GROUPS = [("Woman", 14, 9), ("Man", 12, 6), ("", 11, 5), ("Prefer not to say", 6, 3), ("Non-binary", 3, 2)]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voice_k") / "data"
    employees_folder(folder, hr_people(), config={"history_start": "2020-01-01", "as_of": "2025-12-31"})
    write_csv(
        folder / "voice" / "items.csv",
        ["item_id", "text", "construct", "reverse_scored"],
        [["B1", "I belong here.", "belonging", "false"]],
    )
    rows, i = [], 0
    for gender, count, favourable in GROUPS:
        for j in range(count):
            i += 1
            rows.append(
                {
                    "response_id": f"R{i:03d}",
                    "survey_id": "S1",
                    "survey_date": "2024-03-01",
                    "item_id": "B1",
                    "score": 5 if j < favourable else 2,
                    "gender": gender,
                }
            )
    write_csv(folder / "voice" / "survey_responses.csv", RESPONSE_COLS, rows)
    c = build_and_open(folder)
    yield c
    c.close()


def by_group(df):
    return df.set_index("group")


def test_survey_threshold_is_ten_not_the_hr_five(con):
    df = by_group(compute_exact(con, "favourability", by=["gender"]))
    # Prefer not to say (6) would be shown under privacy.k = 5; voice uses survey_k = 10
    assert df.loc["Prefer not to say", "suppressed"] and df.loc["Prefer not to say", "note"] == PRIMARY
    assert df.loc["Non-binary", "suppressed"] and df.loc["Non-binary", "note"] == PRIMARY


def test_complementary_cell_hides_the_next_smallest_group(con):
    df = by_group(compute_exact(con, "favourability", by=["gender"]))
    # the two primary cells hold 3 + 6 = 9 < 10 people: All - Woman - Man - Not disclosed
    # would give them away as one group of 9, so Not disclosed (11, the smallest shown) goes too
    assert df.loc["Not disclosed", "suppressed"] and df.loc["Not disclosed", "note"] == COMPLEMENTARY
    hidden = df[df["suppressed"]]
    assert hidden[["value", "numerator", "denominator", "n", "ci_low", "ci_high"]].isna().all().all()
    # published: Woman 9/14, Man 6/12, All 25/46 (9 + 6 + 5 + 3 + 2 favourable)
    assert df.loc["Woman", "value"] == pytest.approx(9 / 14) and df.loc["Woman", "n"] == 14
    assert df.loc["Man", "value"] == pytest.approx(6 / 12)
    assert (df.loc["All", "numerator"], df.loc["All", "n"]) == (25, 46)
    # the only recoverable figure is the union of the three hidden groups: 46 - 14 - 12 = 20 >= 10
    assert df.loc["All", "n"] - df.loc["Woman", "n"] - df.loc["Man", "n"] >= 10


def test_dashboard_says_fewer_than_k_or_protects_never_zero(con):
    df = by_group(compute_exact(con, "favourability", by=["gender"]))
    assert suppressed_label(df.loc["Non-binary", "note"], 10) == "fewer than 10"
    assert suppressed_label(df.loc["Not disclosed", "note"], 10) == "hidden (protects a smaller group)"


def test_a_stricter_k_is_honoured(con):
    df = by_group(compute_exact(con, "favourability", by=["gender"], k=13))
    assert df.loc["Man", "suppressed"] and df.loc["Man", "note"] == PRIMARY  # 12 < 13
    assert not df.loc["Woman", "suppressed"]  # 14 >= 13
