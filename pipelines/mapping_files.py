"""Which files a mapping source reads: one file, a list, or a glob, stacked by column name.

Real exports come as one file per year or per month whose headers drift (`Base Salary` in
2019, `Base_Salary` in 2023). A source's `file` may therefore be a list or a wildcard; each
file's columns are renamed (`rename`, for every file, or per file in the list) to the names
the mapping uses, and `from_file_name` turns part of the file name (the year) into a column.
Every file must stay inside the data folder: the path a user writes is hostile text.
"""

from __future__ import annotations

import glob as globlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError
from .paths import resolve_source_path

FILE_KEYS = ("file", "rename")


@dataclass
class SourcePart:
    """One file of a source: its header and the names the mapping sees for it."""

    path: Path
    display: str  # relative to the data folder
    header: list[str]  # as in the file (blanks have placeholders)
    names: dict[str, str] = field(default_factory=dict)  # mapping name -> header name
    from_name: dict[str, str] = field(default_factory=dict)  # column -> value from the file name
    rows: int = 0
    # added to the file's own line numbers so that lines stay unique across stacked files:
    # file k's base is the sum of (rows + 1) of the files before it
    base: int = 0

    def locate(self, line: int) -> int:
        """This file's own line number for a source-wide line."""
        return line - self.base


def resolve_in_data_folder(data_dir: Path, rel: str, allowed_dirs=()) -> Path:
    """`data_dir / rel`, refused unless it stays inside the data folder (after symlinks) or
    a folder listed under `source_dirs` (pipelines/paths.py)."""
    return resolve_source_path(data_dir, rel, allowed_dirs)


def _entries(spec: dict[str, Any], default: str, what: str) -> list[tuple[str, dict[str, str]]]:
    """(path or pattern, per-file renames) for each entry of `file`."""
    raw = spec.get("file", default)
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise DataError(f"{what}: file must name at least one file", file="equity.yml")
    out = []
    for item in items:
        if isinstance(item, dict):
            unknown = sorted(str(k) for k in item if k not in FILE_KEYS)
            if unknown or "file" not in item:
                raise DataError(
                    f"{what}: a file entry needs `file` and may have `rename` (got {', '.join(map(str, item))})",
                    file="equity.yml",
                )
            out.append((str(item["file"]), _renames(item.get("rename"), what)))
        elif isinstance(item, str):
            out.append((item, {}))
        else:
            raise DataError(f"{what}: file must be a file name, a wildcard or a list of them", file="equity.yml")
    return out


def _renames(spec: Any, what: str) -> dict[str, str]:
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not all(isinstance(v, str) for v in spec.values()):
        raise DataError(f"{what}: rename must map header names to names (old: new)", file="equity.yml")
    return {str(k).strip(): v.strip() for k, v in spec.items()}


def _from_file_name(spec: Any, what: str) -> dict[str, re.Pattern]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise DataError(f"{what}: from_file_name must map a column name to a pattern", file="equity.yml")
    out = {}
    for name, pattern in spec.items():
        try:
            out[str(name)] = re.compile(str(pattern))
        except re.error as exc:
            raise DataError(
                f"{what}: from_file_name.{name} is not a valid pattern ({exc})", file="equity.yml"
            ) from None
    return out


def _is_pattern(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def source_parts(
    data_dir: Path, spec: dict[str, Any], default: str, what: str, read_header, allowed_dirs=()
) -> tuple[str, list[SourcePart]]:
    """(display name, files) for one mapping source; no files when none exists.

    `read_header(path, display)` reads a header. Files are stacked in the order written, a
    wildcard's matches in name order; a file listed twice is read once."""
    table_renames = _renames(spec.get("rename"), what)
    patterns = _from_file_name(spec.get("from_file_name"), what)
    entries = _entries(spec, default, what)
    parts: list[SourcePart] = []
    seen: set[Path] = set()
    for text, renames in entries:
        resolve_in_data_folder(data_dir, text.split("*")[0] or ".", allowed_dirs)  # refuse ../ before globbing
        if _is_pattern(text):
            matches = sorted(globlib.glob(text, root_dir=data_dir))
        else:
            matches = [text] if (data_dir / text).is_file() else []
        for rel in matches:
            path = resolve_in_data_folder(data_dir, rel, allowed_dirs)
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            parts.append(_part(path, rel, read_header, {**table_renames, **renames}, patterns, what))
    display = ", ".join(t for t, _ in entries)
    return display, parts


def _part(
    path: Path, rel: str, read_header, renames: dict[str, str], patterns: dict[str, re.Pattern], what: str
) -> SourcePart:
    header = read_header(path, rel)
    lowered = {h.lower(): h for h in header}
    names = {h: h for h in header}
    for old, new in renames.items():
        actual = old if old in names else lowered.get(old.lower())
        if actual is not None:  # a rename applies to the files that have the old name
            del names[actual]
            if new in names:
                raise DataError(
                    f"rename of '{old}' to '{new}': the file already has '{new}'", file=rel, line=1, column=old
                )
            names[new] = actual
    from_name = {}
    for column, pattern in patterns.items():
        match = pattern.search(Path(rel).name)
        if match is None:
            raise DataError(
                f"from_file_name.{column}: the pattern {pattern.pattern!r} does not match the file name", file=rel
            )
        from_name[column] = match.group(1) if pattern.groups else match.group(0)
        if column in names:
            raise DataError(f"from_file_name.{column}: the file already has a column '{column}'", file=rel, line=1)
    return SourcePart(path=path, display=rel, header=header, names=names, from_name=from_name)


def mapping_header(parts: list[SourcePart]) -> list[str]:
    """The names a mapping may use: every file's (renamed) columns and file-name columns."""
    out: list[str] = []
    for part in parts:
        for name in list(part.names) + list(part.from_name):
            if name not in out:
                out.append(name)
    return out


def part_for_line(parts: list[SourcePart], line: int) -> SourcePart:
    """The file a source-wide line number belongs to."""
    for part in reversed(parts):
        if line > part.base:
            return part
    return parts[0]
