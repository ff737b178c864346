"""examples/prof_salaries/equity.yml against the real carData `Salaries` file in
../shared/data/real/prof_salaries (see its README): a folder holding only the example's
equity.yml and the unmodified Salaries.csv is built, and the data owner's exact figures are
compared with values computed here from the raw CSV: the raw mean gap with pandas, the
adjusted gap with statsmodels OLS of the standard model

    np.log(salary) ~ C(sex, Treatment('Male')) + C(rank) + C(discipline)
                     + Q('yrs.since.phd') + Q('yrs.service')

with HC1 (robust) standard errors, the tool's `pay.regression_cov_type` default. Skipped when
the data are absent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from tests.conftest import REAL_DATA
from tests.helpers import build_and_open, compute_exact
from tests.test_example_datasets import example_folder

pytestmark = pytest.mark.slow
FORMULA = "np.log(salary) ~ C(sex, Treatment('Male')) + C(rank) + C(discipline) + Q('yrs.since.phd') + Q('yrs.service')"
SEX = "C(sex, Treatment('Male'))[T.Female]"


@pytest.fixture(scope="module")
def professors(tmp_path_factory):
    folder = example_folder(tmp_path_factory.mktemp("examples"), "prof_salaries")
    assert sorted(p.name for p in folder.iterdir()) == ["Salaries.csv", "equity.yml"]
    con = build_and_open(folder)
    yield con, pd.read_csv(REAL_DATA / "prof_salaries" / "Salaries.csv")
    con.close()


def _woman(con, metric):
    table = compute_exact(con, metric, by=["gender"])
    return table[table["group"] == "Woman"].iloc[0]


def test_every_professor_loads(professors):
    con, raw = professors
    assert con.execute("SELECT rows_in, rows_loaded FROM manifest_files").fetchall() == [(397, 397)] * 2
    assert len(raw) == 397 and (raw["sex"] == "Female").sum() == 39


def test_raw_gap_equals_pandas(professors):
    con, raw = professors
    men, women = raw.loc[raw["sex"] == "Male", "salary"], raw.loc[raw["sex"] == "Female", "salary"]
    row = _woman(con, "pay_gap_mean")
    assert row["n"] == 39
    assert row["value"] == pytest.approx(100 * (men.mean() - women.mean()) / men.mean(), abs=1e-9)
    median = _woman(con, "pay_gap_median")
    assert median["value"] == pytest.approx(100 * (men.median() - women.median()) / men.median(), abs=1e-9)


def test_adjusted_gap_with_rank_discipline_and_years_equals_statsmodels(professors):
    con, raw = professors
    ref = smf.ols(FORMULA, data=raw).fit(cov_type="HC1")
    row = _woman(con, "adjusted_pay_gap")
    assert row["n"] == 39 and row["reference"] == "Man"
    assert row["numerator"] == pytest.approx(ref.params[SEX], abs=1e-10)
    assert row["denominator"] == pytest.approx(ref.bse[SEX], abs=1e-10)
    assert row["value"] == pytest.approx(100 * (1 - np.exp(ref.params[SEX])), abs=1e-8)
    assert row["r_squared"] == pytest.approx(ref.rsquared, abs=1e-10)
    # the published figure for this model: women about 4.5% below men of equal rank, discipline
    # and years (p about 0.04 with robust errors, the tool's p-value from the same beta and SE)
    assert row["value"] == pytest.approx(4.46, abs=0.01)  # positive = paid less
    assert ref.pvalues[SEX] == pytest.approx(0.041, abs=0.001)
