"""Ingest: find each contract file, read it as text and map it onto the contract's columns.

Everything is read as VARCHAR so that no value is lost before validation decides what to do
with it (DuckDB's `ignore_errors` would drop bad rows silently). The result of this module
is one `raw_<table>` per present file: the contract's column names, trimmed text, blanks as
NULL, plus `_line`, the line of the record in the source file (header = line 1).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .db import scalar
from .contract import Column, Table, load_contract, table_for_key
from .errors import DataError
from .csv_files import UNNAMED, file_digest, read_header  # re-exported: spark reads them here
from .mapping_files import SourcePart, mapping_header, part_for_line, source_parts
from .mapping_extra import with_extra_columns
from .mapping_expr import Derived, parse_expr, render_expr
from .mapping_rows import GENERATED, duplicate_policy, generated_id_sql
from .mapping_snapshot import DATE_COLUMN, Snapshot, snapshot_spec
from .mapping_weight import Weight, weight_spec
from .paths import allowed_source_dirs
from .mapping_names import NAME_COLUMN, by_name_columns, parent_by_name
from .record_count import check_all_records_loaded
from .sqlsafe import ident, literal

log = logging.getLogger(__name__)

_LINE_RE = re.compile(r"Line:\s*(\d+)")
_UNNAMED_RE = re.compile("^" + UNNAMED.format(r"\d+") + "$")


@dataclass
class ColumnSource:
    """Where one contract column comes from: a source column, or a constant."""

    source: str | None = None  # header name in the file
    constant: str | None = None  # fixed value for every row
    values: dict[str, str] = field(default_factory=dict)  # lower-cased source value -> value
    date_format: str | None = None
    part: str | None = None  # "year": take the year of a date
    two_digit_year: str | None = None  # "past": 2-digit years never land in the future
    generated: bool = False  # an id made from file and line (mapping_rows)
    expr: Derived | None = None  # a derived column (mapping_expr)


@dataclass
class SourceFile:
    table: Table
    path: Path | None  # None when the rows come from an existing table
    display: str  # path as users know it (relative to the data folder)
    header: list[str]
    columns: dict[str, ColumnSource]  # contract column -> source (absent optional columns missing)
    sha256: str = ""
    size: int = 0
    rows_in: int = 0
    relation: str | None = None  # an existing Spark table read instead of a file
    parts: list[SourcePart] = field(default_factory=list)  # the files stacked (one, usually)
    duplicates: str = "quarantine"  # exact repeats: quarantine | keep | error (mapping_rows)
    weight: Weight | None = None  # aggregated rows: the count column (mapping_weight)
    snapshot: Snapshot | None = None  # one row per person per snapshot date (mapping_snapshot)
    rows_loaded: int | None = None  # weighted: rows loaded before expansion into records
    records: int | None = None  # weighted: records after expansion
    name_columns: list[str] = field(default_factory=list)  # supplier_by_name (mapping_names)
    parent_by_name: bool = False  # vendor ids of one name are one company (mapping_names)

    @property
    def plain(self) -> bool:
        """One file read as it is: no stacking, renames or columns from the file name."""
        return (
            len(self.parts) <= 1
            and all(not p.from_name and all(k == v for k, v in p.names.items()) for p in self.parts)
            and not any(c.generated or c.expr for c in self.columns.values())
            and self.snapshot is None
        )

    def locate(self, line: int | None) -> tuple[str, int | None]:
        """(file, that file's own line) for a line number of this source."""
        if line is None or len(self.parts) <= 1:
            return self.display, line
        part = part_for_line(self.parts, line)
        return part.display, part.locate(line)


def mapping_for(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """equity.yml `mapping`, keyed by contract table name; unknown keys are an error."""
    out = {}
    for key, spec in (config.get("mapping") or {}).items():
        table = table_for_key(str(key))
        if table is None:
            known = ", ".join(t.key for t in load_contract().values())
            raise DataError(f"mapping names '{key}', which is not a contract file; known: {known}", file="equity.yml")
        if not isinstance(spec, dict):
            raise DataError(f"mapping for '{key}' must be a mapping", file="equity.yml")
        out[table.name] = spec
    return out


def source_digest(sf: "SourceFile") -> tuple[str, int]:
    """SHA-256 and total size of a source's files (one file: that file's own digest)."""
    if len(sf.parts) <= 1:
        return file_digest(sf.path)
    digest, size = hashlib.sha256(), 0
    for part in sf.parts:
        one, n = file_digest(part.path)
        digest.update(f"{part.display}\0{one}\0".encode())
        size += n
    return digest.hexdigest(), size


# Keys a mapping may use. Anything else is a typo that would otherwise be ignored silently
# (e.g. `date_fromat`: every date would then be read with the wrong format and quarantined).
TABLE_KEYS = (
    "file",
    "rename",
    "from_file_name",
    "date_format",
    "duplicates",
    "weight",
    "columns",
    "supplier_by_name",
    "parent_by_name",
    "extra_columns",
    "snapshot",
)
COLUMN_KEYS = ("column", "value", "generated", "expr", "values", "date_format", "part", "two_digit_year")
SOURCE_KINDS = ("column", "value", "generated", "expr")  # exactly one of them per mapped column


def _check_keys(spec: dict, allowed: tuple[str, ...], what: str) -> None:
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


def _column_source(
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
    _check_keys(spec, COLUMN_KEYS, what)
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
        derived = parse_expr(spec["expr"], what, lambda name: _match_header(name, header), header)
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
    matched = _match_header(str(source), header) if source is not None else None
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


def _match_header(name: str, header: list[str]) -> str | None:
    """Exact header match first, then case-insensitive (exports vary in capitalisation).
    A blank header cell matches nothing (its placeholder name is not a name users wrote)."""
    if _UNNAMED_RE.match(name):
        return None
    if name in header:
        return name
    lowered = {h.lower(): h for h in header}
    return lowered.get(name.strip().lower())


def resolve_sources(
    data_dir: Path, config: dict[str, Any], relations: dict[str, tuple[str, list[str]]] | None = None
) -> dict[str, SourceFile]:
    """Every contract file present in the folder, with its column mapping resolved.

    `relations` ({contract table name: (relation, its columns)}) supplies tables from
    elsewhere (existing Spark tables named in equity.yml); they are mapped like files.
    A missing required file, or a required column missing from a header, stops the build.
    """
    mapping = mapping_for(config)
    relations = relations or {}
    allowed = allowed_source_dirs(data_dir, config)  # folders outside the data folder opted in
    found: dict[str, SourceFile] = {}
    missing_required: list[tuple[Table, str]] = []
    for table in load_contract().values():
        spec = mapping.get(table.name, {})
        _check_keys(spec, TABLE_KEYS, f"mapping for '{table.key}'")
        if table.name in relations:
            relation, header = relations[table.name]
            found[table.name] = source_from_header(table, spec, header, relation, path=None, relation=relation)
            found[table.name].weight = weight_spec(
                spec, table, lambda n, h=header: _match_header(n, h), header, relation
            )
            continue
        display, parts = source_parts(data_dir, spec, table.path, f"mapping for '{table.key}'", read_header, allowed)
        if not parts:
            missing_required.append((table, display))
            continue
        found[table.name] = source_from_header(table, spec, mapping_header(parts), display, path=parts[0].path)
        found[table.name].parts = parts
        found[table.name].duplicates = duplicate_policy(spec, f"mapping for '{table.key}'")
        header = mapping_header(parts)
        _add_snapshot(found[table.name], spec, header)
        found[table.name].weight = weight_spec(spec, table, lambda n, h=header: _match_header(n, h), header, display)
        _check_every_file_has(found[table.name])
    _check_families_complete(data_dir, found, missing_required)
    return found


def _add_snapshot(sf: SourceFile, spec: dict[str, Any], header: list[str]) -> None:
    """`snapshot:` (mapping_snapshot). Without a mapped hire_date the rows carry the snapshot
    date there until they are collapsed into people, so the required-date check holds."""
    sf.snapshot = snapshot_spec(
        spec,
        sf.table.name,
        sf.table.key,
        lambda s: _column_source(
            sf.table, "hire_date", s, header, sf.display, spec.get("date_format"), label="snapshot.date"
        ),
    )
    if sf.snapshot is not None and "hire_date" not in sf.columns:
        sf.columns["hire_date"] = sf.snapshot.date
        sf.snapshot.hire_mapped = False


def _check_families_complete(data_dir: Path, found: dict[str, SourceFile], missing: list[tuple[Table, str]]) -> None:
    """A family may be absent as a whole (recruiting-only data needs no HR files); a required
    file is required only when another file of its family is supplied. An empty folder stops."""
    families = {sf.table.family for sf in found.values()}
    for table, display in missing:
        if table.required and table.family in families:
            raise DataError(f"required file is missing from {data_dir}", file=display)
    if not found:
        keys = ", ".join(t.path for t in load_contract().values() if t.required)
        raise DataError(
            f"no contract file found in {data_dir} (for HR data: {keys}; or map an export in equity.yml)",
            file=keys.split(", ")[0],
        )


def _check_every_file_has(sf: SourceFile) -> None:
    """Stacked files: each mapped column must be in every file (after renames); a column
    missing from one year's export would otherwise be blank for that year without a word."""
    needs = [
        (col, src.expr.columns if src.expr else (src.source,) if src.source is not None else ())
        for col, src in sf.columns.items()
    ]
    needs += [("supplier_by_name", (name,)) for name in sf.name_columns]
    if sf.weight is not None:
        needs.append(("weight", (sf.weight.column,)))
    if sf.snapshot is not None:
        date = sf.snapshot.date
        needs.append(("snapshot.date", date.expr.columns if date.expr else (date.source,) if date.source else ()))
    for col, needed in needs:
        for part, name in ((p, n) for p in sf.parts for n in needed):
            if name not in part.names and name not in part.from_name:
                raise DataError(
                    f"mapping for '{sf.table.key}.{col}' refers to column '{name}', "
                    f"which this file does not have (header has: {', '.join(part.header)}); "
                    f"add a rename for this file",
                    file=part.display,
                    line=1,
                )


def source_from_header(
    table: Table, spec: dict[str, Any], header: list[str], display: str, path: Path | None, relation: str | None = None
) -> SourceFile:
    """A SourceFile: each contract column mapped onto the given header (or a constant), and
    the mapping's extra columns (mapping_extra), which extend the table."""
    table, extra_specs = with_extra_columns(table, spec)
    col_specs = {**(spec.get("columns") or {}), **extra_specs}
    unknown = sorted(set(col_specs) - set(table.columns))
    if unknown:
        raise DataError(
            f"mapping for '{table.key}' names unknown column(s) {', '.join(unknown)}; "
            f"contract columns: {', '.join(table.columns)}",
            file="equity.yml",
        )
    names = by_name_columns(table, spec, lambda n: _match_header(n, header), header, display)
    columns: dict[str, ColumnSource] = {"supplier_id": ColumnSource(constant="")} if names else {}
    for col, contract_col in table.columns.items():
        if col in columns:
            continue
        if col in col_specs:
            columns[col] = _column_source(table, col, col_specs[col], header, display, spec.get("date_format"))
            continue
        matched = _match_header(col, header)
        if matched is not None:
            columns[col] = ColumnSource(source=matched, date_format=spec.get("date_format"))
        elif contract_col.required and not (col == "hire_date" and spec.get("snapshot")):
            raise DataError(
                f"required column '{col}' is missing (header has: {', '.join(header)})",
                file=display,
                line=1,
                column=col,
            )
    return SourceFile(
        table=table,
        path=path,
        display=display,
        header=header,
        columns=columns,
        relation=relation,
        name_columns=names,
        parent_by_name=parent_by_name(table, spec, f"mapping for '{table.key}'"),
    )


def raw_expr(src: ColumnSource, part: SourcePart | None = None, line_sql: str = "") -> str:
    """SQL for one contract column as trimmed text (NULL when blank), value maps applied.
    With `part`, a mapping name is that file's header column (or its file-name value);
    `line_sql` is the row's own line in its file (for generated ids)."""
    if src.generated:
        return generated_id_sql(part.display, line_sql)
    if src.expr is not None:
        return render_expr(src.expr, lambda name: _source_sql(name, part))
    if src.constant is not None:
        return literal(src.constant) if src.constant != "" else "NULL"
    col = f"nullif(trim({_source_sql(src.source, part)}), '')"
    if src.values:
        cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in src.values.items())
        col = f"nullif(CASE lower({col}) {cases} ELSE {col} END, '')"
    if src.part == "year":
        parsed = f"try_strptime({col}, {literal(src.date_format or '%Y-%m-%d')})"
        if src.two_digit_year == "past":
            parsed = f"CASE WHEN {parsed} > current_date THEN {parsed} - INTERVAL 100 YEAR ELSE {parsed} END"
        col = f"coalesce(CAST(year({parsed}) AS VARCHAR), {col})"
    return col


def _source_sql(name: str, part: SourcePart | None) -> str:
    if part is None:
        return ident(name)
    if name in part.from_name:
        return literal(part.from_name[name])
    return ident(part.names[name])


def load_raw(con: duckdb.DuckDBPyConnection, sf: SourceFile) -> int:
    """Create `raw_<table>` (trimmed text) from the file(s); returns the number of data rows read."""
    return load_parts(con, sf, f"raw_{sf.table.name}", lambda part: raw_select(sf, part))


def load_parts(con: duckdb.DuckDBPyConnection, sf: SourceFile, table: str, select_for) -> int:
    """Create TEMP `table` from `select_for(part)` over each file of the source; returns the
    number of data rows read, each file's rows counted again by a second parser.

    Stacked files are appended in order; each file's lines are shifted by the rows before it
    (SourcePart.base), so `_line` stays unique and SourceFile.locate gives file and line back.
    TEMP: the copy is dropped at the end of the build, so writing it to the file is waste."""
    parts = sf.parts or [
        SourcePart(path=sf.path, display=sf.display, header=sf.header, names={h: h for h in sf.header})
    ]
    base = 0
    for number, part in enumerate(parts):
        part.base = base
        select = select_for(part)
        sql = f"CREATE OR REPLACE TEMP TABLE {table} AS {select}" if number == 0 else f"INSERT INTO {table} {select}"
        _execute_read(con, sql, part)
        part.rows = scalar(con, f"SELECT count(*) FROM {table}") - sum(p.rows for p in parts[:number])
        # a second parser's count: DuckDB drops very long records without an error
        check_all_records_loaded(con, part.path, part.display, part.header, _reader(part), part.rows)
        base += part.rows + 1
    sf.rows_in = sum(p.rows for p in parts)
    if not sf.sha256:  # an incremental build has hashed it already
        sf.sha256, sf.size = source_digest(sf)
    log.info("read %s: %d rows", sf.display, sf.rows_in)
    return sf.rows_in


def _reader(part: SourcePart) -> str:
    """DuckDB's read_csv of one file: every column as text, strict CSV."""
    cols = "{" + ", ".join(f"{literal(h)}: 'VARCHAR'" for h in part.header) + "}"
    return (
        f"read_csv({literal(str(part.path))}, header=true, auto_detect=false, columns={cols}, "
        "delim=',', quote='\"', escape='\"', strict_mode=true, encoding='utf-8')"
    )


def raw_select(sf: SourceFile, part: SourcePart, every_column: bool = False) -> str:
    """SELECT of one file's rows as the contract's columns in trimmed text, with `_line`;
    with `every_column`, the contract columns the file lacks as NULL text too."""
    # _line: the record's line in the file, counting the header as line 1. DuckDB keeps the
    # file's row order (preserve_insertion_order), so row_number() over the scan is that order.
    line = "(row_number() OVER () + 1)"
    selects = [f"{raw_expr(src, part, line)} AS {ident(col)}" for col, src in sf.columns.items()]
    if every_column:
        selects += [f"NULL::VARCHAR AS {ident(col)}" for col in sf.table.columns if col not in sf.columns]
    if sf.weight is not None:  # the count stays text here; mapping_weight checks and applies it
        selects.append(f"{raw_expr(ColumnSource(source=sf.weight.column), part)} AS _weight")
    if sf.snapshot is not None:  # parsed and checked by mapping_snapshot
        selects.append(f"{raw_expr(sf.snapshot.date, part, line)} AS {DATE_COLUMN}")
    selects += [
        f"{raw_expr(ColumnSource(source=name), part)} AS {NAME_COLUMN.format(i)}"
        for i, name in enumerate(sf.name_columns)
    ]
    return f"SELECT CAST({line} + {int(part.base)} AS BIGINT) AS _line, {', '.join(selects)} FROM {_reader(part)}"


def _execute_read(con: duckdb.DuckDBPyConnection, sql: str, part: SourcePart) -> None:
    """Run a statement that reads `part`; a CSV error becomes a DataError naming file and line."""
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        text = str(exc)
        match = _LINE_RE.search(text)
        first = text.split("\n")[0].replace("Invalid Input Error: ", "")
        reason = next(
            (
                ln.strip()
                for ln in text.split("\n")[1:]
                if ln.strip() and not ln.startswith(("Original Line", "Possible", "*", "  file"))
            ),
            "",
        )
        raise DataError(
            f"cannot be read as CSV: {reason or first}".rstrip(),
            file=part.display,
            line=int(match.group(1)) if match else None,
        ) from None
