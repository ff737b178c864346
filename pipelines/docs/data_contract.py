"""docs/data_contract.md, from pipelines/contract.yml and the constants the mapping code uses."""

from __future__ import annotations

from ..config import default_config
from ..contract import load_contract
from ..mapping_expr import FUNCTION_NAMES
from ..mapping_inspect import SAMPLE_ROWS
from ..mapping_names import LEGAL_SUFFIXES
from ..mapping_weight import MAX_RECORDS, MAX_WEIGHT, weighted_keys
from .contract_intro import CONTRACT_INTRO
from .contract_sections import NAMES_SECTION, SNAPSHOT_SECTION, WEIGHT_SECTION
from .markdown import GENERATED, cell


def _snapshot_metrics(kind: str) -> str:
    """The metrics whose registry `from_snapshots` is `kind`, as a Markdown list of names."""
    from ..metrics._registry import registry

    return ", ".join(f"`{m.name}`" for m in registry().values() if m.extra.get("from_snapshots") == kind)


def contract_markdown() -> str:
    """docs/data_contract.md: the introduction and mapping sections, then one table per contract file."""
    cfg = default_config()["demographics"]
    out = [
        GENERATED.format(src="pipelines/contract.yml"),
        "",
        CONTRACT_INTRO.format(
            not_disclosed=cfg["not_disclosed"],
            unknown=cfg["unknown_label"],
            functions=FUNCTION_NAMES,
            sample_rows=SAMPLE_ROWS,
        ),
        WEIGHT_SECTION.format(
            max_weight=MAX_WEIGHT,
            max_records=MAX_RECORDS,
            weighted=", ".join(f"`{k}`" for k in weighted_keys()),
            weight_ids=", ".join(f"`{c}`" for t in load_contract().values() for c in (t.weight_ids or ())),
        ),
        NAMES_SECTION.format(suffixes=", ".join(sorted(LEGAL_SUFFIXES))),
        SNAPSHOT_SECTION.format(**{k: _snapshot_metrics(k) for k in ("stock", "exits", "hires", "changes")}),
    ]
    for table in load_contract().values():
        out += [
            f"## `{table.path}`",
            "",
            f"{table.description} Family: **{table.family}**; "
            f"{'required' if table.required else 'optional'}."
            + (f" Key: `{', '.join(table.primary_key)}` (unique)." if table.primary_key else ""),
            "",
        ]
        out += [
            "| column | type | required | allowed values / range | example | description |",
            "|---|---|---|---|---|---|",
        ]
        for col in table.columns.values():
            allowed = ", ".join(col.values)
            rng = []
            if col.min is not None:
                rng.append(f">= {col.min}")
            if col.min_exclusive is not None:
                rng.append(f"> {col.min_exclusive}")
            if col.max is not None:
                rng.append(f"<= {col.max}")
            if col.default is not None:
                rng.append(f"blank = {col.default}")
            detail = "; ".join(p for p in [allowed, " and ".join(rng)] if p)
            out.append(
                f"| `{col.name}` | {col.type} | {'yes' if col.required else ''} | {cell(detail)} | "
                f"{cell(col.example)} | {cell(col.description)} |"
            )
        for check in table.checks:
            out.append(f"\nStops the build: `{check['end']}` before `{check['start']}`.")
        for col, parent in table.references.items():
            out.append(
                f"\nRows whose `{col}` is not among the loaded rows of "
                f"`{load_contract()[parent].path}` are quarantined."
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"
