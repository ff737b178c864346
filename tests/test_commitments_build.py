"""Commitments end to end on a hand-made workforce whose numbers are worked out by hand:
checkpoint values and the persistence flags at +6 months, +12 months and later; a group below
the privacy threshold reads "not enough data to report"; the review log survives a rebuild
and counts as activity; the register is checked at build time with errors naming the file,
the line, the commitment and the field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from dashboard.families.commitments.narrative import checkpoint_table, register_table
from pipelines.build import build
from pipelines.commitments import ReviewLog, assess_register, parse_register, review_log_path, status_table
from pipelines.errors import DataError
from tests.helpers import employees_folder

pytestmark = pytest.mark.slow

# The workforce (k = 5). On every date: 30 men, 2 non-binary people, 5 who prefer not to say,
# 10 women; 10 more women are employed from 2021-03-01 to 2022-06-30. Representation is the
# share of headcount on the period's last day, so the women's share is
#   10/47 = 21.3% on 2020-12-31, 2021-01-01, 2023-01-01 and 2023-12-31,
#   20/57 = 35.1% on 2021-07-01, 2021-12-31 and 2022-01-01.
# Non-binary (2 people) is below k and hidden; Prefer not to say (5) is then hidden too, so
# that the 2 cannot be worked out from the total.
W_BEFORE, W_DURING = 10 / 47, 20 / 57

COMMITMENTS = """\
commitments:
  - id: W1
    title: Women hold 40% of all roles by the end of 2025
    announced: 2021-01-01
    owner: Chief People Officer
    metric: representation
    dimensions: gender
    group: Woman
    baseline_period: "2020"
    target: 0.40
    due: 2025-12-31
    status: in_progress
    actions:
      - {date: 2021-01-01, action: Announced}
      - {date: 2021-02-01, action: Recruitment campaign}
      - {date: 2021-05-01, action: Mentoring launched}
  - id: NB
    title: Non-binary colleagues are 10% of the workforce
    announced: 2021-01-01
    owner: Head of Inclusion
    metric: representation
    dimensions: gender
    group: Non-binary
    baseline_period: "2020"
    target: 0.10
    due: 2025-12-31
    status: in_progress
    actions:
      - {date: 2023-10-01, action: Network relaunched}
"""


def people(as_of: str) -> list[dict]:
    rows = []

    def add(prefix, n, gender, hire, term=""):
        for i in range(n):
            left = term if term and term <= as_of else ""  # nothing after the data's end
            rows.append(
                {
                    "employee_id": f"{prefix}{i:02d}",
                    "gender": gender,
                    "race_ethnicity": "White",
                    "birth_year": "1985",
                    "hire_date": hire,
                    "termination_date": left,
                    "termination_type": "voluntary" if left else "",
                    "regretted": "false" if left else "",
                }
            )

    add("M", 30, "Man", "2015-01-01")
    add("W", 10, "Woman", "2015-01-01")
    add("N", 2, "Non-binary", "2015-01-01")
    add("P", 5, "Prefer not to say", "2015-01-01")
    if as_of >= "2021-03-01":
        add("V", 10, "Woman", "2021-03-01", "2022-06-30")
    return rows


def folder(root: Path, as_of: str, commitments: str = COMMITMENTS) -> Path:
    f = employees_folder(
        root, people(as_of), config={"history_start": "2020-01-01", "as_of": as_of, "privacy": {"k": 5}}
    )
    (f / "commitments.yml").write_text(commitments, encoding="utf-8")
    return f


def assessed(tmp_path: Path, as_of: str, name: str = "equity"):
    db = tmp_path / f"{name}.duckdb"
    build(folder(tmp_path / f"data-{name}", as_of), db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {a.commitment.id: a for a in assess_register(con, exact=True)}, db
    finally:
        con.close()


@pytest.fixture(scope="module")
def at_end(tmp_path_factory):
    return assessed(tmp_path_factory.mktemp("end"), "2023-12-31")


def test_checkpoint_values_equal_the_hand_counts(at_end):
    w1 = at_end[0]["W1"]
    cps = w1.checkpoints.set_index("checkpoint")
    assert list(cps.index) == ["announcement", "+6 months", "+12 months", "+24 months", "now"]
    expected = {
        "announcement": W_BEFORE,
        "+6 months": W_DURING,
        "+12 months": W_DURING,
        "+24 months": W_BEFORE,
        "now": W_BEFORE,
    }
    for label, value in expected.items():
        assert cps.loc[label, "value"] == pytest.approx(value, abs=1e-12), label
    assert cps.loc["+6 months", "n"] == 20 and cps.loc["now", "n"] == 10
    # actions per interval: 2021-01-01 up to the announcement, 02-01 and 05-01 before +6, then none
    assert list(cps["actions"]) == [1, 2, 0, 0, 0]
    assert cps.loc["+12 months", "note"] == "no action or review since 2021-07-01"
    assert cps.loc["announcement", "window_start"] == dt.date(2020, 1, 2)


def test_persistence_flags_at_six_and_twelve_months_and_later(tmp_path, at_end):
    six, _ = assessed(tmp_path, "2021-07-01", "six")
    w1 = six["W1"]
    # +6: the last action (2021-05-01) is within 6 months; one checkpoint after the
    # announcement cannot show a return; only 2020 is a full year -> too early to project
    assert w1.flags == () and w1.assessment == "too early to project"
    reached = w1.checkpoints[w1.checkpoints["state"] != "not reached yet"]
    assert reached["checkpoint"].tolist() == ["announcement", "+6 months"]

    twelve, _ = assessed(tmp_path, "2022-01-01", "twelve")
    w1 = twelve["W1"]
    # +12: nothing since 2021-05-01, before 2021-07-01 -> no recent action; 35.1% at +6 and
    # at +12: the gain is held
    assert w1.flags == ("no recent action",)
    assert w1.assessment == "no recent action"
    assert "2021-05-01, 4 months after the announcement" in w1.reason

    w1 = at_end[0]["W1"]
    # later: back at 21.3% (the baseline) after 35.1% -> returned to baseline as well
    assert w1.flags == ("no recent action", "returned to baseline")
    assert w1.assessment == "no recent action"
    assert "35.1%" in w1.reason and "back to 21.3%" in w1.reason


def test_a_hidden_group_reads_not_enough_data_to_report(at_end):
    nb = at_end[0]["NB"]
    assert nb.assessment == "not enough data to report"
    assert nb.baseline is None and nb.latest is None and nb.projection is None
    row = status_table([nb]).iloc[0]
    assert pd.isna(row["baseline"]) and pd.isna(row["latest"]) and pd.isna(row["latest_n"])
    shown = register_table([nb]).iloc[0]
    assert shown["Baseline"] == shown["Latest"] == "not enough data to report"
    assert shown["Baseline n"] == shown["Latest n"] == shown["Latest 95% CI"] == ""
    cps = checkpoint_table(nb)
    assert set(cps["Value"]) == {"not enough data to report"} and set(cps["n"]) == {""}
    # the hidden share (2/47 = 4.3%) and count appear nowhere
    text = " ".join([nb.reason, *map(str, register_table([nb]).iloc[0]), *cps.astype(str).to_numpy().ravel()])
    assert "4.3%" not in text and "2/47" not in text


def test_the_review_log_survives_a_rebuild_and_counts_as_activity(tmp_path):
    data, db = folder(tmp_path / "data", "2023-12-31"), tmp_path / "equity.duckdb"
    build(data, db)
    con = duckdb.connect(str(db), read_only=True)
    path = review_log_path(con)
    assert path == tmp_path / "equity.reviews.sqlite"
    before = {a.commitment.id: a for a in assess_register(con, exact=True)}
    con.close()
    assert before["W1"].assessment == "no recent action"
    ReviewLog(path).append("W1", dt.date.today(), "Restart the campaign", "DEI committee", "not signed in")

    build(data, db)  # the metrics file is replaced ...
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert review_log_path(con) == path  # ... the log beside it is not
        entries = ReviewLog(path).entries()
        assert list(entries["decision"]) == ["Restart the campaign"] and ReviewLog(path).verify() == []
        w1 = {a.commitment.id: a for a in assess_register(con, exact=True)}["W1"]
        run = con.execute("SELECT run_id FROM run_manifest").fetchone()[0]
    finally:
        con.close()
    assert "no recent action" not in w1.flags and w1.last_activity == dt.date.today()
    assert w1.assessment == w1.progress  # the headline falls back to the progress label
    assert run and path.exists()


def test_progress_on_the_database_equals_statsmodels(at_end):
    """The projection of W1 (yearly values 2020-2023 from the database) against an OLS fit
    by statsmodels: the mean prediction at the due date and its 95% interval."""
    w1 = at_end[0]["W1"]
    full = w1.yearly[~w1.yearly["note"].str.contains("partial period")]
    assert list(full["value"]) == pytest.approx([W_BEFORE, W_DURING, W_BEFORE, W_BEFORE], abs=1e-12)
    x = np.array([pd.Timestamp(d).toordinal() / 365.25 for d in full["period_end"]])
    fit = sm.OLS(full["value"].to_numpy(float), sm.add_constant(x)).fit()
    pred = fit.get_prediction(np.array([[1.0, pd.Timestamp("2025-12-31").toordinal() / 365.25]]))
    low, high = pred.conf_int(alpha=0.05)[0]
    assert w1.projection["projected"] == pytest.approx(pred.predicted_mean[0], abs=1e-9)
    assert (w1.projection["projected_low"], w1.projection["projected_high"]) == pytest.approx((low, high), abs=1e-9)
    expected = "on track" if pred.predicted_mean[0] >= 0.40 else ("at risk" if high >= 0.40 else "off track")
    assert w1.progress == expected


def test_cli_prints_the_status_table(at_end):
    db = at_end[1]
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "commitments", "--db", str(db), "--format", "json", "--exact"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    assert "not for publication" in rows["W1"]["publication"]
    assert rows["W1"]["assessment"] == "no recent action" and rows["W1"]["baseline"] == pytest.approx(W_BEFORE)
    assert rows["NB"]["assessment"] == "not enough data to report" and rows["NB"]["baseline"] is None
    table = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "commitments", "--db", str(db)], capture_output=True, text=True
    )
    assert table.returncode == 0 and "W1: No recent action" in table.stdout


# --- errors -----------------------------------------------------------------------------------


def entry(**fields) -> str:
    base = {
        "id": "X1",
        "title": "t",
        "announced": "2021-01-01",
        "owner": "CPO",
        "metric": "representation",
        "dimensions": "gender",
        "group": "Woman",
        "baseline_period": '"2020"',
        "target": "0.4",
        "due": "2025-12-31",
        "status": "in_progress",
    }
    base.update(fields)
    body = "\n".join(f"    {k}: {v}" for k, v in base.items() if v is not None)
    return (
        "commitments:\n  - id: X0\n    title: fine\n    announced: 2021-01-01\n    owner: o\n"
        "    metric: headcount\n    baseline_period: '2020'\n    target: 50\n    due: 2025-12-31\n"
        "    status: planned\n  - " + body.lstrip()
    )


@pytest.mark.parametrize(
    "fields,field_name,words",
    [
        ({"metric": "representashun"}, "metric", "unknown metric 'representashun'"),
        ({"dimensions": "source"}, "dimensions", "cannot be broken down by source"),
        ({"announced": "2021-13-01"}, "announced", "is not a date"),
        ({"due": "2020-06-30"}, "due", "is not after the announcement"),
        ({"status": "ongoing"}, "status", "'ongoing' is not one of planned, in_progress, done, dropped"),
        ({"target": "40"}, "target", "give the target as a fraction"),
        ({"group": "[Woman, Black]"}, "group", "one group value per dimension"),
        ({"filters": "{shoe_size: [42]}"}, "filters", "cannot be filtered by shoe_size"),
        ({"metric": "diverse_spend_share", "dimensions": None, "group": None}, "keys", "one table per spend_base"),
        ({"owner": None}, "owner", "is required"),
        ({"targte": "0.4"}, "targte", "unknown field"),
        ({"id": "X0"}, "id", "used by an earlier commitment"),
    ],
)
def test_register_errors_name_file_line_commitment_and_field(fields, field_name, words):
    with pytest.raises(DataError) as err:
        parse_register(entry(**fields), source="data/commitments.yml")
    message = str(err.value)
    cid = fields.get("id", "X1")
    assert message.startswith(f"data/commitments.yml, line 11: commitment '{cid}', field '{field_name}'"), message
    assert words in message


def test_an_action_without_a_date_is_refused():
    text = entry(actions="\n      - {date: 2021-02-30, action: Launch}")
    with pytest.raises(DataError, match=r"field 'actions\[0\]\.date': '2021-02-30' is not a date"):
        parse_register(text)


@pytest.mark.parametrize(
    "fields,field_name,words",
    [
        ({"baseline_period": '"2015"'}, "baseline_period", "no period '2015' in the data; periods: 2020, 2021"),
        ({"group": "Womn"}, "group", "no group 'Womn' by gender in the data; groups: Man, Non-binary"),
        (
            {"metric": "diverse_spend_share", "dimensions": None, "group": None, "keys": "{spend_base: addressable}"},
            "metric",
            "needs suppliers data",
        ),
    ],
)
def test_build_checks_the_register_against_the_data_and_keeps_the_old_database(tmp_path, fields, field_name, words):
    data, db = folder(tmp_path / "data", "2023-12-31", COMMITMENTS), tmp_path / "equity.duckdb"
    build(data, db)
    (data / "commitments.yml").write_text(entry(**fields), encoding="utf-8")
    with pytest.raises(DataError) as err:
        build(data, db)
    message = str(err.value)
    assert f"commitments.yml, line 11: commitment 'X1', field '{field_name}'" in message, message
    assert words in message
    con = duckdb.connect(str(db), read_only=True)  # the previous build still serves, register included
    try:
        assert [r[0] for r in con.execute("SELECT id FROM commitments ORDER BY position").fetchall()] == ["W1", "NB"]
    finally:
        con.close()


def test_a_partial_baseline_and_an_unknown_event_are_refused(tmp_path):
    data = folder(tmp_path / "data", "2023-06-30", COMMITMENTS)
    for fields, words in (
        ({"baseline_period": '"2023"'}, "2023 is only partly covered"),
        ({"event": "Four-day week"}, "no event 'Four-day week' in reference/events.csv"),
    ):
        (data / "commitments.yml").write_text(entry(**fields), encoding="utf-8")
        with pytest.raises(DataError, match=words):
            build(data, tmp_path / "x.duckdb")


def test_a_folder_without_a_register_builds_as_before(tmp_path):
    f = employees_folder(
        tmp_path / "data", people("2023-12-31"), config={"history_start": "2020-01-01", "as_of": "2023-12-31"}
    )
    db = tmp_path / "plain.duckdb"
    result = build(f, db)
    assert "commitments.yml" not in [r["file"] for r in result.files]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert assess_register(con, exact=True) == [] and review_log_path(con) is None
    finally:
        con.close()
    assert not list(tmp_path.glob("*.reviews.sqlite"))


def test_the_register_file_is_in_the_run_manifest(at_end):
    con = duckdb.connect(str(at_end[1]), read_only=True)
    try:
        row = con.execute(
            "SELECT rows_in, rows_loaded, sha256 FROM manifest_files WHERE file = 'commitments.yml'"
        ).fetchone()
    finally:
        con.close()
    assert row[:2] == (2, 2)
    assert row[2] == hashlib.sha256(COMMITMENTS.encode("utf-8")).hexdigest()
