"""The `equity` command line on small hand-made folders: list, metrics (table/csv/json,
--filter), CSV-injection safety, and quality. Expected numbers are worked out in comments."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.build import build
from pipelines.cli import main
from pipelines.export import to_csv
from pipelines.metrics import registry
from tests.helpers import employees_folder

LONG_HEADER = (
    "metric,period_start,period_end,period,dimensions,group,numerator,denominator,value,"
    "ci_low,ci_high,n,suppressed,note"
)
BLANKED = ["numerator", "denominator", "value", "ci_low", "ci_high", "n"]


def cli(*args: str) -> str:
    """Run the CLI in-process; assert success; return stdout."""
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def E(eid, gender, race, hire, term="", ttype=""):
    return {
        "employee_id": eid,
        "gender": gender,
        "race_ethnicity": race,
        "birth_year": "1980",
        "hire_date": hire,
        "termination_date": term,
        "termination_type": ttype,
    }


# 2021 only (history_start 2021-01-01, as_of 2021-12-31), k = 3
PEOPLE = [
    *[E(f"W{i}", "Woman", "White", "2019-01-01") for i in range(1, 5)],  # W1-W4 all year
    E("W5", "Woman", "White", "2019-01-01", "2021-06-30", "voluntary"),  # on 6 month ends (Jan-Jun)
    *[E(f"M{i}", "Man", "White", "2019-01-01") for i in range(1, 5)],  # M1-M4 all year
    E("M5", "Man", "White", "2019-01-01", "2021-09-30", "involuntary"),  # on 9 month ends (Jan-Sep)
    E("B1", "Woman", "Black", "2019-01-01"),  # one person: suppressed
    E("A1", "Man", "Asian", "2019-01-01"),  # one person: suppressed
]
DEPARTMENT = {
    "W1": "Sales",
    "W2": "Sales",
    "B1": "Sales",
    "M1": "Sales",
    "M2": "Sales",
    "M5": "Sales",
}  # everyone else: Ops


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    jobs = [
        {
            "employee_id": p["employee_id"],
            "effective_date": p["hire_date"],
            "department": DEPARTMENT.get(p["employee_id"], "Ops"),
        }
        for p in PEOPLE
    ]
    folder = employees_folder(
        tmp / "data", PEOPLE, jobs, config={"history_start": "2021-01-01", "as_of": "2021-12-31", "privacy": {"k": 3}}
    )
    build(folder, tmp / "cli.duckdb")
    return str(tmp / "cli.duckdb")


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_list_shows_every_registry_metric():
    names = list(registry())
    # the foundation metrics, listed by hand, are among them
    assert {"headcount", "representation", "hires", "separations", "turnover_rate"} <= set(names)
    rows = read_csv(cli("list", "--format", "csv"))
    assert [r["name"] for r in rows] == names
    table = cli("list")
    for name in names:
        assert f" {name} " in table, name


def test_metrics_csv_is_the_long_table_with_suppressed_cells_blank(db):
    out = cli("metrics", "turnover_rate", "--by", "gender,race_ethnicity", "--format", "csv", "--db", db, "--exact")
    # the data owner's exact table says on every row that it is not for publication
    assert out.splitlines()[0] == "publication," + LONG_HEADER
    assert all(r["publication"] == "exact figures for the data owner — not for publication" for r in read_csv(out))
    rows = {(r["dimensions"], r["group"]): r for r in read_csv(out)}
    # All: separations W5 + M5 = 2; month-end headcounts: 10 people x 12 + W5 6 + M5 9 = 135,
    # average 135 / 12 = 11.25; turnover 2 / 11.25 = 0.17778; 12 distinct people
    total = rows[("", "All")]
    assert (total["period"], total["numerator"], total["denominator"], total["n"], total["suppressed"]) == (
        "2021",
        "2",
        "11.25",
        "12",
        "False",
    )
    assert float(total["value"]) == pytest.approx(2 / 11.25)
    # Woman: W1-W4 + B1 all year (5 x 12) + W5 (6) = 66 -> 5.5; 1 / 5.5; 6 people
    woman = rows[("gender", "Woman")]
    assert woman["suppressed"] == "False" and woman["numerator"] == "1" and woman["n"] == "6"
    assert float(woman["denominator"]) == pytest.approx(5.5)
    assert float(woman["value"]) == pytest.approx(1 / 5.5)
    # one-person cells are suppressed (n<k) and print nothing but their labels and note
    for key in [
        ("gender|race_ethnicity", "Woman|Black"),
        ("gender|race_ethnicity", "Man|Asian"),
        ("race_ethnicity", "Black"),
        ("race_ethnicity", "Asian"),
    ]:
        assert rows[key]["suppressed"] == "True", key
        assert all(rows[key][c] == "" for c in BLANKED), rows[key]
    assert rows[("race_ethnicity", "Black")]["note"].startswith("n<k")
    suppressed = [r for r in rows.values() if r["suppressed"] == "True"]
    assert all(r[c] == "" for r in suppressed for c in BLANKED)
    assert all(r["value"] != "" for r in rows.values() if r["suppressed"] == "False")


def test_metrics_json_parses(db):
    records = json.loads(cli("metrics", "headcount", "--by", "gender", "--format", "json", "--db", db, "--exact"))
    assert all(list(r)[1:15] == LONG_HEADER.split(",") for r in records)
    by_group = {r["group"]: r for r in records}
    # active on 2021-12-31: W1-W4 and B1 (5 women), M1-M4 and A1 (5 men; M5 left): 10 in all
    assert by_group["All"]["value"] == 10 and by_group["Woman"]["value"] == 5 and by_group["Man"]["value"] == 5
    assert by_group["Woman"]["suppressed"] is False


def test_filter_restricts_to_the_department(db):
    rows = {
        r["group"]: r
        for r in read_csv(
            cli(
                "metrics",
                "headcount",
                "--by",
                "gender",
                "--format",
                "csv",
                "--filter",
                "department=Sales",
                "--db",
                db,
                "--exact",
            )
        )
    }
    # Sales on 2021-12-31: W1 W2 B1 (women) and M1 M2 (men; M5 left on 2021-09-30)
    assert rows["All"]["value"] == "5.0"
    # Man (2) is below k = 3; Woman (3) is then suppressed too, or 5 - 3 would give Man away
    assert rows["Man"]["suppressed"] == rows["Woman"]["suppressed"] == "True"
    assert rows["Man"]["value"] == rows["Woman"]["value"] == ""
    # without the filter: 10 active (W1-W4, B1, M1-M4, A1)
    everyone = {
        r["group"]: r
        for r in read_csv(cli("metrics", "headcount", "--by", "gender", "--format", "csv", "--db", db, "--exact"))
    }
    assert everyone["All"]["value"] == "10.0"
    # Ops on 2021-12-31: W3 W4 (women) and M3 M4 A1 (men) = 5; Woman (2) is below k, so Man (3)
    # is suppressed too and only the total is published
    ops = {
        r["group"]: r
        for r in read_csv(
            cli(
                "metrics",
                "headcount",
                "--by",
                "gender",
                "--format",
                "csv",
                "--filter",
                "department=Ops",
                "--db",
                db,
                "--exact",
            )
        )
    }
    assert ops["All"]["value"] == "5.0"
    assert ops["Woman"]["suppressed"] == ops["Man"]["suppressed"] == "True"


# ---------------------------------------------------------------- CSV injection

HOSTILE = ['=HYPERLINK("http://x","click")', "+1", "-2", "@cmd"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    people = [E(f"H{g}{i}", gender, "White", "2020-01-01") for g, gender in enumerate(HOSTILE) for i in range(3)]
    folder = employees_folder(
        tmp / "data", people, config={"history_start": "2021-01-01", "as_of": "2021-12-31", "privacy": {"k": 3}}
    )
    build(folder, tmp / "h.duckdb")
    return str(tmp / "h.duckdb")


def test_formula_like_categories_are_quoted_in_csv(hostile_db):
    out = cli("metrics", "representation", "--by", "gender", "--format", "csv", "--db", hostile_db, "--exact")
    rows = read_csv(out)
    groups = {r["group"] for r in rows if r["dimensions"] == "gender"}
    assert groups == {"'" + g for g in HOSTILE}
    # 3 people in each of 4 groups: a share of 3/12 = 0.25 each, numbers untouched
    assert {r["value"] for r in rows if r["dimensions"] == "gender"} == {"0.25"}
    # no cell of the CSV starts a formula
    for row in csv.reader(io.StringIO(out)):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), row


def test_json_keeps_the_values_as_they_are(hostile_db):
    records = json.loads(cli("metrics", "headcount", "--by", "gender", "--format", "json", "--db", hostile_db))
    assert {r["group"] for r in records if r["dimensions"] == "gender"} == set(HOSTILE)


def test_published_output_is_protected_by_default_and_exact_output_says_so(db):
    """Without --exact the CLI prints what may be published: no publication column, counts
    within the perturbation table's range of the exact ones, the same table on every run."""
    published = read_csv(cli("metrics", "headcount", "--by", "gender", "--format", "csv", "--db", db))
    again = read_csv(cli("metrics", "headcount", "--by", "gender", "--format", "csv", "--db", db))
    exact = {
        (r["period"], r["group"]): r
        for r in read_csv(cli("metrics", "headcount", "--by", "gender", "--format", "csv", "--db", db, "--exact"))
    }
    assert published == again and "publication" not in published[0]
    overall = [r for r in published if r["group"] == "All"]
    assert overall and all(abs(float(r["value"]) - float(exact[(r["period"], "All")]["value"])) <= 2 for r in overall)
    table = cli("metrics", "headcount", "--db", db, "--exact")
    assert table.startswith("Exact figures for the data owner — not for publication")


def test_negative_numbers_are_not_quoted_but_text_is():
    df = pd.DataFrame({"group": ["-2", "Woman"], "value": [-0.05, 0.1], "n": pd.array([-3, 4], dtype="Int64")})
    rows = list(csv.reader(io.StringIO(to_csv(df))))
    assert rows == [["group", "value", "n"], ["'-2", "-0.05", "-3"], ["Woman", "0.1", "4"]]


# ---------------------------------------------------------------- quality


@pytest.fixture(scope="module")
def quality_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("quality")
    people = [
        E("Q1", "Woman", "White", "2020-01-01"),
        E("Q2", "Woman", "White", "2020-13-01"),  # line 3: month 13
        E("Q3", "Man", "White", "2020-02-01", "2021-01-31", "quit"),  # line 4: not in the enum
        E("Q4", "Man", "White", "31/01/2020"),  # line 5: day-first
        E("Q5", "Man", "White", "2020-03-01"),
    ]
    jobs = [{"employee_id": p["employee_id"], "effective_date": "2020-03-01"} for p in (people[0], people[4])]
    folder = employees_folder(tmp / "data", people, jobs, config={"history_start": "2020-01-01", "as_of": "2021-12-31"})
    build(folder, tmp / "q.duckdb")
    return str(tmp / "q.duckdb")


def test_quality_prints_quarantine_by_reason(quality_db):
    out = cli("quality", "--db", quality_db)
    assert "Quarantined rows by reason" in out
    lines = [ln for ln in out.splitlines() if "hr/employees.csv" in ln and "line " in ln]
    by_column = {("hire_date" in ln, "termination_type" in ln): ln for ln in lines}
    hire = by_column[(True, False)]
    # two bad hire dates (lines 3 and 5), one bad termination type (line 4)
    assert "not a valid date (expected YYYY-MM-DD)" in hire and "│ 2 " in hire
    assert "line 3: 2020-13-01; line 5: 31/01/2020" in hire
    ttype = by_column[(False, True)]
    assert "not one of: voluntary, involuntary" in ttype and "│ 1 " in ttype and "line 4: quit" in ttype


def test_quality_json_is_one_document(quality_db):
    doc = json.loads(cli("quality", "--db", quality_db, "--format", "json"))
    reasons = {(r["column"], r["reason"], r["rows"]) for r in doc["Quarantined rows by reason"]}
    assert reasons == {
        ("hire_date", "not a valid date (expected YYYY-MM-DD)", 2),
        ("termination_type", "not one of: voluntary, involuntary", 1),
    }
    files = {r["file"]: (r["rows_in"], r["rows_loaded"], r["rows_quarantined"]) for r in doc["Files"]}
    assert files == {"hr/employees.csv": (5, 2, 3), "hr/job_history.csv": (2, 2, 0)}
