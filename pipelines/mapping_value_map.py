"""`equity map`'s value maps: spellings of the same answer mapped onto the project's labels
(F -> Woman, white -> White), and export words onto a contract enum (Admitted -> hired).
Demographic answers stay data: "Prefer not to say", "Not disclosed", non-binary and any other
answer are kept as given and listed.
"""

from __future__ import annotations

import re

from .contract import Column
from .mapping_inspect import ColumnProfile

WOMAN, MAN, NON_BINARY = "Woman", "Man", "Non-binary"
VALUE_LABELS = {
    "gender": {
        "f": WOMAN,
        "female": WOMAN,
        "w": WOMAN,
        "woman": WOMAN,
        "women": WOMAN,
        "m": MAN,
        "male": MAN,
        "man": MAN,
        "men": MAN,
        "nonbinary": NON_BINARY,
        "nb": NON_BINARY,
    },
    "race_ethnicity": {
        "white": "White",
        "caucasian": "White",
        "black": "Black or African American",
        "africanamerican": "Black or African American",
        "blackorafricanamerican": "Black or African American",
        "asian": "Asian",
        "hispanic": "Hispanic or Latino",
        "latino": "Hispanic or Latino",
        "hispanicorlatino": "Hispanic or Latino",
        "hispaniclatino": "Hispanic or Latino",
        "americanindianoralaskanative": "American Indian or Alaska Native",
        "nativeamerican": "American Indian or Alaska Native",
        "nativehawaiianorotherpacificislander": "Native Hawaiian or Other Pacific Islander",
        "twoormoreraces": "Two or more races",
        "multiracial": "Two or more races",
    },
}
YES_NO = {"y": "Yes", "yes": "Yes", "true": "Yes", "n": "No", "no": "No", "false": "No"}
TRUTHY = {"1", "yes", "y", "true", "t"}
# enum values by keyword (checked in order: "involuntary" contains "voluntary")
ENUM_WORDS = {
    "status": [
        ("withdr", "withdrawn"),
        ("reject", "rejected"),
        ("declin", "rejected"),
        ("notselected", "rejected"),
        ("hire", "hired"),
        ("admit", "hired"),
        ("accept", "hired"),
        ("callback", "hired"),
        ("progress", "in_progress"),
        ("pending", "in_progress"),
        ("open", "in_progress"),
    ],
    "termination_type": [
        ("involunt", "involuntary"),
        ("cause", "involuntary"),
        ("dismiss", "involuntary"),
        ("layoff", "involuntary"),
        ("volunt", "voluntary"),
        ("resign", "voluntary"),
        ("active", ""),
        ("stillemployed", ""),
    ],
}
MAX_MAPPED = 50  # a column with more distinct values gets no value map


def norm(name: str) -> str:
    """The key a header or value is compared by: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def known_share(profile: ColumnProfile, labels: dict[str, str]) -> float:
    """The share of the sampled values that `labels` knows (0 when the values overflowed)."""
    values = [v for v in profile.values if not profile.overflow]
    return sum(norm(v) in labels for v in values) / len(values) if values else 0.0


def value_map(column: Column, profile: ColumnProfile) -> tuple[dict[str, str], list[str], list[str]]:
    """(value map, notes, TODO notes) onto the project's labels for a category or enum column."""
    if profile.overflow or profile.distinct > MAX_MAPPED:
        return {}, [], [f"{profile.distinct}+ distinct values: no value map proposed"]
    out: dict[str, str] = {}
    kept, unknown = [], []
    values = sorted(profile.values, key=lambda v: -profile.values[v])
    labels = VALUE_LABELS.get(column.name, YES_NO if column.name in ("disability", "veteran", "lgbtq") else None)
    for value in values:
        if value.lower() in {k.lower() for k in out}:
            continue  # the build matches values case-insensitively: one entry each
        target = None
        if labels is not None:
            target = labels.get(norm(value), labels.get(value.lower()))
            if target is None or target == value:
                kept.append(value)
                continue
        elif column.type == "enum":
            target = _enum_value(column, value, profile)
            if target is None:
                unknown.append(value)
                continue
            if target == value:
                continue
        if target is not None:
            out[value] = target
    notes = [f"kept as given: {', '.join(kept)}"] if kept and labels is not None else []
    todo = (
        [f"values with no {column.name} meaning yet (map them, or rows are quarantined): {', '.join(unknown)}"]
        if unknown
        else []
    )
    if column.type == "enum" and out and any(v == "" for v in out.values()):
        notes.append('"" = blank (no value for these rows)')
    return out, notes, todo


def _enum_value(column: Column, value: str, profile: ColumnProfile) -> str | None:
    if value.lower() in column.values:
        return value
    if column.name == "status" and profile.boolean:
        return "hired" if value.lower() in TRUTHY else "rejected"
    for word, target in ENUM_WORDS.get(column.name, []):
        if word in norm(value):
            return target
    return None
