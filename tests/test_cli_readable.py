"""The CLI's table view is for a person (issue 19, item 7): at 80 columns a readable subset
(group in words, percentages, money with separators, the interval as one column, n), columns
that do not fit named below the table; csv and json keep every column for machines. Without
--db and no default database, the error names the demo database `make demo` builds.
Expected strings are written out by hand."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.build import DEMO_DB, build
from pipelines.cli import main
from pipelines.cli_output import emit
from pipelines.cli_table import header, print_table, readable_frame
from tests.helpers import employees_folder

ROOT = Path(__file__).resolve().parent.parent
LONG_HEADER = [
    "metric",
    "period_start",
    "period_end",
    "period",
    "dimensions",
    "group",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "suppressed",
    "note",
]


def long_frame() -> pd.DataFrame:
    """A hand-made published `representation` result: two shown groups, one hidden."""
    rows = [
        ("", "All", 10, 20, 0.5, 0.3, 0.7, 20, False, None),
        ("gender|race_ethnicity", "Woman|Asian", 97, 200, 0.485, 0.426, 0.545, 1234, False, None),
        ("gender|race_ethnicity", "Man|None", 40, 100, 0.4, 0.31, 0.5, 100, False, "partial period"),
        (
            "gender|race_ethnicity",
            "Woman|Black",
            None,
            None,
            None,
            None,
            None,
            None,
            True,
            "fewer than k (protected count)",
        ),
    ]
    return pd.DataFrame(
        [
            {
                "metric": "representation",
                "period_start": pd.Timestamp("2025-01-01"),
                "period_end": pd.Timestamp("2025-12-31"),
                "period": "2025",
                "dimensions": d,
                "group": g,
                "numerator": num,
                "denominator": den,
                "value": v,
                "ci_low": lo,
                "ci_high": hi,
                "n": n,
                "suppressed": s,
                "note": note,
            }
            for d, g, num, den, v, lo, hi, n, s, note in rows
        ]
    )


def printed(capsys, df, k=5, width=None) -> list[str]:
    shown = readable_frame(df, k)
    print_table(
        [str(c) for c in shown.columns], [list(r) for r in shown.itertuples(index=False)], width, shown.attrs["first"]
    )
    return capsys.readouterr().out.splitlines()


def test_a_long_result_reads_as_words_within_80_columns(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = printed(capsys, long_frame())
    assert lines and all(len(line) <= 80 for line in lines), max(map(len, lines))
    text = "\n".join(lines)
    for expected in ("Woman, Asian", "Man, Not disclosed", "48.5%", "42.6% to 54.5%", "1,234", "fewer than 5"):
        assert expected in text, expected
    for raw in ("Woman|Asian", "None", "ci_low", "0.485", "gender|race_ethnicity"):
        assert raw not in text, raw
    # the hidden row shows no figure: its line holds the label and nothing numeric
    hidden = next(line for line in lines if "Black" in line)
    assert not re.search(r"\d+\.\d", hidden)


def test_columns_that_do_not_fit_are_named_and_a_wider_terminal_shows_them(capsys):
    narrow = printed(capsys, long_frame(), width=60)
    assert all(len(line) <= 60 for line in narrow)
    assert "more column(s) not shown at 60 characters" in " ".join(narrow)
    wide = printed(capsys, long_frame(), width=200)
    assert "not shown" not in " ".join(wide)
    for expected in ("partial period", "gender × race ethnicity", "overall"):
        assert expected in " ".join(wide), expected


def test_any_table_formats_each_column_by_its_kind():
    df = pd.DataFrame(
        {
            "group": ["Woman|Asian", None],
            "gap_pct": [8.7612, -1.25],
            "annual_cost": [19720559.130000006, 950.4],
            "share": [0.5578, 0.25],
            "p_holm": [0.00001, 0.13],
            "flag": [True, False],
        }
    )
    shown = readable_frame(df)
    assert list(shown.columns) == ["Group", "Gap %", "Annual cost", "Share", "Holm p", "Flag"]
    assert shown.iloc[0].tolist() == ["Woman, Asian", "8.8%", "19,720,559", "55.8%", "< 0.001", "yes"]
    assert shown.iloc[1].tolist() == ["Not disclosed", "-1.2%", "950", "25.0%", "0.130", "no"]


def test_headers_are_words():
    assert [header(c) for c in ("gap_pct", "ci_low", "n", "n_reference", "annual_cost_usd", "uk_measure", "se")] == [
        "Gap %",
        "CI low",
        "n",
        "N reference",
        "Annual cost USD",
        "UK measure",
        "SE",
    ]


def test_exact_table_says_so_above_the_readable_table(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    emit(long_frame(), "table", exact=True, k=5)
    out = capsys.readouterr().out
    assert out.startswith("Exact figures for the data owner — not for publication")
    assert all(len(line) <= 80 for line in out.splitlines())


E = dict(birth_year="1980", termination_date="", termination_type="")
PEOPLE = [
    {**E, "employee_id": f"{g[0]}{r[0]}{i}", "gender": g, "race_ethnicity": r, "hire_date": "2019-01-01"}
    for g, r, count in (("Woman", "White", 6), ("Man", "White", 6), ("Woman", "Asian", 1))
    for i in range(count)
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readable")
    jobs = [{"employee_id": p["employee_id"], "effective_date": p["hire_date"], "department": "Ops"} for p in PEOPLE]
    folder = employees_folder(
        tmp / "data", PEOPLE, jobs, config={"history_start": "2021-01-01", "as_of": "2021-12-31", "privacy": {"k": 3}}
    )
    build(folder, tmp / "r.duckdb")
    return tmp / "r.duckdb"


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {})


def test_the_real_command_fits_80_columns_and_machines_keep_every_column(small_db, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    table = run("metrics", "representation", "--by", "gender,race_ethnicity", "--db", str(small_db))
    assert table.exit_code == 0, table.output
    assert all(len(line) <= 80 for line in table.stdout.splitlines())
    assert "Woman, White" in table.stdout and "Woman|White" not in table.stdout
    csv_out = run("metrics", "representation", "--by", "gender", "--format", "csv", "--db", str(small_db))
    assert csv_out.stdout.splitlines()[0].split(",") == LONG_HEADER
    records = json.loads(
        run("metrics", "representation", "--by", "gender", "--format", "json", "--db", str(small_db)).stdout
    )
    assert all(list(r) == LONG_HEADER for r in records)


def test_without_db_the_error_names_the_demo_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EQUITY_DB", raising=False)
    result = CliRunner().invoke(main, ["metrics", "headcount"])
    assert result.exit_code == 2
    assert "build/demo.duckdb" in result.stderr and "make demo-db" in result.stderr
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "demo.duckdb").write_bytes(b"")
    result = CliRunner().invoke(main, ["metrics", "headcount"])
    assert result.exit_code == 2 and "add --db build/demo.duckdb" in result.stderr


def test_an_existing_default_database_is_used(small_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EQUITY_DB", raising=False)
    shutil.copy(small_db, tmp_path / "equity.duckdb")
    result = CliRunner().invoke(main, ["metrics", "headcount", "--format", "csv", "--exact"])
    assert result.exit_code == 0, result.output
    # 13 people hired in 2019, none left: 13 on 2021-12-31
    overall = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["group"] == "All")
    assert float(overall["value"]) == 13


def test_the_demo_path_is_the_makefiles():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^DEMO_DB := (\S+)", makefile, re.M).group(1) == DEMO_DB == "build/demo.duckdb"


def test_an_interval_given_as_two_columns_prints_as_one_and_constant_columns_give_way(capsys):
    df = pd.DataFrame(
        {
            "metric": ["retention", "retention"],
            "group": ["Woman", "Man"],
            "12m": [0.847, 0.86],
            "12m_ci_low": [0.833, 0.845],
            "12m_ci_high": [0.861, 0.874],
            "suppressed": [False, False],
        }
    )
    shown = readable_frame(df)
    assert list(shown.columns) == ["Metric", "Group", "12m", "12m 95% CI", "Hidden"]
    assert shown["12m 95% CI"].tolist() == ["83.3% to 86.1%", "84.5% to 87.4%"]
    # at 40 characters the varying columns are kept and the constant ones named as left out
    print_table(list(shown.columns), [list(r) for r in shown.itertuples(index=False)], 40, shown.attrs["first"])
    out = capsys.readouterr().out
    assert "Woman" in out and "83.3% to 86.1%" in out and "not shown" in out and "Metric" in out.split("not shown")[1]
