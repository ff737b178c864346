"""Incremental rebuild versus a full build, measured in the same run: the workload folder is
built once, only procurement/spend.csv is changed (one row appended), and `equity build`
into the same database (incremental) is timed against `equity build --full`. Aim: <= 0.3 of the full build.

    python benchmarks/bench_incremental.py [--workload W1|W2]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import EQUITY, Row, add_common_options, emit, timed_run, workload  # noqa: E402


def _touch_spend(folder: Path, n: int) -> None:
    """Append one valid transaction (a new id each time) so the file's hash changes."""
    spend = folder / "procurement" / "spend.csv"
    lines = spend.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[0] = f"BENCH-{n}"
    with spend.open("a", encoding="utf-8") as f:
        f.write(",".join(first) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_options(parser)  # --db is ignored: this script builds its own copy of the folder
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(workload(args.workload), folder)
        db = Path(tmp) / "bench.duckdb"
        build = EQUITY + ["build", "--data", str(folder), "--db", str(db), "--quiet"]
        timed_run(build)  # the previous good database
        incremental, full = [], []
        for n in range(2):
            _touch_spend(folder, 2 * n)
            incremental.append(timed_run(build)[0])
            _touch_spend(folder, 2 * n + 1)
            full.append(timed_run(build + ["--full"])[0])
    inc_s, full_s = min(incremental), min(full)
    ratio_row = Row(
        f"rebuild {args.workload} after spend changed (incremental)",
        inc_s,
        "s",
        full_s,
        "full build, same change",
        "<= 0.3x full",
    )
    emit([ratio_row], ratio_row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
