"""The month-by-month life of the workforce, 2005-01 to the as-of month, vectorised over people.

Each month, in order: job changes dated the 1st (April reviews with raises, promotions,
transfers); then, inside the observation window only, leave starts, exits, March bonuses and the
hires that keep headcount on target. Before 2019 nobody leaves: the people hired 2005-2018 are
exactly the workforce of 2019-01-01 (the export holds everyone employed since then). The events
are in career_events.py, their rates in career_rates.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import workforce as wf
from . import career_events as ev
from ._common import FIRST_MONTH, LAST_MONTH, NO_DAY, WINDOW_MONTH, day, month_of, month_start
from .career_events import add_hire_rows


@dataclass
class Workforce:
    people: dict  # one array per attribute, one row per person (index = employee number - 1)
    history: dict  # job_history rows: person, day, reason, dept, family, level, salary, rating
    bonuses: dict  # person, day, amount
    leave: dict  # person, kind (0 parental, 1 medical), start, end (NO_DAY = ongoing)


class _Rows:
    """Collects rows month by month; concatenated once at the end."""

    def __init__(self):
        self.parts: list[dict] = []

    def add(self, **cols):
        self.parts.append(cols)

    def table(self, names) -> dict:
        return {k: np.concatenate([p[k] for p in self.parts]) if self.parts else np.zeros(0, np.int64) for k in names}


class _People:
    """Growable column store for per-person state."""

    def __init__(self, first: dict, capacity: int):
        self.n = 0
        self.cols = {k: np.empty(capacity, dtype=v.dtype) for k, v in first.items()}
        extra = dict(
            term_day=np.int32,
            term_reason=np.int8,
            regretted=np.int8,
            rating=np.int8,
            level_month=np.int32,
            busy_until=np.int32,
            override_until=np.int32,
            scheduled_exit=np.int32,
            last_parental=np.int32,
        )
        for k, t in extra.items():
            self.cols[k] = np.empty(capacity, dtype=t)
        self.append(first)

    def append(self, new: dict) -> np.ndarray:
        k = len(new["hire_day"])
        if self.n + k > len(self.cols["hire_day"]):
            grow = max(k, len(self.cols["hire_day"]) // 2)
            self.cols = {c: np.concatenate([v, np.empty(grow, dtype=v.dtype)]) for c, v in self.cols.items()}
        idx = np.arange(self.n, self.n + k)
        for c, v in new.items():
            self.cols[c][idx] = v
        defaults = dict(
            term_day=NO_DAY,
            term_reason=-1,
            regretted=-1,
            rating=0,
            level_month=0,
            busy_until=-1,
            override_until=-1,
            scheduled_exit=NO_DAY,
            last_parental=-1_000_000,
        )
        for c, v in defaults.items():
            self.cols[c][idx] = v
        self.cols["level_month"][idx] = month_of(new["hire_day"])  # promotions need 12 months in the level
        self.n += k
        return idx

    def __getitem__(self, name):
        return self.cols[name][: self.n]


def initial_hire_days(rng: np.random.Generator, employees: int) -> np.ndarray:
    """Hire dates 2005-2018 of the people still employed on 2019-01-01: recent years are more
    common because earlier cohorts have thinned out by attrition."""
    years = np.arange(2005, 2019)
    weight = np.exp(0.13 * (years - 2018))
    year = rng.choice(years, size=employees, p=weight / weight.sum())
    start = np.array([day(f"{y}-01-01") for y in years])[year - 2005]
    length = np.where((year % 4) == 0, 366, 365)
    return np.sort((start + rng.integers(0, length)).astype(np.int32))


def simulate(rng: np.random.Generator, employees: int) -> Workforce:
    """The whole workforce, 2005-01 to the as-of month: people, job history, bonuses and leave."""
    ppl = _People(wf.draw_new_people(rng, initial_hire_days(rng, employees)), capacity=employees * 3 + 100)
    history, bonuses, leave = _Rows(), _Rows(), _Rows()
    add_hire_rows(history, np.arange(ppl.n), ppl)
    for m in range(FIRST_MONTH, LAST_MONTH + 1):
        ms = int(month_start(m))
        me = int(month_start(m + 1)) - 1
        year, month = 1970 + m // 12, m % 12 + 1
        employed = (ppl["hire_day"] < ms) & (ppl["term_day"] >= ms)
        ev.job_changes(rng, ppl, history, employed, m, ms, year, month)
        if m < WINDOW_MONTH:
            continue
        ev.leave_starts(rng, ppl, leave, employed, ms, me, year)
        ev.exits(rng, ppl, employed, ms, me, year)
        if month == 3:
            ev.bonuses(rng, ppl, bonuses, employed, year)
        ev.hires(rng, ppl, history, employees, m, ms, me)
    people = {k: v[: ppl.n].copy() for k, v in ppl.cols.items()}
    return Workforce(
        people=people,
        history=history.table(["person", "day", "reason", "dept", "family", "level", "salary", "rating"]),
        bonuses=bonuses.table(["person", "day", "amount"]),
        leave=leave.table(["person", "kind", "start", "end"]),
    )
