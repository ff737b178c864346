"""The workforce commands (`equity impact`, `survival`, `targets`) on the sample database:
exit codes, machine-readable output, and numbers that agree with a second computation."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.cli import main

pytestmark = pytest.mark.slow


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_survival_csv_has_groups_and_reports_the_log_rank_on_stderr(sample_db):
    code, out, err = run("survival", "--db", str(sample_db), "--by", "gender", "--format", "csv")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert {"group", "n", "12m", "12m_ci_low", "median_months"} <= set(table.columns)
    assert (table.loc[~table["suppressed"], "n"] >= 5).all()
    assert "Log-rank test across the 5 groups shown" in err


def test_targets_projection_agrees_with_a_numpy_line(sample_db):
    code, out, err = run("targets", "--db", str(sample_db), "--format", "csv")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 2  # the two targets in sample_data/demo/equity.yml
    code, metric_out, _ = run(
        "metrics", "turnover_rate", "--db", str(sample_db), "--by", "gender,race_ethnicity", "--format", "csv"
    )
    rows = pd.read_csv(io.StringIO(metric_out))
    rows = rows[
        (rows["group"] == "Woman|Black or African American") & ~rows["suppressed"] & rows["note"].isna()
    ]  # full years only (2026 is partial)
    x = np.array([pd.Timestamp(d).toordinal() / 365.25 for d in rows["period_end"]])
    slope, intercept = np.polyfit(x, rows["value"], 1)
    target = table[table["metric"] == "turnover_rate"].iloc[0]
    assert target["slope_per_year"] == pytest.approx(slope, rel=1e-9)
    due = pd.Timestamp(target["due"]).toordinal() / 365.25
    assert target["projected"] == pytest.approx(intercept + slope * due, rel=1e-9)
    expected = "on track" if target["projected"] <= target["target_value"] else "off track"
    assert target["status"] == expected


def test_impact_table_and_caution(sample_db):
    code, out, err = run("impact", "turnover_rate", "--event", "Parental leave 26 weeks", "--db", str(sample_db))
    assert code == 0, err
    assert "level change at event" in out and "slope change per month" in out
    assert "not proof" in " ".join(out.split())  # sentences are wrapped to the terminal width


def test_impact_usage_errors_exit_2(sample_db):
    code, _, err = run("impact", "turnover_rate", "--event", "No such event", "--db", str(sample_db))
    assert code == 2 and "no event labelled 'No such event'" in err
    code, _, err = run("impact", "no_metric", "--event", "Parental leave 26 weeks", "--db", str(sample_db))
    assert code == 2 and "unknown metric" in err


def test_new_metrics_through_equity_metrics(sample_db):
    code, out, err = run(
        "metrics", "promotion_impact_ratio", "--db", str(sample_db), "--by", "gender", "--format", "csv"
    )
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    refs = table.dropna(subset=["reference_group"]).groupby("period")["reference_group"].nunique()
    assert (refs == 1).all()  # one reference group per year and breakdown
    assert {"z", "p_value_z", "p_value_fisher"} <= set(table.columns)
