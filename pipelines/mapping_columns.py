"""One contract column's mapping in equity.yml (`columns:`): a header column, a constant, a
generated id or a derived expression, with value maps and date options, checked key by key."""

from __future__ import annotations

import re
from typing import Any

from .contract import Column, Table
from .csv_files import UNNAMED
from .errors import DataError
from .mapping_expr import parse_expr
from .mapping_rows import GENERATED
from .source_file import ColumnSource

_UNNAMED_RE = re.compile("^" + UNNAMED.format(r"\d+") + "$")

COLUMN_KEYS = ("column", "value", "generated", "expr", "values", "date_format", "part", "two_digit_year")
SOURCE_KINDS = ("column", "value", "generated", "expr")  # exactly one of them per mapped column


def check_keys(spec: dict, allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(str(k) for k in spec if k not in allowed)
    if unknown:
        raise DataError(
            f"{what} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}", file="equity.yml"
        )


_YAML_BOOL = 'has an unquoted yes/no/true/false/on/off, which YAML reads as true/false; quote it (e.g. "No")'


def _yaml_text(value: Any, column: Column, what: str) -> str:
    """A value-map entry or constant from equity.yml as text.

    YAML 1.1 reads unquoted yes/no/on/off/true/false as booleans, so `{N: No}` would put
    'False' in a demographic column. A boolean is kept only for a boolean contract column.
    """
    if isinstance(value, bool):
        if column.type == "boolean":
            return "true" if value else "false"
        raise DataError(f"{what} {_YAML_BOOL}", file="equity.yml")
    return "" if value is None else str(value)


def column_source(
    table: Table,
    col: str,
    spec: Any,
    header: list[str],
    display: str,
    file_date_format: str | None,
    label: str | None = None,
) -> ColumnSource:
    """`label` names a setting that is not a contract column (snapshot.date, read as `col`)."""
    what = f"mapping for '{table.key}.{label or col}'"
    column = table.columns[col]
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        raise DataError(f"mapping for column '{col}' must be a column name or a mapping", file="equity.yml")
    check_keys(spec, COLUMN_KEYS, what)
    if sum(k in spec for k in SOURCE_KINDS) != 1:
        raise DataError(f"{what} must give exactly one of {', '.join(SOURCE_KINDS)}", file="equity.yml")
    if "generated" in spec:
        if spec["generated"] not in GENERATED:
            raise DataError(
                f"{what}: generated must be one of {', '.join(GENERATED)} (got {spec['generated']!r})",
                file="equity.yml",
            )
        if len(spec) > 1:
            raise DataError(f"{what}: a generated id takes no other option", file="equity.yml")
        return ColumnSource(generated=True)
    if "expr" in spec:
        if set(spec) - {"expr", "date_format"}:
            raise DataError(
                f"{what}: expr takes only date_format besides (for a date it returns as "
                f"text; a DATE result needs none)",
                file="equity.yml",
            )
        derived = parse_expr(spec["expr"], what, lambda name: match_header(name, header), header)
        return ColumnSource(expr=derived, date_format=spec.get("date_format"))
    if spec.get("part") not in (None, "year"):
        raise DataError(f"{what}: part must be 'year' (got {spec['part']!r})", file="equity.yml")
    if spec.get("two_digit_year") not in (None, "past"):
        raise DataError(f"{what}: two_digit_year must be 'past' (got {spec['two_digit_year']!r})", file="equity.yml")
    if spec.get("two_digit_year") and spec.get("part") != "year":
        # it is applied only when taking the year of a date (raw_expr); elsewhere it would be
        # ignored without a word
        raise DataError(f"{what}: two_digit_year only applies with part: year", file="equity.yml")
    if "value" in spec:
        # `value: null` or `value: ""` is a blank column (a None constant used to reach the SQL)
        return ColumnSource(constant=_yaml_text(spec["value"], column, what))
    source = spec.get("column")
    matched = match_header(str(source), header) if source is not None else None
    if matched is None:
        raise DataError(
            f"mapping for '{table.key}.{col}' refers to column '{source}', which is not "
            f"in the header (header has: {', '.join(header)})",
            file=display,
            line=1,
        )
    values = {}
    for k, v in (spec.get("values") or {}).items():
        if isinstance(k, bool):  # the spelling in the data (Yes? on? true?) is lost: ask for quotes
            raise DataError(f"value map for '{table.key}.{col}' {_YAML_BOOL}", file="equity.yml")
        key = str(k).strip().lower()
        if key in values:
            raise DataError(f"value map for '{table.key}.{col}' lists '{k}' twice", file="equity.yml")
        values[key] = _yaml_text(v, column, f"value map for '{table.key}.{col}'")
    return ColumnSource(
        source=matched,
        values=values,
        date_format=spec.get("date_format", file_date_format),
        part=spec.get("part"),
        two_digit_year=spec.get("two_digit_year"),
    )


def match_header(name: str, header: list[str]) -> str | None:
    """Exact header match first, then case-insensitive (exports vary in capitalisation).
    A blank header cell matches nothing (its placeholder name is not a name users wrote)."""
    if _UNNAMED_RE.match(name):
        return None
    if name in header:
        return name
    lowered = {h.lower(): h for h in header}
    return lowered.get(name.strip().lower())
