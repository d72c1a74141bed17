"""The minimum detectable difference against an independent simulation of paired tests."""

from __future__ import annotations

import numpy as np
import pytest

from bench.metrics.power import column_mdd, detectable_difference


def test_mdd_at_95_and_80_is_2_80_standard_errors() -> None:
    # A 95 % interval of half-width 1.96 has SE 1; z_0.975 + z_0.8 = 1.960 + 0.842.
    assert detectable_difference(-1.959964, 1.959964, 0.95) == pytest.approx(2.8016, abs=1e-3)
    assert detectable_difference(0.1, 0.1, 0.95) == 0.0


def test_a_true_difference_of_one_mdd_is_found_four_times_in_five() -> None:
    """Simulate paired studies whose difference estimate is normal with SE 1 and mean = the MDD: the share
    of studies whose 95 % interval excludes 0 must be the power, 0.8 (an independent check of the formula)."""
    mdd = detectable_difference(-1.959964, 1.959964, 0.95)
    rng = np.random.default_rng(0)
    estimates = rng.normal(mdd, 1.0, 200_000)
    share = float(np.mean(np.abs(estimates) > 1.959964))
    assert share == pytest.approx(0.8, abs=0.005)


def test_column_mdd_is_the_median_and_refuses_bad_input() -> None:
    intervals = [(-1.0, 1.0), (-2.0, 2.0), (0.0, 6.0)]
    assert column_mdd(intervals, 0.95) == pytest.approx(detectable_difference(-2.0, 2.0, 0.95))
    with pytest.raises(ValueError):
        column_mdd([], 0.95)
    with pytest.raises(ValueError):
        detectable_difference(1.0, -1.0, 0.95)
    with pytest.raises(ValueError):
        detectable_difference(-1.0, 1.0, 1.5)
