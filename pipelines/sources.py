"""Which contract files a data folder holds and how each maps onto the contract: the
SourceFile of every file present (equity.yml `mapping:` resolved, headers checked), or a
DataError naming what is missing or mistyped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .contract import Table, load_contract, table_for_key
from .csv_files import read_header
from .errors import DataError
from .mapping_columns import check_keys, column_source, match_header
from .mapping_extra import with_extra_columns
from .mapping_files import mapping_header, source_parts
from .mapping_names import by_name_columns, parent_by_name
from .mapping_rows import duplicate_policy
from .mapping_snapshot import snapshot_spec
from .mapping_weight import weight_spec
from .paths import allowed_source_dirs
from .source_file import ColumnSource, SourceFile


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
        check_keys(spec, TABLE_KEYS, f"mapping for '{table.key}'")
        if table.name in relations:
            relation, header = relations[table.name]
            found[table.name] = source_from_header(table, spec, header, relation, path=None, relation=relation)
            found[table.name].weight = weight_spec(
                spec, table, lambda n, h=header: match_header(n, h), header, relation
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
        found[table.name].weight = weight_spec(spec, table, lambda n, h=header: match_header(n, h), header, display)
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
        lambda s: column_source(
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
    names = by_name_columns(table, spec, lambda n: match_header(n, header), header, display)
    columns: dict[str, ColumnSource] = {"supplier_id": ColumnSource(constant="")} if names else {}
    for col, contract_col in table.columns.items():
        if col in columns:
            continue
        if col in col_specs:
            columns[col] = column_source(table, col, col_specs[col], header, display, spec.get("date_format"))
            continue
        matched = match_header(col, header)
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
