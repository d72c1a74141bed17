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
from bench.metrics.counts import PRF_OF, Counts, f1_of, macro, macro_f1_of, ratio, sum_last_axis
from bench.metrics.cues import cue_scores
from bench.metrics.span_arrays import Ints
from bench.metrics.stats import Floats, Statistic, statistic
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


def _class_features(table: ClaimTable, label: int) -> Floats:
    """Per-article tp, fp, fn of one class."""
    gold, pred = table.gold == label, table.pred == label
    return np.column_stack(
        [
            table.per_article((gold & pred) * 1.0),
            table.per_article((~gold & pred) * 1.0),
            table.per_article((gold & ~pred) * 1.0),
        ]
    )


def _accuracy_features(table: ClaimTable) -> Floats:
    return np.column_stack(
        [table.per_article((table.gold == table.pred) * 1.0), table.per_article(np.ones(len(table.gold)))]
    )


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


def _ece(totals: Floats) -> Floats:
    per_bin = totals.reshape(*totals.shape[:-1], -1, 3)
    gaps = np.abs(per_bin[..., 2] - per_bin[..., 1])  # |hedged claims - sum of p| = count * |frac - mean p|
    return ratio(sum_last_axis(gaps), sum_last_axis(per_bin[..., 0]))


def _brier_features(table: ClaimTable) -> Floats:
    error = (table.p_hedged - (table.gold == HEDGED)) ** 2
    return np.column_stack([table.per_article(error), table.per_article(np.ones(len(error)))])


def _of_ratio(totals: Floats) -> Floats:
    return ratio(totals[..., 0], totals[..., 1])


def claim_statistics(table: ClaimTable, bins: int) -> dict[str, Statistic]:
    classes = [_class_features(table, label) for label in range(len(CERTAINTY_LABELS))]
    hedged = classes[HEDGED]
    stats = {"claims.accuracy": statistic(_accuracy_features(table), _of_ratio)}
    stats.update({f"claims.hedged.{name}": statistic(hedged, finish) for name, finish in PRF_OF.items()})
    stats["claims.confirmed.f1"] = statistic(classes[1 - HEDGED], f1_of)
    stats["claims.macro.f1"] = statistic(np.hstack(classes), macro_f1_of)
    stats["claims.ece"] = statistic(_ece_features(table, bins), _ece)
    stats["claims.brier"] = statistic(_brier_features(table), _of_ratio)
    return stats


def _confusion(table: ClaimTable) -> dict[str, Any]:
    size = len(CERTAINTY_LABELS)
    matrix = np.bincount(table.gold * size + table.pred, minlength=size * size).reshape(size, size)
    return {
        "labels": list(CERTAINTY_LABELS),
        "rows": "gold",
        "columns": "predicted",
        "matrix": matrix.tolist(),
    }


def _calibration(table: ClaimTable, bins: int, stats: dict[str, Statistic]) -> dict[str, Any]:
    totals = _ece_features(table, bins).sum(axis=0).reshape(bins, 3)
    rows = [
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
        "bins": rows,
    }


def _class_report(table: ClaimTable, label: int) -> dict[str, Any]:
    tp, fp, fn = _class_features(table, label).sum(axis=0).tolist()
    return {**Counts(tp, fp, fn).to_json(), "support": int(np.count_nonzero(table.gold == label))}


def score_claims(pairs: Sequence[Pair], bins: int) -> tuple[dict[str, Any], dict[str, Statistic]]:
    """The claims report and its headline statistics (cue metrics included when the model predicted cues)."""
    table = claim_table(pairs)
    stats = claim_statistics(table, bins)
    by_class = {name: _class_report(table, label) for label, name in enumerate(CERTAINTY_LABELS)}
    cue_report, cue_stats = cue_scores(pairs)
    report = {
        "claims": len(table.gold),
        "accuracy": float(stats["claims.accuracy"].value()),
        "by_class": by_class,
        "macro": macro([Counts(c["tp"], c["fp"], c["fn"]) for c in by_class.values()]).to_json(),
        "confusion": _confusion(table),
        "calibration": _calibration(table, bins, stats),
        "cues": cue_report,
    }
    return report, {**stats, **cue_stats}
