"""Screenshots of every dashboard page and page images of the PDF snapshot, for reviewers, and
the README's images (`make screenshots` does both).

    python scripts/screenshots.py --out screenshots [--readme docs/images] [--db build/demo.duckdb]

Builds the sample database when it is missing, starts the dashboard on a free port, takes a
full-page PNG of each page with Playwright (system Chromium), writes the PDF snapshot and turns
its pages into PNGs with pdftoppm. The --out folder is ignored by git.

--readme DIR also writes the three images the README shows, committed with it: the Overview
(overview.png) and one family page (pay.png), each the top of the page in a 1200 px wide
window, and the PDF's first page, the ranked summary (pdf-summary.png), 1200 px wide. They are
reduced to 256 colours so the repository stays small.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
README_WIDTH = 1200  # px: the README's images
README_PAGES = {"overview": 1500, "pay": 1700}  # page slug -> height of the window shown (px)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"dashboard at {base} did not become healthy")


def shrink(png: Path) -> None:
    """256 colours: a dashboard or a page of text loses nothing visible and a third of its bytes."""
    from PIL import Image

    with Image.open(png) as img:
        img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)


def dashboard_pages() -> list[str]:
    """The pages' slugs in the app's order, read from streamlit_app.PAGES without running the app."""
    tree = ast.parse((ROOT / "dashboard" / "streamlit_app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [
                Path(path).stem for path, _, _ in ast.literal_eval(node.value) if (ROOT / "dashboard" / path).exists()
            ]
    raise SystemExit("dashboard/streamlit_app.py defines no PAGES list")


def open_page(page, base: str, slug: str, first: bool) -> None:
    """Open a page and wait until Streamlit has finished running it (its status widget, "Running"
    with a Stop button, is gone) and the charts have drawn."""
    page.goto(base + ("/" if first else f"/{slug}"))
    page.wait_for_selector("h1", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=300_000, polling=500
    )
    page.wait_for_timeout(2000)  # plotly draws after the script run ends


def page_screenshots(base: str, out: Path | None, readme: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    pages = list(enumerate(dashboard_pages()))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
        if out is not None:
            # Streamlit scrolls inside its own container, so a tall viewport is what captures a page
            page = browser.new_page(viewport={"width": 1400, "height": 4000})
            for i, slug in pages:
                open_page(page, base, slug, i == 0)
                target = out / f"page-{i:02d}-{slug}.png"
                page.screenshot(path=str(target), full_page=True)
                sys.stdout.write(f"{target}\n")
        if readme is not None:
            for i, slug in pages:
                if slug not in README_PAGES:
                    continue
                page = browser.new_page(viewport={"width": README_WIDTH, "height": README_PAGES[slug]})
                open_page(page, base, slug, i == 0)
                target = readme / f"{slug}.png"
                page.screenshot(path=str(target))
                shrink(target)
                page.close()
                sys.stdout.write(f"{target}\n")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, type=Path, help="every page and PDF page (default: none)")
    parser.add_argument("--readme", default=None, type=Path, help="the README's three images")
    parser.add_argument("--db", default=ROOT / "build" / "demo.duckdb", type=Path)
    args = parser.parse_args()
    if args.out is None and args.readme is None:
        parser.error("give --out, --readme or both")
    for folder in (args.out, args.readme):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    equity = [sys.executable, "-m", "pipelines.cli"]
    if not args.db.exists():
        subprocess.run(
            equity + ["build", "--data", str(ROOT / "sample_data" / "demo"), "--db", str(args.db), "--quiet"],
            check=True,
        )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        equity + ["dashboard", "--db", str(args.db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(base)
        page_screenshots(base, args.out, args.readme)
    finally:
        server.terminate()
        server.wait(timeout=20)
    pdf = (args.out or args.readme) / "snapshot.pdf"
    subprocess.run(equity + ["snapshot", "--db", str(args.db), "--out", str(pdf)], check=True)
    if args.out is not None:
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(args.out / "snapshot")], check=True)
        sys.stdout.write(f"{pdf} and page images in {args.out}\n")
    if args.readme is not None:
        first = args.readme / "pdf-summary"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                "-scale-to-x",
                str(README_WIDTH),
                "-scale-to-y",
                "-1",
                str(pdf),
                str(first),
            ],
            check=True,
        )
        shrink(first.with_suffix(".png"))
        if args.out is None:
            pdf.unlink()  # the README shows its first page; the PDF itself is not committed
        sys.stdout.write(f"{first}.png\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
