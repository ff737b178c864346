"""Aggregated rows (`weight` in a mapping): each row is expanded into `weight` applications at
ingest; a bad weight goes to quarantine with file, line, column and reason. Every expected
count below is added up by hand from the rows written here."""

from __future__ import annotations

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from pipelines.metrics._engine import NoDataError
from tests.helpers import build_and_open, compute_exact, write_csv

CONFIG = """\
fiscal_year_start_month: 1
as_of: "2020-12-31"
privacy:
  k: 3
recruiting:
  stage_order: [applied, hired]
mapping:
  recruiting/applications:
    file: counts.csv
    weight: {weight}
    columns:
      application_id: {{generated: line}}
      applied_date: {{value: "2020-01-01"}}
      department: Dept
      gender: {{column: Sex, values: {{F: Woman, M: Man}}}}
      status: {{column: Outcome, values: {{"yes": hired, "no": rejected}}}}
"""
ROWS = [  # line: what happens to it
    ["A", "F", "yes", "3"],  # 2: 3 hired women
    ["A", "F", "no", "1"],  # 3: 1 rejected woman
    ["A", "M", "yes", "2"],  # 4: 2 hired men
    ["A", "M", "no", "2"],  # 5: 2 rejected men
    ["B", "F", "no", "0"],  # 6: loads, stands for nobody
    ["B", "M", "yes", "x"],  # 7: quarantined, not a number
    ["B", "M", "no", "-1"],  # 8: quarantined, negative
    ["B", "F", "yes", "2.5"],  # 9: quarantined, a fraction of a person
    ["B", "F", "yes", ""],  # 10: quarantined, missing
    ["B", "M", "yes", "11"],  # 11: quarantined, above max: 10
    ["B", "M", "no", "4.0"],  # 12: 4 rejected men (a count written as a double)
    ["A", "F", "yes", "3"],  # 13: repeats line 2 exactly (count included): a duplicate
    ["A", "F", "yes", "1"],  # 14: same labels, another count: a row of its own, 1 hired woman
]


def folder(tmp_path, weight="{column: N, max: 10}"):
    data = tmp_path / "data"
    write_csv(data / "counts.csv", ["Dept", "Sex", "Outcome", "N"], ROWS)
    (data / "equity.yml").write_text(CONFIG.format(weight=weight), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con = build_and_open(folder(tmp_path_factory.mktemp("weight")))
    yield con
    con.close()


def test_weighted_rows_count_as_that_many_applications(built):
    # women: 3 + 1 + 1 = 5 applications, 3 + 1 = 4 hired; men: 2 + 2 + 4 = 8, 2 hired
    rates = compute_exact(built, "selection_rate", by=["gender"]).set_index("group")
    assert (rates.loc["Woman", "numerator"], rates.loc["Woman", "denominator"]) == (4, 5)
    assert (rates.loc["Man", "numerator"], rates.loc["Man", "denominator"]) == (2, 8)
    assert (rates.loc["All", "numerator"], rates.loc["All", "denominator"]) == (6, 13)
    impact = compute_exact(built, "adverse_impact_ratio", by=["gender"])
    man = impact[(impact["group"] == "Man") & (impact["stage"] == "bottom line")].iloc[0]
    assert man["value"] == pytest.approx((2 / 8) / (4 / 5))


def test_rows_are_counted_as_rows_and_records_as_records(built):
    # 13 data rows: 5 bad weights and 1 repeat quarantined, 7 loaded (one of weight 0)
    assert built.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined, records_loaded FROM manifest_files"
    ).fetchone() == (13, 7, 6, 13)


def test_copies_get_stable_unique_ids(built):
    ids = [r[0] for r in built.execute("SELECT application_id FROM fct_applications ORDER BY 1").fetchall()]
    assert len(ids) == len(set(ids)) == 13
    assert ids[:4] == ["counts.csv:12#1", "counts.csv:12#2", "counts.csv:12#3", "counts.csv:12#4"]
    assert "counts.csv:2#3" in ids and "counts.csv:2#4" not in ids
    assert not any(i.startswith("counts.csv:6#") for i in ids)  # weight 0: nobody


def test_bad_weights_are_quarantined_with_file_line_column_and_reason(built):
    rows = built.execute("SELECT file, line, column_name, raw_value, reason FROM quarantine ORDER BY line").fetchall()
    limit = "weight above the limit of 10 (weight: {max: ...} in the mapping)"
    assert rows == [
        ("counts.csv", 7, "N", "x", "weight is not a whole number of people"),
        ("counts.csv", 8, "N", "-1", "weight is negative"),
        ("counts.csv", 9, "N", "2.5", "weight is not a whole number of people"),
        ("counts.csv", 10, "N", None, "weight is missing"),
        ("counts.csv", 11, "N", "11", limit),
        ("counts.csv", 13, "(row)", None, "exact duplicate of line 2"),
    ]


def test_a_metric_that_needs_individual_rows_says_so(built):
    with pytest.raises(NoDataError, match=r"time_in_stage needs one row per person.*counts\.csv.*weight: N"):
        compute_exact(built, "time_in_stage", by=["gender"])


def test_weight_is_refused_where_metrics_need_individuals(tmp_path):
    data = tmp_path / "data"
    write_csv(data / "staff.csv", ["Sex", "N"], [["F", "3"]])
    (data / "equity.yml").write_text(
        "mapping:\n  hr/employees:\n    file: staff.csv\n    weight: N\n    columns:\n"
        "      employee_id: {generated: line}\n      gender: Sex\n      hire_date: {value: '2020-01-01'}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"weight is not supported for this file.*recruiting/applications"):
        build(data, tmp_path / "x.duckdb")


@pytest.mark.parametrize(
    "weight, message",
    [
        ("Count", r"weight refers to column 'Count', which is not in the header"),
        ("{column: N, max: 0}", r"weight.max must be a whole number of at least 1"),
        ("{column: N, cap: 3}", r"weight must be a column name or \{column: NAME, max: N\}"),
    ],
)
def test_bad_weight_settings_stop_the_build(tmp_path, weight, message):
    with pytest.raises(DataError, match=message):
        build(folder(tmp_path, weight=weight), tmp_path / "x.duckdb")
