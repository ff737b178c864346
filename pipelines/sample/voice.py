"""The annual inclusion survey: items, anonymous responses and invitation counts.

Responses carry no employee id and appear in random order: they cannot be joined back to people.
"""

from __future__ import annotations

import numpy as np

from . import _common as c
from . import workforce as wf
from .careers import Workforce
from .hr import jobs_on

WAVES = [("2024-inclusion", "2024-10-01"), ("2025-inclusion", "2025-10-01")]
ITEMS = [  # (item_id, text, construct, reverse_scored): two items per construct, two reverse-scored
    ("B1", "I feel I belong at Northwind Health.", "belonging", False),
    ("B2", "I often feel like an outsider on my team.", "belonging", True),
    ("F1", "Promotion decisions here are fair.", "fairness", False),
    ("F2", "People here are paid fairly for the work they do.", "fairness", False),
    ("V1", "I can voice a contrary opinion without fear of negative consequences.", "voice", False),
    ("V2", "When I raise a concern, something is done about it.", "voice", False),
    ("P1", "It is safe to take a risk on my team.", "psychological_safety", False),
    ("P2", "If you make a mistake on my team, it is often held against you.", "psychological_safety", True),
]
CONSTRUCTS = ["belonging", "fairness", "voice", "psychological_safety"]
# Chance an answer is favourable (4-5 on a normal item, 1-2 on a reverse-scored one), by construct,
# in the first wave; every construct gains WAVE_GAIN per later wave.
FAVOURABLE_P = np.array([0.70, 0.58, 0.64, 0.66])
WAVE_GAIN = 0.02
ASIAN_WOMEN_BELONGING_GAP = 0.20  # planted truth 6
RESPONSE_RATE = 0.60
SKIP_P = 0.04  # an item left unanswered: blank score
EXTRA_BLANK = 0.07  # answers left blank in the survey though known to HR
TENURE_BANDS = ["<1 year", "1-3 years", "3-5 years", "5+ years"]
TOKEN_HEX = 8
RESPONDENTS_PER_CHUNK = 50_000


def write_items(out_dir) -> int:
    return c.write_records(out_dir, "voice__items", ITEMS, [c.text, c.text, c.text, c.booleans])


def _tokens(rng, n: int, taken: np.ndarray) -> np.ndarray:
    """Random response ids (32-bit), unique within the file: a rare clash with this wave or an
    earlier one (`taken`) is redrawn."""
    tokens = rng.integers(0, 1 << (4 * TOKEN_HEX), n, dtype=np.uint64)
    while True:
        _, first = np.unique(tokens, return_index=True)
        clash = np.setdiff1d(np.arange(n), first)
        clash = np.union1d(clash, np.flatnonzero(np.isin(tokens, taken)))
        if not len(clash):
            return tokens
        tokens[clash] = rng.integers(0, 1 << (4 * TOKEN_HEX), len(clash), dtype=np.uint64)


def _scores(rng, favourable_p: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """Likert scores from P(favourable): favourable -> 4 or 5, otherwise 1, 2 or 3; reverse-scored
    items are mirrored (6 - score) so favourable means disagreeing. 0 = skipped."""
    n = favourable_p.shape
    fav = rng.random(n) < favourable_p
    high = np.where(rng.random(n) < 0.55, 4, 5)
    low = np.searchsorted([0.20, 0.55], rng.random(n), side="right") + 1  # 1: 20%, 2: 35%, 3: 45%
    score = np.where(fav, high, low)
    score = np.where(reverse, 6 - score, score)
    return np.where(rng.random(n) < SKIP_P, 0, score)


def _response_rows(survey_id, date, tokens, score, answers, dept, level, band) -> dict:
    """One row per respondent x item, items in ITEMS order."""
    k = len(ITEMS)
    row = np.repeat(np.arange(len(tokens)), k)
    return {
        "response_id": c.hex_tokens(tokens[row], TOKEN_HEX),
        "survey_id": c.text(np.full(len(row), survey_id, dtype=object)),
        "survey_date": c.text(np.full(len(row), date, dtype=object)),
        "item_id": c.text(np.tile(np.array([i[0] for i in ITEMS], dtype=object), len(tokens))),
        "score": c.integers(score.ravel(), mask=score.ravel() == 0),
        "gender": c.labels(answers["gender"][row], wf.GENDERS),
        "race_ethnicity": c.labels(answers["race"][row], wf.RACES),
        "disability": c.labels(answers["disability"][row], wf.YES_NO),
        "lgbtq": c.labels(answers["lgbtq"][row], wf.YES_NO),
        "department": c.labels(dept[row], wf.DEPARTMENTS),
        "job_level": c.labels(level[row], wf.LEVELS),
        "tenure_band": c.labels(band[row], TENURE_BANDS),
    }


def write_voice(out_dir, rng: np.random.Generator, w: Workforce) -> dict[str, int]:
    p = w.people
    construct = np.array([CONSTRUCTS.index(i[2]) for i in ITEMS])
    reverse = np.array([i[3] for i in ITEMS])
    counts = {"voice/items.csv": write_items(out_dir)}
    invited_rows = []
    taken = np.zeros(0, np.uint64)
    with c.CsvTable(out_dir, "voice__survey_responses") as out:
        for wave, (survey_id, date) in enumerate(WAVES):
            on = c.day(date)
            who, job = jobs_on(w, on)
            dept = w.history["dept"][job]
            invited_rows += [(survey_id, d, int(np.count_nonzero(dept == d))) for d in range(len(wf.DEPARTMENTS))]
            responding = rng.random(len(who)) < RESPONSE_RATE
            order = rng.permutation(np.flatnonzero(responding))  # random row order: no employee order leaks
            r, job = who[order], job[order]
            n = len(r)
            answers = {
                k: np.where(rng.random(n) < EXTRA_BLANK, -1, p[k][r]).astype(np.int8)
                for k in ("gender", "race", "disability", "lgbtq")
            }
            tenure = (on - p["hire_day"][r]) / 365.25
            band = np.searchsorted([1, 3, 5], tenure, side="right")
            # Truth 6 acts on who the person is (HR record), whatever they chose to disclose.
            asian_woman = (p["gender"][r] == wf.WOMAN) & (p["race"][r] == wf.ASIAN)
            fav = np.broadcast_to(FAVOURABLE_P[construct] + WAVE_GAIN * wave, (n, len(ITEMS))).copy()
            fav[np.ix_(asian_woman, construct == 0)] -= ASIAN_WOMEN_BELONGING_GAP
            score = _scores(rng, fav, reverse)
            tokens = _tokens(rng, n, taken)
            taken = np.concatenate([taken, tokens])
            for lo in range(0, n, RESPONDENTS_PER_CHUNK):
                hi = min(n, lo + RESPONDENTS_PER_CHUNK)
                out.write(
                    _response_rows(
                        survey_id,
                        date,
                        tokens[lo:hi],
                        score[lo:hi],
                        {k: v[lo:hi] for k, v in answers.items()},
                        w.history["dept"][job[lo:hi]],
                        w.history["level"][job[lo:hi]],
                        band[lo:hi],
                    )
                )
    counts["voice/survey_responses.csv"] = out.rows
    with c.CsvTable(out_dir, "voice__invited") as out:
        out.write(
            {
                "survey_id": c.text([r[0] for r in invited_rows]),
                "department": c.labels([r[1] for r in invited_rows], wf.DEPARTMENTS),
                "invited": c.integers([r[2] for r in invited_rows]),
            }
        )
    counts["voice/invited.csv"] = out.rows
    return counts
