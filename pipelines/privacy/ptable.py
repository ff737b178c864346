"""The perturbation table for counts: how far a published count may be from the true one.

A cell key u (0..255, see `keys`) picks the perturbation from the row of the table for the
cell's true count, as in the ONS cell-key method (ONSdigital/cell-key-perturbation): each
row is a cumulative distribution over 256 key values. Rows:

- count 0 stays 0 (an empty cell is published as empty; a hidden cell is not published);
- count 1 becomes 0, 1, 2 or 3 with probabilities 90, 102, 38, 26 in 256 (mean 1: unbiased);
- count >= 2 moves by -2, -1, 0, +1, +2 with probabilities 26, 51, 102, 51, 26 in 256
  (mean 0, variance 1.2: unbiased, and never below 0).

So a published count is within 2 of the truth, is the truth 40% of the time, and no single
published count says whether a person is in the cell: adding or removing one person changes
the key, and the perturbations of the two cells are independent.
"""

from __future__ import annotations

import numpy as np

MAX_PERTURBATION = 2
_ONE = ((0, 90), (1, 102), (2, 38), (3, 26))  # (published value, weight)
_MANY = ((-2, 26), (-1, 51), (0, 102), (1, 51), (2, 26))  # (perturbation, weight)


def _lookup(rows: tuple[tuple[int, int], ...]) -> np.ndarray:
    table = np.concatenate([np.full(weight, value) for value, weight in rows])
    assert table.size == 256, "a ptable row must cover all 256 key values"
    return table


ONE_LOOKUP = _lookup(_ONE)
MANY_LOOKUP = _lookup(_MANY)


def perturbed_counts(true: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Protected counts for true counts `true` (may be non-integer averages: the perturbation
    is added to them) and cell keys `keys` (0..255). NaN stays NaN."""
    true = np.asarray(true, dtype=float)
    u = np.asarray(keys, dtype=np.int64) % 256
    out = true + MANY_LOOKUP[u]
    ones = np.isclose(true, 1.0)
    out[ones] = ONE_LOOKUP[u[ones]]
    out[true <= 0] = true[true <= 0]  # zero stays zero
    below_one = (true > 0) & (true < 1) & ~ones  # an average headcount below one person
    out[below_one] = true[below_one]
    return np.maximum(out, 0.0)


def distribution(true_count: int) -> dict[int, float]:
    """{published value: probability} for a true count (documentation and tests)."""
    if true_count <= 0:
        return {0: 1.0}
    rows = _ONE if true_count == 1 else tuple((true_count + d, w) for d, w in _MANY)
    return {value: weight / 256 for value, weight in rows}
