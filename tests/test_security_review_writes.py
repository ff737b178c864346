"""Issue 17, hole 4: review-log writes. Sign-in required when [auth] is configured; without
it writing is off unless EQUITY_REVIEW_WRITES=anyone; an entry never supersedes one recorded
by another identity (in the API and in the file itself); the log stays append-only and chained."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from dashboard.review_access import ANONYMOUS, ENV, write_access
from pipelines.families.commitments.review_log import ReviewLog, ReviewLogError
from dashboard.pages import page_path

TODAY = dt.date.today()


@pytest.fixture()
def log(tmp_path) -> ReviewLog:
    return ReviewLog(tmp_path / "equity.reviews.sqlite")


def add(log, recorded_by, verified, supersedes=None, decision="Continue") -> int:
    return log.append(
        "C1", TODAY, decision, "DEI committee", recorded_by, identity_verified=verified, supersedes=supersedes
    )


# --- who may write ---------------------------------------------------------------------------


def test_with_auth_only_a_signed_in_visitor_writes_under_their_sign_in():
    assert write_access(True, True, "ana@example.org", env={}) == write_access(
        True, True, "ana@example.org", env={ENV: "anyone"}
    )  # the switch changes nothing with auth
    got = write_access(True, True, "ana@example.org", env={})
    assert (got.allowed, got.recorder, got.verified) == (True, "ana@example.org", True)
    for signed_in, identity in ((False, None), (True, None), (False, "ana@example.org")):
        refused = write_access(True, signed_in, identity, env={ENV: "anyone"})
        assert not refused.allowed and "Sign in" in refused.reason


@pytest.mark.parametrize(
    "value, allowed", [(None, False), ("", False), ("no", False), ("1", False), ("anyone", True), (" Anyone ", True)]
)
def test_without_auth_writing_is_off_unless_switched_on(value, allowed):
    got = write_access(False, False, None, env={} if value is None else {ENV: value})
    assert got.allowed is allowed
    assert (got.recorder, got.verified) == (ANONYMOUS, False)
    if not allowed:
        assert ENV in got.reason


# --- supersedes only your own entry ----------------------------------------------------------


def test_an_anonymous_entry_cannot_supersede_a_signed_in_reviewers(log):
    first = add(log, "ana@example.org", True)
    with pytest.raises(ReviewLogError, match="only they can correct it"):
        add(log, ANONYMOUS, False, supersedes=first, decision="Back-dated overwrite")
    assert list(log.current()["decision"]) == ["Continue"]


def test_another_signed_in_identity_cannot_supersede(log):
    first = add(log, "ana@example.org", True)
    with pytest.raises(ReviewLogError, match="recorded by ana@example.org"):
        add(log, "bob@example.org", True, supersedes=first)
    # nor someone typing the same name without signing in
    with pytest.raises(ReviewLogError):
        add(log, "ana@example.org", False, supersedes=first)


def test_a_signed_in_reviewer_cannot_supersede_an_anonymous_entry(log):
    first = add(log, ANONYMOUS, False)
    with pytest.raises(ReviewLogError):
        add(log, "ana@example.org", True, supersedes=first)


def test_the_author_can_correct_their_own_entry_and_the_chain_holds(log):
    first = add(log, "ana@example.org", True)
    second = add(log, "ana@example.org", True, supersedes=first, decision="Escalate")
    assert list(log.current()["entry_id"]) == [second]
    assert log.verify() == []


def test_the_file_itself_refuses_a_cross_identity_correction(log):
    first = add(log, "ana@example.org", True)
    con = sqlite3.connect(log.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="same identity"):
            con.execute(
                "INSERT INTO review_entries (entry_id, commitment_id, review_date, decision, "
                "next_step, reviewed_by, recorded_by, identity_verified, recorded_at, supersedes, "
                "prev_hash, row_hash) VALUES (2, 'C1', '2020-01-01', 'x', '', 'y', 'mallory', 1, "
                "'2020-01-01T00:00:00+00:00', ?, 'p', 'h')",
                [first],
            )
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # still append-only
            con.execute("UPDATE review_entries SET recorded_by = 'mallory'")
    finally:
        con.close()
    assert log.verify() == []


# --- the dashboard page ----------------------------------------------------------------------


@pytest.mark.slow
def test_the_page_offers_no_form_without_sign_in_or_the_switch(sample_db, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    db = Path(shutil.copy(sample_db, tmp_path / "sample.duckdb"))
    monkeypatch.setenv("EQUITY_DB", str(db))
    monkeypatch.delenv(ENV, raising=False)
    entry = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
    at = AppTest.from_file(entry, default_timeout=120).run()
    at.switch_page(page_path("commitments")).run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == "cm_review_save"]
    assert any(ENV in i.value and "off" in i.value for i in at.info)
    assert not (tmp_path / "sample.reviews.sqlite").exists()
    monkeypatch.setenv(ENV, "anyone")
    at = AppTest.from_file(entry, default_timeout=120).run()
    at.switch_page(page_path("commitments")).run()
    assert [b for b in at.button if b.key == "cm_review_save"]
