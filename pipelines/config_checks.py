"""Type checks for every numeric, boolean and date setting of equity.yml, run when it is loaded.

Why here and not where each value is used: several settings are written into SQL text as
numbers (age band edges, day and month counts). A string such as
`"200 THEN (SELECT ... read_text('/etc/passwd')) WHEN false"` must be refused before any
query is built, with an error naming the key, whichever metric would have used it first.
The packaged defaults give each setting's type: a number stays a number, a flag a flag.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .errors import DataError

# sections whose keys are data (table names, groups, Spark setting names), not settings
_FREE_FORM = {"mapping", "reference_groups", "targets", "conf", "local_conf", "tables", "rule_settings"}


def shown(value: Any) -> str:
    """A setting's value for an error message, cut short: the key is what matters, and an
    injected SQL string is not echoed whole."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# settings that count things (people, days, months, points): whole numbers only
WHOLE_NUMBERS = {
    "privacy.k",
    "privacy.survey_k",
    "privacy.supplier_k",
    "fiscal_year_start_month",
    "workforce.promotion_min_tenure_months",
    "workforce.follow_up_days",
    "workforce.impact_months",
    "workforce.impact_min_months",
    "workforce.target_min_periods",
    "pay.cost_curve_points",
    "pay.cohort_min_n",
    "pay.cohort_min_group_n",
    "procurement.grace_days",
    "procurement.expiring_days",
    "procurement.at_risk_months",
    "voice.favourable_from",
    "voice.outcome_window_months",
    "voice.guard_max_views",
    "commitments.window_months",
    "commitments.no_recent_action_months",
    "commitments.projection_min_periods",
    "spark.expectations.max_rows",
    "spark.expectations.sample_seed",
}
# lists of whole numbers (the first one must also be strictly increasing)
WHOLE_NUMBER_LISTS = {"demographics.age_bands", "commitments.checkpoint_months", "voice.scale"}
# settings whose default is null: what a value must be when one is given
NULLABLE = {
    "as_of": "date",
    "history_start": "date",
    "privacy.supplier_k": "int",
    "pay.remediation_max_raise_pct": "number",
    "spark.expectations.max_rows": "int",
    "job_levels": "list",
    "spark.master": "text",
    "spark.database": "text",
    "procurement.goal_preset": "text",
}
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fail(key: str, what: str, value: Any, source: str) -> None:
    raise DataError(f"{key} must be {what} (got {shown(value)})", file=source)


def _check_date(key: str, value: Any, source: str) -> None:
    if isinstance(value, dt.date):
        return
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
            return
        except ValueError:
            pass
    _fail(key, "a date written YYYY-MM-DD", value, source)


def _check_leaf(key: str, value: Any, default: Any, source: str) -> None:
    if value is None:
        if default is None or key in NULLABLE:
            return
        _fail(key, "set (it has no empty value)", value, source)
    if key in WHOLE_NUMBER_LISTS:
        if not isinstance(value, list) or not value or not all(_is_whole(v) for v in value):
            _fail(key, "a list of whole numbers", value, source)
        return
    kind = NULLABLE.get(key) if default is None else None
    if key in WHOLE_NUMBERS or kind == "int":
        if not _is_whole(value):
            _fail(key, "a whole number", value, source)
    elif kind == "number" or _is_number(default):
        if not _is_number(value):
            _fail(key, "a number", value, source)
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            _fail(key, "true or false", value, source)
    elif kind == "date":
        _check_date(key, value, source)
    elif kind == "list" or isinstance(default, list):
        if not isinstance(value, list):
            _fail(key, "a list", value, source)
    elif kind == "text" and not isinstance(value, str):
        _fail(key, "text", value, source)


def check_types(config: dict[str, Any], defaults: dict[str, Any], source: str, prefix: str = "") -> None:
    """Raise DataError naming the first setting whose value has the wrong type."""
    for key, default in defaults.items():
        if key in _FREE_FORM or key not in config:
            continue
        value, name = config[key], prefix + key
        if isinstance(default, dict):
            if isinstance(value, dict):
                check_types(value, default, source, name + ".")
            continue
        _check_leaf(name, value, default, source)
    if not prefix:
        _check_ranges(config, source)


def _check_ranges(config: dict[str, Any], source: str) -> None:
    """Rules beyond the type that keep generated SQL meaningful."""
    bands = config["demographics"]["age_bands"]
    if any(b <= a for a, b in zip(bands, bands[1:])) or not 0 < bands[0] or bands[-1] > 150:
        _fail("demographics.age_bands", "strictly increasing whole numbers between 1 and 150", bands, source)
    scale = config["voice"]["scale"]
    if len(scale) != 2 or scale[0] >= scale[1]:
        _fail("voice.scale", "two whole numbers [lowest, highest]", scale, source)
    if any(m < 1 for m in config["commitments"]["checkpoint_months"]):
        _fail(
            "commitments.checkpoint_months", "months of at least 1", config["commitments"]["checkpoint_months"], source
        )
    fmt = config["spark"]["table_format"]
    if not (isinstance(fmt, str) and _WORD.match(fmt)):
        _fail("spark.table_format", "a format name such as parquet or delta", fmt, source)
    for key in (
        "workforce.follow_up_days",
        "workforce.promotion_min_tenure_months",
        "procurement.grace_days",
        "procurement.expiring_days",
        "procurement.at_risk_months",
    ):
        section, name = key.split(".")
        if config[section][name] < 0:
            _fail(key, "0 or more", config[section][name], source)
