"""The promise of a remediation plan, checked the way next year's review will check it: write
each planned raise into the HR data as a pay-change row on the snapshot date (new salary = the
plan's new_annual_pay, the person's other job attributes unchanged), rebuild, and measure the
adjusted gap again with `adjusted_pay_gap` - every group within 0.1 percentage points of what
the plan said (issue 23), on a hand-made folder with salaries in two currencies and on the
committed demo data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from tests.conftest import SAMPLE_DIR
from tests.helpers import build_and_open, employees_folder, write_csv
from tests.helpers import compute_exact

TOLERANCE_PP = 0.1  # issue 23, item 1


def _hand_folder(root: Path) -> Path:
    rng = np.random.default_rng(23)
    # Non-binary and Prefer not to say (3 each) are too small: hidden together, they protect each other
    genders = ["Man"] * 30 + ["Woman"] * 24 + ["Not disclosed"] * 8 + ["Non-binary"] * 3 + ["Prefer not to say"] * 3
    employees, jobs = [], []
    for i, g in enumerate(genders):
        eid = f"E{i:03d}"
        hire = dt.date(2012, 1, 1) + dt.timedelta(days=int(rng.integers(0, 4000)))
        level = str(rng.choice(["L1", "L2", "L3"]))
        family = str(rng.choice(["Finance", "Software"]))
        gbp = i % 3 == 0  # a third paid in GBP: new pay must be written in the salary's own currency
        ln_pay = (
            np.log(52000)
            + 0.25 * int(level[1])
            + 0.1 * (family == "Software")
            - {"Woman": 0.07, "Not disclosed": 0.04}.get(g, 0.0)
            + 0.05 * rng.standard_normal()
        )
        salary = np.exp(ln_pay) / (1.27 if gbp else 1.0)
        employees.append(
            {
                "employee_id": eid,
                "gender": g,
                "race_ethnicity": "White",
                "birth_year": "1985",
                "hire_date": hire.isoformat(),
            }
        )
        jobs.append(
            {
                "employee_id": eid,
                "effective_date": hire.isoformat(),
                "department": "Ops",
                "job_family": family,
                "job_level": level,
                "location": "London" if gbp else "New York",
                "fte": "0.8" if i % 7 == 0 else "1",
                "annual_base_salary": f"{salary:.0f}",
                "currency": "GBP" if gbp else "USD",
                "performance_rating": str(rng.choice(["2", "3", "4"])),
                "change_reason": "hire",
            }
        )
    folder = employees_folder(
        root / "data",
        employees,
        jobs,
        config={"history_start": "2024-01-01", "as_of": "2024-12-31", "privacy": {"k": 5}},
    )
    write_csv(
        folder / "reference" / "fx_rates.csv",
        ["currency", "month", "rate_to_reporting"],
        [{"currency": "GBP", "month": f"2024-{m:02d}", "rate_to_reporting": "1.27"} for m in range(1, 13)],
    )
    return folder


def apply_plan(src: Path, dst: Path, people: pd.DataFrame, date: str) -> Path:
    """Copy of `src` with one pay-change row per planned raise on `date`: the person's job
    record on that day with annual_base_salary = new_annual_pay (currency unchanged)."""
    shutil.copytree(src, dst)
    path = dst / "hr" / "job_history.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = list(rows[0])
    plan = people.set_index("employee_id")
    current = {}
    for row in sorted(rows, key=lambda r: r["effective_date"]):
        if row["effective_date"] <= date:
            current[row["employee_id"]] = row
    kept = [r for r in rows if not (r["effective_date"] == date and r["employee_id"] in plan.index)]
    for eid, p in plan.iterrows():
        job = current[eid]
        assert job["currency"] == p["currency"] or (not job["currency"] and p["currency"] == "USD")
        kept.append(
            {
                **job,
                "effective_date": date,
                "annual_base_salary": f"{p['new_annual_pay']:.2f}",
                "change_reason": "pay_change",
            }
        )
    write_csv(path, header, kept)
    return dst


def _plan(db: Path, tmp: Path, *args) -> tuple[pd.DataFrame, pd.DataFrame]:
    runner = CliRunner()
    summary_csv, people_csv = tmp / "plan.csv", tmp / "people.csv"
    # the promise is checked on exact figures (--exact, the data owner's path): published
    # (protected) gaps move by up to 2/n of themselves, see tests/privacy/test_pay.py
    for out, extra in ((summary_csv, []), (people_csv, ["--include-individuals"])):
        res = runner.invoke(main, ["pay", "remediation", "--db", str(db), "--out", str(out), "--exact", *args, *extra])
        assert res.exit_code == 0, res.output
    return pd.read_csv(summary_csv), pd.read_csv(people_csv, dtype={"employee_id": str})


def _adjusted(db: Path, date: str) -> dict[str, float]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        t = compute_exact(
            con,
            "adjusted_pay_gap",
            by=["gender"],
            period="custom",
            date_from=dt.date.fromisoformat(date),
            date_to=dt.date.fromisoformat(date),
        )
    finally:
        con.close()
    t = t[(t["dimensions"] == "gender") & ~t["suppressed"].astype(bool)]
    return dict(zip(t["group"], t["value"].astype(float)))


def _check_promise(folder: Path, tmp: Path, date: str, *args) -> pd.DataFrame:
    db = tmp / "before.duckdb"
    build_and_open(folder, db).close()
    summary, people = _plan(db, tmp, *args)
    assert "employee_id" not in summary.columns  # the per-group plan is publishable
    before = _adjusted(db, date)
    after_folder = apply_plan(folder, tmp / "after", people, date)
    after_db = tmp / "after.duckdb"
    build_and_open(after_folder, after_db).close()
    after = _adjusted(after_db, date)
    assessed = summary.dropna(subset=["gap_after_pct"])
    assert len(assessed) >= 2
    for row in assessed.itertuples():
        assert row.gap_before_pct == pytest.approx(before[row.group], abs=1e-6)
        assert abs(after[row.group] - row.gap_after_pct) <= TOLERANCE_PP, (
            row.group,
            after[row.group],
            row.gap_after_pct,
        )
        assert abs(after[row.group] - row.gap_after_pct) <= 1e-6  # in fact: the same fit on the same numbers
    return summary, db


def test_plan_on_a_hand_made_folder_is_what_the_rebuilt_data_measures(tmp_path):
    folder = _hand_folder(tmp_path)
    summary, db = _check_promise(folder, tmp_path, "2024-12-31", "--target-gap", "1")
    woman = summary.set_index("group").loc["Woman"]
    # positive = paid less: more than 2% less today, 1% less (the target) after the raises
    assert woman["gap_before_pct"] > 2 and woman["gap_after_pct"] == pytest.approx(1, abs=0.01)
    assert "too small" in summary.set_index("group").loc["Non-binary", "note"]
    # a budget below the target's cost: the smallest worst gap it buys, never over budget
    res = CliRunner().invoke(
        main,
        [
            "pay",
            "remediation",
            "--db",
            str(db),
            "--target-gap",
            "0",
            "--budget",
            "5000",
            "--out",
            str(tmp_path / "budget.csv"),
            "--exact",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Budget 5,000 USD a year: the worst adjusted gap it buys is" in res.output
    assert "Non-binary: not assessed" in res.output
    budget = pd.read_csv(tmp_path / "budget.csv")
    assert budget["annual_cost"].fillna(0).sum() <= 5000


@pytest.mark.slow
def test_plan_on_the_demo_data_is_what_the_rebuilt_data_measures(tmp_path):
    # the case: --target-gap 1 on the demo (GBP and USD salaries, part-timers)
    summary, _ = _check_promise(SAMPLE_DIR, tmp_path, "2025-12-31", "--target-gap", "1")
    table = summary.set_index("group")
    assert table.loc["Woman", "gap_after_pct"] == pytest.approx(1, abs=0.01)
    assert table.loc["Not disclosed", "gap_after_pct"] == pytest.approx(1, abs=0.01)
