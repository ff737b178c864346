"""`make demo` as a new user meets it: a fresh clone of the committed tree, no .venv, empty
pip and uv caches, timed until the dashboard answers its health check (aim: < 90 s on the
shared 2-core machine). The size of the demo's .venv is reported too. Writes
benchmarks/results/install.md (run_all's summary points at it) and prints the rows.

Packages come from whatever index pip and uv are configured with on the machine, so a
mirror nearer than PyPI makes this faster than a user's first install.

    python benchmarks/bench_install.py
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import HEADER, ROOT, Row, free_port  # noqa: E402

TIMEOUT_S = 900


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def make_demo_until_healthy(clone: Path, caches: Path) -> tuple[float, str]:
    """(seconds from `make demo` to a healthy dashboard, the tail of its output)."""
    port = free_port()
    env = dict(os.environ, UV_CACHE_DIR=str(caches / "uv"), PIP_NO_CACHE_DIR="1", PIP_CACHE_DIR=str(caches / "pip"))
    log = clone / "make-demo.log"
    with log.open("wb") as out:
        start = time.perf_counter()
        # its own process group, so the dashboard it ends in is stopped with it
        proc = subprocess.Popen(
            ["make", "demo", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while proc.poll() is None and time.perf_counter() - start < TIMEOUT_S:
                try:
                    if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                        return time.perf_counter() - start, log.read_text(errors="replace")[-1500:]
                except OSError:
                    time.sleep(0.25)
            raise SystemExit(f"make demo did not reach a healthy dashboard:\n{log.read_text(errors='replace')[-3000:]}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


def main() -> int:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
        seconds, tail = make_demo_until_healthy(clone, Path(tmp) / "caches")
        venv_mb = _size_mb(clone / ".venv")
    rows = [
        Row("make demo from a fresh clone, empty caches, to a healthy dashboard", seconds, "s", 90, "aim", "< 90 s"),
        Row("make demo .venv size", venv_mb, "MB", aim="runtime + PDF only"),
    ]
    load = os.getloadavg()[0]
    text = "\n".join(
        [
            "# Demo install",
            "",
            f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} (commit {commit}) on {os.cpu_count()} cores, "
            f"load average {load:.1f} at the end, by `python benchmarks/bench_install.py`.",
            "",
            HEADER,
            *[r.markdown() for r in rows],
            "",
            "Last lines of `make demo`:",
            "",
            "```",
            tail.strip(),
            "```",
            "",
        ]
    )
    out = ROOT / "benchmarks" / "results" / "install.md"
    out.write_text(text, encoding="utf-8")
    sys.stdout.write(text + f"\nwritten to {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
