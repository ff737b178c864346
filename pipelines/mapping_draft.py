"""`equity map --data FOLDER`: a draft equity.yml for a person to review.

The draft is YAML text with comments (what was detected, what a person must decide, what
was not matched). Every header name and cell value in it is hostile text: values are written
by a SafeDumper (anything that is not printable goes in a one-line double-quoted scalar),
comments have every non-printable character escaped, and the text is read back with
yaml.safe_load and compared with what was meant before it is written, so no cell can add a
key, a tag or a line. An existing file is never replaced (opened with mode "x").
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .config import CONFIG_FILE
from .errors import DataError, UsageError
from .mapping_inspect import SAMPLE_ROWS, FileProfile, csv_files_in, profile_file
from .mapping_plan import Plan, make_plan
from .mapping_sources import group_sources
from .mapping_table_draft import TableDraft, table_spec

WIDTH = 100
TABLE_ORDER = ("file", "rename", "from_file_name", "date_format", "duplicates", "snapshot")


class _Dumper(yaml.SafeDumper):
    """SafeDumper whose strings with a line break, tab or other control character are one
    double-quoted line (escaped), never a multi-line scalar."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = '"' if any(not ch.isprintable() for ch in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(obj: dict, indent: int, flow: bool | None = False) -> list[str]:
    """Block YAML lines; flow=None writes innermost mappings on one line ({column: x, type: number})."""
    text = yaml.dump(obj, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**9, default_flow_style=flow)
    return [" " * indent + line for line in text.splitlines()]


def safe_comment(text: str) -> str:
    """Text for a comment line: every non-printable character (line breaks included) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def _comment(text: str, indent: int, prefix: str = "") -> list[str]:
    pad = " " * indent + "# "
    return textwrap.wrap(
        prefix + safe_comment(text),
        width=WIDTH,
        initial_indent=pad,
        subsequent_indent=pad + " " * (len(prefix) - len(prefix.lstrip()) + 2),
        break_long_words=True,
    ) or [pad.rstrip()]


@dataclass
class DraftResult:
    path: Path
    tables: list[str]
    todo: int
    unmatched: int


def _file_line(p: FileProfile) -> str:
    delim = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(p.delimiter, p.delimiter)
    rows = f"{p.rows} rows" if p.complete else f"first {p.rows} rows sampled"
    return f"{p.rel}: {p.encoding}, {delim}-separated, {rows}, {len(p.header)} columns"


def render(
    plan: Plan, profiles: list[FileProfile], skipped: list[str], folder_name: str, today: dt.date | None = None
) -> tuple[str, dict]:
    """(draft text, the data it must load as)."""
    lines = _comment(
        f"Draft equity.yml written by `equity map` on {(today or dt.date.today()).isoformat()} "
        f"from the folder {folder_name}.",
        0,
    )
    lines += _comment(
        "A proposal to review, not a decision: each TODO needs a person. File names are "
        "relative to the data folder, so keep this file there. Demographic values are mapped "
        "only where they spell the same answer (F -> Woman); every other answer is kept as "
        "given. Check it with `equity build --data FOLDER`.",
        0,
    )
    lines += ["#"] + _comment(f"Files read (at most {SAMPLE_ROWS} rows of each):", 0)
    lines += [line for p in profiles for line in _comment(_file_line(p), 0, "  ")]
    lines += [line for s in skipped for line in _comment(s, 0, "  skipped ")]
    doc: dict = {}
    for key, value in plan.settings.items():
        lines.append("")
        lines += [line for n in plan.setting_notes for line in _comment(n, 0)]
        lines += _dump({key: value}, 0)
        doc[key] = value
    if plan.tables:
        lines += ["", "mapping:"]
        doc["mapping"] = {}
    for draft in plan.tables:
        lines += _table_lines(draft)
        doc["mapping"][draft.table.key] = table_spec(draft)
    lines += ["", "# Not matched: what no mapping above reads (the build ignores it)."]
    for display, notes in plan.unmatched.items():
        lines += _comment(display, 0, "  ")
        lines += [line for n in notes for line in _comment(n, 0, "    ")]
    if not plan.unmatched:
        lines += _comment("nothing: every column of every file is read", 0, "  ")
    return "\n".join(lines) + "\n", doc


def _table_lines(draft: TableDraft) -> list[str]:
    lines = [""] + _comment(f"{draft.table.key} <- {draft.source.display}: {draft.table.description}", 2)
    lines += [line for n in draft.notes for line in _comment(n, 2)]
    lines += [line for n in draft.todo for line in _comment(n, 2, "TODO: ")]
    lines.append(f"  {draft.table.key}:")
    spec = table_spec(draft)
    for key in TABLE_ORDER:
        if key in spec:
            lines += _dump({key: spec[key]}, 4)
    if any(c.spec is not None for c in draft.choices) or draft.choices:
        lines.append("    columns:" if "columns" in spec else "    # columns:")
    for choice in draft.choices:
        lines += [line for n in choice.notes for line in _comment(n, 6)]
        lines += [line for n in choice.todo for line in _comment(n, 6, f"TODO {choice.column}: ")]
        if choice.spec is None:
            lines += _comment(f"{choice.column}: ", 6)
        else:
            lines += _dump({choice.column: choice.spec}, 6)
    if draft.extra:
        # commented out: a pay factor is a policy choice (docs/data_contract.md, extra_columns)
        lines += _comment(
            "numbers no column reads; to control for some in the pay model (pay.legitimate_factors), uncomment them:",
            4,
            "TODO: ",
        )
        block = _dump(
            {"extra_columns": {name: {"column": header, "type": "number"} for name, header in draft.extra.items()}},
            0,
            flow=None,
        )
        lines += ["    # " + line for line in block]
    return lines


def draft_config(folder: Path, out: Path | None = None, progress: Callable[[str], None] | None = None) -> DraftResult:
    """Inspect the CSV files of `folder` and write the draft to `out` (default
    FOLDER/equity.yml). Refuses an existing `out` before reading anything."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    out = Path(out) if out is not None else folder / CONFIG_FILE
    if out.exists() or out.is_symlink():
        raise UsageError(
            f"{out} already exists; equity map never overwrites a file: review or move "
            "it, or write the draft elsewhere with --out"
        )
    progress = progress or (lambda msg: None)
    files, skipped = csv_files_in(folder)
    if not files:
        raise DataError("has no CSV file to inspect (only files inside the folder are read)", file=str(folder))
    profiles = []
    for number, rel in enumerate(files, start=1):
        progress(f"reading {safe_comment(rel)} ({number}/{len(files)})")
        profiles.append(profile_file(folder, rel))
    progress("matching columns to the data contract")
    plan = make_plan(group_sources(profiles, files))
    text, doc = render(plan, profiles, skipped, folder.resolve().name)
    if yaml.safe_load(text) != (doc or None):
        # cannot happen with the dumper above; if it ever does, nothing half-right is written
        raise DataError("the draft did not read back as written; nothing was written", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("x", encoding="utf-8") as fh:  # "x": never replaces a file that appeared meanwhile
        fh.write(text)
    todo = sum(len(c.todo) for d in plan.tables for c in d.choices) + sum(len(d.todo) for d in plan.tables)
    return DraftResult(
        path=out,
        tables=[d.table.key for d in plan.tables],
        todo=todo,
        unmatched=sum(len(v) for v in plan.unmatched.values()),
    )
