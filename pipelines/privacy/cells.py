"""Protection for family analyses outside compute()'s long tables (curves, decompositions,
cohort reviews, comparisons): the same keys, perturbation table and hiding rule.

    salt = read_salt(con)
    n_p = protected_counts(salt, "retention.at_risk", definitions, n)   # definitions: one string per cell
    mean_p = protected_magnitude(salt, "pay.mean", means, n)
    hidden = hidden_below_k(n_p, k)

A definition names the people counted, canonically: what is counted, the period, and the
sorted dimension=value constraints (use `definition(...)`), so the same people asked through
any route get the same key.
"""

from __future__ import annotations

import numpy as np

from .keys import cell_keys, read_salt  # noqa: F401  (re-exported for families)
from .protect import PROTECTED_BELOW_K, protected_magnitude  # noqa: F401
from .ptable import perturbed_counts


def definition(counted: str, period: str, constraints: dict[str, object] | None = None) -> str:
    """The canonical definition string of a cell."""
    parts = ";".join(f"{d}={v}" for d, v in sorted((constraints or {}).items()) if v is not None)
    return f"{counted}|{period}|{parts}"


def protected_counts(salt: str, counted: str, definitions: list[str], values) -> np.ndarray:
    """Protected counts for cells named by `definitions` (prefixed with `counted`)."""
    labels = [f"{counted}|{d}" for d in definitions]
    keys = cell_keys(salt, labels) % np.uint64(256)
    return perturbed_counts(np.asarray(values, dtype=float), keys)


def hidden_below_k(protected_n, k: int) -> np.ndarray:
    """The one hiding rule of published output: protected count below k (NaN is hidden)."""
    return ~(np.asarray(protected_n, dtype=float) >= k)
