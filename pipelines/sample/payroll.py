"""hr/pay_periods.csv for the sample: the London staff's April 2026 payroll, the pay period
holding the UK snapshot date 5 April 2026, so `equity report uk_gpg_2017` runs on the demo for
its GB employees (equity.yml: rule_settings.uk_gpg_2017.countries [GB]). The other people are
in the US, where no pack here applies to pay periods; BC and Egapro refuse on the demo, rightly
(Northwind Health has nobody in British Columbia or France), and a full payroll would not fit
the demo's 7 MB.

Generated from the simulated workforce without drawing random numbers, so every other file stays
byte-identical: one row per London employee employed in the month, with
- basic_pay = the FTE salary in force on the period's last day (as written in job_history) x fte
  / 12, pro rata to the days employed, less the days of parental leave (reduced pay: the leave's
  pay is not modelled; the UK pack leaves those people out of the hourly figures anyway) -
  medical leave is on full pay;
- weekly_hours = 37.5 x fte, hours_worked = weekly x days worked / 7;
- job_category / job_coefficient from the job level (L1-L2 employes, Operations L1 ouvriers, L3
  techniciens_agents_maitrise, L4-L6 ingenieurs_cadres; coefficient 150 + 50 per level), to
  show the Egapro classification columns.
No overtime, allowances or period bonus: the sample's bonus is the annual one in hr/bonuses.csv.
"""

from __future__ import annotations

import numpy as np

from . import _common as c
from . import workforce as wf

PAYROLL_MONTHS = [c.month_number(2026, 4)]  # holds the UK snapshot date 5 April 2026
PAYROLL_LOCATION = wf.LOCATIONS.index("London")
WEEKLY_HOURS = 37.5
CATEGORIES = ["ouvriers", "employes", "techniciens_agents_maitrise", "ingenieurs_cadres"]
LEVEL_CATEGORY = np.array([1, 1, 2, 3, 3, 3])  # L1 ... L6


def _in_force(history: dict, who: np.ndarray, on_day: np.ndarray) -> np.ndarray:
    """Index of each person's job_history row in force on their day (latest effective_date <= day)."""
    order = np.lexsort([history["day"], history["person"]])
    keys = history["person"][order].astype(np.int64) * 100_000 + history["day"][order]
    pos = np.searchsorted(keys, who.astype(np.int64) * 100_000 + on_day, side="right") - 1
    return order[pos]


def _leave_days(leave: dict, who: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Days of parental (reduced-pay) leave of each person within [start, end]."""
    out = np.zeros(len(who), np.int64)
    parental = leave["kind"] == 0
    for person, first, last in zip(leave["person"][parental], leave["start"][parental], leave["end"][parental]):
        rows = np.flatnonzero(who == person)
        if len(rows):
            last = min(int(last), c.AS_OF)
            out[rows] += np.clip(np.minimum(end[rows], last) - np.maximum(start[rows], first) + 1, 0, None)
    return out


def pay_periods(w) -> dict:
    """The rows as arrays (person order, then month)."""
    p, people, starts, ends = w.people, [], [], []
    for month in PAYROLL_MONTHS:
        first, last = int(c.month_start([month])[0]), int(c.month_start([month + 1])[0]) - 1
        who = np.flatnonzero((p["hire_day"] <= last) & (p["term_day"] >= first) & (p["location"] == PAYROLL_LOCATION))
        people.append(who)
        starts.append(np.maximum(p["hire_day"][who], first))
        ends.append(np.minimum(p["term_day"][who], last))
    who, start, end = (np.concatenate(a).astype(np.int64) for a in (people, starts, ends))
    order = np.lexsort([start, who])
    who, start, end = who[order], start[order], end[order]
    job = _in_force(w.history, who, end)
    month_days = (c.month_start(c.month_of(end) + 1) - c.month_start(c.month_of(end))).astype(float)
    worked = (end - start + 1) - _leave_days(w.leave, who, start, end)
    fte, location = p["fte"][who] / 10, p["location"][who]  # fte is kept in tenths
    salary = np.rint(w.history["salary"][job])
    level = w.history["level"][job]
    category = LEVEL_CATEGORY[level]
    operations = wf.DEPARTMENTS.index("Operations")
    category = np.where((level == 0) & (w.history["dept"][job] == operations), 0, category)
    weekly = WEEKLY_HOURS * fte
    return {
        "person": who,
        "start": start,
        "end": end,
        "basic_pay": salary * fte / 12 * worked / month_days,
        "weekly_hours": weekly,
        "hours_worked": weekly * worked / 7,
        "location": location,
        "category": category,
        "coefficient": 150 + 50 * level.astype(np.int64),
    }


def columns(t: dict, lo: int, hi: int, employee_ids) -> dict:
    """One slice of hr/pay_periods.csv."""
    blank = np.ones(hi - lo, bool)
    zero = np.zeros(hi - lo)
    return {
        "employee_id": employee_ids(t["person"][lo:hi]),
        "period_start": c.dates(t["start"][lo:hi]),
        "period_end": c.dates(t["end"][lo:hi]),
        "basic_pay": c.money(t["basic_pay"][lo:hi]),
        "allowances": c.money(zero, blank),
        "shift_premium": c.money(zero, blank),
        "piecework_pay": c.money(zero, blank),
        "leave_pay": c.money(zero, blank),
        "hours_worked": c.fixed(np.rint(t["hours_worked"][lo:hi] * 10), 1),
        "weekly_hours": c.fixed(np.rint(t["weekly_hours"][lo:hi] * 10), 1),
        "special_salary": c.money(zero, blank),
        "overtime_pay": c.money(zero, blank),
        "overtime_hours": c.fixed(np.zeros(hi - lo, np.int64), 1, blank),
        "bonus_pay": c.money(zero, blank),
        "currency": c.labels(t["location"][lo:hi], wf.LOCATION_CURRENCY),
        "job_category": c.labels(t["category"][lo:hi], CATEGORIES),
        "job_coefficient": c.integers(t["coefficient"][lo:hi]),
    }
