"""What difference a split can resolve: the minimum detectable difference of a paired comparison.

A paired bootstrap gives the interval of the difference between two runs on the same articles. Read as a
normal approximation, its half-width is ``z * SE`` with ``z`` the two-sided quantile of the confidence, so
``SE = (high - low) / (2 z)``. A true difference ``d`` is found significant (two-sided, at level
``1 - confidence``) with probability ``power`` when ``d >= (z + z_power) * SE``: that is the minimum
detectable difference (MDD). At 95 % and 80 % power it is 2.80 SE, 1.43 times the interval's half-width.
The MDD describes the data and the pair of runs it was estimated from; tables report the median over the
pairs they test, so a reader knows which differences the column can tell apart at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist, median

DEFAULT_POWER = 0.8


def detectable_difference(
    ci_low: float, ci_high: float, confidence: float, power: float = DEFAULT_POWER
) -> float:
    """The MDD of one paired comparison from its bootstrap interval of the difference."""
    if not 0 < confidence < 1 or not 0 < power < 1:
        raise ValueError(f"confidence and power must lie in (0, 1), got {confidence} and {power}")
    if ci_high < ci_low:
        raise ValueError(f"an interval [{ci_low}, {ci_high}] with its ends reversed")
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    return (z + NormalDist().inv_cdf(power)) * (ci_high - ci_low) / (2 * z)


def column_mdd(
    intervals: Sequence[tuple[float, float]], confidence: float, power: float = DEFAULT_POWER
) -> float:
    """The median MDD over the paired comparisons of one column (None-free intervals of differences)."""
    if not intervals:
        raise ValueError("no paired comparison to estimate a detectable difference from")
    return median(detectable_difference(low, high, confidence, power) for low, high in intervals)
