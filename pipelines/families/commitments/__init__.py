"""Commitments and accountability: the register of what the organisation promised
(commitments.yml), the committee review log beside the metrics database, and the assessment
of each commitment against the registry metric that shows its impact.

    register.py   parse and check commitments.yml        store.py     copy it into the build
    linked.py     the metric's values via compute()      rules.py     how a commitment is judged
    review_log.py the append-only SQLite review log      status.py    assessments and tables
    cli.py        `equity commitments` (register(main), found by pipelines/cli.py)

The names below are what other packages import. They are loaded on first use (PEP 562
__getattr__): the CLI imports cli.py, hence this package, for every `--help`, which must not
load pandas or duckdb (tests/test_cli_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {  # name -> the module of this package that defines it
    "FILE_NAME": "register",
    "Action": "register",
    "Commitment": "register",
    "parse_register": "register",
    "read_register": "register",
    "ReviewConflict": "review_log",
    "ReviewLog": "review_log",
    "ReviewLogError": "review_log",
    "review_log_path": "review_log",
    "Assessment": "status",
    "assess": "status",
    "assess_register": "status",
    "current_reviews": "status",
    "linked_values": "status",
    "status_table": "status",
    "load_register": "store",
    "write_register": "store",
}
__all__ = [  # the names of _EXPORTS, written out so linters see them
    "Action",
    "Assessment",
    "Commitment",
    "FILE_NAME",
    "ReviewConflict",
    "ReviewLog",
    "ReviewLogError",
    "assess",
    "assess_register",
    "current_reviews",
    "linked_values",
    "load_register",
    "parse_register",
    "read_register",
    "review_log_path",
    "status_table",
    "write_register",
]

if TYPE_CHECKING:  # what a type checker and an editor see; at run time __getattr__ loads them
    from .register import FILE_NAME, Action, Commitment, parse_register, read_register
    from .review_log import ReviewConflict, ReviewLog, ReviewLogError, review_log_path
    from .status import Assessment, assess, assess_register, current_reviews, linked_values, status_table
    from .store import load_register, write_register


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
