"""One month's events of the sample's careers, each applied to every person at once: job changes
(reviews, promotions, transfers), leave, exits, bonuses and hires. careers.py calls them in
order, month by month; the rates are in career_rates.py."""

from __future__ import annotations

import numpy as np

from . import workforce as wf
from ._common import AS_OF, NO_DAY, POLICY_DAY, WINDOW_MONTH, day
from .career_rates import (
    BLACK_WOMAN_VOLUNTARY_MULT,
    BONUS_BY_RATING,
    BONUS_TARGET,
    CARING,
    HEADCOUNT_GROWTH,
    HIRE,
    INVOLUNTARY_ANNUAL,
    INVOLUNTARY_BY_RATING,
    INVOLUNTARY_REASON_P,
    INVOLUNTARY_REASONS,
    MEDICAL_ANNUAL,
    MERIT_ADJUSTMENT,
    PARENTAL_ANNUAL_MAN,
    PARENTAL_ANNUAL_OTHER,
    PARENTAL_ANNUAL_WOMAN,
    PAY_CHANGE,
    PAY_HISTORY_FROM,
    PROMOTION,
    PROMOTION_ANNUAL,
    RATING_CUTS,
    REGRET_BY_RATING,
    RETIREMENT,
    RETIREMENT_ANNUAL,
    STILL_EMPLOYED_AFTER_RETURN,
    TENURE_MULT,
    TRANSFER,
    TRANSFER_ANNUAL,
    VOLUNTARY_ANNUAL,
    VOLUNTARY_REASON_P,
    VOLUNTARY_REASONS,
    monthly,
)


def add_hire_rows(history, people_idx, hired: dict) -> None:
    """The job-history rows of new hires: each person's first job, unrated. Copied, since the
    people's columns change as their careers go on."""
    count = len(people_idx)
    history.add(
        person=people_idx,
        day=hired["hire_day"].astype(np.int32),
        reason=np.full(count, HIRE, np.int8),
        dept=hired["dept"].copy(),
        family=hired["family"].copy(),
        level=hired["level"].copy(),
        salary=hired["salary"].copy(),
        rating=np.zeros(count, np.int8),
    )


def job_changes(rng, ppl, history, employed, m, ms, year, month):
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


def leave_starts(rng, ppl, leave, employed, ms, me, year):
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


def exits(rng, ppl, employed, ms, me, year):
    """Scheduled exits (after a return from leave), then retirements, voluntary and involuntary exits."""
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


def bonuses(rng, ppl, bonuses, employed, year):
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


def hires(rng, ppl, history, employees, m, ms, me):
    """Replace leavers and grow headcount by HEADCOUNT_GROWTH a year."""
    target = employees * (1 + HEADCOUNT_GROWTH) ** ((m - WINDOW_MONTH) / 12)
    active = np.count_nonzero(ppl["term_day"] > me)  # everyone hired so far and still here
    count = max(0, int(round(target - active + rng.normal(0, 0.002 * employees))))
    if not count:
        return
    new = wf.draw_new_people(rng, np.sort(ms + rng.integers(0, me - ms + 1, count)).astype(np.int32))
    idx = ppl.append(new)
    add_hire_rows(history, idx, new)
