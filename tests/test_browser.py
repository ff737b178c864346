"""Real-browser checks (Playwright + system Chromium) over the running dashboard and the
sample database: every page loads without exceptions and renders its main content, URLs
restore the controls, and axe-core finds no serious or critical WCAG 2.2 AA violation."""

from __future__ import annotations

import json
import re
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _require(path: str, what: str) -> None:
    # These are installed by `make test` (system-deps, browser-deps); running pytest by hand
    # without them is a setup error, reported as a failure so it is never silently green.
    if not Path(path).exists():
        pytest.fail(f"{what} missing at {path}: run `make system-deps browser-deps`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_db):
    port = _free_port()
    env = dict(os.environ, EQUITY_DB=str(sample_db))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "dashboard", "--db", str(sample_db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"dashboard did not start: {proc.stdout.read().decode()[-2000:]}")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def _pages():
    from dashboard.pages import PAGES, page_path

    return [(name, title) for name, _, title, _ in PAGES if (ROOT / "dashboard" / page_path(name)).exists()]


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # let Streamlit finish the rerun after the first paint
    return page, errors


@pytest.mark.parametrize("slug,title", _pages())
def test_page_loads_and_renders(server, browser, slug, title):
    url = server + ("/" if slug == "overview" else f"/{slug}")
    page, errors = _open(browser, url)
    try:
        assert not errors, errors
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text().strip()
        if slug in ("workforce",):
            # the page draws its blocks one after another: wait for the first chart rather than
            # count at the first quiet moment (on a loaded machine the rerun is still going)
            page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=120_000)
            assert page.get_by_text("Data table").count() >= 1
    finally:
        page.close()


def test_query_string_restores_controls(server, browser):
    page, errors = _open(browser, f"{server}/workforce?period=quarter&by=gender,race_ethnicity")
    try:
        assert not errors
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("race_ethnicity", exact=True).first.wait_for(timeout=30_000)
        # quarterly grain restored: the chart's finding names a quarter such as 2026-Q3
        page.get_by_text(re.compile(r"(Representation|Headcount), \d{4}-Q[1-4]")).first.wait_for(timeout=30_000)
        assert "by=gender%2Crace_ethnicity" in page.url or "by=gender,race_ethnicity" in page.url
    finally:
        page.close()


@pytest.mark.parametrize("slug,title", _pages())
def test_no_serious_accessibility_violations(server, browser, slug, title):
    _require(str(AXE), "axe-core")
    page, _ = _open(browser, server + ("/" if slug == "overview" else f"/{slug}"))
    try:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        report = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in serious
        ]
        assert not serious, json.dumps(report, indent=1)
    finally:
        page.close()
