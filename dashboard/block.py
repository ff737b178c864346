"""What a family's page and its PDF section are made of: blocks (a titled table with its
sentence and, usually, a figure) and a section (a family's blocks for the PDF). A family's
`dashboard/families/<family>/blocks.py` returns Blocks; its page draws each with
`components.show_block` and its `section.py` puts the same Blocks into a Section."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Block:
    title: str
    summary: str
    table: pd.DataFrame
    figure: object | None = None  # plotly.graph_objects.Figure
    alt: str = ""


@dataclass
class Section:
    family: str
    title: str
    intro: str
    blocks: list[Block] = field(default_factory=list)
    order: int = 99
