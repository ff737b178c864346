"""The legitimate factors of the pay models (`pay.legitimate_factors`): which columns, and
whether each enters as dummies (categorical) or linearly (numeric).

An entry is a column name, or `{column: NAME, type: categorical|numeric}`. A name is one of the
job attributes of fct_employment_spells (categorical unless declared numeric: a performance
rating of 1-5 may be either), `tenure_years` (numeric: years since hire on the period end), or
an extra column brought in by the mapping (`extra_columns` on hr/job_history, in the table
job_extra_columns: numeric when mapped as a number, else categorical). Anything else is a
usage error naming the setting, so no configured text ever reaches SQL: the SQL is built only
from names found in these allow-lists, and quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...db import has_table
from ...errors import UsageError
from ...mapping_extra import EXTRA_TABLE
from ...sqlsafe import ident

SETTING = "pay.legitimate_factors"
FACTOR_TYPES = ("categorical", "numeric")
# Columns of fct_employment_spells a factor may name, and the derived numeric one
SPELL_FACTORS = (
    "job_level",
    "job_family",
    "location",
    "department",
    "country",
    "employment_type",
    "performance_rating",
)
TENURE = "tenure_years"
_NUMERIC_DB_TYPES = ("DOUBLE", "FLOAT", "DECIMAL", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT")


@dataclass(frozen=True)
class Factor:
    name: str
    numeric: bool
    origin: str  # "spell" (fct_employment_spells), "tenure" (derived), "extra" (job_extra_columns)


def factor_entries(config) -> list[tuple[str, str | None]]:
    """(name, declared type or None) for every entry of pay.legitimate_factors, shape checked."""
    raw = config["pay"]["legitimate_factors"] or []
    out = []
    for i, entry in enumerate(raw):
        where = f"{SETTING}[{i}]"
        if isinstance(entry, str):
            out.append((entry, None))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("column"), str) or set(entry) - {"column", "type"}:
            raise UsageError(
                f"{where}: a factor is a column name or {{column: NAME, type: "
                f"categorical|numeric}} (got {str(entry)[:60]})"
            )
        kind = entry.get("type")
        if kind is not None and kind not in FACTOR_TYPES:
            raise UsageError(f"{where}: type must be one of {', '.join(FACTOR_TYPES)} (got {str(kind)[:40]!r})")
        out.append((entry["column"], kind))
    names = [n for n, _ in out]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"{SETTING}: {', '.join(twice)} listed twice")
    return out


def factor_names(config) -> list[str]:
    """The configured factor names, in order."""
    return [name for name, _ in factor_entries(config)]


def extra_column_types(con) -> dict[str, bool]:
    """{extra column: numeric?} of job_extra_columns ({} when the mapping brought none)."""
    if not has_table(con, EXTRA_TABLE):
        return {}
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [EXTRA_TABLE],
    ).fetchall()
    skip = {"employee_id", "valid_from", "valid_to"}
    return {name: str(kind).upper().startswith(_NUMERIC_DB_TYPES) for name, kind in rows if name not in skip}


def resolve_factors(con, config, names) -> list[Factor]:
    """The factors `names` (a subset of the configured ones, or all), with their kind."""
    declared = dict(factor_entries(config))
    extras = extra_column_types(con)
    known = [*SPELL_FACTORS, TENURE, *extras]
    out = []
    for name in names:
        kind = declared.get(name)
        if name not in known:
            raise UsageError(
                f"{SETTING}: unknown column {str(name)[:60]!r}; known: {', '.join(known)} "
                f"(other columns of an export come in through extra_columns on the "
                f"hr/job_history mapping, docs/data_contract.md)"
            )
        if name == TENURE:
            if kind == "categorical":
                raise UsageError(f"{SETTING}: {TENURE} is numeric (years since hire), not categorical")
            out.append(Factor(name, True, "tenure"))
        elif name in extras:
            if kind == "numeric" and not extras[name]:
                raise UsageError(
                    f"{SETTING}: {name} was mapped as a label; give it type: number under "
                    f"extra_columns to use it as a numeric factor"
                )
            out.append(Factor(name, extras[name] if kind is None else kind == "numeric", "extra"))
        else:
            out.append(Factor(name, kind == "numeric", "spell"))
    return out


def factor_select(f: Factor, column: str) -> str:
    """SELECT expression for factor `f` as frame column `column` (spells alias s, extras alias x)."""
    if f.origin == "tenure":
        return f"date_diff('day', s.hire_date, p.period_end) / 365.25 AS {ident(column)}"
    return f"{'x' if f.origin == 'extra' else 's'}.{ident(f.name)} AS {ident(column)}"


def extra_join(factors: list[Factor]) -> str:
    """The join of job_extra_columns on the record in force on the period end, when needed."""
    if not any(f.origin == "extra" for f in factors):
        return ""
    return (
        f" LEFT JOIN {EXTRA_TABLE} x ON x.employee_id = s.employee_id "
        f"AND x.valid_from <= p.period_end AND p.period_end <= x.valid_to"
    )


def typed_factor(values: pd.Series, f: Factor, unknown_label: str) -> pd.Series:
    """Numeric factors as floats (blank or the unknown label: NaN, the person is left out of
    the models and counted); categorical ones as text (blank: the unknown label). A value of a
    numeric factor that is not a number stops with the setting and the value named."""
    if not f.numeric:
        return values.astype(object).where(values.notna(), unknown_label).astype(str)
    missing = values.isna() | (values.astype(str) == unknown_label)
    numbers = pd.to_numeric(values.where(~missing), errors="coerce").astype(float)
    bad = values[~missing & numbers.isna()]
    if len(bad):
        raise UsageError(
            f"{SETTING}: {f.name} is numeric, but has the value {str(bad.iloc[0])[:40]!r}; "
            f"declare it {{column: {f.name}, type: categorical}}"
        )
    return numbers
