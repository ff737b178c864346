"""Small-cell suppression shared by every metric, every output (CLI, dashboard, PDF).

Primary: a cell describing fewer than k people is suppressed.

Complementary: a breakdown's totals are always published (the `All` row and the same metric
by fewer dimensions: the margins of `gender|race_ethnicity` are the `gender` and the
`race_ethnicity` breakdowns). A *line* is a set of cells that differ in one dimension only,
together with its total (the cell with that dimension aggregated away). If a line held
exactly one suppressed cell, subtracting the published cells from the total would reveal
it, so the next-smallest cell of that line is suppressed too; so is it when the hidden cells
of a line add up to fewer than k people, or to one person per hidden cell (every listed cell
holds at least one person, so three hidden cells summing to 3 must each be 1). Lines alone are not enough
(two suppressed blocks joined by a single cell can still be solved), so a final audit
treats every line as a linear equation in the suppressed values and keeps suppressing
until no suppressed value is determined by the published ones (its unit vector is outside
the row space of the equations, i.e. its row of the null-space basis is non-zero).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

PRIMARY = "n<k"
COMPLEMENTARY = "suppressed so that another suppressed cell cannot be recovered from totals"


def _cell_keys(frame: pd.DataFrame, dims: list[str]) -> list[tuple]:
    """Per row, the dimension values with None for dimensions aggregated away (from _gid)."""
    gids = frame["_gid"].to_numpy()
    values = [frame[d].to_numpy() for d in dims]
    keys = []
    for i, gid in enumerate(gids):
        keys.append(tuple(None if (int(gid) >> (len(dims) - 1 - j)) & 1 else values[j][i] for j in range(len(dims))))
    return keys


def _lines(keys: list[tuple]) -> list[tuple[list[int], int | None]]:
    """Every line: (interior cell positions, position of its total or None)."""
    index = {key: i for i, key in enumerate(keys)}
    members: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for j, value in enumerate(key):
            if value is not None:
                members[(j, key[:j] + (None,) + key[j + 1 :])].append(i)
    return [(cells, index.get(total)) for (_, total), cells in members.items()]


def _equations(lines, sup: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """One row per line that holds a suppressed value: cells +1, the line's total -1."""
    col = {pos: c for c, pos in enumerate(unknown)}
    rows = []
    for cells, total in lines:
        row = np.zeros(unknown.size)
        for c in cells:
            if sup[c]:
                row[col[c]] = 1.0
        if total is not None and sup[total]:
            row[col[total]] = -1.0
        if row.any():
            rows.append(row)
    return np.vstack(rows) if rows else np.zeros((0, unknown.size))


def _pinned_at_one(matrix: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Suppressed values forced to their lower bound by the equations.

    A published row holds at least one person, so a reader knows each hidden value is >= 1;
    combined with the equations that can pin values (nine hidden cells whose sum is
    determined as 9 are all 1). Only a value that *is* 1 can be pinned at 1 (the truth t is
    feasible), so the question is, for each such value i, whether some direction d with
    A d = 0 that does not push any value-1 cell below 1 (d_T >= 0) has d_i > 0. The
    directions form a convex cone, so one direction can raise every raisable value at
    once: a single LP maximising sum(min(d_i, 1)) over the value-1 cells finds them all.
    """
    at_bound = truth <= 1.0 + 1e-9
    if not at_bound.any():
        return np.zeros(truth.size, dtype=bool)
    from scipy import sparse
    from scipy.optimize import linprog

    u, t = truth.size, int(at_bound.sum())
    pick = sparse.csr_matrix((np.ones(t), (np.arange(t), np.flatnonzero(at_bound))), shape=(t, u))
    # variables [d (u), s (t)]: maximise sum(s); s - d_T <= 0; 0 <= s <= 1; A d = 0
    a_ub = sparse.hstack([-pick, sparse.identity(t)], format="csr")
    a_eq = sparse.hstack([sparse.csr_matrix(matrix), sparse.csr_matrix((matrix.shape[0], t))], format="csr")
    scale = 10.0 * u  # room for a direction that lifts every raisable value to at least 1
    bounds = [(0, scale) if b else (-scale, scale) for b in at_bound] + [(0, 1)] * t
    res = linprog(
        np.concatenate([np.zeros(u), -np.ones(t)]),
        A_ub=a_ub,
        b_ub=np.zeros(t),
        A_eq=a_eq,
        b_eq=np.zeros(matrix.shape[0]),
        bounds=bounds,
        method="highs",
    )
    if not res.success:
        return np.zeros(u, dtype=bool)  # cannot tell: treat nothing as pinned by bounds
    pinned = np.zeros(u, dtype=bool)
    pinned[np.flatnonzero(at_bound)] = res.x[u:] < 1e-7
    return pinned


def _in_row_space(matrix: np.ndarray) -> np.ndarray:
    """Per column: is that unknown fixed by the equations? (its unit vector lies in the row
    space: the projection onto an orthonormal basis of that space has length 1)."""
    from scipy.linalg import qr

    if matrix.shape[0] == 0:
        return np.zeros(matrix.shape[1], dtype=bool)
    q, r, _ = qr(matrix.T, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > 1e-9 * max(matrix.shape) * (diag[0] if diag.size else 1.0)).sum())
    basis = q[:, :rank]
    return np.abs((basis * basis).sum(axis=1) - 1.0) < 1e-9


def _components(matrix: np.ndarray) -> list[np.ndarray]:
    """Groups of unknowns linked through shared equations (solved independently: much
    smaller problems than the whole table)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    incidence = csr_matrix(matrix != 0, dtype=float)
    adjacency = incidence.T @ incidence
    count, labels = connected_components(adjacency, directed=False)
    return [np.flatnonzero(labels == c) for c in range(count)]


def _determined(lines, sup: np.ndarray, n: np.ndarray) -> list[int]:
    """Suppressed positions whose value follows from the published figures: pinned at the
    lower bound, or fixed by the linear line equations."""
    unknown = np.flatnonzero(sup)
    if unknown.size == 0:
        return []
    matrix = _equations(lines, sup, unknown)
    if matrix.shape[0] == 0:
        return []
    truth = np.maximum(n[unknown], 1.0)
    determined: list[int] = []
    for cols in _components(matrix):
        rows = np.flatnonzero(np.abs(matrix[:, cols]).sum(axis=1) > 0)
        if rows.size == 0:
            continue  # an unknown in no equation: nothing constrains it
        sub = matrix[np.ix_(rows, cols)]
        pinned = _pinned_at_one(sub, truth[cols])
        determined += [int(unknown[c]) for c in cols[pinned]]
        free = cols[~pinned]
        reduced = sub[:, ~pinned]
        reduced = reduced[np.abs(reduced).sum(axis=1) > 0]
        if reduced.shape[0]:
            determined += [int(unknown[c]) for c in free[_in_row_space(reduced)]]
    return determined


def _smallest(candidates: list[int], n: np.ndarray, labels: list[str]) -> int | None:
    return min(candidates, key=lambda i: (n[i], labels[i])) if candidates else None


def _protect(lines, sup, n, labels, reason, k) -> None:
    """Add complementary suppressions until no suppressed value is recoverable."""
    while True:
        changed = False
        for cells, total in lines:
            hidden = [c for c in cells if sup[c]]
            # one hidden cell = total minus the rest. Several hidden cells are still too
            # narrow when together they hold fewer than k people, or exactly one person each
            # (every listed cell holds at least one, so m cells summing to m are all 1).
            people = sum(max(n[c], 0) for c in hidden)
            if not hidden or (len(hidden) > 1 and people >= max(k, len(hidden) + 1)):
                continue
            pick = _smallest([c for c in cells if not sup[c]], n, labels)
            if pick is None and total is not None and not sup[total]:
                pick = total  # a one-cell line: its total equals the hidden cell
            if pick is not None:
                sup[pick], reason[pick], changed = True, COMPLEMENTARY, True
        if changed:
            continue
        handled: set[int] = set()
        for pos in _determined(lines, sup, n):
            touching = [(cells, total) for cells, total in lines if pos in cells or pos == total]
            pick = _smallest([c for cells, _ in touching for c in cells if not sup[c]], n, labels)
            if pick is None:
                pick = _smallest([t for _, t in touching if t is not None and not sup[t]], n, labels)
            if pick is None:  # the constraint runs through other lines: widen the frontier
                frontier = {
                    c
                    for cells, total in lines
                    if any(sup[x] for x in cells)
                    for c in cells + ([total] if total is not None else [])
                    if not sup[c]
                }
                pick = _smallest(sorted(frontier), n, labels)
            if pick is not None and pick not in handled:
                # one complement per determined cell, then audit again (fewer LP rounds)
                sup[pick], reason[pick], changed = True, COMPLEMENTARY, True
                handled.add(pick)
        if not changed:
            return


def _canonical_order(sub: pd.DataFrame, dims: list[str], positions: np.ndarray) -> np.ndarray:
    """`positions` sorted by cell (level, then dimension values). Where several cells tie as
    the next complementary suppression, the first line examined wins; in a canonical order
    the choice depends only on the table, not on the order the SQL engine returned its rows
    (DuckDB and Spark return GROUP BY CUBE rows in different orders)."""
    keys = _cell_keys(sub, dims)
    rank = sorted(
        range(len(keys)), key=lambda i: (int(sub["_gid"].iat[i]), tuple("" if v is None else str(v) for v in keys[i]))
    )
    return np.asarray(positions)[rank]


def suppression_mask(
    frame: pd.DataFrame, dims: list[str], k: int, partition: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(suppressed, reason) arrays for the rows of `frame` (columns: period, dims, _gid, n).

    Each partition (by default each period; metrics with extra key columns such as a funnel
    stage add them) is one separate set of tables with its own totals.
    """
    n = pd.to_numeric(frame["n"], errors="coerce").to_numpy(dtype=float)
    sup = ~(n >= k)  # NaN n counts as too small
    reason = np.where(sup, PRIMARY, None).astype(object)
    if not dims or len(frame) == 0:
        return sup, reason
    n_filled = np.nan_to_num(n, nan=-1.0)
    groups = frame.groupby(partition or ["period_start"], sort=False, dropna=False).indices
    # the audit solves many small dense problems: BLAS threads only add contention there
    with threadpool_limits(limits=1):
        for positions in groups.values():
            positions = _canonical_order(frame.iloc[positions], dims, positions)
            keys = _cell_keys(frame.iloc[positions], dims)
            labels = ["|".join("" if v is None else str(v) for v in key) for key in keys]
            local_sup, local_reason = sup[positions].copy(), reason[positions].copy()
            _protect(_lines(keys), local_sup, n_filled[positions], labels, local_reason, k)
            sup[positions], reason[positions] = local_sup, local_reason
    return sup, reason
