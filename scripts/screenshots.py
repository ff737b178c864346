"""Screenshots of every dashboard page and page images of the PDF snapshot, for reviewers.

    python scripts/screenshots.py --out screenshots [--db build/demo.duckdb]

Builds the sample database when it is missing, starts the dashboard on a free port, takes a
full-page PNG of each page with Playwright (system Chromium), writes the PDF snapshot and
turns its pages into PNGs with pdftoppm. The output folder is ignored by git.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--db", default=ROOT / "build" / "demo.duckdb", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    equity = [sys.executable, "-m", "pipelines.cli"]
    if not args.db.exists():
        subprocess.run(equity + ["build", "--data", str(ROOT / "sample_data" / "demo"), "--db", str(args.db),
                                 "--quiet"], check=True)
    from dashboard.streamlit_app import PAGES
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(equity + ["dashboard", "--db", str(args.db), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(base)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            # Streamlit scrolls inside its own container, so a tall viewport is what captures a page
            page = browser.new_page(viewport={"width": 1400, "height": 4000})
            for i, (path, title, _) in enumerate(PAGES):
                if not (ROOT / "dashboard" / path).exists():
                    continue
                slug = Path(path).stem
                page.goto(base + ("/" if i == 0 else f"/{slug}"))
                page.wait_for_selector("h1", timeout=60_000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(2000)
                target = args.out / f"page-{i:02d}-{slug}.png"
                page.screenshot(path=str(target), full_page=True)
                sys.stdout.write(f"{target}\n")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    pdf = args.out / "snapshot.pdf"
    subprocess.run(equity + ["snapshot", "--db", str(args.db), "--out", str(pdf)], check=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(args.out / "snapshot")], check=True)
    sys.stdout.write(f"{pdf} and page images in {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
