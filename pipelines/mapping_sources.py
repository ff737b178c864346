"""Which sampled files `equity map` reads as one source: yearly exports of one table (same
name but for the year, mostly the same columns) become one stacked source with a wildcard,
renames for drifting headers and the year taken from the file name (mapping_files.py reads
them that way).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field

from .mapping_inspect import ColumnProfile, FileProfile

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
YEAR_PATTERN = r"((?:19|20)\d\d)"
MIN_SHARED = 0.6  # share of columns two yearly files must share to be stacked


@dataclass
class Source:
    """Files read as one mapping source (usually one file)."""

    files: list[FileProfile]
    file_spec: str | list[str]  # what `file:` says
    renames: dict[str, str] = field(default_factory=dict)  # old header name -> name used
    year_column: str | None = None  # from_file_name column with each file's year
    columns: dict[str, ColumnProfile] = field(default_factory=dict)  # name used -> values
    partial: list[str] = field(default_factory=list)  # columns only some of the files have

    @property
    def display(self) -> str:
        return self.file_spec if isinstance(self.file_spec, str) else ", ".join(self.file_spec)

    @property
    def readable_by_build(self) -> bool:
        return all(f.readable_by_build for f in self.files)


def column_key(name: str) -> str:
    """A header name without case, punctuation or a year: `2019 Overtime Pay`,
    `Overtime_Pay` and `Overtime Pay` are one column."""
    return re.sub(r"[^a-z0-9]", "", _YEAR.sub("", name.lower()))


def _name_key(rel: str) -> tuple[str, str]:
    return posixpath.dirname(rel), re.sub(r"[^a-z]", "", posixpath.basename(rel).lower())


def _keys(profile: FileProfile) -> dict[str, str] | None:
    """column key -> header name; None when two columns share a key (no safe rename)."""
    out: dict[str, str] = {}
    for name in profile.header:
        key = column_key(name)
        if key in out:
            return None
        out[key] = name
    return out


def _stackable(a: FileProfile, b: FileProfile) -> bool:
    ka, kb = _keys(a), _keys(b)
    if ka is None or kb is None or a.delimiter != b.delimiter:
        return False
    return len(set(ka) & set(kb)) >= MIN_SHARED * min(len(ka), len(kb))


def group_sources(profiles: list[FileProfile], all_files: list[str]) -> list[Source]:
    """One Source per file, except that files named alike whose headers mostly agree are one."""
    groups: dict[tuple[str, str], list[FileProfile]] = {}
    for profile in profiles:
        groups.setdefault(_name_key(profile.rel), []).append(profile)
    sources = []
    for members in groups.values():
        stack = [members[0]] + [m for m in members[1:] if _stackable(members[0], m)]
        rest = [m for m in members if m not in stack]
        if len(stack) > 1:
            sources.append(_stacked(stack, all_files))
        else:
            rest.insert(0, stack[0])
        sources += [_single(m) for m in rest]
    return sorted(sources, key=lambda s: s.files[0].rel)


def _single(profile: FileProfile) -> Source:
    return Source(files=[profile], file_spec=profile.rel, columns=dict(profile.columns))


def _wildcard(rels: list[str], all_files: list[str]) -> str | list[str]:
    """`Employee_Salaries_*.csv` when it matches exactly these files, else the list."""
    folder = posixpath.dirname(rels[0])
    names = [posixpath.basename(r) for r in rels]
    # no digits at the edges of the wildcard, so that next year's file (2030) matches too
    prefix = os.path.commonprefix(names).rstrip("0123456789")
    suffix = os.path.commonprefix([n[::-1] for n in names])[::-1].lstrip("0123456789")
    if len(prefix) + len(suffix) >= min(len(n) for n in names) or any(c in prefix + suffix for c in "*?[]"):
        return list(rels)
    pattern = posixpath.join(folder, f"{prefix}*{suffix}") if folder else f"{prefix}*{suffix}"
    matched = sorted(f for f in all_files if fnmatch.fnmatchcase(f, pattern) and posixpath.dirname(f) == folder)
    return pattern if matched == sorted(rels) else list(rels)


def _stacked(files: list[FileProfile], all_files: list[str]) -> Source:
    keyed = [_keys(f) or {} for f in files]
    shared = [k for k in keyed[0] if all(k in other for other in keyed[1:])]
    source = Source(files=files, file_spec=_wildcard([f.rel for f in files], all_files))
    for key in shared:
        spellings = [k[key] for k in keyed]
        # the name without a year, then the most usual spelling, then the first file's
        counts = Counter(spellings)
        name = sorted(spellings, key=lambda s: (bool(_YEAR.search(s)), -counts[s], spellings.index(s)))[0]
        merged = ColumnProfile(name)
        for profile, spelling in zip(files, spellings):
            merged.merge(profile.columns[spelling])
            if spelling != name:
                source.renames[spelling] = name
        source.columns[name] = merged
    source.partial = sorted({k[key] for k in keyed for key in k if key not in shared})
    if all(len(_YEAR.findall(posixpath.basename(f.rel))) == 1 for f in files):
        column = "file_year"
        while column in {h.lower() for f in files for h in f.header}:
            column = "_" + column
        source.year_column = column
    return source
