"""`equity rules` and `equity report NAME` end to end on small built data folders: the UK
reduced-pay leave case through hr/pay_periods.csv and pay_during_leave, the EU 5.00% boundary
and Art. 10 member-state choice, and clear refusals when a pack's data is missing. Expected
values are hand calculations (in the comments)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from tests.helpers import build_and_open, employees_folder, write_config, write_csv

PAY_COLS = ["employee_id", "period_start", "period_end", "basic_pay", "weekly_hours", "hours_worked", "currency"]
LEAVE_COLS = ["employee_id", "leave_type", "start_date", "end_date", "pay_during_leave"]
CONFIG = {"privacy": {"k": 3}, "as_of": "2024-06-30", "history_start": "2023-01-01", "reporting_currency": "GBP"}


def _employees(spec):
    return [
        {"employee_id": eid, "gender": g, "race_ethnicity": "White", "birth_year": "1980", "hire_date": "2018-01-01"}
        for eid, g, *_ in spec
    ]


def _jobs(spec, salary_of=lambda s: "30000"):
    return [
        {
            "employee_id": s[0],
            "effective_date": "2018-01-01",
            "department": "Ops",
            "job_family": "Ops",
            "job_level": "L1",
            "fte": "1",
            "annual_base_salary": salary_of(s),
            "currency": "GBP",
            "change_reason": "hire",
        }
        for s in spec
    ]


def _run(db, *args):
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def _long(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def uk_db(tmp_path_factory):
    # 12 men at 750.00 for 37.5 weekly hours (20.00 an hour) in the weekly pay period 1-7 April
    # 2024; 9 women at 562.50 (15.00) and 3 at 487.50 (13.00) on maternity leave at reduced pay.
    # One non-binary employee is not compared. Reg. 8: (20 - 15) / 20 = 25.0% over full-pay
    # relevant employees (27.5% if the reduced-pay women were counted).
    root = tmp_path_factory.mktemp("uk")
    folder = root / "data"
    spec = (
        [(f"M{i:02}", "Man", "750.00") for i in range(12)]
        + [(f"W{i:02}", "Woman", "562.50") for i in range(9)]
        + [(f"R{i:02}", "Woman", "487.50") for i in range(3)]
        + [("N00", "Non-binary", "600.00")]
    )
    employees_folder(folder, _employees(spec), _jobs(spec), CONFIG)
    write_csv(
        folder / "hr" / "pay_periods.csv",
        PAY_COLS,
        [
            {
                "employee_id": e,
                "period_start": "2024-04-01",
                "period_end": "2024-04-07",
                "basic_pay": pay,
                "weekly_hours": "37.5",
                "currency": "GBP",
            }
            for e, _, pay in spec
        ],
    )
    leave = [
        {
            "employee_id": f"R{i:02}",
            "leave_type": "maternity",
            "start_date": "2024-03-01",
            "end_date": "2024-06-30",
            "pay_during_leave": "reduced",
        }
        for i in range(3)
    ]
    leave.append(
        {
            "employee_id": "M00",
            "leave_type": "annual",
            "start_date": "2024-04-02",
            "end_date": "2024-04-03",
            "pay_during_leave": "full",
        }
    )
    write_csv(folder / "hr" / "leave.csv", LEAVE_COLS, leave)
    # bonuses in the 12 months to 5 April 2024: 6 men 1,000, 3 full-pay + 3 reduced-pay women 800
    bonus = [
        {"employee_id": f"M{i:02}", "paid_date": "2024-03-15", "amount": "1000", "currency": "GBP"} for i in range(6)
    ] + [
        {"employee_id": e, "paid_date": "2024-03-15", "amount": "800", "currency": "GBP"}
        for e in ["W00", "W01", "W02", "R00", "R01", "R02"]
    ]
    write_csv(folder / "hr" / "bonuses.csv", ["employee_id", "paid_date", "amount", "currency"], bonus)
    con = build_and_open(folder, root / "uk.duckdb")
    con.close()
    return root / "uk.duckdb"


def test_rules_list_and_show():
    out = CliRunner().invoke(main, ["rules", "list", "--format", "csv"]).output
    assert [r["name"] for r in _long(out)] == [
        "bc_ptr_2023",
        "eu_2023_970",
        "fr_egapro_2019",
        "nyc_ll144_2023",
        "uk_gpg_2017",
    ]
    shown = CliRunner().invoke(main, ["rules", "show", "uk_gpg_2017"]).output
    assert "[reg. 8]" in shown and "2017-04-06" in shown and "hr/pay_periods.csv" in shown


def test_uk_report_full_pay_relevant_employees(uk_db):
    result = _run(uk_db, "report", "uk_gpg_2017", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {(r["measure"], r["group"]): r for r in _long(result.output)}
    assert {r["pack"] for r in rows.values()} == {"uk_gpg_2017"} and {r["version"] for r in rows.values()} == {
        "2017-04-06"
    }
    assert rows[("Mean gender pay gap in hourly pay", "Women")]["value"] == "25.0"
    assert rows[("Median gender pay gap in hourly pay", "Women")]["value"] == "25.0"
    # bonus: means over recipients (1,000 vs 800) -> 20.0%; 6 of 12 of each sex -> 50.0%
    assert rows[("Mean bonus gap", "Women")]["value"] == "20.0"
    assert rows[("Percentage receiving a bonus", "Women")]["value"] == "50.0"
    assert rows[("Percentage receiving a bonus", "Women")]["n"] == "12"
    # quartiles of the 21 full-pay employees (6/5/5/5): Q1 = 6 of the 9 women at 15.00 ... by hand:
    # ranks 1-9 women (15.00), 10-21 men. Q1 (6): all women; Q2 (5): 3 women, 2 men -> 60/40,
    # but 2 men is under k = 3, and the women's 60% would give the men's 40% away: both hidden
    q = "Percentage in each hourly pay quarter: "
    assert rows[(q + "Q1 lower", "Women")]["value"] == "100.0"
    assert rows[(q + "Q2 lower middle", "Men")]["suppressed"] == "True"
    assert rows[(q + "Q2 lower middle", "Men")]["note"] == "fewer than 3 people"
    assert rows[(q + "Q2 lower middle", "Women")]["value"] == "" and rows[(q + "Q2 lower middle", "Women")]["n"] == "3"
    assert rows[(q + "Q4 upper", "Men")]["value"] == "100.0"
    table = _run(uk_db, "report", "uk_gpg_2017").output
    assert "snapshot date 2024-04-05" in table and "uk_gpg_2017 (pack 1, law as of 2017-04-06)" in table
    assert "3 on leave at reduced pay or nil" in table and "1 employee(s) with another or no recorded gender" in table


def test_uk_public_sector_snapshot_and_refusals(uk_db, tmp_path):
    folder = tmp_path / "data"
    spec = [(f"M{i}", "Man") for i in range(4)] + [(f"W{i}", "Woman") for i in range(4)]
    employees_folder(folder, _employees(spec), _jobs(spec), CONFIG)
    build_and_open(folder, tmp_path / "a.duckdb").close()
    missing = _run(tmp_path / "a.duckdb", "report", "uk_gpg_2017")
    assert missing.exit_code == 1 and "hr/pay_periods.csv: not supplied" in missing.output
    # a leave overlapping the relevant pay period without pay_during_leave cannot be guessed
    write_csv(
        folder / "hr" / "pay_periods.csv",
        PAY_COLS,
        [
            {
                "employee_id": e,
                "period_start": "2024-03-25",
                "period_end": "2024-04-07",
                "basic_pay": "1000",
                "weekly_hours": "35",
            }
            for e, _ in spec
        ],
    )
    write_csv(
        folder / "hr" / "leave.csv",
        LEAVE_COLS[:4],
        [{"employee_id": "W0", "leave_type": "sick", "start_date": "2024-04-01", "end_date": "2024-04-02"}],
    )
    write_config(folder, {**CONFIG, "rule_settings": {"uk_gpg_2017": {"sector": "public"}}})
    build_and_open(folder, tmp_path / "b.duckdb").close()
    refused = _run(tmp_path / "b.duckdb", "report", "uk_gpg_2017")
    assert refused.exit_code == 1
    assert "hr/leave.csv, column 'pay_during_leave'" in refused.output and "employee W0" in refused.output
    write_csv(
        folder / "hr" / "leave.csv",
        LEAVE_COLS,
        [
            {
                "employee_id": "W0",
                "leave_type": "sick",
                "start_date": "2024-04-01",
                "end_date": "2024-04-02",
                "pay_during_leave": "full",
            }
        ],
    )
    build_and_open(folder, tmp_path / "c.duckdb").close()
    public = _run(tmp_path / "c.duckdb", "report", "uk_gpg_2017")
    assert public.exit_code == 0 and "snapshot date 2024-03-31" in public.output  # SI 2017/353


@pytest.mark.parametrize(
    "women_salary, direction, flagged, shown",
    [
        ("38000", "either", True, "5.00"),  # (40,000 - 38,000) / 40,000 = exactly 5%
        ("38000.01", "either", False, "5.00"),  # 4.999975%: prints 5.00, not a 5% gap
        ("42000", "either", True, "-5.00"),  # women paid 5% more: flagged by default ...
        ("42000", "women_paid_less", False, "-5.00"),  # ... not where the member state chose so
    ],
)
def test_eu_art10_boundary_and_member_state_choice(tmp_path, women_salary, direction, flagged, shown):
    folder = tmp_path / "data"
    spec = [(f"M{i}", "Man") for i in range(5)] + [(f"W{i}", "Woman") for i in range(5)]
    config = {**CONFIG, "rule_settings": {"eu_2023_970": {"art10_direction": direction}}}
    employees_folder(
        folder, _employees(spec), _jobs(spec, lambda s: "40000" if s[1] == "Man" else women_salary), config
    )
    build_and_open(folder, tmp_path / "eu.duckdb").close()
    result = _run(tmp_path / "eu.duckdb", "report", "eu_2023_970", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _long(result.output)
    org = [r for r in rows if r["measure"] == "(a) Gender pay gap, mean hourly basic pay"]
    assert org[0]["value"] == shown and org[0]["group"] == "Women"
    category = [r for r in rows if r["section"] == "(g) Categories of workers and Art. 10" and "basic" in r["measure"]]
    assert len(category) == 1
    assert category[0]["note"].startswith("joint pay assessment needed") is flagged


@pytest.mark.slow
def test_pdf_has_a_section_per_selected_pack(tmp_path):
    # EU is produced (5 men 40,000, 5 women 38,000: 5.00%); UK cannot be (no pay periods) and
    # the snapshot says so instead of failing
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF back; make system-deps installs it")
    from dashboard.pdf import snapshot_pdf

    folder = tmp_path / "data"
    spec = [(f"M{i}", "Man") for i in range(5)] + [(f"W{i}", "Woman") for i in range(5)]
    # and a few leavers, so the workforce section's retention curves have events to compare
    leavers = [(f"L{i}", "Man" if i % 2 else "Woman") for i in range(6)]
    staff = _employees(spec) + [
        {**e, "termination_date": f"2023-0{i + 2}-28", "termination_type": "voluntary"}
        for i, e in enumerate(_employees(leavers))
    ]
    employees_folder(
        folder,
        staff,
        _jobs(spec + leavers, lambda s: "38000" if s[1] == "Woman" else "40000"),
        {**CONFIG, "reporting": ["eu_2023_970", "uk_gpg_2017"]},
    )
    con = build_and_open(folder, tmp_path / "pdf.duckdb")
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(snapshot_pdf(con, charts=False, detail=True))  # statutory reports: detail
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    statutory = text.split("Statutory reports", 1)[1]
    assert "eu_2023_970 (pack 1, law as of 2023-05-10)" in statutory and "5.00%" in statutory
    assert "uk_gpg_2017 (pack 1, law as of 2017-04-06): not produced" in " ".join(statutory.split())


def test_pay_statutory_uk_snapshot_dates():
    import datetime as dt
    from pipelines.errors import UsageError
    from pipelines.families.pay.statutory.measures import snapshot_window

    as_of = dt.date(2024, 4, 1)
    # SI 2017/172: 5 April; SI 2017/353: 31 March - the 12 months ending on the snapshot date
    assert snapshot_window("private", 2024, as_of) == (dt.date(2023, 4, 6), dt.date(2024, 4, 5))
    assert snapshot_window("public", 2024, as_of) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    assert snapshot_window("private", None, as_of)[1] == dt.date(2023, 4, 5)  # 5 April 2024 is after as_of
    assert snapshot_window("2024-02-29", None, as_of) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))
    with pytest.raises(UsageError, match="private, public or YYYY-MM-DD"):
        snapshot_window("april", None, as_of)


def test_pay_statutory_with_a_snapshot_on_a_built_database(uk_db):
    result = _run(uk_db, "pay", "statutory", "--snapshot", "private", "--year", "2024", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert _long(result.output)[0]["period"] == "2023-04-06 to 2024-04-05"


EGAPRO_GROUPS = [
    ("ouvriers", 1995, "Woman", 4, "20000"),
    ("ouvriers", 1995, "Man", 6, "25000"),
    ("ingenieurs_cadres", 1970, "Woman", 3, "50000"),
    ("ingenieurs_cadres", 1970, "Man", 3, "40000"),
    ("employes", 1990, "Woman", 2, "30000"),
    ("employes", 1990, "Man", 5, "31000"),
]


def _egapro_db(tmp_path, raised=(), leave=None, config=None, leavers=(), earlier=(), kinds=None):
    """The hand example of test_rules_golden (23 employees; reference year 2023). `raised`: ids
    given a raise on 2023-03-01 (hired in 2018 at 1,000 less, so the year-end pay of indicator 1
    is unchanged); `leave`: rows of hr/leave.csv (None: the file is not supplied)."""
    staff, jobs, periods = [], [], []
    for eid, gender, born, category, salary, left in leavers:  # employees who left in 2023
        staff.append(
            {
                "employee_id": eid,
                "gender": gender,
                "race_ethnicity": "White",
                "birth_year": born,
                "hire_date": "2018-01-01",
                "termination_date": left,
                "termination_type": "voluntary",
            }
        )
        jobs.append(
            {
                "employee_id": eid,
                "effective_date": "2018-01-01",
                "department": "Ops",
                "fte": "1",
                "annual_base_salary": salary,
                "currency": "GBP",
                "change_reason": "hire",
            }
        )
        periods.append(
            {
                "employee_id": eid,
                "period_start": left[:8] + "01",
                "period_end": left,
                "basic_pay": "1",
                "job_category": category,
            }
        )
    for g, (category, born, gender, n, salary) in enumerate(EGAPRO_GROUPS):
        for i in range(n):
            eid = f"E{g}{i}"
            staff.append(
                {
                    "employee_id": eid,
                    "gender": gender,
                    "race_ethnicity": "White",
                    "birth_year": born,
                    "hire_date": "2018-01-01",
                }
            )
            hired = str(int(salary) - 1000) if eid in raised else salary
            jobs.append(
                {
                    "employee_id": eid,
                    "effective_date": "2018-01-01",
                    "department": "Ops",
                    "fte": "1",
                    "annual_base_salary": hired,
                    "currency": "GBP",
                    "change_reason": "hire",
                    "employment_type": (kinds or {}).get(eid, "full_time"),
                }
            )
            if eid in earlier:  # raised on 2021-06-01 to a salary then kept
                jobs[-1]["annual_base_salary"] = str(int(salary) - 500)
                jobs.append(
                    {
                        "employee_id": eid,
                        "effective_date": "2021-06-01",
                        "department": "Ops",
                        "fte": "1",
                        "annual_base_salary": salary,
                        "currency": "GBP",
                        "change_reason": "pay_change",
                    }
                )
            if eid in raised:
                jobs.append(
                    {
                        "employee_id": eid,
                        "effective_date": "2023-03-01",
                        "department": "Ops",
                        "fte": "1",
                        "annual_base_salary": salary,
                        "currency": "GBP",
                        "change_reason": "pay_change",
                    }
                )
            periods.append(
                {
                    "employee_id": eid,
                    "period_start": "2023-12-01",
                    "period_end": "2023-12-31",
                    "basic_pay": "1",
                    "job_category": category,
                }
            )
    folder = tmp_path / "data"
    employees_folder(folder, staff, jobs, config or CONFIG)
    write_csv(
        folder / "hr" / "pay_periods.csv",
        ["employee_id", "period_start", "period_end", "basic_pay", "job_category"],
        periods,
    )
    if leave is not None:
        write_csv(folder / "hr" / "leave.csv", LEAVE_COLS, leave)
    build_and_open(folder, tmp_path / "fr.duckdb").close()
    return tmp_path / "fr.duckdb"


def test_egapro_report_on_a_built_database(tmp_path):
    # indicator 1.875% -> 1.9, 38 points. Top 10 earners: 3 women, 7 men -> 5 points. Indicators
    # 2 and 3: no category has 10 women and 10 men -> not calculable; 4: nobody back from
    # maternity leave -> not calculable. 43 of 50 calculable points: under 75, no index.
    # Presence (Annexe I 1.1 and the FAQ): E50, a man of the invalid employes cell, on medical
    # leave 1 Jan - 30 Sep 2023 (present 92 days) is left out; L1, a man of that cell who left on
    # 31 Oct 2023 (present 304 days) is counted, L2 who left on 28 Feb (59 days) is not. The
    # valid cells then cover 16 of 23 (22 of the hand example - E50 + L1); E51, an apprentice in
    # that cell, is not counted either (Annexe I 1.1): 16 of 22.
    leave = [{"employee_id": "E50", "leave_type": "medical", "start_date": "2023-01-01", "end_date": "2023-09-30"}]
    leavers = [
        ("L1", "Man", 1990, "employes", "31000", "2023-10-31"),
        ("L2", "Woman", 1990, "employes", "30000", "2023-02-28"),
    ]
    result = _run(
        _egapro_db(tmp_path, leave=leave, leavers=leavers, kinds={"E51": "Apprentice"}),
        "report",
        "fr_egapro_2019",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    rows = {r["measure"]: r for r in _long(result.output)}
    assert rows["Indicator 1: pay gap (%)"]["value"] == "1.9"
    assert (
        "2 of 16 groups valid, covering 16 of 22 employees (in favour of men)"
        == rows["Indicator 1: pay gap (%)"]["note"]
    )
    assert rows["Indicator 1: points (of 40)"]["value"] == "38"
    assert rows["Indicator 5: points (of 10)"]["value"] == "5"
    assert (
        rows["Index (of 100)"]["suppressed"] == "True"
        and "43 of 50 calculable points" in rows["Index (of 100)"]["note"]
    )
    table = _run(tmp_path / "fr.duckdb", "report", "fr_egapro_2019").output
    assert "2 employee(s) present (employed, not on leave) under 6 months of the period are left out" in table
    assert "1 employee(s) of an excluded employment_type" in table
    for measure in (
        "Indicator 2: individual raise rate gap (percentage points)",
        "Indicator 3: promotion rate gap (percentage points)",
        "Indicator 4: women raised on return from maternity leave (%)",
    ):
        assert rows[measure]["suppressed"] == "True" and rows[measure]["note"].startswith("not calculable")
    assert "nobody in the period" in rows["Indicator 2: individual raise rate gap (percentage points)"]["note"]


def test_egapro_small_firm_raises_and_maternity_returns(tmp_path):
    # size band 50 a 250. Raised on 2023-03-01: 3 of the 9 women (E00-E02) and 7 of the 14 men.
    # Indicator 2-3 by hand: 7/14 - 3/9 = 0.5 - 0.333333 = 0.166667 -> 16.6667 points (0 points),
    # x 9 women / 100 = 1.5 employees (35 points) -> 35. Indicator 4: E00-E02 back from maternity
    # leave in 2023, raises (theirs) took effect during it -> 3 of 3 = 100% -> 15; E03 back from
    # adoption leave on 2023-02-15, no raise during it -> not counted; a man's parental leave is
    # not maternity leave. Index: 38 + 35 + 15 + 5 = 93 of 100.
    raised = {"E00", "E01", "E02", "E10", "E11", "E12", "E13", "E14", "E15", "E50"}
    leave = [
        {
            "employee_id": f"E0{i}",
            "leave_type": "maternity",
            "start_date": "2023-01-10",
            "end_date": "2023-05-31",
            "pay_during_leave": "reduced",
        }
        for i in range(3)
    ]
    leave += [
        {"employee_id": "E03", "leave_type": "Adoption", "start_date": "2022-11-01", "end_date": "2023-02-15"},
        {"employee_id": "E10", "leave_type": "parental", "start_date": "2023-02-01", "end_date": "2023-04-01"},
    ]
    config = {**CONFIG, "rule_settings": {"fr_egapro_2019": {"size_band": "50 a 250"}}}
    result = _run(_egapro_db(tmp_path, raised, leave, config), "report", "fr_egapro_2019", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["measure"]: r for r in _long(result.output)}
    assert rows["Indicator 1: points (of 40)"]["value"] == "38"
    assert rows["Indicator 2-3: raise rate gap (percentage points)"]["value"] == "16.7"
    assert rows["Indicator 2-3: raise rate gap (percentage points)"]["note"] == "9 women, 14 men (in favour of men)"
    assert rows["Indicator 2-3: gap in number of employees"]["value"] == "1.5"
    assert rows["Indicator 2-3: points (of 35)"]["value"] == "35"
    assert rows["Indicator 4: women raised on return from maternity leave (%)"]["value"] == "100.0"
    assert rows["Indicator 4: points (of 15)"]["value"] == "15"
    assert "Indicator 2: individual raise rate gap (percentage points)" not in rows
    assert rows["Index (of 100)"]["value"] == "93" and rows["Index (of 100)"]["note"] == "93 of 100 calculable points"
    # Over 3 years (indicator2_3_years: 3) the 2021 raises of 3 more women (E03, E20, E21) count:
    # 6/9 - 7/14 = 0.166667 in favour of women -> 16.6667 points, 1.5 employees -> 35 points; it
    # now favours women while indicator 1 favours men, so the catch-up rule gives 35 anyway.
    config3 = {**CONFIG, "rule_settings": {"fr_egapro_2019": {"size_band": "50 a 250", "indicator2_3_years": 3}}}
    db = _egapro_db(tmp_path / "three", raised, leave, config3, earlier={"E03", "E20", "E21"})
    rows = {r["measure"]: r for r in _long(_run(db, "report", "fr_egapro_2019", "--format", "csv").output)}
    assert rows["Indicator 2-3: raise rate gap (percentage points)"]["note"].startswith(
        "9 women, 14 men (in favour of women); full points"
    )
    assert rows["Indicator 2-3: raise rate gap (percentage points)"]["value"] == "16.7"
    assert rows["Indicator 2-3: points (of 35)"]["value"] == "35"
    bigger = {**CONFIG, "rule_settings": {"fr_egapro_2019": {"indicator2_3_years": 3}}}
    assert (
        "applies to size_band"
        in _run(_egapro_db(tmp_path / "big", leave=leave, config=bigger), "report", "fr_egapro_2019").output
    )


def test_egapro_refuses_without_leave_data(tmp_path):
    result = _run(_egapro_db(tmp_path), "report", "fr_egapro_2019")
    assert result.exit_code == 1
    assert "hr/leave.csv" in result.output and "maternity" in result.output


def test_bc_report_on_a_built_database(tmp_path):
    # reporting year 2023: 10 men paid 2,000 for 100 hours (20.00/h) with 300 overtime pay for
    # 10 hours; 10 women paid 1,800 for 100 hours (18.00/h) with 270 for 8 hours, and one woman
    # on a special salary of 18.00/h. Hand results (B.C. Reg. 225/2023 s. 1(3); reference Man):
    # hourly gap (20 - 18) / 20 = 10.0%; overtime pay gap (300 - 270) / 300 = 10.0%; overtime
    # hours difference 8 - 10 = -2.0 h; 2 non-binary people: under 10, withheld.
    spec = (
        [(f"M{i}", "Man", "2000", "100", "", "300", "10") for i in range(10)]
        + [(f"W{i}", "Woman", "1800", "100", "", "270", "8") for i in range(10)]
        + [
            ("S0", "Woman", "", "", "18", "", ""),
            ("X0", "Non-binary", "1900", "100", "", "", ""),
            ("X1", "Non-binary", "1900", "100", "", "", ""),
        ]
    )
    folder = tmp_path / "data"
    employees_folder(folder, _employees(spec), _jobs(spec), CONFIG)
    write_csv(
        folder / "hr" / "pay_periods.csv",
        [
            "employee_id",
            "period_start",
            "period_end",
            "basic_pay",
            "hours_worked",
            "special_salary",
            "overtime_pay",
            "overtime_hours",
            "currency",
        ],
        [
            {
                "employee_id": e,
                "period_start": "2023-12-01",
                "period_end": "2023-12-31",
                "basic_pay": pay,
                "hours_worked": hours,
                "special_salary": special,
                "overtime_pay": ot,
                "overtime_hours": oth,
                "currency": "GBP",
            }
            for e, _, pay, hours, special, ot, oth in spec
        ],
    )
    build_and_open(folder, tmp_path / "bc.duckdb").close()
    result = _run(tmp_path / "bc.duckdb", "report", "bc_ptr_2023", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {(r["measure"], r["group"]): r for r in _long(result.output)}
    assert rows[("Mean hourly pay gap", "Women")]["value"] == "10.0"
    assert rows[("Mean hourly pay gap", "Men")]["value"] == "0.0"
    assert rows[("Mean overtime pay gap", "Women")]["value"] == "10.0"
    assert rows[("Mean overtime hours difference (hours)", "Women")]["value"] == "-2.0"
    assert rows[("Mean hourly pay gap", "Non-binary people")]["suppressed"] == "True"
    assert rows[("Percentage receiving overtime pay", "Women")]["value"] == "90.9"  # 10 of 11


def test_ll144_report_on_a_built_database(tmp_path):
    # The DCWP's example table (6 RCNY 5-301): 92 men, 50 selected (54.3%, ratio 1.00) and 76
    # women, 34 selected (44.7%, 34/76 / 50/92 = 0.82); 5 applicants who did not give their sex
    # are counted as unknown. Selected = entered 'screen' (the second stage).
    apps, stages = [], []
    spec = [("Man", 92, 50), ("Woman", 76, 34), ("", 5, 1)]
    for gender, n, picked in spec:
        for i in range(n):
            aid = f"A{gender or 'U'}{i:03}"
            apps.append(
                {
                    "application_id": aid,
                    "applied_date": "2024-03-01",
                    "gender": gender,
                    "race_ethnicity": "White",
                    "status": "rejected",
                }
            )
            stages.append({"application_id": aid, "stage": "applied", "entered_date": "2024-03-01"})
            if i < picked:
                stages.append({"application_id": aid, "stage": "screen", "entered_date": "2024-03-10"})
    folder = tmp_path / "data"
    config = {**CONFIG, "rule_settings": {"nyc_ll144_2023": {"audit_date": "2024-06-15"}}}
    employees_folder(folder, _employees([("E0", "Man")]), _jobs([("E0",)]), config)
    write_csv(
        folder / "recruiting" / "applications.csv",
        ["application_id", "applied_date", "gender", "race_ethnicity", "status"],
        apps,
    )
    write_csv(folder / "recruiting" / "application_stages.csv", ["application_id", "stage", "entered_date"], stages)
    build_and_open(folder, tmp_path / "nyc.duckdb").close()
    result = _run(tmp_path / "nyc.duckdb", "report", "nyc_ll144_2023", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {(r["section"], r["measure"], r["group"]): r["value"] for r in _long(result.output)}
    assert rows[("Sex categories", "Selection rate", "Male")] == "54.3"
    assert rows[("Sex categories", "Impact ratio", "Male")] == "1.00"
    assert rows[("Sex categories", "Selection rate", "Female")] == "44.7"
    assert rows[("Sex categories", "Impact ratio", "Female")] == "0.82"
    assert rows[("Sex categories", "Number of applicants", "Unknown (not in the calculations)")] == "5"
    table = _run(tmp_path / "nyc.duckdb", "report", "nyc_ll144_2023").output
    assert "Date of the bias audit: 2024-06-15" in table and "Number of individuals assessed: 173" in table
    assert "Distribution date of the tool: not given" in table


@pytest.mark.slow
def test_uk_report_on_the_demo_equals_a_second_computation(sample_db):
    # The committed demo carries the London staff's April 2026 payroll (equity.yml limits the UK
    # pack to GB). Recomputed here from the CSV files with pandas: relevant employees employed on
    # 5 April 2026 with a GB job record; hourly rate = ordinary pay x 7 / days / weekly hours;
    # full-pay = no reduced- or nil-pay leave overlapping the period (reg. 1(2)).
    import pandas as pd
    from tests.conftest import SAMPLE_DIR

    day = pd.Timestamp("2026-04-05")
    staff = pd.read_csv(SAMPLE_DIR / "hr" / "employees.csv", parse_dates=["hire_date", "termination_date"])
    jobs = pd.read_csv(SAMPLE_DIR / "hr" / "job_history.csv", parse_dates=["effective_date"])
    jobs = jobs[jobs.effective_date <= day].sort_values("effective_date").groupby("employee_id").tail(1)
    staff = staff[(staff.hire_date <= day) & (staff.termination_date.isna() | (staff.termination_date >= day))]
    staff = staff.merge(jobs[["employee_id", "country"]], on="employee_id")
    staff = staff[staff.country == "GB"]
    pay = pd.read_csv(SAMPLE_DIR / "hr" / "pay_periods.csv", parse_dates=["period_start", "period_end"])
    pay = pay[(pay.period_start <= day) & (day <= pay.period_end)]
    ordinary = (
        pay[["basic_pay", "allowances", "shift_premium", "piecework_pay", "leave_pay", "bonus_pay"]]
        .fillna(0)
        .sum(axis=1)
    )
    days = (pay.period_end - pay.period_start).dt.days + 1
    pay = pay.assign(hourly=ordinary * 7 / days / pay.weekly_hours)
    leave = pd.read_csv(SAMPLE_DIR / "hr" / "leave.csv", parse_dates=["start_date", "end_date"])
    leave = leave[leave.pay_during_leave.isin(["reduced", "none"])].merge(pay, on="employee_id")
    reduced = leave[
        (leave.start_date <= leave.period_end) & (leave.end_date.isna() | (leave.end_date >= leave.period_start))
    ].employee_id
    full = staff.merge(pay, on="employee_id")
    full = full[~full.employee_id.isin(reduced)]
    men, women = (full.loc[full.gender == g, "hourly"] for g in ("Man", "Woman"))
    mean_gap = (men.mean() - women.mean()) / men.mean() * 100
    median_gap = (men.median() - women.median()) / men.median() * 100
    result = _run(sample_db, "report", "uk_gpg_2017", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["measure"]: r for r in _long(result.output)}
    assert rows["Mean gender pay gap in hourly pay"]["value"] == f"{mean_gap:.1f}"
    assert rows["Median gender pay gap in hourly pay"]["value"] == f"{median_gap:.1f}"
    assert len(staff) > 300 and len(reduced) > 0
