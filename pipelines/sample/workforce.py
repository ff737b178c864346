"""Who works at Northwind Health: demographics, organisation and pay at hire.

The category spellings below are data values that end up in the CSVs; keep them exact.
Probabilities that sum to less than 1 leave the rest blank (question not answered).
"""

from __future__ import annotations

import numpy as np

from ._common import day, draw_codes, year_of

# --- self-identified demographics ---------------------------------------------------------------
GENDERS = ["Woman", "Man", "Non-binary", "Prefer not to say"]
WOMAN, MAN = 0, 1
RACES = [
    "White",
    "Black or African American",
    "Hispanic or Latino",
    "Asian",
    "Two or more races",
    "American Indian or Alaska Native",
    "Native Hawaiian or Other Pacific Islander",
    "Prefer not to say",
]
RACE_P = [0.50, 0.13, 0.15, 0.12, 0.04, 0.01, 0.005, 0.02]  # blank 2.5%
BLACK, ASIAN = 1, 3
YES_NO = ["Yes", "No", "Prefer not to say"]
DISABILITY_P = [0.08, 0.80, 0.06]  # blank 6%
LGBTQ_P = [0.07, 0.75, 0.10]  # blank 8%
VETERAN = ["Yes", "No", "Prefer not to say", "Not asked"]
VETERAN_P = [0.04, 0.90, 0.03]  # blank 3%
NOT_ASKED = 3
VETERAN_ASKED_FROM = day("2020-01-01")  # the HRIS started asking the veteran question in 2020

# --- organisation -------------------------------------------------------------------------------
DEPARTMENTS = ["Engineering", "Sales", "Operations", "Finance", "People", "Marketing", "Customer Support"]
DEPT_P = np.array([0.28, 0.17, 0.16, 0.08, 0.08, 0.08, 0.15])
# Women's share differs by department (as in most organisations); blended it is ~46%. Non-binary,
# Prefer not to say and blank are the same everywhere.
WOMAN_SHARE = np.array([0.30, 0.42, 0.50, 0.50, 0.70, 0.58, 0.55])
OTHER_GENDER_P = [0.02, 0.015]  # Non-binary, Prefer not to say
GENDER_BLANK_P = 0.015

# (department, job family, share of the department, pay multiplier)
FAMILIES = [
    (0, "Software", 0.50, 1.20),
    (0, "Data", 0.20, 1.15),
    (0, "Infrastructure", 0.15, 1.10),
    (0, "Product", 0.15, 1.15),
    (1, "Account Management", 0.50, 1.00),
    (1, "Sales Development", 0.35, 0.85),
    (1, "Sales Operations", 0.15, 0.95),
    (2, "Clinical Operations", 0.50, 0.95),
    (2, "Supply Chain", 0.30, 0.90),
    (2, "Facilities", 0.20, 0.80),
    (3, "Accounting", 0.45, 0.95),
    (3, "FP&A", 0.35, 1.05),
    (3, "Procurement", 0.20, 0.95),
    (4, "HR Business Partners", 0.45, 0.95),
    (4, "Talent Acquisition", 0.35, 0.90),
    (4, "Total Rewards", 0.20, 1.00),
    (5, "Brand", 0.35, 0.95),
    (5, "Growth", 0.40, 1.00),
    (5, "Communications", 0.25, 0.90),
    (6, "Support", 0.75, 0.75),
    (6, "Support Operations", 0.25, 0.85),
]
FAMILY_NAMES = [f[1] for f in FAMILIES]
FAMILY_DEPT = np.array([f[0] for f in FAMILIES])
FAMILY_SHARE = np.array([f[2] for f in FAMILIES])
FAMILY_PAY = np.array([f[3] for f in FAMILIES])

LOCATIONS = ["New York", "Chicago", "Remote US", "London"]
LOCATION_P = [0.30, 0.22, 0.33, 0.15]
LOCATION_COUNTRY = ["US", "US", "US", "GB"]
LOCATION_CURRENCY = ["USD", "USD", "USD", "GBP"]
LOCATION_PAY = np.array([1.15, 1.00, 0.95, 0.68])  # London salaries are set in GBP

LEVELS = ["L1", "L2", "L3", "L4", "L5", "L6"]
HIRE_LEVEL_P = [0.34, 0.30, 0.20, 0.10, 0.045, 0.015]
LEVEL_PAY_2019 = np.array([58_000, 69_000, 83_000, 100_000, 122_000, 150_000], dtype=float)
MARKET_GROWTH = 0.03  # salary ranges move 3% a year, so a 2008 hire starts lower than a 2024 hire
IN_LEVEL_STEP = 0.015  # pay moves up its range 1.5% a year in the level, for up to IN_LEVEL_YEARS
IN_LEVEL_YEARS = 6
PART_TIME_P_WOMAN, PART_TIME_P_OTHER = 0.10, 0.04
PART_TIME_FTE = np.array([5, 6, 8])  # tenths

# --- planted truth 2: a personal pay position set at hire and kept for the whole career ----------
PAY_FACTOR_WOMAN = 0.95  # log-pay coefficient ln(0.95) = -0.0513
PAY_FACTOR_BLACK = 0.97  # log-pay coefficient ln(0.97) = -0.0305
HIRE_PAY_NOISE_SD = 0.07  # individual log-pay noise at hire


def draw_departments(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.choice(len(DEPARTMENTS), size=size, p=DEPT_P).astype(np.int8)


def draw_families(rng: np.random.Generator, departments: np.ndarray) -> np.ndarray:
    """A job family inside each person's department."""
    out = np.empty(len(departments), dtype=np.int8)
    for d in range(len(DEPARTMENTS)):  # seven departments: a loop over labels, not rows
        rows = np.flatnonzero(departments == d)
        fams = np.flatnonzero(FAMILY_DEPT == d)
        p = FAMILY_SHARE[fams] / FAMILY_SHARE[fams].sum()
        out[rows] = rng.choice(fams, size=len(rows), p=p)
    return out


TRANSFER_PAY_SCALE = 0.05  # transfers favour families paying within a few % of the current one


def draw_transfer_families(rng: np.random.Generator, current: np.ndarray) -> np.ndarray:
    """A job family in another department for each person transferring. Moves between similarly
    paid families are far more common (a Software engineer rarely moves into Support), so the
    structural pay of the new job is close to the old one."""
    pay_distance = np.abs(np.log(FAMILY_PAY[None, :] / FAMILY_PAY[current][:, None]))
    weight = DEPT_P[FAMILY_DEPT][None, :] * FAMILY_SHARE[None, :] * np.exp(-pay_distance / TRANSFER_PAY_SCALE)
    weight[FAMILY_DEPT[None, :] == FAMILY_DEPT[current][:, None]] = 0.0
    cum = np.cumsum(weight, axis=1)
    u = rng.random(len(current))[:, None] * cum[:, -1:]
    return (u >= cum).sum(axis=1).astype(np.int8)


def draw_genders(rng: np.random.Generator, departments: np.ndarray) -> np.ndarray:
    """Woman at the department's share; Non-binary, Prefer not to say and blank at the same
    shares everywhere; Man the rest."""
    woman = WOMAN_SHARE[departments]
    non_binary, prefer_not = OTHER_GENDER_P
    man_until = 1 - non_binary - prefer_not - GENDER_BLANK_P
    u = rng.random(len(departments))
    return np.select(
        [u < woman, u < man_until, u < man_until + non_binary, u < man_until + non_binary + prefer_not],
        [WOMAN, MAN, 2, 3],
        default=-1,
    ).astype(np.int8)


def draw_demographics(rng: np.random.Generator, departments: np.ndarray, veteran_asked: np.ndarray) -> dict:
    """Self-identified answers; the veteran question is `Not asked` where it was not asked."""
    n = len(departments)
    veteran = draw_codes(rng, VETERAN_P, n)
    return {
        "gender": draw_genders(rng, departments),
        "race": draw_codes(rng, RACE_P, n),
        "disability": draw_codes(rng, DISABILITY_P, n),
        "veteran": np.where(veteran_asked, veteran, NOT_ASKED).astype(np.int8),
        "lgbtq": draw_codes(rng, LGBTQ_P, n),
    }


def salary(level, family, location, year, years_in_level, pay_position) -> np.ndarray:
    """Full-time annual salary in local currency: the market rate of the job in that year, moved
    up the range with time in the level, times the person's pay position exp(pay_position).

    Pay is recomputed from this structure at every job change, so a promotion lands on the new
    level's range and a transfer on the new family's; everything a person carries from one job to
    the next (their noise at hire, merit history and the planted gap) is in `pay_position`.
    """
    market = (
        LEVEL_PAY_2019[level]
        * FAMILY_PAY[family]
        * LOCATION_PAY[location]
        * (1 + MARKET_GROWTH) ** (np.asarray(year) - 2019)
    )
    return market * np.exp(IN_LEVEL_STEP * np.minimum(years_in_level, IN_LEVEL_YEARS) + pay_position)


def draw_new_people(rng: np.random.Generator, hire_days: np.ndarray) -> dict:
    """Everything fixed at hire for a batch of new employees (one array per attribute)."""
    n = len(hire_days)
    hire_days = np.asarray(hire_days, dtype=np.int32)
    dept = draw_departments(rng, n)
    people = draw_demographics(rng, dept, hire_days >= VETERAN_ASKED_FROM)
    level = draw_codes(rng, HIRE_LEVEL_P, n)  # probabilities sum to 1: never blank
    # Senior hires are older: about 2.5 years of age per level, plus a skewed spread.
    age = np.clip(21 + 2.5 * level + rng.gamma(2.0, 4.0, n), 21, 58)
    # Those hired before 2019 are the survivors of 2019-01-01 (nobody leaves earlier in the data):
    # the older ones have retired, so nobody is over 63 in 2019.
    age = np.maximum(21, np.minimum(age, 63 - np.maximum(0, 2019 - year_of(hire_days)))).astype(np.int16)
    family = draw_families(rng, dept)
    location = rng.choice(len(LOCATIONS), size=n, p=LOCATION_P).astype(np.int8)
    part_p = np.where(people["gender"] == WOMAN, PART_TIME_P_WOMAN, PART_TIME_P_OTHER)
    part_time = rng.random(n) < part_p
    fte = np.where(part_time, rng.choice(PART_TIME_FTE, size=n), 10).astype(np.int8)
    gap = np.where(people["gender"] == WOMAN, np.log(PAY_FACTOR_WOMAN), 0.0) + np.where(
        people["race"] == BLACK, np.log(PAY_FACTOR_BLACK), 0.0
    )
    pay_position = rng.normal(0, HIRE_PAY_NOISE_SD, n) + gap
    people.update(
        hire_day=hire_days,
        birth_year=(year_of(hire_days) - age).astype(np.int16),
        dept=dept,
        family=family,
        level=level,
        location=location,
        part_time=part_time,
        fte=fte,
        pay_position=pay_position,
        salary=salary(level, family, location, year_of(hire_days), 0.0, pay_position),
        # A lasting tendency to be rated well or badly, the same for every group.
        propensity=rng.normal(0, 0.6, n).astype(np.float32),
    )
    return people
