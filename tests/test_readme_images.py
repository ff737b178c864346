"""The README shows the Overview, one family page and the PDF's first page (issue 19): every
image it links exists in the repository, is a PNG about 1200 px wide and stays small, and
`make screenshots` is what regenerates them."""

from __future__ import annotations

import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


def _readme_images() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", text)


def test_readme_links_the_three_images_and_each_exists():
    links = _readme_images()
    assert {Path(link).name for link in links} >= {"overview.png", "pay.png", "pdf-summary.png"}, links
    for link in links:
        path = ROOT / link
        assert path.is_file(), f"README links {link}, which is not in the repository"
        raw = path.read_bytes()
        assert raw[:8] == PNG, link
        width, height = struct.unpack(">II", raw[16:24])  # the IHDR chunk: width, height
        assert 1000 <= width <= 1400 and height <= 2500, (link, width, height)
        assert len(raw) < 600_000, (link, len(raw))


def test_make_screenshots_regenerates_them():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = make.split("\nscreenshots:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/screenshots.py" in recipe and "--readme docs/images" in recipe
    script = (ROOT / "scripts" / "screenshots.py").read_text(encoding="utf-8")
    for name in ("overview", "pay", "pdf-summary"):
        assert name in script
