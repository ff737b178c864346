"""Attacks on the workforce family's published analyses outside compute(): Kaplan-Meier
retention curves (each single exit's timing and group), medians of small groups, and the
routes around them (multi-value filters, ranges), each against the data owner's exact output
(`exact=True`, `--exact`: the attack works) and the published output (it does not).

The data are made by hand so the truth is known: 20 men and 20 women hired on the first day
of the window; 15 of each leave, one a month, men in odd months of tenure (1, 3, .. 29) and
women in even months (2, 4, .. 30); the seven women who leave in months 2-14 are the only
Asian employees. A viewer who knows that a colleague left after m months wants the
colleague's gender, or the months in which a group's members left.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.errors import UsageError
from pipelines.metrics import compute
from pipelines.families.workforce.curves import group_summary, retention_curves
from pipelines.families.workforce.curves_protected import BAND_MONTHS, STEP
from pipelines.families.workforce.retention import DAYS_PER_MONTH
from pipelines.publication import EXACT_NOTICE
from tests.helpers import build_and_open, employees_folder

K = 5
HIRED = dt.date(2020, 1, 1)
LEAVERS = [(m, "Man") for m in range(1, 30, 2)] + [(m, "Woman") for m in range(2, 31, 2)]


def _exit_date(month: int) -> dt.date:
    """Half way through month `month` of tenure (tenure days = date - hire + 1)."""
    return HIRED + dt.timedelta(days=round((month - 0.5) * DAYS_PER_MONTH) - 1)


def _people() -> list[dict]:
    people = []
    for i, (m, gender) in enumerate(LEAVERS):
        people.append(
            {
                "employee_id": f"L{i:02d}",
                "gender": gender,
                "birth_year": "1980",
                "race_ethnicity": "Asian" if gender == "Woman" and m <= 14 else "White",
                "hire_date": HIRED.isoformat(),
                "termination_date": _exit_date(m).isoformat(),
                "termination_type": "voluntary",
            }
        )
    for gender in ("Man", "Woman"):
        people += [
            {
                "employee_id": f"S{gender[0]}{j}",
                "gender": gender,
                "birth_year": "1980",
                "race_ethnicity": "White",
                "hire_date": HIRED.isoformat(),
            }
            for j in range(5)
        ]
    return people


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("km_attack")
    folder = employees_folder(
        root / "data", _people(), config={"history_start": "2020-01-01", "as_of": "2022-12-31", "privacy": {"k": K}}
    )
    c = build_and_open(folder)
    yield c
    c.close()


def _drops(curves: pd.DataFrame, group: str) -> dict[int, float]:
    """The published drop of a group's curve in each month of tenure (blank points: none)."""
    s = curves[curves["group"] == group].set_index("tenure_months")["survival"]
    prev = pd.concat([pd.Series([1.0], index=[0.0]), s]).shift(1).loc[s.index]
    return {int(round(m)): float(d) for m, d in (prev - s).items() if pd.notna(d)}


def attribute_attack(curves: pd.DataFrame) -> int:
    """For each leaver (month known): the group whose curve drops most in that month.
    Returns how many leavers' genders it names correctly."""
    drops = {g: _drops(curves, g) for g in ("Man", "Woman")}
    right = 0
    for m, truth in LEAVERS:
        d = {g: drops[g].get(m, 0.0) for g in drops}
        best = max(d, key=d.get)
        if d[best] > 1e-12 and abs(d["Man"] - d["Woman"]) > 1e-12 and best == truth:
            right += 1
    return right


def timing_attack(curves: pd.DataFrame, group: str) -> set[int]:
    """The months in which the attacker says a member of `group` left: those its curve drops in."""
    return {m for m, d in _drops(curves, group).items() if d > 1e-12}


def test_exact_curves_give_away_every_exit_and_protected_ones_do_not(con):
    exact = retention_curves(con, by=["gender"], k=K, exact=True).curves
    published = retention_curves(con, by=["gender"], k=K).curves
    # the attack works: the exact curves name every leaver's gender and every exit month
    assert attribute_attack(exact) == len(LEAVERS)
    assert timing_attack(exact, "Man") == {m for m, g in LEAVERS if g == "Man"}
    # on published curves it is a guess: between steps a curve is a straight line, so its
    # drop in a month is the same whichever month of the band the exits were in; with both
    # groups leaving alike, guessing is right about half the time (30 guesses: 2 SD = 18%)
    assert attribute_attack(published) <= 0.68 * len(LEAVERS)
    said = timing_attack(published, "Man")
    true = {m for m, g in LEAVERS if g == "Man"}
    assert said != true
    assert len(said & true) / max(len(said), 1) <= 0.6  # 15 of 30 months: no better than all months


def test_published_steps_hold_at_least_k_minus_2_exits_on_whole_quarters(con):
    curves = retention_curves(con, by=["gender"], k=K).curves
    checked = 0
    for gender in ("Man", "Woman"):
        part = curves[curves["group"] == gender]
        steps = part.loc[part["shown_as"] == STEP, "tenure_months"].to_list()
        assert steps, gender
        months = [m for m, g in LEAVERS if g == gender]
        edges = [0.0, *steps]
        for lo, hi in zip(edges, edges[1:]):
            assert hi % BAND_MONTHS == 0  # never an exit's own month
            assert sum(lo < m <= hi for m in months) >= K - 2  # a protected count >= k is within 2
            checked += 1
        # at-risk counts are shown at the steps only, and never below k
        shown = part.dropna(subset=["at_risk"])
        assert (shown["shown_as"] == STEP).all() and (shown["at_risk"] >= K).all()
    assert checked >= 4


def test_a_median_of_a_small_group_is_not_one_persons_tenure(con):
    """Seven Asian women, all leavers: the exact median is the fourth one's tenure."""
    tenures = [((_exit_date(m) - HIRED).days + 1) / DAYS_PER_MONTH for m in range(2, 15, 2)]

    def median(exact):
        res = retention_curves(con, by=["race_ethnicity"], k=K, exact=exact)
        rows = group_summary(con, res).set_index("group")
        return rows.loc["Asian", "median_months"]

    exact = median(True)
    assert exact == pytest.approx(tenures[3], abs=1e-9)  # the attack works
    published = median(False)
    assert min(abs(published - t) for t in tenures) > 1e-6  # nobody's tenure
    assert abs(published - exact) <= 2 / 7 * exact  # the documented bound (2/n)


def test_same_curve_and_figures_in_every_view(con):
    by_gender = retention_curves(con, by=["gender"], k=K)
    filtered = retention_curves(con, k=K, filters={"gender": ["Woman"]})
    woman = by_gender.curves[by_gender.curves["group"] == "Woman"].reset_index(drop=True)
    alone = filtered.curves[filtered.curves["group"] == "All"].reset_index(drop=True)
    pd.testing.assert_frame_equal(woman.drop(columns="group"), alone.drop(columns="group"))
    # the groups are median_tenure's published cells over the same window, and the summary
    # is compute()'s: the same figures as `equity metrics ... --period custom` (whole window)
    table = compute(
        con,
        "median_tenure",
        by=["gender"],
        period="custom",
        date_from=by_gender.window.start,
        date_to=by_gender.window.end,
    )
    groups = by_gender.groups.set_index("group")
    for _, row in table.iterrows():
        assert groups.loc[row["group"], "n"] == row["n"]
        assert groups.loc[row["group"], "exits"] == row["numerator"]
    r12 = compute(
        con,
        "retention_12m",
        by=["gender"],
        period="custom",
        date_from=by_gender.window.start,
        date_to=by_gender.window.end,
    ).set_index("group")
    summary = group_summary(con, by_gender).set_index("group")
    for group in ("All", "Man", "Woman"):
        assert summary.loc[group, "12m"] == r12.loc[group, "value"]
    again = retention_curves(con, by=["gender"], k=K)
    pd.testing.assert_frame_equal(again.curves, by_gender.curves)  # every run alike


def test_published_routes_snap_ranges_and_refuse_sums(con):
    res = retention_curves(con, by=["gender"], k=K, date_from=dt.date(2021, 3, 5), date_to=dt.date(2021, 10, 1))
    assert (res.window.start, res.window.end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    owner = retention_curves(
        con, by=["gender"], k=K, date_from=dt.date(2021, 3, 5), date_to=dt.date(2021, 10, 1), exact=True
    )
    assert (owner.window.start, owner.window.end) == (dt.date(2021, 3, 5), dt.date(2021, 10, 1))
    with pytest.raises(UsageError, match="--exact"):
        retention_curves(con, k=K, filters={"gender": ["Man", "Woman"]})
    both = retention_curves(con, k=K, filters={"gender": ["Man", "Woman"]}, exact=True)
    assert both.groups.set_index("group").loc["All", "n"] == 40


def test_cli_survival_is_protected_by_default_and_marks_exact_output(con):
    db = con.execute("SELECT file FROM pragma_database_list WHERE name = current_database()").fetchone()[0]

    def run(*extra):
        result = CliRunner().invoke(main, ["survival", "--db", db, "--by", "gender", "--format", "csv", *extra])
        assert result.exit_code == 0, result.stderr
        return pd.read_csv(io.StringIO(result.stdout))

    published, exact = run(), run("--exact")
    assert "publication" not in published and (exact["publication"] == EXACT_NOTICE).all()
    assert exact.set_index("group").loc["All", "n"] == 40
    curves = run("--curves")
    assert "shown_as" in curves and set(curves["group"]) == {"All", "Man", "Woman"}
    assert np.isfinite(published.set_index("group").loc["Woman", "12m"])


def test_a_group_of_seven_leavers_shows_no_single_exit(con):
    """The issue's case: an exact curve of a small group publishes each member's exit for as
    long as k are at risk (here the exits in months 2 and 4, each a drop of one person, 1/7)."""
    exact = retention_curves(con, by=["race_ethnicity"], k=K, exact=True).curves
    assert timing_attack(exact, "Asian") == {2, 4}  # the attack works
    drops = _drops(exact, "Asian")
    assert (drops[2], drops[4]) == (pytest.approx(1 / 7), pytest.approx(1 / 7))  # 1 - 6/7, 6/7 - 5/7
    published = retention_curves(con, by=["race_ethnicity"], k=K).curves
    said = timing_attack(published, "Asian")
    true = set(range(2, 15, 2))
    assert said != {2, 4} and len(said & true) / max(len(said), 1) <= 0.6
