"""Run every benchmark on a workload and write benchmarks/results/latest.md.

    python benchmarks/run_all.py [--workload W1|W2]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {"W1": ["bench_build.py", "bench_metrics.py", "bench_dashboard.py", "bench_snapshot.py",
                  "bench_incremental.py", "bench_privacy.py"],
           "W2": ["bench_build.py"]}


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1", choices=sorted(SCRIPTS))
    args = parser.parse_args()
    lines = [f"# Benchmarks ({args.workload})", "",
             f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}.", "",
             "| figure | value | floor / baseline | ratio | aim |", "|---|---|---|---|---|"]
    failed = []
    for script in SCRIPTS[args.workload]:
        if not (HERE / script).exists():
            continue
        sys.stderr.write(f"running {script} ...\n")
        done = subprocess.run([sys.executable, str(HERE / script), "--workload", args.workload],
                              capture_output=True, text=True)
        if done.returncode != 0:
            failed.append(script)
            lines.append(f"| {script} failed | | | | |")
            sys.stderr.write(done.stderr[-3000:])
            continue
        lines += [ln for ln in done.stdout.splitlines() if ln.startswith("|")]
    out = HERE / "results" / ("latest.md" if args.workload == "W1" else f"latest-{args.workload}.md")
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(lines) + f"\n\nwritten to {out}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
