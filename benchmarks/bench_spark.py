"""DuckDB vs Spark on the W1 workload: `equity sample --employees 10000` (10k employees,
100k applications, 1M spend rows), generated into a temporary folder.

Both engines run the whole build (read + validate + models + data-quality checks) and then
compute the same suppressed metric tables (the `spark.results` plan: every registry metric
x the configured breakdowns x grains). The DuckDB build computes them afterwards from its
database; the Spark build computes them on Spark and writes the results file. The tables
are compared, so a fast wrong answer cannot win.

    .venv/bin/python benchmarks/bench_spark.py [--employees 10000] [--master local[*]]

Prints one Markdown row per engine and, as the last line, the Spark/DuckDB ratio.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.build import build  # noqa: E402
from pipelines.config import load_config  # noqa: E402
from pipelines.metrics import compute  # noqa: E402
from pipelines.sample import write_sample  # noqa: E402
from pipelines.spark.results import results_plan  # noqa: E402

PHASES = ["start-up", "read + validate", "models", "data quality", "metrics"]


class Phases:
    """Wall time per build phase, from the build's progress messages."""

    def __init__(self):
        self.started = self.mark = time.perf_counter()
        self.current = "start-up"
        self.seconds = dict.fromkeys(PHASES, 0.0)

    def __call__(self, message: str) -> None:
        phase = (
            "read + validate"
            if message.startswith("reading")
            else "models"
            if message.startswith(("running SQL", "model "))
            else "data quality"
            if message.startswith("data-quality")
            else "metrics"
            if message.startswith(("metric ", "writing"))
            else "start-up"
            if message.startswith("starting")
            else self.current
        )
        self.switch(phase)

    def switch(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[self.current] += now - self.mark
        self.current, self.mark = phase, now

    def total(self) -> float:
        self.switch(self.current)
        return sum(self.seconds.values())


def run_duckdb(folder: Path, db: Path, plan) -> tuple[Phases, dict]:
    phases = Phases()
    build(folder, db, progress=phases)
    phases.switch("metrics")
    con = duckdb.connect(str(db), read_only=True)
    tables = {(s.name, dims, grain): compute(con, s.name, by=list(dims), period=grain) for s, dims, grain in plan}
    con.close()
    phases.total()
    return phases, tables


def run_spark(folder: Path, db: Path, plan) -> tuple[Phases, dict]:
    phases = Phases()
    build(folder, db, progress=phases, engine="spark")
    phases.total()
    con = duckdb.connect(str(db), read_only=True)
    tables = {(s.name, dims, grain): compute(con, s.name, by=list(dims), period=grain) for s, dims, grain in plan}
    con.close()
    return phases, tables


def same_results(left: dict, right: dict) -> bool:
    import numpy as np

    for key, a in left.items():
        b = right[key]
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            return False
        if a["suppressed"].tolist() != b["suppressed"].tolist():
            return False
        for col in ("numerator", "denominator", "value", "n"):
            x, y = a[col].astype(float).to_numpy(), b[col].astype(float).to_numpy()
            if not np.allclose(x, y, rtol=0, atol=1e-9, equal_nan=True):
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--master", default=None, help="spark.master (default: equity.yml/Spark's own, local[*])")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="equity-bench-") as tmp:
        folder = Path(tmp) / "w1"
        written = write_sample(folder, employees=args.employees)
        rows = sum(written["files"].values())
        if args.master:
            config = yaml.safe_load((folder / "equity.yml").read_text(encoding="utf-8")) or {}
            config.setdefault("spark", {})["master"] = args.master
            (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        config = load_config(folder)
        duck_db = Path(tmp) / "duck.duckdb"
        build(folder, duck_db)  # warm-up: file cache, imports (not timed)
        con = duckdb.connect(str(duck_db), read_only=True)
        built = {r[0] for r in con.execute("SELECT model FROM manifest_models WHERE status = 'built'").fetchall()}
        con.close()
        plan = results_plan(config["spark"], built)
        duck, duck_tables = run_duckdb(folder, duck_db, plan)
        spark, spark_tables = run_spark(folder, Path(tmp) / "spark.duckdb", plan)
        equal = same_results(duck_tables, spark_tables)
    print(f"W1: {args.employees:,} employees, {rows:,} input rows, {len(plan)} metric tables\n")
    print("| engine | " + " | ".join(PHASES) + " | total (s) | results equal |")
    print("|---|" + "---:|" * (len(PHASES) + 1) + "---|")
    for name, phases in (("DuckDB", duck), (f"Spark {args.master or 'local[*]'}", spark)):
        cells = " | ".join(f"{phases.seconds[p]:.1f}" for p in PHASES)
        print(f"| {name} | {cells} | {sum(phases.seconds.values()):.1f} | {'yes' if equal else 'NO'} |")
    ratio = sum(spark.seconds.values()) / sum(duck.seconds.values())
    print(f"\nSpark / DuckDB total time: {ratio:.2f}x")


if __name__ == "__main__":
    main()
