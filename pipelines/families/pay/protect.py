"""Protection of the pay analyses outside compute() (decomposition, cohort review, remediation,
regression extras): the same keys, perturbation table and hiding rule as the long tables.

- Counts of people on the snapshot day are keyed exactly as compute() keys the `n` of
  `pay_gap_mean`, `pay_gap_median` and `adjusted_pay_gap` (one shared count, `pay_people`) for
  the year ending that day (same counted name, period, constraints and
  reduction to the smallest equivalent definition), so the decomposition, the cohort review and
  the pay-gap table publish one figure for the same people.
- Means of pay are `protected_magnitude(salt, "pay.mean", mean, n)`, the long tables' kind.
- Statistics that are differences of means (Oaxaca parts, t statistics) move by up to
  DERIVED_SPREAD times the largest change one person can make to them, keyed by the exact
  figure: differencing two published figures of populations one person apart leaves that
  person's contribution in noise of up to four times its largest possible size.

A `Protection` is None on the data owner's exact path (`--exact`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ...errors import UsageError
from ...privacy.cells import hidden_below_k, protected_counts  # noqa: F401  (re-exported)
from ...privacy.keys import cell_keys, read_salt, uniform
from ...privacy.protect import MAGNITUDE_SPREAD, PROTECTED_BELOW_K, VALUE_SPREAD, protected_magnitude  # noqa: F401
from ...metrics._published import EXACT_HINT

DERIVED_SPREAD = VALUE_SPREAD  # as model results: 2 x one person's largest effect
PEOPLE = "pay_people"  # the people with a salary on the period end (the pay metrics' shared n, pay.yml)


@dataclass(frozen=True)
class Protection:
    """What keys the published figures of one snapshot: the salt, the period whose end is the
    snapshot day, and the one-value filters (fixed constraints of every cell)."""

    salt: str
    period: tuple[str, str]
    filters: tuple[tuple[str, str], ...] = ()


def protection_for(con, date: dt.date, filters: dict | None) -> Protection:
    """The protection of a snapshot on `date`. Several values in one filter are refused: pay
    figures do not add up over filter values, and a filter that leaves out one person would
    give two versions of nearly the same population to subtract (issue 16's four totals)."""
    from ...metrics._engine import build_context
    from ...metrics._periods import make_periods

    many = [d for d, v in (filters or {}).items() if len(set(map(str, v))) > 1]
    if many:
        raise UsageError(
            f"pay analyses do not add up over several {', '.join(many)} values: choose one "
            f"value per filter, or {EXACT_HINT}"
        )
    ctx = build_context(con)
    years = make_periods("year", ctx["history_start"], ctx["as_of"], ctx["config"]["fiscal_year_start_month"])
    year = next((p for p in years if p.end == date and not p.is_partial), None)
    period = (str(year.start), str(year.end)) if year else (str(date), str(date))
    fixed = tuple(sorted((d, str(v[0])) for d, v in (filters or {}).items() if v))
    return Protection(read_salt(con), period, fixed)


def cell_counts(prot: Protection, frame: pd.DataFrame, columns: list[str], counted: str = PEOPLE) -> pd.DataFrame:
    """One row per combination of `columns` in `frame`: the columns, `n` (exact) and `n_p`
    (protected). Each cell is keyed by the smallest subset of its constraints that counts the
    same people (as compute() reduces a cell), plus the filters."""
    columns = list(columns)
    # as compute() writes a cell's values into its key: a missing value is empty text
    values = frame[columns].astype(object).where(frame[columns].notna(), "").astype(str)
    sizes = {
        sub: values.groupby([columns[j] for j in sub]).size().to_dict() if sub else {(): len(values)}
        for size in range(len(columns) + 1)
        for sub in combinations(range(len(columns)), size)
    }
    full = tuple(range(len(columns)))
    out = []
    for cell, n in sizes[full].items():
        cell = cell if isinstance(cell, tuple) else (cell,)
        chosen = full
        for size in range(len(columns)):
            hit = next((sub for sub in combinations(full, size) if sizes[sub].get(_key(cell, sub)) == n), None)
            if hit is not None:
                chosen = hit
                break
        constraints = sorted({(columns[j], cell[j]) for j in chosen} | set(prot.filters))
        out.append(
            {
                **dict(zip(columns, cell)),
                "n": int(n),
                "_definition": f"{prot.period[0]}|{prot.period[1]}|{';'.join(f'{d}={v}' for d, v in constraints)}|",
            }
        )
    table = pd.DataFrame(out, columns=[*columns, "n", "_definition"])
    table["n_p"] = (
        protected_counts(prot.salt, counted, list(table["_definition"]), table["n"])
        if len(table)
        else np.array([], dtype=float)
    )
    return table.drop(columns="_definition")


def _key(cell: tuple, sub: tuple):
    picked = tuple(cell[j] for j in sub)
    return picked[0] if len(picked) == 1 else picked


def protected_mean(prot: Protection, means, n) -> np.ndarray:
    """Mean hourly pay as the long tables publish it (same kind, same noise for the same mean)."""
    return protected_magnitude(prot.salt, "pay.mean", np.asarray(means, dtype=float), np.asarray(n, dtype=float))


def shifted(prot: Protection, kind: str, values, scale, spread: float = MAGNITUDE_SPREAD) -> np.ndarray:
    """values + spread x u x scale, u in [-1, 1) keyed by the exact value: `scale` is the
    largest change one person can make to the figure, so a difference of two published figures
    says next to nothing about the person who differs."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    # 10 significant digits, as protected_magnitude: the same figure summed in another order keeps its key
    u = uniform(cell_keys(prot.salt, [f"{kind}|{v:.10g}" for v in values]))
    return values + spread * u * np.broadcast_to(np.asarray(scale, dtype=float), values.shape)


def one_person_scale(*groups) -> float:
    """The largest change one person can make to a difference of the groups' means:
    max over groups of max |x - mean| / n (x: each member's value, e.g. ln hourly pay)."""
    out = 0.0
    for x in groups:
        x = np.asarray(x, dtype=float)
        if x.size:
            out = max(out, float(np.max(np.abs(x - x.mean()))) / x.size)
    return out
