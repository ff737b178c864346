"""UK/EU pay quartiles: employees ranked by hourly pay, split into four equal-count bands.

Leftovers: with n not divisible by 4 the bands hold n // 4 people each and the remaining one
to three go to the lower band, then the upper, then the lower middle (the order BC pay
transparency uses: Q1, Q4, Q2, Q3), so band sizes never differ by more than one.

Ties: people with the same hourly pay form one block of consecutive ranks. Where a block
straddles a band boundary, every member of the block counts in each band by the share of the
block's ranks that fall in it (a block of 4 with 1 rank in Q1 and 3 in Q2 puts 1/4 of each
member in Q1), i.e. the people on that rate are split across the bands in proportion (GOV.UK
guidance). Group counts per band can therefore be fractional, and the result does not depend
on the order of the input rows.
"""

from __future__ import annotations

import numpy as np

QUARTILES = ("Q1 lower", "Q2 lower middle", "Q3 upper middle", "Q4 upper")
LEFTOVER_ORDER = (0, 3, 1, 2)


def quartile_sizes(n: int) -> list[int]:
    sizes = [n // 4] * 4
    for i in range(n % 4):
        sizes[LEFTOVER_ORDER[i]] += 1
    return sizes


def quartile_weights(pay) -> np.ndarray:
    """(n, 4) array: how much of each person counts in each band (rows sum to 1)."""
    pay = np.asarray(pay, dtype=float)
    n = pay.size
    weights = np.zeros((n, 4))
    if n == 0:
        return weights
    bounds = np.concatenate([[0], np.cumsum(quartile_sizes(n))])
    values, inverse, counts = np.unique(pay, return_inverse=True, return_counts=True)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])  # first rank of each tie block
    ends = starts + counts
    for q in range(4):
        overlap = np.clip(np.minimum(ends, bounds[q + 1]) - np.maximum(starts, bounds[q]), 0, None)
        weights[:, q] = (overlap / counts)[inverse]
    return weights
