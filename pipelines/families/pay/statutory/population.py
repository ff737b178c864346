"""Person-level populations for the statutory rule packs (never published: the mechanisms in
gaps.py / egapro.py / ll144.py aggregate them).

Money stays exact: salaries and pay-period amounts are read as DECIMAL, FX rates through their
shortest decimal text (as snapshot.exact_pay does), so a law's boundary (e.g. the EU's
5.00%) is decided on the figures in the files, not on binary floating point.

Every population is the whole organisation on the pack's date. A pack that needs data the
build does not hold stops with a StatutoryDataMissing naming the file and column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

import pandas as pd

from ....db import has_table
from ....errors import DataError
from ....sqlsafe import literal
from ..snapshot import hours_per_year

PERSON_COLUMNS = ("employee_id", "gender", "birth_year", "hire_date")  # every statutory population's first columns

PREC = 50


class StatutoryDataMissing(DataError):
    """The pack needs optional data that was not supplied (exit code 1, the file named)."""


def _rates(con) -> dict[tuple[str, dt.date], Decimal]:
    if not has_table(con, "dim_fx_rates"):
        return {}
    rows = con.execute("SELECT currency, month_start, rate_to_reporting FROM dim_fx_rates").fetchall()
    return {(c, pd.Timestamp(m).date()): Decimal(repr(float(r))) for c, m, r in rows}


def _converter(con, config):
    """fn(amount, currency, day) -> amount in the reporting currency (Decimal) or a DataError."""
    rates, reporting = _rates(con), config["reporting_currency"]

    def convert(amount, currency, day, file):
        if amount is None:
            return None
        amount = Decimal(amount)
        if not currency or currency == reporting:
            return amount
        month = pd.Timestamp(day).date().replace(day=1)
        rate = rates.get((currency, month))
        if rate is None:
            raise DataError(
                f"no FX rate for {currency} in {month:%Y-%m} (reporting currency {reporting})",
                file=file,
                column="currency",
            )
        return amount * rate

    return convert


def categorise(values, categories: dict) -> list:
    """Each recorded value mapped to the pack's category code (or its default, None = not compared)."""
    mapping, default = categories.get("map") or {}, categories.get("default")
    return [mapping.get(str(v).strip(), default) if v is not None else default for v in values]


def require_table(con, table: str, file: str, why: str) -> None:
    if not has_table(con, table):
        raise StatutoryDataMissing(f"not supplied; {why}", file=file)


def require_values(frame: pd.DataFrame, columns: list[str], file: str, why: str) -> None:
    """At least one of `columns` must hold values (a column absent from the export is all blank)."""
    if not any(c in frame and frame[c].notna().any() for c in columns):
        raise StatutoryDataMissing(f"has no value in {' or '.join(columns)}; {why}", file=file, column=columns[0])


def _bonus_by_person(con, convert, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Bonus pay paid in (start, end], per employee, in the reporting currency."""
    if not has_table(con, "fct_bonuses"):
        return {}
    rows = con.execute(
        f"SELECT employee_id, amount, currency, paid_date FROM fct_bonuses "
        f"WHERE paid_date > {literal(start)}::DATE AND paid_date <= {literal(end)}::DATE"
    ).fetchall()
    out: dict[str, Decimal] = {}
    for eid, amount, currency, day in rows:
        out[eid] = out.get(eid, Decimal(0)) + convert(amount, currency, day, "hr/bonuses.csv")
    return out


def months_before(day: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def relevant_pay_period(
    con, config, categories: dict, snapshot: dt.date, reqs: dict, countries: list[str] | None = None
) -> pd.DataFrame:
    """UK: relevant employees (employed on the snapshot date, in `countries` when given) with the
    hourly rate of the pay period containing that date (regs. 5-7) and full-pay status (reg. 1(2))."""
    require_table(con, "fct_pay_periods", "hr/pay_periods.csv", reqs["hr/pay_periods.csv"])
    day = literal(snapshot)
    where = f" AND s.country IN ({', '.join(literal(str(c)) for c in countries)})" if countries else ""
    people = con.execute(
        f"SELECT s.employee_id, s.gender, p.period_start, p.period_end, p.period_days, p.ordinary_pay, "
        f"p.bonus_pay, p.weekly_hours, p.hours_worked, p.currency, p.basic_pay "
        f"FROM fct_employment_spells s LEFT JOIN fct_pay_periods p ON p.employee_id = s.employee_id "
        f"AND p.period_start <= {day}::DATE AND {day}::DATE <= p.period_end "
        f"WHERE s.valid_from <= {day}::DATE AND {day}::DATE <= s.valid_to{where} ORDER BY 1"
    ).df()
    if people["employee_id"].duplicated().any():
        eid = people.loc[people["employee_id"].duplicated(), "employee_id"].iat[0]
        raise DataError(
            f"employee {eid} has two pay periods containing {snapshot}",
            file="hr/pay_periods.csv",
            column="period_start",
        )
    require_values(
        people,
        ["basic_pay"],
        "hr/pay_periods.csv",
        f"no pay period contains the snapshot date {snapshot}; {reqs['hr/pay_periods.csv']}",
    )
    raw = {
        r[0]: r[1:]
        for r in con.execute(
            f"SELECT employee_id, ordinary_pay, bonus_pay, weekly_hours, hours_worked FROM fct_pay_periods "
            f"WHERE period_start <= {day}::DATE AND {day}::DATE <= period_end"
        ).fetchall()
    }
    convert = _converter(con, config)
    hourly = []
    for r in people.itertuples(index=False):
        if r.employee_id not in raw or pd.isna(r.period_days):
            hourly.append(None)
            continue
        ordinary, bonus, weekly, worked = raw[r.employee_id]
        with localcontext() as ctx:
            ctx.prec = PREC
            days = Decimal(int(r.period_days))
            hours = Decimal(weekly) if weekly else (Decimal(worked) * 7 / days if worked else None)
            pay = (Decimal(ordinary) + Decimal(bonus)) * 7 / days
            value = convert(pay, r.currency, r.period_end, "hr/pay_periods.csv")
            hourly.append(value / hours if hours and hours > 0 else None)
    people["hourly"] = hourly
    people["full_pay"] = _full_pay(con, people, reqs)
    bonus = _bonus_by_person(con, convert, months_before(snapshot, 12), snapshot)
    people["bonus"] = [bonus.get(e, Decimal(0)) for e in people["employee_id"]]
    people["category"] = categorise(people["gender"], categories)
    return people


def _full_pay(con, people: pd.DataFrame, reqs: dict) -> list[bool]:
    """False for people on leave at reduced pay or nil during their relevant pay period; a leave
    overlapping the period without pay_during_leave stops the report (it cannot be guessed)."""
    if not has_table(con, "fct_leave_pay"):
        return [True] * len(people)
    leave = con.execute("SELECT employee_id, start_date, end_date, pay_during_leave FROM fct_leave_pay").df()
    periods = people.dropna(subset=["period_start"])[["employee_id", "period_start", "period_end"]]
    merged = leave.merge(periods, on="employee_id")
    end = pd.to_datetime(merged["end_date"]).fillna(pd.Timestamp.max)
    overlap = merged[
        (pd.to_datetime(merged["start_date"]) <= pd.to_datetime(merged["period_end"]))
        & (end >= pd.to_datetime(merged["period_start"]))
    ]
    unknown = overlap[overlap["pay_during_leave"].isna()]
    if len(unknown):
        raise StatutoryDataMissing(
            f"{len(unknown)} leave spell(s) overlap the relevant pay period without pay_during_leave "
            f"(full, reduced or none), e.g. employee {unknown['employee_id'].iat[0]}; "
            f"{reqs['hr/leave.csv']}",
            file="hr/leave.csv",
            column="pay_during_leave",
        )
    reduced = set(overlap.loc[overlap["pay_during_leave"].isin(["reduced", "none"]), "employee_id"])
    return [e not in reduced for e in people["employee_id"]]


def reporting_year(con, config, categories: dict, end: dt.date, reqs: dict) -> pd.DataFrame:
    """BC: everyone paid in the 12 months ending `end`, with hourly pay = ordinary pay / hours
    worked over the period, else their special salary (s. 1(3)), overtime and bonus totals."""
    require_table(con, "fct_pay_periods", "hr/pay_periods.csv", reqs["hr/pay_periods.csv"])
    start = months_before(end, 12)
    rows = con.execute(
        f"SELECT p.employee_id, e.gender, p.period_end, p.ordinary_pay, p.hours_worked, p.special_salary, "
        f"p.overtime_pay, p.overtime_hours, p.currency FROM fct_pay_periods p "
        f"JOIN stg_hr__employees e ON e.employee_id = p.employee_id "
        f"WHERE p.period_end > {literal(start)}::DATE AND p.period_end <= {literal(end)}::DATE "
        f"ORDER BY p.employee_id, p.period_end"
    ).fetchall()
    if not rows:
        raise StatutoryDataMissing(
            f"has no pay period ending between {start} and {end}; {reqs['hr/pay_periods.csv']}",
            file="hr/pay_periods.csv",
        )
    convert = _converter(con, config)
    acc: dict[str, dict] = {}
    for eid, gender, day, ordinary, worked, special, ot_pay, ot_hours, cur in rows:
        a = acc.setdefault(
            eid,
            {
                "employee_id": eid,
                "gender": gender,
                "ordinary": Decimal(0),
                "hours": Decimal(0),
                "special": None,
                "overtime_pay": Decimal(0),
                "overtime_hours": Decimal(0),
            },
        )
        a["ordinary"] += convert(ordinary, cur, day, "hr/pay_periods.csv") or 0
        a["hours"] += Decimal(worked or 0)
        if special:
            a["special"] = convert(special, cur, day, "hr/pay_periods.csv")
        a["overtime_pay"] += convert(ot_pay, cur, day, "hr/pay_periods.csv") or 0
        a["overtime_hours"] += Decimal(ot_hours or 0)
    bonus = _bonus_by_person(con, convert, start, end)
    people = pd.DataFrame(list(acc.values()))
    with localcontext() as ctx:
        ctx.prec = PREC
        people["hourly"] = [
            o / h if o > 0 and h > 0 else (s or Decimal(0))
            for o, h, s in zip(people["ordinary"], people["hours"], people["special"])
        ]
    people["bonus"] = [bonus.get(e, Decimal(0)) for e in people["employee_id"]]
    people["full_pay"] = True
    people["category"] = categorise(people["gender"], categories)
    return people


def snapshot_population(con, config, categories: dict, snapshot: dt.date, bonus_months: int = 12) -> pd.DataFrame:
    """EU / Egapro: workers employed on `snapshot`, with exact annual FTE basic pay, bonus of the
    12 months to it, hourly basic and hourly total pay (Art. 3(1)(a), (c))."""
    require_table(con, "fct_employment_spells", "hr/job_history.csv", "pay needs job records")
    day = literal(snapshot)
    people = con.execute(
        f"SELECT employee_id, gender, birth_year, hire_date, fte, annual_base_salary, currency "
        f"FROM fct_employment_spells WHERE valid_from <= {day}::DATE AND {day}::DATE <= valid_to "
        f"ORDER BY employee_id"
    ).fetchall()
    convert = _converter(con, config)
    bonus = _bonus_by_person(con, convert, months_before(snapshot, bonus_months), snapshot)
    per_year = Decimal(repr(hours_per_year(config)))
    out = []
    with localcontext() as ctx:
        ctx.prec = PREC
        for eid, gender, birth, hire, fte, salary, cur in people:
            annual = convert(salary, cur, snapshot, "hr/job_history.csv") if salary else None
            fte = Decimal(repr(float(fte))) if fte else Decimal(1)
            paid = bonus.get(eid, Decimal(0))
            hourly = annual / per_year if annual else None
            total = hourly + paid / (fte * per_year) if hourly is not None else None
            out.append(
                {
                    "employee_id": eid,
                    "gender": gender,
                    "birth_year": birth,
                    "hire_date": hire,
                    "fte": fte,
                    "annual_fte": annual,
                    "hourly": hourly,
                    "total_hourly": total,
                    "bonus": paid,
                    "full_pay": True,
                }
            )
    frame = pd.DataFrame(
        out,
        columns=[*PERSON_COLUMNS, "fte", "annual_fte", "hourly", "total_hourly", "bonus", "full_pay"],
    )
    frame["category"] = categorise(frame["gender"], categories)
    return frame


def latest_classification(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Egapro: each employee's job_category and job_coefficient of their latest pay period in the year."""
    require_table(
        con,
        "fct_pay_periods",
        "hr/pay_periods.csv",
        "Egapro indicator 1 groups employees by job_category (or job_coefficient)",
    )
    return con.execute(
        f"SELECT employee_id, arg_max(job_category, period_end) FILTER (WHERE job_category IS NOT NULL) "
        f"AS job_category, arg_max(job_coefficient, period_end) FILTER (WHERE job_coefficient IS NOT NULL) "
        f"AS job_coefficient FROM fct_pay_periods WHERE period_end > {literal(start)}::DATE "
        f"AND period_end <= {literal(end)}::DATE GROUP BY 1"
    ).df()


def applications(con, start: dt.date, end: dt.date, stage: str) -> pd.DataFrame:
    """LL144: applications of (start, end] with `selected` = entered `stage`."""
    require_table(
        con, "fct_applications", "recruiting/applications.csv", "a bias audit needs the applications the tool assessed"
    )
    require_table(
        con,
        "fct_application_stages",
        "recruiting/application_stages.csv",
        "selection = entering the stage the tool decides",
    )
    return con.execute(
        f"SELECT a.application_id, a.gender, a.race_ethnicity, EXISTS (SELECT 1 FROM fct_application_stages s "
        f"WHERE s.application_id = a.application_id AND s.stage = {literal(stage)}) AS selected "
        f"FROM fct_applications a WHERE a.applied_date > {literal(start)}::DATE "
        f"AND a.applied_date <= {literal(end)}::DATE"
    ).df()
