"""Confidence intervals and paired significance tests, resampling articles.

Every metric is a ``Statistic``: per-article additive features (counts, sums) and a ``finish`` function of
their totals. A bootstrap sample is then a weighted sum (resample multiplicities @ features), so 1000 samples
of every headline metric cost one matrix product, not 1000 re-scorings.

Exactness: features are stored as integers (counts, or fixed point in units of 2**-32) and every total is
an exact integer, so it is independent of summation order, BLAS library and CPU; the same inputs give the
same bits. Weighted totals use float64 BLAS where that is provably exact (every partial sum an integer
below 2**53; larger features are split into 26-bit limbs first), which is ~100x faster than numpy's integer
matmul and needs no int64 copy of the features.

Tests (both two-sided, ``p`` includes the observed statistic: ``(1 + hits) / (1 + samples)``, so p > 0):
- paired bootstrap: resample articles, the same indices for both runs; hits are samples whose difference
  deviates from the observed one by at least the observed difference (the "shift" method).
- approximate randomization: swap the two runs' outputs on each article with probability 1/2; hits are
  permutations whose difference is at least as extreme as the observed one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

Floats = NDArray[np.float64]
Finish = Callable[[Floats], Floats]

FIXED_POINT = 2**32
# Totals are at most (articles x the largest per-article feature); keep them clear of int64 overflow.
_LIMIT = 2**62
# Differences equal in exact arithmetic can differ in the last bits after finish(); treat them as ties.
_TIE = 1e-12


@dataclass(frozen=True)
class Statistic:
    """A metric as per-article integer features ``units`` ``(n_articles, k)``, whose real values are
    ``units / scale``, and a function of their totals.

    Counts are kept as they are (``scale`` 1, or 2 for counts in halves) in the narrowest integer type that
    holds them; real values in fixed point (``scale`` FIXED_POINT, int64). Either way every total is an exact
    integer divided by a power of two, so the narrow storage changes no bit of any result, and a million
    articles' features fit in memory (a few bytes per count instead of eight).
    """

    units: NDArray[np.integer]
    scale: int
    finish: Finish

    @property
    def articles(self) -> int:
        return self.units.shape[0]

    @property
    def fixed(self) -> NDArray[np.int64]:
        """The features in fixed point (units of 2**-32), for tests that mix two runs' features."""
        return self.units.astype(np.int64) * (FIXED_POINT // self.scale)

    @cached_property
    def largest(self) -> int:
        """The largest feature magnitude, in units: bounds the partial sums of a weighted total."""
        return int(np.abs(self.units).max()) if self.units.size else 0

    def totals(self, weights: Weights | None = None) -> Floats:
        """Real-valued feature totals over all articles, or one row per row of article weights."""
        if weights is None:
            return self.units.sum(axis=0, dtype=np.int64) / self.scale
        return exact_product(weights, self.units, self.largest) / self.scale

    def value(self, weights: Weights | None = None) -> Floats:
        return self.finish(self.totals(weights))


@dataclass(frozen=True)
class Weights:
    """Rows of non-negative integer article weights (resample multiplicities, or 0/1 swaps) and a bound on
    each row's sum (the number of articles, for both)."""

    rows: NDArray[np.integer]
    row_total: int


# float64 represents every integer below 2**53 exactly; a product whose every partial sum stays below it is
# exact in any summation order (with or without fused multiply-add).
_EXACT = 2**53
_LIMB_BITS = 26
# Cells of weights (and of features) converted to float64 at a time: 8 MB each, whatever the corpus.
_SLAB_CELLS = 2**20


def _limbs(row_total: int, largest: int) -> int | None:
    """In how many limbs of 26 bits (1 or 2) the features must be split so that each limb's float64
    product is exact; None when two are not enough (the exact int64 product is used then)."""
    if row_total * largest < _EXACT:
        return 1
    if row_total * ((largest >> _LIMB_BITS) + 1) < _EXACT and row_total << _LIMB_BITS < _EXACT:
        return 2
    return None


def exact_product(weights: Weights, units: NDArray[np.integer], largest: int) -> NDArray[np.int64]:
    """``weights.rows @ units`` in exact int64 (``largest``: the largest magnitude in ``units``)."""
    limbs = _limbs(weights.row_total, largest)
    if limbs is None:
        return weights.rows.astype(np.int64) @ units.astype(np.int64)
    summed = np.zeros((weights.rows.shape[0], units.shape[1]), np.int64)
    step = max(1, _SLAB_CELLS // max(weights.rows.shape[0], units.shape[1], 1))  # articles a slab
    for begin in range(0, units.shape[0], step):
        rows = weights.rows[:, begin : begin + step].astype(np.float64)
        slab = units[begin : begin + step].astype(np.int64)
        # two limbs: low (masked, non-negative) + high << 26 (arithmetic shift, keeps the sign) == slab
        parts = (
            [(slab, 0)]
            if limbs == 1
            else [(slab & ((1 << _LIMB_BITS) - 1), 0), (slab >> _LIMB_BITS, _LIMB_BITS)]
        )
        for part, shift in parts:
            summed += (rows @ part.astype(np.float64)).astype(np.int64) << shift
    return summed


def real_features(features: ArrayLike) -> Features:
    """Real-valued per-article features on the fixed-point grid."""
    scaled = np.rint(np.asarray(features, dtype=np.float64) * FIXED_POINT)
    if scaled.ndim != 2:
        raise ValueError(f"features must be (articles, k), got shape {scaled.shape}")
    return fixed_features(scaled.astype(np.int64))


# Per-article integer features and their scale: what a ``Statistic`` is before its ``finish`` is chosen.
Features = tuple[NDArray[np.integer], int]


def fixed_features(units: NDArray[np.int64]) -> Features:
    """Features already in fixed point (``real_features(...)[0]``), checked for exact totals."""
    if units.size and len(units) * np.abs(units).max() >= _LIMIT:
        raise ValueError("per-article features too large for exact fixed-point totals")
    return units, FIXED_POINT


def count_features(counts: NDArray[np.integer], scale: int = 1) -> Features:
    """Per-article integer counts (``scale`` 2: counts of halves, e.g. 2 * tp), narrowed."""
    if counts.ndim != 2 or not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts must be integer (articles, k), got {counts.dtype} {counts.shape}")
    return narrow(counts), scale


def count_statistic(counts: NDArray[np.integer], finish: Finish, scale: int = 1) -> Statistic:
    """A ``Statistic`` from per-article integer counts (``scale`` 2: counts of halves, e.g. 2 * tp)."""
    return Statistic(*count_features(counts, scale), finish)


def narrow(counts: NDArray[np.integer]) -> NDArray[np.integer]:
    """``counts`` as int32 when every value fits (the common case), else int64."""
    limits = np.iinfo(np.int32)
    if counts.size == 0 or (counts.min() >= limits.min and counts.max() <= limits.max):
        return counts.astype(np.int32, copy=False)
    return counts.astype(np.int64, copy=False)


@dataclass(frozen=True)
class Interval:
    value: float
    ci_low: float | None
    ci_high: float | None

    def to_json(self) -> dict[str, float | None]:
        return {"value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high}


def resample_weights(articles: int, resamples: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``(resamples, articles)`` multiplicities of a with-replacement resample of the articles."""
    picks = rng.integers(0, articles, size=(resamples, articles))
    rows = np.arange(resamples)[:, None] * articles
    return np.bincount((picks + rows).ravel(), minlength=resamples * articles).reshape(resamples, articles)


# Multiplicities are drawn this many (resample x article) cells at a time (16 MB of int64, and as much again
# inside ``resample_weights``) and kept as uint8 in blocks of up to _BLOCK_CELLS (32 MB), so a million
# articles never hold the full (1000, 1e6) matrix (8 GB) and every pass over the features serves 33
# resamples, not 2. Rows drawn in blocks are the same numbers the generator gives in one call for all rows:
# results do not depend on either size.
_DRAW_CELLS = 2**21
_BLOCK_CELLS = 2**25


def weight_blocks(articles: int, resamples: int, seed: int) -> Iterator[Weights]:
    """``resample_weights(articles, resamples, default_rng(seed))``, in blocks of rows (uint8 unless a
    multiplicity exceeds 255, which a resample of a large corpus essentially never has)."""
    rng = np.random.default_rng(seed)
    rows = max(1, _BLOCK_CELLS // max(articles, 1))
    drawn_rows = max(1, _DRAW_CELLS // max(articles, 1))
    for begin in range(0, resamples, rows):
        block: NDArray[np.integer] = np.empty((min(rows, resamples - begin), articles), np.uint8)
        for start in range(0, len(block), drawn_rows):
            drawn = resample_weights(articles, min(drawn_rows, len(block) - start), rng)
            block = widened(block, drawn)
            block[start : start + len(drawn)] = drawn
        yield Weights(block, articles)  # every resample has as many articles as the corpus


def widened(block: NDArray[np.integer], drawn: NDArray[np.int64]) -> NDArray[np.integer]:
    """``block`` as int64 if ``drawn`` has a multiplicity its dtype cannot hold, else ``block`` itself."""
    if drawn.size and drawn.max() > np.iinfo(block.dtype).max:
        return block.astype(np.int64)
    return block


def _percentiles(samples: Floats, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(samples, [tail, 1.0 - tail])
    return float(low), float(high)


def _articles(statistics: Mapping[str, Statistic]) -> int:
    sizes = {stat.articles for stat in statistics.values()}
    if len(sizes) > 1:
        raise ValueError(f"statistics over different numbers of articles: {sorted(sizes)}")
    return sizes.pop() if sizes else 0


def bootstrap(
    statistics: Mapping[str, Statistic], *, resamples: int, seed: int, confidence: float
) -> dict[str, Interval]:
    """Point value and percentile interval of every statistic, all from the same resampled article sets.

    ``resamples=0`` gives the point values with no interval (``None``).
    """
    articles = _articles(statistics)
    values = {name: float(stat.value()) for name, stat in statistics.items()}
    if resamples == 0 or articles == 0:
        return {name: Interval(value, None, None) for name, value in values.items()}
    samples: dict[str, list[Floats]] = {name: [] for name in statistics}
    for weights in weight_blocks(articles, resamples, seed):  # one pass: every statistic sees each block
        totals: dict[
            int, Floats
        ] = {}  # statistics that share their features (precision, recall, F1) share this
        for name, stat in statistics.items():
            if id(stat.units) not in totals:
                totals[id(stat.units)] = stat.totals(weights)
            samples[name].append(stat.finish(totals[id(stat.units)]))
    return {
        name: Interval(values[name], *_percentiles(np.concatenate(samples[name]), confidence))
        for name in statistics
    }


def _same_shape(a: Statistic, b: Statistic) -> None:
    if a.fixed.shape != b.fixed.shape:
        raise ValueError(f"paired statistics differ in shape: {a.fixed.shape} vs {b.fixed.shape}")


def _p_value(hits: int, samples: int) -> float:
    return (1 + hits) / (1 + samples)


@dataclass(frozen=True)
class PairedBootstrap:
    delta: float
    ci_low: float
    ci_high: float
    p_value: float


def paired_bootstrap(
    a: Statistic, b: Statistic, *, resamples: int, seed: int, confidence: float
) -> PairedBootstrap:
    """``a - b`` on the same resampled articles: percentile interval of the difference and its p-value."""
    _same_shape(a, b)
    delta = float(a.value() - b.value())
    deltas = np.concatenate(
        [a.value(weights) - b.value(weights) for weights in weight_blocks(a.articles, resamples, seed)]
    )
    hits = int(np.count_nonzero(np.abs(deltas - delta) >= abs(delta) - _TIE))
    return PairedBootstrap(delta, *_percentiles(deltas, confidence), _p_value(hits, resamples))


def approximate_randomization(a: Statistic, b: Statistic, *, permutations: int, seed: int) -> float:
    """Two-sided p-value of ``a - b`` under random swaps of the two runs' outputs, article by article."""
    _same_shape(a, b)
    delta = float(a.value() - b.value())
    moved = swap_totals(b.fixed - a.fixed, permutations, seed)  # what the swaps move from b's totals to a's
    totals_a = (a.fixed.sum(axis=0) + moved) / FIXED_POINT
    totals_b = (b.fixed.sum(axis=0) - moved) / FIXED_POINT
    deltas = a.finish(totals_a) - b.finish(totals_b)
    hits = int(np.count_nonzero(np.abs(deltas) >= abs(delta) - _TIE))
    return _p_value(hits, permutations)


def swap_totals(difference: NDArray[np.int64], permutations: int, seed: int) -> NDArray[np.int64]:
    """``swaps @ difference`` (exact) for ``swaps = default_rng(seed).integers(0, 2, (permutations, n))``,
    drawn in blocks of rows (the same numbers as one call) so that a large corpus never holds all of them."""
    rng = np.random.default_rng(seed)
    articles = difference.shape[0]
    largest = int(np.abs(difference).max()) if difference.size else 0
    rows = max(1, _DRAW_CELLS // max(articles, 1))
    moved = [
        exact_product(
            Weights(rng.integers(0, 2, size=(min(rows, permutations - begin), articles)), articles),
            difference,
            largest,
        )
        for begin in range(0, permutations, rows)
    ]
    return np.concatenate(moved) if moved else np.zeros((0, difference.shape[1]), np.int64)


def holm(p_values: Mapping[str, float]) -> dict[str, float]:
    """Holm-Bonferroni adjusted p-values (family-wise error control) for a grid of tests, by name.

    Sorted ascending, the i-th smallest (0-based) is multiplied by (m - i), capped at 1, and made monotone.
    Ties are ordered by name so the result does not depend on the mapping's order.
    """
    order = sorted(p_values, key=lambda name: (p_values[name], name))
    size = len(order)
    adjusted, running = {}, 0.0
    for rank, name in enumerate(order):
        running = max(running, min(1.0, (size - rank) * p_values[name]))
        adjusted[name] = running
    return {name: adjusted[name] for name in p_values}
