"""`equity snapshot` (PDF with charts) on a generated workload, whole process.

    python benchmarks/bench_snapshot.py [--workload W1]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import EQUITY, Row, emit, timed_run, workload  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, pdf = Path(tmp) / "bench.duckdb", Path(tmp) / "snapshot.pdf"
        timed_run(EQUITY + ["build", "--data", str(workload(args.workload)), "--db", str(db), "--quiet"])
        seconds = min(timed_run(EQUITY + ["snapshot", "--db", str(db), "--out", str(pdf)])[0] for _ in range(2))
    row = Row(f"equity snapshot ({args.workload}, PDF with charts)", seconds, "s", 5, "aim", "< 5 s")
    emit([row], row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
