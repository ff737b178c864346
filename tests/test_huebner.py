"""The worked example examples/huebner_hr_v14/equity.yml on the real public HR export.

The CSV is read from ../shared/data/real (never copied into the repository): it and the
example equity.yml are copied into a temporary folder and built. Every expected number is
counted here from the CSV with Python's csv module and hand-written date parsing, or with
pandas (separations by termination type, month-end headcounts), methods independent of the
pipeline's DuckDB mapping.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.build import build
from tests.helpers import compute_exact

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real"
CSV = REAL / "huebner_hr_v14" / "HRDataset_v14.csv"
EXAMPLE = ROOT / "examples" / "huebner_hr_v14" / "equity.yml"
GENDER = {"F": "Woman", "M": "Man"}


def us_date(text: str) -> dt.date | None:
    """M/D/YYYY or MM/DD/YY, parsed by hand; a 2-digit year in the future is last century's."""
    if not text.strip():
        return None
    m, d, y = (int(p) for p in text.strip().split("/"))
    if len(text.strip().split("/")[2]) == 2:
        y += 2000
        if dt.date(y, m, d) > dt.date.today():
            y -= 100
    return dt.date(y, m, d)


@pytest.fixture(scope="module")
def people() -> list[dict]:
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is not present")
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "id": r["EmpID"],
            "gender": GENDER[r["Sex"].strip()],
            "status": r["EmploymentStatus"],
            "hire": us_date(r["DateofHire"]),
            "term": us_date(r["DateofTermination"]),
            "birth_year": us_date(r["DOB"]).year,
            "department": r["Department"].strip(),
            "race": "Hispanic or Latino" if r["RaceDesc"] == "Hispanic" else r["RaceDesc"],
        }
        for r in rows
    ]


@pytest.fixture(scope="module")
def con(people, tmp_path_factory):
    folder = tmp_path_factory.mktemp("huebner") / "data"
    folder.mkdir()
    shutil.copy(CSV, folder / CSV.name)
    shutil.copy(EXAMPLE, folder / "equity.yml")
    db = folder.parent / "hr.duckdb"
    build(folder, db)
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def active_on(people, day: dt.date) -> list[dict]:
    return [p for p in people if p["hire"] <= day and (p["term"] is None or day <= p["term"])]


def one(df, period: str, group: str):
    sel = df[(df["period"] == period) & (df["group"] == group)]
    assert len(sel) == 1, (period, group)
    return sel.iloc[0]


def test_every_row_loads_into_both_tables(people, con):
    assert len(people) == 311
    assert con.execute(
        "SELECT table_name, rows_in, rows_loaded, rows_quarantined FROM manifest_files ORDER BY table_name"
    ).fetchall() == [("hr__employees", 311, 311, 0), ("hr__job_history", 311, 311, 0)]
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
    assert con.execute(
        "SELECT CAST(history_start AS VARCHAR), CAST(as_of AS VARCHAR) FROM run_manifest"
    ).fetchone() == ("2011-01-01", "2018-12-31")


def test_people_match_a_hand_parse_of_the_csv(people, con):
    staged = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT employee_id, gender, race_ethnicity, hire_date, termination_date, birth_year FROM stg_hr__employees"
        ).fetchall()
    }
    expected = {p["id"]: (p["gender"], p["race"], p["hire"], p["term"], p["birth_year"]) for p in people}
    assert staged == expected
    # gender: F 176, "M " 135 (with its trailing space) in the CSV
    assert Counter(v[0] for v in staged.values()) == {"Woman": 176, "Man": 135}
    assert Counter(v[1] for v in staged.values()) == {
        "White": 187,
        "Black or African American": 80,
        "Asian": 29,
        "Two or more races": 11,
        "American Indian or Alaska Native": 3,
        "Hispanic or Latino": 1,
    }
    # DOB years run from 51 to 92: 51-68 read as 2051-2068 by %y, all in the future -> 19xx
    assert min(v[4] for v in staged.values()) == 1951 and max(v[4] for v in staged.values()) == 1992


def test_voluntary_and_involuntary_exits(people, con):
    by_status = Counter(p["status"] for p in people if p["term"] is not None)
    expected = {"voluntary": by_status["Voluntarily Terminated"], "involuntary": by_status["Terminated for Cause"]}
    assert sum(by_status.values()) == 104 and expected == {"voluntary": 88, "involuntary": 16}
    got = dict(con.execute("SELECT termination_type, count(*) FROM fct_separations GROUP BY 1").fetchall())
    assert got == expected
    # nobody still active has a termination type or reason
    assert (
        con.execute(
            "SELECT count(*) FROM stg_hr__employees WHERE termination_date IS NULL "
            "AND (termination_type IS NOT NULL OR termination_reason IS NOT NULL)"
        ).fetchone()[0]
        == 0
    )


def test_headcount_on_2016_12_31_by_gender(people, con):
    active = active_on(people, dt.date(2016, 12, 31))
    by_gender = Counter(p["gender"] for p in active)
    df = compute_exact(con, "headcount", by=["gender"], period="year", k=3)
    assert one(df, "2016", "All")["value"] == len(active)
    for gender, n in by_gender.items():
        row = one(df, "2016", gender)
        assert not row["suppressed"] and row["value"] == n, gender


def test_separations_in_2015_by_gender(people, con):
    left = [p for p in people if p["term"] is not None and p["term"].year == 2015]
    by_gender = Counter(p["gender"] for p in left)
    df = compute_exact(con, "separations", by=["gender"], period="year", k=3)
    assert one(df, "2015", "All")["value"] == len(left)
    for gender, n in by_gender.items():
        row = one(df, "2015", gender)
        assert not row["suppressed"] and row["value"] == n, gender


def test_department_is_trimmed_and_small_departments_suppressed(people, con):
    by_dept = Counter(p["department"] for p in active_on(people, dt.date(2016, 12, 31)))
    df = compute_exact(con, "headcount", by=["department"], period="year", k=3)
    year = df[(df["period"] == "2016") & (df["dimensions"] == "department")]
    assert set(year["group"]) == set(by_dept)  # "Production       " arrives as "Production"
    for _, row in year.iterrows():
        if by_dept[row["group"]] < 3:
            assert row["suppressed"], row["group"]
        if not row["suppressed"]:
            assert row["value"] == by_dept[row["group"]], row["group"]
    assert not one(df, "2016", "Production")["suppressed"]


@pytest.fixture(scope="module")
def raw_exits():
    """The raw CSV's exits read with pandas: termination year, type (from EmploymentStatus) and gender."""
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is not present")
    raw = pd.read_csv(CSV, encoding="utf-8-sig", dtype=str)
    raw["term"] = pd.to_datetime(raw["DateofTermination"], format="%m/%d/%Y")
    raw["hire"] = pd.to_datetime(raw["DateofHire"], format="%m/%d/%Y")
    raw["type"] = raw["EmploymentStatus"].map(
        {"Voluntarily Terminated": "voluntary", "Terminated for Cause": "involuntary"}
    )
    raw["gender"] = raw["Sex"].str.strip().map(GENDER)
    return raw


def month_end_headcount(raw: pd.DataFrame, year: int) -> float:
    """Mean over the 12 month ends of `year` of the people employed that day (hired on or
    before it, not yet gone: the last day still counts)."""
    ends = pd.date_range(f"{year}-01-31", periods=12, freq="ME")
    return sum(int(((raw["hire"] <= d) & (raw["term"].isna() | (d <= raw["term"]))).sum()) for d in ends) / 12


@pytest.mark.parametrize("kind", ["voluntary", "involuntary"])
def test_separations_by_termination_type_per_year(raw_exits, con, kind):
    exits = raw_exits[raw_exits["term"].between("2011-01-01", "2018-12-31")]
    expected = exits[exits["type"] == kind].groupby(exits["term"].dt.year).size()
    df = compute_exact(con, f"turnover_rate_{kind}", period="year", k=3)
    overall = df[df["group"] == "All"].set_index("period")
    assert list(overall.index) == [str(y) for y in range(2011, 2019)]
    for year in range(2011, 2019):
        row = overall.loc[str(year)]
        assert row["numerator"] == expected.get(year, 0), year
        assert row["denominator"] == pytest.approx(month_end_headcount(raw_exits, year)), year
        assert row["value"] == pytest.approx(expected.get(year, 0) / month_end_headcount(raw_exits, year))
    # 104 exits: 88 voluntary, 16 involuntary; one voluntary exit (2010-08-30) is before the window
    assert expected.sum() == {"voluntary": 87, "involuntary": 16}[kind]


def test_voluntary_separations_by_gender(raw_exits, con):
    exits = raw_exits[raw_exits["type"] == "voluntary"]
    expected = exits.groupby([exits["term"].dt.year.astype(str), "gender"]).size()
    df = compute_exact(con, "turnover_rate_voluntary", by=["gender"], period="year", k=3)
    shown = df[(df["dimensions"] == "gender") & ~df["suppressed"]]
    for row in shown.itertuples():
        assert row.numerator == expected.get((row.period, row.group), 0), (row.period, row.group)
    # both genders are large groups (the k rule applies to the headcount behind the rate),
    # so every year and gender with a voluntary exit is shown
    in_window = {key for key in expected.index if "2011" <= key[0] <= "2018"}
    assert in_window <= set(shown[["period", "group"]].itertuples(index=False, name=None))
