"""The differencing guard against hand-made differencing attacks (survey k = 10, the default).

44 respondents answer one belonging item (B1). Everyone answers 5 (favourable) except the
three Engineering L2 men, who answer 1:

    department  level  men  women
    Eng         L1      8     4
    Eng         L2      3     0      <- the 3 people an attacker wants to single out
    Ops         L1      6     5
    Ops         L2      7     7
    Ops         L3      2     2

Totals: Eng 15 (11 men, 4 women), Ops 29 (15 men, 14 women); L1 23, L2 17, L3 4; men 26,
women 18; all 44.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.families.voice.guard import DifferencingRefused, neighbour_views
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.test_voice_metrics import RESPONSE_COLS, hr_people
from tests.helpers import compute_exact

GROUPS = [
    ("Eng", "L1", "Man", 8),
    ("Eng", "L1", "Woman", 4),
    ("Eng", "L2", "Man", 3),
    ("Ops", "L1", "Man", 6),
    ("Ops", "L1", "Woman", 5),
    ("Ops", "L2", "Man", 7),
    ("Ops", "L2", "Woman", 7),
    ("Ops", "L3", "Man", 2),
    ("Ops", "L3", "Woman", 2),
]


def guard_folder(folder, config=None):
    """The survey above in a data folder (survey k 10, the default)."""
    employees_folder(
        folder, hr_people(), config={"history_start": "2020-01-01", "as_of": "2025-12-31", **(config or {})}
    )
    write_csv(
        folder / "voice" / "items.csv",
        ["item_id", "text", "construct", "reverse_scored"],
        [["B1", "I belong here.", "belonging", "false"]],
    )
    rows, i = [], 0
    for dept, level, gender, count in GROUPS:
        for _ in range(count):
            i += 1
            score = 1 if (dept, level) == ("Eng", "L2") else 5
            rows.append(
                {
                    "response_id": f"R{i:03d}",
                    "survey_id": "S1",
                    "survey_date": "2024-03-01",
                    "item_id": "B1",
                    "score": score,
                    "gender": gender,
                    "department": dept,
                    "job_level": level,
                }
            )
    write_csv(folder / "voice" / "survey_responses.csv", RESPONSE_COLS, rows)
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = guard_folder(tmp_path_factory.mktemp("guard") / "data")
    build_and_open(folder).close()
    return folder.parent / "data.duckdb"


@pytest.fixture()
def con(db):
    import duckdb

    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def overall(df):
    return df[df["group"] == "All"].iloc[0]


def test_department_minus_one_level_attack_is_refused(con):
    # The attack: "Eng" (15 respondents, 12 favourable) minus "Eng, level L1" (12 respondents,
    # 12 favourable) = the 3 Eng L2 men, 0 of 3 favourable. Both views pass ordinary
    # suppression (n 15 and 12 >= 10), so only comparing the two queries reveals them.
    parent = overall(compute_exact(con, "favourability", filters={"department": ["Eng"]}))
    assert not parent["suppressed"]
    assert (parent["n"], parent["numerator"]) == (15, 12)
    with pytest.raises(DifferencingRefused, match="without the filter on job_level") as err:
        compute_exact(con, "favourability", filters={"department": ["Eng"], "job_level": ["L1"]})
    assert "fewer than 10 respondents" in str(err.value)
    assert "12" not in str(err.value) and " 3 " not in str(err.value)  # the explanation leaks no count


def test_every_voice_metric_applies_the_guard(con):
    for name in ("item_favourability", "inclusion_index"):
        with pytest.raises(DifferencingRefused):
            compute_exact(con, name, filters={"department": ["Eng"], "job_level": ["L1"]})


def test_difference_hidden_in_a_breakdown_cell_is_refused(con):
    # "Ops" alone: 44 - 29 = 15 respondents outside it -> allowed.
    assert overall(compute_exact(con, "favourability", filters={"department": ["Ops"]}))["n"] == 29
    # "Ops by gender": women 18 overall vs 14 in Ops -> the 4 Eng women would be revealed.
    with pytest.raises(DifferencingRefused, match="group Woman"):
        compute_exact(con, "favourability", by=["gender"], filters={"department": ["Ops"]})


def test_taking_one_value_out_of_a_filter_is_checked(con):
    # job_level L1+L3 (27) vs L1 alone (23): the difference is the 4 L3 respondents, although
    # the complement of the request (L2, 17) is large.
    with pytest.raises(DifferencingRefused, match="job_level = L3 taken out of the filter"):
        compute_exact(con, "favourability", filters={"job_level": ["L1", "L3"]})


def test_views_whose_differences_are_zero_or_at_least_k_are_published(con):
    # Eng+Ops is everyone (difference 0 with no filter); taking Eng out leaves Ops (difference
    # 15), taking Ops out leaves Eng (29). By gender, "Ops by gender" would differ by 4 women,
    # but that view is itself refused (test above), so it cannot be used against this one.
    df = compute_exact(con, "favourability", by=["gender"], filters={"department": ["Eng", "Ops"]})
    assert overall(df)["n"] == 44
    assert df.loc[df["group"] == "Woman", "n"].iat[0] == 18
    # L1+L2: 40 respondents, 4 (L3) fewer than everyone -> refused; L2 alone: 27 outside -> ok
    with pytest.raises(DifferencingRefused):
        compute_exact(con, "favourability", filters={"job_level": ["L1", "L2"]})
    assert overall(compute_exact(con, "favourability", filters={"job_level": ["L2"]}))["n"] == 17


def test_neighbour_views_are_parents_and_one_value_fewer():
    views = {what: f for what, f in neighbour_views({"department": ["Eng"], "job_level": ["L1", "L2"]})}
    assert views == {
        "without the filter on department": {"job_level": ["L1", "L2"]},
        "without the filter on job_level": {"department": ["Eng"]},
        "without the filter on department and job_level": {},
        "with job_level = L1 taken out of the filter": {"department": ["Eng"], "job_level": ["L2"]},
        "with job_level = L2 taken out of the filter": {"department": ["Eng"], "job_level": ["L1"]},
    }


def test_cli_refuses_with_the_explanation_and_exit_code_2(db):
    result = CliRunner().invoke(
        main, ["metrics", "favourability", "--db", str(db), "--filter", "department=Eng", "--filter", "job_level=L1"]
    )
    assert result.exit_code == 2
    assert "refused to protect anonymity" in result.output
    gaps = CliRunner().invoke(main, ["voice", "gaps", "--db", str(db), "--by", "gender", "--filter", "department=Ops"])
    assert gaps.exit_code == 2 and "refused" in gaps.output


def test_a_filter_too_large_to_check_is_refused(tmp_path):
    # guard_max_views 2: "Ops" needs itself and its parent (2 views) -> checked and published;
    # "Eng, Ops" passes its parent (difference 0) but then needs its siblings "Eng" and "Ops"
    # (views 3 and 4) -> refused as too complex to check
    c = build_and_open(guard_folder(tmp_path / "data", {"voice": {"guard_max_views": 2}}))
    assert overall(compute_exact(c, "favourability", filters={"department": ["Ops"]}))["n"] == 29
    with pytest.raises(DifferencingRefused, match="voice.guard_max_views"):
        compute_exact(c, "favourability", filters={"department": ["Eng", "Ops"]})
    c.close()
