"""Voice metrics on a hand-made survey: every expected value is counted by hand in the comments.

Survey S1 (2024-03-01), items B1 (belonging), B2 (belonging, reverse-scored), F1 (fairness).
Favourable = 4 or 5 after flipping B2 (6 - score), so on B2 the answers 1 and 2 are favourable.

    resp  gender dept  B1  B2  F1   B1 fav  B2 fav(flipped)  F1 fav
    R01   Woman  Ops    5   1   4     y       y (5)           y
    R02   Woman  Ops    4   2   2     y       y (4)           n
    R03   Woman  Ops    3   4   5     n       n (2)           y
    R04   Woman  Lab    2   .   1     n       skipped         n
    R05   Woman  Lab    5   1   3     y       y (5)           n
    R06   Woman  Lab    .   3   .     skipped n (3)           skipped
    R07   Man    Ops    4   2   4     y       y (4)           y
    R08   Man    Ops    4   4   4     y       n (2)           y
    R09   Man    Ops    1   5   2     n       n (1)           n
    R10   Man    Lab    5   1   5     y       y (5)           y
    R11   Man    Lab    3   3   3     n       n (3)           n
    R12   Woman  Ops    .   .   .     (responded, skipped every item)

Survey S2 (answered 2025-03-01 to 2025-03-04): women R21-R26 answer B1 with 5,5,5,5,5,2 and
men R27-R31 with 4,4,1,2,3; everyone answers F1 with 4. R29-R31 answered on 2025-03-04.
"""

from __future__ import annotations

import datetime as dt

import pytest
from statsmodels.stats.proportion import proportion_confint

from pipelines.errors import DataError, EquityError, UsageError
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.helpers import compute_exact

RESPONSE_COLS = [
    "response_id",
    "survey_id",
    "survey_date",
    "item_id",
    "score",
    "gender",
    "race_ethnicity",
    "disability",
    "lgbtq",
    "department",
    "job_level",
    "tenure_band",
]
S1 = {  # response: (gender, department, B1, B2, F1); "" = skipped
    "R01": ("Woman", "Ops", 5, 1, 4),
    "R02": ("Woman", "Ops", 4, 2, 2),
    "R03": ("Woman", "Ops", 3, 4, 5),
    "R04": ("Woman", "Lab", 2, "", 1),
    "R05": ("Woman", "Lab", 5, 1, 3),
    "R06": ("Woman", "Lab", "", 3, ""),
    "R07": ("Man", "Ops", 4, 2, 4),
    "R08": ("Man", "Ops", 4, 4, 4),
    "R09": ("Man", "Ops", 1, 5, 2),
    "R10": ("Man", "Lab", 5, 1, 5),
    "R11": ("Man", "Lab", 3, 3, 3),
    "R12": ("Woman", "Ops", "", "", ""),
}
S2_B1 = {"R21": 5, "R22": 5, "R23": 5, "R24": 5, "R25": 5, "R26": 2, "R27": 4, "R28": 4, "R29": 1, "R30": 2, "R31": 3}
ITEMS = [
    {"item_id": "B1", "text": "I belong here.", "construct": "belonging", "reverse_scored": "false"},
    {"item_id": "B2", "text": "I feel like an outsider.", "construct": "Belonging", "reverse_scored": "true"},
    {"item_id": "F1", "text": "Decisions are fair.", "construct": "fairness", "reverse_scored": "false"},
]


def hr_people(n=12):
    return [
        {
            "employee_id": f"E{i:02d}",
            "gender": "Woman",
            "race_ethnicity": "White",
            "birth_year": "1985",
            "hire_date": "2015-01-01",
        }
        for i in range(n)
    ]


def survey_rows() -> list[dict]:
    rows = []
    for rid, (gender, dept, b1, b2, f1) in S1.items():
        for item, score in (("B1", b1), ("B2", b2), ("F1", f1)):
            rows.append(
                {
                    "response_id": rid,
                    "survey_id": "S1",
                    "survey_date": "2024-03-01",
                    "item_id": item,
                    "score": score,
                    "gender": gender,
                    "department": dept,
                    "job_level": "L1",
                }
            )
    for i, (rid, b1) in enumerate(S2_B1.items()):
        date = "2025-03-04" if rid in ("R29", "R30", "R31") else "2025-03-01"
        gender = "Woman" if i < 6 else "Man"
        for item, score in (("B1", b1), ("F1", 4)):
            rows.append(
                {
                    "response_id": rid,
                    "survey_id": "S2",
                    "survey_date": date,
                    "item_id": item,
                    "score": score,
                    "gender": gender,
                    "department": "Ops",
                    "job_level": "L1",
                }
            )
    return rows


def voice_folder_a(folder, responses=None, config=None):
    """The hand-made survey above (survey_k 5, so that these small groups are published)."""
    cfg = {"history_start": "2020-01-01", "as_of": "2025-12-31", "privacy": {"k": 3, "survey_k": 5}}
    employees_folder(folder, hr_people(), config={**cfg, **(config or {})})
    write_csv(folder / "voice" / "items.csv", ["item_id", "text", "construct", "reverse_scored"], ITEMS)
    write_csv(folder / "voice" / "survey_responses.csv", RESPONSE_COLS, responses or survey_rows())
    write_csv(
        folder / "voice" / "invited.csv",
        ["survey_id", "department", "invited"],
        [["S1", "Ops", 10], ["S1", "Lab", 8], ["S1", "Tiny", 3], ["S2", "Ops", 20]],
    )
    return folder


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_and_open(voice_folder_a(tmp_path_factory.mktemp("voice") / "data"))
    yield c
    c.close()


def row(df, group, **keys):
    sel = df[df["group"] == group]
    for col, value in keys.items():
        sel = sel[sel[col] == value]
    assert len(sel) == 1, (group, keys, df[["period", "group", *keys]])
    return sel.iloc[0]


def test_waves_are_the_periods(con):
    df = compute_exact(con, "favourability")
    waves = df.drop_duplicates("period")[["period", "period_start", "period_end"]]
    assert list(waves["period"]) == ["S1", "S2"]
    assert list(waves["period_start"]) == [dt.date(2024, 3, 1), dt.date(2025, 3, 1)]
    # S2 was answered over four days: its period ends on the last response date
    assert list(waves["period_end"]) == [dt.date(2024, 3, 1), dt.date(2025, 3, 4)]


def test_favourability_flips_reverse_scored_items_and_leaves_out_skips(con):
    df = compute_exact(con, "favourability", by=["gender"])
    women = row(df, "Woman", period="S1", construct="belonging")
    # B1 favourable: R01 R02 R05 (3 of 5 answered, R06 skipped); B2 flipped favourable
    # (scores 1-2): R01 R02 R05 (3 of 5 answered, R04 skipped) -> 6 / 10. Unflipped it would be
    # 3 + 1 (R03's 4) = 4 / 10. The construct label "Belonging" on B2 is read as belonging.
    assert (women["numerator"], women["denominator"]) == (6, 10)
    assert women["value"] == pytest.approx(0.6)
    assert women["n"] == 6  # R01-R06 answered a belonging item; R12 answered nothing
    men = row(df, "Man", period="S1", construct="belonging")
    # B1: R07 R08 R10 = 3/5; B2 flipped: R07 (2) R10 (1) = 2/5 -> 5/10
    assert (men["numerator"], men["denominator"], men["n"]) == (5, 10, 5)
    overall = row(df, "All", period="S1", construct="belonging")
    assert (overall["numerator"], overall["denominator"], overall["n"]) == (11, 20, 11)
    fairness = row(df, "Woman", period="S1", construct="fairness")
    # F1 women: R01 (4) R03 (5) favourable; R02 2, R04 1, R05 3 not; R06 skipped -> 2/5, n 5
    assert (fairness["numerator"], fairness["denominator"], fairness["n"]) == (2, 5, 5)


def test_interval_uses_respondents_as_the_sample_size(con):
    women = row(compute_exact(con, "favourability", by=["gender"]), "Woman", period="S1", construct="belonging")
    # p = 0.6 over n = 6 respondents: Wilson for 3.6 "successes" in 6 (statsmodels as second method)
    lo, hi = proportion_confint(0.6 * 6, 6, alpha=0.05, method="wilson")
    assert women["ci_low"] == pytest.approx(lo, abs=1e-9)
    assert women["ci_high"] == pytest.approx(hi, abs=1e-9)


def test_item_favourability_is_the_drill_down(con):
    df = compute_exact(con, "item_favourability")
    b1 = row(df, "All", period="S1", item_id="B1")
    # B1 favourable: R01 R02 R05 R07 R08 R10 = 6 of the 10 who answered (R06, R12 skipped)
    assert (b1["numerator"], b1["denominator"], b1["n"]) == (6, 10, 10)
    assert b1["construct"] == "belonging" and b1["item_text"] == "I belong here."
    b2 = row(df, "All", period="S1", item_id="B2")
    # B2 flipped favourable: R01 R02 R05 R07 R10 = 5 of 10 (R04, R12 skipped)
    assert (b2["numerator"], b2["denominator"]) == (5, 10)
    lo, hi = proportion_confint(5, 10, alpha=0.05, method="wilson")
    assert (b2["ci_low"], b2["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_inclusion_index_is_the_mean_of_construct_favourabilities(con):
    df = compute_exact(con, "inclusion_index", by=["gender"])
    # women: belonging 0.6, fairness 0.4 -> 0.5; men: 0.5 and F1 R07 R08 R10 = 0.6 -> 0.55;
    # all: belonging 11/20 = 0.55, fairness 5/10 = 0.5 -> 0.525 (not 16/30: constructs weigh equally)
    assert row(df, "Woman", period="S1")["value"] == pytest.approx(0.5)
    assert row(df, "Man", period="S1")["value"] == pytest.approx(0.55)
    assert row(df, "All", period="S1")["value"] == pytest.approx(0.525)
    assert row(df, "All", period="S1")["n"] == 11  # R12 answered nothing
    # S2 answered B1 and F1 only: women belonging 5/6, fairness 6/6 -> (5/6 + 1) / 2
    assert row(df, "Woman", period="S2")["value"] == pytest.approx((5 / 6 + 1) / 2)


def test_response_rate_uses_invited_counts_and_suppresses_small_departments(con):
    df = compute_exact(con, "response_rate", by=["department"])
    # S1 responses: Ops R01 R02 R03 R07 R08 R09 R12 = 7 of 10 invited (R12 skipped every item
    # but did respond); Lab R04 R05 R06 R10 R11 = 5 of 8; all 12 of 10 + 8 + 3 invited.
    overall = row(df, "All", period="S1")
    assert (overall["numerator"], overall["denominator"]) == (12, 21)
    assert overall["value"] == pytest.approx(12 / 21)
    ops = row(df, "Ops", period="S1")
    assert ops["value"] == pytest.approx(0.7) and ops["n"] == 7
    # Tiny: 3 invited, 0 responses -> n 0 < 5, suppressed; it is the only hidden cell of the
    # department line, so the next-smallest (Lab, 5) is hidden too, or Lab = All - Ops - Tiny
    # would give Tiny's count back.
    tiny, lab = row(df, "Tiny", period="S1"), row(df, "Lab", period="S1")
    assert tiny["suppressed"] and "n<k" in tiny["note"]
    assert lab["suppressed"] and "cannot be recovered" in lab["note"]
    assert lab[["value", "numerator", "denominator", "n"]].isna().all()


def test_from_and_to_select_waves(con):
    df = compute_exact(con, "favourability", date_from=dt.date(2025, 1, 1))
    assert set(df["period"]) == {"S2"}
    with pytest.raises(UsageError, match="no survey wave"):
        compute_exact(con, "favourability", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 12, 31))


def test_survey_k_cannot_go_below_five(con):
    with pytest.raises(UsageError, match="at least 5"):
        compute_exact(con, "favourability", k=4)


def test_a_response_whose_rows_disagree_stops_the_build(tmp_path):
    rows = survey_rows()
    rows[1] = {**rows[1], "gender": "Man"}  # R01's B2 row says Man, its other rows Woman
    folder = voice_folder_a(tmp_path / "data", responses=rows)
    with pytest.raises(EquityError, match=r"column 'gender': response_id 'R01' has different values"):
        build_and_open(folder)


def test_out_of_range_score_is_quarantined_not_dropped(tmp_path):
    rows = survey_rows()
    rows[0] = {**rows[0], "score": 7}  # R01 B1, line 2 of the file
    c = build_and_open(voice_folder_a(tmp_path / "data", responses=rows))
    q = c.execute(
        "SELECT line, column_name, raw_value, reason FROM quarantine WHERE file = 'voice/survey_responses.csv'"
    ).fetchall()
    assert q == [(2, "score", "7", "above the maximum 5")]
    stats = c.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined FROM manifest_files WHERE file = 'voice/survey_responses.csv'"
    ).fetchone()
    assert stats == (len(rows), len(rows) - 1, 1)


def test_two_surveys_starting_the_same_day_are_a_clear_error(tmp_path):
    rows = survey_rows() + [
        {
            "response_id": "X1",
            "survey_id": "S1-pulse",
            "survey_date": "2024-03-01",
            "item_id": "B1",
            "score": 4,
            "gender": "Woman",
        }
    ]
    c = build_and_open(voice_folder_a(tmp_path / "data", responses=rows))
    with pytest.raises(DataError, match="'S1' and 'S1-pulse' both start on 2024-03-01"):
        compute_exact(c, "favourability")


def test_waves_outside_the_data_window_are_listed_not_silently_lost(tmp_path):
    from click.testing import CliRunner
    from pipelines.cli import main

    folder = voice_folder_a(tmp_path / "data", config={"as_of": "2024-12-31"})
    build_and_open(folder).close()
    db = str(tmp_path / "data.duckdb")
    out = CliRunner().invoke(main, ["voice", "waves", "--db", db, "--format", "csv", "--exact"])
    assert out.exit_code == 0, out.output
    # S1: 12 responses (R01-R12), inside the window; S2: 11 responses, after as_of 2024-12-31
    notice = "exact figures for the data owner — not for publication"
    assert out.output.splitlines()[1:] == [
        f"{notice},S1,2024-03-01,2024-03-01,12,True",
        f"{notice},S2,2025-03-01,2025-03-04,11,False",
    ]
    # published: both waves listed, each size protected (within 2 of the truth, never below k)
    out = CliRunner().invoke(main, ["voice", "waves", "--db", db, "--format", "csv"])
    sizes = [int(line.split(",")[3]) for line in out.output.splitlines()[1:]]
    assert [line.split(",")[0] for line in out.output.splitlines()[1:]] == ["S1", "S2"]
    assert abs(sizes[0] - 12) <= 2 and abs(sizes[1] - 11) <= 2
    metrics = CliRunner().invoke(main, ["metrics", "favourability", "--db", db, "--format", "csv"])
    assert ",S1," in metrics.output and ",S2," not in metrics.output
