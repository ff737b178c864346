"""Stratified adverse impact (pooled vs within departments) and the `equity hiring` command,
on a hand-made Simpson table and - when ../shared/data/real is present - on the real 1973
Berkeley admissions and the Bertrand-Mullainathan resume callbacks. Expected values come
from hand calculation, statsmodels' StratifiedTable or the published figures."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from statsmodels.stats.contingency_tables import StratifiedTable

from pipelines.cli import main
from pipelines.families.hiring.strata import stratified_impact, whole_window
from tests.conftest import REAL_DATA
from tests.helpers import build_and_open
from tests.test_hiring_metrics import Recruiting
from tests.helpers import compute_exact

TWO_STAGES = {"recruiting": {"stage_order": ["applied", "hired"]}}


def simpson() -> Recruiting:
    """Department A hires most applicants, B few; women apply mostly to B.
    A: men 48 of 80 hired (0.60), women 13 of 20 (0.65). B: men 4 of 20 (0.20), women 18 of 80
    (0.225). Pooled: men 52/100, women 31/100 -> ratio 0.596 - yet women do better in both."""
    r = Recruiting(stages=["applied", "hired"])
    for dept, gender, hired, total in [
        ("A", "Man", 48, 80),
        ("A", "Woman", 13, 20),
        ("B", "Man", 4, 20),
        ("B", "Woman", 18, 80),
    ]:
        r.add(hired, gender, "hired", "hired", department=dept)
        r.add(total - hired, gender, "applied", "rejected", department=dept)
    return r


@pytest.fixture(scope="module")
def simpson_db(tmp_path_factory):
    folder = simpson().write(tmp_path_factory.mktemp("simpson") / "data", TWO_STAGES)
    con = build_and_open(folder)
    yield con, folder.parent / "data.duckdb"
    con.close()


def test_pooled_and_cmh_disagree_on_a_simpson_table(simpson_db):
    con, _ = simpson_db
    result = stratified_impact(con, ["gender"], "department", period="year", exact=True)
    row = result.cmh[(result.cmh["group"] == "Woman") & (result.cmh["stage"] == "bottom line")].iloc[0]
    # pooled: (31/100)/(52/100) = 0.596 < 0.8, z = 0.21/sqrt(0.415*0.585*0.02) = 3.014
    assert row["pooled_ratio"] == pytest.approx(31 / 52) and row["pooled_flagged"]
    assert row["pooled_z"] == pytest.approx(3.0137, abs=1e-3)
    # second implementation: statsmodels on the same per-department 2x2 tables (women first)
    ref = StratifiedTable([np.array([[13, 7], [48, 32]]), np.array([[18, 62], [4, 16]])])
    assert row["mh_odds_ratio"] == pytest.approx(ref.oddsratio_pooled, rel=1e-10)
    assert row["mh_rate_ratio"] == pytest.approx(ref.riskratio_pooled, rel=1e-10)
    assert row["cmh_chi2"] == pytest.approx(ref.test_null_odds(correction=False).statistic, rel=1e-10)
    assert row["cmh_p"] == pytest.approx(ref.test_null_odds(correction=False).pvalue, rel=1e-8)
    # the conclusions differ, and the note says so
    assert row["pooled_conclusion"] == "selected less often"
    assert row["stratified_conclusion"] == "no significant difference"
    assert row["disagree"] and "Simpson" in row["note"]
    # the per-department tables (through compute, suppressed as everywhere): within each
    # department women have the highest rate, so they are the reference and men are compared:
    # A 0.60/0.65 = 0.923, B 0.20/0.225 = 0.889 - nobody is below four-fifths
    strata = result.strata[(result.strata["dimensions"] == "gender") & (result.strata["stage"] == "bottom line")]
    assert set(strata["stratum"]) == {"A", "B"}
    assert set(strata["reference_group"]) == {"Woman"} and not strata["flagged"].any()
    men = strata[strata["group"] == "Man"].set_index("stratum")["value"]
    assert men.to_dict() == {"A": pytest.approx(0.60 / 0.65), "B": pytest.approx(0.20 / 0.225)}


def test_stratifying_by_a_breakdown_dimension_or_an_unknown_one_is_refused(simpson_db):
    from pipelines.errors import UsageError

    con, _ = simpson_db
    with pytest.raises(UsageError, match="cannot stratify"):
        stratified_impact(con, ["gender"], "gender")
    with pytest.raises(UsageError, match="cannot stratify"):
        stratified_impact(con, ["gender"], "shoe_size; DROP TABLE x")
    with pytest.raises(UsageError, match="one breakdown dimension"):
        stratified_impact(con, ["gender", "race_ethnicity"], "department")


def test_cli_adverse_impact_csv_and_stratified_table(simpson_db):
    _, db = simpson_db
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "hiring",
            "adverse-impact",
            "--db",
            str(db),
            "--by",
            "gender",
            "--stage",
            "bottom line",
            "--format",
            "json",
            "--exact",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = {r["group"]: r for r in json.loads(out.output)}
    assert rows["Woman"]["value"] == pytest.approx(31 / 52) and rows["Woman"]["flagged"] is True
    assert "not for publication" in rows["Woman"]["publication"]
    assert rows["Woman"]["period"] == "2024-01-01 to 2024-12-31"  # the whole window, pooled
    out = runner.invoke(main, ["hiring", "adverse-impact", "--db", str(db), "--stratify", "department"])
    assert out.exit_code == 0, out.output
    assert "Cochran-Mantel-Haenszel" in out.output and "Simpson" in out.output
    bad = runner.invoke(main, ["hiring", "adverse-impact", "--db", str(db), "--by", "shoe_size"])
    assert bad.exit_code == 2 and "cannot be broken down" in bad.output


def test_whole_window_covers_the_data_window(simpson_db):
    con, _ = simpson_db
    assert whole_window(con) == ("custom", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # a range asked for is widened to whole years (published figures take whole periods)
    assert whole_window(con, dt.date(2024, 6, 1)) == ("custom", dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _real(name: str):
    path = REAL_DATA / name
    if not path.exists():
        pytest.skip(f"optional real-data check: {path} is not present (../shared/data/real)")
    return pd.read_csv(path)


def _from_counts(counts: list[tuple[str, str, int, int]], folder, dim: str = "gender"):
    """A two-stage recruiting folder from (stratum, group, selected, total) counts."""
    r = Recruiting(stages=["applied", "hired"])
    for stratum, group, selected, total in counts:
        r.add(selected, group, "hired", "hired", department=stratum)
        r.add(total - selected, group, "applied", "rejected", department=stratum)
    if dim != "gender":
        for app in r.apps:
            app[dim], app["gender"] = app["gender"], "Not disclosed"
    return r.write(folder, TWO_STAGES)


def test_real_berkeley_admissions_pooled_gap_mostly_disappears_within_departments(tmp_path):
    ucb = _real("ucb_admissions/UCBAdmissions.csv")
    f = ucb.set_index(["Dept", "Gender", "Admit"])["Freq"]
    counts = [
        (
            d,
            {"Male": "Man", "Female": "Woman"}[g],
            int(f[d, g, "Admitted"]),
            int(f[d, g, "Admitted"] + f[d, g, "Rejected"]),
        )
        for d in sorted(ucb["Dept"].unique())
        for g in ("Male", "Female")
    ]
    con = build_and_open(_from_counts(counts, tmp_path / "ucb"))  # built in a temp folder only
    try:
        result = stratified_impact(con, ["gender"], "department", period="year", exact=True)
        row = result.cmh[(result.cmh["group"] == "Woman") & (result.cmh["stage"] == "bottom line")].iloc[0]
        pooled = compute_exact(con, "selection_rate", by=["gender"])
        rates = pooled[pooled["dimensions"] == "gender"].set_index("group")["value"]
        # published: 44.5% of men and 30.4% of women admitted (1198/2691, 557/1835)
        assert rates["Man"] == pytest.approx(0.445, abs=5e-4) and rates["Woman"] == pytest.approx(0.304, abs=5e-4)
        assert row["pooled_flagged"] and row["pooled_conclusion"] == "selected less often"
        tables = [
            np.array([[c[2], c[3] - c[2]] for c in counts if c[0] == d][::-1]) for d in sorted(ucb["Dept"].unique())
        ]  # women first, then men
        ref = StratifiedTable(tables)
        assert row["mh_odds_ratio"] == pytest.approx(ref.oddsratio_pooled, rel=1e-9)
        assert row["cmh_p"] == pytest.approx(ref.test_null_odds(correction=False).pvalue, rel=1e-8)
        # within departments women are not admitted less (MH odds ratio ~1.1, the classic 0.905
        # for men vs women), so the views disagree - the textbook Simpson's paradox
        assert 1 / row["mh_odds_ratio"] == pytest.approx(0.905, abs=0.005)
        assert row["stratified_conclusion"] == "no significant difference" and row["disagree"]
    finally:
        con.close()


def test_real_resume_callbacks_impact_ratio(tmp_path):
    resume = _real("resume_callbacks/resume.csv")
    calls = resume.groupby("race")["received_callback"].agg(["sum", "count"])
    counts = [
        ("All jobs", race, int(calls.loc[race, "sum"]), int(calls.loc[race, "count"])) for race in ("white", "black")
    ]
    con = build_and_open(_from_counts(counts, tmp_path / "resume", dim="race_ethnicity"))
    try:
        df = compute_exact(con, "adverse_impact_ratio", by=["race_ethnicity"])
        black = df[(df["group"] == "black") & (df["stage"] == "bottom line")].iloc[0]
        # published: callbacks white 235/2435 (9.65%), black 157/2435 (6.45%) -> ratio 0.668
        assert black["reference_group"] == "white"
        assert black["value"] == pytest.approx(157 / 235, abs=1e-9) and round(black["value"], 2) == 0.67
        assert black["flagged"] and black["significant"]
    finally:
        con.close()


def test_a_group_hidden_in_one_stratum_cannot_be_recovered_from_its_pooled_total(tmp_path):
    """Non-binary: 6 applicants in A, 2 in B (< k = 5), 8 pooled (shown). Were the per-department
    tables suppressed separately, A's 6 would be shown and 8 - 6 would give B's 2 back: the
    stratified view suppresses groups x departments as one table, so A's cell is hidden too."""
    r = Recruiting(stages=["applied", "hired"])
    for dept, nb in (("A", 6), ("B", 2)):
        r.add(20, "Man", "hired", "hired", department=dept).add(20, "Man", "applied", "rejected", department=dept)
        r.add(20, "Woman", "hired", "hired", department=dept).add(20, "Woman", "applied", "rejected", department=dept)
        r.add(nb, "Non-binary", "applied", "rejected", department=dept)
    con = build_and_open(r.write(tmp_path / "data", TWO_STAGES))
    try:
        result = stratified_impact(con, ["gender"], "department", period="year", exact=True)
    finally:
        con.close()
    pooled = result.pooled.set_index(["stage", "group"])
    assert not pooled.loc[("bottom line", "Non-binary"), "suppressed"]  # 8 >= 5
    strata = result.strata[result.strata["group"] != "All"]
    nb = strata[strata["group"] == "Non-binary"].set_index(["stage", "stratum"])
    assert "n<k" in nb.loc[("bottom line", "B"), "note"]
    assert nb.loc[("bottom line", "A"), "suppressed"] and "cannot be recovered" in nb.loc[("bottom line", "A"), "note"]
    # generally: no group has exactly one hidden stratum per stage while its total is shown
    for (stage, group), rows in strata.groupby(["stage", "group"]):
        if not pooled.loc[(stage, group), "suppressed"]:
            assert rows["suppressed"].sum() != 1, (stage, group)
    # and nothing of a hidden cell is published
    hidden = strata[strata["suppressed"]]
    assert hidden[["value", "numerator", "n", "z", "p_fisher", "shortfall"]].isna().all().all()
