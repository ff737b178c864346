"""Static charts for the PDF: plotly figures rendered to SVG by kaleido.

One persistent kaleido server (one headless Chromium) per document: starting Chromium
costs seconds, each further figure a fraction of one. MathJax is disabled because kaleido
would otherwise fetch it from a CDN for every figure (slow, and there is no network here).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil

log = logging.getLogger(__name__)
WIDTH, HEIGHT = 900, 420
MAX_HEIGHT = 1000  # px at WIDTH (about 200 mm): with its heading a figure still fits one A4 page


def print_height(fig: dict) -> int:
    """The figure's own height (a heat map of 38 groups asks for room) within one page; the
    default height for a figure that sets none."""
    asked = (fig.get("layout") or {}).get("height")
    return int(min(max(asked or HEIGHT, HEIGHT), MAX_HEIGHT))


class ChartRendererMissing(RuntimeError):
    """Chromium (needed by kaleido) is not installed."""


def _browser_path() -> str | None:
    for candidate in (
        os.environ.get("BROWSER_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@contextlib.contextmanager
def svg_renderer():
    """Yields render(fig) -> SVG text, backed by one kaleido server for the whole block."""
    import kaleido

    path = _browser_path()
    if path is None:
        raise ChartRendererMissing("charts need Chromium: run `make system-deps` (or pass --no-charts)")
    os.environ.setdefault("BROWSER_PATH", path)
    kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
    try:

        def render(fig) -> str:
            fig = fig.to_dict() if hasattr(fig, "to_dict") else fig
            data = kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": WIDTH, "height": print_height(fig)})
            return data.decode("utf-8") if isinstance(data, bytes) else data

        yield render
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
