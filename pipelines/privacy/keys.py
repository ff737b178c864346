"""Cell keys: the pseudo-random numbers that decide each published cell's perturbation.

A key is the first 64 bits of SHA-256(salt | what is counted | the cell's definition). The
salt is drawn once per database (`choose_salt`) and stored in it (`privacy_salt`), so the
same cell gets the same key in every view and every run: re-asking cannot average the noise
away. Without the salt (it never leaves the database) the keys cannot be predicted.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import numpy as np

SALT_TABLE = "privacy_salt"
SALT_ENV = "EQUITY_RECORD_KEY_SALT"


def choose_salt(previous_db: Path | None) -> str:
    """The salt for a new build: $EQUITY_RECORD_KEY_SALT when set (reproducible builds and
    tests), else the salt of the database being replaced (published figures do not all move
    because the data was rebuilt), else a new random one."""
    if os.environ.get(SALT_ENV):
        return os.environ[SALT_ENV]
    if previous_db is not None and previous_db.exists():
        try:
            import duckdb

            with duckdb.connect(str(previous_db), read_only=True) as con:
                row = con.execute(f"SELECT salt FROM {SALT_TABLE}").fetchone()
                if row and row[0]:
                    return str(row[0])
        except Exception:  # an unreadable or older database: start a new salt
            pass
    return secrets.token_hex(16)


def write_salt(con, salt: str) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {SALT_TABLE} AS SELECT ?::VARCHAR AS salt", [salt])


def read_salt(con) -> str:
    """The database's salt. Databases built before protection existed have none: rebuild."""
    from ..errors import UsageError

    try:
        row = con.execute(f"SELECT salt FROM {SALT_TABLE}").fetchone()
    except Exception:
        row = None
    if not row or not row[0]:
        raise UsageError(
            "this database was built before published figures were protected "
            "(it has no privacy salt); rebuild it with `equity build`"
        )
    return str(row[0])


def cell_keys(salt: str, labels: list[str]) -> np.ndarray:
    """64-bit keys (as uint64) for cell definitions `labels`."""
    out = np.empty(len(labels), dtype=np.uint64)
    prefix = salt.encode() + b"|"
    for i, label in enumerate(labels):
        out[i] = int.from_bytes(hashlib.sha256(prefix + label.encode()).digest()[:8], "big")
    return out


def uniform(keys: np.ndarray) -> np.ndarray:
    """The keys as numbers in [-1, 1) (for magnitude noise); uses bits 8.. so that the
    byte used by the count table stays independent of it."""
    return ((keys >> np.uint64(8)).astype(np.float64) / float(1 << 56)) * 2.0 - 1.0
