"""``score_run``: every metric of one run, with bootstrap intervals for the headline metrics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench.metrics.align import Pair, align
from bench.metrics.certainty import score_claims
from bench.metrics.entities import entity_report, entity_statistics, entity_tallies
from bench.metrics.settings import DEFAULT_EVAL, EvalSettings
from bench.metrics.stats import Statistic, bootstrap
from bench.metrics.version import METRICS_VERSION
from bench.schema import TASKS, Article, Prediction


def score_task(
    task: str, pairs: Sequence[Pair], *, types: Sequence[str] | None, ece_bins: int
) -> tuple[dict[str, Any], dict[str, Statistic]]:
    """One task's report and headline statistics. ``types``: the entity types that macro averages run over
    (None: the gold and predicted labels of ``pairs``)."""
    if task == "entities":
        tallies = entity_tallies(pairs, types)
        return entity_report(tallies), entity_statistics(tallies)
    return score_claims(pairs, ece_bins)


def not_scored(task: str) -> dict[str, str]:
    return {"status": "not scored", "reason": f"dataset does not annotate {task}"}


def score_run(
    gold: Sequence[Article],
    predictions: Sequence[Prediction],
    tasks: Sequence[str],
    settings: EvalSettings = DEFAULT_EVAL,
) -> dict[str, Any]:
    """All scores of a run. ``headline`` maps metric name -> value and percentile bootstrap interval
    (articles resampled ``settings.resamples`` times with ``numpy.random.default_rng(settings.seed)``;
    ``resamples=0``: no intervals, ``ci_low`` and ``ci_high`` are None)."""
    pairs = align(gold, predictions, tasks)
    if not pairs:
        raise ValueError("no gold articles to score")
    scores: dict[str, Any] = {"metrics_version": METRICS_VERSION, "articles": len(pairs)}
    statistics: dict[str, Statistic] = {}
    for task in TASKS:
        if task not in tasks:
            scores[task] = not_scored(task)
            continue
        scores[task], task_statistics = score_task(task, pairs, types=None, ece_bins=settings.ece_bins)
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
