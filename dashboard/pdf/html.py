"""HTML for the snapshot. Every piece of text from data passes through `esc` (a category
value or file name is data, never markup)."""

from __future__ import annotations

import base64
import html
import re
from importlib import resources

import pandas as pd

WIDE_COLUMNS = 8  # wider tables print in a smaller type so cells do not wrap letter by letter
HASH = re.compile(r"^[0-9A-Fa-f]{32,}$")
NUMERIC = ("n", "95% CI", "rows_in", "rows_loaded", "rows_quarantined", "size_bytes")


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def table(df: pd.DataFrame, caption: str = "", css: str = "") -> str:
    """A table with a header row repeated on every page and scoped header cells."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = "".join(f'<td class="{cell_class(c, v)}">{esc(v)}</td>' for c, v in zip(df.columns, row))
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    classes = " ".join(c for c in (css, "wide" if len(df.columns) > WIDE_COLUMNS else "") if c)
    cls = f' class="{classes}"' if classes else ""
    return f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def cell_class(column: str, value: object) -> str:
    """num: right-aligned figures; hash: a long unbroken token (a SHA-256) set small and
    allowed to break anywhere, so it wraps inside its column instead of running off the page."""
    if isinstance(value, str) and HASH.match(value):
        return "hash"
    return "num" if column in NUMERIC else ""


def figure(svg: str | None, alt: str, caption: str) -> str:
    if not svg:
        return f"<p>{esc(caption)}</p>"
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def document(title: str, organisation: str, body: str, lang: str = "en") -> str:
    css = resources.files("dashboard.pdf").joinpath("style.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<title>{esc(title)}</title><meta name="author" content="{esc(organisation)}">'
        f'<meta name="generator" content="equity-metrics"><style>{css}</style></head>'
        f"<body>{body}</body></html>"
    )
