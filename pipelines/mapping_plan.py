"""`equity map`'s plan: which contract files each source feeds and what the draft says for
each of their columns. The guesses come from mapping_guess.py; this module decides which
table a source is (by the family its most telling columns belong to); mapping_table_draft.py
drafts each entry with the points a person must decide, mapping_unmatched.py the notes on
what nothing reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contract import Table, load_contract
from .mapping_extra import reserved_names as extra_reserved
from .mapping_guess import STRONG, assign, table_matches
from .mapping_sources import Source
from .mapping_table_draft import TableDraft, table_draft
from .mapping_unmatched import COUNT_NAMES, unmatched_notes
from .mapping_value_map import norm

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
            draft = table_draft(table, source, score, found)
            if others.get(name):
                draft.notes.append(f"also possible from: {'; '.join(others[name])}")
            drafts.append(draft)
    for draft in drafts:
        if draft.table.name == "hr__job_history":
            draft.extra = extra_candidates(draft.source, drafts)
    plan = Plan(tables=drafts, unmatched=unmatched_notes(sources, drafts))
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
