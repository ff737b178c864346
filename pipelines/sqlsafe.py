"""Quoting for SQL built from config and CSV headers, which are treated as hostile text."""

from __future__ import annotations

import re

_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    """A double-quoted SQL identifier (embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value: object) -> str:
    """A single-quoted SQL string literal (embedded quotes doubled); None becomes NULL."""
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def safe_name(name: str) -> str:
    """An allow-listed internal name (table/model names we generate); raises on anything else."""
    if not _SAFE_NAME.match(name):
        raise ValueError(f"unsafe SQL name {name!r}")
    return name
