"""Snapshot-shaped HR input (`snapshot:` in the hr/employees mapping): one row per person per
snapshot date is collapsed into one row per person by the rules of docs/data_contract.md.
Every expected date and count below is worked out by hand from the rows written here."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.build import build
from pipelines.errors import DataError
from pipelines.metrics._engine import NoDataError  # noqa: I001
from pipelines.metrics._engine import unsuppressed_table as compute_exact
from tests.helpers import build_and_open, write_csv
from dashboard.pages import page_path

YEARLY = """\
fiscal_year_start_month: 1
privacy:
  k: 3
mapping:
  hr/employees:
    file: snap_*.csv
    from_file_name: {{year: '(\\d{{4}})'}}
    duplicates: keep
    snapshot:
      date: {{expr: "make_date(CAST(year AS INTEGER), 12, 31)"}}
    columns:
      employee_id: {id}
      gender: {{column: Sex, values: {{F: Woman, M: Man}}}}
  hr/job_history:
    file: snap_*.csv
    from_file_name: {{year: '(\\d{{4}})'}}
    duplicates: keep
    columns:
      employee_id: {id}
      effective_date: {{expr: "make_date(CAST(year AS INTEGER), 12, 31)"}}
      department: Dept
      annual_base_salary: Pay
"""
HEADER = ["Id", "Sex", "Dept", "Pay"]
SNAPSHOTS = {  # who is in each year's file
    2020: [["P1", "F", "A", "100"], ["P2", "M", "A", "90"], ["P4", "M", "B", "80"], ["P6", "F", "B", "70"]],
    2021: [["P1", "F", "A", "110"], ["P2", "M", "A", "95"], ["P3", "F", "B", "60"]],
    2022: [["P1", "F", "A", "120"], ["P3", "F", "B", "65"], ["P5", "M", "A", "85"], ["P6", "F", "B", "75"]],
}


def yearly_folder(tmp_path, id_spec="Id"):
    folder = tmp_path / "data"
    for year, rows in SNAPSHOTS.items():
        write_csv(folder / f"snap_{year}.csv", HEADER, rows)
    (folder / "equity.yml").write_text(YEARLY.format(id=id_spec), encoding="utf-8")
    return folder


def people(con) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in con.execute("SELECT employee_id, hire_date, termination_date FROM stg_hr__employees").fetchall()
    }


def test_linked_snapshots_become_hires_exits_and_censored_people(tmp_path):
    con = build_and_open(yearly_folder(tmp_path))
    d = dt.date
    assert people(con) == {
        "P1": (d(2020, 12, 30), None),  # first snapshot: present at start, censored
        "P2": (d(2020, 12, 30), d(2022, 12, 30)),  # missing from 2022: left in (2021-12-31, 2022-12-31)
        "P3": (d(2021, 12, 31), None),  # first seen 2021: hired in that interval
        "P4": (d(2020, 12, 30), d(2021, 12, 30)),  # missing from 2021
        "P5": (d(2022, 12, 31), None),  # first seen in the last snapshot
        "P6": (d(2020, 12, 30), None),  # missing in 2021, back in 2022: one spell
    }
    # P6's gap is bridged, and counted
    assert con.execute("SELECT snapshots, linked, people_with_gaps FROM snapshot_sources").fetchone() == (3, True, 1)
    # 11 rows loaded, describing 6 people
    assert con.execute(
        "SELECT rows_in, rows_loaded, rows_quarantined, records_loaded FROM manifest_files "
        "WHERE table_name = 'hr__employees'"
    ).fetchone() == (11, 11, 0, 6)
    # the window opens with the first year an exit can be seen (2021)
    assert con.execute("SELECT history_start, as_of FROM run_manifest").fetchone() == (d(2021, 1, 1), d(2022, 12, 31))
    hires = compute_exact(con, "hires").set_index("period")["numerator"]
    exits = compute_exact(con, "separations").set_index("period")["numerator"]
    assert (hires.to_dict(), exits.to_dict()) == ({"2021": 1, "2022": 1}, {"2021": 1, "2022": 1})
    # 2021 month ends: P1 P2 P4 P6 (P4 to 12-30; P3 from 12-31) = 4 each; 1 exit -> 0.25
    # 2022 month ends: P1 P2 P3 P6 (P2 to 12-30; P5 from 12-31) = 4 each; 1 exit -> 0.25
    turnover = compute_exact(con, "turnover_rate").set_index("period")
    assert turnover["denominator"].to_dict() == {"2021": 4.0, "2022": 4.0}
    assert turnover["value"].to_dict() == {"2021": 0.25, "2022": 0.25}
    with pytest.raises(NoDataError, match="median_tenure needs the day of each hire and exit"):
        compute_exact(con, "median_tenure")


def test_unlinked_snapshots_give_stock_and_pay_per_year_and_refuse_flows(tmp_path):
    con = build_and_open(yearly_folder(tmp_path, "{generated: line}"))
    heads = compute_exact(con, "headcount").set_index("period")["numerator"]
    assert heads.to_dict() == {"2020": 4, "2021": 3, "2022": 4}  # each file's rows, that year only
    pay = compute_exact(con, "pay_gap_mean", by=["gender"]).set_index(["period", "group"])
    # the pay population of each year is that year's file: 2021 men P2 (95), women P1 P3 (110, 60)
    assert pay["n"].to_dict() == {
        ("2020", "All"): 4,
        ("2020", "Man"): 2,
        ("2020", "Woman"): 2,
        ("2021", "All"): 3,
        ("2021", "Man"): 1,
        ("2021", "Woman"): 2,
        ("2022", "All"): 4,
        ("2022", "Man"): 1,
        ("2022", "Woman"): 3,
    }
    mean = pay["numerator"]  # mean pay (hourly: the same factor for every row)
    assert mean[("2021", "Woman")] / mean[("2021", "Man")] == pytest.approx(85 / 95)
    assert mean[("2022", "Woman")] / mean[("2022", "Man")] == pytest.approx((120 + 65 + 75) / 3 / 85)
    for metric in ("turnover_rate", "hires", "separations", "promotion_rate"):
        with pytest.raises(NoDataError, match="cannot be linked from one snapshot to the next"):
            compute_exact(con, metric)
    from pipelines.families.workforce.curves import retention_curves

    with pytest.raises(NoDataError, match="cannot be linked"):
        retention_curves(con, exact=True)


FLAG = """\
fiscal_year_start_month: 1
privacy:
  k: 3
mapping:
  hr/employees:
    file: people.csv
    snapshot:
      date: {value: "2020-12-31"}
      observed_from: "2020-01-01"
    columns:
      employee_id: Id
      gender: {column: Sex, values: {F: Woman, M: Man}}
      termination_date: {expr: "CASE WHEN Left = 'Yes' THEN DATE '2020-12-31' END"}
  hr/job_history:
    file: people.csv
    columns:
      employee_id: Id
      effective_date: {value: "2019-12-31"}
      department: Dept
"""


def test_one_snapshot_with_an_attrition_flag(tmp_path):
    folder = tmp_path / "flag"
    write_csv(
        folder / "people.csv",
        ["Id", "Sex", "Dept", "Left"],
        [
            ["1", "F", "A", "Yes"],
            ["2", "F", "A", "No"],
            ["3", "M", "A", "Yes"],
            ["4", "M", "B", "No"],
            ["5", "M", "B", "No"],
        ],
    )
    (folder / "equity.yml").write_text(FLAG, encoding="utf-8")
    con = build_and_open(folder)
    assert set(people(con).values()) == {(dt.date(2019, 12, 31), dt.date(2020, 12, 31)), (dt.date(2019, 12, 31), None)}
    # everybody employed all year (month ends 5 each), 2 leavers: 2/5; women 1/2, men 1/3
    rates = compute_exact(con, "turnover_rate", by=["gender"]).set_index("group")["value"]
    assert rates.to_dict() == pytest.approx({"All": 0.4, "Woman": 0.5, "Man": 1 / 3})
    with pytest.raises(NoDataError, match="one snapshot with no hire date mapped"):
        compute_exact(con, "hires")


def test_bad_snapshot_date_is_quarantined_and_a_repeat_in_one_snapshot_stops(tmp_path):
    folder = tmp_path / "bad"
    write_csv(
        folder / "people.csv",
        ["Id", "Snap", "Sex"],
        [["1", "2020-12-31", "F"], ["1", "2021-12-31", "F"], ["2", "someday", "M"]],
    )
    write_csv(folder / "hr" / "job_history.csv", ["employee_id", "effective_date"], [["1", "2020-12-31"]])
    (folder / "equity.yml").write_text(
        "mapping:\n  hr/employees:\n    file: people.csv\n    snapshot: {date: Snap}\n"
        "    columns: {employee_id: Id, gender: Sex}\n",
        encoding="utf-8",
    )
    con = build_and_open(folder)
    row = con.execute(
        "SELECT line, column_name, raw_value, reason FROM quarantine WHERE table_name = 'hr__employees'"
    ).fetchone()
    assert row[:3] == (4, "snapshot.date", "someday") and "not a date" in row[3]
    con.close()
    write_csv(folder / "people.csv", ["Id", "Snap", "Sex"], [["1", "2020-12-31", "F"], ["1", "2020-12-31", "M"]])
    with pytest.raises(DataError, match="duplicate key"):
        build(folder, tmp_path / "again.duckdb")


def test_snapshot_is_refused_outside_hr_employees(tmp_path):
    folder = yearly_folder(tmp_path)
    text = (
        (folder / "equity.yml")
        .read_text()
        .replace("  hr/job_history:\n", "  hr/job_history:\n    snapshot: {date: Dept}\n")
    )
    (folder / "equity.yml").write_text(text)
    with pytest.raises(DataError, match="snapshot is supported for hr/employees only"):
        build(folder, tmp_path / "x.duckdb")


def test_tenure_pay_factor_is_refused_without_hire_dates(tmp_path):
    """pay.legitimate_factors lists tenure_years by default: the adjusted gap says it needs hire dates."""
    con = build_and_open(yearly_folder(tmp_path))
    with pytest.raises(NoDataError, match="tenure_years needs hire dates"):
        compute_exact(con, "adjusted_pay_gap", by=["gender"])


def test_report_says_what_unlinked_snapshots_cannot_show(tmp_path):
    """The PDF's workforce section and the headlines keep going: a refused metric is a block
    saying why (and no headline), never a failed report."""
    from pipelines.headlines import headline
    from dashboard.families.workforce.section import build_section, findings
    from pipelines.metrics import registry

    con = build_and_open(yearly_folder(tmp_path, "{generated: line}"))
    blocks = {b.title: b for b in build_section(con, k=3).blocks}
    refused = blocks["Turnover rate: not available from this data"]
    assert "cannot be linked from one snapshot to the next" in refused.summary and refused.table.empty
    assert "Retention at 12 months of tenure: not available from this data" in blocks
    assert findings(con, k=3) == []
    assert headline(con, registry()["turnover_rate"]) is None
    assert headline(con, registry()["headcount"]) is not None
    from dashboard.sections import family_sections  # default pay factors include tenure_years

    pay = next(s for s in family_sections(con, k=3) if s.family == "pay")
    assert "tenure_years needs hire dates" in pay.intro and "pay.legitimate_factors" in pay.intro


@pytest.mark.slow
@pytest.mark.parametrize(
    "page, said",
    [
        (page_path("workforce"), "hire_share follows each person"),
        (page_path("retention"), "retention_12m needs the day of each hire and exit"),
        (page_path("overview"), None),
        (page_path("pay"), None),
    ],
)
def test_dashboard_pages_say_what_unlinked_snapshots_cannot_show(tmp_path, monkeypatch, page, said):
    from streamlit.testing.v1 import AppTest
    from tests.conftest import ROOT

    db = tmp_path / "snapshots.duckdb"
    build_and_open(yearly_folder(tmp_path, "{generated: line}"), db).close()
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard" / "streamlit_app.py"), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if said:
        assert any(said in i.value for i in at.info), [i.value for i in at.info]
