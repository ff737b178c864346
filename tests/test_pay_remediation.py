"""Remediation: the planned raises bring the adjusted gap, refitted independently with
statsmodels, to the target within 0.1 percentage point; budgets and curves behave."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.metrics import pay_remediation_report as report
from pipelines.metrics.pay_remediation import Remediation, budget_of, plan_for_budget
from tests.test_pay_oaxaca import snapshot_from
from tests.test_pay_regression import _direct_fit, built  # noqa: F401 - fixture reused


def _people(seed=8):
    rng = np.random.default_rng(seed)
    groups = ["Man"] * 200 + ["Woman"] * 150 + ["Non-binary"] * 20
    level = rng.choice(["L1", "L2", "L3"], len(groups))
    tenure = rng.uniform(0, 15, len(groups))
    ln_pay = (3.4 + 0.3 * (level == "L2") + 0.55 * (level == "L3") + 0.01 * tenure
              - 0.06 * (np.array(groups) == "Woman") + 0.06 * rng.standard_normal(len(groups)))
    return pd.DataFrame({"group": groups, "gender": groups, "hourly_pay": np.exp(ln_pay), "f_job_level": level,
                         "f_tenure_years": tenure, "employee_id": [f"E{i}" for i in range(len(groups))],
                         "fte": 1.0})


def _refit_gap(people, new_ln_pay, group="Woman"):
    data = people.assign(lp=new_ln_pay)
    fit = smf.ols("lp ~ C(group, Treatment('Man')) + C(f_job_level) + f_tenure_years", data=data).fit()
    return 100 * np.expm1(fit.params[f"C(group, Treatment('Man'))[T.{group}]"])


@pytest.mark.parametrize("target", [2.0, 1.0, 0.0])
def test_plan_reaches_the_target_gap(target):
    people = _people()
    rem = Remediation(snapshot_from(people))
    before = _refit_gap(people, np.log(people["hourly_pay"]))
    assert before < -4   # the planted -6% (sampling noise aside)
    plan = rem.plan(target)
    assert plan.reachable
    assert _refit_gap(people, plan.new_ln_pay) == pytest.approx(-target, abs=0.1)
    raised = plan.new_ln_pay > np.log(people["hourly_pay"].to_numpy()) + 1e-12
    # only women are raised, never above their predicted pay, and nobody's pay goes down
    assert set(people.loc[raised, "group"]) == {"Woman"}
    assert np.all(plan.new_ln_pay[raised] <= rem.pred[raised] + 1e-12)
    assert np.all(plan.new_ln_pay >= np.log(people["hourly_pay"].to_numpy()) - 1e-12)


def test_budget_curve_and_budget_limited_plan():
    rem = Remediation(snapshot_from(_people()))
    curve = report.cost_curve(rem, 6)
    women = curve[curve["group"] == "Woman"].sort_values("point")
    assert women["annual_cost"].iloc[0] == 0 and women["annual_cost"].is_monotonic_increasing
    assert women["gap_pct"].is_monotonic_increasing and women["gap_pct"].iloc[-1] == pytest.approx(0, abs=1e-6)
    full_cost = budget_of(rem, rem.plan(0.0))[0]
    half = plan_for_budget(rem, full_cost / 2)
    assert budget_of(rem, half)[0] <= full_cost / 2 + 1e-6
    assert -rem.gap_pct(rem.targets[rem.targets.index("Woman")], rem.y) > half.target_pct > 0


def test_costs_over_fewer_than_k_raised_people_are_not_published():
    rem = Remediation(snapshot_from(_people()))
    now = -rem.gap_pct("Woman", rem.y)
    tiny = rem.plan(now - 0.01)   # closing 0.01 point needs one or two raises
    n_raised = budget_of(rem, tiny)[1]
    assert 0 < n_raised < 5
    row = report.summary(rem, tiny).set_index("group").loc["Woman"]
    assert np.isnan(row["annual_cost"]) and np.isnan(row["n_raised"])
    assert np.isnan(report.total(rem, tiny)["annual_cost"])


def test_cli_writes_individual_rows_only_when_asked_and_they_close_the_gap(built, tmp_path):  # noqa: F811
    con, df = built
    db = con.execute("PRAGMA database_list").fetchall()[0][2]
    runner = CliRunner()
    plan_csv, people_csv = tmp_path / "plan.csv", tmp_path / "people.csv"
    res = runner.invoke(main, ["pay", "remediation", "--db", db, "--target-gap", "1", "--out", str(plan_csv)])
    assert res.exit_code == 0, res.output
    plan = pd.read_csv(plan_csv)
    assert "employee_id" not in plan.columns and "Woman" in set(plan["group"])
    res = runner.invoke(main, ["pay", "remediation", "--db", db, "--target-gap", "1", "--out", str(people_csv),
                               "--include-individuals"])
    assert res.exit_code == 0, res.output
    raises = pd.read_csv(io.StringIO(people_csv.read_text()))
    assert set(raises["group"]) == {"Woman"} and (raises["raise"] > 0).all()
    # refit on the new salaries (everyone else unchanged), as the payroll team would
    new = df.set_index("employee_id")["salary"].copy()
    new.loc[raises["employee_id"]] = raises.set_index("employee_id")["new_annual_pay"]
    refit = _direct_fit(df.assign(salary=new.loc[df["employee_id"]].to_numpy()))
    gap = 100 * np.expm1(refit.params["C(gender, Treatment('Man'))[T.Woman]"])
    assert gap == pytest.approx(-1.0, abs=0.1)
