"""Additive true-positive / false-positive / false-negative counts, and the one zero-division rule.

Every precision, recall and F1 in the benchmark is computed here, from counts, by the functions below; they
accept Python numbers or numpy arrays (per-article and per-bootstrap-sample counts use the same code).

Zero-division rule (the only one): a ratio whose denominator is 0 is 0. So precision is 0 when nothing
was predicted (tp + fp = 0), recall is 0 when there is nothing to find (tp + fn = 0), and
F1 = 2tp / (2tp + fp + fn) is 0 when both are empty. seqeval (``zero_division`` default), conlleval and
nervaluate report the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


def ratio(numerator: ArrayLike, denominator: ArrayLike) -> NDArray[np.float64]:
    """``numerator / denominator`` elementwise, and 0 where the denominator is 0."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    return np.divide(num, den, out=out, where=den != 0)


def precision(tp: ArrayLike, fp: ArrayLike) -> NDArray[np.float64]:
    return ratio(tp, np.add(tp, fp))


def recall(tp: ArrayLike, fn: ArrayLike) -> NDArray[np.float64]:
    return ratio(tp, np.add(tp, fn))


def f1(tp: ArrayLike, fp: ArrayLike, fn: ArrayLike) -> NDArray[np.float64]:
    # 2tp / (2tp + fp + fn) equals 2PR / (P + R) whenever both are defined, and needs no second rule.
    doubled = np.multiply(2, tp)
    return ratio(doubled, doubled + np.add(fp, fn))


def sum_last_axis(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum over the (short) last axis, left to right.

    An explicit elementwise sum has one rounding order on every machine; a numpy reduction may not.
    """
    total = np.zeros(values.shape[:-1])
    for index in range(values.shape[-1]):
        total = total + values[..., index]
    return total


def mean_last_axis(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return ratio(sum_last_axis(values), values.shape[-1])


# Metrics of count totals laid out as (..., 3) arrays of tp, fp, fn (per article or per bootstrap sample).
def _triples(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    return totals.reshape(*totals.shape[:-1], -1, 3)


def precision_of(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    return precision(totals[..., 0], totals[..., 1])


def recall_of(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    return recall(totals[..., 0], totals[..., 2])


def f1_of(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    return f1(totals[..., 0], totals[..., 1], totals[..., 2])


def macro_f1_of(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean F1 over the classes of ``(..., 3 * classes)`` totals (tp, fp, fn of each class in turn)."""
    return mean_last_axis(f1_of(_triples(totals)))


def ratio_of(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    """The first total over the second (accuracy: correct / claims; a mean: sum / count)."""
    return ratio(totals[..., 0], totals[..., 1])


@dataclass(frozen=True)
class Counts:
    """Additive counts. ``tp`` may be fractional: the partial scheme gives half credit (0.5)."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @classmethod
    def from_pairs(cls, truth: Iterable[bool], said: Iterable[bool]) -> Counts:
        """Counts of one class over paired binary decisions (gold, predicted)."""
        pairs = list(zip(truth, said, strict=True))
        return cls(
            tp=sum(t and p for t, p in pairs),
            fp=sum(p and not t for t, p in pairs),
            fn=sum(t and not p for t, p in pairs),
        )

    @property
    def precision(self) -> float:
        return float(precision(self.tp, self.fp))

    @property
    def recall(self) -> float:
        return float(recall(self.tp, self.fn))

    @property
    def f1(self) -> float:
        return float(f1(self.tp, self.fp, self.fn))

    def to_json(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Averaged:
    """Precision, recall and F1 that are averages, so they have no counts behind them."""

    precision: float
    recall: float
    f1: float

    def to_json(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def micro(counts: Iterable[Counts]) -> Counts:
    """Pool the counts; the pooled ``Counts`` gives micro-averaged precision, recall and F1."""
    return sum(counts, Counts())


def macro(counts: Sequence[Counts]) -> Averaged:
    """Unweighted mean of each class's precision, recall and F1 (the F1 is the mean of F1s, as in seqeval)."""
    if not counts:
        return Averaged(0.0, 0.0, 0.0)
    size = len(counts)
    return Averaged(
        precision=sum(c.precision for c in counts) / size,
        recall=sum(c.recall for c in counts) / size,
        f1=sum(c.f1 for c in counts) / size,
    )
