"""examples/ucb_admissions/equity.yml on the real 1973 Berkeley admissions (UCBAdmissions.csv in
../shared/data/real; see its README). A temporary folder holding only the example's equity.yml
and the unmodified CSV is built (rows are counts: `weight: Freq`), and the headline figures are
compared with values computed here from the raw CSV with pandas, a hand-written Mantel-Haenszel
formula and statsmodels' StratifiedTable. Skipped when the data are absent.

Published figures (Bickel, Hammel & O'Connell 1975): 1198 of 2691 men (44.5%) and 557 of 1835
women (30.4%) admitted; within departments the Mantel-Haenszel common odds ratio for men vs
women is 0.905 (Agresti, Categorical Data Analysis), i.e. 1.105 for women vs men.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from statsmodels.stats.contingency_tables import StratifiedTable

from pipelines.cli import main
from pipelines.families.hiring.strata import stratified_impact
from tests.conftest import REAL_DATA, ROOT
from tests.helpers import build_and_open, compute_exact

SOURCE = REAL_DATA / "ucb_admissions" / "UCBAdmissions.csv"
GENDER = {"Male": "Man", "Female": "Woman"}


@pytest.fixture(scope="module")
def ucb(tmp_path_factory):
    if not SOURCE.is_file():
        pytest.skip(f"real data not present at {SOURCE} (../shared/data/real)")
    folder = tmp_path_factory.mktemp("ucb") / "ucb_admissions"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "ucb_admissions" / "equity.yml", folder)
    shutil.copy(SOURCE, folder)  # unchanged, into the temporary folder only
    con = build_and_open(folder)
    yield con, pd.read_csv(SOURCE), folder.parent / "ucb_admissions.duckdb"
    con.close()


def admitted_of(raw: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Admitted and total applicants per group, summing Freq (the raw file's counts)."""
    admitted = raw[raw["Admit"] == "Admitted"].groupby(by)["Freq"].sum()
    return pd.DataFrame({"admitted": admitted, "total": raw.groupby(by)["Freq"].sum()})


def mantel_haenszel_odds_ratio(raw: pd.DataFrame) -> float:
    """Women vs men, across departments: sum(a*d/n) / sum(b*c/n) with a, b = women admitted,
    rejected and c, d = men admitted, rejected in each department (n its applicants)."""
    f = raw.set_index(["Dept", "Gender", "Admit"])["Freq"]
    num = den = 0.0
    for dept in raw["Dept"].unique():
        a, b = f[dept, "Female", "Admitted"], f[dept, "Female", "Rejected"]
        c, d = f[dept, "Male", "Admitted"], f[dept, "Male", "Rejected"]
        n = a + b + c + d
        num += a * d / n
        den += b * c / n
    return num / den


def test_every_count_row_loads_and_stands_for_its_applicants(ucb):
    con, raw, _ = ucb
    assert len(raw) == 24 and raw["Freq"].sum() == 4526
    assert con.execute("SELECT rows_in, rows_loaded, rows_quarantined FROM manifest_files").fetchone() == (24, 24, 0)
    assert con.execute("SELECT count(*) FROM stg_recruiting__applications").fetchone()[0] == 4526


def test_pooled_admission_rates_and_impact_ratio(ucb):
    con, raw, _ = ucb
    expected = admitted_of(raw, ["Gender"])
    rates = compute_exact(con, "selection_rate", by=["gender"])
    rates = rates[rates["dimensions"] == "gender"].set_index("group")
    assert len(rates) == 2 and set(rates["period"]) == {"1973"}
    for value, label in GENDER.items():
        admitted, total = expected.loc[value, ["admitted", "total"]]
        assert (rates.loc[label, "numerator"], rates.loc[label, "denominator"]) == (admitted, total)
        assert rates.loc[label, "value"] == pytest.approx(admitted / total, rel=1e-12)
    # the published figures: 1198/2691 = 44.5% of men, 557/1835 = 30.4% of women
    assert round(rates.loc["Man", "value"], 3) == 0.445 and round(rates.loc["Woman", "value"], 3) == 0.304
    impact = compute_exact(con, "adverse_impact_ratio", by=["gender"])
    woman = impact[(impact["group"] == "Woman") & (impact["stage"] == "bottom line")].iloc[0]
    ratio = (expected.loc["Female", "admitted"] / expected.loc["Female", "total"]) / (
        expected.loc["Male", "admitted"] / expected.loc["Male", "total"]
    )
    assert woman["reference_group"] == "Man" and woman["value"] == pytest.approx(ratio, rel=1e-12)
    assert round(ratio, 2) == 0.68 and woman["flagged"]


def test_mantel_haenszel_across_departments_and_the_simpson_note(ucb):
    con, raw, _ = ucb
    result = stratified_impact(con, ["gender"], "department", exact=True)
    row = result.cmh[(result.cmh["group"] == "Woman") & (result.cmh["stage"] == "bottom line")].iloc[0]
    hand = mantel_haenszel_odds_ratio(raw)
    f = raw.set_index(["Dept", "Gender", "Admit"])["Freq"]
    tables = [
        np.array([[f[d, g, "Admitted"], f[d, g, "Rejected"]] for g in ("Female", "Male")])
        for d in sorted(raw["Dept"].unique())
    ]
    ref = StratifiedTable(tables)
    assert hand == pytest.approx(ref.oddsratio_pooled, rel=1e-12)
    assert row["strata"] == 6 and row["mh_odds_ratio"] == pytest.approx(hand, rel=1e-9)
    assert row["cmh_p"] == pytest.approx(ref.test_null_odds(correction=False).pvalue, rel=1e-8)
    assert 1 / hand == pytest.approx(0.905, abs=0.0005)  # the textbook men-vs-women figure
    # pooled, women are admitted significantly less often (ratio 0.68); within departments not:
    # the two views disagree, and the table says so
    assert row["pooled_conclusion"] == "selected less often"
    assert row["stratified_conclusion"] == "no significant difference"
    assert row["disagree"] and "Simpson's paradox" in row["note"]


def test_the_published_command_shows_the_simpson_note(ucb):
    _, _, db = ucb
    out = CliRunner().invoke(
        main, ["hiring", "adverse-impact", "--db", str(db), "--by", "gender", "--stratify", "department"]
    )
    assert out.exit_code == 0, out.output
    assert "not for publication" not in out.output
    assert "Simpson's paradox" in " ".join(out.output.split())
