"""The end of `equity map`'s draft: every column of each source that no mapping reads, with
its shape (values only for small value sets, so names and ids are not copied)."""

from __future__ import annotations

from .mapping_value_map import norm
from .mapping_sources import Source
from .mapping_table_draft import TableDraft, name_columns, supplier_by_name_hint

COUNT_NAMES = {"freq", "frequency", "count", "n", "weight", "headcount", "number"}


def column_shape(profile) -> str:
    """What a column holds, in words: its number range, date format or values."""
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


def unmatched_notes(sources: list[Source], drafts: list[TableDraft]) -> dict[str, list[str]]:
    """Source display -> notes on what no draft entry reads (and files no contract file matched)."""
    out: dict[str, list[str]] = {}
    for source in sources:
        used = set().union(*(d.used for d in drafts if d.source is source))
        notes = []
        if not any(d.source is source for d in drafts):
            notes.append("no contract file matched this file")
            if name_columns(source):  # a list of firms: certifications joined by name
                notes.append(
                    "a list of certified firms? map it as procurement/certifications and "
                    + supplier_by_name_hint(source)
                )
        for name, profile in source.columns.items():
            if name in used or name.startswith("_unnamed_column_"):
                continue
            note = f"{name}: {column_shape(profile)}"
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
