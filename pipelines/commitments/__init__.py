"""Commitments and accountability: the register of what the organisation promised
(commitments.yml), the committee review log beside the metrics database, and the assessment
of each commitment against the registry metric that shows its impact.

    register.py   parse and check commitments.yml        store.py     copy it into the build
    linked.py     the metric's values via compute()      rules.py     how a commitment is judged
    review_log.py the append-only SQLite review log      status.py    assessments and tables
"""

from .register import FILE_NAME, Action, Commitment, parse_register, read_register
from .review_log import ReviewConflict, ReviewLog, ReviewLogError, review_log_path
from .status import Assessment, assess, assess_register, current_reviews, linked_values, status_table
from .store import load_register, write_register

__all__ = [
    "FILE_NAME",
    "Action",
    "Assessment",
    "Commitment",
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
