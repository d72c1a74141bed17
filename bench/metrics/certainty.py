"""Claim certainty scores: accuracy, per-class and macro P/R/F1, hedged F1, confusion matrix, ECE and Brier.

The positive class is ``hedged``: hedged F1 is CoNLL-2010 task 1's measure (F1 of the uncertain class).

Calibration is of ``p_hedged`` as a forecast of "the gold claim is hedged":
- ECE: ``bins`` equal-width bins over [0, 1]; a claim falls in bin ``floor(p * bins)`` (p = 1 in the last
  bin); ECE = sum over bins of (claims in bin / all claims) * |fraction hedged in bin - mean p_hedged in bin|.
- Brier: mean of (p_hedged - [gold is hedged])**2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.metrics.align import Pair
from bench.metrics.counts import Counts, macro, ratio, sum_last_axis
from bench.metrics.span_arrays import Ints
from bench.metrics.stats import Features, Floats, Statistic, fixed_features, narrow, real_features
from bench.schema import CERTAINTY_LABELS

HEDGED = CERTAINTY_LABELS.index("hedged")


@dataclass(frozen=True)
class ClaimTable:
    """One row per claim, articles in order; labels are indices into ``CERTAINTY_LABELS``."""

    articles: int
    doc: Ints
    gold: Ints
    pred: Ints
    p_hedged: Floats

    def per_article(self, values: Floats) -> Floats:
        """Sum a per-claim column within each article."""
        return np.bincount(self.doc, weights=values, minlength=self.articles)


def claim_table(pairs: Sequence[Pair]) -> ClaimTable:
    doc: list[int] = []
    gold: list[int] = []
    pred: list[int] = []
    p_hedged: list[float] = []
    for index, pair in enumerate(pairs):
        for claim, guess in zip(pair.gold.claims, pair.pred.claims, strict=True):
            doc.append(index)
            gold.append(CERTAINTY_LABELS.index(claim.certainty))
            pred.append(CERTAINTY_LABELS.index(guess.certainty))
            p_hedged.append(guess.p_hedged)
    return ClaimTable(
        len(pairs),
        np.asarray(doc, dtype=np.int64),
        np.asarray(gold, dtype=np.int64),
        np.asarray(pred, dtype=np.int64),
        np.asarray(p_hedged, dtype=np.float64),
    )


def _class_counts(table: ClaimTable, label: int) -> Ints:
    """Per-article tp, fp, fn of one class."""
    gold, pred = table.gold == label, table.pred == label
    count = lambda mask: np.bincount(table.doc[mask], minlength=table.articles)  # noqa: E731
    return np.column_stack([count(gold & pred), count(~gold & pred), count(gold & ~pred)])


def _bin_of(p_hedged: Floats, bins: int) -> Ints:
    return np.minimum(np.floor(p_hedged * bins).astype(np.int64), bins - 1)


def _ece_features(table: ClaimTable, bins: int) -> Floats:
    """Per article and bin: claims, sum of p_hedged, hedged claims -> ``(articles, 3 * bins)``."""
    cell = table.doc * bins + _bin_of(table.p_hedged, bins)
    size = table.articles * bins
    columns = [
        np.bincount(cell, weights=w, minlength=size).reshape(table.articles, bins)
        for w in (np.ones(len(cell)), table.p_hedged, (table.gold == HEDGED) * 1.0)
    ]
    return np.stack(columns, axis=-1).reshape(table.articles, 3 * bins)


def ece_of(totals: Floats) -> Floats:
    """ECE from the totals of ``_ece_features`` (per bin: claims, sum of p_hedged, hedged claims)."""
    per_bin = totals.reshape(*totals.shape[:-1], -1, 3)
    gaps = np.abs(per_bin[..., 2] - per_bin[..., 1])  # |hedged claims - sum of p| = count * |frac - mean p|
    return ratio(sum_last_axis(gaps), sum_last_axis(per_bin[..., 0]))


def _brier_features(table: ClaimTable) -> Floats:
    error = (table.p_hedged - (table.gold == HEDGED)) ** 2
    return np.column_stack([table.per_article(error), table.per_article(np.ones(len(error)))])


@dataclass(frozen=True)
class ClaimRows:
    """Per-article sufficient statistics of claim certainty: all that its report and intervals need.

    ``classes``: tp, fp, fn of each label (CERTAINTY_LABELS order); ``accuracy``: correct claims, claims;
    ``ece``: per bin claims, sum of p_hedged, hedged claims (fixed point); ``brier``: sum of squared errors,
    claims (fixed point).
    """

    classes: Ints
    accuracy: Ints
    ece: Ints
    brier: Ints


CLAIM_FIELDS = ("classes", "accuracy", "ece", "brier")


def claim_rows(pairs: Sequence[Pair], bins: int) -> ClaimRows:
    table = claim_table(pairs)
    correct = np.bincount(table.doc[table.gold == table.pred], minlength=table.articles)
    claims = np.bincount(table.doc, minlength=table.articles)
    return ClaimRows(
        classes=narrow(np.hstack([_class_counts(table, label) for label in range(len(CERTAINTY_LABELS))])),
        accuracy=narrow(np.column_stack([correct, claims])),
        ece=real_features(_ece_features(table, bins))[0],
        brier=real_features(_brier_features(table))[0],
    )


def claim_features(rows: ClaimRows) -> dict[str, Features]:
    """The per-article features of the certainty metrics (``bench.metrics.specs`` says which metric is which
    function of which): the hedged and confirmed counts are column views of ``classes``."""
    hedged = rows.classes[:, 3 * HEDGED : 3 * HEDGED + 3]
    confirmed = rows.classes[:, 3 * (1 - HEDGED) : 3 * (1 - HEDGED) + 3]
    return {
        "claims.accuracy": (rows.accuracy, 1),
        "claims.hedged": (hedged, 1),
        "claims.confirmed": (confirmed, 1),
        "claims.classes": (rows.classes, 1),
        "claims.ece": fixed_features(rows.ece),
        "claims.brier": fixed_features(rows.brier),
    }


def _confusion(rows: ClaimRows) -> dict[str, Any]:
    """Gold x predicted counts; with two labels a class's false negatives are the other class's false
    positives, so the per-class counts determine the matrix."""
    tp0, _, fn0, tp1, _, fn1 = rows.classes.sum(axis=0, dtype=np.int64).tolist()
    return {
        "labels": list(CERTAINTY_LABELS),
        "rows": "gold",
        "columns": "predicted",
        "matrix": [[tp0, fn0], [fn1, tp1]],
    }


def _calibration(rows: ClaimRows, bins: int, stats: dict[str, Statistic]) -> dict[str, Any]:
    totals = stats["claims.ece"].totals().reshape(bins, 3)
    bin_rows = [
        {
            "low": b / bins,
            "high": (b + 1) / bins,
            "claims": int(count),
            "mean_p_hedged": float(ratio(sum_p, count)),
            "fraction_hedged": float(ratio(hedged, count)),
        }
        for b, (count, sum_p, hedged) in enumerate(totals.tolist())
    ]
    return {
        "binning": f"{bins} equal-width bins of p_hedged over [0, 1], bin = floor(p * {bins}), p = 1 in the "
        "last; ECE weights each bin by its share of claims",
        "ece": float(stats["claims.ece"].value()),
        "brier": float(stats["claims.brier"].value()),
        "bins": bin_rows,
    }


def _class_report(rows: ClaimRows, label: int) -> dict[str, Any]:
    tp, fp, fn = rows.classes[:, 3 * label : 3 * label + 3].sum(axis=0, dtype=np.int64).tolist()
    # floats, as scores.json has always written these counts
    return {**Counts(float(tp), float(fp), float(fn)).to_json(), "support": tp + fn}


def claim_report(rows: ClaimRows, bins: int, stats: dict[str, Statistic]) -> dict[str, Any]:
    """The claims report (without cues) from the joined rows and their statistics."""
    if len(CERTAINTY_LABELS) != 2:
        raise ValueError("the certainty report assumes two labels")
    by_class = {name: _class_report(rows, label) for label, name in enumerate(CERTAINTY_LABELS)}
    return {
        "claims": int(rows.accuracy[:, 1].sum(dtype=np.int64)),
        "accuracy": float(stats["claims.accuracy"].value()),
        "by_class": by_class,
        "macro": macro([Counts(c["tp"], c["fp"], c["fn"]) for c in by_class.values()]).to_json(),
        "confusion": _confusion(rows),
        "calibration": _calibration(rows, bins, stats),
    }
