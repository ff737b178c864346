"""Shared benchmark plumbing: generated workloads (cached in a temp dir, never the repo),
timing, peak memory of child processes, and the results table."""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUITY = [sys.executable, "-m", "pipelines.cli"]
WORKLOADS = {"tiny": 200, "W1": 10_000, "W2": 200_000}  # employees; volumes scale with them
CACHE = Path(os.environ.get("EQUITY_BENCH_DIR", Path(tempfile.gettempdir()) / "equity-bench"))

# A user's install keeps compiled bytecode, so every command after the first starts from it.
# Where the machine sets PYTHONDONTWRITEBYTECODE, each measured process would compile every
# import again (~22% of a small build; more of `equity list`), which no user pays. The
# measured children therefore keep their bytecode in a cache of their own under CACHE (not
# in the repository or the venv); the best-of timings leave out the first run, which fills it.
BYTECODE_OFF_ON_MACHINE = bool(os.environ.pop("PYTHONDONTWRITEBYTECODE", ""))
if BYTECODE_OFF_ON_MACHINE:
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(CACHE / "pycache"))


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    aim: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline else self.value / self.baseline

    def markdown(self) -> str:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}"
        base = "" if self.baseline is None else f"{self.baseline:.3g} {self.unit} ({self.baseline_name})"
        return f"| {self.figure} | {self.value:.3g} {self.unit} | {base} | {ratio} | {self.aim} |"


HEADER = "| figure | value | floor / baseline | ratio | aim |\n|---|---|---|---|---|"


def workload(name: str) -> Path:
    """The generated data folder for a workload (generated once, reused by later runs)."""
    folder = CACHE / name
    if not (folder / "hr" / "employees.csv").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            EQUITY + ["sample", "--out", str(folder), "--employees", str(WORKLOADS[name])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def timed_run(cmd: list[str], **kwargs) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of a child process. Peak RSS is read per child with
    wait4 so earlier children do not inflate it."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def best_of(fn, repeat: int = 3) -> float:
    """Minimum of several timings: the least disturbed by other work on a shared machine."""
    return min(_time(fn) for _ in range(repeat))


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def emit(rows: list[Row], ratio_of: Row, details: list[str] | None = None) -> None:
    """Markdown rows, then the headline ratio as the last line (what make bench collects).
    `details` are rows of a per-item table (e.g. per metric); run_all prints them after the
    summary under `DETAIL` headings."""
    for row in rows:
        sys.stdout.write(row.markdown() + "\n")
    for line in details or []:
        sys.stdout.write(f"{DETAIL}{line}\n")
    sys.stdout.write(f"ratio {ratio_of.figure}: {ratio_of.ratio:.2f}\n")


DETAIL = "detail"


def built_db(args, tmp: str) -> Path:
    """The database a script measures: `--db` when run_all built one for every script (one
    W1 build per `make bench`, not one per script), else a fresh build in `tmp`."""
    if getattr(args, "db", None):
        return Path(args.db)
    db = Path(tmp) / "bench.duckdb"
    timed_run(EQUITY + ["build", "--data", str(workload(args.workload)), "--db", str(db), "--quiet"])
    return db


def add_common_options(parser) -> None:
    parser.add_argument("--workload", default="W1", choices=sorted(WORKLOADS))
    parser.add_argument("--db", default=None, help="An already built database of this workload.")


def self_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def free_port() -> int:
    """A local TCP port nobody listens on (for a dashboard server a benchmark starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
