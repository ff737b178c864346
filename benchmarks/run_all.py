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

from benchmarks._common import BYTECODE_OFF_ON_MACHINE, DETAIL, EQUITY, timed_run, workload  # noqa: E402

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "W1": [
        "bench_cli.py",
        "bench_build.py",
        "bench_incremental.py",
        "bench_metrics.py",
        "bench_dashboard.py",
        "browser.py",
        "bench_snapshot.py",
        "bench_privacy.py",
    ],
    "W2": ["bench_build.py"],
    "tiny": ["bench_cli.py", "bench_metrics.py", "bench_dashboard.py", "bench_snapshot.py"],
}
READS_DB = {"bench_metrics.py", "bench_dashboard.py", "browser.py", "bench_snapshot.py"}
# figures of issue 22 that need their own, longer run: (figure, aim, how, its results file)
SEPARATE = [
    ("build W2 (200k employees, 20M spend rows), peak RSS", "< 8192 MB", "make bench-large", "latest-W2.md"),
    ("Spark W1 build with the default results plan / DuckDB build", "<= 5x", "make bench-spark", "spark-W1.md"),
    (
        "make demo from a fresh clone, empty caches, to a healthy dashboard",
        "< 90 s",
        "python benchmarks/bench_install.py",
        "install.md",
    ),
]


def separate_rows() -> list[str]:
    """The SEPARATE figures: the summary rows of their results file, each marked with that
    file, when it has been measured; else one row saying it was not, so the table lists
    every figure of the issue."""
    rows = []
    for figure, aim, how, name in SEPARATE:
        path = HERE / "results" / name
        if not path.exists():
            rows.append(f"| {figure} | not measured (`{how}`) | | | {aim} |")
            continue
        summary = path.read_text(encoding="utf-8").split("\n## ", 1)[0].splitlines()
        rows += [
            ln.replace("| ", f"| (separate run, `{name}`) ", 1)
            for ln in summary
            if ln.startswith("| ") and not ln.startswith(("| figure |", "|---"))
        ]
    return rows


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(HERE.parent), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def machine() -> str:
    cpu = (
        next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    # without a bytecode cache every process compiles its imports again (seconds per start)
    pyc = (
        "on (kept in the benchmark cache: the machine sets PYTHONDONTWRITEBYTECODE)"
        if BYTECODE_OFF_ON_MACHINE
        else "on"
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}, "
        f"bytecode cache {pyc}, load average {os.getloadavg()[0]:.1f} at the start"
    )


def _only(value: str) -> list[str]:
    names = [n if n.endswith(".py") else f"{n}.py" for n in value.split(",") if n]
    unknown = [n for n in names if not (HERE / n).exists()]
    if unknown:
        raise argparse.ArgumentTypeError(f"no benchmark script {', '.join(unknown)} in {HERE}")
    return names


README = HERE.parent / "README.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")


def readme_block(results: str, source: str) -> str:
    """The README Performance block (markers included) rendered from the text of a results
    file: its "Measured ..." line and its summary table, nothing else."""
    lines = results.splitlines()
    measured = next(ln for ln in lines if ln.startswith("Measured"))
    summary = lines[: next((i for i, ln in enumerate(lines) if ln.startswith("## ")), len(lines))]
    table = [ln for ln in summary if ln.startswith("|")]
    return "\n".join([MARKERS[0], f"{measured} (from `{source}`)", "", *table, MARKERS[1]])


def readme_parts(text: str) -> tuple[str, str, str]:
    """(before, block between and including the markers, after) of the README text."""
    head, rest = text.split(MARKERS[0], 1)
    block, tail = rest.split(MARKERS[1], 1)
    return head, MARKERS[0] + block + MARKERS[1], tail


def copy_to_readme(results: Path) -> None:
    """Replace the README Performance table (between MARKERS) with the summary of `results`."""
    head, _, tail = readme_parts(README.read_text(encoding="utf-8"))
    block = readme_block(results.read_text(encoding="utf-8"), str(results.resolve().relative_to(HERE.parent)))
    README.write_text(head + block + tail, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1", choices=sorted(SCRIPTS))
    parser.add_argument(
        "--readme", action="store_true", help="Only copy the summary of benchmarks/results/latest.md into the README."
    )
    parser.add_argument(
        "--only",
        type=_only,
        default=None,
        help="Comma list of scripts (e.g. browser,bench_cli): a partial run, written to "
        "results/partial-<workload>.md, never to latest.md.",
    )
    args = parser.parse_args()
    if args.readme:
        copy_to_readme(HERE / "results" / "latest.md")
        return 0
    scripts = args.only or SCRIPTS[args.workload]
    started = f"{dt.datetime.now():%Y-%m-%d %H:%M} (commit {commit()}) on {machine()}"
    lines = [
        f"# Benchmarks ({args.workload})",
        "",
        "",
        "",
        "Ratio = value / baseline; where the baseline is the aim itself, a ratio above 1 means the aim is not met.",
        "",
        "| figure | value | floor / baseline | ratio | aim |",
        "|---|---|---|---|---|",
    ]
    failed, details = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        if READS_DB & set(scripts):
            sys.stderr.write(f"building the {args.workload} database once for the reading benchmarks ...\n")
            timed_run(EQUITY + ["build", "--data", str(workload(args.workload)), "--db", str(db), "--quiet"])
        for script in scripts:
            sys.stderr.write(f"running {script} ...\n")
            cmd = [sys.executable, str(HERE / script), "--workload", args.workload]
            # the scripts' progress (stderr) goes straight to the terminal; their rows are collected
            done = subprocess.run(
                cmd + (["--db", str(db)] if script in READS_DB else []), stdout=subprocess.PIPE, text=True
            )
            if done.returncode != 0:
                failed.append(script)
                lines.append(f"| {script} failed (see the log) | | | | |")
                continue
            lines += [ln for ln in done.stdout.splitlines() if ln.startswith("|")]
            block = [ln[len(DETAIL) :] for ln in done.stdout.splitlines() if ln.startswith(DETAIL)]
            details += ["", *block] if block else []
    lines[2] = f"Measured {started}; load average {os.getloadavg()[0]:.1f} at the end."
    if args.workload == "W1" and not args.only:
        lines += separate_rows()
    lines += details
    name = "latest.md" if args.workload == "W1" else f"latest-{args.workload}.md"
    out = HERE / "results" / (f"partial-{args.workload}.md" if args.only else name)
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(lines) + f"\n\nwritten to {out}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
