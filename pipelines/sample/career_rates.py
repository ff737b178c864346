"""The rates and sizes that drive the sample's careers: exits, reviews, promotions, leave and
bonuses (careers.py runs them month by month; career_events.py applies them). The planted truths
of sample_data/README.md are the constants marked so."""

from __future__ import annotations

import numpy as np

from ._common import day

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
