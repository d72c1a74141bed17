"""``score_run``: every metric of one run, with bootstrap intervals for the headline metrics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bench.metrics.align import Pair, align
from bench.metrics.certainty import score_claims
from bench.metrics.entities import entity_report, entity_statistics, entity_tallies
from bench.metrics.settings import DEFAULT_EVAL, EvalSettings
from bench.metrics.stats import Statistic, bootstrap
from bench.metrics.version import METRICS_VERSION
from bench.schema import ENTITY_LABELS, TASKS, Article, Prediction


def score_task(
    task: str, pairs: Sequence[Pair], *, types: Sequence[str] | None, ece_bins: int
) -> tuple[dict[str, Any], dict[str, Statistic]]:
    """One task's report and headline statistics. ``types``: the entity types that macro averages run over
    (None: the gold and predicted labels of ``pairs``)."""
    if task == "entities":
        tallies = entity_tallies(pairs, types)
        return entity_report(tallies), entity_statistics(tallies)
    return score_claims(pairs, ece_bins)


def declared_only(
    predictions: Sequence[Prediction], labels: Sequence[str]
) -> tuple[list[Prediction], Counter[str]]:
    """Predictions without the entities whose label the dataset does not annotate, and how many per label."""
    allowed = set(labels)
    dropped: Counter[str] = Counter()
    kept = []
    for prediction in predictions:
        outside = [e for e in prediction.entities if e.label not in allowed]
        dropped.update(e.label for e in outside)
        entities = (
            tuple(e for e in prediction.entities if e.label in allowed) if outside else prediction.entities
        )
        kept.append(replace(prediction, entities=entities))
    return kept, dropped


def not_scored(task: str) -> dict[str, str]:
    return {"status": "not scored", "reason": f"dataset does not annotate {task}"}


def score_run(
    gold: Sequence[Article],
    predictions: Sequence[Prediction],
    tasks: Sequence[str],
    settings: EvalSettings = DEFAULT_EVAL,
    entity_labels: Sequence[str] | None = ENTITY_LABELS,
) -> dict[str, Any]:
    """All scores of a run. ``headline`` maps metric name -> value and percentile bootstrap interval
    (articles resampled ``settings.resamples`` times with ``numpy.random.default_rng(settings.seed)``;
    ``resamples=0``: no intervals, ``ci_low`` and ``ci_high`` are None).

    ``entity_labels``: the labels the dataset annotates. Predicted entities of other labels are removed
    before scoring (a dataset that does not annotate MISC cannot call a MISC prediction wrong) and counted
    in ``dropped_predictions``; macro averages run over exactly these labels. ``None``: any label is
    scored and macro averages run over the labels seen (for label sets of other tasks, e.g. chunking)."""
    predictions, dropped = (
        (predictions, Counter()) if entity_labels is None else declared_only(predictions, entity_labels)
    )
    pairs = align(gold, predictions, tasks)
    if not pairs:
        raise ValueError("no gold articles to score")
    scores: dict[str, Any] = {"metrics_version": METRICS_VERSION, "articles": len(pairs)}
    statistics: dict[str, Statistic] = {}
    for task in TASKS:
        if task not in tasks:
            scores[task] = not_scored(task)
            continue
        types = tuple(entity_labels) if task == "entities" and entity_labels is not None else None
        scores[task], task_statistics = score_task(task, pairs, types=types, ece_bins=settings.ece_bins)
        if task == "entities":
            scores[task]["dropped_predictions"] = dict(sorted(dropped.items()))
        statistics.update(task_statistics)
    intervals = bootstrap(
        statistics, resamples=settings.resamples, seed=settings.seed, confidence=settings.confidence
    )
    scores["headline"] = {name: interval.to_json() for name, interval in intervals.items()}
    scores["bootstrap"] = {
        "unit": "article",
        "method": "percentile",
        "resamples": settings.resamples,
        "seed": settings.seed,
        "confidence": settings.confidence,
    }
    return scores
