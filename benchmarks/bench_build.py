"""`equity build` on a generated workload versus the floor: DuckDB reading the same CSVs
once (`SELECT count(*)` over each file), measured in the same run.

Whole-process time includes fixed start-up (imports, Great Expectations context), so a
build of a tiny folder is timed too: marginal cost = workload build - tiny build, aimed at
<= 3x the floor. Peak RSS of the build process is reported.

    python benchmarks/bench_build.py [--workload W1|W2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from benchmarks._common import EQUITY, Row, add_common_options, best_of, emit, timed_run, workload  # noqa: E402


def floor_seconds(folder: Path) -> float:
    files = sorted(folder.rglob("*.csv"))

    def scan():
        con = duckdb.connect()
        for f in files:
            con.execute("SELECT count(*) FROM read_csv(?, all_varchar=true)", [str(f)]).fetchall()
        con.close()

    return best_of(scan)


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_options(parser)  # --db is ignored: this script times the builds themselves
    args = parser.parse_args()
    big, tiny = workload(args.workload), workload("tiny")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        # --full: each run builds from scratch (into an existing file a build is incremental)
        tiny_s = min(
            timed_run(EQUITY + ["build", "--data", str(tiny), "--db", str(db), "--quiet", "--full"])[0]
            for _ in range(2)
        )
        runs = [
            timed_run(EQUITY + ["build", "--data", str(big), "--db", str(db), "--quiet", "--full"])
            for _ in range(2 if args.workload == "W1" else 1)
        ]
    build_s, rss = min(r[0] for r in runs), max(r[1] for r in runs)
    floor = floor_seconds(big)
    marginal = Row(
        f"build {args.workload}, marginal (minus tiny build)",
        build_s - tiny_s,
        "s",
        floor,
        "DuckDB count(*) over each CSV",
        "<= 3x floor",
    )
    rows = [
        Row("build start-up (tiny folder, 200 employees)", tiny_s, "s", aim="small"),
        Row(f"build {args.workload}, whole process", build_s, "s", floor, "floor"),
        marginal,
        Row(
            f"build {args.workload}, peak RSS",
            rss,
            "MB",
            8192 if args.workload == "W2" else None,
            "aim",
            "< 8192 MB for W2",
        ),
    ]
    emit(rows, marginal)
    return 0


if __name__ == "__main__":
    sys.exit(main())
