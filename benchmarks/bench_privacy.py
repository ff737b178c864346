"""What protection costs in readability, accuracy and time (issue 16), on a workload and on
the demo data, in one run:

- the share of cells with a true n >= 2k that are published, in 2- and 3-way breakdowns
  (aim 100%: no cascades);
- the median and 95th-percentile relative error of published counts with a true n >= 50
  (aim <= 2% / <= 5%);
- the whole registry (yearly, gender x race_ethnicity) protected vs exact (the exact path
  runs the complementary-suppression audit that published output no longer needs).

    python benchmarks/bench_privacy.py [--workload W1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks._common import EQUITY, Row, emit, timed_run, workload  # noqa: E402
from pipelines.metrics import compute, registry  # noqa: E402
from pipelines.metrics._engine import unsuppressed_table  # noqa: E402

K = 5
COUNTS = ["headcount", "hires", "separations"]
BREAKDOWNS = {2: ["gender", "race_ethnicity"], 3: ["gender", "race_ethnicity", "job_level"]}
DEMO = Path(__file__).resolve().parent.parent / "sample_data" / "demo"


def readability(con, label: str) -> list[Row]:
    rows = []
    errors: list[float] = []
    for ways, by in BREAKDOWNS.items():
        published = total = 0
        for name in COUNTS:
            truth = unsuppressed_table(con, name, by=by)
            prot = compute(con, name, by=by)
            merged = truth.merge(prot, on=["period", "dimensions", "group"], suffixes=("_x", "_p"))
            cells = merged[merged["dimensions"].str.count(r"\|") == ways - 1]
            big = cells[cells["n_x"] >= 2 * K]
            total += len(big)
            published += int((~big["suppressed_p"]).sum())
            large = merged[(merged["n_x"] >= 50) & merged["n_p"].notna()]
            errors += list((large["n_p"] - large["n_x"]).abs() / large["n_x"])
        rows.append(
            Row(
                f"cells with true n >= 2k published, {ways}-way ({label})",
                100.0 * published / max(total, 1),
                "%",
                aim="100%",
            )
        )
    rows.append(
        Row(
            f"median relative error of published counts, true n >= 50 ({label})",
            100.0 * float(np.median(errors)),
            "%",
            aim="<= 2%",
        )
    )
    rows.append(
        Row(
            f"95th-percentile relative error, true n >= 50 ({label})",
            100.0 * float(np.quantile(errors, 0.95)),
            "%",
            aim="<= 5%",
        )
    )
    return rows


def registry_time(con, exact: bool) -> float:
    by = ["gender", "race_ethnicity"]
    names = [n for n, s in registry().items() if all(d in s.dimensions for d in by)]
    start = time.perf_counter()
    for name in names:
        compute(con, name, by=by, exact=exact)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, folder in ((args.workload, workload(args.workload)), ("demo", DEMO)):
            db = Path(tmp) / f"{label}.duckdb"
            timed_run(EQUITY + ["build", "--data", str(folder), "--db", str(db), "--quiet"])
            con = duckdb.connect(str(db), read_only=True)
            rows += readability(con, label)
            if label == args.workload:
                exact_s = registry_time(con, exact=True)
                protected_s = registry_time(con, exact=False)
                timing = Row(
                    f"whole registry protected (yearly, gender x race_ethnicity, {label})",
                    protected_s,
                    "s",
                    exact_s,
                    "exact + suppression audit",
                    "<= 1",
                )
                rows.append(timing)
            con.close()
    emit(rows, timing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
