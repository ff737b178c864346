"""Accounts-payable transactions, streamed month by month (tens of millions of rows fit in
bounded memory), plus the diverse-spend shares that planted truth 4 documents.
"""

from __future__ import annotations

import numpy as np

from . import _common as c
from . import workforce as wf
from .procurement import CATEGORIES, LAPSED_SUPPLIERS, NOT_ADDRESSABLE, Suppliers, supplier_ids

CREDIT_P = 0.015  # credit notes: negative amounts, netted by the metrics
BLANK_ADDRESSABLE_P = 0.30  # addressable rows often leave the flag blank (blank means true)
SPEND_GROWTH = 0.04  # transactions a year grow 4%
MAX_CHUNK = 1_000_000
DAY_BITS = 21  # supplier * 2**21 + day: a sortable (supplier, day) key


def _coverage(intervals: list[tuple[int, int, int]]):
    """Merged validity windows as sorted (start key, end key) arrays, for vectorised look-ups."""
    merged: list[list[int]] = []
    for s, a, b in sorted(intervals):
        b = min(b, (1 << DAY_BITS) - 1)
        if merged and merged[-1][0] == s and a <= merged[-1][2] + 1:
            merged[-1][2] = max(merged[-1][2], b)
        else:
            merged.append([s, a, b])
    m = np.array(merged, dtype=np.int64).reshape(-1, 3)
    return (m[:, 0] << DAY_BITS) + m[:, 1], (m[:, 0] << DAY_BITS) + m[:, 2]


def _covered(coverage, supplier: np.ndarray, days: np.ndarray) -> np.ndarray:
    starts, ends = coverage
    if not len(starts):
        return np.zeros(len(supplier), bool)
    key = (supplier.astype(np.int64) << DAY_BITS) + days
    i = np.searchsorted(starts, key, side="right") - 1
    return (i >= 0) & (key <= ends[np.maximum(i, 0)])


def diverse_coverages(sup: Suppliers):
    """(actual, as if the planted lapsed certifications had been renewed to the end)."""
    diverse = set(c.diverse_certifications())
    actual = [(s, a, b) for s, cert, _, a, b in sup.certs if cert in diverse]
    lapsed = {n - 1 for n in LAPSED_SUPPLIERS}
    renewed = actual + [(s, a, c.NO_DAY) for s, a, b in actual if s in lapsed]
    return _coverage(actual), _coverage(renewed)


def write_spend(out_dir, rng: np.random.Generator, sup: Suppliers, rows: int, fx: dict) -> tuple[int, dict]:
    months = np.arange(c.WINDOW_MONTH, c.LAST_MONTH + 1)
    p_month = (1 + SPEND_GROWTH) ** ((months - c.WINDOW_MONTH) / 12)
    per_month = rng.multinomial(rows, p_month / p_month.sum())
    cum_weight = np.cumsum(sup.weight)
    eur = fx["EUR"][months - c.FIRST_MONTH]
    actual_cov, renewed_cov = diverse_coverages(sup)
    years = np.arange(1970 + c.WINDOW_MONTH // 12, 1970 + c.LAST_MONTH // 12 + 1)
    totals = {k: np.zeros(len(years)) for k in ("addressable", "diverse", "diverse_if_renewed")}
    width = max(6, len(str(rows)))  # T000001; wider only beyond a million rows
    written = 0
    with c.CsvTable(out_dir, "procurement__spend") as out:
        for i, m in enumerate(months):
            for lo in range(0, per_month[i], MAX_CHUNK):
                n = min(MAX_CHUNK, per_month[i] - lo)
                ms = int(c.month_start(m))
                days = np.sort(ms + rng.integers(0, int(c.month_start(m + 1)) - ms, n))
                s = np.minimum(np.searchsorted(cum_weight, rng.random(n) * cum_weight[-1], side="right"), sup.count - 1)
                amount = sup.typical[s] * rng.lognormal(0, 0.8, n)
                credit = rng.random(n) < CREDIT_P
                amount = np.where(credit, -amount * rng.uniform(0.05, 0.5, n), amount)
                cents = np.rint(amount * 100).astype(np.int64)
                category = sup.category[s]
                addressable = ~np.isin(category, NOT_ADDRESSABLE)
                blank_flag = addressable & (rng.random(n) < BLANK_ADDRESSABLE_P)
                unit = wf.draw_departments(rng, n)
                out.write(
                    {
                        "transaction_id": c.ids("T", written + np.arange(n) + 1, width),
                        "supplier_id": supplier_ids(s, sup.count),
                        "transaction_date": c.dates(days),
                        "amount": c.fixed(cents, 2),
                        "currency": c.labels(sup.euro[s].astype(np.int8), ["USD", "EUR"]),
                        "category": c.labels(category, CATEGORIES),
                        "business_unit": c.labels(unit, wf.DEPARTMENTS),
                        "addressable": c.booleans(addressable, mask=blank_flag),
                    }
                )
                written += n
                # Truth 4 bookkeeping, in USD at the month's written rate, addressable rows only.
                usd = cents / 100 * np.where(sup.euro[s], eur[i], 1.0) * addressable
                y = (1970 + m // 12) - years[0]
                totals["addressable"][y] += usd.sum()
                totals["diverse"][y] += usd[_covered(actual_cov, s, days)].sum()
                totals["diverse_if_renewed"][y] += usd[_covered(renewed_cov, s, days)].sum()
    shares = {
        int(year): {
            "addressable_usd": round(float(totals["addressable"][k]), 2),
            "diverse_share": round(float(totals["diverse"][k] / totals["addressable"][k]), 4),
            "diverse_share_if_renewed": round(float(totals["diverse_if_renewed"][k] / totals["addressable"][k]), 4),
        }
        for k, year in enumerate(years)
        if totals["addressable"][k]
    }
    return int(written), shares
