"""Applications and the hiring-funnel stages they entered.

Requisitions open when the HR simulation hires (so the funnel follows the real hiring rhythm);
each application then walks applied -> screen -> interview -> offer -> hired, and at every step
it advances, is rejected or is withdrawn. Whatever had not happened by the as-of date has not
happened: those applications are `in_progress` and list only the stages entered so far.
"""

from __future__ import annotations

import numpy as np

from . import _common as c
from . import workforce as wf

STAGES = ["applied", "screen", "interview", "offer", "hired"]
SOURCES = ["Job board", "Careers site", "Referral", "Agency", "University", "Diversity job fair"]
SOURCE_P = [0.35, 0.25, 0.15, 0.10, 0.08, 0.07]
# Screening pass rate by source (referrals do better); sources are drawn independently of
# demographics, so this adds realism without creating a group difference.
SCREEN_PASS_BY_SOURCE = np.array([0.40, 0.42, 0.60, 0.50, 0.38, 0.42])
# Per step into screen, interview, offer, hired: P(advance), P(withdraw); the rest is rejected.
ADVANCE = np.array([np.nan, 0.50, 0.40, 0.85])  # step 0 uses SCREEN_PASS_BY_SOURCE
WITHDRAW = np.array([0.04, 0.06, 0.07, 0.15])  # at the offer step "withdrawn" = offer declined
ENGINEERING_WOMEN_OFFER_FACTOR = 0.5  # planted truth 3: interview -> offer, Engineering women
DELAY_DAYS = [(2, 15), (5, 22), (5, 21), (3, 15)]  # days from one stage to the next decision
APPLICATIONS_PER_REQUISITION = 25
EXTRA_BLANK = 0.04  # candidates leave the voluntary questions blank more often than employees
STATUSES = ["hired", "rejected", "withdrawn", "in_progress"]


def _requisitions(rng, n_req: int, hires_per_month: np.ndarray):
    month = rng.choice(len(hires_per_month), size=n_req, p=hires_per_month / hires_per_month.sum())
    opened = c.month_start(c.WINDOW_MONTH + month) + rng.integers(0, 28, n_req)
    dept = wf.draw_departments(rng, n_req)
    level = rng.choice(len(wf.LEVELS), size=n_req, p=[0.30, 0.30, 0.22, 0.12, 0.05, 0.01]).astype(np.int8)
    return opened, dept, level


def _candidates(rng, app_dept: np.ndarray):
    """Candidate ids and their answers. ~12% of applications come from someone who applied before;
    a candidate's answers are the same on every application."""
    n = len(app_dept)
    n_cand = max(1, int(round(n * 0.88)))
    cand = rng.permutation(np.concatenate([np.arange(n_cand), rng.integers(0, n_cand, n - n_cand)]))
    _, first = np.unique(cand, return_index=True)  # each candidate's first (earliest) application
    first_dept = app_dept[first]
    answers = wf.draw_demographics(rng, first_dept, np.ones(n_cand, bool))
    for key in ["gender", "race", "disability", "veteran"]:
        answers[key] = np.where(rng.random(n_cand) < EXTRA_BLANK, -1, answers[key]).astype(np.int8)
    return cand, answers


def _funnel(rng, applied: np.ndarray, source: np.ndarray, eng_woman: np.ndarray):
    """Day each stage was entered (NO_DAY if never), and the status on the as-of date."""
    n = len(applied)
    entered = np.full((n, len(STAGES)), c.NO_DAY, dtype=np.int64)
    entered[:, 0] = applied
    status = np.full(n, -1, np.int8)
    decided = np.full(n, c.NO_DAY, dtype=np.int64)  # day of the final decision
    open_ = np.ones(n, bool)
    for step in range(4):  # four transitions, each vectorised over applications
        adv = SCREEN_PASS_BY_SOURCE[source] if step == 0 else np.full(n, ADVANCE[step])
        if step == 2:
            adv = np.where(eng_woman, adv * ENGINEERING_WOMEN_OFFER_FACTOR, adv)
        u = rng.random(n)
        lo, hi = DELAY_DAYS[step]
        when = entered[:, step] + rng.integers(lo, hi, n)
        advance = open_ & (u < adv)
        withdraw = open_ & ~advance & (u < adv + WITHDRAW[step])
        reject = open_ & ~advance & ~withdraw
        entered[advance, step + 1] = when[advance]
        status[withdraw], decided[withdraw] = 2, when[withdraw]
        status[reject], decided[reject] = 1, when[reject]
        open_ &= advance
    status[open_], decided[open_] = 0, entered[open_, 4]
    # Cut at the as-of date: later stages and decisions have not happened yet.
    entered[entered > c.AS_OF] = c.NO_DAY
    status[decided > c.AS_OF] = 3
    return entered, status


def write_recruiting(out_dir, rng: np.random.Generator, n_apps: int, hires_per_month: np.ndarray) -> dict[str, int]:
    n_req = max(1, -(-n_apps // APPLICATIONS_PER_REQUISITION))
    opened, req_dept, req_level = _requisitions(rng, n_req, hires_per_month)
    req = rng.integers(0, n_req, n_apps)
    applied = np.minimum(opened[req] + np.minimum(rng.exponential(12, n_apps).astype(np.int64), 60), c.AS_OF)
    order = np.lexsort([req, applied])  # application ids follow the application date
    req, applied = req[order], applied[order]
    dept, level = req_dept[req], req_level[req]
    cand, answers = _candidates(rng, dept)
    source = rng.choice(len(SOURCES), size=n_apps, p=SOURCE_P)
    gender = answers["gender"][cand]
    entered, status = _funnel(rng, applied, source, (dept == 0) & (gender == wf.WOMAN))

    width = max(7, len(str(n_apps)))

    def applications(lo, hi):
        who = cand[lo:hi]
        return {
            "application_id": c.ids("A", np.arange(lo, hi) + 1, width),
            "candidate_id": c.ids("C", who + 1, width),
            "requisition_id": c.ids("R", req[lo:hi] + 1, max(5, len(str(n_req)))),
            "applied_date": c.dates(applied[lo:hi]),
            "source": c.labels(source[lo:hi], SOURCES),
            "department": c.labels(dept[lo:hi], wf.DEPARTMENTS),
            "job_level": c.labels(level[lo:hi], wf.LEVELS),
            "gender": c.labels(gender[lo:hi], wf.GENDERS),
            "race_ethnicity": c.labels(answers["race"][who], wf.RACES),
            "disability": c.labels(answers["disability"][who], wf.YES_NO),
            "veteran": c.labels(answers["veteran"][who], wf.VETERAN),
            "status": c.labels(status[lo:hi], STATUSES),
        }

    counts = {"recruiting/applications.csv": c.write_rows(out_dir, "recruiting__applications", n_apps, applications)}

    app_idx, stage_idx = np.nonzero(entered != c.NO_DAY)  # row-major: application, then stage order

    def stages(lo, hi):
        a, s = app_idx[lo:hi], stage_idx[lo:hi]
        return {
            "application_id": c.ids("A", a + 1, width),
            "stage": c.labels(s, STAGES),
            "entered_date": c.dates(entered[a, s]),
        }

    counts["recruiting/application_stages.csv"] = c.write_rows(
        out_dir, "recruiting__application_stages", len(app_idx), stages
    )
    return counts
