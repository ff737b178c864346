"""One `mapping:` entry of `equity map`'s draft: the choice and the points a person must decide
for each column of a contract file fed from one source, and the entry itself. Which source
feeds which file is decided in mapping_plan.py; the guesses come from mapping_guess.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .contract import Table
from .mapping_guess import STRONG, WEAK, ColumnChoice, date_choice, hint
from .mapping_sources import YEAR_PATTERN, Source
from .mapping_value_map import norm, value_map

ISO = "%Y-%m-%d"
_PERSON_NAMES = {"firstname", "lastname", "middlename", "fullname", "filename", "username", "employeename"}


def name_columns(source: Source) -> list[str]:
    """Columns of a source that look like company names (for supplier_by_name)."""

    def looks_like(key: str) -> bool:
        return (
            any(w in key for w in ("name", "dba", "company", "business", "firm"))
            and not key.endswith(("id", "number", "code"))
            and key not in _PERSON_NAMES
        )

    return [name for name in source.columns if looks_like(norm(name)) and not name.startswith("_unnamed_column_")]


@dataclass
class TableDraft:
    """One `mapping:` entry of the draft."""

    table: Table
    source: Source
    score: float
    choices: list[ColumnChoice] = field(default_factory=list)
    date_format: str | None = None
    duplicates: str | None = None
    snapshot: dict | None = None  # hr/employees read as snapshots (mapping_snapshot)
    extra: dict[str, str] = field(default_factory=dict)  # proposed extra_columns: name -> numeric column
    notes: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    @property
    def used(self) -> set[str]:
        return {c.source for c in self.choices if c.source}


def supplier_by_name_hint(source: Source) -> str:
    """The hint to match a certification list to the suppliers by its name columns."""
    return f"match the suppliers by name: supplier_by_name: [{', '.join(name_columns(source))}] (docs/data_contract.md)"


def table_draft(table: Table, source: Source, score: float, found: dict[str, tuple[float, str]]) -> TableDraft:
    """The draft entry for `table` fed from `source`, given the columns found (name -> (score, header))."""
    draft = TableDraft(table=table, source=source, score=score)
    generated = False
    for name, column in table.columns.items():
        if name in found:
            draft.choices.append(_choice(table, name, *found[name], source))
        elif column.required and table.family == "hr" and column.type == "date":
            draft.choices.append(_snapshot_choice(draft, name))
        elif column.required:
            choice = ColumnChoice(name)
            if name in table.primary_key:
                choice.spec, generated = {"generated": "line"}, True
                choice.todo.append(
                    "no id column found: an id made from file and line (the same in "
                    "every contract file fed from this export)"
                )
            else:
                choice.todo.append(
                    "required, and no column was found: map one, or derive it with "
                    "expr or value (docs/data_contract.md)"
                )
                example = hint(name, source.columns)
                if example:
                    choice.todo.append(f"for instance {example}")
                if table.name == "procurement__certifications" and name == "supplier_id" and name_columns(source):
                    choice.todo.append("if this list's ids are not the vendor ids, " + supplier_by_name_hint(source))
            draft.choices.append(choice)
    formats = Counter(
        c.spec.get("date_format")
        for c in draft.choices
        if isinstance(c.spec, dict) and "part" not in c.spec and c.spec.get("date_format")
    )
    if formats:
        draft.date_format = formats.most_common(1)[0][0]
        for c in draft.choices:
            if isinstance(c.spec, dict) and c.spec.get("date_format") == draft.date_format and "part" not in c.spec:
                del c.spec["date_format"]
                if list(c.spec) == ["column"]:
                    c.spec = c.spec["column"]
    if generated:
        draft.duplicates = "keep"
        draft.todo.append(
            "duplicates: keep, since each row is taken as one person or record: two "
            "may share every value. Remove it to quarantine exact repeats instead"
        )
    missing = [n for n, c in table.columns.items() if n not in found and not c.required]
    if missing:
        draft.notes.append(f"not found (left blank): {', '.join(missing)}")
    if table.name == "procurement__suppliers" and "parent_supplier_id" not in found:
        draft.notes.append(
            "one company under several vendor ids? parent_by_name: true makes the ids of one "
            "name one company (docs/data_contract.md, supplier_by_name)"
        )
    if not source.readable_by_build:
        draft.todo.insert(
            0,
            "the build reads comma-separated UTF-8 files only: save "
            f"{source.display} as UTF-8 CSV with commas before building",
        )
    return draft


_SNAPSHOT = (
    "docs/data_contract.md, Snapshot-shaped HR input: people of the first snapshot are "
    "present at start, people missing from a later one left in between"
)


def _snapshot_choice(draft: TableDraft, name: str) -> ColumnChoice:
    """An HR file without hire or job dates is read as snapshots: yearly files on the last day
    of the year in their name, any other file on a date a person gives (never an invented id)."""
    choice, year = ColumnChoice(name), draft.source.year_column
    date = {"expr": f"make_date(CAST({year} AS INTEGER), 12, 31)"} if year else None
    if name == "hire_date" and date:
        draft.snapshot = {"date": date}
        choice.todo.append(
            f"no hire date: each file is read as a snapshot on the last day of the year "
            f"in its name (snapshot: above; check that day); hire_date stays unmapped ({_SNAPSHOT})"
        )
    elif name == "hire_date":
        choice.todo += [
            "required, and no column was found: map one, or derive it with expr (docs/data_contract.md)",
            "if each row is a person on a snapshot date (a payroll or headcount file), "
            "leave hire_date out and add snapshot: {date: {value: 'YYYY-MM-DD'}} (" + _SNAPSHOT + ")",
        ]
        example = hint(name, draft.source.columns)
        if example:
            choice.todo.append(f"for instance {example}")
    else:
        choice.spec = date
        choice.todo.append(
            "the snapshot date of each file, as in hr/employees' snapshot"
            if date
            else "no date found: the day each row's job holds from; for a snapshot file, a "
            "day on or before its snapshot date, e.g. {value: 'YYYY-MM-DD'}"
        )
        example = None if date else hint(name, draft.source.columns)
        if example:
            choice.todo.append(f"or, with hire_date derived from years of service, {example}")
    return choice


def _choice(table: Table, name: str, score: float, header: str, source: Source) -> ColumnChoice:
    column, profile = table.columns[name], source.columns[header]
    choice = ColumnChoice(name, spec=header, source=header)
    if score < STRONG:
        choice.todo.append(
            f"a {'weak' if score < WEAK else 'likely'} match ({score:.2f}): check that '{header}' holds {name}"
        )
    spec: dict = {"column": header}
    if column.type == "date" or (name == "birth_year" and not profile.integer):
        fmt, todo = date_choice(profile)
        choice.todo += todo
        if fmt and fmt != ISO:
            spec["date_format"] = fmt
        if name == "birth_year":
            spec["part"] = "year"
            if fmt and "%y" in fmt:
                spec["two_digit_year"] = "past"
                choice.notes.append("two-digit years that would be in the future are read as 19xx")
    if column.type in ("category", "enum"):
        values, notes, todo = value_map(column, profile)
        if values:
            spec["values"] = values
        choice.notes += notes
        choice.todo += todo
        if column.type == "enum" and not values and not todo:
            choice.notes.append(f"values already {', '.join(column.values)}")
    if name == "annual_base_salary" and "month" in norm(header):
        choice.todo.append(f'\'{header}\' looks monthly: annual_base_salary: {{expr: "\\"{header}\\" * 12"}}')
    choice.spec = spec if len(spec) > 1 else header
    return choice


def table_spec(draft: TableDraft) -> dict:
    """The mapping entry itself (without its comments)."""
    spec: dict = {"file": draft.source.file_spec}
    if draft.source.renames:
        spec["rename"] = dict(draft.source.renames)
    if draft.source.year_column:
        spec["from_file_name"] = {draft.source.year_column: YEAR_PATTERN}
    if draft.date_format:
        spec["date_format"] = draft.date_format
    if draft.duplicates:
        spec["duplicates"] = draft.duplicates
    if draft.snapshot:
        spec["snapshot"] = draft.snapshot
    columns = {c.column: c.spec for c in draft.choices if c.spec is not None}
    if columns:
        spec["columns"] = columns
    return spec
