"""The examples/<dataset>/equity.yml files against the real public datasets in
../shared/data/real (see its README): a folder holding only the example's equity.yml and the
dataset's unmodified CSV is built, and the headline figures are compared with values computed
here, independently, from the raw CSV with pandas and scipy. Skipped when the data are absent."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.metrics import compute
from pipelines.metrics._engine import NoDataError
from tests.conftest import REAL_DATA, ROOT
from tests.helpers import build_and_open

pytestmark = pytest.mark.slow


def example_folder(tmp: Path, name: str) -> Path:
    source = REAL_DATA / name
    if not source.is_dir():
        pytest.skip(f"real data not present at {source}")
    folder = tmp / name
    folder.mkdir()
    shutil.copy(ROOT / "examples" / name / "equity.yml", folder)
    for csv in source.glob("*.csv"):  # copied unchanged into a temporary folder only
        shutil.copy(csv, folder)
    return folder


@pytest.fixture(scope="module")
def resume(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("examples"), "resume_callbacks")
    con = build_and_open(folder)
    yield con, pd.read_csv(folder / "resume.csv")
    con.close()


def katz_interval(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    """Risk ratio (a/n1)/(c/n2) with the 95% Katz log interval (hand formula)."""
    ratio = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return ratio, ratio * math.exp(-1.959963984540054 * se), ratio * math.exp(1.959963984540054 * se)


@pytest.mark.parametrize(
    "column, dimension, labels",
    [
        ("race", "race_ethnicity", {"black": "Black or African American", "white": "White"}),
        ("gender", "gender", {"f": "Woman", "m": "Man"}),
    ],
)
def test_resume_callback_rates_and_impact_ratio(resume, column, dimension, labels):
    con, raw = resume
    assert con.execute("SELECT rows_in, rows_loaded FROM manifest_files").fetchone() == (4870, 4870)
    rates = compute(con, "selection_rate", by=[dimension], exact=True).set_index("group")
    expected = raw.groupby(column)["received_callback"].agg(["sum", "count"])
    for value, label in labels.items():
        hits, n = int(expected.loc[value, "sum"]), int(expected.loc[value, "count"])
        assert (rates.loc[label, "numerator"], rates.loc[label, "denominator"]) == (hits, n)
        assert rates.loc[label, "value"] == pytest.approx(hits / n)
    # the reference group is the one with the highest callback rate
    ref = (expected["sum"] / expected["count"]).idxmax()
    other = next(v for v in labels if v != ref)
    ratio, low, high = katz_interval(
        int(expected.loc[other, "sum"]),
        int(expected.loc[other, "count"]),
        int(expected.loc[ref, "sum"]),
        int(expected.loc[ref, "count"]),
    )
    impact = compute(con, "adverse_impact_ratio", by=[dimension], exact=True)
    row = impact[impact["group"] == labels[other]].iloc[0]
    assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((ratio, low, high), rel=1e-9)
    if column == "race":  # the published figure: 157/2435 vs 235/2435, a ratio of about 0.67
        assert ratio == pytest.approx(0.668, abs=0.001)


# --- IBM HR attrition: one snapshot with an attrition flag -------------------------------------


@pytest.fixture(scope="module")
def ibm(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("examples"), "ibm_hr_attrition")
    con = build_and_open(folder)
    yield con, pd.read_csv(folder / "WA_Fn-UseC_-HR-Employee-Attrition.csv", encoding="utf-8-sig")
    con.close()


@pytest.mark.parametrize(
    "column, dimension, labels",
    [
        ("Gender", "gender", {"Male": "Man", "Female": "Woman"}),
        ("Department", "department", None),
    ],
)
def test_ibm_attrition_rate_by_group(ibm, column, dimension, labels):
    """Attrition = Yes is an exit within the observation year and everybody in the file was
    employed at its start, so the year's turnover rate is the attrition share of pandas."""
    con, raw = ibm
    rates = compute(con, "turnover_rate", by=[dimension], exact=True).set_index("group")
    left = raw["Attrition"].eq("Yes").groupby(raw[column]).agg(["sum", "count"])
    assert len(rates) == len(left) + 1  # every group plus All
    for value, (exits, n) in left.iterrows():
        row = rates.loc[(labels or {}).get(value, value)]
        assert (row["numerator"], row["denominator"]) == (exits, n)
        assert row["value"] == pytest.approx(exits / n)
    assert rates.loc["All", "value"] == pytest.approx(237 / 1470)  # the data owner's 237 leavers


def test_ibm_snapshot_refuses_what_it_cannot_date(ibm):
    """One snapshot without hire dates: nobody is a hire, and tenure has no start."""
    con, _ = ibm
    assert con.execute("SELECT history_start, as_of FROM run_manifest").fetchone() == (
        dt.date(2015, 1, 1),
        dt.date(2015, 12, 31),
    )
    for metric, why in (
        ("hires", "one snapshot with no hire date mapped"),
        ("median_tenure", "needs the day of each hire and exit"),
    ):
        with pytest.raises(NoDataError, match=why):
            compute(con, metric, exact=True)


def test_ibm_pay_is_annual(ibm):
    """MonthlyIncome * 12 (an expr): the pay population's mean annual pay is 12x the CSV's."""
    con, raw = ibm
    mean = con.execute("SELECT avg(annual_base_salary) FROM fct_employment_spells").fetchone()[0]
    assert mean == pytest.approx(raw["MonthlyIncome"].mean() * 12)


# --- Montgomery County salaries: five yearly snapshots without ids, one build ------------------

MONTGOMERY_FILES = {
    2019: "Employee_Salaries_-_2019.csv",
    2020: "Employee_Salaries_-_2020.csv",
    2021: "Employee_Salaries_-_2021.csv",
    2022: "Employee_Salaries_2022.csv",
    2023: "Employee_Salaries_-_2023.csv",
}


@pytest.fixture(scope="module")
def montgomery(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("examples"), "montgomery_salaries")
    con = build_and_open(folder)
    raw = {}
    for year, name in MONTGOMERY_FILES.items():
        frame = pd.read_csv(folder / name)
        raw[year] = frame.rename(columns={"Base_Salary": "Base Salary"})[["Gender", "Base Salary"]]
    yield con, raw
    con.close()


@pytest.mark.parametrize("metric, how", [("pay_gap_mean", "mean"), ("pay_gap_median", "median")])
def test_montgomery_gender_pay_gap_per_year_from_one_build(montgomery, metric, how):
    """The gap of women's base salary to men's, (men - women) / men in %, for each year from
    the one build of all five files, against pandas on each raw file."""
    con, raw = montgomery
    gaps = compute(con, metric, by=["gender"], exact=True).set_index(["period", "group"])
    assert sorted({p for p, _ in gaps.index}) == [str(y) for y in MONTGOMERY_FILES]
    for year, frame in raw.items():
        pay = frame.groupby("Gender")["Base Salary"].agg(how)
        assert gaps.loc[(str(year), "Woman"), "value"] == pytest.approx(100 * (pay["M"] - pay["F"]) / pay["M"])
        counts = frame["Gender"].value_counts()
        assert (gaps.loc[(str(year), "Man"), "n"], gaps.loc[(str(year), "Woman"), "n"]) == (counts["M"], counts["F"])
    assert tuple(raw[2023]["Gender"].value_counts()[["M", "F"]]) == (5929, 4362)  # the README's counts


def test_montgomery_turnover_is_refused_not_a_fake_100_percent(montgomery):
    """No id column: a person cannot be followed from one year's file to the next."""
    con, _ = montgomery
    with pytest.raises(NoDataError, match="cannot be linked from one snapshot to the next"):
        compute(con, "turnover_rate", exact=True)
