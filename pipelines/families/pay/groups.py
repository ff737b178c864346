"""Who is compared with whom in pay metrics, and which groups may be published.

A breakdown dimension either *defines groups* (gender, race/ethnicity, ...: "compared"
dimensions, each with a reference group) or *stratifies* (department, job level, ...:
`pay.within_dimensions`). The reference of a cell keeps its stratifying values and puts every
compared dimension at its reference: Woman|Black or African American is compared with
Man|White, Woman|Engineering with Man|Engineering. A cell with no compared dimension (the
overall row, or a department margin) has no gap.

Reference group of a compared dimension: `reference_groups[dim]` when configured; else
`pay.default_reference[dim]` (Man for gender) when that value occurs; else the largest group
over all the periods asked for (ties: alphabetical), so the reference does not switch between
years.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...metrics._suppression import suppression_mask
from ...config import setting


def split_dims(dims, config: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(compared, within) dimensions, each in the requested order."""
    within = set(setting(config, "pay.within_dimensions") or [])
    return [d for d in dims if d not in within], [d for d in dims if d in within]


def reference_values(frame: pd.DataFrame, dims, config: dict[str, Any]) -> dict[str, str]:
    """{compared dimension: reference value} for the population in `frame`."""
    compared, _ = split_dims(dims, config)
    configured = setting(config, "reference_groups") or {}
    defaults = setting(config, "pay.default_reference") or {}
    refs = {}
    for dim in compared:
        counts = frame[dim].value_counts()
        if dim in configured:
            refs[dim] = str(configured[dim])
        elif dim in defaults and defaults[dim] in counts.index:
            refs[dim] = str(defaults[dim])
        elif len(counts):
            top = counts.max()
            refs[dim] = sorted(str(v) for v in counts.index[counts == top])[0]
    return refs


def subsets(dims) -> list[tuple[int, list[str]]]:
    """(_gid, present dimensions) for every subset of `dims` (GROUPING bit set = aggregated away)."""
    n = len(dims)
    out = []
    for gid in range(1 << n):
        present = [d for j, d in enumerate(dims) if not (gid >> (n - 1 - j)) & 1]
        out.append((gid, present))
    return out


def reference_key(values: tuple, present: list[str], refs: dict[str, str]) -> tuple | None:
    """The reference cell of a cell (None when no compared dimension is present)."""
    if not any(d in refs for d in present):
        return None
    return tuple(refs.get(d, v) if d in refs else v for d, v in zip(present, values))


def label(values, present: list[str]) -> str:
    return "|".join(str(v).replace("|", "/") for v in values) if present else "All"


def cube_counts(frame: pd.DataFrame, dims: list[str], partition: list[str]) -> pd.DataFrame:
    """People per cell for every subset of `dims` within each partition (for suppression)."""
    parts = []
    for gid, present in subsets(dims):
        counts = frame.groupby(partition + present, dropna=False, sort=True).size().rename("n").reset_index()
        for d in dims:
            if d not in present:
                counts[d] = None
        counts["_gid"] = gid
        parts.append(counts)
    return pd.concat(parts, ignore_index=True)


def published_cells(
    frame: pd.DataFrame, dims: list[str], k: int, partition: list[str], protection=None, counted: str | None = None
) -> pd.DataFrame:
    """Cube counts with `suppressed`, for outputs built outside the engine (models, cohorts,
    decompositions, cost curves). Exact path (`protection` None, the data owner's `--exact`):
    the same primary and complementary rule as compute(). Protected path (a
    protect.Protection): `n` is the protected count of the cell, keyed like compute()'s
    (`counted` names what is counted; partition columns starting with "_" are not constraints),
    hidden iff it is below k, and no complementary suppression (docs/privacy.md)."""
    cells = cube_counts(frame, dims, partition)
    if protection is None:
        cells["suppressed"], cells["reason"] = suppression_mask(cells, dims, k, partition)
        return cells
    from .protect import PEOPLE, PROTECTED_BELOW_K, cell_counts, hidden_below_k

    keyed = [c for c in partition if not c.startswith("_")]
    protected = []
    for gid, present in subsets(dims):
        part = cells[cells["_gid"] == gid]
        table = cell_counts(protection, frame, keyed + present, counted or PEOPLE)
        lookup = {tuple(r[:-2]): r[-1] for r in table[keyed + present + ["n", "n_p"]].itertuples(index=False)}
        protected += [
            lookup[tuple("" if pd.isna(v) else str(v) for v in r)]
            for r in part[keyed + present].itertuples(index=False)
        ]
    cells = cells.sort_values("_gid", kind="stable").reset_index(drop=True)
    cells["n"] = protected
    hidden = hidden_below_k(cells["n"], k)
    cells["suppressed"], cells["reason"] = hidden, [PROTECTED_BELOW_K if h else None for h in hidden]
    return cells
