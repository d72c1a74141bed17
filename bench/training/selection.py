"""The dev score that picks the epoch to keep: mean of strict entity F1 and hedged-class F1.

Counts come from ``bench.metrics`` (the benchmark's one strict matching and one F1), so the dev score counts
duplicates and overlapping predictions exactly as ``scores.json`` does; model selection needs no intervals
or breakdowns.
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.metrics.counts import Counts
from bench.metrics.entities import strict_match
from bench.schema import Article, Prediction


def entity_counts(gold: Article, predicted: Prediction) -> Counts:
    return strict_match(gold, predicted.entities).counts


def hedged_counts(gold: Article, predicted: Prediction) -> Counts:
    truth = [c.certainty == "hedged" for c in gold.claims]
    return Counts.from_pairs(truth, [p.certainty == "hedged" for p in predicted.claims])


def dev_scores(gold: Sequence[Article], predicted: Sequence[Prediction]) -> dict[str, float]:
    pairs = list(zip(gold, predicted, strict=True))
    entity_f1 = sum((entity_counts(g, p) for g, p in pairs), Counts()).f1
    hedged_f1 = sum((hedged_counts(g, p) for g, p in pairs), Counts()).f1
    return {"entity_f1": entity_f1, "hedged_f1": hedged_f1, "selection": (entity_f1 + hedged_f1) / 2}
