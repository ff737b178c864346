"""`equity map`'s plan: which contract files each source feeds and what the draft says for
each of their columns. The guesses come from mapping_guess.py; this module decides which
table a source is (by the family its most telling columns belong to) and collects every
point a person must decide.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .contract import Table, load_contract
from .mapping_guess import STRONG, WEAK, ColumnChoice, assign, date_choice, hint, norm, table_matches, value_map
from .mapping_extra import reserved_names as extra_reserved
from .mapping_sources import YEAR_PATTERN, Source

ISO = "%Y-%m-%d"
# the columns that tell a family apart (gender or department fit every family)
FAMILY_ANCHORS = {
    "hr": {
        "employee_id",
        "hire_date",
        "termination_date",
        "termination_type",
        "annual_base_salary",
        "birth_year",
        "job_level",
        "effective_date",
        "leave_type",
        "basic_pay",
    },
    "recruiting": {"status", "applied_date", "requisition_id", "candidate_id", "stage"},
    "procurement": {
        "supplier_id",
        "supplier_name",
        "transaction_id",
        "amount",
        "certification",
        "valid_from",
        "transaction_date",
        "prime_supplier_id",
    },
    "voice": {"response_id", "survey_id", "item_id", "score", "construct", "invited"},
    "reference": {"rate_to_reporting", "event_date"},
}
# a procurement (or other optional) table is proposed when one of its own columns is found
OWN_ANCHORS = {
    "procurement__suppliers": {"supplier_name"},
    "procurement__certifications": {"certification", "valid_from"},
    "procurement__spend": {"amount"},
    "procurement__tier2_spend": {"prime_supplier_id"},
}
ALWAYS = {"hr": ("hr__employees", "hr__job_history"), "recruiting": ("recruiting__applications",)}
COUNT_NAMES = {"freq", "frequency", "count", "n", "weight", "headcount", "number"}


_BY_NAME = "match the suppliers by name: supplier_by_name: [{}] (docs/data_contract.md)"
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


@dataclass
class Plan:
    tables: list[TableDraft]
    unmatched: dict[str, list[str]]  # source display -> notes on columns not used
    settings: dict = field(default_factory=dict)  # top-level settings proposed
    setting_notes: list[str] = field(default_factory=list)


def _family(scores: dict[str, dict[str, tuple[float, str]]]) -> str | None:
    tables = load_contract()
    best, best_score = None, 0.0
    for family, anchors in FAMILY_ANCHORS.items():
        found: dict[str, float] = {}
        for name, chosen in scores.items():
            if tables[name].family == family:
                for col, (score, _) in chosen.items():
                    if col in anchors:
                        found[col] = max(found.get(col, 0.0), score)
        total = sum(found.values())
        if total > best_score:
            best, best_score = family, total
    return best if best_score >= 1.0 else None


def _proposed(source: Source) -> list[tuple[Table, float, dict]]:
    """(table, score, chosen columns) for every contract file this source may feed."""
    tables = load_contract()
    layout = [t for t in tables.values() if len(source.files) == 1 and source.files[0].rel == t.path]
    pool = layout or list(tables.values())
    chosen = {t.name: assign(t, table_matches(t, source.columns)) for t in pool}
    if layout:
        return [(layout[0], sum(s for s, _ in chosen[layout[0].name].values()), chosen[layout[0].name])]
    family = _family(chosen)
    out = []
    for table in (t for t in pool if t.family == family):
        found = chosen[table.name]
        required = [c for c, col in table.columns.items() if col.required]
        strong = [c for c in required if c in found and found[c][0] >= STRONG]
        present = [c for c in required if c in found]
        own = OWN_ANCHORS.get(table.name)
        if (
            table.name in ALWAYS.get(family, ())
            or len(strong) == len(required)
            or (own and own & set(found) and 2 * len(present) >= len(required))
        ):
            out.append((table, sum(s for s, _ in found.values()), found))
    return out


def make_plan(sources: list[Source]) -> Plan:
    best: dict[str, tuple[Source, float, dict]] = {}
    others: dict[str, list[str]] = {}
    for source in sources:
        for table, score, found in _proposed(source):
            if table.name not in best or score > best[table.name][1]:
                if table.name in best:
                    others.setdefault(table.name, []).append(best[table.name][0].display)
                best[table.name] = (source, score, found)
            else:
                others.setdefault(table.name, []).append(source.display)
    drafts = []
    for name, table in load_contract().items():
        if name in best:
            source, score, found = best[name]
            draft = _draft(table, source, score, found)
            if others.get(name):
                draft.notes.append(f"also possible from: {'; '.join(others[name])}")
            drafts.append(draft)
    for draft in drafts:
        if draft.table.name == "hr__job_history":
            draft.extra = extra_candidates(draft.source, drafts)
    plan = Plan(tables=drafts, unmatched=_unmatched(sources, drafts))
    if "recruiting__applications" in best and "recruiting__application_stages" not in best:
        plan.settings["recruiting"] = {"stage_order": ["applied", "hired"]}
        plan.setting_notes.append("no stages file was found: a one-stage funnel (applied -> status)")
    return plan


def extra_candidates(source: Source, drafts: list[TableDraft]) -> dict[str, str]:
    """Numeric columns of the job history's source that no mapping reads, by the extra_columns
    name proposed for each: pay factors the contract has no column for (years since a PhD).
    Only proposed, commented out: which are legitimate factors is a policy choice, and a number
    column quarantines a row whose cell is not a number."""
    used, reserved = set().union(*(d.used for d in drafts if d.source is source)), extra_reserved()
    out: dict[str, str] = {}
    for header, profile in source.columns.items():
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", header)  # DistanceFromHome -> Distance_From_Home
        name = re.sub(r"[^a-z0-9]+", "_", snake.lower()).strip("_")
        name = (name if name[:1].isalpha() else f"x_{name}")[:63]
        if (
            header in used
            or header.startswith("_unnamed_column_")
            or not profile.numeric
            or (profile.unique and profile.integer)
            or norm(header) in COUNT_NAMES
            or name in reserved
            or name in out
        ):
            continue  # an id, a count (weight) or a name the build refuses is no pay factor
        out[name] = header
    return out


def _draft(table: Table, source: Source, score: float, found: dict[str, tuple[float, str]]) -> TableDraft:
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
                    choice.todo.append(
                        "if this list's ids are not the vendor ids, " + _BY_NAME.format(", ".join(name_columns(source)))
                    )
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


def _shape(profile) -> str:
    if profile.filled == 0:
        return "always blank in the sample"
    if profile.numeric:
        low, high = profile.low, profile.high
        kind = "whole numbers" if profile.integer else "numbers"
        return f"{kind} {low:g} to {high:g}"
    formats = profile.date_formats()
    if formats:
        return f"dates ({formats[0]})"
    if profile.unique:
        return "a different value on every row (an id or free text)"
    if not profile.overflow and profile.distinct <= 12:
        return f"{profile.distinct} values: " + ", ".join(sorted(profile.values, key=lambda v: -profile.values[v]))
    return f"text, {profile.distinct}{'+' if profile.overflow else ''} distinct values"


def _unmatched(sources: list[Source], drafts: list[TableDraft]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for source in sources:
        used = set().union(*(d.used for d in drafts if d.source is source))
        notes = []
        if not any(d.source is source for d in drafts):
            notes.append("no contract file matched this file")
            if name_columns(source):  # a list of firms: certifications joined by name
                notes.append(
                    "a list of certified firms? map it as procurement/certifications and "
                    + _BY_NAME.format(", ".join(name_columns(source)))
                )
        for name, profile in source.columns.items():
            if name in used or name.startswith("_unnamed_column_"):
                continue
            note = f"{name}: {_shape(profile)}"
            if norm(name) in COUNT_NAMES and profile.integer:
                note += (
                    f" (a count? if each row stands for several applications, add `weight: {name}` "
                    "to recruiting/applications; docs/data_contract.md, Aggregated rows)"
                )
            notes.append(note)
        notes += [f"{name}: only in some of the files" for name in source.partial]
        if source.year_column:
            notes.append(
                f"{source.year_column}: the year in each file name (from_file_name), "
                f"usable in expr, e.g. make_date(CAST({source.year_column} AS INTEGER), 12, 31)"
            )
        for profile in source.files:
            notes += [f"{profile.rel} {p}" for p in profile.problems]
        if notes:
            out[source.display] = notes
    return out


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
