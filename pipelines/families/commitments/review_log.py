"""The committee review log: dated entries per commitment (decision, next step, who reviewed),
written from the dashboard into a small SQLite file beside the metrics database.

Why a separate SQLite file: the metrics database is replaced by every build and opened
read-only, while the log must survive rebuilds and take writes from several dashboard
sessions (threads or processes) at once. SQLite locks the file for each write (BEGIN
IMMEDIATE, waiting up to BUSY_SECONDS for another writer), so two reviewers saving at the same
moment are stored one after the other, never lost.

Append-only: this API has no update or delete, and triggers stored in the file refuse UPDATE
and DELETE from any client. An edit is a new row whose `supersedes` names the entry it
corrects; an entry can be superseded once, so a second edit made from a stale screen is
refused instead of silently replacing a correction its author has not seen, and only by the
identity that recorded it (same `recorded_by` and `identity_verified`). Each row carries
a SHA-256 over its content and the previous row's hash; `verify()` recomputes the chain and
reports rows changed or removed by editing the file around the triggers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pandas as pd

from ...db import has_table, scalar
from ...errors import EquityError

BUSY_SECONDS = 15
GENESIS = "0" * 64
LIMITS = {"commitment_id": 40, "decision": 2000, "next_step": 1000, "reviewed_by": 200, "recorded_by": 200}
COLUMNS = [
    "entry_id",
    "commitment_id",
    "review_date",
    "decision",
    "next_step",
    "reviewed_by",
    "recorded_by",
    "identity_verified",
    "recorded_at",
    "supersedes",
    "prev_hash",
    "row_hash",
]
_HASHED = COLUMNS[:-2]

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_entries (
    entry_id INTEGER PRIMARY KEY,
    commitment_id TEXT NOT NULL CHECK (length(commitment_id) BETWEEN 1 AND 40),
    review_date TEXT NOT NULL CHECK (review_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    decision TEXT NOT NULL CHECK (length(trim(decision)) > 0),
    next_step TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL CHECK (length(trim(reviewed_by)) > 0),
    recorded_by TEXT NOT NULL,
    identity_verified INTEGER NOT NULL CHECK (identity_verified IN (0, 1)),
    recorded_at TEXT NOT NULL,
    supersedes INTEGER REFERENCES review_entries (entry_id),
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL UNIQUE
);
CREATE UNIQUE INDEX IF NOT EXISTS review_entries_one_correction
    ON review_entries (supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS review_entries_no_update BEFORE UPDATE ON review_entries
BEGIN SELECT RAISE(ABORT, 'the review log is append-only: add an entry that supersedes this one'); END;
CREATE TRIGGER IF NOT EXISTS review_entries_no_delete BEFORE DELETE ON review_entries
BEGIN SELECT RAISE(ABORT, 'the review log is append-only: entries cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS review_entries_same_commitment BEFORE INSERT ON review_entries
WHEN NEW.supersedes IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM review_entries WHERE entry_id = NEW.supersedes AND commitment_id = NEW.commitment_id)
BEGIN SELECT RAISE(ABORT, 'an entry can only supersede an earlier entry of the same commitment'); END;
CREATE TRIGGER IF NOT EXISTS review_entries_same_identity BEFORE INSERT ON review_entries
WHEN NEW.supersedes IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM review_entries WHERE entry_id = NEW.supersedes AND recorded_by = NEW.recorded_by
    AND identity_verified = NEW.identity_verified)
BEGIN SELECT RAISE(ABORT, 'an entry can only supersede one recorded by the same identity'); END;
"""


class ReviewLogError(EquityError):
    """A review entry that cannot be stored (missing field, date in the future, ...)."""


class ReviewConflict(ReviewLogError):
    """The entry being corrected was already corrected by someone else."""


def review_log_name(db_name: str) -> str:
    """`equity.duckdb` -> `equity.reviews.sqlite` (the file the build names in commitments_meta)."""
    return f"{Path(db_name).stem}.reviews.sqlite"


def review_log_path(con) -> Path | None:
    """The review log of the metrics database `con` reads: the name stored by the build, in
    the folder of the database file (the dashboard reads through a link in that folder).
    None when the run has no register or the database is not a file."""
    if not has_table(con, "commitments_meta"):
        return None
    db_file = scalar(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    if not db_file:
        return None
    return Path(db_file).resolve().parent / scalar(con, "SELECT review_log_name FROM commitments_meta")


def _row_hash(prev_hash: str, row: dict) -> str:
    payload = json.dumps([prev_hash] + [row[c] for c in _HASHED], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _text(value, name: str, required: bool = True) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise ReviewLogError(f"{name.replace('_', ' ')} is required")
    if len(text) > LIMITS[name]:
        raise ReviewLogError(f"{name.replace('_', ' ')} is longer than {LIMITS[name]} characters")
    return text


class ReviewLog:
    """Append and read entries of one log file. No method changes or removes an entry."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are the explicit BEGIN IMMEDIATE ... COMMIT below
        con = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        return con

    def append(
        self,
        commitment_id: str,
        review_date: dt.date | str,
        decision: str,
        reviewed_by: str,
        recorded_by: str,
        next_step: str = "",
        identity_verified: bool = False,
        supersedes: int | None = None,
    ) -> int:
        """Store one entry (a correction when `supersedes` names an earlier one); its id."""
        try:
            day = review_date if isinstance(review_date, dt.date) else dt.date.fromisoformat(str(review_date))
        except ValueError:
            raise ReviewLogError(f"review date {review_date!r} is not a date (YYYY-MM-DD)") from None
        if day > dt.date.today():
            raise ReviewLogError(f"review date {day} is in the future; record a review once it has happened")
        row = {
            "commitment_id": _text(commitment_id, "commitment_id"),
            "review_date": day.isoformat(),
            "decision": _text(decision, "decision"),
            "next_step": _text(next_step, "next_step", required=False),
            "reviewed_by": _text(reviewed_by, "reviewed_by"),
            "recorded_by": _text(recorded_by, "recorded_by"),
            "identity_verified": int(bool(identity_verified)),
            "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "supersedes": None if supersedes is None else int(supersedes),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            # idempotent, and serialised like every write, so two first entries create it once
            con.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
            con.execute("BEGIN IMMEDIATE")  # one writer at a time: the chain and the check below are exact
            try:
                self._check_supersedes(con, row)
                last = con.execute(
                    "SELECT entry_id, row_hash FROM review_entries ORDER BY entry_id DESC LIMIT 1"
                ).fetchone()
                row["entry_id"] = last[0] + 1 if last else 1
                row["prev_hash"] = last[1] if last else GENESIS
                row["row_hash"] = _row_hash(row["prev_hash"], row)
                con.execute(
                    f"INSERT INTO review_entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
                    [row[c] for c in COLUMNS],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise ReviewLogError(f"the entry was refused: {exc}") from None
        finally:
            con.close()
        return row["entry_id"]

    @staticmethod
    def _check_supersedes(con: sqlite3.Connection, row: dict) -> None:
        if row["supersedes"] is None:
            return
        old = con.execute(
            "SELECT commitment_id, recorded_by, identity_verified FROM review_entries WHERE entry_id = ?",
            [row["supersedes"]],
        ).fetchone()
        if old is None or old[0] != row["commitment_id"]:
            raise ReviewLogError(f"entry {row['supersedes']} is not an entry of commitment {row['commitment_id']}")
        # a correction replaces the entry in force, so only its author may make one: otherwise
        # anyone (or an anonymous visitor) could overwrite a signed-in reviewer's record
        if (old[1], int(old[2])) != (row["recorded_by"], row["identity_verified"]):
            raise ReviewLogError(
                f"entry {row['supersedes']} was recorded by "
                f"{old[1]}{'' if old[2] else ' (not signed in)'}; only they can correct it "
                f"- add a new entry instead"
            )
        newer = con.execute(
            "SELECT entry_id, recorded_by, recorded_at FROM review_entries WHERE supersedes = ?", [row["supersedes"]]
        ).fetchone()
        if newer is not None:
            raise ReviewConflict(
                f"entry {row['supersedes']} was already corrected by entry {newer[0]} "
                f"({newer[1]}, {newer[2]}); reload the page and correct the latest version"
            )

    def entries(self) -> pd.DataFrame:
        """Every entry, oldest first, with `superseded_by` and `current` (not superseded)."""
        if not self.path.exists():
            return self._empty()
        else:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
            try:
                if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_entries'").fetchone():
                    frame = pd.DataFrame(columns=COLUMNS)
                else:
                    frame = pd.read_sql_query(f"SELECT {', '.join(COLUMNS)} FROM review_entries ORDER BY entry_id", con)
            finally:
                con.close()
        later = frame.dropna(subset=["supersedes"]).astype({"supersedes": int})
        frame["superseded_by"] = frame["entry_id"].map(dict(zip(later["supersedes"], later["entry_id"])))
        frame["current"] = frame["superseded_by"].isna()
        return frame

    @staticmethod
    def _empty() -> pd.DataFrame:
        frame = pd.DataFrame(columns=COLUMNS)
        return frame.assign(superseded_by=pd.Series(dtype=float), current=pd.Series(dtype=bool))

    def current(self) -> pd.DataFrame:
        """The entries in force: each correction replaces the entry it supersedes."""
        frame = self.entries()
        return frame[frame["current"]].reset_index(drop=True)

    def verify(self) -> list[str]:
        """Problems found by recomputing the hash chain (empty when the log is intact)."""
        problems, prev = [], GENESIS
        for row in self.entries().to_dict("records"):
            # the types written (int, str, None), so the hash input is byte-identical
            row = {
                **row,
                "entry_id": int(row["entry_id"]),
                "identity_verified": int(row["identity_verified"]),
                "supersedes": None if pd.isna(row["supersedes"]) else int(row["supersedes"]),
            }
            if row["prev_hash"] != prev:
                problems.append(f"entry {row['entry_id']}: the entry before it was changed or removed")
            if _row_hash(row["prev_hash"], row) != row["row_hash"]:
                problems.append(f"entry {row['entry_id']}: its content was changed after it was recorded")
            prev = row["row_hash"]
        return problems


def current_entries(path: Path | None) -> pd.DataFrame:
    """The entries in force in the log at `path` (none when there is no log yet)."""
    return ReviewLog(path).current() if path is not None else ReviewLog._empty()


def review_dates(current: pd.DataFrame, commitment_id: str) -> list[dt.date]:
    """Dates of the entries in force for one commitment (activity for 'no recent action')."""
    rows = current[current["commitment_id"] == commitment_id]
    return [dt.date.fromisoformat(d) for d in rows["review_date"]]
