"""Planted truth 6 of the sample data (sample_data/README.md) recovered by the voice metrics,
the CLI and the comparisons. Expected values are the README's: Asian women's belonging
favourability 52.4% (145 answered items) vs 71.0% for all other respondents (2,407) in the
2024 wave, 55.9% (136) vs 72.0% (2,397) in 2025; other constructs show no group difference.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.families.voice.compare import voice_gaps
from tests.helpers import compute_exact

pytestmark = pytest.mark.slow
README = {"2024-inclusion": (0.524, 145, 0.710, 2407), "2025-inclusion": (0.559, 136, 0.720, 2397)}


@pytest.fixture(scope="module")
def gaps(sample_db):
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    yield voice_gaps(con, "favourability", by=["gender", "race_ethnicity"], exact=True)  # planted truths
    con.close()


def test_asian_women_belonging_matches_the_readme(sample_con):
    df = compute_exact(sample_con, "favourability", by=["gender", "race_ethnicity"])
    for wave, (share, answered, rest_share, rest_answered) in README.items():
        asian_women = df[(df["group"] == "Woman|Asian") & (df["period"] == wave) & (df["construct"] == "belonging")]
        overall = df[(df["group"] == "All") & (df["period"] == wave) & (df["construct"] == "belonging")]
        row, everyone = asian_women.iloc[0], overall.iloc[0]
        assert not row["suppressed"]
        assert row["denominator"] == answered and row["value"] == pytest.approx(share, abs=0.0005)
        rest = (everyone["numerator"] - row["numerator"]) / (everyone["denominator"] - row["denominator"])
        assert everyone["denominator"] - row["denominator"] == rest_answered
        assert rest == pytest.approx(rest_share, abs=0.0005)


def test_the_gap_is_significant_in_both_waves_and_only_on_belonging(gaps):
    asian_women = gaps[gaps["group"] == "Woman|Asian"]
    for wave in README:
        row = asian_women[(asian_women["period"] == wave) & (asian_women["construct"] == "belonging")].iloc[0]
        # README: gaps of 18.6 and 16.1 points (about 20 planted, with ~4 points of sampling error)
        assert -0.19 <= row["gap"] <= -0.16
        assert row["significant"] and row["ci_high"] < 0
    others = asian_women[asian_women["construct"] != "belonging"]
    assert not others["significant"].any()
    # the planted effect is the only systematic difference: every significant gap, at any
    # level of the gender x race breakdown, is on belonging and involves Asian respondents
    significant = gaps[gaps["significant"].eq(True)]
    assert set(significant["construct"]) == {"belonging"}
    assert significant["group"].str.contains("Asian").all()


def test_cli_shows_the_finding(sample_db):
    runner = CliRunner()
    plain = runner.invoke(
        main, ["metrics", "favourability", "--db", str(sample_db), "--by", "gender,race_ethnicity", "--format", "csv"]
    )
    assert plain.exit_code == 0, plain.output
    assert "Woman|Asian" in plain.output
    gaps = runner.invoke(
        main,
        [
            "voice",
            "gaps",
            "--db",
            str(sample_db),
            "--by",
            "gender,race_ethnicity",
            "--significant",
            "--format",
            "csv",
            "--exact",
        ],
    )
    assert gaps.exit_code == 0, gaps.output
    lines = [ln for ln in gaps.output.splitlines() if "Woman|Asian" in ln]
    assert len(lines) == 2 and all(",belonging," in ln for ln in lines)
    assert {ln.split(",")[2] for ln in lines} == set(README)  # after the `publication` column


def test_response_rate_denominator_is_the_hr_headcount_on_the_survey_date(sample_con):
    # the README: invited = employees per department on each survey date, and 60% respond.
    # Cross-check against the HR data (a different path through the pipeline).
    rates = compute_exact(sample_con, "response_rate", by=["department"])
    for wave, day in (("2024-inclusion", dt.date(2024, 10, 1)), ("2025-inclusion", dt.date(2025, 10, 1))):
        heads = compute_exact(sample_con, "headcount", by=["department"], period="custom", date_from=day, date_to=day)
        wave_rates = rates[rates["period"] == wave].set_index("group")
        for _, h in heads.iterrows():
            assert wave_rates.loc[h["group"], "denominator"] == h["value"], (wave, h["group"])
        assert 0.57 <= wave_rates.loc["All", "value"] <= 0.63
