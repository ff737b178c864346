"""The committee review log: append-only (an edit is a new row; UPDATE and DELETE are refused
by the file itself, not only by the API), one correction per entry, concurrent writers all
stored, tampering detected, bad entries refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest

from pipelines.families.commitments.review_log import ReviewConflict, ReviewLog, ReviewLogError, review_log_name

TODAY = dt.date.today()


@pytest.fixture()
def log(tmp_path) -> ReviewLog:
    return ReviewLog(tmp_path / "equity.reviews.sqlite")


def add(log: ReviewLog, cid="C1", decision="Continue", **kw) -> int:
    return log.append(
        cid,
        kw.pop("review_date", TODAY),
        decision,
        kw.pop("reviewed_by", "DEI committee"),
        kw.pop("recorded_by", "not signed in"),
        **kw,
    )


def test_name_sits_beside_the_metrics_database():
    assert review_log_name("equity.duckdb") == "equity.reviews.sqlite"
    assert review_log_name("demo.duckdb") == "demo.reviews.sqlite"


def test_an_edit_is_a_new_row_and_the_original_stays(log):
    first = add(log, decision="Continue; report in March", next_step="CPO drafts plan")
    edit = add(log, decision="Continue; report in February", supersedes=first)
    other = add(log, cid="C2", decision="Escalate to the board")
    assert (first, edit, other) == (1, 2, 3)
    rows = log.entries().set_index("entry_id")
    assert rows.loc[1, "decision"] == "Continue; report in March"  # unchanged
    assert rows.loc[1, "next_step"] == "CPO drafts plan"
    assert rows.loc[1, "superseded_by"] == 2 and not rows.loc[1, "current"]
    assert rows.loc[2, "supersedes"] == 1 and rows.loc[2, "current"]
    assert list(log.current()["entry_id"]) == [2, 3]
    assert log.verify() == []


def test_update_and_delete_are_refused_by_the_file(log):
    add(log)
    con = sqlite3.connect(log.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE review_entries SET decision = 'Changed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("DELETE FROM review_entries")
    con.close()
    assert list(log.entries()["decision"]) == ["Continue"]
    # and the API offers no way to change or remove an entry
    assert not [m for m in dir(ReviewLog) if m.startswith(("update", "delete", "remove", "edit", "replace"))]


def test_one_correction_per_entry_and_only_within_a_commitment(log):
    first = add(log)
    add(log, decision="Corrected", supersedes=first)
    with pytest.raises(ReviewConflict, match="already corrected by entry 2"):
        add(log, decision="Corrected again from a stale screen", supersedes=first)
    other = add(log, cid="C2")
    with pytest.raises(ReviewLogError, match="not an entry of commitment C1"):
        add(log, cid="C1", supersedes=other)
    with pytest.raises(ReviewLogError, match="not an entry"):
        add(log, supersedes=99)
    assert len(log.entries()) == 3  # nothing stored by the refused attempts


@pytest.mark.parametrize(
    "kw,message",
    [
        ({"decision": "  "}, "decision is required"),
        ({"reviewed_by": ""}, "reviewed by is required"),
        ({"review_date": TODAY + dt.timedelta(days=1)}, "in the future"),
        ({"review_date": "31/12/2025"}, "not a date"),
        ({"decision": "x" * 2001}, "longer than 2000"),
    ],
)
def test_bad_entries_are_refused(log, kw, message):
    with pytest.raises(ReviewLogError, match=message):
        add(log, **kw)
    assert log.entries().empty


def test_two_reviewers_saving_at_once_are_both_stored(log):
    """Eight sessions save ten entries each, released together: every entry is stored once,
    ids are 1..80 without gaps, and the hash chain is intact (each write saw the one before)."""
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def reviewer(i: int) -> None:
        try:
            start.wait()
            for j in range(10):
                add(log, cid=f"C{i}", decision=f"decision {i}-{j}", reviewed_by=f"reviewer {i}")
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=reviewer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    rows = log.entries()
    assert list(rows["entry_id"]) == list(range(1, 81))
    assert sorted(rows["decision"]) == sorted(f"decision {i}-{j}" for i in range(8) for j in range(10))
    assert log.verify() == []


def test_two_concurrent_corrections_of_one_entry_keep_exactly_one(log):
    first = add(log)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def correct(text: str) -> None:
        start.wait()
        try:
            add(log, decision=text, supersedes=first)
            outcomes.append("saved")
        except ReviewConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=correct, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert len(log.current()) == 1 and log.current()["decision"].iat[0] in ("A", "B")


def test_a_change_made_around_the_triggers_is_detected(log):
    add(log)
    add(log, cid="C2", decision="Escalate")
    con = sqlite3.connect(log.path)
    con.execute("DROP TRIGGER review_entries_no_update")
    con.execute("UPDATE review_entries SET decision = 'Close' WHERE entry_id = 2")
    con.commit()
    con.close()
    assert log.verify() == ["entry 2: its content was changed after it was recorded"]


def test_a_row_removed_around_the_triggers_is_detected(log):
    for i in range(3):
        add(log, decision=f"d{i}")
    con = sqlite3.connect(log.path)
    con.execute("DROP TRIGGER review_entries_no_delete")
    con.execute("DELETE FROM review_entries WHERE entry_id = 2")
    con.commit()
    con.close()
    assert log.verify() == ["entry 3: the entry before it was changed or removed"]


def test_reading_a_missing_log_creates_nothing(tmp_path):
    log = ReviewLog(tmp_path / "none.reviews.sqlite")
    assert log.entries().empty and log.current().empty and log.verify() == []
    assert not log.path.exists()
