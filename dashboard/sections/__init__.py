"""Report sections: what each metric family contributes to the PDF snapshot (and any other
static report), built from the same suppressed tables and figure builders as the dashboard.

A family module `dashboard/sections/<family>.py` exposes `build_section(con, k, period)`
returning a Section, or None when its data is not loaded. Tables in blocks are display
tables (already suppressed and formatted); figures are plotly figures; `alt` is the
alternative text for the figure and `summary` the sentence(s) printed under it.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Block:
    title: str
    summary: str
    table: pd.DataFrame
    figure: object | None = None      # plotly.graph_objects.Figure
    alt: str = ""


@dataclass
class Section:
    family: str
    title: str
    intro: str
    blocks: list[Block] = field(default_factory=list)
    order: int = 99


def family_sections(con, k: int, period: str = "year") -> list[Section]:
    """Every family's section whose data is loaded, in registry order."""
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        section = module.build_section(con, k, period)
        if section is not None:
            out.append(section)
    return sorted(out, key=lambda s: s.order)
