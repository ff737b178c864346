"""Person-level career events for Egapro indicators 2, 3, 2-3 and 4, from hr/job_history.csv
and hr/leave.csv (never published: egapro_careers.py counts them).

- A raise is a job record whose FTE annual base salary is higher than the record before it
  (FTE salaries, so a change of hours is not a raise). It is general (collective) when its
  change_reason is one of the pack's `general_raise_reasons`, else individual: the decree counts
  individual raises in indicators 2 and 2-3, and any raise for indicator 4.
- A promotion is a record whose change_reason is `promotion` or whose job level ranks above the
  record before it ("passage a un niveau ou coefficient hierarchique superieur"), with the level
  order of the workforce family's promotions (`job_levels` in equity.yml, else the natural sort).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

import pandas as pd

from ....db import has_table
from ....errors import UsageError
from ....sqlsafe import literal
from .population import (
    PERSON_COLUMNS,
    PREC,
    StatutoryDataMissing,
    _bonus_by_person,
    _converter,
    categorise,
    require_table,
    require_values,
)
from ....metrics._levels import ordered_levels


def job_changes(con, config, general_reasons: list[str], end: dt.date) -> pd.DataFrame:
    """Every job record after the first, up to `end`: employee_id, effective_date, raise,
    individual_raise, promotion, raise_not_promotion (booleans)."""
    rows = con.execute(
        f"SELECT employee_id, effective_date, change_reason, job_level, annual_base_salary, currency, "
        f"lag(job_level) OVER w, lag(annual_base_salary) OVER w, lag(currency) OVER w, "
        f"row_number() OVER w FROM stg_hr__job_history WHERE effective_date <= {literal(end)}::DATE "
        f"WINDOW w AS (PARTITION BY employee_id ORDER BY effective_date) ORDER BY 1, 2"
    ).fetchall()
    found = {r[3] for r in rows}
    ranks = {level: i for i, level in enumerate(ordered_levels(found, config))}
    convert = _converter(con, config)
    general = {str(g).strip().lower() for g in general_reasons}
    out = []
    for eid, day, reason, level, salary, cur, prev_level, prev_salary, prev_cur, number in rows:
        if number == 1:
            continue
        raised = False
        if salary is not None and prev_salary is not None:
            if cur == prev_cur or not cur or not prev_cur:
                raised = salary > prev_salary
            else:  # a change of currency: compare both at the same month's rate
                raised = convert(salary, cur, day, "hr/job_history.csv") > convert(
                    prev_salary, prev_cur, day, "hr/job_history.csv"
                )
        promoted = reason == "promotion" or (
            level in ranks and prev_level in ranks and ranks[level] > ranks[prev_level]
        )
        out.append(
            {
                "employee_id": eid,
                "effective_date": pd.Timestamp(day).date(),
                "raise": raised,
                "individual_raise": raised and (reason or "") not in general,
                "promotion": promoted,
            }
        )
    frame = pd.DataFrame(out, columns=["employee_id", "effective_date", "raise", "individual_raise", "promotion"])
    # indicator 2 counts individual raises that are not promotions (a promotion's raise is in 3)
    frame["raise_not_promotion"] = frame["individual_raise"] & ~frame["promotion"].astype(bool)
    return frame


def in_period(changes: pd.DataFrame, start: dt.date, end: dt.date, column: str) -> set[str]:
    """Employees with at least one `column` event in (start, end] (a person counts once)."""
    mask = changes[column] & (changes["effective_date"] > start) & (changes["effective_date"] <= end)
    return set(changes.loc[mask, "employee_id"])


def maternity_returns(
    con, changes: pd.DataFrame, women: set[str], leave_types: list[str], start: dt.date, end: dt.date, why: str
) -> tuple[int, int, int]:
    """(returns, eligible, raised): women back from maternity or adoption leave in (start, end];
    eligible when raises (general or individual, anyone in the firm) took effect during the leave;
    raised when her own salary rose between the later of the leave start and the period start,
    and the period end (the FAQ counts a raise during the leave, not one after the period)."""
    if not has_table(con, "fct_leave_pay"):
        raise StatutoryDataMissing(f"not supplied; {why}", file="hr/leave.csv")
    types = [str(t).strip().lower() for t in leave_types]
    leave = con.execute(
        f"SELECT employee_id, start_date, end_date FROM fct_leave_pay WHERE lower(leave_type) IN "
        f"({', '.join(literal(t) for t in types) or 'NULL'}) AND end_date > {literal(start)}::DATE "
        f"AND end_date <= {literal(end)}::DATE ORDER BY employee_id, start_date"
    ).fetchall()
    raise_days = sorted(changes.loc[changes["raise"], "effective_date"])
    returned, eligible, raised = set(), {}, set()
    for eid, first, last in leave:
        if eid not in women:
            continue
        returned.add(eid)
        first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
        if any(first <= d <= last for d in raise_days):
            eligible[eid] = min(first, eligible.get(eid, first))
    own = changes[changes["raise"]]
    for eid, first in eligible.items():
        days = own.loc[own["employee_id"] == eid, "effective_date"]
        if any(d > start and first <= d <= end for d in days):
            raised.add(eid)
    return len(returned), len(eligible), len(raised)


def _string_list(pack, key: str) -> list[str]:
    """A list setting (equity.yml rule_settings may replace it): text values only."""
    value = pack.settings[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"rule_settings.{pack.name}.{key} must be a list of text values (got {value!r})")
    return value


def _why(pack, file: str, column: str, when: str | None = None) -> str:
    """The pack's reason for needing `column` of `file` (the requirement with that `when`)."""
    return next(
        r["why"]
        for r in pack.spec["requires"]
        if r["file"] == file and column in (r.get("columns") or []) and (when is None or r.get("when") == when)
    )


def mark_career_events(con, pack, config, pop: pd.DataFrame, start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """Adds to `pop` (indicator 1's employees) who was raised / promoted in (start, end] -
    raise_not_promotion (indicator 2), individual_raise (2-3), promotion (3) - and returns the
    maternity-leave counts of indicator 4 (returns, eligible, raised)."""
    if pack.settings["size_band"] != "50 a 250":
        require_values(
            pop,
            ["job_category"],
            "hr/pay_periods.csv",
            _why(pack, "hr/pay_periods.csv", "job_category", "size_band is not 50 a 250"),
        )
    years = int(pack.settings["indicator2_3_years"])
    if years != 1 and pack.settings["size_band"] != "50 a 250":
        raise UsageError(
            f'rule_settings.{pack.name}.indicator2_3_years applies to size_band "50 a 250" only '
            f"({pack.cite('indicator2_3')})"
        )
    changes = job_changes(con, config, _string_list(pack, "general_raise_reasons"), end)
    # a firm of 50 to 250 may count indicator 2-3's raises over 2 or 3 years, for the employees
    # of the annual period (FAQ); everything else uses the annual reference period
    raise_start = (pd.Timestamp(end) - pd.DateOffset(years=years)).date()
    for column, since in (("raise_not_promotion", start), ("individual_raise", raise_start), ("promotion", start)):
        pop[column] = pop["employee_id"].isin(in_period(changes, since, end, column))
    staff = con.execute("SELECT employee_id, gender FROM stg_hr__employees").fetchall()
    codes = categorise([g for _, g in staff], pack.spec["categories"])
    women = {eid for (eid, _), code in zip(staff, codes) if code == "F"}
    return maternity_returns(
        con,
        changes,
        women,
        _string_list(pack, "maternity_leave_types"),
        start,
        end,
        _why(pack, "hr/leave.csv", "leave_type"),
    )


def present_days(hired: dt.date, start: dt.date, end: dt.date, leaves: list[tuple[dt.date, dt.date | None]]) -> int:
    """Days of (start, end] employed and not on leave (overlapping leave spells counted once)."""
    first = max(hired, start + dt.timedelta(days=1))
    if first > end:
        return 0
    spans = sorted((max(a, first), min(b or end, end)) for a, b in leaves)
    away, reach = 0, first - dt.timedelta(days=1)
    for a, b in spans:
        a = max(a, reach + dt.timedelta(days=1))
        if a <= b:
            away += (b - a).days + 1
            reach = b
    return (end - first).days + 1 - away


def drop_long_absences(con, pop: pd.DataFrame, start: dt.date, end: dt.date, months: int) -> tuple[pd.DataFrame, int]:
    """Indicator 1-3 and 5's workforce: employees present (employed up to their `last_day`, not
    on leave) at least `months` months of the period; the others are left out (Decret 2019-15, Annexe I, 1.1: absent
    more than half the period). Indicator 4 still counts their returns. No leave file: unchanged
    (mark_career_events then refuses, naming it)."""
    if not has_table(con, "fct_leave_pay") or pop.empty:
        return pop, 0
    needed = (end - (pd.Timestamp(end) - pd.DateOffset(months=months)).date()).days
    spells: dict[str, list] = {}
    for eid, a, b in con.execute(
        f"SELECT employee_id, start_date, end_date FROM fct_leave_pay WHERE start_date <= "
        f"{literal(end)}::DATE AND (end_date IS NULL OR end_date > {literal(start)}::DATE)"
    ).fetchall():
        spells.setdefault(eid, []).append((pd.Timestamp(a).date(), None if b is None else pd.Timestamp(b).date()))
    keep = [
        present_days(pd.Timestamp(h).date(), start, last, spells.get(e, [])) >= needed
        for e, h, last in zip(pop["employee_id"], pop["hire_date"], pop["last_day"])
    ]
    return pop[keep].copy(), len(keep) - sum(keep)


def reference_population(con, config, categories: dict, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Everyone employed at some time in (start, end], as on their last day in it (the FAQ: a
    leaver present 6 months or more is counted, with the age, classification and pay of their
    last day): FTE annual base pay then, bonus paid in the period, `last_day`."""
    require_table(con, "fct_employment_spells", "hr/job_history.csv", "pay needs job records")
    rows = con.execute(
        f"SELECT employee_id, gender, birth_year, hire_date, fte, annual_base_salary, currency, "
        f"least(valid_to, {literal(end)}::DATE) AS last_day, lower(employment_type) FROM fct_employment_spells "
        f"WHERE valid_from <= {literal(end)}::DATE AND valid_to > {literal(start)}::DATE "
        f"QUALIFY row_number() OVER (PARTITION BY employee_id ORDER BY valid_from DESC) = 1 "
        f"ORDER BY employee_id"
    ).fetchall()
    convert = _converter(con, config)
    bonus = _bonus_by_person(con, convert, start, end)
    out = []
    with localcontext() as ctx:
        ctx.prec = PREC
        for eid, gender, birth, hire, fte, salary, cur, last, kind in rows:
            last = pd.Timestamp(last).date()
            out.append(
                {
                    "employee_id": eid,
                    "gender": gender,
                    "birth_year": birth,
                    "hire_date": hire,
                    "last_day": last,
                    "fte": Decimal(repr(float(fte))) if fte else Decimal(1),
                    "annual_fte": convert(salary, cur, last, "hr/job_history.csv") if salary else None,
                    "bonus": bonus.get(eid, Decimal(0)),
                    "employment_type": kind,
                }
            )
    frame = pd.DataFrame(
        out,
        columns=[*PERSON_COLUMNS, "last_day", "fte", "annual_fte", "bonus", "employment_type"],
    )
    frame["category"] = categorise(frame["gender"], categories)
    return frame


def drop_excluded_types(pack, pop: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Apprentices, professionalisation contracts, temporary and expatriate staff are not in the
    workforce counted (Annexe I, 1.1): job_history employment_type in the pack's list, on the
    employee's last day in the period."""
    excluded = {t.strip().lower() for t in _string_list(pack, "excluded_employment_types")}
    keep = ~pop["employment_type"].isin(excluded)
    return pop[keep].copy(), int((~keep).sum())
