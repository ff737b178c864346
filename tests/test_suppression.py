"""Primary and complementary suppression, checked by attacking the published table:
(1) the subtraction attack a reader can do by hand (solve any line with one unknown,
repeat), and (2) brute force over every non-negative integer completion of small tables."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from pipelines.metrics._suppression import COMPLEMENTARY, PRIMARY, suppression_mask

DIMS = ["gender", "race"]


def lattice(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """All cells of a 2-D count table plus both margins and the total, as compute_exact() returns
    them (_gid bit set = dimension aggregated away)."""
    rows = []
    for (g, r), n in counts.items():
        rows.append({"gender": g, "race": r, "_gid": 0, "n": n})
    for g in sorted({g for g, _ in counts}):
        rows.append({"gender": g, "race": None, "_gid": 1, "n": sum(v for (a, _), v in counts.items() if a == g)})
    for r in sorted({r for _, r in counts}):
        rows.append({"gender": None, "race": r, "_gid": 2, "n": sum(v for (_, b), v in counts.items() if b == r)})
    rows.append({"gender": None, "race": None, "_gid": 3, "n": sum(counts.values())})
    df = pd.DataFrame(rows)
    df["period_start"] = "2024-01-01"
    return df


def subtraction_attack(df: pd.DataFrame, hidden: np.ndarray) -> dict[int, float]:
    """What a reader recovers by repeatedly solving 'total = sum of cells' lines that have
    exactly one unknown (cells or total). Returns {row position: recovered value}."""
    known = {i: df["n"].iat[i] for i in range(len(df)) if not hidden[i]}
    lines = []
    cells = df[df["_gid"] == 0]
    for g in cells["gender"].unique():
        members = list(cells.index[cells["gender"] == g])
        total = df.index[(df["_gid"] == 1) & (df["gender"] == g)][0]
        lines.append((members, total))
    for r in cells["race"].unique():
        members = list(cells.index[cells["race"] == r])
        total = df.index[(df["_gid"] == 2) & (df["race"] == r)][0]
        lines.append((members, total))
    grand = df.index[df["_gid"] == 3][0]
    lines.append((list(df.index[df["_gid"] == 1]), grand))
    lines.append((list(df.index[df["_gid"] == 2]), grand))
    recovered: dict[int, float] = {}
    progress = True
    while progress:
        progress = False
        for members, total in lines:
            unknown = [m for m in members + [total] if m not in known]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            s = sum(known[m] for m in members if m in known)
            known[u] = (known[total] - s) if u != total else s
            recovered[u] = known[u]
            progress = True
    return {i: v for i, v in recovered.items() if hidden[i]}


def test_primary_suppression_marks_every_cell_below_k():
    df = lattice({("W", "A"): 12, ("W", "B"): 3, ("M", "A"): 20, ("M", "B"): 9})
    sup, why = suppression_mask(df, DIMS, k=5)
    w_b = df.index[(df["gender"] == "W") & (df["race"] == "B") & (df["_gid"] == 0)][0]
    assert sup[w_b] and why[w_b] == PRIMARY
    assert all(sup[i] for i in range(len(df)) if df["n"].iat[i] < 5)


def test_one_hidden_cell_in_a_line_gets_a_complement():
    df = lattice({("W", "A"): 12, ("W", "B"): 3, ("M", "A"): 20, ("M", "B"): 9})
    sup, why = suppression_mask(df, DIMS, k=5)
    # row W: hidden B(3) -> complement W|A (the only other cell); column B: hidden W(3) -> M|B
    m_b = df.index[(df["gender"] == "M") & (df["race"] == "B") & (df["_gid"] == 0)][0]
    w_a = df.index[(df["gender"] == "W") & (df["race"] == "A") & (df["_gid"] == 0)][0]
    assert sup[m_b] and why[m_b] == COMPLEMENTARY
    assert sup[w_a] and why[w_a] == COMPLEMENTARY
    assert subtraction_attack(df, sup) == {}


def test_margins_are_never_recoverable_either():
    # a 1-D margin cell below k (Non-binary, 2 people) must not follow from All - others
    df = lattice({("W", "A"): 30, ("M", "A"): 40, ("X", "A"): 2, ("W", "B"): 25, ("M", "B"): 22})
    sup, _ = suppression_mask(df, DIMS, k=5)
    x_margin = df.index[(df["gender"] == "X") & (df["_gid"] == 1)][0]
    assert sup[x_margin]
    assert subtraction_attack(df, sup) == {}


def test_bridge_between_two_hidden_blocks_is_caught_by_the_audit():
    # Two 2x2 blocks of small cells joined through one row: each line has >= 2 hidden
    # cells, yet the bridging cell could be solved from sums of lines. The audit must
    # leave every hidden value undetermined.
    counts = {
        ("g1", "r1"): 1,
        ("g1", "r2"): 1,
        ("g2", "r1"): 1,
        ("g2", "r2"): 1,
        ("g2", "r3"): 1,
        ("g3", "r3"): 1,
        ("g3", "r4"): 1,
        ("g4", "r3"): 1,
        ("g4", "r4"): 1,
    }
    for g in ("g1", "g2", "g3", "g4"):
        counts[(g, "r5")] = 40
    for r in ("r1", "r2", "r3", "r4"):
        counts[("g5", r)] = 40
    counts[("g5", "r5")] = 40
    df = lattice(counts)
    sup, _ = suppression_mask(df, DIMS, k=3)
    assert subtraction_attack(df, sup) == {}
    assert_no_hidden_value_is_determined(df, sup)


def assert_no_hidden_value_is_determined(df, sup):
    """Integer programming (a method independent of the SVD audit): for every hidden value,
    minimise and maximise it over integer completions (each existing cell >= 1) that
    reproduce every published figure; it must have at least two possible values."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    cells = list(df.index[df["_gid"] == 0])
    member = np.array([[1.0 if _contains(df, i, j) else 0.0 for j in cells] for i in range(len(df))])
    published = [i for i in range(len(df)) if not sup[i]]
    target = df["n"].to_numpy(dtype=float)
    constraint = LinearConstraint(member[published], target[published], target[published])
    bounds = Bounds(np.ones(len(cells)), np.full(len(cells), 100 * target.max()))  # reader knows no cap
    integrality = np.ones(len(cells))
    for i in range(len(df)):
        if not sup[i]:
            continue
        lo = milp(member[i], constraints=constraint, bounds=bounds, integrality=integrality)
        hi = milp(-member[i], constraints=constraint, bounds=bounds, integrality=integrality)
        assert lo.success and hi.success
        assert round(-hi.fun) > round(lo.fun), f"hidden row {i} is pinned to {lo.fun}"


def _contains(df, i, j):
    """Does aggregate row i include cell row j?"""
    gid = df["_gid"].iat[i]
    return bool(
        (gid & 2 or df["gender"].iat[j] == df["gender"].iat[i]) and (gid & 1 or df["race"].iat[j] == df["race"].iat[i])
    )


@pytest.mark.parametrize("seed", range(12))
def test_random_small_tables_resist_both_attacks(seed):
    rng = random.Random(seed)
    genders, races = ["W", "M", "X"], ["A", "B", "C"]
    counts = {(g, r): rng.choice([1, 2, 3, 4, 6, 9, 15]) for g in genders for r in races if rng.random() > 0.15}
    df = lattice(counts)
    sup, _ = suppression_mask(df, DIMS, k=5)
    assert all(sup[i] for i in range(len(df)) if df["n"].iat[i] < 5)
    assert subtraction_attack(df, sup) == {}
    assert_no_hidden_value_is_determined(df, sup)


def test_three_dimensions_keep_every_line_protected():
    rng = np.random.default_rng(7)
    rows = []
    dims = ["a", "b", "c"]
    cells = {(a, b, c): int(rng.integers(1, 12)) for a in "xy" for b in "pqr" for c in "uv"}
    for mask in range(8):
        agg: dict[tuple, int] = {}
        for key, n in cells.items():
            k2 = tuple(None if (mask >> (2 - j)) & 1 else key[j] for j in range(3))
            agg[k2] = agg.get(k2, 0) + n
        rows += [{"a": k2[0], "b": k2[1], "c": k2[2], "_gid": mask, "n": n} for k2, n in agg.items()]
    df = pd.DataFrame(rows).assign(period_start="p")
    sup, _ = suppression_mask(df, dims, k=5)
    # every line (cells differing in one dimension, with its total) hides 0 or >= 2 cells
    for mask in range(7):
        level = df[df["_gid"] == mask]
        for j, d in enumerate(dims):
            if (mask >> (2 - j)) & 1:
                continue
            others = [x for x in dims if x != d and not (mask >> (2 - dims.index(x))) & 1]
            for _, grp in level.groupby(others, dropna=False) if others else [(None, level)]:
                hidden = sup[grp.index]
                assert hidden.sum() != 1
