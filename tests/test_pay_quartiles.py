"""Quartile assignment: leftover order and proportional tie splitting, checked by hand and
by invariance under every reordering of the input."""

from __future__ import annotations

import itertools

import numpy as np

from pipelines.families.pay.quartiles import quartile_sizes, quartile_weights


def test_leftovers_go_to_lower_then_upper_then_lower_middle():
    assert quartile_sizes(8) == [2, 2, 2, 2]
    assert quartile_sizes(9) == [3, 2, 2, 2]  # 1 extra -> Q1
    assert quartile_sizes(10) == [3, 2, 2, 3]  # 2 extra -> Q1, Q4
    assert quartile_sizes(11) == [3, 3, 2, 3]  # 3 extra -> Q1, Q4, Q2


def test_tie_straddling_a_boundary_is_split_in_proportion():
    # 6 people, sizes [2, 1, 1, 2]: ranks 0-1 Q1, 2 Q2, 3 Q3, 4-5 Q4.
    # pay 5, 7, 7, 7, 9, 9: the three 7s hold ranks 1-3, one rank in each of Q1, Q2, Q3, so
    # each of them counts 1/3 in Q1, Q2 and Q3; the 5 is all Q1 and the 9s all Q4.
    w = quartile_weights([7, 9, 5, 7, 9, 7])
    third = 1 / 3
    np.testing.assert_allclose(w[[0, 3, 5]], [[third, third, third, 0]] * 3)
    np.testing.assert_allclose(w[2], [1, 0, 0, 0])
    np.testing.assert_allclose(w[[1, 4]], [[0, 0, 0, 1]] * 2)
    np.testing.assert_allclose(w.sum(axis=0), quartile_sizes(6))


def test_group_counts_are_the_same_for_every_input_order():
    pay = [10, 20, 20, 20, 15, 30, 10, 40]
    women = np.array([0, 1, 0, 0, 1, 1, 1, 0], dtype=bool)
    expected = None
    for order in itertools.permutations(range(8)):
        order = list(order)
        w = quartile_weights(np.array(pay)[order])
        counts = w[women[order]].sum(axis=0)
        if expected is None:
            expected = counts
        np.testing.assert_allclose(counts, expected, atol=1e-12)
    # by hand: sizes 2 each; ranks 10 10 | 15 20 | 20 20 | 30 40. Women: one 10 (Q1), the 15
    # (Q2), one of the three 20s (ranks 3-5: 1/3 Q2, 2/3 Q3), the 30 (Q4)
    np.testing.assert_allclose(expected, [1, 1 + 1 / 3, 2 / 3, 1])
