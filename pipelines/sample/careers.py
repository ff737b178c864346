"""The month-by-month life of the workforce, 2005-01 to the as-of month, vectorised over people.

Each month, in order: job changes dated the 1st (April reviews with raises, promotions,
transfers); then, inside the observation window only, leave starts, exits, March bonuses and the
hires that keep headcount on target. Before 2019 nobody leaves: the people hired 2005-2018 are
exactly the workforce of 2019-01-01 (the export holds everyone employed since then).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import workforce as wf
from ._common import AS_OF, FIRST_MONTH, LAST_MONTH, NO_DAY, POLICY_DAY, WINDOW_MONTH, day, month_of, month_start

HIRE, PROMOTION, PAY_CHANGE, TRANSFER = range(4)
CHANGE_REASONS = ["hire", "promotion", "pay_change", "transfer"]
# Job history before the observation window is kept in full for hires, promotions and transfers,
# but the yearly April pay changes only from 2018: the 2018-04-01 row holds the pay in force on
# 2019-01-01, and older raises are not exported (they only show as the pay on the next row).
PAY_HISTORY_FROM = day("2018-01-01")

# Exits. Monthly probability = 1 - (1 - annual)**(1/12).
VOLUNTARY_ANNUAL = 0.10
TENURE_MULT = ((1.0, 1.4), (3.0, 1.1), (np.inf, 0.85))  # (tenure below, multiplier)
BLACK_WOMAN_VOLUNTARY_MULT = 2.0  # planted truth 1
INVOLUNTARY_ANNUAL = 0.03
INVOLUNTARY_BY_RATING = np.array([1.0, 4.0, 2.0, 0.8, 0.5, 0.4])  # index = rating (0 = not yet rated)
RETIREMENT_ANNUAL = 0.30  # from age 63; everyone has retired at 66
VOLUNTARY_REASONS = [
    "Better opportunity",
    "Career change",
    "Compensation",
    "Relocation",
    "Personal reasons",
    "Return to education",
    "Work-life balance",
]
VOLUNTARY_REASON_P = [0.32, 0.16, 0.16, 0.11, 0.12, 0.05, 0.08]
INVOLUNTARY_REASONS = ["Performance", "Restructuring", "Position eliminated", "Misconduct"]
INVOLUNTARY_REASON_P = [0.45, 0.25, 0.20, 0.10]
REASONS = VOLUNTARY_REASONS + INVOLUNTARY_REASONS + ["Retirement", "Caring responsibilities"]
RETIREMENT, CARING = len(REASONS) - 2, len(REASONS) - 1
REGRET_BY_RATING = np.array([0.40, 0.10, 0.20, 0.45, 0.75, 0.85])

# Careers.
RATING_CUTS = np.array([-1.645, -0.842, 0.524, 1.405])  # -> ratings 1-5 at 5/15/50/22/8 %
# Each review moves the person's pay position by rating (index = rating), on top of the market
# (+3%) and range progression (+1.5%): annual raises of about 2-7%, never a cut.
MERIT_ADJUSTMENT = np.array([0.0, -0.025, -0.012, 0.0, 0.012, 0.025])
PROMOTION_ANNUAL = np.array([0.22, 0.15, 0.10, 0.07, 0.04, 0.0])  # by current level L1..L6
TRANSFER_ANNUAL = 0.03
HEADCOUNT_GROWTH = 0.015  # a year, from `employees` at 2019-01-01

# Leave (planted truth 5: the 2022-01-01 policy).
PARENTAL_ANNUAL_WOMAN = 0.045
PARENTAL_ANNUAL_MAN = (0.012, 0.036)  # before / from the policy: uptake triples
PARENTAL_ANNUAL_OTHER = 0.02
MEDICAL_ANNUAL = 0.015
STILL_EMPLOYED_AFTER_RETURN = (0.80, 0.92)  # women, 12 months after parental leave, before / from
BONUS_TARGET = np.array([0.05, 0.06, 0.08, 0.10, 0.15, 0.20])  # of salary, by level
BONUS_BY_RATING = np.array([0.0, 0.0, 0.5, 1.0, 1.25, 1.5])  # rating 1: no bonus


def monthly(annual):
    return 1 - (1 - np.asarray(annual, dtype=float)) ** (1 / 12)


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
    ppl = _People(wf.draw_new_people(rng, initial_hire_days(rng, employees)), capacity=employees * 3 + 100)
    history, bonuses, leave = _Rows(), _Rows(), _Rows()
    idx = np.arange(ppl.n)
    history.add(
        person=idx,
        day=ppl["hire_day"].astype(np.int32),
        reason=np.full(ppl.n, HIRE, np.int8),
        dept=ppl["dept"].copy(),
        family=ppl["family"].copy(),
        level=ppl["level"].copy(),
        salary=ppl["salary"].copy(),
        rating=np.zeros(ppl.n, np.int8),
    )
    for m in range(FIRST_MONTH, LAST_MONTH + 1):
        ms = int(month_start(m))
        me = int(month_start(m + 1)) - 1
        year, month = 1970 + m // 12, m % 12 + 1
        employed = (ppl["hire_day"] < ms) & (ppl["term_day"] >= ms)
        _job_changes(rng, ppl, history, employed, m, ms, year, month)
        if m < WINDOW_MONTH:
            continue
        _leave_starts(rng, ppl, leave, employed, ms, me, year)
        _exits(rng, ppl, employed, ms, me, year)
        if month == 3:
            _bonuses(rng, ppl, bonuses, employed, year)
        _hires(rng, ppl, history, employees, m, ms, me)
    people = {k: v[: ppl.n].copy() for k, v in ppl.cols.items()}
    return Workforce(
        people=people,
        history=history.table(["person", "day", "reason", "dept", "family", "level", "salary", "rating"]),
        bonuses=bonuses.table(["person", "day", "amount"]),
        leave=leave.table(["person", "kind", "start", "end"]),
    )


def _job_changes(rng, ppl, history, employed, m, ms, year, month):
    """April reviews (new rating + merit raise), promotions and transfers, all dated the 1st."""
    n = ppl.n
    reviewed = employed & (ppl["hire_day"] < day(f"{year - 1}-10-01")) if month == 4 else np.zeros(n, bool)
    if reviewed.any():
        r = np.flatnonzero(reviewed)
        latent = ppl["propensity"][r] + rng.normal(0, 0.8, len(r))
        ppl["rating"][r] = np.searchsorted(RATING_CUTS, latent) + 1
        ppl["pay_position"][r] += MERIT_ADJUSTMENT[ppl["rating"][r]] + rng.normal(0, 0.005, len(r))
    level = ppl["level"]
    eligible = employed & (m - ppl["level_month"] >= 12)
    promoted = eligible & (rng.random(n) < monthly(PROMOTION_ANNUAL[level]))
    p = np.flatnonzero(promoted)
    ppl["level"][p] += 1
    ppl["level_month"][p] = m
    transferred = employed & ~promoted & (month != 4) & (rng.random(n) < monthly(TRANSFER_ANNUAL))
    t = np.flatnonzero(transferred)
    new_family = wf.draw_transfer_families(rng, ppl["family"][t])
    ppl["dept"][t], ppl["family"][t] = wf.FAMILY_DEPT[new_family], new_family
    changed = np.flatnonzero(reviewed | promoted | transferred)
    if len(changed):
        new_salary = wf.salary(
            ppl["level"][changed],
            ppl["family"][changed],
            ppl["location"][changed],
            year,
            (m - ppl["level_month"][changed]) / 12,
            ppl["pay_position"][changed],
        )
        # A review or promotion never cuts pay (a review soon after a promotion could): the person
        # then sits higher in the range and keeps that position. A transfer takes the new job's pay,
        # which may be a little lower: protecting it would favour people leaving well-paid families,
        # who are more often men, and blur the planted gap.
        old = ppl["salary"][changed]
        kept = np.where(transferred[changed], new_salary, np.maximum(new_salary, old))
        ppl["pay_position"][changed] += np.log(kept / new_salary)
        ppl["salary"][changed] = kept
        reason = np.select([promoted[changed], transferred[changed]], [PROMOTION, TRANSFER], PAY_CHANGE)
        if ms < PAY_HISTORY_FROM:  # the yearly raise happened (pay moved) but is not in the export
            keep = reason != PAY_CHANGE
            changed, reason = changed[keep], reason[keep]
        history.add(
            person=changed,
            day=np.full(len(changed), ms, np.int32),
            reason=reason.astype(np.int8),
            dept=ppl["dept"][changed],
            family=ppl["family"][changed],
            level=ppl["level"][changed],
            salary=ppl["salary"][changed],
            rating=ppl["rating"][changed],
        )


def _leave_starts(rng, ppl, leave, employed, ms, me, year):
    """Parental and medical leave; women's return from parental leave fixes their next 12 months."""
    free = employed & (ppl["busy_until"] < ms) & (ppl["override_until"] < ms) & (ppl["scheduled_exit"] == NO_DAY)
    age = year - ppl["birth_year"]
    gender = ppl["gender"]
    after = ms >= POLICY_DAY
    woman, man = gender == wf.WOMAN, gender == wf.MAN
    p_parental = np.select([woman, man], [PARENTAL_ANNUAL_WOMAN, PARENTAL_ANNUAL_MAN[after]], PARENTAL_ANNUAL_OTHER)
    p_parental = np.where((age >= 24) & (age <= 46) & (ms - ppl["last_parental"] > 540), monthly(p_parental), 0.0)
    u = rng.random(ppl.n)
    parental = free & (u < p_parental)
    medical = free & ~parental & (u < p_parental + monthly(MEDICAL_ANNUAL))
    who = np.flatnonzero(parental | medical)
    if not len(who):
        return
    kind = np.where(parental[who], 0, 1).astype(np.int8)
    start = ms + rng.integers(0, me - ms + 1, len(who))
    w_woman = woman[who]
    # Weeks of leave: women took 12-24 before the policy and 22-40 after; other parents 2-8, then
    # 4-20; medical leave 2-16 (integers(lo, hi) excludes hi).
    mother_weeks = rng.integers(22, 41, len(who)) if after else rng.integers(12, 25, len(who))
    other_weeks = rng.integers(4, 21, len(who)) if after else rng.integers(2, 9, len(who))
    medical_weeks = rng.integers(2, 17, len(who))
    weeks = np.where(kind == 1, medical_weeks, np.where(w_woman, mother_weeks, other_weeks))
    end = start + 7 * weeks - 1
    ppl["busy_until"][who] = end
    ppl["last_parental"][who[kind == 0]] = ms
    mothers = who[(kind == 0) & w_woman]
    if len(mothers):
        back = ppl["busy_until"][mothers] + 1
        stays = rng.random(len(mothers)) < STILL_EMPLOYED_AFTER_RETURN[after]
        ppl["override_until"][mothers] = back + 364
        leaves = mothers[~stays]
        ppl["scheduled_exit"][leaves] = back[~stays] + rng.integers(0, 365, len(leaves))
    leave.add(
        person=who, kind=kind, start=start.astype(np.int32), end=np.where(end > AS_OF, NO_DAY, end).astype(np.int32)
    )


def _exits(rng, ppl, employed, ms, me, year):
    n = ppl.n
    scheduled = employed & (ppl["scheduled_exit"] <= me)
    s = np.flatnonzero(scheduled)
    ppl["term_day"][s] = ppl["scheduled_exit"][s]
    ppl["term_reason"][s] = np.where(rng.random(len(s)) < 0.7, CARING, VOLUNTARY_REASONS.index("Work-life balance"))
    ppl["regretted"][s] = rng.random(len(s)) < REGRET_BY_RATING[ppl["rating"][s]]

    at_risk = employed & (ppl["busy_until"] < ms) & (ppl["override_until"] < ms) & (ppl["scheduled_exit"] == NO_DAY)
    tenure = (ms - ppl["hire_day"]) / 365.25
    mult = np.select([tenure < b for b, _ in TENURE_MULT], [v for _, v in TENURE_MULT])
    black_woman = (ppl["gender"] == wf.WOMAN) & (ppl["race"] == wf.BLACK)
    p_vol = monthly(VOLUNTARY_ANNUAL * mult * np.where(black_woman, BLACK_WOMAN_VOLUNTARY_MULT, 1.0))
    p_inv = monthly(INVOLUNTARY_ANNUAL * INVOLUNTARY_BY_RATING[ppl["rating"]])
    age = year - ppl["birth_year"]
    p_ret = np.where(age >= 66, 1.0, np.where(age >= 63, monthly(RETIREMENT_ANNUAL), 0.0))
    u = rng.random(n)
    retire = at_risk & (u < p_ret)
    vol = at_risk & ~retire & (u < p_ret + p_vol)
    inv = at_risk & ~retire & ~vol & (u < p_ret + p_vol + p_inv)
    leaving = np.flatnonzero(retire | vol | inv)
    if not len(leaving):
        return
    ppl["term_day"][leaving] = ms + rng.integers(0, me - ms + 1, len(leaving))
    vol_reason = rng.choice(len(VOLUNTARY_REASONS), size=len(leaving), p=VOLUNTARY_REASON_P)
    inv_reason = len(VOLUNTARY_REASONS) + rng.choice(
        len(INVOLUNTARY_REASONS), size=len(leaving), p=INVOLUNTARY_REASON_P
    )
    ppl["term_reason"][leaving] = np.select([retire[leaving], vol[leaving]], [RETIREMENT, vol_reason], inv_reason)
    regret = rng.random(len(leaving)) < REGRET_BY_RATING[ppl["rating"][leaving]]
    # Regretted is recorded for voluntary exits only (blank for involuntary); retirements are not regretted.
    ppl["regretted"][leaving] = np.select([retire[leaving], vol[leaving]], [0, regret], -1)


def _bonuses(rng, ppl, bonuses, employed, year):
    """Annual bonus for the previous year, paid 15 March to people rated 2+ and still employed."""
    paid = day(f"{year}-03-15")
    ok = (
        employed
        & (ppl["term_day"] >= paid)
        & (ppl["hire_day"] < day(f"{year - 1}-10-01"))
        & (BONUS_BY_RATING[ppl["rating"]] > 0)
    )
    b = np.flatnonzero(ok)
    amount = (
        ppl["salary"][b]
        * ppl["fte"][b]
        / 10
        * BONUS_TARGET[ppl["level"][b]]
        * BONUS_BY_RATING[ppl["rating"][b]]
        * np.exp(rng.normal(0, 0.1, len(b)))
    )
    bonuses.add(person=b, day=np.full(len(b), paid, np.int32), amount=np.round(amount, 2))


def _hires(rng, ppl, history, employees, m, ms, me):
    """Replace leavers and grow headcount by HEADCOUNT_GROWTH a year."""
    target = employees * (1 + HEADCOUNT_GROWTH) ** ((m - WINDOW_MONTH) / 12)
    active = np.count_nonzero(ppl["term_day"] > me)  # everyone hired so far and still here
    count = max(0, int(round(target - active + rng.normal(0, 0.002 * employees))))
    if not count:
        return
    new = wf.draw_new_people(rng, np.sort(ms + rng.integers(0, me - ms + 1, count)).astype(np.int32))
    idx = ppl.append(new)
    history.add(
        person=idx,
        day=new["hire_day"],
        reason=np.full(count, HIRE, np.int8),
        dept=new["dept"],
        family=new["family"],
        level=new["level"],
        salary=new["salary"],
        rating=np.zeros(count, np.int8),
    )
