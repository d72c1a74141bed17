"""Counts: additivity, the one zero-division rule, micro and macro averages (hand-computed)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.metrics.counts import Counts, f1, macro, macro_f1_of, mean_last_axis, micro, ratio


def test_counts_add_and_sum() -> None:
    assert Counts(1, 2, 3) + Counts(4, 5, 6) == Counts(5, 7, 9)
    assert micro([Counts(1, 0, 0), Counts(0, 1, 0), Counts(0, 0, 1)]) == Counts(1, 1, 1)
    assert micro([]) == Counts(0, 0, 0)


def test_precision_recall_f1_hand_computed() -> None:
    counts = Counts(tp=371, fp=168, fn=88)  # conlleval's sample: 539 found, 459 gold
    assert counts.precision == pytest.approx(371 / 539)
    assert counts.recall == pytest.approx(371 / 459)
    assert counts.f1 == pytest.approx(2 * 371 / (2 * 371 + 168 + 88))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (Counts(0, 0, 0), (0.0, 0.0, 0.0)),  # nothing predicted, nothing to find
        (Counts(0, 0, 5), (0.0, 0.0, 0.0)),  # nothing predicted: precision 0 by the rule
        (Counts(0, 5, 0), (0.0, 0.0, 0.0)),  # nothing to find: recall 0 by the rule
        (Counts(2, 0, 0), (1.0, 1.0, 1.0)),
    ],
)
def test_zero_division_rule(counts: Counts, expected: tuple[float, float, float]) -> None:
    assert (counts.precision, counts.recall, counts.f1) == expected


def test_half_credit_counts() -> None:
    counts = Counts(tp=1.5, fp=0.5, fn=1.5)
    assert (counts.precision, counts.recall) == (0.75, 0.5)
    assert counts.f1 == pytest.approx(0.6)


def test_micro_differs_from_macro() -> None:
    per_type = [Counts(9, 1, 0), Counts(0, 0, 10)]
    pooled = micro(per_type)
    assert pooled.f1 == pytest.approx(18 / 29)
    averaged = macro(per_type)
    assert averaged.f1 == pytest.approx((18 / 19 + 0.0) / 2)
    assert averaged.precision == pytest.approx(0.45)
    assert averaged.recall == pytest.approx(0.5)
    assert macro([]).f1 == 0.0


def test_array_functions_match_counts() -> None:
    rows = [Counts(3, 1, 2), Counts(0, 0, 0), Counts(1, 4, 0)]
    totals = np.array([[c.tp, c.fp, c.fn] for c in rows], dtype=float)
    np.testing.assert_array_equal(f1(totals[:, 0], totals[:, 1], totals[:, 2]), [c.f1 for c in rows])
    assert float(macro_f1_of(totals.ravel())) == macro(rows).f1
    np.testing.assert_array_equal(ratio([1, 2, 0], [2, 0, 0]), [0.5, 0.0, 0.0])
    np.testing.assert_array_equal(mean_last_axis(np.array([[1.0, 2.0], [3.0, 5.0]])), [1.5, 4.0])
