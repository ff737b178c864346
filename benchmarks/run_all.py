"""Run every benchmark on a workload and write benchmarks/results/latest.md: one summary
table (each figure with its aim and the ratio to it, measured side by side in this run), then
the per-item tables (per metric, per dashboard page and change).

The workload database is built once here and handed to the scripts that only read it
(`--db`); the build and incremental scripts time their own builds.

    python benchmarks/run_all.py [--workload W1|W2]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DETAIL, EQUITY, timed_run, workload  # noqa: E402

HERE = Path(__file__).resolve().parent
SCRIPTS = {"W1": ["bench_cli.py", "bench_build.py", "bench_incremental.py", "bench_metrics.py",
                  "bench_dashboard.py", "bench_snapshot.py", "bench_privacy.py"],
           "W2": ["bench_build.py"],
           "tiny": ["bench_cli.py", "bench_metrics.py", "bench_dashboard.py", "bench_snapshot.py"]}
READS_DB = {"bench_metrics.py", "bench_dashboard.py", "bench_snapshot.py"}


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    # without a bytecode cache every process compiles its imports again (seconds per start)
    pyc = "off (PYTHONDONTWRITEBYTECODE)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}, "
            f"bytecode cache {pyc}, load average {os.getloadavg()[0]:.1f} at the start")


README = HERE.parent / "README.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


def copy_to_readme(results: Path) -> None:
    """Replace the README Performance table (between MARKERS) with the summary of `results`."""
    lines = results.read_text(encoding="utf-8").splitlines()
    measured = next(ln for ln in lines if ln.startswith("Measured"))
    table = [ln for ln in lines[:next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))]
             if ln.startswith("|")]
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(MARKERS[0], 1)
    _, tail = rest.split(MARKERS[1], 1)
    body = "\n".join([MARKERS[0], f"{measured} (from `{results.resolve().relative_to(HERE.parent)}`)", "", *table, MARKERS[1]])
    README.write_text(head + body + tail, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1", choices=sorted(SCRIPTS))
    parser.add_argument("--readme", action="store_true",
                        help="Only copy the summary of benchmarks/results/latest.md into the README.")
    args = parser.parse_args()
    if args.readme:
        copy_to_readme(HERE / "results" / "latest.md")
        return 0
    lines = [f"# Benchmarks ({args.workload})", "",
             f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}.", "",
             "Ratio = value / baseline; where the baseline is the aim itself, a ratio above 1 means "
             "the aim is not met.", "",
             "| figure | value | floor / baseline | ratio | aim |", "|---|---|---|---|---|"]
    failed, details = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        if READS_DB & set(SCRIPTS[args.workload]):
            sys.stderr.write(f"building the {args.workload} database once for the reading benchmarks ...\n")
            timed_run(EQUITY + ["build", "--data", str(workload(args.workload)), "--db", str(db), "--quiet"])
        for script in SCRIPTS[args.workload]:
            sys.stderr.write(f"running {script} ...\n")
            cmd = [sys.executable, str(HERE / script), "--workload", args.workload]
            done = subprocess.run(cmd + (["--db", str(db)] if script in READS_DB else []),
                                  capture_output=True, text=True)
            if done.returncode != 0:
                failed.append(script)
                lines.append(f"| {script} failed (see the log) | | | | |")
                sys.stderr.write(done.stderr[-3000:])
                continue
            lines += [ln for ln in done.stdout.splitlines() if ln.startswith("|")]
            block = [ln[len(DETAIL):] for ln in done.stdout.splitlines() if ln.startswith(DETAIL)]
            details += ["", *block] if block else []
    lines += details
    out = HERE / "results" / ("latest.md" if args.workload == "W1" else f"latest-{args.workload}.md")
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(lines) + f"\n\nwritten to {out}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
