"""The four HR files, written from the simulated workforce (see careers.py)."""

from __future__ import annotations

import numpy as np

from . import _common as c
from . import career_rates, payroll
from . import workforce as wf
from .careers import Workforce


def employee_ids(persons, total: int):
    """E000001 ... numbered in hire order; the width grows only beyond a million people."""
    return c.ids("E", np.asarray(persons) + 1, max(6, len(str(total))))


def sorted_rows(table: dict, *keys: str) -> dict:
    """The rows of a column dict in (keys...) order; a stable sort keeps it deterministic."""
    order = np.lexsort([table[k] for k in reversed(keys)])
    return {k: v[order] for k, v in table.items()}


def write_hr(out_dir, w: Workforce) -> dict[str, int]:
    p = w.people
    total = len(p["hire_day"])
    counts = {}

    def employees(lo, hi):
        term = p["term_day"][lo:hi]
        left = term != c.NO_DAY
        reason = p["term_reason"][lo:hi]
        involuntary = (reason >= len(career_rates.VOLUNTARY_REASONS)) & (reason < career_rates.RETIREMENT)
        regretted = p["regretted"][lo:hi]
        return {
            "employee_id": employee_ids(np.arange(lo, hi), total),
            "gender": c.labels(p["gender"][lo:hi], wf.GENDERS),
            "race_ethnicity": c.labels(p["race"][lo:hi], wf.RACES),
            "birth_year": c.integers(p["birth_year"][lo:hi]),
            "disability": c.labels(p["disability"][lo:hi], wf.YES_NO),
            "veteran": c.labels(p["veteran"][lo:hi], wf.VETERAN),
            "lgbtq": c.labels(p["lgbtq"][lo:hi], wf.YES_NO),
            "hire_date": c.dates(p["hire_day"][lo:hi]),
            "termination_date": c.dates(term),
            "termination_type": c.labels(np.where(left, involuntary.astype(np.int8), -1), ["voluntary", "involuntary"]),
            "termination_reason": c.labels(np.where(left, reason, -1), career_rates.REASONS),
            "regretted": c.booleans(regretted == 1, mask=~left | (regretted < 0)),
        }

    counts["hr/employees.csv"] = c.write_rows(out_dir, "hr__employees", total, employees)

    h = sorted_rows(w.history, "person", "day")
    loc = p["location"][h["person"]]

    def job_history(lo, hi):
        who = h["person"][lo:hi]
        rating = h["rating"][lo:hi]
        return {
            "employee_id": employee_ids(who, total),
            "effective_date": c.dates(h["day"][lo:hi]),
            "department": c.labels(h["dept"][lo:hi], wf.DEPARTMENTS),
            "job_family": c.labels(h["family"][lo:hi], wf.FAMILY_NAMES),
            "job_level": c.labels(h["level"][lo:hi], wf.LEVELS),
            "location": c.labels(loc[lo:hi], wf.LOCATIONS),
            "country": c.labels(loc[lo:hi], wf.LOCATION_COUNTRY),
            "employment_type": c.labels(p["part_time"][who].astype(np.int8), ["full_time", "part_time"]),
            "fte": c.fixed(p["fte"][who], 1),
            "annual_base_salary": c.whole_units(h["salary"][lo:hi]),
            "currency": c.labels(loc[lo:hi], wf.LOCATION_CURRENCY),
            # No rating before the first April review: blank (read as Unknown).
            "performance_rating": c.integers(rating, mask=rating == 0),
            "change_reason": c.labels(h["reason"][lo:hi], career_rates.CHANGE_REASONS),
        }

    counts["hr/job_history.csv"] = c.write_rows(out_dir, "hr__job_history", len(h["day"]), job_history)

    b = sorted_rows(w.bonuses, "person", "day")

    def bonuses(lo, hi):
        who = b["person"][lo:hi]
        return {
            "employee_id": employee_ids(who, total),
            "paid_date": c.dates(b["day"][lo:hi]),
            "amount": c.whole_units(b["amount"][lo:hi]),
            "currency": c.labels(p["location"][who], wf.LOCATION_CURRENCY),
            "bonus_type": c.labels(np.zeros(hi - lo, np.int8), ["annual"]),
        }

    counts["hr/bonuses.csv"] = c.write_rows(out_dir, "hr__bonuses", len(b["day"]), bonuses)

    lv = sorted_rows(w.leave, "person", "start")

    def leave(lo, hi):
        return {
            "employee_id": employee_ids(lv["person"][lo:hi], total),
            "leave_type": c.labels(lv["kind"][lo:hi], ["parental", "medical"]),
            "start_date": c.dates(lv["start"][lo:hi]),
            "end_date": c.dates(lv["end"][lo:hi]),
            # parental leave on statutory (reduced) pay, medical leave on full pay: drawn from
            # the kind, not the random stream, so every other generated value stays the same
            "pay_during_leave": c.labels(lv["kind"][lo:hi], ["reduced", "full"]),
        }

    counts["hr/leave.csv"] = c.write_rows(out_dir, "hr__leave", len(lv["start"]), leave)
    # Monthly payroll for the statutory packs' periods (payroll.py), from the simulated people
    # without random draws, so no other file changes
    pp = payroll.pay_periods(w)
    counts["hr/pay_periods.csv"] = c.write_rows(
        out_dir,
        "hr__pay_periods",
        len(pp["person"]),
        lambda lo, hi: payroll.columns(pp, lo, hi, lambda who: employee_ids(who, total)),
    )
    return counts


def jobs_on(w: Workforce, on_day: int) -> tuple[np.ndarray, np.ndarray]:
    """(people employed on `on_day`, index of the job_history row in force for each) - the
    contract's rule: the latest row with effective_date <= the day."""
    p = w.people
    who = np.flatnonzero((p["hire_day"] <= on_day) & (p["term_day"] >= on_day))
    h = w.history
    order = np.lexsort([h["day"], h["person"]])
    keys = h["person"][order].astype(np.int64) * 100_000 + h["day"][order]
    pos = np.searchsorted(keys, who.astype(np.int64) * 100_000 + on_day, side="right") - 1
    return who, order[pos]


def hires_by_month(w: Workforce) -> np.ndarray:
    """Hires per window month (2019-01 ... as-of month), used to time the recruiting pipeline."""
    hire_month = c.month_of(w.people["hire_day"])
    months = np.arange(c.WINDOW_MONTH, c.LAST_MONTH + 1)
    return np.bincount(hire_month[hire_month >= c.WINDOW_MONTH] - c.WINDOW_MONTH, minlength=len(months))
