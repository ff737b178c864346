"""The metric set (yearly, by gender x race_ethnicity) through the registry on DuckDB versus a
straightforward pandas implementation of the same metrics, in the same run; the results are
checked equal before anything is timed.

Baselines exist for the metrics in BASELINES; the registry is timed in full and the ratio is
taken over the metrics that have a baseline.

    python benchmarks/bench_metrics.py [--workload W1]
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
import pandas as pd  # noqa: E402

from benchmarks._common import Row, add_common_options, built_db, emit  # noqa: E402
from pipelines.metrics import build_context, compute, make_periods, registry  # noqa: E402
from pipelines.metrics._engine import unsuppressed_table  # noqa: E402
from pipelines.metrics._periods import snapshot_dates  # noqa: E402

BY = ["gender", "race_ethnicity"]


def _load(con) -> dict[str, pd.DataFrame]:
    return {
        t: con.execute(f"SELECT * FROM {t}").df() for t in ("fct_employment_spells", "fct_hires", "fct_separations")
    }


def pandas_baseline(con) -> dict[str, pd.DataFrame]:
    """headcount, representation, hires, separations, turnover_rate by gender x race per year,
    written the obvious way with pandas (boolean masks and groupby per period)."""
    ctx = build_context(con)
    periods = make_periods("year", ctx["history_start"], ctx["as_of"], ctx["config"]["fiscal_year_start_month"])
    data = _load(con)
    spells = data["fct_employment_spells"]
    start = pd.to_datetime(spells["valid_from"])
    end = pd.to_datetime(spells["valid_to"].astype(str).str.replace("9999-12-31", "2262-04-11"))
    out = {name: [] for name in ("headcount", "representation", "hires", "separations", "turnover_rate")}
    for p in periods:
        pe = pd.Timestamp(p.end)
        active = spells[(start <= pe) & (pe <= end)]
        hc = active.groupby(BY).size()
        out["headcount"].append(hc.rename(p.start))
        out["representation"].append((hc / len(active)).rename(p.start))
        for name, table in (("hires", data["fct_hires"]), ("separations", data["fct_separations"])):
            d = pd.to_datetime(table["event_date"])
            ev = table[(d >= pd.Timestamp(p.start)) & (d <= pe)]
            out[name].append(ev.groupby(BY).size().rename(p.start))
        snaps = [pd.Timestamp(s) for s in snapshot_dates(p)]
        monthly = [spells[(start <= s) & (s <= end)].groupby(BY).size() for s in snaps]
        avg = pd.concat(monthly, axis=1).fillna(0).sum(axis=1) / len(snaps)
        seps = out["separations"][-1].reindex(avg.index).fillna(0)
        out["turnover_rate"].append((seps / avg.where(avg > 0)).rename(p.start))
    return {name: pd.concat(parts, axis=1) for name, parts in out.items()}


def check_equal(con, baseline: dict[str, pd.DataFrame]) -> None:
    for name, wide in baseline.items():
        table = unsuppressed_table(con, name, by=BY)
        cells = table[table["dimensions"] == "gender|race_ethnicity"]
        for _, r in cells.iterrows():
            g, race = r["group"].split("|")
            expected = wide.get(pd.Timestamp(r["period_start"]).date(), pd.Series(dtype=float)).get((g, race), np.nan)
            if pd.isna(expected) and (pd.isna(r["value"]) or r["value"] == 0):
                continue
            if not np.isclose(expected, r["value"], rtol=1e-9, atol=1e-12):
                raise SystemExit(f"{name} {r['period']} {r['group']}: pandas {expected} != registry {r['value']}")


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(built_db(args, tmp)), read_only=True)
        baseline = pandas_baseline(con)
        check_equal(con, baseline)
        start = time.perf_counter()
        pandas_baseline(con)
        pandas_s = time.perf_counter() - start
        names = list(baseline)
        start = time.perf_counter()
        for name in names:
            compute(con, name, by=BY)
        ours_s = time.perf_counter() - start
        everything = [n for n, s in registry().items() if all(d in s.dimensions for d in BY)]
        per_metric = {}
        for name in everything:  # timed one by one: the per-metric table says where it goes
            start = time.perf_counter()
            compute(con, name, by=BY)
            per_metric[name] = time.perf_counter() - start
        con.close()
    all_s = sum(per_metric.values())
    ratio = Row(
        f"metrics with a pandas baseline ({len(names)}; yearly, gender x race_ethnicity, {args.workload})",
        ours_s,
        "s",
        pandas_s,
        "pandas",
        "<= 0.1 (>= 10x faster)",
    )
    whole = Row(
        f"whole registry ({len(everything)} metrics; yearly, gender x race_ethnicity, {args.workload})",
        all_s,
        "s",
        5,
        "aim",
        "< 5 s",
    )
    details = [
        f"| {name} | {registry()[name].family} | {sec * 1000:.0f} ms | {sec / all_s:.0%} |"
        for name, sec in sorted(per_metric.items(), key=lambda kv: -kv[1])
    ]
    emit(
        [whole, ratio],
        whole,
        details=[
            "## Whole registry, per metric (slowest first)",
            "",
            "| metric | family | time | share of the registry |",
            "|---|---|---|---|",
            *details,
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
